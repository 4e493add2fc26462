/*
 * Kernel stacks: KSTACK_PAGES pages each in the kernel mapping area
 * (kvmap), one per thread, allocated and freed with the thread's
 * structure; and a cache of a few dead threads' stacks, each with its
 * structure, that the next thread creations take instead of mapping fresh
 * pages (kernel/kstack.c; the lab kstack, docs/labs/kstack.md).
 */
#ifndef KERNEL_KSTACK_H
#define KERNEL_KSTACK_H

#include <stdint.h>

struct thread;

/*
 * A zeroed struct thread with a kernel stack of KSTACK_PAGES pages at
 * t->kstack (its contents undefined), cached or fresh; NULL when memory
 * runs out.  thread_create (kernel/thread.c) fills it in.
 */
struct thread *kstack_thread_alloc(void);

/*
 * Free t and its stack: kept together in the cache if it has room, else
 * the stack unmapped and its pages freed, the structure back to the heap.
 * No CPU may run on the stack any more (a dead thread goes after its CPU
 * switched off it: sched.c's reap_dead_threads).  May be called with
 * sched_lock held.
 */
void kstack_thread_free(struct thread *t);

/*
 * Empty the cache: every stack in it unmapped and its pages freed, every
 * structure back to the heap; returns how many pages that freed.  For leak
 * checks (SYS_os_drop_caches), which then count pages and heap as they did
 * before there was a cache.  No lock held.
 */
uint64_t kstack_drain(void);

/* What the cache did since boot, and what it holds now (SYS_os_stats reports them). */
struct kstack_stats {
    uint64_t cached_pages;      /* stack pages in the cache now: in use, not free, not leaked */
    uint64_t hits;              /* thread creations the cache served */
    uint64_t misses;            /* thread creations that mapped a fresh stack */
};
void kstack_get_stats(struct kstack_stats *out);

#endif
