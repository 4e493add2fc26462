/*
 * The kernel mapping area's address allocator: a list of free ranges
 * sorted by address, first fit, merged with their neighbours on free.
 * Runs are allocated with one extra page of address space, never mapped:
 * the guard.  A run holds fresh pages (kvmap_alloc) or a range of physical
 * memory the allocator does not own: firmware tables, device registers
 * (kvmap_map_phys).
 */
#include <arch/layout.h>
#include <arch/mmu.h>
#include <kernel/heap.h>
#include <kernel/kvmap.h>
#include <kernel/list.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

#define GUARD_PAGES 1

struct vrange {
    struct list_node link;      /* in free_ranges, by address */
    uint64_t start;
    uint64_t pages;
};

/* Lock order: kvmap_lock, then the heap's (range nodes come from kmalloc), then pmm's. */
static struct spinlock kvmap_lock = SPINLOCK_INIT("kvmap", LOCK_RANK_KVMAP);
static struct list_node free_ranges = LIST_INIT(free_ranges);   /* [kvmap_lock] */
/* The initial range; it ends where the area ends, so it is always the last one in the list. */
static struct vrange whole_area = { .start = KVMAP_BASE, .pages = KVMAP_SIZE / PAGE_SIZE };
static bool initialized;                                        /* [kvmap_lock] */

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
                kfree(r);
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
            kfree(before);
        }
        return;
    }
    if (joins_before) {
        before->pages += pages;
        return;
    }
    struct vrange *r = kmalloc(sizeof *r);
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

/* Address space for pages and their guard; 0 if none is left. */
static uint64_t reserve_run(size_t pages)
{
    spin_lock(&kvmap_lock);
    uint64_t start = take_range(pages + GUARD_PAGES);
    spin_unlock(&kvmap_lock);
    return start;
}

static void release_run(uint64_t start, size_t pages)
{
    KASSERT(start >= KVMAP_BASE && start + pages * PAGE_SIZE <= KVMAP_BASE + KVMAP_SIZE);
    spin_lock(&kvmap_lock);
    give_back_range(start, pages + GUARD_PAGES);
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
