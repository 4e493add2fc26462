/*
 * The PCID policy (arch/x86_64/pcid.c) on the host: fresh tags flush,
 * live ones are kept unless stale, the rollover gives every older space a
 * fresh tag, no two live spaces share a tag, and a long random sequence
 * against a model of the TLB checks the one rule: a tag that held another
 * space's entries (or outdated ones) is never loaded without a flush.
 */
#include <arch/pcid.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

#define SMALL_MAX 4             /* the pcid_max=4 the Bochs run of the suite uses */

static struct pcid_allocator fresh_allocator(unsigned max)
{
    struct pcid_allocator a;
    pcid_allocator_init(&a, max);
    return a;
}

static int bounds_of_the_tag_space(void)
{
    CHECK(!pcid_max_valid(0) && !pcid_max_valid(1), "a tag space of 0 or 1 accepted");
    CHECK(pcid_max_valid(PCID_TAG_MAX_MIN) && pcid_max_valid(PCID_TAG_MAX), "the bounds refused");
    CHECK(!pcid_max_valid(PCID_TAG_MAX + 1), "4096 tags accepted: CR3 holds 12 bits");
    CHECK(PCID_TAG_MAX == 4095, "PCID_TAG_MAX is %u", PCID_TAG_MAX);
    return 1;
}

static int first_activation_gets_fresh_tag_and_flushes(void)
{
    struct pcid_allocator a = fresh_allocator(PCID_TAG_MAX);
    struct pcid_tag t = { 0 };
    CHECK(!pcid_is_live(&a, &t), "a space never activated holds a live tag");
    struct pcid_choice c = pcid_choose(&a, &t);
    CHECK(c.fresh && c.flush && !c.rollover, "fresh=%d flush=%d rollover=%d", c.fresh, c.flush,
          c.rollover);
    CHECK(c.pcid == 1 && t.pcid == 1, "first tag %u, expected 1 (0 is the kernel's)", c.pcid);
    CHECK(pcid_is_live(&a, &t), "the tag just handed out is not live");
    struct pcid_tag u = { 0 };
    c = pcid_choose(&a, &u);
    CHECK(c.fresh && c.flush && c.pcid == 2, "second space: fresh=%d flush=%d pcid=%u", c.fresh,
          c.flush, c.pcid);
    return 1;
}

static int reactivation_keeps_unless_stale(void)
{
    struct pcid_allocator a = fresh_allocator(PCID_TAG_MAX);
    struct pcid_tag t = { 0 }, other = { 0 };
    pcid_choose(&a, &t);
    pcid_choose(&a, &other);
    for (int i = 0; i < 3; i++) {
        struct pcid_choice c = pcid_choose(&a, &t);
        CHECK(!c.fresh && !c.flush && c.pcid == 1, "round %d: fresh=%d flush=%d pcid=%u", i,
              c.fresh, c.flush, c.pcid);
    }
    return 1;
}

static int stale_space_flushes_once(void)
{
    struct pcid_allocator a = fresh_allocator(PCID_TAG_MAX);
    struct pcid_tag t = { 0 };
    pcid_choose(&a, &t);
    CHECK(pcid_invalidate(&a, &t, false) == PCID_INVAL_DEFERRED, "no INVPCID: not deferred");
    CHECK(t.stale, "not marked stale");
    struct pcid_choice c = pcid_choose(&a, &t);
    CHECK(c.flush && !c.fresh && c.pcid == 1, "stale load: flush=%d fresh=%d pcid=%u", c.flush,
          c.fresh, c.pcid);
    CHECK(!t.stale, "still stale after the flushing load");
    c = pcid_choose(&a, &t);
    CHECK(!c.flush, "flushed twice for one stale mark");
    CHECK(pcid_invalidate(&a, &t, true) == PCID_INVAL_INVPCID && !t.stale,
          "with INVPCID a live tag is invalidated at once, not marked stale");
    return 1;
}

static int invalidate_needs_nothing_without_a_live_tag(void)
{
    struct pcid_allocator a = fresh_allocator(PCID_TAG_MAX_MIN);
    struct pcid_tag never = { 0 }, old = { 0 }, s2 = { 0 }, s3 = { 0 };
    CHECK(pcid_invalidate(&a, &never, true) == PCID_INVAL_NONE && !never.stale,
          "a space never loaded needs an invalidation");
    pcid_choose(&a, &old);
    pcid_choose(&a, &s2);
    pcid_choose(&a, &s3);               /* rolls over: old's tag is of the last generation */
    CHECK(!pcid_is_live(&a, &old), "a tag of an older generation counts as live");
    CHECK(pcid_invalidate(&a, &old, true) == PCID_INVAL_NONE,
          "INVPCID on an old tag: it may be another space's now");
    CHECK(pcid_invalidate(&a, &old, false) == PCID_INVAL_NONE && !old.stale,
          "an old tag marked stale: its next load flushes anyway");
    return 1;
}

