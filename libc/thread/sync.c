/*
 * Barriers, read-write locks and spin locks, built on a mutex and
 * condition variables (barriers, rwlocks) or one atomic word (spin).
 * Read-write locks prefer readers, as glibc's default does: a thread may
 * take a read lock it already holds even while a writer waits.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>

#define SPINS_BEFORE_YIELD 100      /* one CPU: the holder cannot run while we spin, so yield soon */

int pthread_barrierattr_init(pthread_barrierattr_t *attr)
{
    attr->__pshared = PTHREAD_PROCESS_PRIVATE;
    return 0;
}

int pthread_barrierattr_destroy(pthread_barrierattr_t *attr)
{
    (void)attr;
    return 0;
}

/* The attributes of the mutex and condition variables inside a barrier or read-write lock. */
static void inner_attrs(int pshared, pthread_mutexattr_t *mutex_attr, pthread_condattr_t *cond_attr)
{
    pthread_mutexattr_init(mutex_attr);
    pthread_mutexattr_setpshared(mutex_attr, pshared);
    pthread_condattr_init(cond_attr);
    pthread_condattr_setpshared(cond_attr, pshared);
}

int pthread_barrier_init(pthread_barrier_t *barrier, const pthread_barrierattr_t *attr, unsigned int count)
{
    if (count == 0)
        return EINVAL;
    pthread_mutexattr_t mutex_attr;
    pthread_condattr_t cond_attr;
    inner_attrs(attr ? attr->__pshared : PTHREAD_PROCESS_PRIVATE, &mutex_attr, &cond_attr);
    pthread_mutex_init(&barrier->__mutex, &mutex_attr);
    pthread_cond_init(&barrier->__cond, &cond_attr);
    barrier->__count = count;
    barrier->__waiting = 0;
    barrier->__round = 0;
    return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *barrier)
{
    return barrier->__waiting ? EBUSY : 0;
}

/* The last of count threads to arrive gets PTHREAD_BARRIER_SERIAL_THREAD and releases the rest. */
int pthread_barrier_wait(pthread_barrier_t *barrier)
{
    int result = 0;
    pthread_mutex_lock(&barrier->__mutex);
    unsigned int round = barrier->__round;
    if (++barrier->__waiting == barrier->__count) {
        barrier->__waiting = 0;
        barrier->__round++;
        pthread_cond_broadcast(&barrier->__cond);
        result = PTHREAD_BARRIER_SERIAL_THREAD;
    } else {
        while (round == barrier->__round)
            pthread_cond_wait(&barrier->__cond, &barrier->__mutex);
    }
    pthread_mutex_unlock(&barrier->__mutex);
    return result;
}

int pthread_rwlockattr_init(pthread_rwlockattr_t *attr)
{
    attr->__pshared = PTHREAD_PROCESS_PRIVATE;
    return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_rwlock_init(pthread_rwlock_t *lock, const pthread_rwlockattr_t *attr)
{
    pthread_rwlock_t fresh = PTHREAD_RWLOCK_INITIALIZER;
    *lock = fresh;
    pthread_mutexattr_t mutex_attr;
    pthread_condattr_t cond_attr;
    inner_attrs(attr ? attr->__pshared : PTHREAD_PROCESS_PRIVATE, &mutex_attr, &cond_attr);
    pthread_mutex_init(&lock->__mutex, &mutex_attr);
    pthread_cond_init(&lock->__readers_cond, &cond_attr);
    pthread_cond_init(&lock->__writers_cond, &cond_attr);
    return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *lock)
{
    return lock->__readers || lock->__writer ? EBUSY : 0;
}

/* Take it for reading; if try, fail with EBUSY instead of waiting. */
static int read_lock(pthread_rwlock_t *lock, int try)
{
    int err = 0;
    pthread_mutex_lock(&lock->__mutex);
    while (lock->__writer && !try)
        pthread_cond_wait(&lock->__readers_cond, &lock->__mutex);
    if (lock->__writer)
        err = EBUSY;
    else
        lock->__readers++;
    pthread_mutex_unlock(&lock->__mutex);
    return err;
}

/* Take it for writing; if try, fail with EBUSY instead of waiting. */
static int write_lock(pthread_rwlock_t *lock, int try)
{
    int err = 0;
    pthread_mutex_lock(&lock->__mutex);
    lock->__writers_waiting++;
    while ((lock->__writer || lock->__readers) && !try)
        pthread_cond_wait(&lock->__writers_cond, &lock->__mutex);
    lock->__writers_waiting--;
    if (lock->__writer || lock->__readers)
        err = EBUSY;
    else
        lock->__writer = 1;
    pthread_mutex_unlock(&lock->__mutex);
    return err;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *lock)    { return read_lock(lock, 0); }
int pthread_rwlock_tryrdlock(pthread_rwlock_t *lock) { return read_lock(lock, 1); }
int pthread_rwlock_wrlock(pthread_rwlock_t *lock)    { return write_lock(lock, 0); }
int pthread_rwlock_trywrlock(pthread_rwlock_t *lock) { return write_lock(lock, 1); }

int pthread_rwlock_unlock(pthread_rwlock_t *lock)
{
    int err = 0;
    pthread_mutex_lock(&lock->__mutex);
    if (lock->__writer) {
        lock->__writer = 0;
        pthread_cond_broadcast(&lock->__readers_cond);
        if (lock->__writers_waiting)
            pthread_cond_signal(&lock->__writers_cond);
    } else if (lock->__readers) {
        if (--lock->__readers == 0 && lock->__writers_waiting)
            pthread_cond_signal(&lock->__writers_cond);
    } else {
        err = EPERM;                    /* nobody holds it */
    }
    pthread_mutex_unlock(&lock->__mutex);
    return err;
}

int pthread_spin_init(pthread_spinlock_t *lock, int pshared)
{
    (void)pshared;
    *lock = 0;
    return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *lock)
{
    return *lock ? EBUSY : 0;
}

int pthread_spin_lock(pthread_spinlock_t *lock)
{
    for (int spins = 0; __atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE); spins++) {
        if (spins >= SPINS_BEFORE_YIELD)
            sched_yield();
        else
            __builtin_ia32_pause();
    }
    return 0;
}

int pthread_spin_trylock(pthread_spinlock_t *lock)
{
    return __atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE) ? EBUSY : 0;
}

int pthread_spin_unlock(pthread_spinlock_t *lock)
{
    __atomic_store_n(lock, 0, __ATOMIC_RELEASE);
    return 0;
}
