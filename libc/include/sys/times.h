/* times(): the process's CPU time and its reaped children's, in clock ticks (sysconf(_SC_CLK_TCK)). */
#ifndef _SYS_TIMES_H
#define _SYS_TIMES_H

#include <bits/types.h>

struct tms {
    clock_t tms_utime;          /* user time of the calling process (all its threads) */
    clock_t tms_stime;          /* system time of the calling process */
    clock_t tms_cutime;         /* user time of its reaped children (and theirs) */
    clock_t tms_cstime;         /* system time of its reaped children (and theirs) */
};

/* Fills buf (which may be NULL); returns the clock ticks since boot, or (clock_t)-1. */
clock_t times(struct tms *buf);

#endif
