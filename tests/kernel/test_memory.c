/* In-kernel tests of the page allocator, the heap and the page tables. */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/affinity.h>
#include <kernel/boot.h>
#include <kernel/heap.h>
#include <kernel/kvmap.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <lib/string.h>

#define ROUND_TRIP_PAGES   1000
#define HEAP_OPERATIONS    10000
#define HEAP_SLOTS         256
#define HEAP_MAX_OBJECT    (3 * PAGE_SIZE)
#define TEST_USER_VA       0x400000

/* A range covered by RAM regions alone: not by the reserved region at i. */
static bool reserved_alone(int i)
{
    const struct boot_region *r = &boot_info.regions[i];
    for (int j = 0; j < boot_info.region_count; j++)
        if (boot_info.regions[j].type == BOOT_REGION_RAM && boot_info.regions[j].start <= r->start &&
            boot_info.regions[j].end > r->start)
            return false;
    return true;
}

/* boot_range_is_ram against the firmware's own map (BIOS or UEFI: the test runs under both). */
bool test_boot_range_is_ram(void)
{
    uint64_t highest = 0;
    int reserved_checked = 0;
    KTEST_CHECK(boot_range_is_ram(PAGE_SIZE, PAGE_SIZE), "an empty range is not RAM");
    for (int i = 0; i < boot_info.region_count; i++) {
        const struct boot_region *r = &boot_info.regions[i];
        if (r->start >= r->end)
            continue;
        if (r->type == BOOT_REGION_RAM) {
            KTEST_CHECK(boot_range_is_ram(r->start, r->end), "RAM region %#lx-%#lx is not RAM", r->start, r->end);
            highest = r->end > highest ? r->end : highest;
            /* with the next region if it is RAM that starts where this one ends: both at once */
            for (int j = 0; j < boot_info.region_count; j++)
                if (boot_info.regions[j].type == BOOT_REGION_RAM && boot_info.regions[j].start == r->end &&
                    boot_info.regions[j].end > r->end)
                    KTEST_CHECK(boot_range_is_ram(r->start, boot_info.regions[j].end),
                                "touching RAM regions %#lx-%#lx-%#lx", r->start, r->end, boot_info.regions[j].end);
        } else if (reserved_alone(i)) {
            KTEST_CHECK(!boot_range_is_ram(r->start, r->end), "reserved %#lx-%#lx is RAM", r->start, r->end);
            reserved_checked++;
        }
    }
    KTEST_CHECK(highest > 0 && !boot_range_is_ram(highest - PAGE_SIZE, highest + PAGE_SIZE),
                "the page past the highest RAM (%#lx) is RAM", highest);
    KTEST_CHECK(reserved_checked > 0, "no reserved region to check");
    return true;
}

bool test_memory_map_adds_up(void)
{
    struct pmm_stats s;
    pmm_get_stats(&s);
    KTEST_CHECK(s.managed_pages > 0, "no pages managed");
    KTEST_CHECK(s.free_pages <= s.managed_pages, "%lu free of %lu managed", s.free_pages, s.managed_pages);
    uint64_t accounted = (s.managed_pages + s.reserved_pages) * PAGE_SIZE + s.partial_bytes;
    KTEST_CHECK(accounted == s.ram_bytes, "RAM %lu bytes, accounted %lu", s.ram_bytes, accounted);
    uint64_t kernel_pages = ((uint64_t)__kernel_end - KERNEL_VMA - KERNEL_LOAD_PHYS) / PAGE_SIZE;
    KTEST_CHECK(s.reserved_pages >= kernel_pages, "%lu reserved pages cannot hold a %lu-page kernel",
                s.reserved_pages, kernel_pages);
    return true;
}

bool test_pmm_round_trip(void)
{
    static uint64_t pages[ROUND_TRIP_PAGES];
    uint64_t before = pmm_free_count();
    for (int i = 0; i < ROUND_TRIP_PAGES; i++) {
        pages[i] = pmm_alloc_page();
        KTEST_CHECK(pages[i] != 0, "allocation %d failed", i);
        KTEST_CHECK((pages[i] & (PAGE_SIZE - 1)) == 0, "page %#lx not aligned", pages[i]);
        memset(phys_to_virt(pages[i]), i & 0xff, PAGE_SIZE);
    }
    KTEST_CHECK(pmm_free_count() == before - ROUND_TRIP_PAGES, "free count off after allocation");
    for (int i = 0; i < ROUND_TRIP_PAGES; i++) {
        const uint8_t *p = phys_to_virt(pages[i]);
        KTEST_CHECK(p[0] == (i & 0xff) && p[PAGE_SIZE - 1] == (i & 0xff),
                    "page %d overwritten: two allocations share it", i);
    }
    for (int i = 0; i < ROUND_TRIP_PAGES; i++)
        pmm_free_page(pages[i]);
    KTEST_CHECK(pmm_free_count() == before, "free count %lu, was %lu", pmm_free_count(), before);
    return true;
}

