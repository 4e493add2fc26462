/*
 * A CPU's run queue (kernel/runq.c): the runnable threads waiting for
 * that CPU, and the order in which it takes them.
 *
 * The policy is priority with aging.  A process's nice value (-20..19,
 * setpriority; kernel/priority.c) gives its threads a level, 0 the most
 * urgent; a thread waiting in the queue climbs one level every aging
 * period, so a low-priority thread waits at most (its level - the
 * others') periods behind busier ones, never forever.  Threads of one
 * level run first come, first served: with every nice 0 (no process asks
 * for anything else) the queue is the plain round robin it always was.
 * Taking the next thread is O(1) whatever the number queued: a bitmap of
 * the non-empty levels and one count-trailing-zeros.
 *
 * Every field is [s]: sched_lock (kernel/sched.c) protects all queues.
 */
#ifndef KERNEL_RUNQ_H
#define KERNEL_RUNQ_H

#include <kernel/list.h>
#include <kernel/thread.h>
#include <stdbool.h>
#include <stdint.h>

#define NICE_MIN        (-20)
#define NICE_MAX        19
#define NICE_LEVELS     (NICE_MAX - NICE_MIN + 1)

/* LAB sched BEGIN */
/*
 * A thread queued at aging period E with level L gets the key E + L; its
 * level now is key - epoch, which falls by one each period: that is the
 * aging, and no queued thread is touched for it.  Bucket key % RUNQ_BUCKETS
 * holds the threads of a key: keys of queued threads span at most
 * NICE_LEVELS values from the epoch, fewer than the buckets, so the ring
 * never wraps onto itself.  A thread that climbed past the top (key below
 * the epoch) sits in the epoch's bucket, ahead of those queued there.
 */
#define RUNQ_BUCKETS    64      /* one bit each in a uint64_t */
_Static_assert(NICE_LEVELS <= RUNQ_BUCKETS, "a level per bucket at least");
/* LAB sched END */

struct runq {
    /* LAB sched BEGIN */
    struct list_node buckets[RUNQ_BUCKETS];     /* threads by key % RUNQ_BUCKETS, by run_link, FIFO */
    uint64_t nonempty;          /* bit b set: buckets[b] holds a thread */
    uint64_t epoch;             /* aging periods gone by */
    unsigned ticks;             /* ticks into the current aging period */
    /* LAB sched END */
    /* LAB sched STUB
    struct list_node fifo;      // every thread, by run_link, first come first served
       LAB sched STUB END */
    unsigned length;            /* threads queued */
};

void runq_init(struct runq *q);
static inline bool runq_empty(const struct runq *q) { return q->length == 0; }
static inline unsigned runq_length(const struct runq *q) { return q->length; }

/* Queue t behind the threads of its level (its process's nice value). */
void runq_push(struct runq *q, struct thread *t);

/* Take the thread to run next off q; NULL when q is empty. */
struct thread *runq_pop(struct runq *q);

/* Take t, queued on q, off it. */
void runq_remove(struct runq *q, struct thread *t);

/* The first thread in the order q would run them for which fits(t, arg) is true, left queued; or NULL. */
struct thread *runq_find(const struct runq *q, bool (*fits)(const struct thread *t, const void *arg),
                         const void *arg);

/* A timer tick on q's CPU: the threads waiting climb a level every aging period. */
void runq_tick(struct runq *q);

/* The level of a process's threads for nice value nice (0 the most urgent). */
static inline unsigned runq_level(int nice) { return (unsigned)(nice - NICE_MIN); }

#endif
