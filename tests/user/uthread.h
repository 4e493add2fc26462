/*
 * Helpers shared by the thread tests (test_thread.c, test_thread_fault.c),
 * on top of utest.h: the kernel's thread list (SYS_os_threads) and waiting
 * until a process's threads are where a test wants them.
 */
#ifndef TESTS_USER_UTHREAD_H
#define TESTS_USER_UTHREAD_H

#include <pthread.h>
#include <time.h>
#include "utest.h"

#define UTHREAD_MAX_LISTED 256
#define UTHREAD_POLL_NS    10000000L    /* 10 ms between looks */

/*
 * Every thread of the system into list (at most UTHREAD_MAX_LISTED); their
 * number, or -1.  The whole list is written first: the kernel fills only
 * as many entries as there are threads, so a call with many threads alive
 * would otherwise bring in pages of the list that earlier calls never
 * touched, and a leak check would count them (the process holding one more
 * page than before: test_thread detached_threads_free_stacks, now and then
 * on two CPUs, where more of its threads are alive at once).
 */
static inline long uthread_list(struct os_threadinfo *list)
{
    memset(list, 0, sizeof *list * UTHREAD_MAX_LISTED);
    long n = syscall(SYS_os_threads, list, (size_t)UTHREAD_MAX_LISTED);
    return n > UTHREAD_MAX_LISTED ? UTHREAD_MAX_LISTED : n;
}

/* How many threads of process pid are in state ('S', 'R', 'r'; 0 for any) with wait reason (NULL: any). */
static inline int uthread_count(pid_t pid, char state, const char *wait)
{
    static struct os_threadinfo list[UTHREAD_MAX_LISTED];
    long n = uthread_list(list);
    int count = 0;
    for (long i = 0; i < n; i++) {
        if (list[i].pid != pid)
            continue;
        if (state && list[i].state != state)
            continue;
        if (wait && strcmp(list[i].wait, wait) != 0)
            continue;
        count++;
    }
    return count;
}

/* Wait up to seconds until process pid has at least n threads asleep for reason wait; 1 if it did. */
static inline int uthread_wait_for(pid_t pid, int n, const char *wait, int seconds)
{
    struct timespec nap = { 0, UTHREAD_POLL_NS };
    for (long waited = 0; waited < seconds * 1000000000L; waited += UTHREAD_POLL_NS) {
        if (uthread_count(pid, 'S', wait) >= n)
            return 1;
        nanosleep(&nap, NULL);
    }
    return 0;
}

/*
 * Wait up to seconds until every thread of every other user process sleeps
 * (the harness's watchdog, a parent in waitpid): so that counters reset now
 * count this process alone.  1 if they all did.
 */
static inline int uthread_others_asleep(int seconds)
{
    static struct os_threadinfo list[UTHREAD_MAX_LISTED];
    struct timespec nap = { 0, UTHREAD_POLL_NS };
    for (long waited = 0; waited < seconds * 1000000000L; waited += UTHREAD_POLL_NS) {
        long n = uthread_list(list), busy = 0;
        for (long i = 0; i < n; i++)
            busy += list[i].pid > 0 && list[i].pid != getpid() && list[i].state != 'S';
        if (busy == 0)
            return 1;
        nanosleep(&nap, NULL);
    }
    return 0;
}

/* pthread_create that fails the test when it fails. */
#define SPAWN(t, fn, arg)                                                              \
    do {                                                                               \
        int spawn_err_ = pthread_create((t), NULL, (fn), (arg));                       \
        CHECK(spawn_err_ == 0, "pthread_create(%s): %s", #fn, strerror(spawn_err_));   \
    } while (0)

#endif
