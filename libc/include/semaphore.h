/*
 * POSIX semaphores.  Unnamed ones (libc/thread/semaphore.c): a futex word
 * holding the count; sem_post makes no system call when nobody waits.
 * Named ones (libc/thread/named_semaphore.c): the same sem_t in a file of
 * /dev/shm that every process opening the name maps shared.
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

/* sem_open(name, flags) or, with O_CREAT, sem_open(name, flags, mode_t mode, unsigned value). */
sem_t *sem_open(const char *name, int flags, ...);
int sem_close(sem_t *sem);
int sem_unlink(const char *name);

#endif
