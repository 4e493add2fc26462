/*
 * poll, ppoll, select and pselect as Linux defines them, in cases that run
 * both on the Linux host (tests/host/libc/poll.c: our libc on Linux's
 * kernel) and in our kernel (tests/user/test_poll.c): a pipe's readiness
 * at each end (data, room, hang-up, error), a wake-up by another thread's
 * write, timeouts, closed and negative descriptors, one ready pipe among
 * many, EINTR (never restarted), ppoll's signal mask, select's bit sets,
 * a sibling closing the descriptor under a waiting poll, and hostile
 * arguments.  Each case returns 1, or fails through the includer's CHECK
 * (check.h returns 0, utest.h ends the test).
 */
#ifndef TESTS_USER_POLL_CASES_H
#define TESTS_USER_POLL_CASES_H

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#define PL_NAP_NS       50000000L       /* 50 ms: a waiter is surely asleep by then */
#define PL_TIMEOUT_MS   100
#define PL_SLACK_MS     5               /* a timer tick may round a deadline down by this much */
#define PL_PIPES        24              /* 48 descriptors: under our kernel's 64 per process */
#define PL_READY_PIPE   17
#define PL_NSEC_PER_MS  1000000L
#define PL_BAD_ADDR     0xffff800000000000UL    /* a kernel address: EFAULT */
#define PL_TOO_MANY     (1L << 20)              /* more entries than any limit */

static void pl_nap(void)
{
    struct timespec t = { 0, PL_NAP_NS };
    nanosleep(&t, NULL);
}

static long pl_ms_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / PL_NSEC_PER_MS;
}

/* poll one descriptor for events, timeout 0: its revents, or -1 if poll failed. */
static int pl_revents(int fd, short events)
{
    struct pollfd p = { fd, events, 0 };
    return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

/* Each end of a pipe: empty, with data, without its writer, without its reader. */
static int pl_pipe_readiness(void)
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
    CHECK(pl_revents(p[0], POLLIN) == 0, "an empty pipe is readable: %#x", pl_revents(p[0], POLLIN));
    CHECK(pl_revents(p[1], POLLOUT) == POLLOUT, "an empty pipe's write end: %#x", pl_revents(p[1], POLLOUT));
    CHECK(write(p[1], "x", 1) == 1, "write");
    CHECK(pl_revents(p[0], POLLIN | POLLOUT) == POLLIN, "with a byte: %#x", pl_revents(p[0], POLLIN | POLLOUT));
    close(p[1]);
    CHECK(pl_revents(p[0], POLLIN) == (POLLIN | POLLHUP), "data, no writer: %#x", pl_revents(p[0], POLLIN));
    char c;
    CHECK(read(p[0], &c, 1) == 1, "read");
    CHECK(pl_revents(p[0], POLLIN) == POLLHUP, "no data, no writer: %#x", pl_revents(p[0], POLLIN));
    CHECK(pl_revents(p[0], 0) == POLLHUP, "POLLHUP is reported unasked: %#x", pl_revents(p[0], 0));
    close(p[0]);
    CHECK(pipe(p) == 0, "pipe");
    close(p[0]);
    CHECK(pl_revents(p[1], POLLOUT) == (POLLOUT | POLLERR), "no reader: %#x", pl_revents(p[1], POLLOUT));
    close(p[1]);
    return 1;
}

static int pl_late_fd;

/* Naps, then writes a byte to pl_late_fd. */
static void *pl_write_late(void *arg)
{
    (void)arg;
    pl_nap();
    write(pl_late_fd, "x", 1);
    return NULL;
}

/* A poll with no timeout sleeps until another thread's write. */
static int pl_wakes_on_write(void)
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    pl_late_fd = p[1];
    pthread_t t;
    CHECK(pthread_create(&t, NULL, pl_write_late, NULL) == 0, "pthread_create");
    struct pollfd fds = { p[0], POLLIN, 0 };
    int r = poll(&fds, 1, -1);
    pthread_join(t, NULL);
    CHECK(r == 1 && fds.revents == POLLIN, "poll: %d, revents %#x", r, fds.revents);
    close(p[0]);
    close(p[1]);
    return 1;
}

