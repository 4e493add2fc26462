/*
 * Spinlock support and the debug build's lock checker.  See
 * kernel/include/kernel/spinlock.h for the rules and
 * kernel/include/kernel/lock_order.h for the order.
 *
 * The checker keeps the locks this CPU holds, in the order taken (a
 * stack: locks are mostly released in reverse, but need not be).  One
 * CPU, and a lock means interrupts off, so one stack serves every thread:
 * a thread that is switched out holds no lock but the scheduler's, which
 * the next thread takes over.
 */
#include <kernel/printk.h>
#include <kernel/spinlock.h>

void spin_misuse(const struct spinlock *l, const char *what)
{
    panic("spinlock %s: %s", l->name, what);
}

/* ---- the debug build's checker ---- */

static const struct spinlock *held[LOCKS_HELD_MAX];     /* this CPU's, in the order taken */
static int held_count;

void lock_check_acquire(const struct spinlock *l)
{
    if (held_count > 0) {
        const struct spinlock *last = held[held_count - 1];
        if (l->rank <= last->rank)
            panic("lock order: taking %s (rank %d) while holding %s (rank %d); see lock_order.h",
                  l->name, l->rank, last->name, last->rank);
    }
    if (held_count == LOCKS_HELD_MAX)
        panic("lock order: %d locks held at once taking %s", held_count, l->name);
    held[held_count++] = l;
}

void lock_check_release(const struct spinlock *l)
{
    if (irq_enabled())
        panic("spinlock %s: held with interrupts on", l->name);
    for (int i = held_count - 1; i >= 0; i--) {
        if (held[i] == l) {
            for (int j = i; j < held_count - 1; j++)
                held[j] = held[j + 1];
            held_count--;
            return;
        }
    }
    panic("spinlock %s: released but not in the held list", l->name);
}

void lock_check_held_only(const struct spinlock *l)
{
    for (int i = 0; i < held_count; i++)
        if (held[i] != l)
            panic("lock %s held across a context switch", held[i]->name);
}
