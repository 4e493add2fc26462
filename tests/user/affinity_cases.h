/*
 * CPU affinity as Linux defines it, in cases that run both on the Linux
 * host (tests/host/libc/affinity.c: our libc on Linux's kernel) and in our
 * kernel (tests/user/test_affinity.c): the same checks, passing on both,
 * show that ours behaves as Linux does.  Each case returns 1, or fails
 * through the includer's CHECK (check.h returns 0, utest.h ends the test).
 *
 * Nothing assumes a CPU count: "every CPU" is the set a thread starts
 * with, whose size sysconf(_SC_NPROCESSORS_ONLN) gives; "first" and
 * "last" are the lowest and highest CPU of it (both 0 on one CPU).  A case
 * that narrows the caller's mask widens it again before it returns.
 *
 * A program that includes this calls aff_exec_mode(argc, argv) first thing
 * in main: aff_kept_across_exec runs it again with AFF_EXEC_ARG.
 */
#ifndef TESTS_USER_AFFINITY_CASES_H
#define TESTS_USER_AFFINITY_CASES_H

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define AFF_EXEC_ARG    "--expect-cpu"          /* argv[1] of the exec'd copy; argv[2] is the CPU */
#define AFF_NO_TID      INT_MAX                 /* above Linux's pid_max and our pids: no such thread */
#define AFF_KERNEL_ADDR 0xffff800000000000UL    /* a kernel address: EFAULT, not a fault */
#define AFF_POISON      0xa5                    /* bytes the kernel must not write */
#define AFF_SHORT_MASK  4                       /* bytes: shorter than any kernel's mask */
#define AFF_ODD_LEN     12                      /* bytes: longer than a long, not a multiple of one */

/* The caller's set; fails the case if the call fails. */
#define AFF_GET(tid, set) \
    CHECK(sched_getaffinity((tid), sizeof(cpu_set_t), (set)) == 0, "sched_getaffinity(%d): %s", \
          (int)(tid), strerror(errno))

/* A raw call failed with err. */
#define AFF_FAILS(call, err) \
    CHECK((call) == -1 && errno == (err), "%s: %s, expected %s", #call, strerror(errno), strerror(err))

static int aff_lowest(const cpu_set_t *set)
{
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, set))
            return c;
    return -1;
}

static int aff_highest(const cpu_set_t *set)
{
    for (int c = CPU_SETSIZE - 1; c >= 0; c--)
        if (CPU_ISSET(c, set))
            return c;
    return -1;
}

static cpu_set_t aff_only(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return set;
}

/* 1 if thread tid's mask is exactly {cpu}. */
static int aff_is_only(pid_t tid, int cpu)
{
    cpu_set_t set, want = aff_only(cpu);
    return sched_getaffinity(tid, sizeof set, &set) == 0 && CPU_EQUAL(&set, &want);
}

/* The exec'd copy (argv[1] AFF_EXEC_ARG): exit 0 if its mask is {argv[2]}, else 1. */
static void aff_exec_mode(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], AFF_EXEC_ARG) == 0)
        exit(aff_is_only(0, atoi(argv[2])) ? 0 : 1);
}

/* Fork a child that exits with fn(arg); its wait status. */
static int aff_in_child(int (*fn)(int), int arg)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(fn(arg));
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

#define AFF_CHILD_OK(status) (WIFEXITED(status) && WEXITSTATUS(status) == 0)

/* ---- the cases ---- */

/* A thread starts with every online CPU; its tid, its process's pid and 0 all name it. */
static int aff_self_has_every_cpu(void)
{
    cpu_set_t by_zero, by_tid, by_pid;
    AFF_GET(0, &by_zero);
    AFF_GET(gettid(), &by_tid);
    AFF_GET(getpid(), &by_pid);
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    CHECK(online >= 1 && CPU_COUNT(&by_zero) == online, "%d CPUs in the mask, %ld online",
          CPU_COUNT(&by_zero), online);
    CHECK(CPU_EQUAL(&by_zero, &by_tid) && CPU_EQUAL(&by_zero, &by_pid), "0, tid and pid differ");
    CHECK(sysconf(_SC_NPROCESSORS_CONF) == online, "configured %ld, online %ld",
          sysconf(_SC_NPROCESSORS_CONF), online);
    return 1;
}

