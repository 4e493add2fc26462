/*
 * x86-64 4-level paging: PML4 -> PDPT -> PD -> PT, 512 entries each, 9
 * address bits per level.  The direct map uses 2 MiB pages (PS bit in the
 * PD entry); everything else uses 4 KiB pages.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <kernel/counters.h>
#include <kernel/errno.h>
#include <stddef.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/trace.h>
#include <lib/string.h>
#include "mmu_cpu.h"
#include "x86.h"

#define PTE_PRESENT     (1ull << 0)
#define PTE_WRITE       (1ull << 1)
#define PTE_USER        (1ull << 2)
#define PTE_PWT         (1ull << 3)     /* write-through; with PCD: PAT entry 3, uncached */
#define PTE_PCD         (1ull << 4)     /* cache disabled */
#define PTE_LARGE       (1ull << 7)     /* in a PD entry: a 2 MiB page */
#define PTE_GLOBAL      (1ull << 8)
#define PTE_PROTNONE    (1ull << 9)     /* software, in a leaf that is not present: MMU_NOACCESS */
#define PTE_COW         (1ull << 10)    /* software: MMU_COW, never with PTE_WRITE */
#define PTE_NX          (1ull << 63)
#define PTE_ADDR_MASK   0x000ffffffffff000ull
#define LARGE_ADDR_MASK 0x000fffffffe00000ull

#define PT_ENTRIES      512
#define LEVELS          4
#define KERNEL_HALF_FIRST_SLOT (PT_ENTRIES / 2)

typedef uint64_t pte_t;

uint64_t kernel_root;
static pte_t nx_bit;            /* PTE_NX if the CPU has NX, else 0 (the bit is reserved) */
static pte_t global_bit;        /* PTE_GLOBAL if the CPU has PGE */
/*
 * Page-table pages allocated and not yet freed.  [atomic]: each address
 * space's tables change under its own vm lock, so two CPUs count at once.
 */
static uint64_t table_pages;

/*
 * Which entries of a table may be in use: bit g of its page's
 * table_groups word (struct page) covers entries GROUP_ENTRIES * g and the
 * next GROUP_ENTRIES - 1.  Set (atomically: the kernel half's tables have
 * no lock) whenever an entry of the group is written non-zero; cleared by
 * visit when it finds the group empty.  A walk over a table looks at its
 * set groups only: a process's tables are mostly empty, and fork, exit
 * and munmap walk them.
 */
#define GROUP_ENTRIES   (PT_ENTRIES / 32)
_Static_assert(PT_ENTRIES / GROUP_ENTRIES == 32, "a bit per group in 32 bits");

static uint32_t *groups_of(const pte_t *t)
{
    return pmm_page_table_groups(virt_to_phys(t));
}

/* Store value in entry i of table t, noting its group in use. */
static void set_entry(pte_t *t, unsigned i, pte_t value)
{
    t[i] = value;
    __atomic_fetch_or(groups_of(t), 1u << (i / GROUP_ENTRIES), __ATOMIC_RELAXED);
}

/* The table holding entry e, and e's index in it. */
static pte_t *table_of(pte_t *e, unsigned *index)
{
    pte_t *t = (pte_t *)((uint64_t)e & ~(uint64_t)(PAGE_SIZE - 1));
    *index = (unsigned)(e - t);
    return t;
}

static uint64_t alloc_table(void)
{
    uint64_t page = pmm_alloc_zeroed_page();
    if (page) {
        __atomic_fetch_add(&table_pages, 1, __ATOMIC_RELAXED);
        __atomic_store_n(pmm_page_table_groups(page), 0, __ATOMIC_RELAXED);
    }
    return page;
}

static void free_table_page(uint64_t page)
{
    __atomic_fetch_sub(&table_pages, 1, __ATOMIC_RELAXED);
    pmm_free_page(page);
}

uint64_t mmu_table_pages(void)
{
    return __atomic_load_n(&table_pages, __ATOMIC_RELAXED);
}

