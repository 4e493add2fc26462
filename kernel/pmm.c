/*
 * The physical page allocator.
 *
 * Free pages form a singly linked list threaded through the pages
 * themselves (reached by the direct map), so alloc and free are O(1) and
 * need no memory of their own.  A free page also carries a magic word so a
 * second free of the same page is caught.
 *
 * Beside them, one struct page per physical page up to the end of RAM,
 * an array placed at boot in low RAM: the number of address spaces that
 * map a user page, which copy-on-write fork shares (kernel/vm.c).  A page
 * comes out of the allocator with one reference.
 */
#include <kernel/boot.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <lib/string.h>

#define LOW_MEMORY_END   0x100000               /* below 1 MiB: BIOS, VGA, option ROMs */
#define FREE_PAGE_MAGIC  0x46524545504147ddull  /* "FREEPAG" + a non-ASCII byte */
#define MAX_RESERVED     (4 + BOOT_MAX_MODULES) /* low memory, kernel, boot info, modules, pages[] */

struct free_page {
    struct free_page *next;
    uint64_t magic;
};

struct range { uint64_t start, end; };

static struct spinlock pmm_lock = SPINLOCK_INIT("pmm", LOCK_RANK_PMM);
static struct free_page *free_list;     /* [pmm_lock] */
static struct pmm_stats stats;          /* [pmm_lock] */
static uint64_t highest_ram;            /* end of the highest RAM page we manage */
static struct range reserved[MAX_RESERVED];
static int reserved_count;
struct page *pmm_page_array;            /* one per page of [0, page_array_end); refs [atomic] */
static uint64_t page_array_end;

static uint64_t page_down(uint64_t a) { return a & ~(uint64_t)(PAGE_SIZE - 1); }
static uint64_t page_up(uint64_t a)   { return page_down(a + PAGE_SIZE - 1); }

static void reserve(uint64_t start, uint64_t end)
{
    KASSERT(reserved_count < MAX_RESERVED);
    reserved[reserved_count++] = (struct range){ page_down(start), page_up(end) };
}

static void collect_reserved(void)
{
    reserve(0, LOW_MEMORY_END);
    reserve(KERNEL_LOAD_PHYS, (uint64_t)__kernel_end - KERNEL_VMA);
    reserve(boot_info.info_start, boot_info.info_end);
    for (int i = 0; i < boot_info.module_count; i++)
        reserve(boot_info.modules[i].start, boot_info.modules[i].end);
}

/* The reserved range overlapping [start, end) that starts lowest, or NULL. */
static const struct range *first_reserved_in(uint64_t start, uint64_t end)
{
    const struct range *best = NULL;
    for (int i = 0; i < reserved_count; i++) {
        const struct range *r = &reserved[i];
        if (r->start < end && r->end > start && (!best || r->start < best->start))
            best = r;
    }
    return best;
}

static void free_range(uint64_t start, uint64_t end)
{
    if (end > highest_ram)
        highest_ram = end;
    for (uint64_t p = start; p < end; p += PAGE_SIZE) {
        stats.managed_pages++;
        pmm_free_page(p);
    }
}

/* Hand the page-aligned RAM [start, end) to the allocator, less the reserved ranges. */
static void add_ram(uint64_t start, uint64_t end)
{
    while (start < end) {
        const struct range *r = first_reserved_in(start, end);
        if (!r) {
            free_range(start, end);
            return;
        }
        uint64_t skip_from = r->start > start ? r->start : start;
        uint64_t skip_to = r->end < end ? r->end : end;
        free_range(start, skip_from);
        stats.reserved_pages += (skip_to - skip_from) / PAGE_SIZE;
        start = skip_to;
    }
}

/* Add the part of every RAM region that lies in [lo, hi). */
static void add_regions_between(uint64_t lo, uint64_t hi)
{
    for (int i = 0; i < boot_info.region_count; i++) {
        const struct boot_region *r = &boot_info.regions[i];
        if (r->type != BOOT_REGION_RAM)
            continue;
        uint64_t s = r->start > lo ? r->start : lo;
        uint64_t e = r->end < hi ? r->end : hi;
        if (s >= e)
            continue;
        stats.ram_bytes += e - s;
        uint64_t as = page_up(s), ae = page_down(e);
        if (as >= ae) {
            stats.partial_bytes += e - s;
            continue;
        }
        stats.partial_bytes += (as - s) + (e - ae);
        add_ram(as, ae);
    }
}

/* The end of the highest RAM region, mapped or not yet. */
static uint64_t ram_top(void)
{
    uint64_t top = 0;
    for (int i = 0; i < boot_info.region_count; i++) {
        const struct boot_region *r = &boot_info.regions[i];
        if (r->type == BOOT_REGION_RAM && page_down(r->end) > top)
            top = page_down(r->end);
    }
    return top;
}

