/*
 * Spinlocks.  A lock word taken with an atomic exchange, so that several
 * CPUs can contend for it, and interrupts off on the CPU that holds it, so
 * that no interrupt handler and no preemption runs there meanwhile.  The
 * lock records which CPU holds it: taking a lock this CPU already holds is
 * a deadlock, caught instead of spinning for ever.
 *
 * The rules, and where they are checked (KERNEL_DEBUG: the debug build):
 *   - Interrupts stay off while any lock is held: spin_unlock asserts it
 *     (debug).  The interrupt state a release restores belongs to the
 *     thread that took the lock, and the context switch keeps it so.
 *   - Locks nest only in the order of kernel/include/kernel/lock_order.h:
 *     taking a lock of a rank not above every lock this CPU holds panics
 *     naming both (debug).
 *   - No lock is held across a sleep but the one sleep_on releases, and
 *     none across a switch but the scheduler's own (debug).
 *   - A function whose contract says "call with L held" begins with
 *     spin_assert_held(L) (every build): held by this CPU.
 * Only kernel/spinlock.c (and these inline functions) touch a lock's fields.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/percpu.h>
#include <kernel/lock_order.h>
#include <kernel/time.h>
#include <stdbool.h>
#include <stdint.h>

#define SPIN_NO_OWNER   (-1)

struct spinlock {
    const char *name;           /* for panic messages */
    enum lock_rank rank;        /* its place in the lock order */
    uint32_t word;              /* 1 while held: taken by atomic exchange */
    int32_t owner;              /* the CPU holding it, or SPIN_NO_OWNER; written by the holder only */
    bool irq_was_on;            /* interrupt state to restore on release: the taker's */
};

#define SPINLOCK_INIT(n, r) { .name = (n), .rank = (r), .word = 0, .owner = SPIN_NO_OWNER, .irq_was_on = false }

/* Report a lock taken twice or released unheld; never returns. */
__attribute__((noreturn)) void spin_misuse(const struct spinlock *l, const char *what);

/*
 * A CPU that spins for something another CPU must do (a lock, a TLB
 * shootdown) looks at the clock once every SPIN_LOOKS_EVERY spins; after
 * LOCKUP_NS it is a lockup and a panic, which names what it waited for
 * and, through the NMI that stops the other CPUs, prints where they were:
 * a hang becomes a report.  LOCKUP_NS is far longer than any critical
 * section, and than a vCPU of a 4-CPU machine on 2 host cores loses its
 * host core while it holds a lock.
 */
#define SPIN_LOOKS_EVERY 4096u
#define LOCKUP_NS (10 * NSEC_PER_SEC)

/* True once LOCKUP_NS has passed since the first call of this wait (*waiting_since_ns starts at 0). */
bool lockup_reached(uint64_t *waiting_since_ns);

/* A lock waited for that long: panic naming it and its holder. */
void spin_check_lockup(const struct spinlock *l, uint64_t *waiting_since_ns);

/* The debug build's bookkeeping of the locks each CPU holds (kernel/spinlock.c). */
void lock_check_acquire(const struct spinlock *l);
void lock_check_release(const struct spinlock *l);

#ifdef KERNEL
/* True if this CPU holds l. */
static inline bool spin_held(const struct spinlock *l)
{
    return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) == (int32_t)cpu_id();
}

/* A contract's "call with l held", checked. */
static inline void spin_assert_held(const struct spinlock *l)
{
    if (__builtin_expect(!spin_held(l), 0))
        spin_misuse(l, "not held, where the caller's contract says it is");
}

/*
 * Take l, interrupts already off: spin until its word is ours, then note
 * the owner and the interrupt state to restore at release.  The exchange
 * is the acquire barrier; while another CPU holds it we only read (PAUSE),
 * so the waiting CPUs do not fight over the cache line.
 */
static inline void spin_mark_taken(struct spinlock *l, bool irq)
{
    if (__builtin_expect(spin_held(l), 0))
        spin_misuse(l, "already held");
#ifdef KERNEL_DEBUG
    lock_check_acquire(l);
#endif
    uint64_t waiting_since = 0;
    unsigned spins = 0;
    while (__builtin_expect(__atomic_exchange_n(&l->word, 1, __ATOMIC_ACQUIRE), 0)) {
        while (__atomic_load_n(&l->word, __ATOMIC_RELAXED)) {
            cpu_relax();
            mmu_serve_requests();       /* the holder may be waiting for this CPU's TLB (arch tlb.c) */
            if (__builtin_expect(++spins % SPIN_LOOKS_EVERY == 0, 0))
                spin_check_lockup(l, &waiting_since);
        }
    }
    __atomic_store_n(&l->owner, (int32_t)cpu_id(), __ATOMIC_RELAXED);
    l->irq_was_on = irq;
}

/* Take l with interrupts off; panics if this CPU already holds it.  Inline: it is on every path. */
static inline void spin_lock(struct spinlock *l)
{
    spin_mark_taken(l, irq_save());
}

/* Let go of l's word (the release barrier: everything written under it is seen before). */
static inline void spin_release_word(struct spinlock *l)
{
    __atomic_store_n(&l->owner, SPIN_NO_OWNER, __ATOMIC_RELAXED);
    __atomic_store_n(&l->word, 0, __ATOMIC_RELEASE);
}

/* Release l and restore the interrupt state from before spin_lock. */
static inline void spin_unlock(struct spinlock *l)
{
    if (__builtin_expect(!spin_held(l), 0))
        spin_misuse(l, "not held");
#ifdef KERNEL_DEBUG
    lock_check_release(l);
#endif
    bool irq = l->irq_was_on;
    spin_release_word(l);
    irq_restore(irq);
}

/*
 * For sleep_on: release l (held) without touching interrupts, which stay
 * off until the sleeper is switched out; returns what must be handed to
 * spin_retake_after_sleep when it runs again.
 */
static inline bool spin_release_for_sleep(struct spinlock *l)
{
    spin_assert_held(l);
#ifdef KERNEL_DEBUG
    lock_check_release(l);
#endif
    bool irq = l->irq_was_on;
    spin_release_word(l);
    return irq;
}

static inline void spin_retake_after_sleep(struct spinlock *l, bool irq_was_on)
{
    if (__builtin_expect(irq_enabled(), 0))
        spin_misuse(l, "retaken after a sleep with interrupts on");
    spin_mark_taken(l, irq_was_on);
}

/*
 * For the context switch, which hands lock l (the scheduler's) from one
 * thread to the next: the interrupt state its holder will restore, which
 * the switch saves before and puts back after (each thread's own).
 */
static inline bool spin_irq_state(const struct spinlock *l)
{
    spin_assert_held(l);
    return l->irq_was_on;
}

static inline void spin_set_irq_state(struct spinlock *l, bool irq_was_on)
{
    spin_assert_held(l);
    l->irq_was_on = irq_was_on;
}

/* At a context switch: panics unless l (the scheduler's lock) is the only lock held (debug). */
void lock_check_held_only(const struct spinlock *l);
static inline void lock_check_switch(const struct spinlock *l)
{
#ifdef KERNEL_DEBUG
    lock_check_held_only(l);
#else
    (void)l;
#endif
}

#else
/* Host unit tests of kernel code supply their own (they run in user mode: no cli). */
void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
#endif

#endif
