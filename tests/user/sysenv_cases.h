/*
 * Small calls of a process's environment as Linux answers them, in cases
 * that run both on the Linux host (tests/host/libc/sysenv.c: our libc on
 * Linux's kernel) and in our kernel (tests/user/test_sysenv.c): umask,
 * fsync/fdatasync/sync, getgroups, sysinfo, prctl's names, SIGCHLD.  Each case
 * returns 1, or fails through the includer's CHECK.
 */
#ifndef TESTS_USER_SYSENV_CASES_H
#define TESTS_USER_SYSENV_CASES_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#define SE_GROUPS_MAX 64

/* umask: the old mask back, kept, and a child inherits it. */
static int se_umask(void)
{
    mode_t old = umask(027);
    CHECK(umask(077) == 027, "the mask set is the one returned next");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0)
        _exit(umask(0) == 077 ? 0 : 1);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child's mask");
    umask(old);
    return 1;
}

/* fsync and fdatasync on a file (0), on a pipe (EINVAL), on a bad descriptor (EBADF); sync. */
static int se_fsync(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/se_fsync_%d", (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600), p[2];
    CHECK(fd >= 0 && pipe(p) == 0, "the descriptors");
    CHECK(write(fd, "x", 1) == 1 && fsync(fd) == 0 && fdatasync(fd) == 0, "a file: %s", strerror(errno));
    CHECK(fsync(p[0]) == -1 && errno == EINVAL, "a pipe: %s", strerror(errno));
    CHECK(fsync(-1) == -1 && errno == EBADF, "a bad descriptor");
    sync();
    close(fd), close(p[0]), close(p[1]);
    unlink(path);
    return 1;
}

/* getgroups: the count with size 0, the same count filled in; a negative size is EINVAL. */
static int se_getgroups(void)
{
    gid_t groups[SE_GROUPS_MAX];
    int n = getgroups(0, NULL);
    CHECK(n >= 0 && n <= SE_GROUPS_MAX, "getgroups(0): %d", n);
    CHECK(getgroups(SE_GROUPS_MAX, groups) == n, "the list");
    CHECK(getgroups(-1, groups) == -1 && errno == EINVAL, "a negative size");
    return 1;
}

/* sysinfo: memory in mem_unit units, free no more than total, some tasks, an uptime. */
static int se_sysinfo(void)
{
    struct sysinfo si;
    CHECK(sysinfo(&si) == 0, "sysinfo: %s", strerror(errno));
    CHECK(si.mem_unit > 0 && (unsigned long long)si.totalram * si.mem_unit >= (1ull << 20),
          "total RAM %lu x %u", si.totalram, si.mem_unit);
    CHECK(si.freeram <= si.totalram, "free %lu of %lu", si.freeram, si.totalram);
    CHECK(si.procs >= 1 && si.uptime >= 0, "procs %u, uptime %ld", si.procs, si.uptime);
    return 1;
}

/* prctl: PR_SET_NAME then PR_GET_NAME; a long name is cut to 15 bytes; an unknown option is EINVAL. */
static int se_prctl_names(void)
{
    char name[PR_NAME_LEN + 8];
    CHECK(prctl(PR_SET_NAME, (unsigned long)"renamed") == 0, "PR_SET_NAME: %s", strerror(errno));
    CHECK(prctl(PR_GET_NAME, (unsigned long)name) == 0 && strcmp(name, "renamed") == 0, "got \"%s\"", name);
    CHECK(prctl(PR_SET_NAME, (unsigned long)"a-name-longer-than-fifteen") == 0, "a long name");
    CHECK(prctl(PR_GET_NAME, (unsigned long)name) == 0 && strcmp(name, "a-name-longer-t") == 0,
          "cut to 15 bytes: \"%s\"", name);
    CHECK(prctl(0x7fff0000, 0) == -1 && errno == EINVAL, "an unknown option");
    return 1;
}

/*
 * PR_SET_CHILD_SUBREAPER: a grandchild orphaned by its parent's end comes
 * to us, not to process 1: its getppid() says so and our waitpid reaps it.
 */
static int se_subreaper(void)
{
    int is = -1, report[2], release[2];
    CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0 && prctl(PR_GET_CHILD_SUBREAPER, (unsigned long)&is) == 0 &&
          is == 1, "set: %s, reads %d", strerror(errno), is);
    CHECK(pipe(report) == 0 && pipe(release) == 0, "pipes");
    pid_t child = fork();
    CHECK(child >= 0, "fork");
    if (child == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            char go;
            int parent = read(release[0], &go, 1) == 1 ? (int)getppid() : -1;  /* after the child has gone */
            _exit(write(report[1], &parent, sizeof parent) == sizeof parent ? 0 : 1);
        }
        _exit(grandchild > 0 ? 0 : 1);
    }
    int status, parent = 0;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child");
    CHECK(write(release[1], "g", 1) == 1 && read(report[0], &parent, sizeof parent) == sizeof parent, "report");
    CHECK(parent == getpid(), "the orphan's parent is %d, we are %d", parent, (int)getpid());
    pid_t orphan = waitpid(-1, &status, 0);
    CHECK(orphan > 0 && orphan != child && WIFEXITED(status) && WEXITSTATUS(status) == 0, "we reap it: %d",
          (int)orphan);
    CHECK(prctl(PR_SET_CHILD_SUBREAPER, 0) == 0 && prctl(PR_GET_CHILD_SUBREAPER, (unsigned long)&is) == 0 &&
          is == 0, "cleared");
    close(report[0]), close(report[1]), close(release[0]), close(release[1]);
    return 1;
}

/* SIGCHLD at a child's end: the code says how it ended, si_pid which child (what shells wait for). */
static int se_sigchld(void)
{
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old);
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0)
        _exit(3);
    siginfo_t si;
    CHECK(sigwaitinfo(&chld, &si) == SIGCHLD, "sigwaitinfo: %s", strerror(errno));
    CHECK(si.si_code == CLD_EXITED && si.si_pid == pid, "code %d, pid %d (child %d)", si.si_code, si.si_pid,
          (int)pid);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 3, "the status");
    pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0)
        for (;;)
            pause();
    kill(pid, SIGKILL);
    CHECK(sigwaitinfo(&chld, &si) == SIGCHLD && si.si_code == CLD_KILLED && si.si_pid == pid,
          "killed: code %d, pid %d", si.si_code, si.si_pid);
    waitpid(pid, NULL, 0);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return 1;
}

#endif
