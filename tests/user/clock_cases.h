/*
 * The wall clock as Linux keeps it, in cases that run both on the Linux
 * host (tests/host/libc/clock.c: our libc on Linux's kernel) and in our
 * kernel (tests/user/test_clock.c): CLOCK_REALTIME is today's date, the
 * other calls agree with it, and waits until a CLOCK_REALTIME deadline
 * (semaphores, condition variables, message queues) end at that deadline.
 * Each case returns 1, or fails through the includer's CHECK.
 */
#ifndef TESTS_USER_CLOCK_CASES_H
#define TESTS_USER_CLOCK_CASES_H

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <semaphore.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#define CLOCK_2024          1704067200L     /* 2024-01-01 00:00:00 UTC: the clock is past it */
#define CLOCK_2100          4102444800L     /* 2100-01-01: and not absurdly far */
#define CLOCK_WAIT_NS       100000000L      /* a timed wait's timeout: 100 ms */
#define CLOCK_SLACK_NS      5000000000L     /* late by at most 5 s (an emulator under load) */
#define CLOCK_NS            1000000000L
#define CLOCK_MQ_NAME       "/utest_clock_mq"

static long long clock_ns(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * CLOCK_NS + ts.tv_nsec;
}

/* The CLOCK_REALTIME deadline ns from now. */
static struct timespec clock_deadline(long ns)
{
    long long at = clock_ns(CLOCK_REALTIME) + ns;
    return (struct timespec){ (time_t)(at / CLOCK_NS), (long)(at % CLOCK_NS) };
}

/* How long a timed wait took, on the monotonic clock: it must be its timeout, not 0 nor for ever. */
static int clock_waited_right(long long start)
{
    long long took = clock_ns(CLOCK_MONOTONIC) - start;
    return took >= CLOCK_WAIT_NS * 9 / 10 && took < CLOCK_SLACK_NS;
}

/* CLOCK_REALTIME is today; gettimeofday and time agree with it; the other clocks answer. */
static int clock_realtime_is_today(void)
{
    struct timespec ts;
    CHECK(clock_gettime(CLOCK_REALTIME, &ts) == 0, "clock_gettime: %s", strerror(errno));
    CHECK(ts.tv_sec > CLOCK_2024 && ts.tv_sec < CLOCK_2100, "CLOCK_REALTIME reads %lld", (long long)ts.tv_sec);
    struct timeval tv;
    CHECK(gettimeofday(&tv, NULL) == 0, "gettimeofday: %s", strerror(errno));
    CHECK(tv.tv_sec - ts.tv_sec >= 0 && tv.tv_sec - ts.tv_sec <= 2 && tv.tv_usec >= 0 && tv.tv_usec < 1000000,
          "gettimeofday %lld.%06ld against %lld", (long long)tv.tv_sec, (long)tv.tv_usec, (long long)ts.tv_sec);
    time_t t = time(NULL);
    CHECK(t - ts.tv_sec >= 0 && t - ts.tv_sec <= 2, "time() %lld against %lld", (long long)t, (long long)ts.tv_sec);
    static const clockid_t others[] = { CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE,
                                        CLOCK_BOOTTIME };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        CHECK(clock_gettime(others[i], &ts) == 0, "clock %d: %s", (int)others[i], strerror(errno));
    return 1;
}

/* sem_timedwait until a CLOCK_REALTIME deadline: ETIMEDOUT then, and at once for one passed. */
static int clock_sem_deadline(void)
{
    sem_t s;
    sem_init(&s, 0, 0);
    struct timespec at = clock_deadline(CLOCK_WAIT_NS);
    long long start = clock_ns(CLOCK_MONOTONIC);
    CHECK(sem_timedwait(&s, &at) == -1 && errno == ETIMEDOUT, "sem_timedwait: %s", strerror(errno));
    CHECK(clock_waited_right(start), "sem_timedwait waited %lld ns", clock_ns(CLOCK_MONOTONIC) - start);
    at = clock_deadline(-CLOCK_NS);
    CHECK(sem_timedwait(&s, &at) == -1 && errno == ETIMEDOUT, "a passed deadline: %s", strerror(errno));
    return 1;
}

