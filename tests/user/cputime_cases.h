/*
 * CPU time as Linux reports it, in cases that run both on the Linux host
 * (tests/host/libc/cputime.c: our libc on Linux's kernel) and in our
 * kernel (tests/user/test_cputime.c): a busy loop is user time, many
 * system calls are system time, a sleep costs none; a thread's clock
 * counts only its own time, the process's every thread's, ended ones
 * included; a child's time reaches RUSAGE_CHILDREN, times() and wait4's
 * rusage only once it is reaped; switches are counted voluntary (a
 * sleep) and involuntary (preempted); bad arguments are errors.
 *
 * No case assumes a speed: a spin runs until its own CPU clock says it
 * has used SPIN_NS, and the checks compare figures with each other in
 * generous ratios (an emulator shares the host with others).  Each case
 * returns 1, or fails through the includer's CHECK (check.h returns 0,
 * utest.h ends the test); every thread or child a case starts ends on its
 * own, so a failing case leaves nothing running on the host.
 */
#ifndef TESTS_USER_CPUTIME_CASES_H
#define TESTS_USER_CPUTIME_CASES_H

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CPU_NS              1000000000LL
#define CPU_MS              1000000LL
#define SPIN_NS             (300 * CPU_MS)  /* a spin's CPU time: 30 ticks at 100 Hz */
#define SPIN_WALL_MAX_NS    (20 * CPU_NS)   /* a spin gives up after this long: a clock that never moves */
#define SPIN_INNER          100000          /* increments between two looks at the clock */
#define CPU_SLACK_NS        (5 * CPU_MS)    /* rounding: timevals are microseconds, times() ticks 10 ms */
#define SLEEP_NS            (200 * CPU_MS)
#define SLEEP_CPU_MAX_NS    (50 * CPU_MS)   /* what a sleep of SLEEP_NS may cost, at most */
#define WALL_FRACTION       8               /* a spin alone gets at least 1/8 of the wall time */
#define ZERO_BUF            65536           /* bytes per read of /dev/zero: the kernel clears them */
#define CPU_KERNEL_ADDR     0xffff800000000000UL    /* EFAULT, not a fault */
#define CPU_NONCANONICAL    0x8000000000000000UL    /* neither user nor kernel: EFAULT */
#define CPU_NO_PID          ((1 << 28) - 1)         /* above any pid_max: no such process */
#define CPU_BAD_WHO         42

static long long cpu_clock_ns(clockid_t c)
{
    struct timespec ts;
    if (clock_gettime(c, &ts) != 0)
        return -1;
    return ts.tv_sec * CPU_NS + ts.tv_nsec;
}

static long long cpu_tv_ns(struct timeval tv)
{
    return tv.tv_sec * CPU_NS + tv.tv_usec * 1000LL;
}

static long long cpu_ru_ns(const struct rusage *ru)
{
    return cpu_tv_ns(ru->ru_utime) + cpu_tv_ns(ru->ru_stime);
}

static long long cpu_ticks_ns(clock_t ticks)
{
    return (long long)ticks * CPU_NS / sysconf(_SC_CLK_TCK);
}

/* Spin in user mode until the calling thread's CPU clock has advanced ns (or the wall cap passed). */
static void cpu_spin(long long ns)
{
    long long start = cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID), wall = cpu_clock_ns(CLOCK_MONOTONIC);
    volatile unsigned long x = 0;
    while (cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID) - start < ns &&
           cpu_clock_ns(CLOCK_MONOTONIC) - wall < SPIN_WALL_MAX_NS)
        for (int i = 0; i < SPIN_INNER; i++)
            x++;
}

/* Read /dev/zero until the calling thread's CPU clock has advanced ns: mostly the kernel's work. */
static int cpu_syscall_spin(long long ns)
{
    static char buf[ZERO_BUF];
    int fd = open("/dev/zero", O_RDONLY);
    CHECK(fd >= 0, "open /dev/zero: %s", strerror(errno));
    long long start = cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID), wall = cpu_clock_ns(CLOCK_MONOTONIC);
    while (cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID) - start < ns &&
           cpu_clock_ns(CLOCK_MONOTONIC) - wall < SPIN_WALL_MAX_NS)
        CHECK(read(fd, buf, sizeof buf) == (ssize_t)sizeof buf, "read /dev/zero: %s", strerror(errno));
    close(fd);
    return 1;
}

