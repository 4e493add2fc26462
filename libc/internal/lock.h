/*
 * libc's internal locks: malloc's heap, the list of open streams, each
 * stream, the atexit list, the thread list.  A futex lock (internal/futex.h):
 * taking a free lock and releasing one nobody waits for never enter the
 * kernel, so a process with one thread pays an atomic instruction each.
 * Not recursive: code that already holds a stream's lock calls the
 * *_unlocked helpers of stdio_impl.h.
 *
 * fork() takes the global ones (thread/fork.c) so that the child, which has
 * one thread, finds them free and the structures behind them consistent.
 */
#ifndef LIBC_INTERNAL_LOCK_H
#define LIBC_INTERNAL_LOCK_H

struct libc_lock {
    int state;      /* the futex word: LOCK_FREE, LOCK_HELD or LOCK_CONTENDED */
};

#define LIBC_LOCK_INIT { 0 }

void libc_lock(struct libc_lock *lock);
void libc_unlock(struct libc_lock *lock);

/* Make a lock free without waking anyone: only in a fork child, which has one thread. */
void libc_lock_reset(struct libc_lock *lock);

/*
 * The global locks, in the order they are taken (fork takes them all):
 * atexit_lock (start/exit.c), key_lock and thread_list_lock
 * (internal/pthread.h), open_lock then a stream's lock (stdio_impl.h),
 * heap_lock (heap.h).
 */
extern struct libc_lock atexit_lock;

#endif
