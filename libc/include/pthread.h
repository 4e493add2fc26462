/*
 * POSIX threads.  A thread is a clone() in the caller's process (see
 * libc/thread/create.c); mutexes, condition variables, once, barriers and
 * read-write locks are futex words that stay in user space when nobody
 * waits.  No cancellation and no process-shared objects across mappings.
 *
 * pthread_t is a number that is never reused within a process (not the
 * address of anything), so joining a thread that is gone fails with ESRCH
 * instead of touching freed memory.
 */
#ifndef _PTHREAD_H
#define _PTHREAD_H

#include <bits/types.h>
#include <limits.h>
#include <sched.h>
#include <time.h>

typedef unsigned long pthread_t;

typedef struct {
    size_t __stacksize;         /* usable stack bytes */
    size_t __guardsize;         /* bytes of the inaccessible guard below the stack */
    void *__stackaddr;          /* pthread_attr_setstack's stack (its lowest address), or NULL */
    int __detachstate;          /* PTHREAD_CREATE_JOINABLE or _DETACHED */
    int __inheritsched;         /* PTHREAD_INHERIT_SCHED or _EXPLICIT_SCHED */
    int __policy;               /* SCHED_OTHER: the one policy there is */
    int __priority;
} pthread_attr_t;

typedef struct {
    int __lock;                 /* the futex word (libc/internal/futex.h) */
    int __type;                 /* PTHREAD_MUTEX_* */
    int __owner;                /* tid of the holder: error-checking and recursive types */
    int __count;                /* recursive type: times the holder took it */
    int __pshared;              /* PTHREAD_PROCESS_SHARED: taken by several processes (shared memory) */
} pthread_mutex_t;

typedef struct {
    int __type;
    int __pshared;
} pthread_mutexattr_t;

typedef struct {
    unsigned int __seq;         /* the futex word: bumped by every signal and broadcast */
    unsigned int __waiters;     /* threads in wait: signal makes no system call without them */
    int __clock;                /* clock of timedwait's deadline */
    int __pshared;              /* PTHREAD_PROCESS_SHARED: waited on by several processes */
} pthread_cond_t;

typedef struct {
    int __clock;
    int __pshared;
} pthread_condattr_t;

typedef int pthread_once_t;
typedef unsigned int pthread_key_t;

typedef struct {
    pthread_mutex_t __mutex;
    pthread_cond_t __cond;
    unsigned int __count;       /* threads to wait for */
    unsigned int __waiting;     /* arrived in this round */
    unsigned int __round;       /* completed rounds */
} pthread_barrier_t;

typedef struct {
    int __pshared;
} pthread_barrierattr_t;

typedef struct {
    pthread_mutex_t __mutex;
    pthread_cond_t __readers_cond;
    pthread_cond_t __writers_cond;
    int __readers;              /* holding it for reading */
    int __writer;               /* 1 while a writer holds it */
    int __writers_waiting;      /* writers first: readers wait while one waits */
    int __pad;
} pthread_rwlock_t;

typedef struct {
    int __pshared;
} pthread_rwlockattr_t;

typedef int pthread_spinlock_t;

#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1

#define PTHREAD_MUTEX_NORMAL     0
#define PTHREAD_MUTEX_RECURSIVE  1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT    PTHREAD_MUTEX_NORMAL

/* One scheduler for all threads of the system: the only scope is SYSTEM, the only policy SCHED_OTHER. */
#define PTHREAD_SCOPE_SYSTEM    0
#define PTHREAD_SCOPE_PROCESS   1
#define PTHREAD_INHERIT_SCHED   0
#define PTHREAD_EXPLICIT_SCHED  1

#define PTHREAD_PROCESS_PRIVATE 0
#define PTHREAD_PROCESS_SHARED  1

#define PTHREAD_MUTEX_INITIALIZER { 0, 0, 0, 0, 0 }
#define PTHREAD_COND_INITIALIZER  { 0, 0, 0, 0 }
#define PTHREAD_RWLOCK_INITIALIZER { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, \
                                     PTHREAD_COND_INITIALIZER, 0, 0, 0, 0 }
#define PTHREAD_ONCE_INIT 0

/* Cancellation: deferred (at cancellation points) unless made asynchronous. */
#define PTHREAD_CANCELED            ((void *)-1)
#define PTHREAD_CANCEL_ENABLE       0
#define PTHREAD_CANCEL_DISABLE      1
#define PTHREAD_CANCEL_DEFERRED     0
#define PTHREAD_CANCEL_ASYNCHRONOUS 1
int pthread_cancel(pthread_t thread);
void pthread_testcancel(void);
int pthread_setcancelstate(int state, int *old);
int pthread_setcanceltype(int type, int *old);

#define PTHREAD_BARRIER_SERIAL_THREAD (-1)

