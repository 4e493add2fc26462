/*
 * The PCID policy (arch/pcid.h explains the states and the rule): fresh
 * tag, generation, stale flag, flush or keep.  No hardware access and no
 * globals: mmu.c passes its CPU's allocator, tests/host/test_pcid.c its own.
 */
#include <arch/pcid.h>

#define FIRST_GENERATION 1      /* so a tag's generation 0 can mean "never handed out" */
#define FIRST_TAG        (PCID_KERNEL + 1)

bool pcid_max_valid(unsigned long max)
{
    return max >= PCID_TAG_MAX_MIN && max <= PCID_TAG_MAX;
}

/* Caller: max is pcid_max_valid (mmu_pcid_init asserts it). */
void pcid_allocator_init(struct pcid_allocator *a, unsigned max)
{
    a->next = FIRST_TAG;
    a->max = (uint16_t)max;
    a->generation = FIRST_GENERATION;
}

bool pcid_is_live(const struct pcid_allocator *a, const struct pcid_tag *t)
{
    return t->pcid != PCID_KERNEL && t->generation == a->generation;
}

/*
 * Hand t the next tag, starting a new generation when they have run out;
 * true if it did.  Every space of an older generation is then "old": its
 * next load comes here too.
 */
static bool hand_out(struct pcid_allocator *a, struct pcid_tag *t)
{
    bool rollover = a->next > a->max;
    if (rollover) {
        a->generation++;
        a->next = FIRST_TAG;
    }
    t->pcid = a->next++;
    t->generation = a->generation;
    return rollover;
}

struct pcid_choice pcid_choose(struct pcid_allocator *a, struct pcid_tag *t)
{
    struct pcid_choice c = { 0 };
    if (pcid_is_live(a, t)) {
        c.flush = t->stale;             /* its own entries: keep them unless outdated */
    } else {
        c.fresh = true;
        c.rollover = hand_out(a, t);
        c.flush = true;                 /* the rule: the tag may hold another space's entries */
    }
    t->stale = false;
    c.pcid = t->pcid;
    return c;
}

enum pcid_inval pcid_invalidate(const struct pcid_allocator *a, struct pcid_tag *t,
                                bool have_invpcid)
{
    if (!pcid_is_live(a, t))
        return PCID_INVAL_NONE;
    if (have_invpcid)
        return PCID_INVAL_INVPCID;
    t->stale = true;
    return PCID_INVAL_DEFERRED;
}
