/*
 * The scheduler trace (SYS_os_trace, docs/trace.md): nothing is recorded
 * while it is off; a yield ping-pong between two threads records switches
 * marked same-process with no CR3 write after them, one between two
 * processes a CR3 write after every switch; new threads, execs and wakes
 * are recorded with who did them; a ring that wraps keeps whole records,
 * numbered without a gap; reads are bounded; bad pointers give EFAULT, a
 * CPU without a ring or an unknown operation EINVAL.
 */
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>
#include "uthread.h"

#define PING_PONGS      200
#define WRAP_EXTRA      100     /* events past a full ring in the wrap test */
#define FEW             3       /* events a bounded read asks for */
#define PAGE            4096
#define KERNEL_ADDRESS  0xffffffff80100000ul
#define NONCANONICAL    0x0000900000000000ul
#define BAD_OP          99
#define NAP_NS          1000000L    /* 1 ms */
#define ASLEEP_SECONDS  5
#define READS_WHILE_RECORDING 20

static long trace_call(long op, unsigned long cpu, void *buf, unsigned long max)
{
    return syscall(SYS_os_trace, op, cpu, buf, max);
}

static struct os_trace_info info_of(unsigned cpu)
{
    struct os_trace_info info;
    CHECK(trace_call(OS_TRACE_INFO, cpu, &info, 0) == 0, "OS_TRACE_INFO: %s", strerror(errno));
    return info;
}

/* Record afresh from now on. */
static void trace_start(void)
{
    CHECK(trace_call(OS_TRACE_RESET, 0, NULL, 0) == 0, "OS_TRACE_RESET: %s", strerror(errno));
    CHECK(trace_call(OS_TRACE_ON, 0, NULL, 0) == 0, "OS_TRACE_ON: %s", strerror(errno));
}

static void trace_stop(void)
{
    CHECK(trace_call(OS_TRACE_OFF, 0, NULL, 0) == 0, "OS_TRACE_OFF: %s", strerror(errno));
}

/* Every event CPU 0 holds, oldest first, into a malloc'ed array (*out); their number. */
static long read_all(struct os_trace_event **out)
{
    struct os_trace_info info = info_of(0);
    *out = malloc(info.capacity * sizeof **out);
    CHECK(*out, "malloc");
    long n = trace_call(OS_TRACE_READ, 0, *out, info.capacity);
    CHECK(n >= 0 && (uint64_t)n == info.held, "OS_TRACE_READ: %ld of %lu held, errno %d", n,
          (unsigned long)info.held, errno);
    return n;
}

static pid_t gettid_(void)
{
    return (pid_t)syscall(SYS_gettid);
}

/* ---- helpers that make events ---- */

static volatile pid_t yielder_tid;

static void *yielder(void *arg)
{
    yielder_tid = gettid_();
    for (long i = 0; i < (long)(intptr_t)arg; i++)
        sched_yield();
    return NULL;
}

/* This thread and another yield to each other, rounds times each; the other's tid. */
static pid_t thread_ping_pong(long rounds)
{
    pthread_t t;
    SPAWN(&t, yielder, (void *)(intptr_t)rounds);
    for (long i = 0; i < rounds; i++)
        sched_yield();
    CHECK(pthread_join(t, NULL) == 0, "pthread_join");
    return yielder_tid;
}

/* This process and a forked child yield to each other, rounds times each; the child's pid. */
static pid_t process_ping_pong(long rounds)
{
    pid_t child = fork();
    CHECK(child >= 0, "fork: %s", strerror(errno));
    if (child == 0) {
        for (long i = 0; i < rounds; i++)
            sched_yield();
        _exit(0);
    }
    for (long i = 0; i < rounds; i++)
        sched_yield();
    int status;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the child did not end well: %#x", status);
    return child;
}

static int is_switch(const struct os_trace_event *e, pid_t a, pid_t b)
{
    return e->type == OS_TRACE_SWITCH && e->arg[0] == a && e->arg[2] == b;
}

/* Check n events read at once: one CPU's, each whole, numbered without a gap, in time order. */
static void check_run(const struct os_trace_event *e, long n)
{
    for (long i = 0; i < n; i++) {
        CHECK(e[i].cpu == 0 && e[i].type > 0 && e[i].type < OS_TRACE_TYPES, "event %ld: cpu %u type %u",
              i, e[i].cpu, e[i].type);
        CHECK(i == 0 || (e[i].seq == e[i - 1].seq + 1 && e[i].tsc >= e[i - 1].tsc),
              "event %ld: seq %u tsc %llu after seq %u tsc %llu", i, e[i].seq, (unsigned long long)e[i].tsc,
              e[i - 1].seq, (unsigned long long)e[i - 1].tsc);
    }
}

