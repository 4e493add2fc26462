/*
 * The PCID policy: which tag an address space runs under and whether
 * loading it must flush.  Pure decisions over state the caller passes in,
 * with no hardware access, so tests/host/test_pcid.c runs them on the host
 * (arch/x86_64/mmu.c writes CR3 and issues INVPCID/INVLPG as told).
 *
 * Legend: a PCID (x86's name for an ASID) is the 12-bit tag of TLB
 * entries; a *tag* here is a PCID as a space holds it; a *generation*
 * counts how often the allocator has run out of tags and started over.
 *
 * The states of a space's tag (struct pcid_tag), on one CPU:
 *   none     pcid 0: never activated since it was created
 *   live     generation == the allocator's: the tag is the space's alone;
 *            its TLB entries are its own and current, so loading it keeps them
 *   stale    live, but a page changed while the space was inactive and could
 *            not be invalidated then (no INVPCID): the next load flushes
 *   old      generation < the allocator's: the tag may have been handed to
 *            another space since, so the space gets a fresh tag, flushed
 *
 * The one rule: a recycled PCID is flushed before use.  A tag is handed out
 * at most once per generation, and every load of a freshly handed-out tag
 * flushes, so a load without a flush finds only the space's own entries.
 *
 * SMP: tags are per CPU (a space may have a different tag, or an old one, on
 * each CPU), so the allocator is a parameter, never a global: one per CPU,
 * and one struct pcid_tag per space and CPU.
 */
#ifndef ARCH_PCID_H
#define ARCH_PCID_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The tags user spaces get: 1..PCID_TAG_MAX.  CR3 holds 12 bits of PCID;
 * 0 is the kernel's own tables (only global entries, never flushed).  The
 * pcid_max= boot option lowers the top (down to PCID_TAG_MAX_MIN) so the
 * generation rollover, rare with 4095 tags, runs in tests.
 */
#define PCID_TAG_BITS    12
#define PCID_TAG_MAX     ((1u << PCID_TAG_BITS) - 1)    /* 4095 */
#define PCID_TAG_MAX_MIN 2      /* one tag only would roll over at every switch: no tag ever kept */
#define PCID_KERNEL      0      /* the kernel's tables: tag 0, no generation */

/* One CPU's tag allocator. */
struct pcid_allocator {
    uint16_t next;              /* the next tag never handed out in this generation */
    uint16_t max;               /* the highest tag: PCID_TAG_MAX, or pcid_max= */
    uint64_t generation;        /* starts at 1; a tag's generation 0 means "none" */
};

/* An address space's tag on one CPU. */
struct pcid_tag {
    uint16_t pcid;              /* 0: none yet */
    uint64_t generation;        /* the allocator generation pcid was handed out in */
    bool stale;                 /* a page changed while inactive, not invalidated: flush at next load */
};

/* What loading a space takes (pcid_choose). */
struct pcid_choice {
    uint16_t pcid;              /* the tag to put in CR3 */
    bool flush;                 /* write CR3 without the no-flush bit: drop the tag's entries */
    bool fresh;                 /* pcid was handed out by this load */
    bool rollover;              /* ... and the tags had run out: a new generation began */
};

/* What a page changed in a space that is not active needs (pcid_invalidate). */
enum pcid_inval {
    PCID_INVAL_NONE,            /* no live tag: its next load gets a fresh one and flushes */
    PCID_INVAL_INVPCID,         /* invalidate the page under the tag's PCID now */
    PCID_INVAL_DEFERRED,        /* marked stale: its next load flushes */
};

/* Start an allocator handing out tags 1..max; max in [PCID_TAG_MAX_MIN, PCID_TAG_MAX]. */
void pcid_allocator_init(struct pcid_allocator *a, unsigned max);

/* True if max is a tag space pcid_allocator_init accepts. */
bool pcid_max_valid(unsigned long max);

/* True if t holds a tag of a's current generation (live or stale). */
bool pcid_is_live(const struct pcid_allocator *a, const struct pcid_tag *t);

/*
 * The space holding t is about to be loaded on a's CPU: give it a fresh tag
 * if it has none of the current generation (starting a new generation when
 * the tags have run out), and say whether the load must flush: always for a
 * fresh tag, for a live one only if stale.  Updates *a and *t (t is no
 * longer stale: the load flushes or had nothing to flush).
 */
struct pcid_choice pcid_choose(struct pcid_allocator *a, struct pcid_tag *t);

/*
 * A page changed in the space holding t, which is not active on a's CPU:
 * what to do about its TLB entry there.  With have_invpcid a live tag is
 * invalidated at once; without, it is marked stale.
 */
enum pcid_inval pcid_invalidate(const struct pcid_allocator *a, struct pcid_tag *t,
                                bool have_invpcid);

#endif
