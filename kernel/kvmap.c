/*
 * The kernel mapping area's address allocator: a list of free ranges
 * sorted by address, first fit, merged with their neighbours on free.
 * Runs are allocated with one extra page of address space, never mapped:
 * the guard.  A run holds fresh pages (kvmap_alloc) or a range of physical
 * memory the allocator does not own: firmware tables, device registers
 * (kvmap_map_phys).
 *
 * Several CPUs.  Kernel mappings are global: every CPU may keep a TLB
 * entry for a run's pages (a kernel stack is touched where the thread is
 * made and where it runs), and the CPU that frees the run only flushes its
 * own.  The pages themselves may go back at once (only a stale entry's
 * address, which nobody uses any more, leads to them); the address range
 * may not be reused until every other CPU has dropped its entries.  So a
 * freed range waits on the dirty list, stamped with a free epoch, and
 * each CPU's tick flushes its global entries once when frees happened
 * since its last flush (kvmap_tick): a range comes back when every CPU
 * online has flushed past its epoch, at most a tick later, and no thread
 * exit sends an IPI.  With one CPU online nothing waits.
 */
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <kernel/heap.h>
#include <kernel/kvmap.h>
#include <kernel/list.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

#define GUARD_PAGES 1

struct vrange {
    struct list_node link;      /* in free_ranges, by address; or in dirty_ranges, by epoch */
    uint64_t start;
    uint64_t pages;
    uint64_t epoch;             /* dirty: the free epoch every CPU must have flushed past */
};

/* Lock order: kvmap_lock, then the heap's (range nodes come from kmalloc), then pmm's. */
static struct spinlock kvmap_lock = SPINLOCK_INIT("kvmap", LOCK_RANK_KVMAP);
static struct list_node free_ranges = LIST_INIT(free_ranges);   /* [kvmap_lock] */
static struct list_node dirty_ranges = LIST_INIT(dirty_ranges); /* [kvmap_lock] freed, oldest first */
static uint64_t dirty_count;            /* [kvmap_lock] ranges on dirty_ranges */
static uint64_t free_epoch;             /* [atomic] frees so far that other CPUs must flush */
static uint64_t flushed_epoch[CPU_MAX]; /* [atomic] per CPU: every free up to this one is gone from its TLB */
/* The initial range; it ends where the area ends, so it is always the last one in the list. */
static struct vrange whole_area = { .start = KVMAP_BASE, .pages = KVMAP_SIZE / PAGE_SIZE };
static bool initialized;                                        /* [kvmap_lock] */

/*
 * The notes of free and parked ranges come from the heap; how many there
 * are follows the area's layout (a hole between two live runs takes one),
 * not what is allocated.  SYS_os_stats leaves their bytes out of the heap
 * it reports, so that leak checks compare what is in use.
 */
static uint64_t note_bytes;             /* [kvmap_lock, read atomic] bytes of the kmalloc'd notes */

static struct vrange *note_new(void)
{
    struct vrange *r = kmalloc(sizeof *r);
    if (r)
        __atomic_store_n(&note_bytes, note_bytes + sizeof *r, __ATOMIC_RELAXED);
    return r;
}

static void note_free(struct vrange *r)
{
    __atomic_store_n(&note_bytes, note_bytes - sizeof *r, __ATOMIC_RELAXED);
    kfree(r);
}

uint64_t kvmap_note_bytes(void)
{
    return __atomic_load_n(&note_bytes, __ATOMIC_RELAXED);
}

/* Take pages of address space from the first range that has room; 0 if none. */
static uint64_t take_range(uint64_t pages)
{
    if (!initialized) {
        list_push_back(&free_ranges, &whole_area.link);
        initialized = true;
    }
    list_for_each(pos, &free_ranges) {
        struct vrange *r = container_of(pos, struct vrange, link);
        if (r->pages < pages)
            continue;
        uint64_t start = r->start;
        r->start += pages * PAGE_SIZE;
        r->pages -= pages;
        if (r->pages == 0) {
            list_remove(&r->link);
            if (r != &whole_area)
                note_free(r);
        }
        return start;
    }
    return 0;
}

/* Return [start, start + pages) to the free list, merging with its neighbours. */
static void give_back_range(uint64_t start, uint64_t pages)
{
    struct list_node *next = free_ranges.next;
    while (next != &free_ranges && container_of(next, struct vrange, link)->start < start)
        next = next->next;
    struct vrange *after = next != &free_ranges ? container_of(next, struct vrange, link) : NULL;
    struct vrange *before = next->prev != &free_ranges ?
                            container_of(next->prev, struct vrange, link) : NULL;
    uint64_t end = start + pages * PAGE_SIZE;
    bool joins_before = before && before->start + before->pages * PAGE_SIZE == start;
    /* Merge into the range after, never away from it: the last range is whole_area, not kmalloc'd. */
    if (after && end == after->start) {
        after->start = start;
        after->pages += pages;
        if (joins_before) {
            after->start = before->start;
            after->pages += before->pages;
            list_remove(&before->link);
            note_free(before);
        }
        return;
    }
    if (joins_before) {
        before->pages += pages;
        return;
    }
    struct vrange *r = note_new();
    if (!r) {
        kprintf("kvmap: out of memory; %lu pages of address space lost\n", pages);
        return;
    }
    r->start = start;
    r->pages = pages;
    list_insert_before(next, &r->link);
}

