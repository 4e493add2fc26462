/* Kernel time: the periodic tick and a monotonic nanosecond clock. */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <stdbool.h>
#include <stdint.h>

#define TICK_HZ         100             /* 10 ms ticks: cheap under emulation, fine for round robin */
#define NSEC_PER_SEC    1000000000ull
#define NSEC_PER_TICK   (NSEC_PER_SEC / TICK_HZ)
#define NSEC_PER_USEC   1000ull
#define NSEC_PER_MSEC   1000000ull
#define TIME_NEVER      UINT64_MAX      /* a deadline that never passes: where sums saturate */

/* Calibrate the clock and start the tick. Interrupts must still be off. */
void time_init(void);

/* Timer ticks since time_init(). */
uint64_t ticks(void);

/* The TSC's rate, as calibrated at boot (/proc/cpuinfo's "cpu MHz"). */
uint64_t clock_tsc_hz(void);

/* Nanoseconds since time_init(), from the TSC: monotonic, finer than a tick. */
uint64_t clock_monotonic_ns(void);

/*
 * The wall clock: nanoseconds since 1970-01-01 UTC, the CMOS clock's time
 * at boot (second resolution) advanced by the monotonic clock since.
 */
uint64_t clock_realtime_ns(void);

/*
 * An absolute CLOCK_REALTIME deadline (futex, mq_timed*) as the monotonic
 * deadline the scheduler sleeps until: 1 (already passed) if it is before
 * now's wall clock can reach back.
 */
uint64_t realtime_to_monotonic(uint64_t realtime_ns);

/* The TSC's measured rate, in cycles per second. */
uint64_t tsc_frequency(void);

/* a + b nanoseconds, TIME_NEVER where that would overflow: a huge timeout waits for ever. */
uint64_t time_add_ns(uint64_t a, uint64_t b);

/* The monotonic deadline ns from now (saturating). */
uint64_t deadline_after_ns(uint64_t ns);

/*
 * A user's seconds and fraction (frac units of frac_ns nanoseconds each:
 * nanoseconds of a timespec, microseconds of a timeval) as nanoseconds,
 * saturating at TIME_NEVER.  False if negative or the fraction is not below
 * one second: the caller's EINVAL.
 */
bool time_to_ns(int64_t sec, int64_t frac, uint64_t frac_ns, uint64_t *ns);

/* A user struct timespec as nanoseconds: 0, -EFAULT or -EINVAL. */
long timespec_from_user(uint64_t uts, uint64_t *ns);

/*
 * A wait's relative timespec timeout at uts (0: none) as a monotonic
 * deadline (0: never), and no_wait for { 0, 0 } (look, do not sleep):
 * 0, -EFAULT or -EINVAL.
 */
long timeout_from_user(uint64_t uts, bool *no_wait, uint64_t *deadline);

#endif
