/*
 * A harness for the user-mode tests (tests/user/test_*.c), each booted as
 * process 1 by tests/run.sh.  Every test runs in a forked child, so a test
 * that crashes fails alone; it prints "utest NAME: OK" or "utest NAME:
 * FAILED (why)", which the runner counts, then a summary, and main returns
 * the number of failures (the machine's power-off status).
 */
#ifndef TESTS_USER_UTEST_H
#define TESTS_USER_UTEST_H

#include <abi/os.h>
#include <abi/syscall.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Run fn in a child; it passes if the child exits 0. */
static void utest_run(const char *name, void (*fn)(void))
{
    fflush(stdout);
    utest_name = name;
    pid_t pid = fork();
    if (pid < 0) {
        printf("utest %s: FAILED (fork: %s)\n", name, strerror(errno));
        utest_failed++;
        return;
    }
    if (pid == 0) {
        fn();
        fflush(stdout);
        _exit(0);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        printf("utest %s: FAILED (waitpid: %s)\n", name, strerror(errno));
        utest_failed++;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        printf("utest %s: OK\n", name);
        utest_passed++;
    } else {
        if (WIFSIGNALED(status))
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

/* The kernel's counters (our own system call). */
static inline struct os_stats utest_stats(void)
{
    struct os_stats s;
    memset(&s, 0, sizeof s);
    syscall(SYS_os_stats, &s);
    return s;
}

#endif