/* Take every free page (chained through themselves), then give all back. */
bool test_pmm_exhaust(void)
{
    uint64_t before = pmm_free_count(), taken = 0, chain = 0, pa;
    while ((pa = pmm_alloc_page()) != 0) {
        *(uint64_t *)phys_to_virt(pa) = chain;
        chain = pa;
        taken++;
    }
    KTEST_CHECK(taken == before, "took %lu pages of %lu free", taken, before);
    KTEST_CHECK(pmm_free_count() == 0, "allocator still reports %lu free", pmm_free_count());
    while (chain) {
        uint64_t next = *(uint64_t *)phys_to_virt(chain);
        pmm_free_page(chain);
        chain = next;
    }
    KTEST_CHECK(pmm_free_count() == before, "free count %lu, was %lu", pmm_free_count(), before);
    return true;
}

struct heap_slot {
    uint8_t *p;
    size_t size;
    uint8_t fill;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)       /* xorshift64: reproducible from run to run */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static size_t random_size(void)
{
    switch (rng() % 8) {        /* mostly small, some medium, a few multi-page */
    case 0: return 1 + rng() % HEAP_MAX_OBJECT;
    case 1: case 2: return 1 + rng() % 2048;
    default: return 1 + rng() % 128;
    }
}

static bool intact(const struct heap_slot *s)
{
    for (size_t i = 0; i < s->size; i++)
        if (s->p[i] != s->fill)
            return false;
    return true;
}

bool test_heap_random(void)
{
    static struct heap_slot slots[HEAP_SLOTS];
    KTEST_CHECK(ktest_settle(), "kernel ranges freed earlier still wait for a flush");
    uint64_t pages_before = pmm_free_count(), tables_before = mmu_table_pages();
    struct heap_stats hs_before;
    heap_get_stats(&hs_before);
    for (int op = 0; op < HEAP_OPERATIONS; op++) {
        struct heap_slot *s = &slots[rng() % HEAP_SLOTS];
        if (s->p) {
            KTEST_CHECK(intact(s), "op %d: a %zu-byte object was overwritten", op, s->size);
            kfree(s->p);
            s->p = NULL;
            continue;
        }
        s->size = random_size();
        s->fill = (uint8_t)(op | 1);
        s->p = kmalloc(s->size);
        KTEST_CHECK(s->p != NULL, "op %d: kmalloc(%zu) failed", op, s->size);
        KTEST_CHECK(((uint64_t)s->p & 15) == 0, "op %d: %p not 16-byte aligned", op, s->p);
        memset(s->p, s->fill, s->size);
    }
    for (int i = 0; i < HEAP_SLOTS; i++) {
        if (slots[i].p) {
            KTEST_CHECK(intact(&slots[i]), "slot %d overwritten", i);
            kfree(slots[i].p);
            slots[i].p = NULL;
        }
    }
    KTEST_CHECK(ktest_settle(), "freed kernel ranges still wait for a flush");
    struct heap_stats hs;
    heap_get_stats(&hs);
    KTEST_CHECK(hs.live_objects == hs_before.live_objects, "%lu objects still live", hs.live_objects);
    /* The kernel keeps page tables it made for the mapping area: the only pages allowed to stay. */
    uint64_t tables_kept = mmu_table_pages() - tables_before;
    KTEST_CHECK(pmm_free_count() + tables_kept == pages_before, "free pages %lu + %lu new page tables, was %lu",
                pmm_free_count(), tables_kept, pages_before);
    return true;
}

bool test_heap_large(void)
{
    KTEST_CHECK(ktest_settle(), "kernel ranges freed earlier still wait for a flush");
    uint64_t before = pmm_free_count();
    size_t size = 16 * PAGE_SIZE;
    uint8_t *p = kmalloc(size);
    KTEST_CHECK(p != NULL, "kmalloc(%zu) failed", size);
    memset(p, 0x5c, size);
    uint64_t pa;
    unsigned flags;
    KTEST_CHECK(mmu_translate(kernel_root, (uint64_t)p + size - 1, &pa, &flags), "end not mapped");
    KTEST_CHECK(flags & MMU_WRITE, "large object not writable");
    uint64_t guard = ((uint64_t)p + size + 16 + PAGE_SIZE) & ~(uint64_t)(PAGE_SIZE - 1);
    KTEST_CHECK(!mmu_translate(kernel_root, guard, &pa, &flags), "no guard page after the object");
    kfree(p);
    KTEST_CHECK(ktest_settle(), "the freed range still waits for a flush");
    KTEST_CHECK(pmm_free_count() == before, "free pages %lu, was %lu", pmm_free_count(), before);
    uint8_t *z = kzalloc(100);
    KTEST_CHECK(z != NULL, "kzalloc failed");
    for (int i = 0; i < 100; i++)
        KTEST_CHECK(z[i] == 0, "kzalloc byte %d is %u", i, z[i]);
    kfree(z);
    return true;
}

