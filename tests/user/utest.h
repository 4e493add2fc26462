/*
 * A harness for the user-mode tests (tests/user/test_*.c), each booted as
 * process 1 by tests/run.sh.  Every test runs in a forked child, so a test
 * that crashes fails alone; it prints "utest NAME: OK" or "utest NAME:
 * FAILED (why)", which the runner counts, then a summary, and main returns
 * the number of failures (the machine's power-off status).
 *
 * A test that runs longer than UTEST_TIME_LIMIT seconds is killed by a
 * watchdog process and fails as "timed out", so a hang (a reader that
 * never sees EOF) fails one test instead of the whole boot.
 *
 * A test that cannot run on this machine (a CPU feature missing) calls
 * SKIP(why): it prints "utest NAME: SKIPPED (why)", which counts neither
 * as a pass nor as a failure.
 */
#ifndef TESTS_USER_UTEST_H
#define TESTS_USER_UTEST_H

#include <abi/os.h>
#include <abi/syscall.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef UTEST_TIME_LIMIT
#define UTEST_TIME_LIMIT 30     /* seconds; the runner gives a whole boot 90 */
#endif

static int utest_passed, utest_failed;

/* In a test: fail with a reason (the child exits 1 after printing it). */
#define CHECK(cond, ...)                                                        \
    do {                                                                        \
        if (!(cond)) {                                                          \
            printf("utest %s: FAILED (", utest_name);                           \
            printf(__VA_ARGS__);                                                \
            printf(") at %s:%d\n", __FILE__, __LINE__);                         \
            fflush(stdout);                                                     \
            _exit(1);                                                           \
        }                                                                       \
    } while (0)

static const char *utest_name;

#define UTEST_SKIP_STATUS 77    /* a child's exit status meaning "skipped" (as automake's) */

/* In a test: it cannot run here; say why and leave without a verdict. */
#define SKIP(...)                                                               \
    do {                                                                        \
        printf("utest %s: SKIPPED (", utest_name);                              \
        printf(__VA_ARGS__);                                                    \
        printf(")\n");                                                          \
        fflush(stdout);                                                         \
        _exit(UTEST_SKIP_STATUS);                                               \
    } while (0)

#define UTEST_NS_PER_S 1000000000ull

/* CLOCK_MONOTONIC in nanoseconds: for tests that bound a race by time. */
static inline uint64_t utest_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UTEST_NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* A process that kills test after UTEST_TIME_LIMIT seconds, then exits 0. */
static pid_t utest_watchdog(pid_t test)
{
    pid_t dog = fork();
    if (dog == 0) {
        sleep(UTEST_TIME_LIMIT);
        kill(test, SIGKILL);
        _exit(0);
    }
    return dog;
}

/* Stop the watchdog; true if it had already fired. */
static int utest_watchdog_fired(pid_t dog)
{
    int status = 0;
    if (dog <= 0)
        return 0;
    kill(dog, SIGKILL);
    waitpid(dog, &status, 0);
    return WIFEXITED(status);
}

/*
 * These tests are for our kernel.  On another (Linux: no SYS_os_stats) they
 * would do real harm as root: the file tests try to write over /bin/sh,
 * which only our kernel refuses.  So they will not run there.
 */
static void utest_require_our_kernel(void)
{
    static int checked;
    struct os_stats s;
    if (checked++)
        return;
    if (syscall(SYS_os_stats, &s) != 0) {
        fprintf(stderr, "utest: these tests run on the os kernel only (it boots them as process 1)\n");
        exit(2);
    }
}

