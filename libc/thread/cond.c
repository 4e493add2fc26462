/*
 * Condition variables: a sequence number that every signal and broadcast
 * bumps.  A waiter reads it while it still holds the mutex, releases the
 * mutex and sleeps only while the number is unchanged, so a signal sent
 * after the waiter let go of the mutex is never lost.  Waiters are counted
 * so that a signal with nobody waiting stays in user space.  (The number
 * wraps after 2^32 signals: a waiter that slept through exactly that many
 * would sleep on; a theoretical case we accept, as musl's older versions did.)
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include "../internal/futex.h"
#include "../internal/pthread.h"

#define NSEC_PER_SEC 1000000000L

int pthread_condattr_init(pthread_condattr_t *attr)
{
    attr->__clock = CLOCK_REALTIME;
    attr->__pshared = PTHREAD_PROCESS_PRIVATE;
    return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock)
{
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
        return EINVAL;
    attr->__clock = clock;
    return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock)
{
    *clock = attr->__clock;
    return 0;
}

int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr)
{
    cond->__seq = 0;
    cond->__waiters = 0;
    cond->__clock = attr ? attr->__clock : CLOCK_REALTIME;
    cond->__pshared = attr ? attr->__pshared : PTHREAD_PROCESS_PRIVATE;
    return 0;
}

/* The futex flag for the condition's word: private unless other processes wait on it too. */
static int private_flag(const pthread_cond_t *cond)
{
    return cond->__pshared ? 0 : FUTEX_PRIVATE_FLAG;
}

int pthread_cond_destroy(pthread_cond_t *cond)
{
    return __atomic_load_n(&cond->__waiters, __ATOMIC_SEQ_CST) ? EBUSY : 0;
}

/* Wait for a signal, until deadline on the condition's clock if it is not NULL. */
static int wait_until(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *deadline)
{
    if (deadline && (deadline->tv_nsec < 0 || deadline->tv_nsec >= NSEC_PER_SEC))
        return EINVAL;
    volatile int *word = (volatile int *)&cond->__seq;
    __atomic_add_fetch(&cond->__waiters, 1, __ATOMIC_SEQ_CST);
    int seq = __atomic_load_n(word, __ATOMIC_SEQ_CST);
    int err = pthread_mutex_unlock(mutex);
    if (err) {                          /* an error-checking mutex we do not hold */
        __atomic_sub_fetch(&cond->__waiters, 1, __ATOMIC_SEQ_CST);
        return err;
    }
    int r = deadline ? futex_wait_until(word, seq, deadline, cond->__clock, private_flag(cond))
                     : futex_wait(word, seq, FUTEX_WAIT | private_flag(cond));
    __atomic_sub_fetch(&cond->__waiters, 1, __ATOMIC_SEQ_CST);
    pthread_mutex_lock(mutex);
    return r == -ETIMEDOUT ? ETIMEDOUT : 0;     /* EINTR and EAGAIN: a spurious wake-up, allowed */
}

/* A cancellation point: a cancel while it waits takes the mutex back, then ends the thread. */
static int cancellable_wait(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *deadline)
{
    struct pthread *self = thread_self();
    cancel_point_begin();
    self->cancel_mutex = mutex;
    int r = wait_until(cond, mutex, deadline);
    self->cancel_mutex = NULL;
    cancel_point_end();
    return r;
}

int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
    return cancellable_wait(cond, mutex, NULL);
}

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *deadline)
{
    return cancellable_wait(cond, mutex, deadline);
}

static int wake(pthread_cond_t *cond, int n)
{
    __atomic_add_fetch(&cond->__seq, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&cond->__waiters, __ATOMIC_SEQ_CST))
        futex_wake((volatile int *)&cond->__seq, n, FUTEX_WAKE | private_flag(cond));
    return 0;
}

int pthread_cond_signal(pthread_cond_t *cond)
{
    return wake(cond, 1);
}

int pthread_cond_broadcast(pthread_cond_t *cond)
{
    return wake(cond, INT_MAX);
}