bool test_mmu_map_translate(void)
{
    uint64_t before = pmm_free_count();
    uint64_t root = mmu_new_root();
    KTEST_CHECK(root != 0, "mmu_new_root failed");
    uint64_t page = pmm_alloc_page();
    KTEST_CHECK(mmu_map(root, TEST_USER_VA, page, MMU_USER | MMU_WRITE) == 0, "mmu_map failed");
    KTEST_CHECK(mmu_map(root, TEST_USER_VA, page, MMU_USER) != 0, "mapping twice succeeded");
    uint64_t pa;
    unsigned flags;
    KTEST_CHECK(mmu_translate(root, TEST_USER_VA + 123, &pa, &flags), "mapping not found");
    KTEST_CHECK(pa == page + 123, "translated to %#lx, expected %#lx", pa, page + 123);
    KTEST_CHECK((flags & (MMU_USER | MMU_WRITE)) == (MMU_USER | MMU_WRITE), "flags %#x", flags);
    KTEST_CHECK(!mmu_translate(kernel_root, TEST_USER_VA, &pa, &flags), "user page leaked into the kernel root");
    KTEST_CHECK(mmu_translate(root, (uint64_t)__text_start, &pa, &flags), "kernel half not shared");
    KTEST_CHECK(mmu_unmap(root, TEST_USER_VA) == page, "unmap returned the wrong page");
    KTEST_CHECK(!mmu_translate(root, TEST_USER_VA, &pa, &flags), "still mapped after unmap");
    pmm_free_page(page);
    mmu_free_root(root, NULL, NULL);
    KTEST_CHECK(pmm_free_count() == before, "free pages %lu, was %lu", pmm_free_count(), before);
    return true;
}

static bool check_section(const char *name, const void *addr, unsigned want, unsigned mask)
{
    uint64_t pa;
    unsigned flags;
    if (!mmu_translate(kernel_root, (uint64_t)addr, &pa, &flags))
        return ktest_fail("%s is not mapped", name);
    if ((flags & mask) != want)
        return ktest_fail("%s has flags %#x, want %#x of mask %#x", name, flags, want, mask);
    return true;
}

bool test_kernel_sections_protected(void)
{
    unsigned mask = MMU_WRITE | MMU_USER | (cpu_features.nx ? MMU_EXEC : 0);
    return check_section("text", __text_start, MMU_EXEC & mask, mask) &&
           check_section("rodata", __rodata_start, 0, mask) &&
           check_section("data", __data_start, MMU_WRITE, mask) &&
           check_section("bss", (const void *)((uint64_t)__bss_end - 1), MMU_WRITE, mask) &&
           check_section("direct map", phys_to_virt(0x100000), MMU_WRITE, mask);
}

/* ---- the kernel's page tables, grown by two CPUs at once ---- */

#define RACE_SIDES      2       /* racing threads, on CPUs 0 and 1 (both on 0 with one CPU) */
#define RACE_RUNS       2048    /* 1-page runs per side: with guards, 16 MiB of fresh mapping area */
#define RACE_START_NS   NSEC_PER_SEC

static void *race_runs[RACE_SIDES][RACE_RUNS];
static volatile int race_ready, race_done;

/* Both sides start together (or after a second), then map runs as fast as they can. */
static void map_runs(void *arg)
{
    void **runs = race_runs[(uint64_t)arg];
    __atomic_fetch_add(&race_ready, 1, __ATOMIC_SEQ_CST);
    uint64_t start = clock_monotonic_ns();
    while (race_ready < RACE_SIDES && clock_monotonic_ns() - start < RACE_START_NS)
        cpu_relax();
    for (int i = 0; i < RACE_RUNS; i++)
        runs[i] = kvmap_alloc(1);
    __atomic_fetch_add(&race_done, 1, __ATOMIC_SEQ_CST);
}

/*
 * Two CPUs mapping kernel pages in a 2 MiB of the mapping area that has no
 * page table yet: each made one and stored it in the same directory entry,
 * and the mappings in the table that lost vanished (a double fault
 * switching to a thread whose kernel stack was gone, seen once on two
 * CPUs).  Every run mapped here must stay mapped.
 */
bool test_kvmap_tables_race(void)
{
    race_ready = race_done = 0;
    for (uint64_t side = 0; side < RACE_SIDES; side++)
        KTEST_CHECK(ktest_thread_on(side < cpus_online_count() ? (unsigned)side : BOOT_CPU, map_runs, (void *)side),
                    "thread_create failed");
    KTEST_CHECK(ktest_wait_for(&race_done, RACE_SIDES), "the mapping threads did not finish");
    int lost = 0, failed = 0;
    uint64_t first_lost = 0, pa;
    unsigned flags;
    for (int side = 0; side < RACE_SIDES; side++) {
        for (int i = 0; i < RACE_RUNS; i++) {
            uint64_t va = (uint64_t)race_runs[side][i];
            if (!va) {
                failed++;
                continue;
            }
            if (!mmu_translate(kernel_root, va, &pa, &flags)) {
                first_lost = first_lost ? first_lost : va;
                lost++;
                continue;               /* its frame is lost with its table: nothing to free */
            }
            kvmap_free((void *)va, 1);
        }
    }
    KTEST_CHECK(!failed, "%d of %d kvmap_alloc calls failed", failed, RACE_SIDES * RACE_RUNS);
    KTEST_CHECK(!lost, "%d of %d runs lost their mapping, the first at %#lx", lost, RACE_SIDES * RACE_RUNS,
                first_lost);
    return true;
}