/* The raw call writes its mask's bytes (a whole number of longs) and says how many; libc zeroes the rest. */
static int aff_raw_call_returns_its_size(void)
{
    unsigned char buf[sizeof(cpu_set_t)];
    memset(buf, AFF_POISON, sizeof buf);
    long n = syscall(SYS_sched_getaffinity, 0, sizeof buf, buf);
    CHECK(n >= (long)sizeof(long) && n % (long)sizeof(long) == 0 && n <= (long)sizeof buf,
          "returned %ld", n);
    for (size_t i = (size_t)n; i < sizeof buf; i++)
        CHECK(buf[i] == AFF_POISON, "byte %zu past the %ld returned was written", i, n);
    cpu_set_t set;
    memset(&set, AFF_POISON, sizeof set);
    AFF_GET(0, &set);
    for (size_t i = (size_t)n; i < sizeof set; i++)
        CHECK(((unsigned char *)&set)[i] == 0, "byte %zu not zeroed by sched_getaffinity", i);
    CHECK(CPU_COUNT(&set) == sysconf(_SC_NPROCESSORS_ONLN), "%d CPUs", CPU_COUNT(&set));
    return 1;
}

/* Get: EINVAL for a size that is short or not a multiple of a long, then ESRCH, then EFAULT. */
static int aff_get_errors(void)
{
    cpu_set_t set;
    AFF_FAILS(sched_getaffinity(0, AFF_ODD_LEN, &set), EINVAL);
    AFF_FAILS(sched_getaffinity(0, sizeof(long) - 1, &set), EINVAL);
    AFF_FAILS(sched_getaffinity(0, 0, &set), EINVAL);
    AFF_FAILS(sched_getaffinity(AFF_NO_TID, AFF_ODD_LEN, NULL), EINVAL);
    AFF_FAILS(sched_getaffinity(AFF_NO_TID, sizeof set, &set), ESRCH);
    AFF_FAILS(sched_getaffinity(-1, sizeof set, &set), ESRCH);
    AFF_FAILS(sched_getaffinity(AFF_NO_TID, sizeof set, NULL), ESRCH);
    AFF_FAILS(sched_getaffinity(0, sizeof set, NULL), EFAULT);
    AFF_FAILS(sched_getaffinity(0, sizeof set, (cpu_set_t *)AFF_KERNEL_ADDR), EFAULT);
    return 1;
}

/* Set: EFAULT for a bad mask, then ESRCH, then EINVAL for a mask with no online CPU. */
static int aff_set_errors(void)
{
    cpu_set_t set, empty;
    CPU_ZERO(&empty);
    AFF_FAILS(sched_setaffinity(0, sizeof empty, &empty), EINVAL);
    AFF_FAILS(sched_setaffinity(0, 0, &empty), EINVAL);
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    if (online < CPU_SETSIZE) {
        set = aff_only((int)online);            /* one past the last online CPU */
        AFF_FAILS(sched_setaffinity(0, sizeof set, &set), EINVAL);
    }
    set = aff_only(CPU_SETSIZE - 1);
    AFF_FAILS(sched_setaffinity(0, sizeof set, &set), EINVAL);
    AFF_GET(0, &set);
    AFF_FAILS(sched_setaffinity(AFF_NO_TID, sizeof set, &set), ESRCH);
    AFF_FAILS(sched_setaffinity(AFF_NO_TID, sizeof empty, &empty), ESRCH);
    AFF_FAILS(sched_setaffinity(AFF_NO_TID, sizeof set, NULL), EFAULT);
    AFF_FAILS(sched_setaffinity(0, sizeof set, NULL), EFAULT);
    AFF_FAILS(sched_setaffinity(0, sizeof set, (cpu_set_t *)AFF_KERNEL_ADDR), EFAULT);
    CHECK(CPU_COUNT(&set) == online, "a failed call changed the mask");
    AFF_GET(0, &empty);
    CHECK(CPU_EQUAL(&set, &empty), "a failed call changed the mask");
    return 1;
}

