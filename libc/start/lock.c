/*
 * libc's internal locks (see internal/lock.h): the futex lock of
 * internal/futex.h, the same algorithm as a default pthread mutex.
 */
#include "../internal/futex.h"
#include "../internal/lock.h"

void libc_lock(struct libc_lock *lock)
{
    lock_word_acquire(&lock->state, FUTEX_PRIVATE_FLAG);
}

void libc_unlock(struct libc_lock *lock)
{
    lock_word_release(&lock->state, FUTEX_PRIVATE_FLAG);
}

void libc_lock_reset(struct libc_lock *lock)
{
    lock->state = LOCK_FREE;
}
