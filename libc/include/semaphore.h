/*
 * Unnamed POSIX semaphores (libc/thread/semaphore.c): a futex word holding
 * the count; sem_post makes no system call when nobody waits.  Named
 * semaphores (sem_open) are not there.
 */
#ifndef _SEMAPHORE_H
#define _SEMAPHORE_H

#include <bits/types.h>
#include <limits.h>
#include <time.h>

typedef struct {
    int __value;                /* the futex word: the count, never negative */
    unsigned int __waiters;     /* threads sleeping in sem_wait */
    int __pshared;
    int __pad;
} sem_t;

#define SEM_FAILED ((sem_t *)0)

int sem_init(sem_t *sem, int pshared, unsigned int value);
int sem_destroy(sem_t *sem);
int sem_wait(sem_t *sem);
int sem_trywait(sem_t *sem);
int sem_timedwait(sem_t *sem, const struct timespec *deadline);
int sem_post(sem_t *sem);
int sem_getvalue(sem_t *sem, int *value);

#endif
