/*
 * The process-shared attribute of mutexes, condition variables, barriers
 * and read-write locks.  A shared one lives in memory several processes map
 * (mmap MAP_SHARED) and waits on futexes without FUTEX_PRIVATE_FLAG, which
 * the kernel then knows by the word's physical address, the same in every
 * process; a private one keeps the cheaper per-process key.
 */
#include <errno.h>
#include <pthread.h>

/* pthread_KINDattr_setpshared and _getpshared: each attribute object keeps the choice in __pshared. */
#define PSHARED_ACCESSORS(kind)                                                              \
    int pthread_##kind##attr_setpshared(pthread_##kind##attr_t *attr, int pshared)            \
    {                                                                                         \
        if (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED)          \
            return EINVAL;                                                                    \
        attr->__pshared = pshared;                                                            \
        return 0;                                                                             \
    }                                                                                         \
    int pthread_##kind##attr_getpshared(const pthread_##kind##attr_t *attr, int *pshared)     \
    {                                                                                         \
        *pshared = attr->__pshared;                                                           \
        return 0;                                                                             \
    }

PSHARED_ACCESSORS(mutex)
PSHARED_ACCESSORS(cond)
PSHARED_ACCESSORS(barrier)
PSHARED_ACCESSORS(rwlock)
