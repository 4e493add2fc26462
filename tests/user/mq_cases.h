/*
 * POSIX message queues as Linux defines them, in cases that run both on
 * the Linux host (tests/host/libc/mqueue.c: our libc on Linux's kernel)
 * and in our kernel (tests/user/test_mqueue.c): names (O_CREAT, O_EXCL,
 * ENOENT, unlink while open), priorities, sizes (EMSGSIZE), non-blocking
 * and timed calls, attributes, poll, and messages between two processes.
 * Each case returns 1, or fails through the includer's CHECK (check.h
 * returns 0, utest.h ends the test).
 */
#ifndef TESTS_USER_MQ_CASES_H
#define TESTS_USER_MQ_CASES_H

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MQ_NAME         "/utest_mq"
#define MQ_MAXMSG       4
#define MQ_MSGSIZE      64
#define MQ_TIMEOUT_NS   100000000L      /* 100 ms */
#define MQ_ROUNDS       200             /* messages between the processes */

/* A fresh queue of MQ_MAXMSG messages of MQ_MSGSIZE bytes, opened with extra flags; fails the case if not. */
static mqd_t mq_fresh(int flags)
{
    struct mq_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.mq_maxmsg = MQ_MAXMSG;
    attr.mq_msgsize = MQ_MSGSIZE;
    mq_unlink(MQ_NAME);
    return mq_open(MQ_NAME, O_RDWR | O_CREAT | O_EXCL | flags, 0600, &attr);
}

/* Names: O_EXCL on an existing one, ENOENT on a missing one, a name without '/', unlink while open. */
static int mq_names(void)
{
    mqd_t q = mq_fresh(0);
    CHECK(q >= 0, "mq_open: %s", strerror(errno));
    CHECK(mq_open(MQ_NAME, O_RDWR | O_CREAT | O_EXCL, 0600, NULL) == -1 && errno == EEXIST, "O_EXCL: %s",
          strerror(errno));
    mqd_t again = mq_open(MQ_NAME, O_RDWR);
    CHECK(again >= 0, "a second open: %s", strerror(errno));
    CHECK(mq_open("no_slash", O_RDWR) == -1 && errno == EINVAL, "a name without '/': %s", strerror(errno));
    CHECK(mq_unlink(MQ_NAME) == 0, "mq_unlink: %s", strerror(errno));
    CHECK(mq_open(MQ_NAME, O_RDWR) == -1 && errno == ENOENT, "after unlink: %s", strerror(errno));
    CHECK(mq_unlink(MQ_NAME) == -1 && errno == ENOENT, "a second unlink: %s", strerror(errno));
    char buf[MQ_MSGSIZE];
    CHECK(mq_send(q, "still", 5, 0) == 0 && mq_receive(again, buf, sizeof buf, NULL) == 5,
          "an unlinked queue still works for its descriptors");
    mq_close(again);
    mq_close(q);
    return 1;
}

/* The highest priority first, and among equals the oldest. */
static int mq_priorities(void)
{
    mqd_t q = mq_fresh(0);
    CHECK(q >= 0, "mq_open: %s", strerror(errno));
    CHECK(mq_send(q, "low1", 4, 1) == 0 && mq_send(q, "high", 4, 9) == 0 && mq_send(q, "low2", 4, 1) == 0 &&
          mq_send(q, "mid", 3, 5) == 0, "mq_send: %s", strerror(errno));
    static const char *const order[] = { "high", "mid", "low1", "low2" };
    static const unsigned prios[] = { 9, 5, 1, 1 };
    for (int i = 0; i < 4; i++) {
        char buf[MQ_MSGSIZE];
        unsigned prio = 0;
        ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
        CHECK(n == (ssize_t)strlen(order[i]) && !memcmp(buf, order[i], (size_t)n) && prio == prios[i],
              "message %d: %zd bytes, priority %u", i, n, prio);
    }
    mq_close(q);
    mq_unlink(MQ_NAME);
    return 1;
}

