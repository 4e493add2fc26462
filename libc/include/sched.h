/* Scheduling: sched_yield, and clone() with its "what is shared" flags (Linux's). */
#ifndef _SCHED_H
#define _SCHED_H

#include <bits/types.h>

#include <abi/sched.h>      /* CLONE_* and SCHED_*, shared with the kernel */

struct sched_param {
    int sched_priority;
};

int sched_yield(void);

/* Linux's: fn(arg) in a new thread or process on stack (its top); optional parent_tid, tls, child_tid. */
int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...);

#endif
