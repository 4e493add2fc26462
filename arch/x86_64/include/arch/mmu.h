/*
 * The MMU interface the portable kernel uses (after Plan 9's mmu.c): an
 * address space is named by the physical address of its top-level table
 * (its "root"); the kernel maps, unmaps and translates pages in any root.
 * Page-table pages come from the page allocator.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/pcid.h>
#include <arch/percpu.h>

/* Permissions of a mapping; a page is always readable, unless MMU_NOACCESS. */
#define MMU_WRITE   (1u << 0)
#define MMU_EXEC    (1u << 1)
#define MMU_USER    (1u << 2)
#define MMU_GLOBAL  (1u << 3)   /* survives CR3 writes: kernel mappings only */
/*
 * PROT_NONE: the page keeps its frame, but every access through the
 * mapping faults.  x86 pages are readable whenever present, so the entry
 * is not present, and a bit the MMU ignores tells it from an empty one
 * (Linux's _PAGE_PROTNONE).  mmu_map, mmu_unmap, mmu_translate,
 * mmu_protect and the walks treat such a page as mapped; the kernel still
 * reaches its frame through the direct map.
 */
#define MMU_NOACCESS (1u << 4)
/*
 * Uncached: for device registers (the local APIC), which must see every
 * read and write, in order.  The entry gets PCD and PWT, which select PAT
 * entry 3, uncacheable (UC) in the PAT the CPU powers up with; the kernel
 * never reprograms the PAT.  The direct map is write-back: device memory is
 * reached through kvmap_map_phys(..., MMU_UNCACHED) instead.
 */
#define MMU_UNCACHED (1u << 5)
/*
 * Copy-on-write: a user page that may be shared with other address spaces
 * (fork shares them; kernel/vm.c).  A bit the MMU ignores; such an entry
 * is never writable, so a write faults, and the fault copies the page (or
 * takes it back writable when no other space maps it any more).
 */
#define MMU_COW     (1u << 6)

/* The kernel's own root, whose upper half every address space shares. */
extern uint64_t kernel_root;

/*
 * Build the kernel's page tables (direct map of [0, ram_end), the image with
 * per-section permissions, every kernel-half PDPT preallocated) and switch
 * to them.  Turns on global pages when the CPU has them.
 */
void mmu_init(uint64_t ram_end);

/*
 * For starting another CPU: a root below 4 GiB (so 32-bit code can load
 * it) with the kernel half and an identity mapping of the first 2 MiB,
 * where the start-up trampoline runs.  Call after mmu_init.
 */
uint64_t mmu_ap_boot_root(void);

/*
 * On another CPU, once it runs in the kernel image with its per-CPU area:
 * the paging features the boot CPU turned on (global pages, PCIDs) and the
 * kernel's own tables, which its MMU state records as active.
 */
void mmu_cpu_init(void);

/* A new address space: empty user half, the kernel half shared. 0 if out of memory. */
uint64_t mmu_new_root(void);

/*
 * Free a root from mmu_new_root and its user-half tables, dropping the
 * reference of every page still mapped (pmm_page_release: freed with the
 * last); one pass over the tables.  pause (if not NULL) is called every
 * MMU_PAUSE_PAGES pages, where the caller may give up the CPU (nothing may
 * use the space any more).  Returns the pages it unmapped.
 */
#define MMU_PAUSE_PAGES 32
typedef void (*mmu_pause_fn)(void *ctx);
uint64_t mmu_free_root(uint64_t root, mmu_pause_fn pause, void *ctx);

/* Map the 4 KiB page at va to pa. Returns 0, -ENOMEM, or -EEXIST if va is mapped. */
int mmu_map(uint64_t root, uint64_t va, uint64_t pa, unsigned flags);

/* Remove the mapping of va; returns the page it mapped, or 0. Does not flush the TLB. */
uint64_t mmu_unmap(uint64_t root, uint64_t va);

/* Physical address and MMU_* flags va maps to; false if unmapped. */
bool mmu_translate(uint64_t root, uint64_t va, uint64_t *pa, unsigned *flags);

/* Change the permissions of the mapped page at va; false if unmapped. No TLB flush. */
bool mmu_protect(uint64_t root, uint64_t va, unsigned flags);

/*
 * Call fn for every 4 KiB page mapped in [start, end) of root's user half,
 * in address order, skipping absent tables.  fn may change the entry of
 * the page it is given (unmap it, remap it; no TLB flush: fn's business).
 */
typedef void (*mmu_page_fn)(void *ctx, uint64_t va, uint64_t pa, unsigned flags);
void mmu_for_each_page(uint64_t root, uint64_t start, uint64_t end, mmu_page_fn fn, void *ctx);

/*
 * fork's copy of the pages mapped in [start, end) of src into dst (whose
 * range is empty), a leaf table at a time: each of dst's tables is found
 * or made once, not walked from the root for every page.  Each page gets
 * one more reference (pmm_page_share).  With cow, every entry becomes
 * copy-on-write (MMU_COW, never writable) in src and dst alike, no TLB
 * flush (the caller's); without, dst gets src's entry as it is (a shared
 * mapping).  *r says what was done: the pages entered, and the range of
 * src's entries that lost write permission (cow_lo == cow_hi: none).  0, or
 * -ENOMEM when a table for dst cannot be made (what was copied stays, for
 * the caller to undo with the rest of dst).
 */
struct mmu_copy_result {
    uint64_t pages;
    uint64_t cow_lo, cow_hi;
};
int mmu_copy_range(uint64_t src, uint64_t dst, uint64_t start, uint64_t end, bool cow,
                   struct mmu_copy_result *r);