/* Sizes, a full and an empty queue without blocking, a timed receive, the attributes. */
static int mq_limits_and_waits(void)
{
    mqd_t q = mq_fresh(O_NONBLOCK);
    char buf[MQ_MSGSIZE + 1];
    CHECK(q >= 0, "mq_open: %s", strerror(errno));
    CHECK(mq_send(q, buf, MQ_MSGSIZE + 1, 0) == -1 && errno == EMSGSIZE, "too long: %s", strerror(errno));
    CHECK(mq_receive(q, buf, MQ_MSGSIZE - 1, NULL) == -1 && errno == EMSGSIZE, "a short buffer: %s",
          strerror(errno));
    CHECK(mq_receive(q, buf, sizeof buf, NULL) == -1 && errno == EAGAIN, "empty: %s", strerror(errno));
    for (int i = 0; i < MQ_MAXMSG; i++)
        CHECK(mq_send(q, "x", 1, 0) == 0, "send %d: %s", i, strerror(errno));
    CHECK(mq_send(q, "x", 1, 0) == -1 && errno == EAGAIN, "full: %s", strerror(errno));
    struct mq_attr attr;
    CHECK(mq_getattr(q, &attr) == 0 && attr.mq_curmsgs == MQ_MAXMSG && attr.mq_maxmsg == MQ_MAXMSG &&
          attr.mq_msgsize == MQ_MSGSIZE && (attr.mq_flags & O_NONBLOCK), "mq_getattr: %ld %ld %ld %#lx",
          attr.mq_curmsgs, attr.mq_maxmsg, attr.mq_msgsize, (unsigned long)attr.mq_flags);
    struct mq_attr blocking;
    memset(&blocking, 0, sizeof blocking);
    CHECK(mq_setattr(q, &blocking, NULL) == 0, "mq_setattr: %s", strerror(errno));
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += MQ_TIMEOUT_NS;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    CHECK(mq_timedsend(q, "x", 1, 0, &deadline) == -1 && errno == ETIMEDOUT, "a timed send on a full queue: %s",
          strerror(errno));
    mq_close(q);
    mq_unlink(MQ_NAME);
    struct mq_attr bad;
    memset(&bad, 0, sizeof bad);
    CHECK(mq_open(MQ_NAME, O_RDWR | O_CREAT, 0600, &bad) == -1 && errno == EINVAL, "maxmsg 0: %s", strerror(errno));
    return 1;
}

/* poll on a queue's descriptor: writable while there is room, readable with a message. */
static int mq_poll_readiness(void)
{
    mqd_t q = mq_fresh(0);
    CHECK(q >= 0, "mq_open: %s", strerror(errno));
    struct pollfd p = { q, POLLIN | POLLOUT, 0 };
    CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLOUT, "empty: %#x", p.revents);
    CHECK(mq_send(q, "x", 1, 0) == 0, "send");
    CHECK(poll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLOUT), "one message: %#x", p.revents);
    mq_close(q);
    mq_unlink(MQ_NAME);
    return 1;
}

/* A child process receives what the parent sends, in order, through the queue's name. */
static int mq_between_processes(void)
{
    mqd_t q = mq_fresh(0);
    CHECK(q >= 0, "mq_open: %s", strerror(errno));
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        mqd_t mine = mq_open(MQ_NAME, O_RDONLY);
        char buf[MQ_MSGSIZE];
        for (int i = 0; i < MQ_ROUNDS; i++) {
            int got = -1;
            if (mine < 0 || mq_receive(mine, buf, sizeof buf, NULL) != (ssize_t)sizeof got)
                _exit(1);
            memcpy(&got, buf, sizeof got);
            if (got != i)
                _exit(2);
        }
        _exit(0);
    }
    for (int i = 0; i < MQ_ROUNDS; i++)
        CHECK(mq_send(q, (const char *)&i, sizeof i, 0) == 0, "send %d: %s", i, strerror(errno));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child: %#x",
          status);
    mq_close(q);
    mq_unlink(MQ_NAME);
    return 1;
}

#endif