/* ---- the tests ---- */

static void off_records_nothing(void)
{
    trace_stop();
    CHECK(trace_call(OS_TRACE_RESET, 0, NULL, 0) == 0, "OS_TRACE_RESET: %s", strerror(errno));
    thread_ping_pong(PING_PONGS);
    process_ping_pong(PING_PONGS);
    struct os_trace_info info = info_of(0);
    CHECK(!info.enabled, "recording is on");
    CHECK(info.recorded == 0 && info.held == 0, "%lu events recorded while off", (unsigned long)info.recorded);
    struct os_trace_event e;
    CHECK(trace_call(OS_TRACE_READ, 0, &e, 1) == 0, "a read found events");
}

static void on_records_events_in_order(void)
{
    trace_start();
    CHECK(info_of(0).enabled, "OS_TRACE_ON did not turn recording on");
    thread_ping_pong(PING_PONGS);
    trace_stop();
    struct os_trace_info info = info_of(0);
    CHECK(info.tsc_hz > 0 && info.capacity > 0 && info.cpus >= 1, "info: tsc_hz %lu capacity %lu cpus %lu",
          (unsigned long)info.tsc_hz, (unsigned long)info.capacity, (unsigned long)info.cpus);
    struct os_trace_event *e;
    long n = read_all(&e);
    CHECK(n >= PING_PONGS, "%ld events for %d yields each of two threads", n, PING_PONGS);
    check_run(e, n);
    free(e);
}

/*
 * The ring's switches between a and b (either way): at least PING_PONGS,
 * each marked same-process exactly when same is, and followed by a CR3
 * write exactly when it is not.
 */
static void check_ping_pong(pid_t a, pid_t b, bool same)
{
    struct os_trace_event *e;
    long n = read_all(&e), between = 0;
    for (long i = 0; i < n; i++) {
        if (!is_switch(&e[i], a, b) && !is_switch(&e[i], b, a))
            continue;
        between++;
        bool marked = e[i].flags & OS_TRACE_SAME_PROCESS, cr3 = i + 1 < n && e[i + 1].type == OS_TRACE_CR3;
        CHECK(marked == same && (!same || e[i].arg[1] == e[i].arg[3]), "switch %d->%d (pids %d, %d): %s",
              e[i].arg[0], e[i].arg[2], e[i].arg[1], e[i].arg[3], marked ? "same-process" : "other process");
        CHECK(cr3 != same, "switch %d->%d: %s CR3 write after it", e[i].arg[0], e[i].arg[2], cr3 ? "a" : "no");
    }
    CHECK(between >= PING_PONGS, "%ld switches between %d and %d for %d yields each", between, a, b, PING_PONGS);
    free(e);
}

static void thread_switches_write_no_cr3(void)
{
    trace_start();
    pid_t me = gettid_(), other = thread_ping_pong(PING_PONGS);
    trace_stop();
    check_ping_pong(me, other, true);
}

static void process_switches_write_cr3(void)
{
    trace_start();
    pid_t me = getpid(), child = process_ping_pong(PING_PONGS);
    trace_stop();
    check_ping_pong(me, child, false);
}

static void *nothing(void *arg)
{
    return arg;
}

/* The event of type with ids a0 (and a1, a2 unless -1), or NULL. */
static const struct os_trace_event *find(const struct os_trace_event *e, long n, unsigned type, int32_t a0,
                                         int32_t a1, int32_t a2)
{
    for (long i = 0; i < n; i++)
        if (e[i].type == type && e[i].arg[0] == a0 && (a1 < 0 || e[i].arg[1] == a1) &&
            (a2 < 0 || e[i].arg[2] == a2))
            return &e[i];
    return NULL;
}