/* Nothing ready: poll, ppoll and select return 0 once the timeout has passed, not before. */
static int pl_timeouts(void)
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    struct pollfd fds = { p[0], POLLIN, 0 };
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    CHECK(poll(&fds, 1, PL_TIMEOUT_MS) == 0, "poll");
    CHECK(pl_ms_since(&start) >= PL_TIMEOUT_MS - PL_SLACK_MS, "poll returned after %ld ms", pl_ms_since(&start));
    struct timespec ts = { 0, PL_TIMEOUT_MS * PL_NSEC_PER_MS };
    clock_gettime(CLOCK_MONOTONIC, &start);
    CHECK(ppoll(&fds, 1, &ts, NULL) == 0, "ppoll");
    CHECK(pl_ms_since(&start) >= PL_TIMEOUT_MS - PL_SLACK_MS, "ppoll returned after %ld ms", pl_ms_since(&start));
    fd_set in;
    FD_ZERO(&in);
    FD_SET(p[0], &in);
    struct timeval tv = { 0, PL_TIMEOUT_MS * 1000 };
    clock_gettime(CLOCK_MONOTONIC, &start);
    CHECK(select(p[0] + 1, &in, NULL, NULL, &tv) == 0, "select");
    CHECK(pl_ms_since(&start) >= PL_TIMEOUT_MS - PL_SLACK_MS, "select returned after %ld ms", pl_ms_since(&start));
    CHECK(!FD_ISSET(p[0], &in), "select left the bit of a descriptor that was not ready");
    CHECK(tv.tv_sec == 0 && tv.tv_usec < PL_TIMEOUT_MS * 1000, "select's time left: %ld.%06ld", (long)tv.tv_sec,
          (long)tv.tv_usec);
    close(p[0]);
    close(p[1]);
    return 1;
}

/* A closed descriptor is POLLNVAL (and select's EBADF); a negative one is skipped. */
static int pl_closed_and_negative(void)
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    close(p[0]);
    struct pollfd fds[2] = { { p[0], POLLIN, 0 }, { -1, POLLIN, 0x7 } };
    CHECK(poll(fds, 2, -1) == 1, "poll of a closed descriptor waited or failed");
    CHECK(fds[0].revents == POLLNVAL && fds[1].revents == 0, "revents %#x %#x", fds[0].revents, fds[1].revents);
    fd_set in;
    FD_ZERO(&in);
    FD_SET(p[0], &in);
    CHECK(select(p[0] + 1, &in, NULL, NULL, NULL) == -1 && errno == EBADF, "select of a closed descriptor");
    close(p[1]);
    return 1;
}

static int pl_pipes[PL_PIPES][2];

static void *pl_write_one(void *arg)
{
    (void)arg;
    pl_nap();
    write(pl_pipes[PL_READY_PIPE][1], "x", 1);
    return NULL;
}

/* One pipe of many gets a byte: poll says exactly that one, select too. */
static int pl_one_of_many(void)
{
    struct pollfd fds[PL_PIPES];
    for (int i = 0; i < PL_PIPES; i++) {
        CHECK(pipe(pl_pipes[i]) == 0, "pipe %d: %s", i, strerror(errno));
        fds[i] = (struct pollfd){ pl_pipes[i][0], POLLIN, 0 };
    }
    pthread_t t;
    CHECK(pthread_create(&t, NULL, pl_write_one, NULL) == 0, "pthread_create");
    int r = poll(fds, PL_PIPES, -1);
    pthread_join(t, NULL);
    CHECK(r == 1, "poll: %d", r);
    for (int i = 0; i < PL_PIPES; i++)
        CHECK(fds[i].revents == (i == PL_READY_PIPE ? POLLIN : 0), "pipe %d: revents %#x", i, fds[i].revents);
    fd_set in;
    FD_ZERO(&in);
    int top = 0;
    for (int i = 0; i < PL_PIPES; i++) {
        FD_SET(pl_pipes[i][0], &in);
        top = pl_pipes[i][0] > top ? pl_pipes[i][0] : top;
    }
    CHECK(select(top + 1, &in, NULL, NULL, NULL) == 1, "select");
    for (int i = 0; i < PL_PIPES; i++) {
        CHECK(!!FD_ISSET(pl_pipes[i][0], &in) == (i == PL_READY_PIPE), "select: pipe %d", i);
        close(pl_pipes[i][0]);
        close(pl_pipes[i][1]);
    }
    return 1;
}