/* The lowest page-aligned start of size bytes of RAM in [LOW_MEMORY_END, BOOT_MAPPED_BYTES) clear of reservations; 0 if none. */
static uint64_t find_low_ram(uint64_t size)
{
    for (int i = 0; i < boot_info.region_count; i++) {
        const struct boot_region *r = &boot_info.regions[i];
        uint64_t end = page_down(r->end < BOOT_MAPPED_BYTES ? r->end : BOOT_MAPPED_BYTES);
        if (r->type != BOOT_REGION_RAM)
            continue;
        uint64_t start = page_up(r->start > LOW_MEMORY_END ? r->start : LOW_MEMORY_END);
        const struct range *in_way;
        while (start + size <= end && (in_way = first_reserved_in(start, start + size)))
            start = in_way->end;        /* reserved ranges are page aligned */
        if (start + size <= end)
            return start;
    }
    return 0;
}

/* Place the page array in low RAM (mapped from the start), zeroed: no page has a reference yet. */
static void place_page_array(void)
{
    page_array_end = ram_top();
    uint64_t size = page_up(page_array_end / PAGE_SIZE * sizeof(struct page));
    uint64_t start = find_low_ram(size);
    if (!start)
        panic("pmm: no %lu bytes of low RAM for the page array", size);
    reserve(start, start + size);
    pmm_page_array = phys_to_virt(start);
    memset(pmm_page_array, 0, size);
}

void pmm_init_low(void)
{
    collect_reserved();
    place_page_array();
    add_regions_between(0, BOOT_MAPPED_BYTES);
}

void pmm_init_high(void)
{
    add_regions_between(BOOT_MAPPED_BYTES, UINT64_MAX);
}

static struct page *page_of(uint64_t phys)
{
    KASSERT(phys < page_array_end);
    return &pmm_page_array[phys / PAGE_SIZE];
}

uint64_t pmm_alloc_page(void)
{
    spin_lock(&pmm_lock);
    struct free_page *p = free_list;
    if (p) {
        free_list = p->next;
        p->magic = 0;
        stats.free_pages--;
    }
    spin_unlock(&pmm_lock);
    if (!p)
        return 0;
    uint64_t phys = virt_to_phys(p);
    __atomic_store_n(&page_of(phys)->refs, 1, __ATOMIC_RELAXED);
    return phys;
}

uint64_t pmm_alloc_zeroed_page(void)
{
    uint64_t phys = pmm_alloc_page();
    if (phys)
        memset(phys_to_virt(phys), 0, PAGE_SIZE);
    return phys;
}

/* Put a page whose references are gone back on the free list. */
static void free_to_list(uint64_t phys)
{
    if ((phys & (PAGE_SIZE - 1)) || phys < LOW_MEMORY_END || phys >= highest_ram)
        panic("pmm_free_page: %#lx is not a page we manage", phys);
    struct free_page *p = phys_to_virt(phys);
    spin_lock(&pmm_lock);
    if (p->magic == FREE_PAGE_MAGIC)
        panic("pmm_free_page: double free of %#lx", phys);
    p->magic = FREE_PAGE_MAGIC;
    p->next = free_list;
    free_list = p;
    stats.free_pages++;
    spin_unlock(&pmm_lock);
}

void pmm_free_page(uint64_t phys)
{
    struct page *pg = phys < page_array_end ? &pmm_page_array[phys / PAGE_SIZE] : NULL;     /* free_to_list says if not ours */
    uint32_t refs = pg ? __atomic_exchange_n(&pg->refs, 0, __ATOMIC_RELAXED) : 0;
    if (refs > 1)
        panic("pmm_free_page: %#lx still has %u references", phys, refs);
    free_to_list(phys);
}

void pmm_get_stats(struct pmm_stats *s)
{
    spin_lock(&pmm_lock);
    *s = stats;
    spin_unlock(&pmm_lock);
}

uint64_t pmm_free_count(void)
{
    return stats.free_pages;    /* one aligned load: no lock needed */
}

void pmm_page_share_checked(uint64_t phys)
{
    uint32_t before = __atomic_fetch_add(&page_of(phys)->refs, 1, __ATOMIC_RELAXED);
    KASSERT(before > 0);
}

bool pmm_page_release_checked(uint64_t phys)
{
    uint32_t after = __atomic_sub_fetch(&page_of(phys)->refs, 1, __ATOMIC_ACQ_REL);
    if (after)
        return false;
    free_to_list(phys);
    return true;
}

void pmm_free_released(uint64_t phys)
{
    free_to_list(phys);
}

uint32_t *pmm_page_table_groups(uint64_t phys)
{
    return &page_of(phys)->table_groups;
}

uint32_t pmm_page_refs(uint64_t phys)
{
    return __atomic_load_n(&page_of(phys)->refs, __ATOMIC_ACQUIRE);
}
