/*
 * libc's internal locks: malloc's heap, the list of open streams, each
 * stream, the atexit list.  While a process has one thread they cost a call
 * and nothing else; issue 6 (threads) turns lock.c into futex mutexes
 * without changing any caller.  Not recursive: code that already holds a
 * stream's lock calls the *_unlocked helpers of stdio_impl.h.
 */
#ifndef LIBC_INTERNAL_LOCK_H
#define LIBC_INTERNAL_LOCK_H

struct libc_lock {
    int state;      /* 0 free, 1 held (issue 6: the futex word) */
};

#define LIBC_LOCK_INIT { 0 }

void libc_lock(struct libc_lock *lock);
void libc_unlock(struct libc_lock *lock);

#endif
