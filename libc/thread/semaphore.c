/*
 * Unnamed semaphores: the count is the futex word.  A waiter sleeps while
 * the count is 0; sem_post wakes one only if some thread is counted as
 * waiting.  Both sides change their own word before reading the other's,
 * with sequentially consistent atomics, so a post never misses a sleeper.
 */
#include <errno.h>
#include <semaphore.h>
#include "../internal/futex.h"
#include "../internal/pthread.h"

#define NSEC_PER_SEC 1000000000L

static int private_flag(const sem_t *sem)
{
    return sem->__pshared ? 0 : FUTEX_PRIVATE_FLAG;
}

int sem_init(sem_t *sem, int pshared, unsigned int value)
{
    if (value > SEM_VALUE_MAX) {
        errno = EINVAL;
        return -1;
    }
    sem->__value = (int)value;
    sem->__waiters = 0;
    sem->__pshared = pshared != 0;
    return 0;
}

int sem_destroy(sem_t *sem)
{
    (void)sem;
    return 0;
}

/* Take one from the count if it is positive; 1 on success. */
static int try_take(sem_t *sem)
{
    int value;
    while ((value = __atomic_load_n(&sem->__value, __ATOMIC_SEQ_CST)) > 0)
        if (__sync_bool_compare_and_swap(&sem->__value, value, value - 1))
            return 1;
    return 0;
}

/* sem_wait, until the CLOCK_REALTIME deadline if it is not NULL. */
static int wait_until(sem_t *sem, const struct timespec *deadline)
{
    for (;;) {
        if (try_take(sem))
            return 0;
        if (deadline && (deadline->tv_nsec < 0 || deadline->tv_nsec >= NSEC_PER_SEC)) {
            errno = EINVAL;
            return -1;
        }
        __atomic_add_fetch(&sem->__waiters, 1, __ATOMIC_SEQ_CST);
        int r = deadline ? futex_wait_until(&sem->__value, 0, deadline, CLOCK_REALTIME, private_flag(sem))
                         : futex_wait(&sem->__value, 0, FUTEX_WAIT | private_flag(sem));
        __atomic_sub_fetch(&sem->__waiters, 1, __ATOMIC_SEQ_CST);
        if (r == -ETIMEDOUT || r == -EINTR) {
            errno = -r;
            return -1;
        }
    }
}

int sem_wait(sem_t *sem)
{
    cancel_point_begin();
    int r = wait_until(sem, NULL);
    cancel_point_end();
    return r;
}

int sem_timedwait(sem_t *sem, const struct timespec *deadline)
{
    cancel_point_begin();
    int r = wait_until(sem, deadline);
    cancel_point_end();
    return r;
}

int sem_trywait(sem_t *sem)
{
    if (try_take(sem))
        return 0;
    errno = EAGAIN;
    return -1;
}

int sem_post(sem_t *sem)
{
    int value;
    do {
        value = __atomic_load_n(&sem->__value, __ATOMIC_SEQ_CST);
        if (value == SEM_VALUE_MAX) {
            errno = EOVERFLOW;
            return -1;
        }
    } while (!__sync_bool_compare_and_swap(&sem->__value, value, value + 1));
    if (__atomic_load_n(&sem->__waiters, __ATOMIC_SEQ_CST))
        futex_wake(&sem->__value, 1, FUTEX_WAKE | private_flag(sem));
    return 0;
}

int sem_getvalue(sem_t *sem, int *value)
{
    *value = __atomic_load_n(&sem->__value, __ATOMIC_SEQ_CST);
    return 0;
}
