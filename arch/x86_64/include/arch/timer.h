/* The periodic tick and the cycle counter's rate. */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Measure the time-stamp counter's frequency against the PIT (10 ms);
 * returns cycles per second.  Under QEMU -icount shift=0 both run on
 * virtual time, so this reads 1e9: one instruction per nanosecond.
 */
uint64_t timer_calibrate_tsc(void);

/*
 * A tick callback: from_user says whether the interrupt came from user
 * mode (ring 3) or the kernel, the sample CPU-time accounting takes.
 */
typedef void (*timer_tick_fn)(bool from_user);

/* Interrupt hz times a second, calling tick() from the interrupt (the PIT, on CPU 0). */
void timer_start(unsigned hz, timer_tick_fn tick);

/*
 * This CPU's own periodic tick: its local APIC timer interrupts it hz
 * times a second and calls tick() from the interrupt.  Each CPU has its
 * own; the rate was measured on CPU 0 against the TSC (smp_init).  Not yet
 * the scheduler's tick, which is the PIT's.
 */
void timer_start_local(unsigned hz, timer_tick_fn tick);

/* Stop this CPU's local tick. */
void timer_stop_local(void);

/* The CMOS real-time clock's date and time, read now, in seconds since 1970-01-01 UTC (0 if none). */
uint64_t rtc_unix_seconds(void);

#endif
