/*
 * CPU time (issue 13): the cases of cputime_cases.h, which pass on the
 * Linux host too (user and system time, the thread and process clocks,
 * children's time after reaping, times, getrusage, wait4's rusage,
 * context switches, bad arguments), and what only our kernel promises:
 * user + system is the precise runtime, neither goes backwards, a running
 * sibling's clock read from another thread advances, wait4 with a bad
 * rusage pointer keeps the child for a later wait, and hostile clock ids.
 */
#include "utest.h"
#include <abi/cputime.h>
#include "cputime_cases.h"

#define SHORT_SPIN_NS   (20 * CPU_MS)
#define MONOTONIC_ROUNDS 20
#define USEC_NS         1000LL

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(cpu_busy_loop_is_user)
SHARED(cpu_syscalls_are_system)
SHARED(cpu_sleep_is_free)
SHARED(cpu_sibling_counts_for_process)
SHARED(cpu_preemption_is_involuntary)
SHARED(cpu_children_after_reap)
SHARED(cpu_times_counts)
SHARED(cpu_clock_is_process_time)
SHARED(cpu_clock_of_another_process)
SHARED(cpu_bad_arguments)

/* getrusage(RUSAGE_THREAD)'s user + system is the thread clock at the moment it was read. */
static void split_adds_up(void)
{
    cpu_spin(SHORT_SPIN_NS);
    (void)cpu_syscall_spin(SHORT_SPIN_NS);
    struct rusage ru;
    long long before = cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID);
    CPU_USAGE(RUSAGE_THREAD, &ru);
    long long after = cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID);
    CHECK(cpu_ru_ns(&ru) >= before - 2 * USEC_NS && cpu_ru_ns(&ru) <= after,
          "user + system %lld ns, the clock read %lld and %lld around it", cpu_ru_ns(&ru), before, after);
}

/* User and system time never go backwards, whatever the mix of user loops and system calls. */
static void split_is_monotonic(void)
{
    struct rusage last, now;
    CPU_USAGE(RUSAGE_SELF, &last);
    for (int i = 0; i < MONOTONIC_ROUNDS; i++) {
        if (i % 2)
            cpu_spin(SHORT_SPIN_NS);
        else
            (void)cpu_syscall_spin(SHORT_SPIN_NS);
        CPU_USAGE(RUSAGE_SELF, &now);
        CHECK(cpu_tv_ns(now.ru_utime) >= cpu_tv_ns(last.ru_utime) &&
              cpu_tv_ns(now.ru_stime) >= cpu_tv_ns(last.ru_stime),
              "round %d: user %lld -> %lld, system %lld -> %lld", i, cpu_tv_ns(last.ru_utime),
              cpu_tv_ns(now.ru_utime), cpu_tv_ns(last.ru_stime), cpu_tv_ns(now.ru_stime));
        last = now;
    }
}

static volatile int sibling_stop;

static void *spin_until_stopped(void *arg)
{
    (void)arg;
    while (!sibling_stop)
        cpu_spin(SHORT_SPIN_NS);
    return NULL;
}

/* A sibling's clock, read from this thread while the sibling runs (on another CPU, or while we sleep), advances. */
static void running_sibling_clock(void)
{
    pthread_t t;
    clockid_t id;
    CHECK(pthread_create(&t, NULL, spin_until_stopped, NULL) == 0, "pthread_create");
    CHECK(pthread_getcpuclockid(t, &id) == 0, "pthread_getcpuclockid");
    struct timespec nap = { 0, 100 * CPU_MS };
    long long a = cpu_clock_ns(id);
    nanosleep(&nap, NULL);
    long long b = cpu_clock_ns(id), mine = cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID);
    sibling_stop = 1;
    pthread_join(t, NULL);
    CHECK(a >= 0 && b > a, "the sibling's clock read %lld, then %lld", a, b);
    CHECK(cpu_clock_ns(CLOCK_PROCESS_CPUTIME_ID) >= b + mine, "the process clock is below its threads'");
    CHECK(clock_gettime(id, &nap) == -1 && errno == EINVAL, "the clock of a thread that ended");
}