/* Run fn in a child; it passes if the child exits 0. */
static void utest_run(const char *name, void (*fn)(void))
{
    utest_require_our_kernel();
    fflush(stdout);
    utest_name = name;
    int start[2];               /* the test waits for its watchdog: on several CPUs both run at once */
    if (pipe(start) != 0) {
        printf("utest %s: FAILED (pipe: %s)\n", name, strerror(errno));
        utest_failed++;
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        printf("utest %s: FAILED (fork: %s)\n", name, strerror(errno));
        utest_failed++;
        return;
    }
    if (pid == 0) {
        char go;
        close(start[1]);
        read(start[0], &go, 1);         /* the counts a test takes include its watchdog */
        close(start[0]);
        fn();
        fflush(stdout);
        _exit(0);
    }
    pid_t dog = utest_watchdog(pid);    /* it holds the pipe too: a byte, not end of file, says go */
    write(start[1], "g", 1);
    close(start[0]);
    close(start[1]);
    int status;
    pid_t waited = waitpid(pid, &status, 0);
    int timed_out = utest_watchdog_fired(dog);
    if (waited != pid) {
        printf("utest %s: FAILED (waitpid: %s)\n", name, strerror(errno));
        utest_failed++;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        printf("utest %s: OK\n", name);
        utest_passed++;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == UTEST_SKIP_STATUS && !timed_out) {
        /* the child said SKIPPED */
    } else {
        if (timed_out)
            printf("utest %s: FAILED (timed out after %d s)\n", name, UTEST_TIME_LIMIT);
        else if (WIFSIGNALED(status))
            printf("utest %s: FAILED (killed by signal %d)\n", name, WTERMSIG(status));
        utest_failed++;         /* a child that exited 1 has said why */
    }
    fflush(stdout);
}

#define RUN(fn) utest_run(#fn, fn)

static int utest_finish(void)
{
    printf("utest: %d passed, %d failed\n", utest_passed, utest_failed);
    fflush(stdout);
    return utest_failed;
}

/* Keep the calling thread (and what it makes from now on) on CPU cpu. */
static inline void utest_pin_to_cpu(int cpu)
{
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    CHECK(sched_setaffinity(0, sizeof one, &one) == 0, "pin to CPU %d: %s", cpu, strerror(errno));
}

/* On CPU 0: for tests that count switches, which partners on two CPUs would not need. */
static inline void utest_pin_to_cpu0(void)
{
    utest_pin_to_cpu(0);
}

/* The kernel's counters (our own system call). */
static inline struct os_stats utest_stats(void)
{
    struct os_stats s;
    memset(&s, 0, sizeof s);
    syscall(SYS_os_stats, &s);
    return s;
}

/*
 * Pages the kernel may hold after a test without having leaked any: page
 * tables (an address space keeps them once made), and heap pages while the
 * heap holds as many bytes (objects freed and made again may sit in other
 * slabs than before: placement, not a leak).
 */
static inline int64_t utest_pages_kept(struct os_stats before, struct os_stats after)
{
    return (int64_t)(after.page_table_pages - before.page_table_pages) +
           (int64_t)(after.heap_pages - before.heap_pages);
}

/* True if the heap and the free pages (but for the pages kept) are what they were at before. */
static inline int utest_memory_back(struct os_stats before, struct os_stats after)
{
    return after.heap_bytes == before.heap_bytes &&
           (int64_t)after.free_pages + utest_pages_kept(before, after) == (int64_t)before.free_pages;
}

#define UTEST_SETTLE_TRIES  100         /* ... of UTEST_SETTLE_NS: a second in all */
#define UTEST_SETTLE_NS     (10 * 1000 * 1000)

/* The same memory and the same number of processes and threads in both. */
static inline int utest_same_memory(struct os_stats a, struct os_stats b)
{
    return a.free_pages == b.free_pages && a.heap_bytes == b.heap_bytes && a.heap_pages == b.heap_pages &&
           a.page_table_pages == b.page_table_pages && a.kstack_cache_pages == b.kstack_cache_pages &&
           a.processes == b.processes && a.threads == b.threads;
}

/* libc's (glibc's name, which valgrind calls): unmap the stacks of joined threads that libc keeps. */
void __libc_freeres(void);

/*
 * The counters with the caches emptied first: libc's stacks of joined
 * threads (__libc_freeres: their areas are kernel heap, their pages the
 * process's) and the kernel's stacks of dead threads (SYS_os_drop_caches,
 * kernel/kstack.c), so that every page and heap byte a thread had counts
 * as free again, as before there were caches.
 */
static inline struct os_stats utest_stats_uncached(void)
{
    __libc_freeres();
    syscall(SYS_os_drop_caches);
    return utest_stats();
}

