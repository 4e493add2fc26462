/*
 * rt_sigtimedwait: the cases of sigwait_cases.h, which pass on the Linux
 * host too, and what is our kernel's own: two threads on two CPUs that
 * bounce a signal back and forth, each asleep in sigwait for it (a lost
 * wake-up would hang), and every page and heap byte back.
 */
#include <pthread.h>
#include "utest.h"
#include "sigwait_cases.h"

#define PING_PONG_ROUNDS 1000

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(sw_kill_self)
SHARED(sw_timeouts)
SHARED(sw_siginfo)
SHARED(sw_from_child)
SHARED(sw_from_thread)
SHARED(sw_kill_wakes_waiter)
SHARED(sw_eintr)
SHARED(sw_bad_arguments)
SHARED(sw_blocked_fatal_waits)

static pthread_t main_thread;

/* On the last CPU: waits for each SIGUSR1 and answers with one to the main thread. */
static void *answer_by_sigwait(void *arg)
{
    (void)arg;
    utest_pin_to_cpu((int)sysconf(_SC_NPROCESSORS_ONLN) - 1);
    sigset_t set = sw_set_of(SIGUSR1);
    for (int i = 0; i < PING_PONG_ROUNDS; i++) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0 || sig != SIGUSR1 || pthread_kill(main_thread, SIGUSR1) != 0)
            return (void *)1;
    }
    return NULL;
}

/* Two threads on two CPUs bounce SIGUSR1 (blocked in both), each waiting in sigwait. */
static void ping_pong_two_cpus(void)
{
    CHECK(sw_block(SIGUSR1, NULL) == 0, "block");
    utest_pin_to_cpu(0);
    main_thread = pthread_self();
    pthread_t t;
    CHECK(pthread_create(&t, NULL, answer_by_sigwait, NULL) == 0, "pthread_create");
    sigset_t set = sw_set_of(SIGUSR1);
    for (int i = 0; i < PING_PONG_ROUNDS; i++) {
        int sig = 0;
        CHECK(pthread_kill(t, SIGUSR1) == 0, "pthread_kill");
        CHECK(sigwait(&set, &sig) == 0 && sig == SIGUSR1, "round %d: signal %d", i, sig);
    }
    void *result;
    pthread_join(t, &result);
    CHECK(result == NULL, "the partner's sigwait failed");
}

/* The first test's fork and pipes touch pages of this process for good: before the count starts. */
static void warm_up(void)
{
    CHECK(sw_poll_for(SIGUSR1) == -1 && errno == EAGAIN, "nothing pending: %s", strerror(errno));
}

int main(void)
{
    printf("test_sigwait: signals taken as messages (rt_sigtimedwait), between threads and processes\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN_SHARED(sw_kill_self);
    RUN_SHARED(sw_timeouts);
    RUN_SHARED(sw_siginfo);
    RUN_SHARED(sw_from_child);
    RUN_SHARED(sw_from_thread);
    RUN_SHARED(sw_kill_wakes_waiter);
    RUN_SHARED(sw_eintr);
    RUN_SHARED(sw_bad_arguments);
    RUN_SHARED(sw_blocked_fatal_waits);
    RUN(ping_pong_two_cpus);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
