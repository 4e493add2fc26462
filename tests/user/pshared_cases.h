/*
 * Memory and synchronization shared between processes, as Linux defines
 * them, in cases that run both on the Linux host (tests/host/libc/pshared.c:
 * our libc on Linux's kernel) and in our kernel (tests/user/test_shm.c):
 * MAP_SHARED | MAP_ANONYMOUS pages that a fork keeps shared, in both
 * directions and for pages first touched after the fork; private pages
 * that it does not; PTHREAD_PROCESS_SHARED mutexes, condition variables
 * and barriers and sem_init(s, 1, n) between processes; and a
 * FUTEX_PRIVATE_FLAG futex in shared memory that stays private to each
 * process.  Each case returns 1, or fails through the includer's CHECK
 * (check.h returns 0, utest.h ends the test).
 */
#ifndef TESTS_USER_PSHARED_CASES_H
#define TESTS_USER_PSHARED_CASES_H

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PS_PAGE         4096ul
#define PS_INCREMENTS   20000           /* per process, under one shared mutex */
#define PS_WORKERS      2               /* child processes beside the parent */
#define PS_ROUND_TRIPS  1000            /* semaphore ping-pong */
#define PS_BARRIER_ROUNDS 100
#define PS_NAP_NS       50000000L       /* 50 ms: the other side is surely asleep by then */
#define PS_FUTEX_WAIT   0               /* Linux's futex operations and flag */
#define PS_FUTEX_WAKE   1
#define PS_FUTEX_PRIVATE 128

/* A shared anonymous mapping of size bytes; fails the case if mmap does. */
#define PS_MAP_SHARED(ptr, size)                                                          \
    do {                                                                                  \
        (ptr) = mmap(NULL, (size), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0); \
        CHECK((ptr) != MAP_FAILED, "mmap(MAP_SHARED): %s", strerror(errno));              \
    } while (0)

/* Wait for pid; fails the case unless it exited 0 (a child's own failure is its exit status). */
#define PS_REAP(pid)                                                                      \
    do {                                                                                  \
        int ps_status_;                                                                   \
        CHECK(waitpid((pid), &ps_status_, 0) == (pid), "waitpid: %s", strerror(errno));   \
        CHECK(WIFEXITED(ps_status_) && WEXITSTATUS(ps_status_) == 0,                      \
              "a child process failed: status %#x", ps_status_);                          \
    } while (0)

static void ps_nap(void)
{
    struct timespec t = { 0, PS_NAP_NS };
    nanosleep(&t, NULL);
}

/* A write on either side of a fork reaches the other, also to a page first touched after it. */
static int ps_shared_anon_survives_fork(void)
{
    volatile unsigned char *p;
    PS_MAP_SHARED(p, 3 * PS_PAGE);
    p[0] = 1;                           /* touched before the fork */
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        p[0] = 2;                       /* the parent's page */
        p[PS_PAGE] = 3;                 /* a page nobody touched before */
        while (p[2 * PS_PAGE] != 4)     /* the parent writes a third after the child's writes */
            sched_yield();
        _exit(0);
    }
    while (p[PS_PAGE] != 3)
        sched_yield();
    CHECK(p[0] == 2, "the child's write to a page touched before the fork: %d", p[0]);
    p[2 * PS_PAGE] = 4;
    PS_REAP(pid);
    munmap((void *)p, 3 * PS_PAGE);
    return 1;
}

/* A MAP_PRIVATE page written by the child after a fork stays as it was in the parent. */
static int ps_private_stays_private(void)
{
    volatile unsigned char *p = mmap(NULL, PS_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
    p[0] = 1;
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        p[0] = 2;
        _exit(p[0] == 2 ? 0 : 1);
    }
    PS_REAP(pid);
    CHECK(p[0] == 1, "the child's write reached the parent's private page: %d", p[0]);
    munmap((void *)p, PS_PAGE);
    return 1;
}

struct ps_counter {
    pthread_mutex_t lock;
    long count;
};