#define CPU_USAGE(who, ru) \
    CHECK(getrusage((who), (ru)) == 0, "getrusage(%d): %s", (int)(who), strerror(errno))

/* A busy loop is user time, most of the wall time it took when alone; the clocks agree with getrusage. */
static int cpu_busy_loop_is_user(void)
{
    struct rusage r0, r1;
    CPU_USAGE(RUSAGE_SELF, &r0);
    long long wall = cpu_clock_ns(CLOCK_MONOTONIC), proc = cpu_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    cpu_spin(SPIN_NS);
    long long proc_used = cpu_clock_ns(CLOCK_PROCESS_CPUTIME_ID) - proc;
    wall = cpu_clock_ns(CLOCK_MONOTONIC) - wall;
    CPU_USAGE(RUSAGE_SELF, &r1);
    long long used = cpu_ru_ns(&r1) - cpu_ru_ns(&r0), user = cpu_tv_ns(r1.ru_utime) - cpu_tv_ns(r0.ru_utime);
    CHECK(proc_used >= SPIN_NS, "the process clock moved %lld ns in a spin of %lld", proc_used, SPIN_NS);
    CHECK(used >= SPIN_NS - CPU_SLACK_NS, "getrusage: %lld ns used in a spin of %lld", used, SPIN_NS);
    CHECK(user >= used / 2, "user time %lld ns of %lld: a busy loop is user time", user, used);
    CHECK(used >= wall / WALL_FRACTION, "%lld ns of CPU in %lld ns of wall time", used, wall);
    CHECK(r1.ru_maxrss > 0, "ru_maxrss %ld KiB", r1.ru_maxrss);
    return 1;
}

/* Many system calls that do real work (clearing 64 KiB each) are system time. */
static int cpu_syscalls_are_system(void)
{
    struct rusage r0, r1;
    CPU_USAGE(RUSAGE_THREAD, &r0);
    if (!cpu_syscall_spin(SPIN_NS))
        return 0;
    CPU_USAGE(RUSAGE_THREAD, &r1);
    long long used = cpu_ru_ns(&r1) - cpu_ru_ns(&r0), sys = cpu_tv_ns(r1.ru_stime) - cpu_tv_ns(r0.ru_stime);
    CHECK(used >= SPIN_NS - CPU_SLACK_NS, "%lld ns used in a spin of %lld", used, SPIN_NS);
    CHECK(sys >= used / 4, "system time %lld ns of %lld reading /dev/zero", sys, used);
    return 1;
}

/* A sleep costs no CPU time, and is a voluntary switch. */
static int cpu_sleep_is_free(void)
{
    struct rusage r0, r1;
    CPU_USAGE(RUSAGE_THREAD, &r0);
    long long thread = cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID), proc = cpu_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    struct timespec nap = { 0, SLEEP_NS };
    CHECK(nanosleep(&nap, NULL) == 0, "nanosleep: %s", strerror(errno));
    thread = cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID) - thread;
    proc = cpu_clock_ns(CLOCK_PROCESS_CPUTIME_ID) - proc;
    CPU_USAGE(RUSAGE_THREAD, &r1);
    CHECK(thread >= 0 && thread < SLEEP_CPU_MAX_NS, "a %lld ns sleep cost the thread %lld ns", SLEEP_NS, thread);
    CHECK(proc >= 0 && proc < SLEEP_CPU_MAX_NS, "... and the process %lld ns", proc);
    CHECK(cpu_ru_ns(&r1) - cpu_ru_ns(&r0) < SLEEP_CPU_MAX_NS, "getrusage: %lld ns",
          cpu_ru_ns(&r1) - cpu_ru_ns(&r0));
    CHECK(r1.ru_nvcsw > r0.ru_nvcsw, "voluntary switches %ld, %ld before the sleep", r1.ru_nvcsw, r0.ru_nvcsw);
    return 1;
}

/* What a sibling thread measured of itself. */
struct cpu_sibling {
    long long own_clock;        /* CLOCK_THREAD_CPUTIME_ID after its spin */
    long long by_id;            /* its pthread_getcpuclockid clock, read just after */
    int id_err;                 /* pthread_getcpuclockid's result */
};

