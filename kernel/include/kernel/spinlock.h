/*
 * Spinlocks.  The kernel runs on one CPU, so holding a lock means having
 * interrupts off: no interrupt handler and no preemption can run while a
 * lock is held.  The lock word still records the holder, so taking a lock
 * twice is caught instead of silently passing.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <arch/cpu.h>
#include <stdbool.h>

struct spinlock {
    const char *name;   /* for panic messages */
    bool locked;
    bool irq_was_on;    /* interrupt state to restore on release */
};

#define SPINLOCK_INIT(n) { .name = (n), .locked = false, .irq_was_on = false }

void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
bool spin_held(const struct spinlock *l);

#endif
