/*
 * Lab sched (docs/labs/sched.md): a second scheduling policy, priority
 * with aging, chosen per process by its nice value (setpriority, nice).
 * Graded through what programs see: the CPU time (wait4's rusage) of
 * processes that spin side by side on one CPU for the same stretch of
 * time, with different nice values.  The shares are what the policy
 * promises: a lower nice runs more, in order; an equal nice shares
 * equally; the least urgent still runs (aging: no starvation); a
 * process's threads all take its nice.  The system-call cases
 * (priority_cases.h) pass on Linux as well (tests/host/libc/priority.c).
 *
 * The bounds leave room for the noise of an emulated machine: round robin
 * (the starting state) gives every spinner the same share, which fails
 * every ratio below by a wide margin, and the policy of
 * kernel/include/kernel/runq.h gives about one slice in k + 1 to a
 * process k levels below a busy one.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "utest.h"
#include "priority_cases.h"

#define SHARED(name) static void name##_run(void) { (void)name(); }
SHARED(prio_set_and_get)
SHARED(prio_clamped)
SHARED(prio_nice_adds)
SHARED(prio_errors)
SHARED(prio_inherited)
SHARED(prio_of_another)
SHARED(prio_group)

#define SPIN_CPU        0               /* every spinner of a test shares this one CPU */
#define SPINNERS_MAX    4
#define THREADS_MAX     4               /* threads per spinning process */
#define SPIN_CHUNK      20000           /* loop iterations between looks at the clock */
#define NS_PER_S        1000000000ull
#define NS_PER_US       1000ull

/* A process of a test: its nice, its spinning threads, and the CPU time it got. */
struct spinner {
    int nice;
    int threads;
    bool nice_from_parent;      /* the test's process sets it by pid, not the spinner itself */
    pid_t pid;
    uint64_t cpu_ns;            /* user + system, from wait4 */
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static uint64_t deadline_ns;            /* in a spinner: when to stop */

static void spin_until_deadline(void)
{
    while (now_ns() < deadline_ns)
        for (volatile int i = 0; i < SPIN_CHUNK; i++)
            ;
}

static void *spin_thread(void *unused)
{
    (void)unused;
    spin_until_deadline();
    return NULL;
}

/* A spinner's life: its nice, a wait for the deadline on fd, then spinning on SPIN_CPU until it. */
static void spinner_main(const struct spinner *s, int fd)
{
    utest_pin_to_cpu(SPIN_CPU);
    if (!s->nice_from_parent)
        CHECK(setpriority(PRIO_PROCESS, 0, s->nice) == 0, "setpriority %d: %s", s->nice, strerror(errno));
    CHECK(read(fd, &deadline_ns, sizeof deadline_ns) == sizeof deadline_ns, "read the deadline: %s",
          strerror(errno));
    pthread_t extra[THREADS_MAX];
    for (int i = 1; i < s->threads; i++)
        CHECK(pthread_create(&extra[i], NULL, spin_thread, NULL) == 0, "pthread_create");
    spin_until_deadline();
    for (int i = 1; i < s->threads; i++)
        pthread_join(extra[i], NULL);
    _exit(0);
}

static uint64_t timeval_ns(struct timeval tv)
{
    return (uint64_t)tv.tv_sec * NS_PER_S + (uint64_t)tv.tv_usec * NS_PER_US;
}

/* Run n spinners side by side on SPIN_CPU for seconds, and collect each one's CPU time. */
static void run_spinners(struct spinner *s, int n, unsigned seconds)
{
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    for (int i = 0; i < n; i++) {
        s[i].pid = fork();
        CHECK(s[i].pid >= 0, "fork: %s", strerror(errno));
        if (s[i].pid == 0) {
            close(fds[1]);
            spinner_main(&s[i], fds[0]);
        }
        if (s[i].nice_from_parent)
            CHECK(setpriority(PRIO_PROCESS, (id_t)s[i].pid, s[i].nice) == 0, "setpriority(%d, %d): %s",
                  (int)s[i].pid, s[i].nice, strerror(errno));
    }
    uint64_t deadline = now_ns() + seconds * NS_PER_S;
    for (int i = 0; i < n; i++)         /* one 8-byte write each: atomic, one per reader */
        CHECK(write(fds[1], &deadline, sizeof deadline) == sizeof deadline, "write: %s", strerror(errno));
    close(fds[0]);
    close(fds[1]);
    for (int i = 0; i < n; i++) {
        int status;
        struct rusage ru;
        CHECK(wait4(s[i].pid, &status, 0, &ru) == s[i].pid, "wait4: %s", strerror(errno));
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "spinner %d ended with status %#x", i, status);
        s[i].cpu_ns = timeval_ns(ru.ru_utime) + timeval_ns(ru.ru_stime);
        printf("  spinner nice %3d, %d thread(s): %llu ms of CPU\n", s[i].nice, s[i].threads,
               (unsigned long long)(s[i].cpu_ns / (NS_PER_S / 1000)));
    }
}