/* pthread_cond_timedwait (CLOCK_REALTIME, the default) until its deadline. */
static int clock_cond_deadline(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    pthread_mutex_lock(&m);
    struct timespec at = clock_deadline(CLOCK_WAIT_NS);
    long long start = clock_ns(CLOCK_MONOTONIC);
    int err = pthread_cond_timedwait(&c, &m, &at);
    pthread_mutex_unlock(&m);
    CHECK(err == ETIMEDOUT, "pthread_cond_timedwait: %s", strerror(err));
    CHECK(clock_waited_right(start), "it waited %lld ns", clock_ns(CLOCK_MONOTONIC) - start);
    return 1;
}

/* mq_timedreceive on an empty queue until its CLOCK_REALTIME deadline. */
static int clock_mq_deadline(void)
{
    struct mq_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.mq_maxmsg = 1;
    attr.mq_msgsize = 8;
    mq_unlink(CLOCK_MQ_NAME);
    mqd_t q = mq_open(CLOCK_MQ_NAME, O_RDWR | O_CREAT, 0600, &attr);
    CHECK(q >= 0, "mq_open: %s", strerror(errno));
    char buf[8];
    struct timespec at = clock_deadline(CLOCK_WAIT_NS);
    long long start = clock_ns(CLOCK_MONOTONIC);
    ssize_t n = mq_timedreceive(q, buf, sizeof buf, NULL, &at);
    int err = errno;
    mq_close(q);
    mq_unlink(CLOCK_MQ_NAME);
    CHECK(n == -1 && err == ETIMEDOUT, "mq_timedreceive: %zd, %s", n, strerror(err));
    CHECK(clock_waited_right(start), "it waited %lld ns", clock_ns(CLOCK_MONOTONIC) - start);
    return 1;
}

/* clock_nanosleep: until an absolute time on either clock, and, interrupted, the time left. */
static void clock_on_alarm(int sig)
{
    (void)sig;
}

static int clock_nanosleep_cases(void)
{
    for (int realtime = 0; realtime < 2; realtime++) {
        clockid_t c = realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC;
        long long start = clock_ns(CLOCK_MONOTONIC), at = clock_ns(c) + CLOCK_WAIT_NS;
        struct timespec until = { (time_t)(at / CLOCK_NS), (long)(at % CLOCK_NS) };
        CHECK(clock_nanosleep(c, TIMER_ABSTIME, &until, NULL) == 0 && clock_ns(c) >= at, "until %s time",
              realtime ? "a wall-clock" : "a monotonic");
        CHECK(clock_waited_right(start), "took its time");
    }
    struct sigaction sa = { .sa_handler = clock_on_alarm }, old;
    sigaction(SIGALRM, &sa, &old);
    struct itimerval in_a_while = { { 0, 0 }, { 0, 50000 } };    /* 50 ms */
    setitimer(ITIMER_REAL, &in_a_while, NULL);
    struct timespec ten = { 10, 0 }, left = { 0, 0 };
    int r = clock_nanosleep(CLOCK_MONOTONIC, 0, &ten, &left);
    sigaction(SIGALRM, &old, NULL);
    CHECK(r == EINTR, "interrupted: %d", r);
    CHECK(left.tv_sec > 0 && left.tv_sec < 10, "the time left: %ld s", (long)left.tv_sec);
    struct timespec bad = { 0, CLOCK_NS };
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL) == EINVAL, "a nanosecond count past a second");
    CHECK(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &ten, NULL) != 0, "a thread's CPU clock is not for sleeping");
    return 1;
}

/* nanosleep is clock_nanosleep on the monotonic clock: interrupted, it says EINTR and the time left. */
static int clock_nanosleep_time_left(void)
{
    struct sigaction sa = { .sa_handler = clock_on_alarm }, old;
    sigaction(SIGALRM, &sa, &old);
    struct itimerval in_a_while = { { 0, 0 }, { 0, 50000 } };    /* 50 ms */
    setitimer(ITIMER_REAL, &in_a_while, NULL);
    struct timespec ten = { 10, 0 }, left = { 0, 0 };
    int r = nanosleep(&ten, &left);
    int err = errno;
    sigaction(SIGALRM, &old, NULL);
    CHECK(r == -1 && err == EINTR, "interrupted: %d, %s", r, strerror(err));
    CHECK(left.tv_sec > 0 && left.tv_sec < 10 && left.tv_nsec >= 0 && left.tv_nsec < CLOCK_NS,
          "the time left: %ld s %ld ns", (long)left.tv_sec, left.tv_nsec);
    struct timespec bad = { 0, CLOCK_NS };
    CHECK(nanosleep(&bad, NULL) == -1 && errno == EINVAL, "a nanosecond count past a second");
    return 1;
}

#endif
