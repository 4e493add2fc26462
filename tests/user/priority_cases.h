/*
 * Priorities as Linux defines them (getpriority, setpriority, nice), in
 * cases that run both on the Linux host (tests/host/libc/priority.c: our
 * libc on Linux's kernel) and in our kernel (tests/user/test_lab_sched.c):
 * the same checks, passing on both.  Each case returns 1, or fails through
 * the includer's CHECK (check.h returns 0, utest.h ends the test).
 *
 * A nice value, once raised, cannot be lowered again without privilege on
 * Linux, and these run in the host harness's own process: so every case
 * does its work in a child, and only ever raises nice values there.
 */
#ifndef TESTS_USER_PRIORITY_CASES_H
#define TESTS_USER_PRIORITY_CASES_H

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PRIO_NICE_MAX       19
#define PRIO_RAW_OF(nice)   (20 - (nice))   /* what the raw system call returns */
#define PRIO_NO_SUCH_ID     INT_MAX         /* above Linux's pid_max and our pids */
#define PRIO_NO_SUCH_USER   0x7ffffff0      /* a user id with no process */
#define PRIO_BAD_WHICH      99

/* fn's verdict, run in a child: its exit status (0 when it returned 1). */
static int prio_child_status(int (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int ok = fn();
#ifdef TESTS_HOST_CHECK_H
        if (!ok)
            printf("  (in the child: %s)\n", why);     /* the harness's reason, lost with the child */
#endif
        fflush(stdout);
        _exit(ok ? 0 : 1);
    }
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

#define PRIO_IN_CHILD(fn) \
    CHECK(prio_child_status(fn) == 0, "%s failed in its child", #fn)

/* A call failed with err. */
#define PRIO_FAILS(call, err) \
    CHECK((call) == -1 && errno == (err), "%s: %s, expected %s", #call, strerror(errno), strerror(err))

/* The caller's nice is expect. */
#define PRIO_IS(which, who, expect) do {                                                \
        errno = 0;                                                                      \
        int got_ = getpriority((which), (who));                                         \
        CHECK(got_ == (expect) && errno == 0, "getpriority(%s, %d) = %d (%s), expected %d", \
              #which, (int)(who), got_, strerror(errno), (expect));                     \
    } while (0)

static int prio_set_and_get_(void)
{
    CHECK(setpriority(PRIO_PROCESS, 0, 5) == 0, "setpriority 5: %s", strerror(errno));
    PRIO_IS(PRIO_PROCESS, 0, 5);
    CHECK(setpriority(PRIO_PROCESS, (id_t)getpid(), 7) == 0, "setpriority(own pid, 7): %s", strerror(errno));
    PRIO_IS(PRIO_PROCESS, getpid(), 7);
    long raw = syscall(SYS_getpriority, PRIO_PROCESS, 0);
    CHECK(raw == PRIO_RAW_OF(7), "the raw call says %ld, expected 20 - nice = %d", raw, PRIO_RAW_OF(7));
    return 1;
}

/* Set by 0 or by pid, read back; the raw call's 20 - nice. */
static int prio_set_and_get(void)
{
    PRIO_IN_CHILD(prio_set_and_get_);
    return 1;
}

static int prio_clamped_(void)
{
    CHECK(setpriority(PRIO_PROCESS, 0, INT_MAX) == 0, "setpriority INT_MAX: %s", strerror(errno));
    PRIO_IS(PRIO_PROCESS, 0, PRIO_NICE_MAX);
    if (geteuid() == 0) {       /* may lower it again: clamped at -20 */
        CHECK(setpriority(PRIO_PROCESS, 0, INT_MIN) == 0, "setpriority INT_MIN: %s", strerror(errno));
        PRIO_IS(PRIO_PROCESS, 0, -20);
    } else {
        PRIO_FAILS(setpriority(PRIO_PROCESS, 0, INT_MIN), EACCES);
    }
    return 1;
}

/* Values past either end are clamped to 19 and -20, not refused. */
static int prio_clamped(void)
{
    PRIO_IN_CHILD(prio_clamped_);
    return 1;
}

static int prio_nice_adds_(void)
{
    CHECK(setpriority(PRIO_PROCESS, 0, 3) == 0, "setpriority 3: %s", strerror(errno));
    errno = EAGAIN;
    CHECK(nice(2) == 5, "nice(2) from 3");
    CHECK(errno == EAGAIN, "a successful nice changed errno to %s", strerror(errno));
    CHECK(nice(INT_MAX) == PRIO_NICE_MAX, "nice(INT_MAX) is not clamped to 19");
    PRIO_IS(PRIO_PROCESS, 0, PRIO_NICE_MAX);
    return 1;
}

/* nice(inc) adds to the value, returns the new one, clamps, and leaves errno alone. */
static int prio_nice_adds(void)
{
    PRIO_IN_CHILD(prio_nice_adds_);
    return 1;
}

/* A bad which is EINVAL; an id that names nothing is ESRCH, for each kind. */
static int prio_errors(void)
{
    PRIO_FAILS(getpriority(PRIO_BAD_WHICH, 0), EINVAL);
    PRIO_FAILS(setpriority(PRIO_BAD_WHICH, 0, 0), EINVAL);
    PRIO_FAILS(getpriority(PRIO_PROCESS, PRIO_NO_SUCH_ID), ESRCH);
    PRIO_FAILS(setpriority(PRIO_PROCESS, PRIO_NO_SUCH_ID, 1), ESRCH);
    PRIO_FAILS(getpriority(PRIO_PGRP, PRIO_NO_SUCH_ID), ESRCH);
    PRIO_FAILS(setpriority(PRIO_PGRP, PRIO_NO_SUCH_ID, 1), ESRCH);
    PRIO_FAILS(getpriority(PRIO_USER, PRIO_NO_SUCH_USER), ESRCH);
    return 1;
}

static int prio_inherited_(void)
{
    CHECK(setpriority(PRIO_PROCESS, 0, 6) == 0, "setpriority 6: %s", strerror(errno));
    pid_t pid = fork();
    if (pid == 0)
        _exit(getpriority(PRIO_PROCESS, 0) == 6 ? 0 : 1);
    int status;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork/wait: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the forked child does not have nice 6");
    return 1;
}

/* A child starts with its parent's nice. */
static int prio_inherited(void)
{
    PRIO_IN_CHILD(prio_inherited_);
    return 1;
}

/* A child that waits for a byte on fd, then exits 0 if its nice is expect. */
static pid_t prio_waiting_child(int fds[2], int expect)
{
    pid_t pid = fork();
    if (pid == 0) {
        char go;
        close(fds[1]);
        _exit(read(fds[0], &go, 1) == 1 && getpriority(PRIO_PROCESS, 0) == expect ? 0 : 1);
    }
    return pid;
}

/* Let prio_waiting_child pid go and collect it: its wait status, or -1 if it cannot be told or waited for. */
static int prio_child_verdict(int fds[2], pid_t pid)
{
    int status = -1;
    if (write(fds[1], "g", 1) != 1 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

static int prio_of_another_(void)
{
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    pid_t pid = prio_waiting_child(fds, 9);
    CHECK(pid > 0, "fork: %s", strerror(errno));
    CHECK(setpriority(PRIO_PROCESS, (id_t)pid, 9) == 0, "setpriority(child, 9): %s", strerror(errno));
    PRIO_IS(PRIO_PROCESS, pid, 9);
    CHECK(getpriority(PRIO_PROCESS, 0) != 9, "setting the child's nice set ours");
    int status = prio_child_verdict(fds, pid);
    CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the child does not see nice 9 (status %#x: %s)", status, strerror(errno));
    return 1;
}

/* One process sets another's nice by its pid; the other sees it. */
static int prio_of_another(void)
{
    PRIO_IN_CHILD(prio_of_another_);
    return 1;
}

static int prio_group_(void)
{
    CHECK(setpgid(0, 0) == 0, "setpgid: %s", strerror(errno));
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    pid_t pid = prio_waiting_child(fds, 15);
    CHECK(pid > 0, "fork: %s", strerror(errno));
    CHECK(setpriority(PRIO_PGRP, 0, 11) == 0, "setpriority(own group, 11): %s", strerror(errno));
    PRIO_IS(PRIO_PROCESS, 0, 11);
    PRIO_IS(PRIO_PROCESS, pid, 11);
    CHECK(setpriority(PRIO_PROCESS, (id_t)pid, 15) == 0, "setpriority(child, 15): %s", strerror(errno));
    PRIO_IS(PRIO_PGRP, 0, 11);                  /* the group's: its most urgent member's */
    PRIO_IS(PRIO_PGRP, getpgrp(), 11);
    int status = prio_child_verdict(fds, pid);
    CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the child does not see nice 15 (status %#x: %s)", status, strerror(errno));
    return 1;
}

/* PRIO_PGRP sets every member; getpriority of a group is its lowest nice. */
static int prio_group(void)
{
    PRIO_IN_CHILD(prio_group_);
    return 1;
}

#endif