/* Parent and PS_WORKERS children each add PS_INCREMENTS under one process-shared mutex: no add is lost. */
static int ps_mutex_counts_across_processes(void)
{
    struct ps_counter *c;
    PS_MAP_SHARED(c, sizeof *c);
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    CHECK(pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED) == 0, "setpshared");
    int pshared = -1;
    CHECK(pthread_mutexattr_getpshared(&attr, &pshared) == 0 && pshared == PTHREAD_PROCESS_SHARED, "getpshared");
    CHECK(pthread_mutexattr_setpshared(&attr, 2) == EINVAL, "setpshared(2)");
    pthread_mutex_init(&c->lock, &attr);
    c->count = 0;
    pid_t pids[PS_WORKERS];
    for (int w = 0; w < PS_WORKERS; w++) {
        pids[w] = fork();
        CHECK(pids[w] >= 0, "fork: %s", strerror(errno));
        if (pids[w] == 0) {
            for (int i = 0; i < PS_INCREMENTS; i++) {
                pthread_mutex_lock(&c->lock);
                c->count++;
                pthread_mutex_unlock(&c->lock);
            }
            _exit(0);
        }
    }
    for (int i = 0; i < PS_INCREMENTS; i++) {
        pthread_mutex_lock(&c->lock);
        c->count++;
        pthread_mutex_unlock(&c->lock);
    }
    for (int w = 0; w < PS_WORKERS; w++)
        PS_REAP(pids[w]);
    CHECK(c->count == (long)(PS_WORKERS + 1) * PS_INCREMENTS, "count %ld, expected %ld", c->count,
          (long)(PS_WORKERS + 1) * PS_INCREMENTS);
    munmap(c, sizeof *c);
    return 1;
}

/* Two process-shared semaphores bounce a turn between two processes. */
static int ps_sem_ping_pong(void)
{
    sem_t *s;
    PS_MAP_SHARED(s, 2 * sizeof *s);
    CHECK(sem_init(&s[0], 1, 0) == 0 && sem_init(&s[1], 1, 0) == 0, "sem_init: %s", strerror(errno));
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        for (int i = 0; i < PS_ROUND_TRIPS; i++) {
            if (sem_wait(&s[0]) != 0)
                _exit(1);
            sem_post(&s[1]);
        }
        _exit(0);
    }
    for (int i = 0; i < PS_ROUND_TRIPS; i++) {
        sem_post(&s[0]);
        CHECK(sem_wait(&s[1]) == 0, "sem_wait: %s", strerror(errno));
    }
    PS_REAP(pid);
    int left = -1;
    CHECK(sem_getvalue(&s[0], &left) == 0 && left == 0, "a post was counted twice: %d left", left);
    munmap(s, 2 * sizeof *s);
    return 1;
}

struct ps_flag {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int set;
};

/* A child sleeps on a process-shared condition variable until the parent sets the flag and signals. */
static int ps_cond_across_processes(void)
{
    struct ps_flag *f;
    PS_MAP_SHARED(f, sizeof *f);
    pthread_mutexattr_t mattr;
    pthread_condattr_t cattr;
    pthread_mutexattr_init(&mattr);
    pthread_mutexattr_setpshared(&mattr, PTHREAD_PROCESS_SHARED);
    pthread_condattr_init(&cattr);
    CHECK(pthread_condattr_setpshared(&cattr, PTHREAD_PROCESS_SHARED) == 0, "condattr_setpshared");
    pthread_mutex_init(&f->lock, &mattr);
    pthread_cond_init(&f->cond, &cattr);
    f->set = 0;
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        pthread_mutex_lock(&f->lock);
        while (!f->set)
            pthread_cond_wait(&f->cond, &f->lock);
        pthread_mutex_unlock(&f->lock);
        _exit(0);
    }
    ps_nap();                           /* the child is asleep in the wait by now */
    pthread_mutex_lock(&f->lock);
    f->set = 1;
    pthread_cond_signal(&f->cond);
    pthread_mutex_unlock(&f->lock);
    PS_REAP(pid);
    munmap(f, sizeof *f);
    return 1;
}

struct ps_rounds {
    pthread_barrier_t barrier;
    int arrived[2];                     /* rounds each side has started */
};

/* Parent and child meet at a process-shared barrier every round: neither gets a round ahead. */
static int ps_barrier_across_processes(void)
{
    struct ps_rounds *r;
    PS_MAP_SHARED(r, sizeof *r);
    pthread_barrierattr_t attr;
    pthread_barrierattr_init(&attr);
    CHECK(pthread_barrierattr_setpshared(&attr, PTHREAD_PROCESS_SHARED) == 0, "barrierattr_setpshared");
    CHECK(pthread_barrier_init(&r->barrier, &attr, 2) == 0, "barrier_init");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    int me = pid == 0, ahead = 0;
    for (int round = 1; round <= PS_BARRIER_ROUNDS; round++) {
        __atomic_store_n(&r->arrived[me], round, __ATOMIC_SEQ_CST);
        pthread_barrier_wait(&r->barrier);
        ahead |= __atomic_load_n(&r->arrived[!me], __ATOMIC_SEQ_CST) < round;
        pthread_barrier_wait(&r->barrier);      /* nobody starts the next round before both looked */
    }
    if (me)
        _exit(ahead);
    PS_REAP(pid);
    CHECK(!ahead, "the parent passed the barrier before the child reached it");
    munmap(r, sizeof *r);
    return 1;
}