/* Pinned to each CPU in turn, the caller runs there (the call moves it at once, as Linux's does). */
static int aff_pinned_runs_there(void)
{
    cpu_set_t every;
    AFF_GET(0, &every);
    for (int c = 0; c < CPU_SETSIZE; c++) {
        if (!CPU_ISSET(c, &every))
            continue;
        cpu_set_t one = aff_only(c);
        CHECK(sched_setaffinity(0, sizeof one, &one) == 0, "pin to %d: %s", c, strerror(errno));
        CHECK(aff_is_only(0, c), "mask after pinning to %d", c);
        unsigned cpu = ~0u, node = ~0u;
        CHECK(getcpu(&cpu, &node) == 0 && cpu == (unsigned)c && node == 0, "pinned to %d, getcpu says %u node %u",
              c, cpu, node);
        sched_yield();
        CHECK(sched_getcpu() == c, "pinned to %d, then on %d", c, sched_getcpu());
    }
    CHECK(sched_setaffinity(0, sizeof every, &every) == 0, "widen again: %s", strerror(errno));
    return 1;
}

/* A mask shorter than the kernel's is zero-extended; CPUs past it or not online are dropped. */
static int aff_short_and_wide_masks(void)
{
    cpu_set_t every, set;
    AFF_GET(0, &every);
    int first = aff_lowest(&every);
    set = aff_only(first);
    CHECK(first < AFF_SHORT_MASK * CHAR_BIT && sched_setaffinity(0, AFF_SHORT_MASK, &set) == 0,
          "a %d-byte mask: %s", AFF_SHORT_MASK, strerror(errno));
    CHECK(aff_is_only(0, first), "after the short mask");
    CPU_SET(CPU_SETSIZE - 1, &set);
    CPU_SET(CPU_COUNT(&every), &set);           /* one past the last online CPU */
    CHECK(sched_setaffinity(0, sizeof set, &set) == 0, "with absent CPUs: %s", strerror(errno));
    CHECK(aff_is_only(0, first), "absent CPUs reported");
    CHECK(sched_setaffinity(0, sizeof every, &every) == 0, "widen again: %s", strerror(errno));
    return 1;
}

/* getcpu: a CPU the caller may run on and node 0; either pointer may be NULL; a bad one is EFAULT. */
static int aff_getcpu(void)
{
    cpu_set_t every;
    AFF_GET(0, &every);
    unsigned cpu = ~0u, node = ~0u;
    CHECK(syscall(SYS_getcpu, &cpu, &node, NULL) == 0, "getcpu: %s", strerror(errno));
    CHECK(cpu < CPU_SETSIZE && CPU_ISSET(cpu, &every) && node == 0, "cpu %u node %u", cpu, node);
    CHECK(syscall(SYS_getcpu, NULL, NULL, NULL) == 0, "NULL, NULL: %s", strerror(errno));
    CHECK(syscall(SYS_getcpu, &cpu, NULL, NULL) == 0 && syscall(SYS_getcpu, NULL, &node, NULL) == 0,
          "one NULL: %s", strerror(errno));
    AFF_FAILS(syscall(SYS_getcpu, AFF_KERNEL_ADDR, NULL, NULL), EFAULT);
    AFF_FAILS(syscall(SYS_getcpu, NULL, AFF_KERNEL_ADDR, NULL), EFAULT);
    int c = sched_getcpu();
    CHECK(c >= 0 && CPU_ISSET(c, &every), "sched_getcpu %d", c);
    return 1;
}

/* ---- per thread, and inherited ---- */

struct aff_sibling {
    int tid_pipe[2], go_pipe[2];    /* it sends its tid, then waits for the go */
    int pinned;                     /* its mask was {the CPU main chose} when it looked */
    int cpu;
};

static void *aff_sibling_main(void *arg)
{
    struct aff_sibling *s = arg;
    pid_t tid = gettid();
    char go;
    if (write(s->tid_pipe[1], &tid, sizeof tid) != sizeof tid || read(s->go_pipe[0], &go, 1) != 1)
        return NULL;
    s->pinned = aff_is_only(0, s->cpu);
    return NULL;
}

