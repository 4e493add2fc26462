/*
 * Random system calls with random arguments, from throw-away processes:
 * whatever user space passes, the kernel answers with a result or an error
 * (or the caller dies of its own doing), and never panics.  Deterministic:
 * the same seed every run.  Calls that would end or replace the fuzzer
 * itself, or wait on purpose, are left out.
 */
#include <abi/syscall.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include "utest.h"

#define ROUNDS          60      /* throw-away processes */
#define CALLS_PER_ROUND 400
#define SEED            0x9e3779b97f4a7c15ull
#define ROUND_WAITS     20      /* a round gets 20 x 10 ms, then it is killed */
#define ROUND_WAIT_NS   (10 * 1000 * 1000)

static uint64_t state = SEED;

static uint64_t next_random(void)       /* xorshift64 */
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

/* Calls to try: everything in the table but those that exit, exec, fork, or sleep on purpose. */
static const long calls[] = {
    SYS_read, SYS_write, SYS_open, SYS_close, SYS_stat, SYS_fstat, SYS_lstat, SYS_lseek,
    SYS_mmap, SYS_mprotect, SYS_munmap, SYS_brk, SYS_rt_sigaction, SYS_rt_sigprocmask,
    SYS_ioctl, SYS_readv, SYS_writev, SYS_access, SYS_pipe, SYS_sched_yield, SYS_dup, SYS_dup2,
    SYS_getpid, SYS_kill, SYS_uname, SYS_fcntl, SYS_getcwd, SYS_chdir, SYS_mkdir, SYS_rmdir,
    SYS_unlink, SYS_getrlimit, SYS_getuid, SYS_getppid, SYS_getpgrp, SYS_getpgid, SYS_getsid,
    SYS_arch_prctl, SYS_gettid, SYS_futex, SYS_getdents64, SYS_set_tid_address,
    SYS_clock_gettime, SYS_openat, SYS_mkdirat, SYS_newfstatat, SYS_unlinkat, SYS_dup3,
    SYS_pipe2, SYS_prlimit64, SYS_rt_sigpending, SYS_getitimer, SYS_setitimer,
    SYS_os_stats, SYS_os_procs, SYS_os_switch_stats, SYS_os_threads, 999, 1010, -1,
};

/* An argument: small numbers, descriptors, flags, or addresses good and bad. */
static uint64_t random_argument(char *scratch)
{
    static const uint64_t interesting[] = {
        0, 1, 2, 3, 64, 4096, 0x7fffffff, 0xffffffff, ~0ull, 1ull << 63,
        0xffffffff80100000ull,          /* the kernel image */
        0xffff800000000000ull,          /* the direct map */
        0x0000900000000000ull,          /* not canonical */
        0x7ffffffff000ull,              /* just above the stack */
        0x10000, 0x400000,              /* below and at the program */
    };
    switch (next_random() % 4) {
    case 0:  return interesting[next_random() % (sizeof interesting / sizeof interesting[0])];
    case 1:  return (uint64_t)(scratch + next_random() % 4096);    /* a valid buffer */
    case 2:  return next_random() % 128;
    default: return next_random();
    }
}

/* One throw-away process making random calls; it may die, that is its business. */
static void fuzz_round(void)
{
    static char scratch[8192];
    for (int i = 0; i < CALLS_PER_ROUND; i++) {
        long nr = calls[next_random() % (sizeof calls / sizeof calls[0])];
        uint64_t a[6];
        for (int k = 0; k < 6; k++)
            a[k] = random_argument(scratch);
        if (nr == SYS_kill)
            a[0] = (uint64_t)getpid();  /* only ourselves: not the test, not the group */
        if (nr == SYS_setitimer)
            a[0] = 1;                   /* an alarm would end the round early: keep it EINVAL */
        syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    }
}

static void random_calls_never_panic(void)
{
    struct os_stats before = utest_settled();
    for (int round = 0; round < ROUNDS; round++) {
        state ^= (uint64_t)round * 0x100000001b3ull;
        pid_t pid = fork();
        CHECK(pid >= 0, "fork: %s", strerror(errno));
        if (pid == 0) {
            close(STDIN_FILENO);        /* no blocking on the terminal, no garbage on it */
            close(STDOUT_FILENO);
            close(STDERR_FILENO);
            fuzz_round();
            _exit(0);
        }
        int status;
        pid_t done = 0;
        for (int wait = 0; wait < ROUND_WAITS && (done = waitpid(pid, &status, WNOHANG)) == 0; wait++) {
            struct timespec ts = { 0, ROUND_WAIT_NS };
            nanosleep(&ts, NULL);
        }
        if (done == 0) {                /* blocked in some call (a pipe, a futex): fine, end it */
            CHECK(kill(pid, SIGKILL) == 0, "kill: %s", strerror(errno));
            done = waitpid(pid, &status, 0);
        }
        CHECK(done == pid, "waitpid: %s", strerror(errno));
    }
    pid_t pid = fork();         /* and everything still works */
    if (pid == 0)
        _exit(9);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 9, "fork after the fuzzing");
    struct os_stats after = utest_settled();    /* a last thread ends on its CPU a moment after wait4 */
    CHECK(after.processes == before.processes && after.threads == before.threads,
          "%lu processes and %lu threads left, %lu and %lu before", (unsigned long)after.processes,
          (unsigned long)after.threads, (unsigned long)before.processes, (unsigned long)before.threads);
}

int main(void)
{
    RUN(random_calls_never_panic);
    return utest_finish();
}
