/*
 * Resource usage (getrusage: CPU time, the largest resident set, context
 * switches) and resource limits (getrlimit, setrlimit: the kernel's are
 * fixed, so setrlimit fails with EPERM), priorities (getpriority,
 * setpriority: a nice value per process).  Linux's numbers and layouts.
 */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H

#include <bits/types.h>
#include <sys/time.h>

#include <abi/resource.h>   /* RLIMIT_*, RLIM_INFINITY, RUSAGE_*: shared with the kernel */

typedef unsigned long rlim_t;

struct rlimit {
    rlim_t rlim_cur;            /* the soft limit */
    rlim_t rlim_max;            /* the hard limit */
};

struct rusage {
    struct timeval ru_utime;    /* user time */
    struct timeval ru_stime;    /* system time */
    long ru_maxrss;             /* the largest resident set, in KiB */
    long ru_ixrss;              /* the rest is 0 but the two switch counts */
    long ru_idrss;
    long ru_isrss;
    long ru_minflt;
    long ru_majflt;
    long ru_nswap;
    long ru_inblock;
    long ru_oublock;
    long ru_msgsnd;
    long ru_msgrcv;
    long ru_nsignals;
    long ru_nvcsw;              /* voluntary context switches: it slept or blocked */
    long ru_nivcsw;             /* involuntary: preempted, or yielded */
};

int getrusage(int who, struct rusage *usage);
int getpriority(int which, id_t who);           /* the nice value, -20..19; -1 with errno set on error */
int setpriority(int which, id_t who, int prio); /* prio clamped to -20..19 */
int getrlimit(int resource, struct rlimit *limit);
int setrlimit(int resource, const struct rlimit *limit);

#endif