/* Affinity is per thread: setting a sibling's by its tid leaves the caller's alone. */
static int aff_per_thread(void)
{
    cpu_set_t every;
    AFF_GET(0, &every);
    struct aff_sibling s = { .cpu = aff_highest(&every) };
    CHECK(pipe(s.tid_pipe) == 0 && pipe(s.go_pipe) == 0, "pipe: %s", strerror(errno));
    pthread_t t;
    CHECK(pthread_create(&t, NULL, aff_sibling_main, &s) == 0, "pthread_create");
    pid_t tid = 0;
    CHECK(read(s.tid_pipe[0], &tid, sizeof tid) == sizeof tid && tid != gettid(), "sibling's tid %d", tid);
    cpu_set_t one = aff_only(s.cpu), mine;
    CHECK(sched_setaffinity(tid, sizeof one, &one) == 0, "set the sibling's: %s", strerror(errno));
    CHECK(aff_is_only(tid, s.cpu), "the sibling's mask, read by tid");
    AFF_GET(0, &mine);
    CHECK(CPU_EQUAL(&mine, &every), "setting the sibling's mask changed the caller's");
    CHECK(write(s.go_pipe[1], "g", 1) == 1 && pthread_join(t, NULL) == 0, "join");
    CHECK(s.pinned, "the sibling did not see its new mask");
    for (int i = 0; i < 2; i++) {
        close(s.tid_pipe[i]);
        close(s.go_pipe[i]);
    }
    return 1;
}

static void *aff_report_thread(void *cpu)
{
    return (void *)(long)aff_is_only(0, *(int *)cpu);
}

static int aff_child_is_only(int cpu) { return aff_is_only(0, cpu) ? 0 : 1; }

/* A new thread and a new process start with their creator's mask. */
static int aff_inherited(void)
{
    cpu_set_t every;
    AFF_GET(0, &every);
    int last = aff_highest(&every);
    cpu_set_t one = aff_only(last);
    CHECK(sched_setaffinity(0, sizeof one, &one) == 0, "pin: %s", strerror(errno));
    pthread_t t;
    void *same = NULL;
    CHECK(pthread_create(&t, NULL, aff_report_thread, &last) == 0 && pthread_join(t, &same) == 0, "thread");
    int status = aff_in_child(aff_child_is_only, last);
    CHECK(sched_setaffinity(0, sizeof every, &every) == 0, "widen again: %s", strerror(errno));
    CHECK(same, "a new thread did not inherit its creator's mask");
    CHECK(AFF_CHILD_OK(status), "a forked child did not inherit its parent's mask: status %#x", status);
    return 1;
}

static const char *aff_exec_path;       /* the program to run again (the includer's own) */

static int aff_exec_pinned(int cpu)
{
    cpu_set_t one = aff_only(cpu);
    char arg[16];
    snprintf(arg, sizeof arg, "%d", cpu);
    char *argv[] = { (char *)aff_exec_path, AFF_EXEC_ARG, arg, NULL };
    if (sched_setaffinity(0, sizeof one, &one) != 0)
        return 2;
    execv(aff_exec_path, argv);
    return 3;
}

/* execve keeps the mask (it is the thread's, and exec keeps the thread). */
static int aff_kept_across_exec(void)
{
    cpu_set_t every;
    AFF_GET(0, &every);
    int status = aff_in_child(aff_exec_pinned, aff_highest(&every));
    CHECK(AFF_CHILD_OK(status), "exec'd copy: status %#x (1: other mask, 2: set failed, 3: exec failed)",
          status);
    return 1;
}

/* Another process's mask, by its pid: read and set; the process sees its new mask. */
static int aff_of_child_process(void)
{
    cpu_set_t every, theirs;
    AFF_GET(0, &every);
    int last = aff_highest(&every), go[2];
    CHECK(pipe(go) == 0, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        _exit(read(go[0], &c, 1) == 1 && aff_is_only(0, last) ? 0 : 1);
    }
    CHECK(pid > 0, "fork: %s", strerror(errno));
    AFF_GET(pid, &theirs);
    CHECK(CPU_EQUAL(&theirs, &every), "the child's mask differs from its parent's");
    cpu_set_t one = aff_only(last);
    CHECK(sched_setaffinity(pid, sizeof one, &one) == 0, "set the child's: %s", strerror(errno));
    CHECK(aff_is_only(pid, last), "the child's mask, read back");
    AFF_GET(0, &theirs);
    CHECK(CPU_EQUAL(&theirs, &every), "setting the child's mask changed the parent's");
    int status = -1;
    CHECK(write(go[1], "g", 1) == 1 && waitpid(pid, &status, 0) == pid, "wait");
    CHECK(AFF_CHILD_OK(status), "the child did not see its new mask: status %#x", status);
    close(go[0]);
    close(go[1]);
    return 1;
}

#endif
