/*
 * Futex words and the one lock algorithm libc has, shared by libc's
 * internal locks (start/lock.c) and pthread mutexes (thread/mutex.c).
 *
 * The lock is Drepper's "mutex 2" ("Futexes Are Tricky", 2011): the word is
 *   LOCK_FREE       nobody holds it
 *   LOCK_HELD       held, nobody waits: unlock stays in user space
 *   LOCK_CONTENDED  held, and someone may sleep in FUTEX_WAIT: unlock wakes one
 * An uncontended lock and unlock are one atomic instruction each and never
 * enter the kernel.  A thread that had to wait takes the lock as CONTENDED
 * (it cannot know whether others still wait), so at worst one wake is wasted.
 */
#ifndef LIBC_INTERNAL_FUTEX_H
#define LIBC_INTERNAL_FUTEX_H

#include <abi/futex.h>
#include <time.h>
#include "syscall.h"

#define LOCK_FREE      0
#define LOCK_HELD      1
#define LOCK_CONTENDED 2

/* Sleep while *word == expected; 0 when woken, else -errno (EAGAIN, EINTR, ETIMEDOUT). */
static inline int futex_wait(volatile int *word, int expected, int op)
{
    return (int)__syscall4(SYS_futex, word, op, expected, 0);
}

/*
 * As futex_wait until the absolute time at on clock (CLOCK_REALTIME or
 * CLOCK_MONOTONIC); at NULL waits forever.
 */
static inline int futex_wait_until(volatile int *word, int expected, const struct timespec *at,
                                   clockid_t clock, int private_flag)
{
    int op = FUTEX_WAIT_BITSET | private_flag | (clock == CLOCK_REALTIME ? FUTEX_CLOCK_REALTIME : 0);
    return (int)__syscall6(SYS_futex, (long)word, op, expected, (long)at, 0, (long)FUTEX_BITSET_MATCH_ANY);
}

/* Wake up to n sleepers of word; how many woke. */
static inline int futex_wake(volatile int *word, int n, int op)
{
    return (int)__syscall3(SYS_futex, (long)word, op, n);
}

/*
 * Take the lock at word, sleeping while it is held.  private_flag is
 * FUTEX_PRIVATE_FLAG for a lock only this process's threads use, 0 for
 * one in shared memory that other processes take too (the kernel then
 * knows the futex by its physical address).
 */
static inline void lock_word_acquire(volatile int *word, int private_flag)
{
    int c = __sync_val_compare_and_swap(word, LOCK_FREE, LOCK_HELD);
    if (c == LOCK_FREE)
        return;
    if (c != LOCK_CONTENDED)
        c = __atomic_exchange_n(word, LOCK_CONTENDED, __ATOMIC_ACQUIRE);
    while (c != LOCK_FREE) {
        futex_wait(word, LOCK_CONTENDED, FUTEX_WAIT | private_flag);
        c = __atomic_exchange_n(word, LOCK_CONTENDED, __ATOMIC_ACQUIRE);
    }
}

/* Take the lock at word if it is free; 1 on success. */
static inline int lock_word_try(volatile int *word)
{
    return __sync_bool_compare_and_swap(word, LOCK_FREE, LOCK_HELD);
}

/* Release the lock at word, waking one sleeper if there may be one; private_flag as above. */
static inline void lock_word_release(volatile int *word, int private_flag)
{
    if (__atomic_exchange_n(word, LOCK_FREE, __ATOMIC_RELEASE) == LOCK_CONTENDED)
        futex_wake(word, 1, FUTEX_WAKE | private_flag);
}

#endif
