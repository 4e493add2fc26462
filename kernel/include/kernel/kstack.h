/*
 * Kernel stacks: KSTACK_PAGES pages each in the kernel mapping area
 * (kvmap), one per thread, and a cache of a few freed ones that the next
 * thread creation takes instead of mapping fresh pages (kernel/kstack.c;
 * the lab kstack, docs/labs/kstack.md).
 */
#ifndef KERNEL_KSTACK_H
#define KERNEL_KSTACK_H

#include <stdint.h>

/* A stack of KSTACK_PAGES pages (contents undefined), cached or fresh; NULL when memory runs out. */
void *kstack_alloc(void);

/*
 * Give back a stack from kstack_alloc: kept in the cache if it has room,
 * else unmapped and its pages freed.  No CPU may run on it any more (a
 * dead thread's stack goes after its CPU switched off it: sched.c's
 * reap_dead_threads).  May be called with sched_lock held.
 */
void kstack_free(void *stack);

/*
 * Empty the cache: every stack in it unmapped and its pages freed; returns
 * how many pages that freed.  For leak checks (SYS_os_drop_caches), which
 * then count every page as they did before there was a cache.  No lock held.
 */
uint64_t kstack_drain(void);

/* What the cache did since boot, and what it holds now (SYS_os_stats reports them). */
struct kstack_stats {
    uint64_t cached_pages;      /* pages of the stacks in the cache now: in use, not free, not leaked */
    uint64_t hits;              /* kstack_alloc calls the cache served */
    uint64_t misses;            /* kstack_alloc calls that mapped fresh pages */
};
void kstack_get_stats(struct kstack_stats *out);

#endif