/* Hostile clock ids: EINVAL, never a fault. */
static void hostile_clocks(void)
{
    static const int bad[] = {
        CPUCLOCK_MAKE(0, CPUCLOCK_WHAT_MASK),                   /* Linux's "clock fd" kind: not ours */
        CPUCLOCK_MAKE(1, CPUCLOCK_SCHED | CPUCLOCK_PERTHREAD),  /* a thread of another process (init) */
        CPUCLOCK_MAKE(CPU_NO_PID, CPUCLOCK_SCHED),
        CPUCLOCK_MAKE(CPU_NO_PID, CPUCLOCK_PROF | CPUCLOCK_PERTHREAD),
        INT32_MIN, -1, 8, 99,
    };
    struct timespec ts;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(clock_gettime(bad[i], &ts) == -1 && errno == EINVAL, "clock_gettime(%d): %s", bad[i], strerror(errno));
        CHECK(clock_getres(bad[i], &ts) == -1 && errno == EINVAL, "clock_getres(%d): %s", bad[i], strerror(errno));
    }
    static const int what[] = { CPUCLOCK_PROF, CPUCLOCK_VIRT, CPUCLOCK_SCHED };
    for (size_t i = 0; i < sizeof what / sizeof what[0]; i++) {
        CHECK(clock_gettime(CPUCLOCK_MAKE(0, what[i]), &ts) == 0, "own process clock %d", what[i]);
        CHECK(clock_gettime(CPUCLOCK_MAKE(gettid(), what[i] | CPUCLOCK_PERTHREAD), &ts) == 0,
              "own thread clock %d", what[i]);
        CHECK(clock_gettime(CPUCLOCK_MAKE(1, what[i]), &ts) == 0, "init's process clock %d", what[i]);
    }
}

/*
 * wait4 with a bad rusage pointer fails before it reaps (EFAULT): the
 * child is still there for the next wait, which reports its time and its
 * largest resident set.
 */
static void wait4_bad_rusage_keeps_child(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        cpu_spin(SHORT_SPIN_NS);
        _exit(7);
    }
    int status = 0;
    struct rusage ru;
    CHECK(syscall(SYS_wait4, pid, &status, 0, CPU_KERNEL_ADDR) == -1 && errno == EFAULT, "wait4 into the kernel");
    CHECK(syscall(SYS_wait4, pid, &status, 0, CPU_NONCANONICAL) == -1 && errno == EFAULT, "wait4, non-canonical");
    CHECK(wait4(pid, &status, 0, &ru) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7,
          "the child after the failed waits: %s, status %#x", strerror(errno), status);
    CHECK(cpu_ru_ns(&ru) >= SHORT_SPIN_NS - CPU_SLACK_NS && ru.ru_maxrss > 0,
          "its rusage: %lld ns, %ld KiB", cpu_ru_ns(&ru), ru.ru_maxrss);
    CHECK(wait3(&status, WNOHANG, &ru) == -1 && errno == ECHILD, "wait3 with no child left: %s", strerror(errno));
}

/* What the first run of a case leaves (the harness's own first pages), before the leak check counts. */
static void warm_up(void)
{
    (void)cpu_sleep_is_free();
    (void)cpu_sibling_counts_for_process();
}

int main(void)
{
    printf("test_cputime: user and system time, CPU-time clocks, times, getrusage, wait4's rusage\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN_SHARED(cpu_busy_loop_is_user);
    RUN_SHARED(cpu_syscalls_are_system);
    RUN_SHARED(cpu_sleep_is_free);
    RUN_SHARED(cpu_sibling_counts_for_process);
    RUN_SHARED(cpu_preemption_is_involuntary);
    RUN_SHARED(cpu_children_after_reap);
    RUN_SHARED(cpu_times_counts);
    RUN_SHARED(cpu_clock_is_process_time);
    RUN_SHARED(cpu_clock_of_another_process);
    RUN_SHARED(cpu_bad_arguments);
    RUN(split_adds_up);
    RUN(split_is_monotonic);
    RUN(running_sibling_clock);
    RUN(hostile_clocks);
    RUN(wait4_bad_rusage_keeps_child);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
