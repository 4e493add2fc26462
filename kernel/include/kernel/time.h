/* Kernel time: the periodic tick and a monotonic nanosecond clock. */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <stdint.h>

#define TICK_HZ         100             /* 10 ms ticks: cheap under emulation, fine for round robin */
#define NSEC_PER_SEC    1000000000ull
#define NSEC_PER_TICK   (NSEC_PER_SEC / TICK_HZ)

/* Calibrate the clock and start the tick. Interrupts must still be off. */
void time_init(void);

/* Timer ticks since time_init(). */
uint64_t ticks(void);

/* Nanoseconds since time_init(), from the TSC: monotonic, finer than a tick. */
uint64_t clock_monotonic_ns(void);

/* The TSC's measured rate, in cycles per second. */
uint64_t tsc_frequency(void);

#endif