/* Cleanup handlers: push and pop must pair in one block, as POSIX requires. */
struct __pthread_cleanup {
    void (*__routine)(void *);
    void *__arg;
    struct __pthread_cleanup *__next;
};
void __pthread_cleanup_push(struct __pthread_cleanup *frame, void (*routine)(void *), void *arg);
void __pthread_cleanup_pop(struct __pthread_cleanup *frame, int execute);
#define pthread_cleanup_push(routine, arg) \
    do { struct __pthread_cleanup __cleanup_frame; __pthread_cleanup_push(&__cleanup_frame, (routine), (arg));
#define pthread_cleanup_pop(execute) \
    __pthread_cleanup_pop(&__cleanup_frame, (execute)); } while (0)

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg);
int pthread_join(pthread_t thread, void **result);
int pthread_detach(pthread_t thread);
__attribute__((__noreturn__)) void pthread_exit(void *result);
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);
int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void));
int pthread_kill(pthread_t thread, int signal);     /* signal.h in POSIX; here, as it needs pthread_t */
int pthread_getcpuclockid(pthread_t thread, clockid_t *clock);  /* its CPU-time clock, for clock_gettime */

int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size);
int pthread_attr_setguardsize(pthread_attr_t *attr, size_t size);
int pthread_attr_getguardsize(const pthread_attr_t *attr, size_t *size);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state);
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state);
int pthread_attr_setstack(pthread_attr_t *attr, void *stack, size_t size);
int pthread_attr_getstack(const pthread_attr_t *attr, void **stack, size_t *size);
int pthread_attr_setscope(pthread_attr_t *attr, int scope);
int pthread_attr_getscope(const pthread_attr_t *attr, int *scope);
int pthread_attr_setinheritsched(pthread_attr_t *attr, int inherit);
int pthread_attr_getinheritsched(const pthread_attr_t *attr, int *inherit);
int pthread_attr_setschedpolicy(pthread_attr_t *attr, int policy);
int pthread_attr_getschedpolicy(const pthread_attr_t *attr, int *policy);
int pthread_attr_setschedparam(pthread_attr_t *attr, const struct sched_param *param);
int pthread_attr_getschedparam(const pthread_attr_t *attr, struct sched_param *param);
int pthread_setschedparam(pthread_t thread, int policy, const struct sched_param *param);
int pthread_getschedparam(pthread_t thread, int *policy, struct sched_param *param);
int pthread_setconcurrency(int level);
int pthread_getconcurrency(void);

int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *mutex);
int pthread_mutex_lock(pthread_mutex_t *mutex);
int pthread_mutex_trylock(pthread_mutex_t *mutex);
int pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *deadline);
int pthread_mutex_unlock(pthread_mutex_t *mutex);
int pthread_mutexattr_init(pthread_mutexattr_t *attr);
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type);
int pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int pshared);
int pthread_mutexattr_getpshared(const pthread_mutexattr_t *attr, int *pshared);

int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr);
int pthread_cond_destroy(pthread_cond_t *cond);
int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex);
int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *deadline);
int pthread_cond_signal(pthread_cond_t *cond);
int pthread_cond_broadcast(pthread_cond_t *cond);
int pthread_condattr_init(pthread_condattr_t *attr);
int pthread_condattr_destroy(pthread_condattr_t *attr);
int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock);
int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock);
int pthread_condattr_setpshared(pthread_condattr_t *attr, int pshared);
int pthread_condattr_getpshared(const pthread_condattr_t *attr, int *pshared);

int pthread_once(pthread_once_t *once, void (*init)(void));

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
void *pthread_getspecific(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);

int pthread_barrier_init(pthread_barrier_t *barrier, const pthread_barrierattr_t *attr, unsigned int count);
int pthread_barrier_destroy(pthread_barrier_t *barrier);
int pthread_barrier_wait(pthread_barrier_t *barrier);
int pthread_barrierattr_init(pthread_barrierattr_t *attr);
int pthread_barrierattr_destroy(pthread_barrierattr_t *attr);
int pthread_barrierattr_setpshared(pthread_barrierattr_t *attr, int pshared);
int pthread_barrierattr_getpshared(const pthread_barrierattr_t *attr, int *pshared);

int pthread_rwlock_init(pthread_rwlock_t *lock, const pthread_rwlockattr_t *attr);
int pthread_rwlock_destroy(pthread_rwlock_t *lock);
int pthread_rwlock_rdlock(pthread_rwlock_t *lock);
int pthread_rwlock_tryrdlock(pthread_rwlock_t *lock);
int pthread_rwlock_wrlock(pthread_rwlock_t *lock);
int pthread_rwlock_trywrlock(pthread_rwlock_t *lock);
int pthread_rwlock_unlock(pthread_rwlock_t *lock);
int pthread_rwlockattr_init(pthread_rwlockattr_t *attr);
int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr);
int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *attr, int pshared);
int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *attr, int *pshared);

int pthread_spin_init(pthread_spinlock_t *lock, int pshared);
int pthread_spin_destroy(pthread_spinlock_t *lock);
int pthread_spin_lock(pthread_spinlock_t *lock);
int pthread_spin_trylock(pthread_spinlock_t *lock);
int pthread_spin_unlock(pthread_spinlock_t *lock);

#endif