static unsigned index_at(uint64_t va, int level)   /* level 4 = PML4 ... 1 = PT */
{
    return (va >> (PAGE_SHIFT + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

static pte_t *table(pte_t entry)
{
    return phys_to_virt(entry & PTE_ADDR_MASK);
}

/* The permission bits of a leaf; an MMU_NOACCESS one keeps them, but is not present. */
static pte_t leaf_bits(unsigned flags)
{
    pte_t e = PTE_PRESENT;
    if (flags & MMU_WRITE)  e |= PTE_WRITE;
    if (flags & MMU_USER)   e |= PTE_USER;
    if (flags & MMU_GLOBAL) e |= global_bit;
    if (!(flags & MMU_EXEC)) e |= nx_bit;
    if (flags & MMU_UNCACHED) e |= PTE_PCD | PTE_PWT;
    if (flags & MMU_COW) {
        KASSERT(!(flags & MMU_WRITE));
        e |= PTE_COW;
    }
    if (flags & MMU_NOACCESS)
        e = (e & ~PTE_PRESENT) | PTE_PROTNONE;
    return e;
}

/* A 4 KiB leaf that maps a page: present, or kept not present (MMU_NOACCESS). Empty leaves are 0. */
static bool leaf_mapped(pte_t e)
{
    return e & (PTE_PRESENT | PTE_PROTNONE);
}

/*
 * The entry for va at level stop_level (1: the PT entry), allocating the
 * tables on the way if create.  NULL if a table is missing (or cannot be
 * allocated), or a large page is in the way.  Intermediate entries are
 * permissive (write, and user below USER_TOP); the leaf decides.
 *
 * A new table goes in with a compare-and-swap: the kernel half has no lock
 * over its tables (each kvmap run is one caller's alone), and two CPUs
 * mapping runs in one 2 MiB that had no table yet each made one; the one
 * stored second replaced the first, and the first's mappings were gone (a
 * kernel stack: a double fault at the switch to its thread).
 */
static pte_t *walk(uint64_t root, uint64_t va, int stop_level, bool create)
{
    pte_t *t = phys_to_virt(root);
    for (int level = LEVELS; level > stop_level; level--) {
        pte_t *e = &t[index_at(va, level)];
        if (!(*e & PTE_PRESENT)) {
            if (!create)
                return NULL;
            uint64_t page = alloc_table();
            if (!page)
                return NULL;
            pte_t empty = 0, made = page | PTE_PRESENT | PTE_WRITE | (va < USER_TOP ? PTE_USER : 0);
            if (__atomic_compare_exchange_n(e, &empty, made, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
                __atomic_fetch_or(groups_of(t), 1u << (index_at(va, level) / GROUP_ENTRIES), __ATOMIC_RELAXED);
            else
                free_table_page(page);  /* another CPU's table got there first: use it */
        } else if (*e & PTE_LARGE) {
            return NULL;
        }
        t = table(*e);
    }
    return &t[index_at(va, stop_level)];
}

static unsigned flags_of(pte_t e)
{
    return ((e & PTE_WRITE) ? MMU_WRITE : 0) | ((e & PTE_USER) ? MMU_USER : 0) |
           ((e & nx_bit) ? 0 : MMU_EXEC) | ((e & PTE_GLOBAL) ? MMU_GLOBAL : 0) |
           ((e & PTE_PROTNONE) ? MMU_NOACCESS : 0) | ((e & PTE_PCD) ? MMU_UNCACHED : 0) |
           ((e & PTE_COW) ? MMU_COW : 0);
}

int mmu_map(uint64_t root, uint64_t va, uint64_t pa, unsigned flags)
{
    pte_t *e = walk(root, va, 1, true);
    if (!e)
        return -ENOMEM;
    if (leaf_mapped(*e))
        return -EEXIST;
    unsigned i;
    pte_t *t = table_of(e, &i);
    set_entry(t, i, (pa & PTE_ADDR_MASK) | leaf_bits(flags));
    return 0;
}

uint64_t mmu_unmap(uint64_t root, uint64_t va)
{
    pte_t *e = walk(root, va, 1, false);
    if (!e || !leaf_mapped(*e))
        return 0;
    uint64_t pa = *e & PTE_ADDR_MASK;
    *e = 0;
    return pa;
}

bool mmu_translate(uint64_t root, uint64_t va, uint64_t *pa, unsigned *flags)
{
    pte_t *t = phys_to_virt(root);
    for (int level = LEVELS; level >= 1; level--) {
        pte_t e = t[index_at(va, level)];
        if (!(level == 1 ? leaf_mapped(e) : (e & PTE_PRESENT)))
            return false;
        bool leaf = level == 1 || (level == 2 && (e & PTE_LARGE));
        if (leaf) {
            uint64_t page_mask = level == 1 ? PAGE_SIZE - 1 : LARGE_PAGE_SIZE - 1;
            *pa = (e & (level == 1 ? PTE_ADDR_MASK : LARGE_ADDR_MASK)) + (va & page_mask);
            *flags = flags_of(e);
            return true;
        }
        t = table(e);
    }
    return false;
}

uint64_t mmu_new_root(void)
{
    uint64_t root = alloc_table();
    if (!root)
        return 0;
    pte_t *dst = phys_to_virt(root);
    const pte_t *src = phys_to_virt(kernel_root);
    memcpy(dst + KERNEL_HALF_FIRST_SLOT, src + KERNEL_HALF_FIRST_SLOT,
           (PT_ENTRIES - KERNEL_HALF_FIRST_SLOT) * sizeof *dst);
    /* The kernel half's groups, all at once (walks never look there: they cover user space only). */
    __atomic_store_n(groups_of(dst), ~0u << (KERNEL_HALF_FIRST_SLOT / GROUP_ENTRIES), __ATOMIC_RELAXED);
    return root;
}


bool mmu_protect(uint64_t root, uint64_t va, unsigned flags)
{
    pte_t *e = walk(root, va, 1, false);
    if (!e || !leaf_mapped(*e))
        return false;
    *e = (*e & PTE_ADDR_MASK) | leaf_bits(flags);
    return true;
}

struct visit {
    uint64_t start, end;        /* the range visited */
    bool release;               /* mmu_free_root: clear each leaf entry and drop its page's reference */
    uint64_t released;          /* mmu_free_root: the pages it unmapped */
    mmu_pause_fn pause;         /* mmu_free_root: called every MMU_PAUSE_PAGES pages */
    bool free_tables;           /* free every table on the way back up (mmu_free_root) */
    mmu_page_fn fn;
    void *ctx;
    /* mmu_copy_range: the copy's root, its leaf table for the table being visited, how, what */
    bool copy;
    uint64_t copy_root;
    pte_t *copy_table;
    bool cow, failed;
    struct mmu_copy_result *copied;
};

/*
 * mmu_copy_range's step for the leaf entry *e at va: into the copy's table
 * at i, with a reference; with cow, marked copy-on-write on both sides,
 * read-only ones too (an mprotect that later adds write must not make a
 * shared page writable).
 */
static void copy_leaf(pte_t *e, unsigned i, uint64_t va, const struct visit *v)
{
    struct mmu_copy_result *r = v->copied;
    /* LAB cow BEGIN */
    if (v->cow && (*e & PTE_WRITE)) {
        if (r->cow_lo == r->cow_hi)     /* pages come in address order: the first is the lowest */
            r->cow_lo = va;
        r->cow_hi = va + PAGE_SIZE;
    }
    if (v->cow)
        *e = (*e & ~PTE_WRITE) | PTE_COW;
    /* LAB cow END */
    /* LAB cow STUB
    KASSERT(!v->cow);                   // lab cow: share the page copy-on-write on both sides
    (void)va;
       LAB cow STUB END */
    v->copy_table[i] = *e;              /* its group: noted for the whole table (visit_table_entry) */
    pmm_page_share(*e & PTE_ADDR_MASK);
    r->pages++;
}

static void visit(pte_t *t, int level, uint64_t base, struct visit *v);

/*
 * The leaf entries [from, to) of table t, whose first page is at base:
 * each page mapped to fn, or copied.  Returns what is left in them, ORed
 * (0: they are all empty now).  The loop fork and exit spend their time in.
 */
static pte_t visit_leaves(pte_t *t, unsigned from, unsigned to, uint64_t base, struct visit *v)
{
    pte_t any = 0;
    for (unsigned i = from; i < to; i++) {
        pte_t e = t[i];
        if (!leaf_mapped(e))
            continue;
        uint64_t va = base + (uint64_t)i * PAGE_SIZE;
        if (v->copy) {
            copy_leaf(&t[i], i, va, v);
        } else if (v->release) {
            t[i] = 0;
            pmm_page_release(e & PTE_ADDR_MASK);
            if (++v->released % MMU_PAUSE_PAGES == 0 && v->pause)
                v->pause(v->ctx);
        } else {
            v->fn(v->ctx, va, e & PTE_ADDR_MASK, flags_of(e));
        }
        any |= t[i];
    }
    return any;
}

/* Entry i of table t (at level > 1, covering from base): the table below it, visited. */
static void visit_table_entry(pte_t *t, unsigned i, int level, uint64_t base, struct visit *v)
{
    pte_t e = t[i];
    if (!(e & PTE_PRESENT) || (e & PTE_LARGE))
        return;
    uint64_t lo = base + i * (1ull << (PAGE_SHIFT + 9 * (level - 1)));
    if (level == 2 && v->copy) {            /* the copy's table for this one: found or made once */
        pte_t *first = walk(v->copy_root, lo, 1, true);
        if (!first) {
            v->failed = true;
            return;
        }
        v->copy_table = first;              /* lo is the table's first address: index 0 */
    }
    visit(table(e), level - 1, lo, v);
    if (level == 2 && v->copy && !v->failed)        /* the copy uses the groups the original does */
        __atomic_fetch_or(groups_of(v->copy_table), __atomic_load_n(groups_of(table(e)), __ATOMIC_RELAXED),
                          __ATOMIC_RELAXED);
    if (v->free_tables && !v->failed) {
        t[i] = 0;
        free_table_page(e & PTE_ADDR_MASK);
    }
}

/*
 * Visit the pages of table t (at level, covering from base) that lie in
 * the range: only the entries inside it, and of those only the groups
 * the table's summary has in use (a group found empty is taken out).
 */
static void visit(pte_t *t, int level, uint64_t base, struct visit *v)
{
    uint64_t span = 1ull << (PAGE_SHIFT + 9 * (level - 1));     /* bytes one entry covers */
    unsigned first = v->start > base ? (unsigned)((v->start - base) / span) : 0;
    uint64_t limit = (v->end - base + span - 1) / span;
    unsigned last = limit < PT_ENTRIES ? (unsigned)limit : PT_ENTRIES;
    if (first >= last)
        return;
    uint32_t *groups = groups_of(t);
    unsigned low = first / GROUP_ENTRIES, high = (last - 1) / GROUP_ENTRIES;
    uint32_t wanted = (uint32_t)((2ull << high) - (1ull << low));
    for (uint32_t m = __atomic_load_n(groups, __ATOMIC_RELAXED) & wanted; m && !v->failed; m &= m - 1) {
        unsigned g = (unsigned)__builtin_ctz(m), start = g * GROUP_ENTRIES, end = start + GROUP_ENTRIES;
        unsigned from = start > first ? start : first, to = end < last ? end : last;
        pte_t any = 0;
        if (level == 1) {
            any = visit_leaves(t, from, to, base, v);
        } else {
            for (unsigned i = from; i < to && !v->failed; i++) {
                visit_table_entry(t, i, level, base, v);
                any |= t[i];
            }
        }
        if (!any && from == start && to == end)
            __atomic_fetch_and(groups, ~(1u << g), __ATOMIC_RELAXED);
    }
}

void mmu_for_each_page(uint64_t root, uint64_t start, uint64_t end, mmu_page_fn fn, void *ctx)
{
    struct visit v = { .start = start, .end = end < USER_TOP ? end : USER_TOP, .fn = fn, .ctx = ctx };
    if (v.start < v.end)
        visit(phys_to_virt(root), LEVELS, 0, &v);
}

int mmu_copy_range(uint64_t src, uint64_t dst, uint64_t start, uint64_t end, bool cow,
                   struct mmu_copy_result *r)
{
    *r = (struct mmu_copy_result){ 0 };
    struct visit v = { .start = start, .end = end < USER_TOP ? end : USER_TOP, .copy = true,
                       .copy_root = dst, .cow = cow, .copied = r };
    if (v.start < v.end)
        visit(phys_to_virt(src), LEVELS, 0, &v);
    return v.failed ? -ENOMEM : 0;
}

uint64_t mmu_free_root(uint64_t root, mmu_pause_fn pause, void *ctx)
{
    KASSERT(root != kernel_root);
    struct visit v = { .end = USER_TOP, .release = true, .pause = pause, .ctx = ctx, .free_tables = true };
    visit(phys_to_virt(root), LEVELS, 0, &v);
    free_table_page(root);
    return v.released;
}

#define CR3_PCID_MASK   ((1ull << PCID_TAG_BITS) - 1)   /* with PCIDs: the tag, in the low bits */

struct mmu_cpu mmu_cpus[CPU_MAX];
bool pcid_on;
struct mmu_space kernel_space;          /* kernel_root, PCID 0 */

void mmu_pcid_init(bool enable, unsigned max_tag)
{
    KASSERT(pcid_max_valid(max_tag));
    if (!enable || !cpu_features.pcid)
        return;
    KASSERT(this_mmu()->active == &kernel_space);       /* CR4.PCIDE needs CR3's PCID bits to be 0 */
    for (int cpu = 0; cpu < CPU_MAX; cpu++)
        pcid_allocator_init(&mmu_cpus[cpu].pcids, max_tag);
    write_cr4(read_cr4() | CR4_PCIDE);
    pcid_on = true;
}

bool mmu_pcid_enabled(void)
{
    return pcid_on;
}

/*
 * The CR3 value that loads s: its root, and with PCIDs its tag as the
 * policy chose it, with the no-flush bit unless the tag must be flushed.
 * The kernel's tables are PCID 0, never flushed: only global entries.
 */
static uint64_t cr3_for(struct mmu_cpu *m, unsigned cpu, struct mmu_space *s)
{
    if (!pcid_on)
        return s->root;
    if (s == &kernel_space)
        return s->root | PCID_KERNEL | CR3_NOFLUSH;
    struct pcid_choice c = pcid_choose(&m->pcids, &s->tags[cpu]);
    KASSERT(c.flush || !c.fresh);       /* the one rule: a recycled PCID is flushed before use */
    KASSERT(c.pcid != PCID_KERNEL && c.pcid <= m->pcids.max);
    if (c.rollover)
        m->stats.pcid_rollovers++;
    if (!c.flush)
        m->stats.pcid_kept++;
    return s->root | c.pcid | (c.flush ? 0 : CR3_NOFLUSH);
}

bool mmu_activate(struct mmu_space *s)
{
    unsigned cpu = cpu_id();
    struct mmu_cpu *m = &mmu_cpus[cpu];
    struct mmu_space *old = m->active;
    if (s == old)
        return false;
    /*
     * Say we use s before choosing its tag: a shootdown on another CPU
     * either sees this bit and asks us, or marked the tag stale before
     * we read it (tlb.c, "the order").
     */
    __atomic_fetch_or(&s->active_on, 1ull << cpu, __ATOMIC_SEQ_CST);
    uint64_t cr3 = cr3_for(m, cpu, s);
    write_cr3(cr3);
    m->active = s;
    if (old)
        __atomic_fetch_and(&old->active_on, ~(1ull << cpu), __ATOMIC_RELEASE);
    m->stats.cr3_writes++;
    if (cr3 & CR3_NOFLUSH)
        m->stats.cr3_noflush++;
    else
        m->stats.cr3_flushes++;
    trace_cr3(cr3 & CR3_PCID_MASK, !(cr3 & CR3_NOFLUSH), cr3 & PTE_ADDR_MASK);
    return true;
}

void mmu_activate_kernel(void)
{
    kernel_space.root = kernel_root;
    mmu_activate(&kernel_space);
}

struct invpcid_descriptor {
    uint64_t pcid;
    uint64_t address;
};

void invpcid_address(uint16_t pcid, uint64_t va)
{
    struct invpcid_descriptor d = { pcid, va };
    __asm__ volatile("invpcid %0, %1" :: "m"(d), "r"((uint64_t)INVPCID_ADDRESS) : "memory");
}

void mmu_flush_page(struct mmu_space *s, uint64_t va)
{
    unsigned cpu = cpu_id();
    struct mmu_cpu *m = &mmu_cpus[cpu];
    if (s == m->active) {
        invlpg(va);
        m->stats.page_flushes++;
    } else if (pcid_on && pcid_invalidate(&m->pcids, &s->tags[cpu], cpu_features.invpcid) ==
                          PCID_INVAL_INVPCID) {
        invpcid_address(s->tags[cpu].pcid, va);
        m->stats.page_flushes++;
    }
}

void mmu_flush_kernel_page(uint64_t va)
{
    invlpg(va);                 /* INVLPG drops global entries too, whatever the PCID */
    this_mmu()->stats.page_flushes++;
}

void mmu_flush_kernel_all(void)
{
    uint64_t cr4 = read_cr4();
    if (!(cr4 & CR4_PGE)) {
        write_cr3(read_cr3());  /* no global pages: a CR3 write drops everything */
    } else {
        write_cr4(cr4 & ~CR4_PGE);      /* turning PGE off drops every entry, global ones too */
        write_cr4(cr4);
    }
    this_mmu()->stats.full_flushes++;
}

/* The counters of every CPU, added up (each CPU's alone: mmu_get_cpu_stats). */
void mmu_get_stats(struct mmu_stats *out)
{
    *out = (struct mmu_stats){ 0 };
    for (int cpu = 0; cpu < CPU_MAX; cpu++)
        COUNTERS_ADD(out, &mmu_cpus[cpu].stats);
}

void mmu_get_cpu_stats(unsigned cpu, struct mmu_stats *out)
{
    KASSERT(cpu < CPU_MAX);
    *out = mmu_cpus[cpu].stats;
}

void mmu_reset_stats(void)
{
    for (int cpu = 0; cpu < CPU_MAX; cpu++)
        mmu_cpus[cpu].stats = (struct mmu_stats){ 0 };
}

uint64_t mmu_active_root(void)
{
    return this_mmu()->active->root;
}

static void map_kernel_range(const char *start, const char *end, unsigned flags)
{
    for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE)
        if (mmu_map(kernel_root, va, va - KERNEL_VMA, flags | MMU_GLOBAL) != 0)
            panic("mmu_init: cannot map the kernel image at %#lx", va);
}

static void map_direct(uint64_t ram_end)
{
    pte_t bits = PTE_PRESENT | PTE_WRITE | PTE_LARGE | global_bit | nx_bit;
    for (uint64_t pa = 0; pa < ram_end; pa += LARGE_PAGE_SIZE) {
        pte_t *e = walk(kernel_root, DIRECT_MAP_BASE + pa, 2, true);
        if (!e)
            panic("mmu_init: no memory for the direct map at %#lx", pa);
        *e = pa | bits;
    }
}

/*
 * The tables an application processor starts on (arch/x86_64/smp.c).  It
 * turns paging on in 32-bit mode, where CR3 holds 32 bits: so they are
 * static, in the image's bss (the image is loaded at 1 MiB: far below
 * 4 GiB).  The kernel half is kernel_root's own (the same PDPTs); the first
 * 2 MiB are identity-mapped with one large page, executable, for the
 * trampoline to run in until it jumps to the kernel image.  The kernel's
 * own tables never get that mapping: the AP leaves these for them in
 * mmu_cpu_init.
 */
uint64_t mmu_ap_boot_root(void)
{
    static pte_t pml4[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
    static pte_t pdpt[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
    static pte_t pd[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
    const pte_t *kernel_pml4 = phys_to_virt(kernel_root);
    for (int slot = KERNEL_HALF_FIRST_SLOT; slot < PT_ENTRIES; slot++)
        pml4[slot] = kernel_pml4[slot];
    pd[0] = 0 | PTE_PRESENT | PTE_WRITE | PTE_LARGE;    /* physical [0, 2 MiB) */
    pdpt[0] = ((uint64_t)pd - KERNEL_VMA) | PTE_PRESENT | PTE_WRITE;
    pml4[0] = ((uint64_t)pdpt - KERNEL_VMA) | PTE_PRESENT | PTE_WRITE;
    uint64_t root = (uint64_t)pml4 - KERNEL_VMA;
    KASSERT(root < BOOT_MAPPED_BYTES);      /* below 4 GiB */
    return root;
}

void mmu_cpu_init(void)
{
    if (global_bit)
        write_cr4(read_cr4() | CR4_PGE);
    write_cr3(kernel_root);             /* PCID 0, the kernel's; no PCIDs yet, so no no-flush bit */
    this_mmu()->active = &kernel_space;
    if (pcid_on)
        write_cr4(read_cr4() | CR4_PCIDE);  /* allowed: CR3's PCID bits are 0 */
}

void mmu_init(uint64_t ram_end)
{
    if (cpu_features.nx)
        nx_bit = PTE_NX;
    if (cpu_features.pge) {
        global_bit = PTE_GLOBAL;
        write_cr4(read_cr4() | CR4_PGE);
    }
    kernel_root = alloc_table();
    if (!kernel_root)
        panic("mmu_init: no memory for the kernel page tables");
    pte_t *pml4 = phys_to_virt(kernel_root);
    for (int slot = KERNEL_HALF_FIRST_SLOT; slot < PT_ENTRIES; slot++) {
        uint64_t pdpt = alloc_table();
        if (!pdpt)
            panic("mmu_init: no memory for the kernel half");
        pml4[slot] = pdpt | PTE_PRESENT | PTE_WRITE;
    }
    map_direct((ram_end + LARGE_PAGE_SIZE - 1) & ~(uint64_t)(LARGE_PAGE_SIZE - 1));
    map_kernel_range(__text_start, __text_end, MMU_EXEC);
    map_kernel_range(__rodata_start, __rodata_end, 0);
    map_kernel_range(__data_start, __kernel_end, MMU_WRITE);
    mmu_activate_kernel();
    mmu_reset_stats();
}
