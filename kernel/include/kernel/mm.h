/*
 * Physical memory: the direct map and the page allocator.
 *
 * Every physical page is reachable at phys + DIRECT_MAP_BASE (see
 * arch/layout.h).  The page allocator hands out single 4 KiB pages from a
 * free list threaded through the free pages themselves: O(1) both ways.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <arch/layout.h>
#include <stdbool.h>
#include <stdint.h>

static inline void *phys_to_virt(uint64_t phys) { return (void *)(phys + DIRECT_MAP_BASE); }
static inline uint64_t virt_to_phys(const void *virt) { return (uint64_t)virt - DIRECT_MAP_BASE; }

/* Kernel image bounds, from linker.ld. */
extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_start[], __bss_end[], __kernel_end[];

/*
 * Bring up the allocator in two steps: first with the RAM the boot page
 * tables map (below BOOT_MAPPED_BYTES), then, once vm_init() has mapped
 * all of it, with the rest.
 */
void pmm_init_low(void);
void pmm_init_high(void);

/* A page's physical address, or 0 when memory is exhausted.  Contents undefined. */
uint64_t pmm_alloc_page(void);
/* The same, filled with zeros. */
uint64_t pmm_alloc_zeroed_page(void);
/* Give back a page from pmm_alloc_page; panics on a double free or a foreign page. */
void pmm_free_page(uint64_t phys);

/*
 * References to a page (struct page): the address spaces that map it, for
 * a user page that copy-on-write fork shares.  A page from pmm_alloc_page
 * has one; pmm_page_share adds one (the page has at least one already);
 * pmm_page_release drops one and frees the page with the last, returning
 * true then.  pmm_free_page wants a page with at most one.  Any context.
 */
struct page {
    uint32_t refs;              /* [atomic] */
    /*
     * [atomic] For a page-table page, the arch layer's summary of which of
     * its entries may be in use (arch/x86_64/mmu.c), so walks skip the
     * empty stretches without reading them.
     */
    uint32_t table_groups;
};

/* The table_groups word of page phys. */
uint32_t *pmm_page_table_groups(uint64_t phys);

/* The page array: the struct page of every page of RAM, by physical page number (kernel/pmm.c). */
extern struct page *pmm_page_array;

/* pmm_page_share with its checks (a page of RAM, one that has a reference already): the debug build's. */
void pmm_page_share_checked(uint64_t phys);

/* One more reference on page phys, which has one already (fork takes one per page: inline). */
static inline void pmm_page_share(uint64_t phys)
{
#ifdef KERNEL_DEBUG
    pmm_page_share_checked(phys);
#else
    __atomic_fetch_add(&pmm_page_array[phys / PAGE_SIZE].refs, 1, __ATOMIC_RELAXED);
#endif
}
/* pmm_page_release with its checks (a page of RAM): the debug build's. */
bool pmm_page_release_checked(uint64_t phys);

/* Free page phys, whose last reference was just dropped (pmm_page_release's slow path). */
void pmm_free_released(uint64_t phys);

/* Drop a reference on page phys and free it with the last: true if it was freed (inline: exit drops one per page). */
static inline bool pmm_page_release(uint64_t phys)
{
#ifdef KERNEL_DEBUG
    return pmm_page_release_checked(phys);
#else
    if (__atomic_sub_fetch(&pmm_page_array[phys / PAGE_SIZE].refs, 1, __ATOMIC_ACQ_REL))
        return false;
    pmm_free_released(phys);
    return true;
#endif
}
uint32_t pmm_page_refs(uint64_t phys);

struct pmm_stats {
    uint64_t ram_bytes;         /* all RAM the memory map reports */
    uint64_t managed_pages;     /* pages the allocator owns */
    uint64_t free_pages;        /* of those, free now */
    uint64_t reserved_pages;    /* whole RAM pages kept out: low 1 MiB, kernel, modules, boot info */
    uint64_t partial_bytes;     /* RAM in pieces smaller than a page at region edges */
};

void pmm_get_stats(struct pmm_stats *s);
uint64_t pmm_free_count(void);

#endif