static void *cpu_sibling_spin(void *arg)
{
    struct cpu_sibling *s = arg;
    clockid_t id;
    cpu_spin(SPIN_NS);
    s->id_err = pthread_getcpuclockid(pthread_self(), &id);
    s->own_clock = cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID);
    s->by_id = s->id_err ? -1 : cpu_clock_ns(id);
    return NULL;
}

/*
 * A sibling's spin adds to the process's clock (after it ended, too) but
 * not to this thread's, which waits for it asleep; a thread's clock is at
 * most its process's; pthread_getcpuclockid's clock is the thread's own.
 */
static int cpu_sibling_counts_for_process(void)
{
    long long thread = cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID), proc = cpu_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    CHECK(thread >= 0 && thread <= proc, "thread clock %lld, process clock %lld", thread, proc);
    struct cpu_sibling s = { 0, 0, 0 };
    pthread_t t;
    CHECK(pthread_create(&t, NULL, cpu_sibling_spin, &s) == 0, "pthread_create");
    CHECK(pthread_join(t, NULL) == 0, "pthread_join");
    thread = cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID) - thread;
    proc = cpu_clock_ns(CLOCK_PROCESS_CPUTIME_ID) - proc;
    CHECK(proc >= SPIN_NS, "the process clock moved %lld ns while a sibling spun %lld", proc, SPIN_NS);
    CHECK(thread < SPIN_NS / 4, "this thread's clock moved %lld ns while it waited", thread);
    CHECK(s.own_clock >= SPIN_NS, "the sibling's own clock read %lld", s.own_clock);
    CHECK(s.id_err == 0 && s.by_id >= s.own_clock && s.by_id - s.own_clock < SLEEP_CPU_MAX_NS,
          "pthread_getcpuclockid: %s, read %lld against %lld", strerror(s.id_err), s.by_id, s.own_clock);
    return 1;
}

/* Two spinning threads on one CPU preempt each other: involuntary switches. */
static int cpu_preemption_is_involuntary(void)
{
    cpu_set_t all, one;
    CHECK(sched_getaffinity(0, sizeof all, &all) == 0, "sched_getaffinity: %s", strerror(errno));
    int cpu = 0;
    while (!CPU_ISSET(cpu, &all))
        cpu++;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    CHECK(sched_setaffinity(0, sizeof one, &one) == 0, "pin to CPU %d: %s", cpu, strerror(errno));
    struct rusage r0, r1;
    CPU_USAGE(RUSAGE_SELF, &r0);
    struct cpu_sibling s = { 0, 0, 0 };
    pthread_t t;
    int err = pthread_create(&t, NULL, cpu_sibling_spin, &s);   /* it inherits the pin */
    cpu_spin(SPIN_NS);
    if (err == 0)
        pthread_join(t, NULL);
    sched_setaffinity(0, sizeof all, &all);
    CPU_USAGE(RUSAGE_SELF, &r1);
    CHECK(err == 0, "pthread_create: %s", strerror(err));
    CHECK(r1.ru_nivcsw > r0.ru_nivcsw, "involuntary switches %ld, %ld before two spins on one CPU",
          r1.ru_nivcsw, r0.ru_nivcsw);
    return 1;
}

/* A child that spins SPIN_NS, after reaping a grandchild that spun as long; then it exits 0. */
static void cpu_child_spins(int done)
{
    pid_t grandchild = fork();
    if (grandchild == 0) {
        cpu_spin(SPIN_NS);
        _exit(0);
    }
    waitpid(grandchild, NULL, 0);
    cpu_spin(SPIN_NS);
    close(done);
    _exit(0);
}

/* Equal user and system times in two rusages, and in two struct tms' children's parts. */
static int cpu_same_children(const struct rusage *a, const struct rusage *b,
                             const struct tms *ta, const struct tms *tb)
{
    CHECK(cpu_tv_ns(a->ru_utime) == cpu_tv_ns(b->ru_utime) && cpu_tv_ns(a->ru_stime) == cpu_tv_ns(b->ru_stime),
          "RUSAGE_CHILDREN moved from %lld to %lld ns before the child was reaped", cpu_ru_ns(a), cpu_ru_ns(b));
    CHECK(ta->tms_cutime == tb->tms_cutime && ta->tms_cstime == tb->tms_cstime,
          "tms_cutime moved from %ld to %ld before the child was reaped", (long)ta->tms_cutime,
          (long)tb->tms_cutime);
    return 1;
}

