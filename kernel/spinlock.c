#include <kernel/printk.h>
#include <kernel/spinlock.h>

/* Take l with interrupts off; panics if this CPU already holds it. */
void spin_lock(struct spinlock *l)
{
    bool irq = irq_save();
    if (l->locked)
        panic("spin_lock: %s already held", l->name);
    l->locked = true;
    l->irq_was_on = irq;
}

/* Release l and restore the interrupt state from before spin_lock. */
void spin_unlock(struct spinlock *l)
{
    if (!l->locked)
        panic("spin_unlock: %s not held", l->name);
    bool irq = l->irq_was_on;
    l->locked = false;
    irq_restore(irq);
}

bool spin_held(const struct spinlock *l)
{
    return l->locked;
}