/* SMALL_MAX spaces fill a generation; the next one starts another. */
static int rollover_gives_every_older_space_a_fresh_tag(void)
{
    struct pcid_allocator a = fresh_allocator(SMALL_MAX);
    struct pcid_tag t[SMALL_MAX + 1];
    memset(t, 0, sizeof t);
    for (unsigned i = 0; i < SMALL_MAX; i++) {
        struct pcid_choice c = pcid_choose(&a, &t[i]);
        CHECK(c.pcid == i + 1 && !c.rollover, "space %u: tag %u rollover=%d", i, c.pcid, c.rollover);
    }
    struct pcid_choice c = pcid_choose(&a, &t[SMALL_MAX]);
    CHECK(c.rollover && c.fresh && c.flush && c.pcid == 1 && a.generation == 2,
          "the tags ran out: rollover=%d fresh=%d flush=%d pcid=%u generation=%lu", c.rollover,
          c.fresh, c.flush, c.pcid, (unsigned long)a.generation);
    for (unsigned i = 0; i < SMALL_MAX; i++) {
        t[i].stale = i % 2;             /* stale or not, an old space gets a fresh tag */
        CHECK(!pcid_is_live(&a, &t[i]), "space %u of generation 1 still live", i);
        if (i + 1 < SMALL_MAX) {
            c = pcid_choose(&a, &t[i]);
            CHECK(c.fresh && c.flush && !c.rollover && c.pcid == i + 2,
                  "old space %u: fresh=%d flush=%d rollover=%d pcid=%u", i, c.fresh, c.flush,
                  c.rollover, c.pcid);
            c = pcid_choose(&a, &t[i]);
            CHECK(!c.flush, "old space %u flushed again after its fresh tag", i);
        }
    }
    c = pcid_choose(&a, &t[SMALL_MAX - 1]);     /* the last one rolls over again */
    CHECK(c.rollover && c.flush && c.pcid == 1 && a.generation == 3,
          "second rollover: rollover=%d flush=%d pcid=%u generation=%lu", c.rollover, c.flush,
          c.pcid, (unsigned long)a.generation);
    return 1;
}

/* The whole 12-bit space: 4095 distinct tags, never 0, then a rollover. */
static int full_tag_space_hands_out_each_tag_once(void)
{
    static struct pcid_tag t[PCID_TAG_MAX + 1];
    static bool seen[PCID_TAG_MAX + 1];
    struct pcid_allocator a = fresh_allocator(PCID_TAG_MAX);
    for (unsigned i = 0; i < PCID_TAG_MAX; i++) {
        struct pcid_choice c = pcid_choose(&a, &t[i]);
        CHECK(c.pcid != PCID_KERNEL && c.pcid <= PCID_TAG_MAX, "tag %u out of range", c.pcid);
        CHECK(!seen[c.pcid], "tag %u handed out twice in one generation", c.pcid);
        CHECK(!c.rollover, "rollover after %u tags", i);
        seen[c.pcid] = true;
    }
    CHECK(pcid_choose(&a, &t[PCID_TAG_MAX]).rollover, "no rollover after 4095 tags");
    return 1;
}

/* ---- a random sequence against a model of the TLB ---- */

#define SLOTS      12           /* spaces alive at once */
#define NONE       0            /* no space: ids start at 1 */
#define OPERATIONS 200000

struct space {
    unsigned id;                /* never reused: a new space in a slot is another space */
    struct pcid_tag tag;
};

/* What the TLB may hold under one tag: whose entries, and whether they are outdated. */
struct tlb_tag {
    unsigned owner;             /* the space whose entries it may hold; NONE after a flush */
    bool outdated;              /* owner's tables changed since, not invalidated */
};

struct model {
    struct pcid_allocator a;
    struct space spaces[SLOTS];
    struct tlb_tag tlb[PCID_TAG_MAX + 1];
    int active;                 /* slot whose space CR3 holds; -1: the kernel's tables */
    unsigned next_id;
    unsigned long rollovers, keeps, stale_flushes;
};