/*
 * The counters once the kernel has given back what it frees lazily: with
 * several CPUs a freed kernel address range waits for every CPU's next
 * tick (kernel/kvmap.c), and the heap holds its note meanwhile
 * (lazy_frees counts them); and a process's last thread, on another CPU,
 * frees its stack only after its parent's wait4 has returned.  Waits
 * until none waits, nothing is cached and two looks UTEST_SETTLE_NS
 * apart agree, a second at most.  Leak checks take both of their counts
 * with it.
 */
static inline struct os_stats utest_settled(void)
{
    struct os_stats now = utest_stats_uncached(), then;
    struct timespec nap = { 0, UTEST_SETTLE_NS };
    int i = 0;
    do {
        then = now;
        nanosleep(&nap, NULL);
        now = utest_stats_uncached();
    } while (++i < UTEST_SETTLE_TRIES &&
             (now.lazy_frees || now.kstack_cache_pages || !utest_same_memory(then, now)));
    return now;
}

/* Live threads, once ended ones are gone: a process's last thread ends on its CPU a moment after wait4. */
static inline uint64_t utest_threads_settled(void)
{
    return utest_settled().threads;
}

/*
 * The counters once memory is back at before, or after a second: with
 * several CPUs a thread that ended on another CPU is freed when that CPU
 * switches away from it, a moment later.
 */
static inline struct os_stats utest_settled_back(struct os_stats before)
{
    struct os_stats now = utest_settled();
    struct timespec nap = { 0, UTEST_SETTLE_NS };
    for (int i = 0; i < UTEST_SETTLE_TRIES && !utest_memory_back(before, now); i++) {
        nanosleep(&nap, NULL);
        now = utest_settled();
    }
    return now;
}

/* Inside a test: the kernel heap and the free pages (but for the pages kept) are back at before. */
static inline void utest_expect_back(struct os_stats before)
{
    struct os_stats after = utest_settled_back(before);
    CHECK(after.heap_bytes == before.heap_bytes, "kernel heap %lu bytes, %lu before",
          (unsigned long)after.heap_bytes, (unsigned long)before.heap_bytes);
    int64_t kept = utest_pages_kept(before, after);
    CHECK((int64_t)after.free_pages + kept == (int64_t)before.free_pages,
          "free pages %lu + %ld kept (page tables, heap), %lu before; this process holds %lu user pages, "
          "%lu before", (unsigned long)after.free_pages, (long)kept, (unsigned long)before.free_pages,
          (unsigned long)after.caller_resident_pages, (unsigned long)before.caller_resident_pages);
}

/*
 * The leak check that ends a test file: every page free at start (taken
 * after a warm-up, so that first-use allocations are behind us) is free
 * again, but for page tables, which an address space keeps once made; the
 * kernel heap holds as many bytes as then; and no process or thread is
 * left over (orphans that ended are reaped first).  Run by process 1
 * itself, not in a child (a child's own pages would be counted).
 */
static inline void utest_pages_back(const char *name, struct os_stats start)
{
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;                       /* orphans of failed tests, handed to us */
    struct os_stats now = utest_settled_back(start);
    int64_t kept = utest_pages_kept(start, now);
    char why[200] = "";
    if ((int64_t)now.free_pages + kept != (int64_t)start.free_pages)
        snprintf(why, sizeof why, "free pages %lu + %ld kept (page tables, heap), %lu at start; "
                 "this process holds %lu user pages, %lu at start", (unsigned long)now.free_pages, (long)kept,
                 (unsigned long)start.free_pages, (unsigned long)now.caller_resident_pages,
                 (unsigned long)start.caller_resident_pages);
    else if (now.heap_bytes != start.heap_bytes)
        snprintf(why, sizeof why, "kernel heap %lu bytes, %lu at start",
                 (unsigned long)now.heap_bytes, (unsigned long)start.heap_bytes);
    else if (now.processes != start.processes || now.threads != start.threads)
        snprintf(why, sizeof why, "processes %lu, threads %lu; %lu and %lu at start",
                 (unsigned long)now.processes, (unsigned long)now.threads,
                 (unsigned long)start.processes, (unsigned long)start.threads);
    if (why[0]) {
        printf("utest %s: FAILED (%s)\n", name, why);
        utest_failed++;
    } else {
        printf("utest %s: OK\n", name);
        utest_passed++;
    }
    fflush(stdout);
}

#endif