/*
 * madvise(MADV_DONTNEED): a private page reads as zeros afterwards, a
 * shared one keeps what it holds (its pages are the mapping's, not the
 * process's); msync is accepted on anonymous memory, refused on a hole.
 */
static int ps_madvise_and_msync(void)
{
    volatile unsigned char *priv = mmap(NULL, 2 * PS_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile unsigned char *shared;
    PS_MAP_SHARED(shared, PS_PAGE);
    CHECK(priv != MAP_FAILED, "mmap: %s", strerror(errno));
    priv[0] = priv[PS_PAGE] = 7;
    shared[0] = 9;
    CHECK(madvise((void *)priv, 2 * PS_PAGE, MADV_DONTNEED) == 0, "madvise: %s", strerror(errno));
    CHECK(priv[0] == 0 && priv[PS_PAGE] == 0, "a private page after MADV_DONTNEED: %d %d", priv[0], priv[PS_PAGE]);
    CHECK(madvise((void *)shared, PS_PAGE, MADV_DONTNEED) == 0 && shared[0] == 9, "a shared page: %d", shared[0]);
    CHECK(madvise((void *)priv, PS_PAGE, MADV_WILLNEED) == 0, "a hint: %s", strerror(errno));
    CHECK(madvise((void *)(priv + 1), PS_PAGE, MADV_DONTNEED) == -1 && errno == EINVAL, "unaligned: %s",
          strerror(errno));
    CHECK(msync((void *)shared, PS_PAGE, MS_SYNC) == 0, "msync: %s", strerror(errno));
    CHECK(msync((void *)shared, PS_PAGE, MS_SYNC | MS_ASYNC) == -1 && errno == EINVAL, "MS_SYNC | MS_ASYNC: %s",
          strerror(errno));
    munmap((void *)priv, 2 * PS_PAGE);
    CHECK(madvise((void *)priv, PS_PAGE, MADV_DONTNEED) == -1 && errno == ENOMEM, "a hole: %s", strerror(errno));
    CHECK(msync((void *)priv, PS_PAGE, MS_SYNC) == -1 && errno == ENOMEM, "msync of a hole: %s", strerror(errno));
    munmap((void *)shared, PS_PAGE);
    return 1;
}

static long ps_futex(volatile int *word, int op, int val, const struct timespec *timeout)
{
    return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

/*
 * A FUTEX_PRIVATE_FLAG futex is the process's own even in shared memory:
 * a private wake from another process reaches no one, and the waiter's
 * wait times out.  Without the flag the same word is one futex for both.
 */
static int ps_private_futex_stays_private(void)
{
    volatile int *word;
    PS_MAP_SHARED(word, PS_PAGE);
    *word = 0;
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        struct timespec limit = { 0, 4 * PS_NAP_NS };
        long r = ps_futex(word, PS_FUTEX_WAIT | PS_FUTEX_PRIVATE, 0, &limit);
        if (r != -1 || errno != ETIMEDOUT)
            _exit(1);                   /* woken by the other process's private wake */
        r = ps_futex(word, PS_FUTEX_WAIT, 0, NULL);
        _exit(r == 0 || errno == EAGAIN ? 0 : 2);
    }
    ps_nap();
    CHECK(ps_futex(word, PS_FUTEX_WAKE | PS_FUTEX_PRIVATE, 1, NULL) == 0, "a private wake reached another process");
    int status = 0;
    pid_t reaped = 0;
    while (reaped == 0) {               /* wake until the child, asleep in its shared wait, has gone */
        ps_nap();
        CHECK(ps_futex(word, PS_FUTEX_WAKE, 1, NULL) >= 0, "FUTEX_WAKE: %s", strerror(errno));
        reaped = waitpid(pid, &status, WNOHANG);
    }
    CHECK(reaped == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the child's waits (1: a private wake reached it; 2: the shared wait failed): status %#x", status);
    munmap((void *)word, PS_PAGE);
    return 1;
}

#endif