/* a got at least num/den times b's CPU time. */
#define SHARE_AT_LEAST(a, b, num, den)                                                          \
    CHECK((a).cpu_ns * (den) >= (b).cpu_ns * (num), "nice %d got %llu ms, nice %d %llu ms: "   \
          "expected at least %d/%d times as much", (a).nice, (unsigned long long)((a).cpu_ns / 1000000), \
          (b).nice, (unsigned long long)((b).cpu_ns / 1000000), (num), (den))

/* Nice 0 against nice 10: about ten slices to one; three times as much at least. */
static void lower_nice_runs_more(void)
{
    struct spinner s[2] = { { .nice = 0, .threads = 1 }, { .nice = 10, .threads = 1 } };
    run_spinners(s, 2, 1);
    SHARE_AT_LEAST(s[0], s[1], 3, 1);
}

/* Nice 0, 5 and 10: the shares fall in that order, each well below the last. */
static void shares_follow_nice(void)
{
    struct spinner s[3] = { { .nice = 0, .threads = 1 }, { .nice = 5, .threads = 1 }, { .nice = 10, .threads = 1 } };
    run_spinners(s, 3, 2);
    SHARE_AT_LEAST(s[0], s[1], 3, 2);
    SHARE_AT_LEAST(s[1], s[2], 3, 2);
}

/* Three spinners of one nice share the CPU equally: each within a quarter of the mean. */
static void equal_nice_shares_equally(void)
{
    struct spinner s[3] = { { .nice = 4, .threads = 1 }, { .nice = 4, .threads = 1 }, { .nice = 4, .threads = 1 } };
    run_spinners(s, 3, 1);
    uint64_t mean = (s[0].cpu_ns + s[1].cpu_ns + s[2].cpu_ns) / 3;
    for (int i = 0; i < 3; i++)
        CHECK(s[i].cpu_ns * 4 >= mean * 3 && s[i].cpu_ns * 4 <= mean * 5,
              "spinner %d got %llu ms, the mean is %llu ms", i, (unsigned long long)(s[i].cpu_ns / 1000000),
              (unsigned long long)(mean / 1000000));
}

/*
 * Nice 19 against nice 0 still runs (aging): about one slice in twenty,
 * so at least one in a hundred; a strict priority order would give it
 * nothing at all.
 */
static void least_urgent_still_runs(void)
{
    struct spinner s[2] = { { .nice = 0, .threads = 1 }, { .nice = 19, .threads = 1 } };
    run_spinners(s, 2, 2);
    CHECK(s[1].cpu_ns * 100 >= s[0].cpu_ns, "nice 19 got %llu ms against nice 0's %llu ms: starved",
          (unsigned long long)(s[1].cpu_ns / 1000000), (unsigned long long)(s[0].cpu_ns / 1000000));
    SHARE_AT_LEAST(s[0], s[1], 4, 1);
}

/*
 * A process's threads all run at its nice: two threads at nice 10 get
 * less together than one at nice 0 (under round robin they would get
 * twice as much).
 */
static void threads_take_process_nice(void)
{
    struct spinner s[2] = { { .nice = 0, .threads = 1 }, { .nice = 10, .threads = 2 } };
    run_spinners(s, 2, 1);
    SHARE_AT_LEAST(s[0], s[1], 2, 1);
}

/* A nice set by another process (by pid, before the spinning starts) counts as one set by the spinner. */
static void nice_set_by_pid_counts(void)
{
    struct spinner s[2] = { { .nice = 0, .threads = 1 },
                            { .nice = 12, .threads = 1, .nice_from_parent = true } };
    run_spinners(s, 2, 1);
    SHARE_AT_LEAST(s[0], s[1], 3, 1);
}

/* Our own: a thread's id names its process (Linux would change that thread only), and -20 is allowed. */
static void tid_names_its_process(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, spin_thread, NULL) == 0, "pthread_create");   /* deadline 0: ends at once */
    CHECK(setpriority(PRIO_PROCESS, (id_t)gettid(), -20) == 0, "setpriority(own tid, -20): %s", strerror(errno));
    PRIO_IS(PRIO_PROCESS, 0, -20);
    PRIO_IS(PRIO_PROCESS, getpid(), -20);
    pthread_join(t, NULL);
    PRIO_FAILS(setpriority(PRIO_PROCESS, (id_t)-1, 0), ESRCH);
    PRIO_FAILS(getpriority(-1, 0), EINVAL);
}

int main(void)
{
    RUN(prio_set_and_get_run);
    RUN(prio_clamped_run);
    RUN(prio_nice_adds_run);
    RUN(prio_errors_run);
    RUN(prio_inherited_run);
    RUN(prio_of_another_run);
    RUN(prio_group_run);
    RUN(tid_names_its_process);
    RUN(lower_nice_runs_more);
    RUN(shares_follow_nice);
    RUN(equal_nice_shares_equally);
    RUN(least_urgent_still_runs);
    RUN(threads_take_process_nice);
    RUN(nice_set_by_pid_counts);
    return utest_finish();
}
