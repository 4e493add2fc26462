/* Resource limits: Linux's numbers and struct rlimit (getrlimit, prlimit64). */
#ifndef ABI_RESOURCE_H
#define ABI_RESOURCE_H

#include <abi/time.h>
#include <stdint.h>

#define RLIMIT_CPU      0
#define RLIMIT_FSIZE    1
#define RLIMIT_DATA     2
#define RLIMIT_STACK    3       /* the main thread's stack */
#define RLIMIT_CORE     4
#define RLIMIT_RSS      5
#define RLIMIT_NPROC    6
#define RLIMIT_NOFILE   7       /* descriptors per process */
#define RLIMIT_MEMLOCK  8
#define RLIMIT_AS       9
#define RLIM_NLIMITS    16
#define RLIM_INFINITY   (~0ull)

struct abi_rlimit {
    uint64_t cur;               /* rlim_cur */
    uint64_t max;               /* rlim_max */
};

/* getpriority/setpriority's which: who is then a pid, a process group, a user id (0 each: the caller's) */
#define PRIO_PROCESS    0
#define PRIO_PGRP       1
#define PRIO_USER       2
#define PRIO_MIN      (-20)     /* the most urgent nice value */
#define PRIO_MAX        20      /* one past the least urgent (19) */
/* The raw getpriority call returns 20 - nice (1..40: never negative, so never an error); libc turns it back. */
#define PRIO_RAW_BIAS   20

/* getrusage's who */
#define RUSAGE_SELF       0     /* the calling process: all its threads, live and ended */
#define RUSAGE_CHILDREN (-1)    /* its children it has reaped, and theirs */
#define RUSAGE_THREAD     1     /* the calling thread */

/* Linux's struct rusage (144 bytes): two timevals, then fourteen longs. */
struct abi_rusage {
    struct abi_timeval utime, stime;
    int64_t maxrss;             /* the largest resident set, in KiB */
    int64_t ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, msgsnd, msgrcv, nsignals;
    int64_t nvcsw;              /* voluntary context switches */
    int64_t nivcsw;             /* involuntary context switches */
};

#endif
