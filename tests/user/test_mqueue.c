/*
 * POSIX message queues (issue 12): the cases of mq_cases.h, which pass on
 * the Linux host too, hostile arguments, and every page and heap byte back
 * (a queue goes with its name and its last descriptor).
 */
#include "utest.h"
#include "mq_cases.h"

#define BAD_ADDR 0xffff800000000000UL   /* a kernel address: EFAULT */

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(mq_names)
SHARED(mq_priorities)
SHARED(mq_limits_and_waits)
SHARED(mq_poll_readiness)
SHARED(mq_between_processes)

/* Bad names, attributes, buffers, priorities and descriptors: error codes, nothing else. */
static void hostile_arguments(void)
{
    CHECK(syscall(SYS_mq_open, BAD_ADDR, O_RDWR | O_CREAT, 0600, NULL) == -1 && errno == EFAULT, "a bad name");
    CHECK(syscall(SYS_mq_open, "q", O_RDWR | O_CREAT, 0600, BAD_ADDR) == -1 && errno == EFAULT, "bad attributes");
    CHECK(syscall(SYS_mq_open, "a/b", O_RDWR | O_CREAT, 0600, NULL) == -1 && errno == EINVAL, "a '/' inside");
    struct mq_attr huge;
    memset(&huge, 0, sizeof huge);
    huge.mq_maxmsg = 1L << 40;
    huge.mq_msgsize = 1L << 40;
    CHECK(mq_open("/huge", O_RDWR | O_CREAT, 0600, &huge) == -1 && errno == EINVAL, "a huge queue: %s",
          strerror(errno));
    mqd_t q = mq_fresh(O_NONBLOCK);
    CHECK(q >= 0, "mq_open: %s", strerror(errno));
    CHECK(mq_send(q, (const char *)BAD_ADDR, 1, 0) == -1 && errno == EFAULT, "a bad message: %s", strerror(errno));
    CHECK(mq_send(q, "x", 1, 1u << 31) == -1 && errno == EINVAL, "a bad priority: %s", strerror(errno));
    CHECK(mq_send(q, "x", 1, 0) == 0, "send");
    CHECK(mq_receive(q, (char *)BAD_ADDR, MQ_MSGSIZE, NULL) == -1 && errno == EFAULT, "a bad buffer: %s",
          strerror(errno));
    char buf[MQ_MSGSIZE];
    CHECK(mq_receive(q, buf, sizeof buf, NULL) == 1, "the message stayed after the bad buffer");
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    CHECK(mq_send(p[1], "x", 1, 0) == -1 && errno == EBADF, "a pipe: %s", strerror(errno));
    close(p[0]);
    close(p[1]);
    mq_close(q);
    mq_unlink(MQ_NAME);
}

static void warm_up(void)
{
    mqd_t q = mq_fresh(0);
    CHECK(q >= 0, "mq_open: %s", strerror(errno));
    mq_close(q);
    mq_unlink(MQ_NAME);
}

int main(void)
{
    printf("test_mqueue: POSIX message queues: names, priorities, limits, waits, poll, two processes\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN_SHARED(mq_names);
    RUN_SHARED(mq_priorities);
    RUN_SHARED(mq_limits_and_waits);
    RUN_SHARED(mq_poll_readiness);
    RUN_SHARED(mq_between_processes);
    RUN(hostile_arguments);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
