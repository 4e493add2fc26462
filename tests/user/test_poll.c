/*
 * poll, ppoll, select and pselect (issue 12): the cases of poll_cases.h,
 * which pass on the Linux host too, and what is our kernel's own: a poll
 * ping-pong between two threads on two CPUs that loses no wake-up, the
 * terminal always writable, and every file, page and heap byte back.
 */
#include "utest.h"
#include "poll_cases.h"

#define PING_PONG_ROUNDS 2000

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(pl_pipe_readiness)
SHARED(pl_wakes_on_write)
SHARED(pl_timeouts)
SHARED(pl_closed_and_negative)
SHARED(pl_one_of_many)
SHARED(pl_signals)
SHARED(pl_sibling_closes)
SHARED(pl_hostile_arguments)

static int to_partner[2], to_poller[2];

/* On the last CPU: waits in poll for each byte and answers it. */
static void *answer_by_poll(void *arg)
{
    (void)arg;
    utest_pin_to_cpu((int)sysconf(_SC_NPROCESSORS_ONLN) - 1);
    char c;
    for (int i = 0; i < PING_PONG_ROUNDS; i++) {
        struct pollfd p = { to_partner[0], POLLIN, 0 };
        if (poll(&p, 1, -1) != 1 || read(to_partner[0], &c, 1) != 1 || write(to_poller[1], &c, 1) != 1)
            return (void *)1;
    }
    return NULL;
}

/* Two threads on two CPUs bounce a byte, each waiting in poll or select: a lost wake-up would hang. */
static void ping_pong_two_cpus(void)
{
    CHECK(pipe(to_partner) == 0 && pipe(to_poller) == 0, "pipe");
    utest_pin_to_cpu(0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, answer_by_poll, NULL) == 0, "pthread_create");
    for (int i = 0; i < PING_PONG_ROUNDS; i++) {
        char c = (char)i;
        CHECK(write(to_partner[1], &c, 1) == 1, "write");
        fd_set in;
        FD_ZERO(&in);
        FD_SET(to_poller[0], &in);
        CHECK(select(to_poller[0] + 1, &in, NULL, NULL, NULL) == 1 && FD_ISSET(to_poller[0], &in), "select");
        CHECK(read(to_poller[0], &c, 1) == 1 && c == (char)i, "round %d", i);
    }
    void *result;
    pthread_join(t, &result);
    CHECK(result == NULL, "the partner's poll failed");
}

/* The console never blocks a write: POLLOUT at once. */
static void terminal_writable(void)
{
    struct pollfd p = { 1, POLLOUT, 0 };
    CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLOUT, "stdout: revents %#x", p.revents);
}

static void warm_up(void)
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    struct pollfd fds = { p[0], POLLIN, 0 };
    CHECK(poll(&fds, 1, 0) == 0, "poll");
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    printf("test_poll: poll, ppoll, select, pselect over pipes and the terminal, with threads on two CPUs\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN_SHARED(pl_pipe_readiness);
    RUN_SHARED(pl_wakes_on_write);
    RUN_SHARED(pl_timeouts);
    RUN_SHARED(pl_closed_and_negative);
    RUN_SHARED(pl_one_of_many);
    RUN_SHARED(pl_signals);
    RUN_SHARED(pl_sibling_closes);
    RUN_SHARED(pl_hostile_arguments);
    RUN(ping_pong_two_cpus);
    RUN(terminal_writable);
    utest_pages_back("pages_back", start);      /* a file left open keeps its heap bytes: counted there */
    return utest_finish();
}