/*
 * A child's time (with its own reaped child's) shows in RUSAGE_CHILDREN
 * and times()'s tms_cutime only once it is reaped, and wait4 reports it.
 */
static int cpu_children_after_reap(void)
{
    struct rusage r0, r1, r2, child;
    struct tms t0, t1, t2;
    int done[2], status = -1;
    CPU_USAGE(RUSAGE_CHILDREN, &r0);
    CHECK(times(&t0) != (clock_t)-1, "times: %s", strerror(errno));
    CHECK(pipe(done) == 0, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        close(done[0]);
        cpu_child_spins(done[1]);
    }
    close(done[1]);
    char c;
    while (read(done[0], &c, 1) > 0)
        ;                       /* end of file: the child has spun and is on its way out */
    close(done[0]);
    CPU_USAGE(RUSAGE_CHILDREN, &r1);
    times(&t1);
    int same = cpu_same_children(&r0, &r1, &t0, &t1);
    memset(&child, 0, sizeof child);
    CHECK(wait4(pid, &status, 0, &child) == pid, "wait4: %s", strerror(errno));
    if (!same)
        return 0;
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CPU_USAGE(RUSAGE_CHILDREN, &r2);
    times(&t2);
    long long reaped = cpu_ru_ns(&r2) - cpu_ru_ns(&r0);
    CHECK(cpu_ru_ns(&child) >= 2 * SPIN_NS - CPU_SLACK_NS, "wait4's rusage: %lld ns, two spins of %lld",
          cpu_ru_ns(&child), SPIN_NS);
    CHECK(cpu_tv_ns(child.ru_utime) >= cpu_ru_ns(&child) / 2, "wait4: user %lld ns of %lld",
          cpu_tv_ns(child.ru_utime), cpu_ru_ns(&child));
    /* Linux 6.18 can report 0 for a small child (its RSS counters are per CPU): only the order is checked */
    CHECK(r2.ru_maxrss >= child.ru_maxrss, "ru_maxrss: the child's %ld, children's %ld",
          child.ru_maxrss, r2.ru_maxrss);
    CHECK(reaped >= cpu_ru_ns(&child) - CPU_SLACK_NS, "RUSAGE_CHILDREN grew %lld ns, wait4 said %lld",
          reaped, cpu_ru_ns(&child));
    long long ticks = cpu_ticks_ns(t2.tms_cutime + t2.tms_cstime - t1.tms_cutime - t1.tms_cstime);
    CHECK(ticks >= 2 * SPIN_NS - 2 * CPU_SLACK_NS, "tms_cutime + tms_cstime grew %lld ns", ticks);
    return 1;
}

/* times(): the caller's own time in tms_utime, and elapsed ticks that advance with the wall clock. */
static int cpu_times_counts(void)
{
    struct tms t0, t1;
    long long before = cpu_clock_ns(CLOCK_MONOTONIC);     /* the wall time, on both sides of each times() */
    clock_t e0 = times(&t0);
    long long after = cpu_clock_ns(CLOCK_MONOTONIC);
    CHECK(e0 != (clock_t)-1, "times: %s", strerror(errno));
    cpu_spin(SPIN_NS);
    long long least = cpu_clock_ns(CLOCK_MONOTONIC) - after;
    clock_t e1 = times(&t1);
    long long most = cpu_clock_ns(CLOCK_MONOTONIC) - before;
    CHECK(cpu_ticks_ns(t1.tms_utime + t1.tms_stime - t0.tms_utime - t0.tms_stime) >= SPIN_NS - 2 * CPU_SLACK_NS,
          "tms_utime + tms_stime grew %ld ticks in a spin of %lld ns",
          (long)(t1.tms_utime + t1.tms_stime - t0.tms_utime - t0.tms_stime), SPIN_NS);
    long long elapsed = cpu_ticks_ns(e1 - e0);
    CHECK(elapsed >= least - 4 * CPU_SLACK_NS && elapsed <= most + 4 * CPU_SLACK_NS,
          "times() advanced %lld ns in %lld to %lld ns of wall time", elapsed, least, most);
    CHECK(times(NULL) >= e1, "times(NULL)");
    CHECK(sysconf(_SC_CLK_TCK) == 100, "_SC_CLK_TCK %ld", sysconf(_SC_CLK_TCK));
    return 1;
}

