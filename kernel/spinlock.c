/*
 * Spinlock support and the debug build's lock checker.  See
 * kernel/include/kernel/spinlock.h for the rules and
 * kernel/include/kernel/lock_order.h for the order.
 *
 * The checker keeps the locks each CPU holds, in the order taken (a
 * stack: locks are mostly released in reverse, but need not be).  A lock
 * means interrupts off on its CPU, so one stack per CPU serves every
 * thread that runs there: a thread that is switched out holds no lock but
 * the scheduler's, which the next thread on that CPU takes over.
 */
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>

bool lockup_reached(uint64_t *waiting_since_ns)
{
    uint64_t now = clock_monotonic_ns();
    if (*waiting_since_ns == 0)
        *waiting_since_ns = now;
    return now - *waiting_since_ns >= LOCKUP_NS;
}

void spin_misuse(const struct spinlock *l, const char *what)
{
    panic("spinlock %s: %s", l->name, what);
}

void spin_check_lockup(const struct spinlock *l, uint64_t *waiting_since_ns)
{
    if (lockup_reached(waiting_since_ns))
        panic("spinlock %s: lockup: CPU %u has waited %lu s for it; CPU %d holds it", l->name, cpu_id(),
              (unsigned long)(LOCKUP_NS / NSEC_PER_SEC), (int)__atomic_load_n(&l->owner, __ATOMIC_RELAXED));
}

/* ---- the debug build's checker ---- */

/* The locks one CPU holds, in the order taken; only that CPU touches its own, interrupts off. */
struct held_locks {
    const struct spinlock *lock[LOCKS_HELD_MAX];
    int count;
};

static struct held_locks held_by_cpu[CPU_MAX];

void lock_check_acquire(const struct spinlock *l)
{
    struct held_locks *h = &held_by_cpu[cpu_id()];
    const struct spinlock **held = h->lock;
    int held_count = h->count;
    if (held_count > 0) {
        const struct spinlock *last = held[held_count - 1];
        if (l->rank <= last->rank)
            panic("lock order: taking %s (rank %d) while holding %s (rank %d); see lock_order.h",
                  l->name, l->rank, last->name, last->rank);
    }
    if (held_count == LOCKS_HELD_MAX)
        panic("lock order: %d locks held at once taking %s", held_count, l->name);
    held[h->count++] = l;
}

void lock_check_release(const struct spinlock *l)
{
    if (irq_enabled())
        panic("spinlock %s: held with interrupts on", l->name);
    struct held_locks *h = &held_by_cpu[cpu_id()];
    for (int i = h->count - 1; i >= 0; i--) {
        if (h->lock[i] == l) {
            for (int j = i; j < h->count - 1; j++)
                h->lock[j] = h->lock[j + 1];
            h->count--;
            return;
        }
    }
    panic("spinlock %s: released but not in the held list", l->name);
}

void lock_check_held_only(const struct spinlock *l)
{
    const struct held_locks *h = &held_by_cpu[cpu_id()];
    for (int i = 0; i < h->count; i++)
        if (h->lock[i] != l)
            panic("lock %s held across a context switch", h->lock[i]->name);
}
