/* Scheduling: sched_yield, and clone()'s "what is shared" flags (Linux's). */
#ifndef _SCHED_H
#define _SCHED_H

#include <bits/types.h>

#include <abi/sched.h>      /* CLONE_* and SCHED_*, shared with the kernel */

struct sched_param {
    int sched_priority;
};

int sched_yield(void);

#endif
