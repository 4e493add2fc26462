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

/* Report a lock taken twice or released unheld; never returns. */
__attribute__((noreturn)) void spin_misuse(const struct spinlock *l, const char *what);

static inline bool spin_held(const struct spinlock *l) { return l->locked; }

#ifdef KERNEL
/* Take l with interrupts off; panics if this CPU already holds it.  Inline: it is on every path. */
static inline void spin_lock(struct spinlock *l)
{
    bool irq = irq_save();
    if (__builtin_expect(l->locked, 0))
        spin_misuse(l, "already held");
    l->locked = true;
    l->irq_was_on = irq;
}

/* Release l and restore the interrupt state from before spin_lock. */
static inline void spin_unlock(struct spinlock *l)
{
    if (__builtin_expect(!l->locked, 0))
        spin_misuse(l, "not held");
    bool irq = l->irq_was_on;
    l->locked = false;
    irq_restore(irq);
}
#else
/* Host unit tests of kernel code supply their own (they run in user mode: no cli). */
void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
#endif

#endif
