/* The periodic tick and the cycle counter's rate. */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <stdint.h>

/*
 * Measure the time-stamp counter's frequency against the PIT (10 ms);
 * returns cycles per second.  Under QEMU -icount shift=0 both run on
 * virtual time, so this reads 1e9: one instruction per nanosecond.
 */
uint64_t timer_calibrate_tsc(void);

/* Interrupt hz times a second, calling tick() from the interrupt. */
void timer_start(unsigned hz, void (*tick)(void));

#endif