/* Load slot's space as mmu_activate does; false (with why set) if the rule is broken. */
static int load(struct model *m, int slot)
{
    struct space *s = &m->spaces[slot];
    bool was_stale = s->tag.stale;
    struct pcid_choice c = pcid_choose(&m->a, &s->tag);
    CHECK(c.pcid != PCID_KERNEL && c.pcid <= m->a.max, "tag %u out of 1..%u", c.pcid, m->a.max);
    struct tlb_tag *e = &m->tlb[c.pcid];
    if (c.flush) {
        *e = (struct tlb_tag){ s->id, false };
        m->stale_flushes += was_stale && !c.fresh;
    } else {
        CHECK(e->owner == NONE || e->owner == s->id,
              "tag %u loaded without a flush for space %u, holding space %u's entries", c.pcid,
              s->id, e->owner);
        CHECK(!e->outdated, "tag %u loaded without a flush with outdated entries", c.pcid);
        e->owner = s->id;
        m->keeps++;
    }
    m->rollovers += c.rollover;
    m->active = slot;
    return 1;
}

/* A page of slot's space changes, as mmu_flush_page handles it. */
static void change_page(struct model *m, int slot, bool have_invpcid)
{
    struct space *s = &m->spaces[slot];
    bool dropped;                       /* the page's entry under s's tag is gone */
    if (slot == m->active)
        dropped = true;                 /* INVLPG, under the tag CR3 holds */
    else
        dropped = pcid_invalidate(&m->a, &s->tag, have_invpcid) == PCID_INVAL_INVPCID;
    for (unsigned t = 1; t <= m->a.max; t++)    /* and under tags s held before: still there */
        if (m->tlb[t].owner == s->id && !(dropped && t == s->tag.pcid))
            m->tlb[t].outdated = true;
}

/* The space in slot exits (the kernel's tables first if it is active); a new one takes its place. */
static void replace(struct model *m, int slot)
{
    if (m->active == slot)
        m->active = -1;
    m->spaces[slot] = (struct space){ .id = m->next_id++ };
}

/* No two spaces alive hold the same tag of the current generation. */
static int live_tags_distinct(const struct model *m)
{
    for (int i = 0; i < SLOTS; i++)
        for (int j = i + 1; j < SLOTS; j++) {
            const struct pcid_tag *x = &m->spaces[i].tag, *y = &m->spaces[j].tag;
            CHECK(!(pcid_is_live(&m->a, x) && pcid_is_live(&m->a, y) && x->pcid == y->pcid),
                  "spaces %u and %u share live tag %u", m->spaces[i].id, m->spaces[j].id, x->pcid);
        }
    return 1;
}

enum { OP_LOAD, OP_CHANGE, OP_EXIT, OP_KERNEL, OP_KINDS };

static int random_run(unsigned max, unsigned seed, struct model *m)
{
    memset(m, 0, sizeof *m);
    pcid_allocator_init(&m->a, max);
    m->active = -1;
    m->next_id = 1;
    for (int i = 0; i < SLOTS; i++)
        replace(m, i);
    srand(seed);
    for (int n = 0; n < OPERATIONS; n++) {
        int slot = rand() % SLOTS;
        switch (rand() % OP_KINDS) {
        case OP_LOAD:
            if (slot != m->active && !load(m, slot))
                return 0;
            break;
        case OP_CHANGE: change_page(m, slot, rand() % 2); break;
        case OP_EXIT:   if (rand() % 4 == 0) replace(m, slot); break;  /* loads outnumber exits */
        case OP_KERNEL: if (rand() % 8 == 0) m->active = -1; break;
        }
        if (!live_tags_distinct(m))
            return 0;
    }
    return 1;
}

/*
 * The model sees every load: a load without a flush must find its tag
 * empty or holding the space's own current entries.  Each run must also
 * have exercised the paths (rollovers, keeps, stale flushes), or it tested
 * nothing.
 */
static int random_sequence_keeps_the_rule(void)
{
    static struct model m;
    const unsigned maxes[] = { PCID_TAG_MAX_MIN, 3, SMALL_MAX, SLOTS, 2 * SLOTS, PCID_TAG_MAX };
    for (unsigned i = 0; i < sizeof maxes / sizeof maxes[0]; i++) {
        if (!random_run(maxes[i], i + 1, &m)) {
            char inner[sizeof why];
            strcpy(inner, why);
            CHECK(0, "max %u: %s", maxes[i], inner);
        }
        CHECK(m.rollovers > 0 && m.keeps > 0 && m.stale_flushes > 0,
              "max %u exercised too little: %lu rollovers, %lu keeps, %lu stale flushes",
              maxes[i], m.rollovers, m.keeps, m.stale_flushes);
    }
    return 1;
}

int main(void)
{
    RUN(bounds_of_the_tag_space);
    RUN(first_activation_gets_fresh_tag_and_flushes);
    RUN(reactivation_keeps_unless_stale);
    RUN(stale_space_flushes_once);
    RUN(invalidate_needs_nothing_without_a_live_tag);
    RUN(rollover_gives_every_older_space_a_fresh_tag);
    RUN(full_tag_space_hands_out_each_tag_once);
    RUN(random_sequence_keeps_the_rule);
    return failures != 0;
}