/* Unmap [start, start + pages), freeing the frames to the page allocator if they are its own. */
static void unmap_pages(uint64_t start, size_t pages, bool free_frames)
{
    for (size_t i = 0; i < pages; i++) {
        uint64_t va = start + i * PAGE_SIZE;
        uint64_t pa = mmu_unmap(kernel_root, va);
        mmu_flush_kernel_page(va);
        if (pa && free_frames)
            pmm_free_page(pa);
    }
}


/* The oldest free epoch some online CPU has not flushed past yet. kvmap_lock held. */
static uint64_t epoch_flushed_everywhere(void)
{
    uint64_t oldest = UINT64_MAX;
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++) {
        uint64_t e = __atomic_load_n(&flushed_epoch[cpu], __ATOMIC_ACQUIRE);
        if (smp_online(cpu) && e < oldest)
            oldest = e;
    }
    return oldest;
}

/* Give back the dirty ranges every CPU has flushed.  kvmap_lock held. */
static void reclaim_dirty(void)
{
    spin_assert_held(&kvmap_lock);
    uint64_t flushed = epoch_flushed_everywhere();
    struct vrange *r;
    while ((r = list_first(&dirty_ranges, struct vrange, link)) && r->epoch <= flushed) {
        list_remove(&r->link);
        dirty_count--;
        give_back_range(r->start, r->pages);
        note_free(r);
    }
}

/* Park a freed range until the other CPUs have flushed it (kvmap_tick). kvmap_lock held. */
static void park_dirty(uint64_t start, uint64_t pages)
{
    struct vrange *r = note_new();
    if (!r) {
        kprintf("kvmap: out of memory; %lu pages of address space lost\n", pages);
        return;
    }
    *r = (struct vrange){ .start = start, .pages = pages,
                          .epoch = __atomic_add_fetch(&free_epoch, 1, __ATOMIC_RELEASE) };
    list_push_back(&dirty_ranges, &r->link);
    dirty_count++;
}

static void release_run(uint64_t start, size_t pages)
{
    KASSERT(start >= KVMAP_BASE && start + pages * PAGE_SIZE <= KVMAP_BASE + KVMAP_SIZE);
    spin_lock(&kvmap_lock);
    if (smp_cpu_count() > 1)
        park_dirty(start, pages + GUARD_PAGES);
    else
        give_back_range(start, pages + GUARD_PAGES);    /* this CPU's INVLPGs were all it needed */
    spin_unlock(&kvmap_lock);
}

/* Address space for pages and their guard; 0 if none is left. */
static uint64_t reserve_run(size_t pages)
{
    spin_lock(&kvmap_lock);
    reclaim_dirty();
    uint64_t start = take_range(pages + GUARD_PAGES);
    spin_unlock(&kvmap_lock);
    return start;
}

bool kvmap_settled(void)
{
    return kvmap_lazy_frees() == 0;
}

uint64_t kvmap_lazy_frees(void)
{
    spin_lock(&kvmap_lock);
    reclaim_dirty();
    uint64_t n = dirty_count;
    spin_unlock(&kvmap_lock);
    return n;
}

void kvmap_tick(void)
{
    unsigned self = cpu_id();
    uint64_t freed = __atomic_load_n(&free_epoch, __ATOMIC_ACQUIRE);
    if (__atomic_load_n(&flushed_epoch[self], __ATOMIC_RELAXED) >= freed)
        return;
    mmu_flush_kernel_all();
    __atomic_store_n(&flushed_epoch[self], freed, __ATOMIC_RELEASE);
    spin_lock(&kvmap_lock);     /* the ranges every CPU has now flushed go back (and their notes) */
    reclaim_dirty();
    spin_unlock(&kvmap_lock);
}

void *kvmap_alloc(size_t pages)
{
    uint64_t start = reserve_run(pages);
    if (!start)
        return NULL;
    for (size_t i = 0; i < pages; i++) {
        uint64_t pa = pmm_alloc_page();
        if (!pa || mmu_map(kernel_root, start + i * PAGE_SIZE, pa, MMU_WRITE | MMU_GLOBAL) != 0) {
            if (pa)
                pmm_free_page(pa);
            unmap_pages(start, i, true);
            release_run(start, pages);
            return NULL;
        }
    }
    return (void *)start;
}

void kvmap_free(void *start, size_t pages)
{
    unmap_pages((uint64_t)start, pages, true);
    release_run((uint64_t)start, pages);
}

/* The pages that cover [pa, pa + size). */
static size_t pages_spanned(uint64_t pa, size_t size)
{
    uint64_t first = pa & ~(uint64_t)(PAGE_SIZE - 1);
    return (pa + size - first + PAGE_SIZE - 1) / PAGE_SIZE;
}

void *kvmap_map_phys(uint64_t pa, size_t size, unsigned flags)
{
    KASSERT(size > 0 && !(flags & (MMU_USER | MMU_EXEC | MMU_NOACCESS)));
    uint64_t first = pa & ~(uint64_t)(PAGE_SIZE - 1);
    size_t pages = pages_spanned(pa, size);
    uint64_t start = reserve_run(pages);
    if (!start)
        return NULL;
    for (size_t i = 0; i < pages; i++) {
        if (mmu_map(kernel_root, start + i * PAGE_SIZE, first + i * PAGE_SIZE, flags | MMU_GLOBAL) != 0) {
            unmap_pages(start, i, false);
            release_run(start, pages);
            return NULL;
        }
    }
    return (void *)(start + (pa - first));
}

void kvmap_unmap_phys(void *va, size_t size)
{
    uint64_t addr = (uint64_t)va, start = addr & ~(uint64_t)(PAGE_SIZE - 1);
    size_t pages = pages_spanned(addr, size);
    unmap_pages(start, pages, false);
    release_run(start, pages);
}