static volatile sig_atomic_t pl_caught;

static void pl_on_signal(int sig)
{
    (void)sig;
    pl_caught++;
}

static pthread_t pl_poller;

/* Naps, then sends SIGUSR1 to the polling thread itself (a process-wide one might pick this thread). */
static void *pl_signal_late(void *arg)
{
    (void)arg;
    pl_nap();
    pthread_kill(pl_poller, SIGUSR1);
    return NULL;
}

/*
 * A handled signal ends a waiting poll with EINTR even under SA_RESTART;
 * ppoll's mask lets through a signal blocked outside it, and the caller's
 * mask is back once ppoll has returned.
 */
static int pl_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = pl_on_signal;
    sa.sa_flags = SA_RESTART;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction");
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    struct pollfd fds = { p[0], POLLIN, 0 };
    pl_poller = pthread_self();
    pthread_t t;
    CHECK(pthread_create(&t, NULL, pl_signal_late, NULL) == 0, "pthread_create");
    int r = poll(&fds, 1, -1);
    pthread_join(t, NULL);
    CHECK(r == -1 && errno == EINTR && pl_caught == 1, "poll: %d (%s), %d caught", r, strerror(errno), (int)pl_caught);
    sigset_t blocked, open_mask, now;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &blocked, NULL) == 0, "sigprocmask");
    sigemptyset(&open_mask);
    CHECK(pthread_create(&t, NULL, pl_signal_late, NULL) == 0, "pthread_create");
    r = ppoll(&fds, 1, NULL, &open_mask);
    pthread_join(t, NULL);
    CHECK(r == -1 && errno == EINTR && pl_caught == 2, "ppoll: %d (%s), %d caught", r, strerror(errno), (int)pl_caught);
    CHECK(sigprocmask(SIG_BLOCK, NULL, &now) == 0 && sigismember(&now, SIGUSR1), "ppoll left SIGUSR1 unblocked");
    sigprocmask(SIG_UNBLOCK, &blocked, NULL);
    close(p[0]);
    close(p[1]);
    return 1;
}

static int pl_close_fd, pl_write_fd;

static void *pl_close_then_write(void *arg)
{
    (void)arg;
    pl_nap();
    close(pl_close_fd);
    pl_nap();
    write(pl_write_fd, "x", 1);
    return NULL;
}

/*
 * A sibling closes the descriptor a poll waits on: the poll still watches
 * the pipe end it found (it holds it), so the write wakes it, and it looks
 * the descriptor up again: not open any more, POLLNVAL (as Linux does).
 */
static int pl_sibling_closes(void)
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    pl_close_fd = p[0];
    pl_write_fd = p[1];
    pthread_t t;
    CHECK(pthread_create(&t, NULL, pl_close_then_write, NULL) == 0, "pthread_create");
    struct pollfd fds = { p[0], POLLIN, 0 };
    int r = poll(&fds, 1, -1);
    pthread_join(t, NULL);
    CHECK(r == 1 && fds.revents == POLLNVAL, "poll: %d, revents %#x", r, fds.revents);
    close(p[1]);
    return 1;
}

/* Bad arrays and counts: EFAULT and EINVAL, nothing else. */
static int pl_hostile_arguments(void)
{
    CHECK(poll((struct pollfd *)PL_BAD_ADDR, 1, 0) == -1 && errno == EFAULT, "a kernel address: %s",
          strerror(errno));
    CHECK(poll(NULL, PL_TOO_MANY, 0) == -1 && errno == EINVAL, "a huge count: %s", strerror(errno));
    CHECK(poll(NULL, 0, 0) == 0, "no descriptors, no wait: %s", strerror(errno));
    CHECK(select(-1, NULL, NULL, NULL, NULL) == -1 && errno == EINVAL, "select(-1): %s", strerror(errno));
    CHECK(select(1, (fd_set *)PL_BAD_ADDR, NULL, NULL, NULL) == -1 && errno == EFAULT, "select: %s",
          strerror(errno));
    struct timespec bad = { 0, 1000000000L };
    CHECK(ppoll(NULL, 0, &bad, NULL) == -1 && errno == EINVAL, "ppoll with tv_nsec 1e9: %s", strerror(errno));
    return 1;
}

#endif
