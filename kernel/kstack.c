/*
 * Kernel stacks, with the thread structures they belong to.  Each thread
 * has a stack of KSTACK_PAGES pages in the kernel mapping area (kvmap: a
 * run of fresh pages after an unmapped guard page) and a struct thread from
 * the heap.  Mapping a stack takes KSTACK_PAGES pages from the page
 * allocator and as many page-table entries; unmapping one undoes that and,
 * with several CPUs, parks the address range until every CPU has flushed
 * it (kernel/kvmap.c).  The structure is 1.6 KiB, two to a slab page: the
 * heap takes a page and gives it back for most threads.
 *
 * LAB kstack BEGIN (docs/labs/kstack.md)
 * The cache: a reaped thread's stack stays mapped and its structure stays
 * allocated, together, on a short list, and the next thread creation takes
 * them from there (a hit): no page allocated, mapped, unmapped or freed,
 * no range parked, no heap call; the structure is only zeroed again, but
 * for the tail that every new thread writes first (THREAD_CLEARED_SIZE in
 * <kernel/thread.h>: the FPU image and the signal senders, 1.3 KiB).  The
 * mapping never changes while a stack is cached, so no TLB entry of any
 * CPU goes stale, and a stack freed on one CPU may be taken on another.
 * The list is bounded (KSTACK_CACHE_MAX); a thread freed when it is full
 * goes back to kvmap and the heap as before.  The debug build fills a
 * cached structure with POISON_DEAD, as the heap poisons what kfree takes:
 * a dead thread looked at after its reaping still shows as garbage.
 *
 * Leak checks: the cache's stack pages and structures are neither free
 * nor leaked, and the holes its stacks leave in the kernel mapping area
 * take heap notes (kernel/kvmap.c) that were not there before.  So a leak
 * check first empties the cache (kstack_drain, through SYS_os_drop_caches:
 * the tests' utest_settled), and then counts pages and heap exactly as it
 * did before there was a cache: a stack the cache lost still shows as
 * pages missing.  SYS_os_stats reports what the cache holds
 * (kstack_cache_pages) and its hits and misses.
 * LAB kstack END
 * LAB kstack STUB
 * Lab kstack (docs/labs/kstack.md): keep a few dead threads' stacks here,
 * for the next thread creations.
 * LAB kstack STUB END
 */
#include <arch/layout.h>
#include <kernel/heap.h>
#include <kernel/kstack.h>
#include <kernel/kvmap.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <lib/string.h>

/* [atomic] what kstack_thread_alloc did since boot: SYS_os_stats reports them. */
static uint64_t cache_hits, cache_misses;

/* A fresh structure and stack; NULL when memory runs out. */
static struct thread *thread_fresh(void)
{
    struct thread *t = kzalloc(sizeof *t);
    if (!t)
        return NULL;
    t->kstack = kvmap_alloc(KSTACK_PAGES);
    if (!t->kstack) {
        kfree(t);
        return NULL;
    }
    return t;
}

/* Unmap t's stack, free its pages and t. */
static void thread_destroy(struct thread *t)
{
    kvmap_free(t->kstack, KSTACK_PAGES);
    kfree(t);
}

/* LAB kstack BEGIN */
/*
 * 16 threads: 64 stack pages (256 KiB, a thousandth of the 256 MiB the
 * machine boots with) and 16 structures (26 KiB of heap) held back at
 * most.  A create+join loop needs one; 16 serve a pool of workers that
 * ends and starts again in a burst; the threads of a larger burst go back
 * to kvmap and the heap as they did without a cache.
 */
#define KSTACK_CACHE_MAX 16
#define POISON_DEAD 0x6b        /* the heap's byte for freed memory (kernel/heap.c) */

/* Lock order: taken under sched_lock (reap_dead_threads frees with it held); no lock is taken under it. */
static struct spinlock cache_lock = SPINLOCK_INIT("kstack", LOCK_RANK_KSTACK);
static struct thread *cache[KSTACK_CACHE_MAX];  /* [cache_lock] dead threads with stacks, last freed on top */
static unsigned cache_count;                    /* [cache_lock] entries of cache in use */

/* A dead thread with its stack from the cache, or NULL if it is empty. */
static struct thread *cache_take(void)
{
    spin_lock(&cache_lock);
    struct thread *t = cache_count ? cache[--cache_count] : NULL;
    spin_unlock(&cache_lock);
    return t;
}

/* Keep t and its stack in the cache; false if it is full. */
static bool cache_put(struct thread *t)
{
#ifdef HEAP_DEBUG
    void *stack = t->kstack;
    memset(t, POISON_DEAD, sizeof *t);
    t->kstack = stack;
#endif
    spin_lock(&cache_lock);
    bool kept = cache_count < KSTACK_CACHE_MAX;
    if (kept)
        cache[cache_count++] = t;
    spin_unlock(&cache_lock);
    return kept;
}
/* LAB kstack END */

struct thread *kstack_thread_alloc(void)
{
    /* LAB kstack BEGIN */
    struct thread *t = cache_take();
    if (t) {
        memset(t, 0, THREAD_CLEARED_SIZE);     /* the stack stays, and what thread_create writes anyway */
        __atomic_fetch_add(&cache_hits, 1, __ATOMIC_RELAXED);
        return t;
    }
    /* LAB kstack END */
    /* LAB kstack STUB
    // Lab kstack: take a dead thread and its stack from the cache here (a hit, counted in cache_hits).
       LAB kstack STUB END */
    __atomic_fetch_add(&cache_misses, 1, __ATOMIC_RELAXED);
    return thread_fresh();
}

void kstack_thread_free(struct thread *t)
{
    uint64_t sp = (uint64_t)__builtin_frame_address(0);
    KASSERT(sp - (uint64_t)t->kstack >= KSTACK_PAGES * PAGE_SIZE);     /* never the stack we run on */
    /* LAB kstack BEGIN */
    if (cache_put(t))
        return;
    /* LAB kstack END */
    /* LAB kstack STUB
    // Lab kstack: keep t and its stack in the cache here, if it has room.
       LAB kstack STUB END */
    thread_destroy(t);
}

uint64_t kstack_drain(void)
{
    uint64_t pages = 0;
    /* LAB kstack BEGIN */
    struct thread *t;
    while ((t = cache_take()) != NULL) {
        thread_destroy(t);
        pages += KSTACK_PAGES;
    }
    /* LAB kstack END */
    return pages;
}

void kstack_get_stats(struct kstack_stats *out)
{
    out->cached_pages = 0;
    /* LAB kstack BEGIN */
    spin_lock(&cache_lock);
    out->cached_pages = (uint64_t)cache_count * KSTACK_PAGES;
    spin_unlock(&cache_lock);
    /* LAB kstack END */
    out->hits = __atomic_load_n(&cache_hits, __ATOMIC_RELAXED);
    out->misses = __atomic_load_n(&cache_misses, __ATOMIC_RELAXED);
}
