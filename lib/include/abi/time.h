/*
 * Clock ids of clock_gettime, clock_getres and clock_nanosleep, and the
 * latter's flag: Linux's values (design contract 6), shared by the kernel
 * and libc.
 */
#ifndef ABI_TIME_H
#define ABI_TIME_H

#define CLOCK_REALTIME           0  /* wall-clock time since the Epoch */
#define CLOCK_MONOTONIC          1  /* time since boot, never set back */
#define CLOCK_PROCESS_CPUTIME_ID 2  /* CPU time of the calling process */
#define CLOCK_THREAD_CPUTIME_ID  3  /* CPU time of the calling thread */
#define CLOCK_MONOTONIC_RAW      4  /* CLOCK_MONOTONIC without frequency correction */
#define CLOCK_REALTIME_COARSE    5  /* CLOCK_REALTIME, cheaper and less precise */
#define CLOCK_MONOTONIC_COARSE   6  /* CLOCK_MONOTONIC, cheaper and less precise */
#define CLOCK_BOOTTIME           7  /* CLOCK_MONOTONIC, counting suspended time too */

#define TIMER_ABSTIME            1  /* clock_nanosleep: the time is absolute, not relative */

#include <stdint.h>

/* struct timespec and struct timeval as the system calls take them (Linux x86_64). */
struct abi_timespec { int64_t sec, nsec; };
struct abi_timeval  { int64_t sec, usec; };

#endif
