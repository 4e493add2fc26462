/* Thread attributes: stack, guard, detach state; and scheduling, which has one choice only. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include "../internal/pthread.h"

int pthread_attr_init(pthread_attr_t *attr)
{
    attr->__stacksize = THREAD_DEFAULT_STACK;
    attr->__guardsize = THREAD_DEFAULT_GUARD;
    attr->__stackaddr = NULL;
    attr->__detachstate = PTHREAD_CREATE_JOINABLE;
    attr->__inheritsched = PTHREAD_INHERIT_SCHED;
    attr->__policy = SCHED_OTHER;
    attr->__priority = 0;
    return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
    if (size < PTHREAD_STACK_MIN || size > SSIZE_MAX / 2)
        return EINVAL;
    attr->__stacksize = size;
    return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
    *size = attr->__stacksize;
    return 0;
}

int pthread_attr_setguardsize(pthread_attr_t *attr, size_t size)
{
    if (size > SSIZE_MAX / 2)
        return EINVAL;
    attr->__guardsize = size;
    return 0;
}

int pthread_attr_getguardsize(const pthread_attr_t *attr, size_t *size)
{
    *size = attr->__guardsize;
    return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
    if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED)
        return EINVAL;
    attr->__detachstate = state;
    return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
    *state = attr->__detachstate;
    return 0;
}

/* A stack of the caller's: the thread's TLS block and record go at its top; nothing is unmapped. */
int pthread_attr_setstack(pthread_attr_t *attr, void *stack, size_t size)
{
    if (size < PTHREAD_STACK_MIN || (uintptr_t)stack + size < (uintptr_t)stack)
        return EINVAL;
    attr->__stackaddr = stack;
    attr->__stacksize = size;
    return 0;
}

int pthread_attr_getstack(const pthread_attr_t *attr, void **stack, size_t *size)
{
    *stack = attr->__stackaddr;
    *size = attr->__stacksize;
    return 0;
}

/* Threads are the kernel's: each competes with every thread of the system. */
int pthread_attr_setscope(pthread_attr_t *attr, int scope)
{
    (void)attr;
    if (scope == PTHREAD_SCOPE_SYSTEM)
        return 0;
    return scope == PTHREAD_SCOPE_PROCESS ? ENOTSUP : EINVAL;
}

int pthread_attr_getscope(const pthread_attr_t *attr, int *scope)
{
    (void)attr;
    *scope = PTHREAD_SCOPE_SYSTEM;
    return 0;
}

int pthread_attr_setinheritsched(pthread_attr_t *attr, int inherit)
{
    if (inherit != PTHREAD_INHERIT_SCHED && inherit != PTHREAD_EXPLICIT_SCHED)
        return EINVAL;
    attr->__inheritsched = inherit;
    return 0;
}

int pthread_attr_getinheritsched(const pthread_attr_t *attr, int *inherit)
{
    *inherit = attr->__inheritsched;
    return 0;
}

/* The scheduler has one policy, SCHED_OTHER, whose only priority is 0 (as on Linux). */
static int check_policy(int policy, int priority)
{
    if (policy == SCHED_FIFO || policy == SCHED_RR)
        return ENOTSUP;
    if (policy != SCHED_OTHER || priority != 0)
        return EINVAL;
    return 0;
}

int pthread_attr_setschedpolicy(pthread_attr_t *attr, int policy)
{
    int err = check_policy(policy, 0);
    if (!err)
        attr->__policy = policy;
    return err;
}

int pthread_attr_getschedpolicy(const pthread_attr_t *attr, int *policy)
{
    *policy = attr->__policy;
    return 0;
}

int pthread_attr_setschedparam(pthread_attr_t *attr, const struct sched_param *param)
{
    int err = check_policy(attr->__policy, param->sched_priority);
    if (!err)
        attr->__priority = param->sched_priority;
    return err;
}

int pthread_attr_getschedparam(const pthread_attr_t *attr, struct sched_param *param)
{
    param->sched_priority = attr->__priority;
    return 0;
}

int pthread_setschedparam(pthread_t thread, int policy, const struct sched_param *param)
{
    (void)thread;
    return check_policy(policy, param->sched_priority);
}

int pthread_getschedparam(pthread_t thread, int *policy, struct sched_param *param)
{
    (void)thread;
    *policy = SCHED_OTHER;
    param->sched_priority = 0;
    return 0;
}

static int concurrency;     /* a hint that changes nothing: every thread is a kernel thread */

int pthread_setconcurrency(int level)
{
    if (level < 0)
        return EINVAL;
    __atomic_store_n(&concurrency, level, __ATOMIC_RELAXED);
    return 0;
}

int pthread_getconcurrency(void)
{
    return __atomic_load_n(&concurrency, __ATOMIC_RELAXED);
}