/* clock() is the process's CPU time in CLOCKS_PER_SEC. */
static int cpu_clock_is_process_time(void)
{
    clock_t c0 = clock();
    cpu_spin(SPIN_NS);
    clock_t c1 = clock();
    CHECK(c0 != (clock_t)-1 && (long long)(c1 - c0) * (CPU_NS / CLOCKS_PER_SEC) >= SPIN_NS,
          "clock() advanced %ld in a spin of %lld ns", (long)(c1 - c0), SPIN_NS);
    return 1;
}

/*
 * Another process's CPU-time clock (clock_getcpuclockid): a child's, read
 * while it waits after spinning; the caller's own, as pid 0 and as its pid.
 */
static int cpu_clock_of_another_process(void)
{
    clockid_t self0, self, child_clock;
    CHECK(clock_getcpuclockid(0, &self0) == 0 && clock_getcpuclockid(getpid(), &self) == 0,
          "clock_getcpuclockid of the caller");
    long long a = cpu_clock_ns(CLOCK_PROCESS_CPUTIME_ID), b = cpu_clock_ns(self0), c = cpu_clock_ns(self);
    CHECK(a >= 0 && b >= a && c >= b, "the caller's clock: %lld, %lld, %lld", a, b, c);
    CHECK(clock_getcpuclockid(CPU_NO_PID, &child_clock) == ESRCH, "clock_getcpuclockid of no process");
    int spun[2], go_on[2];
    CHECK(pipe(spun) == 0 && pipe(go_on) == 0, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    char x = 0;
    if (pid == 0) {
        close(go_on[1]);
        cpu_spin(SPIN_NS);
        write(spun[1], &x, 1);
        read(go_on[0], &x, 1);  /* until the parent has read its clock, or has gone */
        _exit(0);
    }
    close(go_on[0]);
    int got = read(spun[0], &x, 1) == 1 && clock_getcpuclockid(pid, &child_clock) == 0;
    long long child_ns = got ? cpu_clock_ns(child_clock) : -1;
    close(go_on[1]);
    waitpid(pid, NULL, 0);
    close(spun[0]);
    close(spun[1]);
    CHECK(got, "the child's clock id");
    CHECK(child_ns >= SPIN_NS, "the child's clock read %lld after a spin of %lld ns", child_ns, SPIN_NS);
    return 1;
}

/* Bad arguments are errors: EINVAL for an unknown who or clock, EFAULT for memory that is not the caller's. */
static int cpu_bad_arguments(void)
{
    static const unsigned long bad[] = { CPU_KERNEL_ADDR, CPU_NONCANONICAL, 0 };
    static const int whos[] = { RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD };
    struct rusage ru;
    struct timespec ts;
    CHECK(getrusage(CPU_BAD_WHO, &ru) == -1 && errno == EINVAL, "getrusage(42): %s", strerror(errno));
    CHECK(getrusage(-2, &ru) == -1 && errno == EINVAL, "getrusage(RUSAGE_BOTH): %s", strerror(errno));
    for (size_t w = 0; w < sizeof whos / sizeof whos[0]; w++)
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
            CHECK(syscall(SYS_getrusage, whos[w], bad[i]) == -1 && errno == EFAULT,
                  "getrusage(%d, %#lx): %s", whos[w], bad[i], strerror(errno));
    CHECK(syscall(SYS_times, CPU_KERNEL_ADDR) == -1 && errno == EFAULT, "times into the kernel: %s",
          strerror(errno));
    CHECK(syscall(SYS_times, CPU_NONCANONICAL) == -1 && errno == EFAULT, "times, non-canonical");
    CHECK(syscall(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, CPU_KERNEL_ADDR) == -1 && errno == EFAULT,
          "clock_gettime into the kernel: %s", strerror(errno));
    CHECK(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0 && ts.tv_sec == 0 && ts.tv_nsec > 0 &&
          ts.tv_nsec <= 10 * CPU_MS, "clock_getres(CLOCK_PROCESS_CPUTIME_ID)");
    CHECK(clock_getres(CLOCK_THREAD_CPUTIME_ID, NULL) == 0, "clock_getres(CLOCK_THREAD_CPUTIME_ID, NULL)");
    CHECK(clock_getres(99, &ts) == -1 && errno == EINVAL, "clock_getres(99)");
    return 1;
}

#endif