/*
 * An address space as the MMU sees it: its root and, when the CPU has
 * PCIDs (process-context identifiers: TLB entries tagged per address
 * space), the tag it holds.  Tags are handed out in order and never twice
 * in one generation; when they run out a new generation starts and every
 * space gets a fresh tag, flushed before its first use (arch/pcid.h).  So
 * a switch back to a space whose tag is of the current generation keeps
 * its TLB entries (CR3 written with the no-flush bit).
 */
struct mmu_space {
    uint64_t root;
    struct pcid_tag tags[CPU_MAX];  /* its tag on each CPU (pcid 0: none there; PCIDs off: unused) */
    uint64_t active_on;         /* [atomic] a bit per CPU whose CR3 holds it now (arch/x86_64/tlb.c) */
};

/*
 * Turn PCIDs on if the CPU has them and enable is set (the nopcid option
 * clears it), handing out tags 1..max_tag: PCID_TAG_MAX, or less (the
 * pcid_max option) to make generations roll over sooner.  max_tag must be
 * pcid_max_valid.
 */
void mmu_pcid_init(bool enable, unsigned max_tag);
bool mmu_pcid_enabled(void);

/*
 * True if s is the address space this CPU's CR3 holds (its user addresses
 * reach it): its bit in active_on, which mmu_activate sets just before it
 * writes CR3 and clears just after it writes another, interrupts off.
 * Inline, a load and a test: every user copy asks.
 */
static inline bool mmu_space_active(const struct mmu_space *s)
{
    return (__atomic_load_n(&s->active_on, __ATOMIC_RELAXED) >> cpu_id()) & 1;
}

/* Make s the active address space unless it already is; true if CR3 was written. */
bool mmu_activate(struct mmu_space *s);

/* Make the kernel's own tables active (before freeing the active space). */
void mmu_activate_kernel(void);

/*
 * Drop va's TLB entry of space s: INVLPG when s is active; INVPCID when it
 * is not but holds a live PCID (or, without INVPCID, a flush at its next
 * activation); nothing without PCIDs, since its next CR3 write flushes.
 */
void mmu_flush_page(struct mmu_space *s, uint64_t va);

/*
 * Past this many pages one invalidation drops the whole space's entries
 * instead of one INVLPG per page: Linux's tlb_single_page_flush_ceiling,
 * 33, chosen there by measurement (a refill costs less than 33 INVLPGs on
 * the CPUs it was measured on); see docs/benchmarks.md for ours.
 */
#define MMU_FLUSH_ALL_PAGES 33

/*
 * Drop the TLB entries of [start, end) of space s on every CPU that may
 * hold them, and return when they are gone: the caller may then free the
 * pages that were mapped there.  The CPUs whose CR3 holds s get an IPI
 * each (one per call, for the whole range; past MMU_FLUSH_ALL_PAGES pages
 * they drop all of s's entries instead); on the others, s's tag is marked
 * stale (PCIDs) or their next CR3 write flushes anyway.  No IPI at all
 * when only this CPU holds s: a single-threaded process.  May be called
 * with spinlocks held: the other CPUs' requests are served while this one
 * waits (arch/x86_64/tlb.c, "Waiting with locks held").
 */
void mmu_shootdown(struct mmu_space *s, uint64_t start, uint64_t end);

/* Do the shootdown requests other CPUs sent this one: what a CPU waiting for anything calls. */
void mmu_serve_requests(void);

/*
 * s is about to be freed: every CPU whose CR3 holds it (a CPU that went
 * idle keeps the last space, lazily) switches to the kernel's tables, and
 * this returns when none does.
 */
void mmu_leave_everywhere(struct mmu_space *s);

/* Set up the shootdown IPI (once, before the other CPUs run threads). */
void tlb_init(void);

/* Drop the TLB entry of a kernel (global) mapping. */
void mmu_flush_kernel_page(uint64_t va);

/* Drop every TLB entry of this CPU, the kernel's global ones included. */
void mmu_flush_kernel_all(void);

/* Counters of address-space activations and flushes. */
struct mmu_stats {
    uint64_t cr3_writes;        /* activations */
    uint64_t cr3_flushes;       /* of those, writes that flushed the TLB's user entries */
    uint64_t cr3_noflush;       /* of those, writes that kept them (PCID, no-flush bit) */
    uint64_t page_flushes;      /* single-page invalidations (INVLPG, INVPCID) */
    uint64_t pcid_kept;         /* of the no-flush writes, those that kept a user space's tag
                                   (the others load the kernel's tables, PCID 0) */
    uint64_t pcid_rollovers;    /* times the PCID tags ran out and a new generation began */
    uint64_t shootdowns;        /* changes of a space that other CPUs had to hear of (IPIs sent) */
    uint64_t shootdowns_avoided;/* changes of a space no other CPU held: no IPI */
    uint64_t shootdown_ipis;    /* IPIs those shootdowns sent, one per other CPU */
    uint64_t shootdowns_done;   /* requests of other CPUs this one carried out */
    uint64_t full_flushes;      /* of the invalidations, those that dropped the whole space's entries */
};
/* Every CPU's counters added up; and one CPU's. */
void mmu_get_stats(struct mmu_stats *s);
void mmu_get_cpu_stats(unsigned cpu, struct mmu_stats *s);
void mmu_reset_stats(void);

/* Page-table pages allocated now, in every address space (for leak accounting). */
uint64_t mmu_table_pages(void);

/* The root the CPU is using now. */
uint64_t mmu_active_root(void);

#endif