static void new_threads_and_execs_recorded(void)
{
    trace_start();
    pthread_t t;
    SPAWN(&t, nothing, NULL);
    CHECK(pthread_join(t, NULL) == 0, "pthread_join");
    pid_t child = fork();
    CHECK(child >= 0, "fork: %s", strerror(errno));
    if (child == 0) {
        execl("/bin/true", "true", (char *)NULL);
        _exit(1);
    }
    CHECK(waitpid(child, NULL, 0) == child, "waitpid");
    trace_stop();
    struct os_trace_event *e;
    long n = read_all(&e);
    int threads = 0;
    for (long i = 0; i < n; i++)
        threads += e[i].type == OS_TRACE_NEW && e[i].arg[1] == getpid() && e[i].arg[2] == gettid_() &&
                   !(e[i].flags & OS_TRACE_NEW_PROCESS);
    CHECK(threads == 1, "%d new-thread events in this process, by this thread", threads);
    const struct os_trace_event *forked = find(e, n, OS_TRACE_NEW, child, child, gettid_());
    CHECK(forked && (forked->flags & OS_TRACE_NEW_PROCESS), "no new-process event for the child %d", child);
    const struct os_trace_event *exec = find(e, n, OS_TRACE_EXEC, child, -1, -1);
    CHECK(exec && strncmp(exec->exec.name, "true", OS_TRACE_NAME_MAX) == 0, "no exec event naming true");
    CHECK(exec > forked, "the exec before the fork");
    free(e);
}

static int pipe_fds[2];

static void *read_one(void *arg)
{
    char c;
    *(pid_t *)arg = gettid_();
    CHECK(read(pipe_fds[0], &c, 1) == 1, "read: %s", strerror(errno));
    return NULL;
}

static void wakes_recorded_with_the_waker(void)
{
    CHECK(pipe(pipe_fds) == 0, "pipe");
    pthread_t t;
    pid_t reader = 0;
    SPAWN(&t, read_one, &reader);
    CHECK(uthread_wait_for(getpid(), 1, "piperd", ASLEEP_SECONDS), "the reader never slept in read");
    trace_start();
    CHECK(write(pipe_fds[1], "x", 1) == 1, "write");
    CHECK(pthread_join(t, NULL) == 0, "pthread_join");
    struct timespec nap = { 0, NAP_NS };
    nanosleep(&nap, NULL);
    trace_stop();
    struct os_trace_event *e;
    long n = read_all(&e);
    const struct os_trace_event *woken = find(e, n, OS_TRACE_WAKE, reader, getpid(), gettid_());
    CHECK(woken && !(woken->flags & OS_TRACE_DEADLINE), "no wake of the reader %d by the writer %d", reader,
          gettid_());
    int napped = 0;                             /* this thread is also woken when the reader ends */
    for (long i = 0; i < n; i++)
        napped += e[i].type == OS_TRACE_WAKE && e[i].arg[0] == gettid_() && (e[i].flags & OS_TRACE_DEADLINE);
    CHECK(napped == 1, "%d wakes at the nap's deadline", napped);
    free(e);
}

static void wrap_keeps_records_whole(void)
{
    struct os_trace_info info = info_of(0);
    trace_start();
    pid_t me = gettid_(), other = thread_ping_pong((long)info.capacity / 2 + WRAP_EXTRA);
    trace_stop();
    info = info_of(0);
    CHECK(info.recorded > info.capacity && info.held == info.capacity, "recorded %lu, held %lu, capacity %lu",
          (unsigned long)info.recorded, (unsigned long)info.held, (unsigned long)info.capacity);
    struct os_trace_event *e;
    long n = read_all(&e);
    check_run(e, n);
    for (long i = 0; i < n; i++) {
        CHECK(e[i].type != OS_TRACE_SWITCH || is_switch(&e[i], me, other) || is_switch(&e[i], other, me) ||
              e[i].arg[1] != getpid() || e[i].arg[3] != getpid(), "a switch %d->%d of this process but not of "
              "its threads", e[i].arg[0], e[i].arg[2]);
    }
    struct os_trace_event last[FEW];
    CHECK(trace_call(OS_TRACE_READ, 0, last, FEW) == FEW, "a read of %d", FEW);
    CHECK(memcmp(last, &e[n - FEW], sizeof last) == 0, "a read of %d did not give the newest", FEW);
    free(e);
}

static void reads_while_recording(void)
{
    struct os_trace_info info = info_of(0);
    struct os_trace_event *e = malloc(info.capacity * sizeof *e);
    CHECK(e, "malloc");
    trace_start();
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        SPAWN(&t[i], yielder, (void *)(intptr_t)(info.capacity / 2));
    for (int reads = 0; reads < READS_WHILE_RECORDING; reads++) {
        long n = trace_call(OS_TRACE_READ, 0, e, info.capacity);
        CHECK(n >= 0 && (uint64_t)n <= info.capacity, "read %d: %ld events", reads, n);
        check_run(e, n);
        sched_yield();
    }
    for (int i = 0; i < 2; i++)
        CHECK(pthread_join(t[i], NULL) == 0, "pthread_join");
    trace_stop();
    free(e);
}

