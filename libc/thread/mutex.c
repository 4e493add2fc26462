/*
 * Mutexes: the futex lock of internal/futex.h.  A normal (default) mutex is
 * the bare lock word; the error-checking and recursive kinds also record
 * the holder's tid, which only the holder itself writes, so reading it
 * without the lock can only find our own tid when we are the holder.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include "../internal/futex.h"
#include "../internal/pthread.h"

#define NSEC_PER_SEC 1000000000L

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
    attr->__type = PTHREAD_MUTEX_DEFAULT;
    attr->__pshared = PTHREAD_PROCESS_PRIVATE;
    return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
    if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_RECURSIVE && type != PTHREAD_MUTEX_ERRORCHECK)
        return EINVAL;
    attr->__type = type;
    return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
    *type = attr->__type;
    return 0;
}

int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr)
{
    mutex->__lock = LOCK_FREE;
    mutex->__type = attr ? attr->__type : PTHREAD_MUTEX_DEFAULT;
    mutex->__owner = 0;
    mutex->__count = 0;
    mutex->__pshared = attr ? attr->__pshared : PTHREAD_PROCESS_PRIVATE;
    return 0;
}

/* The futex flag for the mutex's word: private unless other processes take it too. */
static int private_flag(const pthread_mutex_t *mutex)
{
    return mutex->__pshared ? 0 : FUTEX_PRIVATE_FLAG;
}

int pthread_mutex_destroy(pthread_mutex_t *mutex)
{
    return mutex->__lock != LOCK_FREE ? EBUSY : 0;
}

/* Error-checking and recursive mutexes: what to do when the caller already holds it; -1 if it does not. */
static int relock(pthread_mutex_t *mutex, int tid, int busy_error)
{
    if (__atomic_load_n(&mutex->__owner, __ATOMIC_RELAXED) != tid)
        return -1;
    if (mutex->__type == PTHREAD_MUTEX_ERRORCHECK)
        return busy_error;
    if (mutex->__count == INT_MAX)
        return EAGAIN;
    mutex->__count++;
    return 0;
}

/* The caller has just taken the lock word. */
static void set_owner(pthread_mutex_t *mutex, int tid)
{
    __atomic_store_n(&mutex->__owner, tid, __ATOMIC_RELAXED);
    mutex->__count = 1;
}

int pthread_mutex_lock(pthread_mutex_t *mutex)
{
    if (mutex->__type == PTHREAD_MUTEX_NORMAL) {
        lock_word_acquire(&mutex->__lock, private_flag(mutex));
        return 0;
    }
    int tid = thread_self()->tid, err = relock(mutex, tid, EDEADLK);
    if (err >= 0)
        return err;
    lock_word_acquire(&mutex->__lock, private_flag(mutex));
    set_owner(mutex, tid);
    return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *mutex)
{
    if (mutex->__type == PTHREAD_MUTEX_NORMAL)
        return lock_word_try(&mutex->__lock) ? 0 : EBUSY;
    int tid = thread_self()->tid, err = relock(mutex, tid, EBUSY);
    if (err >= 0)
        return err;
    if (!lock_word_try(&mutex->__lock))
        return EBUSY;
    set_owner(mutex, tid);
    return 0;
}

/* lock_word_acquire with a deadline on CLOCK_REALTIME: 0 or ETIMEDOUT. */
static int acquire_until(volatile int *word, const struct timespec *deadline, int private_flag)
{
    int c = __sync_val_compare_and_swap(word, LOCK_FREE, LOCK_HELD);
    if (c == LOCK_FREE)
        return 0;
    if (c != LOCK_CONTENDED)
        c = __atomic_exchange_n(word, LOCK_CONTENDED, __ATOMIC_ACQUIRE);
    while (c != LOCK_FREE) {
        if (futex_wait_until(word, LOCK_CONTENDED, deadline, CLOCK_REALTIME, private_flag) == -ETIMEDOUT)
            return ETIMEDOUT;
        c = __atomic_exchange_n(word, LOCK_CONTENDED, __ATOMIC_ACQUIRE);
    }
    return 0;
}

int pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *deadline)
{
    int tid = thread_self()->tid;
    if (mutex->__type != PTHREAD_MUTEX_NORMAL) {
        int err = relock(mutex, tid, EDEADLK);
        if (err >= 0)
            return err;
    }
    if (lock_word_try(&mutex->__lock)) {
        if (mutex->__type != PTHREAD_MUTEX_NORMAL)
            set_owner(mutex, tid);
        return 0;
    }
    if (deadline->tv_nsec < 0 || deadline->tv_nsec >= NSEC_PER_SEC)
        return EINVAL;                  /* checked only when it would have to wait, as POSIX says */
    int err = acquire_until(&mutex->__lock, deadline, private_flag(mutex));
    if (!err && mutex->__type != PTHREAD_MUTEX_NORMAL)
        set_owner(mutex, tid);
    return err;
}

int pthread_mutex_unlock(pthread_mutex_t *mutex)
{
    if (mutex->__type != PTHREAD_MUTEX_NORMAL) {
        if (__atomic_load_n(&mutex->__owner, __ATOMIC_RELAXED) != thread_self()->tid)
            return EPERM;
        if (--mutex->__count > 0)
            return 0;
        __atomic_store_n(&mutex->__owner, 0, __ATOMIC_RELAXED);
    }
    lock_word_release(&mutex->__lock, private_flag(mutex));
    return 0;
}
