/*
 * Kernel stacks.  Each thread has one of KSTACK_PAGES pages in the kernel
 * mapping area (kvmap: a run of fresh pages after an unmapped guard page).
 * Mapping one takes KSTACK_PAGES pages from the page allocator and as many
 * page-table entries; unmapping one undoes that and, with several CPUs,
 * parks the address range until every CPU has flushed it (kernel/kvmap.c).
 *
 * LAB kstack BEGIN (docs/labs/kstack.md)
 * The cache: a stack freed when its thread is reaped stays mapped and goes
 * on a short list, and the next thread creation takes it from there
 * instead (a hit): no page allocated, mapped, unmapped or freed, no range
 * parked.  The mapping never changes while a stack is cached, so no TLB
 * entry of any CPU goes stale, and a stack freed on one CPU may be taken
 * on another.  The list is bounded (KSTACK_CACHE_MAX); a stack freed when
 * it is full is unmapped as before.
 *
 * Leak checks: the pages of cached stacks are neither free nor leaked, and
 * the holes they leave in the kernel mapping area take heap notes
 * (kernel/kvmap.c) that were not there before.  So a leak check first
 * empties the cache (kstack_drain, through SYS_os_drop_caches: the tests'
 * utest_settled), and then counts pages and heap exactly as it did
 * before there was a cache: a stack the cache lost still shows as pages
 * missing.  SYS_os_stats reports what the cache holds (kstack_cache_pages)
 * and its hits and misses.
 * LAB kstack END
 * LAB kstack STUB
 * Lab kstack (docs/labs/kstack.md): keep a few freed stacks here for the
 * next thread creation.
 * LAB kstack STUB END
 */
#include <arch/layout.h>
#include <kernel/kstack.h>
#include <kernel/kvmap.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>

/* [atomic] what kstack_alloc did since boot: SYS_os_stats reports them. */
static uint64_t cache_hits, cache_misses;

/* LAB kstack BEGIN */
/*
 * 16 stacks: 64 pages (256 KiB, a thousandth of the 256 MiB the machine
 * boots with) held back from the page allocator at most.  A create+join
 * loop needs one; 16 serve a pool of workers that ends and starts again
 * in a burst; the stacks of a larger burst go back to the page allocator
 * as they did without a cache.
 */
#define KSTACK_CACHE_MAX 16

/* Lock order: taken under sched_lock (reap_dead_threads frees with it held); no lock is taken under it. */
static struct spinlock cache_lock = SPINLOCK_INIT("kstack", LOCK_RANK_KSTACK);
static void *cache[KSTACK_CACHE_MAX];   /* [cache_lock] stacks ready for a new thread, last freed on top */
static unsigned cache_count;            /* [cache_lock] entries of cache in use */

/* A stack from the cache, or NULL if it is empty. */
static void *cache_take(void)
{
    spin_lock(&cache_lock);
    void *stack = cache_count ? cache[--cache_count] : NULL;
    spin_unlock(&cache_lock);
    return stack;
}

/* Keep stack in the cache; false if it is full. */
static bool cache_put(void *stack)
{
    spin_lock(&cache_lock);
    bool kept = cache_count < KSTACK_CACHE_MAX;
    if (kept)
        cache[cache_count++] = stack;
    spin_unlock(&cache_lock);
    return kept;
}
/* LAB kstack END */

void *kstack_alloc(void)
{
    /* LAB kstack BEGIN */
    void *stack = cache_take();
    if (stack) {
        __atomic_fetch_add(&cache_hits, 1, __ATOMIC_RELAXED);
        return stack;
    }
    /* LAB kstack END */
    /* LAB kstack STUB
    // Lab kstack: take a stack from the cache here (a hit, counted in cache_hits) if it has one.
       LAB kstack STUB END */
    __atomic_fetch_add(&cache_misses, 1, __ATOMIC_RELAXED);
    return kvmap_alloc(KSTACK_PAGES);
}

void kstack_free(void *stack)
{
    uint64_t sp = (uint64_t)__builtin_frame_address(0);
    KASSERT(sp - (uint64_t)stack >= KSTACK_PAGES * PAGE_SIZE);     /* never the stack we run on */
    /* LAB kstack BEGIN */
    if (cache_put(stack))
        return;
    /* LAB kstack END */
    /* LAB kstack STUB
    // Lab kstack: keep the stack in the cache here, if it has room.
       LAB kstack STUB END */
    kvmap_free(stack, KSTACK_PAGES);
}

uint64_t kstack_drain(void)
{
    uint64_t pages = 0;
    /* LAB kstack BEGIN */
    void *stack;
    while ((stack = cache_take()) != NULL) {
        kvmap_free(stack, KSTACK_PAGES);
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