static void reads_are_bounded(void)
{
    trace_start();
    thread_ping_pong(PING_PONGS);
    trace_stop();
    struct os_trace_event few[FEW + 1];
    memset(few, 0, sizeof few);
    CHECK(trace_call(OS_TRACE_READ, 0, few, 0) == 0, "a read of 0 events");
    CHECK(trace_call(OS_TRACE_READ, 0, few, FEW) == FEW, "a read of %d", FEW);
    CHECK(few[FEW].tsc == 0 && few[FEW].type == 0, "a read of %d wrote past them", FEW);
    struct os_trace_info info = info_of(0);
    struct os_trace_event *all = malloc(info.capacity * sizeof *all);
    CHECK(all, "malloc");
    long n = trace_call(OS_TRACE_READ, 0, all, ~0ul);
    CHECK(n >= 0 && (uint64_t)n == info.held, "a read of as many as can be: %ld, %lu held", n,
          (unsigned long)info.held);
    free(all);
}

static void bad_pointers_efault(void)
{
    trace_start();
    thread_ping_pong(FEW);
    trace_stop();
    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED && munmap(p + PAGE, PAGE) == 0, "mmap");
    char *edge = p + PAGE - sizeof(struct os_trace_event) / 2;     /* half an event, then the hole */
    uintptr_t bad[] = { 0, KERNEL_ADDRESS, NONCANONICAL, (uintptr_t)(p + PAGE), (uintptr_t)edge };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long r = trace_call(OS_TRACE_INFO, 0, (void *)bad[i], 0);
        CHECK(r == -1 && errno == EFAULT, "OS_TRACE_INFO to %#lx: %ld, errno %d", (unsigned long)bad[i], r, errno);
        r = trace_call(OS_TRACE_READ, 0, (void *)bad[i], FEW);
        CHECK(r == -1 && errno == EFAULT, "OS_TRACE_READ to %#lx: %ld, errno %d", (unsigned long)bad[i], r, errno);
    }
}

static void bad_cpu_or_op_einval(void)
{
    struct os_trace_info info = info_of(0);
    struct os_trace_event e;
    unsigned long cpus[] = { info.cpus, info.cpus + 1, ~0ul };
    for (size_t i = 0; i < sizeof cpus / sizeof cpus[0]; i++) {
        CHECK(trace_call(OS_TRACE_INFO, cpus[i], &info, 0) == -1 && errno == EINVAL, "OS_TRACE_INFO cpu %lu",
              cpus[i]);
        CHECK(trace_call(OS_TRACE_READ, cpus[i], &e, 1) == -1 && errno == EINVAL, "OS_TRACE_READ cpu %lu",
              cpus[i]);
    }
    CHECK(trace_call(BAD_OP, 0, NULL, 0) == -1 && errno == EINVAL, "operation %d", BAD_OP);
    CHECK(trace_call(-1, 0, NULL, 0) == -1 && errno == EINVAL, "operation -1");
}

/* The first thread, fork and exec allocate what later ones reuse: before the leak count starts. */
static void warm_up(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t t;
        pthread_create(&t, NULL, nothing, NULL);
        pthread_join(t, NULL);
        execl("/bin/true", "true", (char *)NULL);
        _exit(1);
    }
    waitpid(pid, NULL, 0);
}

int main(void)
{
    utest_require_our_kernel();
    utest_pin_to_cpu0();        /* the cases count switches and read CPU 0's ring: everything runs there */
    warm_up();
    struct os_stats start = utest_settled();
    RUN(off_records_nothing);
    RUN(on_records_events_in_order);
    RUN(thread_switches_write_no_cr3);
    RUN(process_switches_write_cr3);
    RUN(new_threads_and_execs_recorded);
    RUN(wakes_recorded_with_the_waker);
    RUN(wrap_keeps_records_whole);
    RUN(reads_while_recording);
    RUN(reads_are_bounded);
    RUN(bad_pointers_efault);
    RUN(bad_cpu_or_op_einval);
    trace_call(OS_TRACE_OFF, 0, NULL, 0);
    utest_pages_back("no_leaks", start);
    return utest_finish();
}
