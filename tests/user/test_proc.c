/*
 * Processes: fork and wait statuses, memory isolation, execv with
 * arguments, orphans, kill, preemption of a spinning process, and 1,000
 * fork/exit/wait cycles that must leave the free-page count unchanged.
 */
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <time.h>
#include "utest.h"

#define CYCLES 1000

static void exit_statuses(void)
{
    for (int code = 0; code < 256; code += 51) {
        pid_t pid = fork();
        CHECK(pid >= 0, "fork: %s", strerror(errno));
        if (pid == 0)
            _exit(code);
        int status;
        CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == code, "status %#x for exit(%d)", status, code);
    }
    int status;
    CHECK(waitpid(-1, &status, 0) == -1 && errno == ECHILD, "waitpid with no children: errno %d", errno);
}

static void wnohang(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        _exit(7);
    }
    int status;
    CHECK(waitpid(pid, &status, WNOHANG) == 0, "WNOHANG on a running child should return 0");
    CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 7, "then wait for it");
    CHECK(waitpid(pid + 1000, &status, 0) == -1 && errno == ECHILD, "a pid that is not a child");
}

static int shared_global = 1;

static void memory_isolation(void)
{
    int *heap = malloc(sizeof *heap);
    *heap = 10;
    int local = 100;
    pid_t pid = fork();
    if (pid == 0) {
        shared_global = 2;
        *heap = 20;
        local = 200;
        _exit(shared_global == 2 && *heap == 20 && local == 200 ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child did not see its own writes");
    CHECK(shared_global == 1 && *heap == 10 && local == 100,
          "the parent sees the child's writes: %d %d %d", shared_global, *heap, local);
}

static void exec_with_arguments(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = { "helper_args", "one", "two words", "three", NULL };
        execv("/bin/helper_args", argv);
        _exit(100 + errno);
    }
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 4, "helper_args saw %d arguments (status %#x)",
          WEXITSTATUS(status), status);
    CHECK(execv("/bin/no-such-program", (char *[]){ "x", NULL }) == -1 && errno == ENOENT,
          "exec of a missing file: errno %d", errno);
}

static void parent_ids(void)
{
    pid_t me = getpid();
    pid_t pid = fork();
    if (pid == 0)
        _exit(getppid() == me ? 0 : 1);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child's getppid is not its parent");
}

/* The middle process exits first; its child must be handed to process 1 (the test runner). */
static void orphans_go_to_init(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (fork() == 0) {
            struct timespec ts = { 0, 20 * 1000 * 1000 };
            nanosleep(&ts, NULL);
            _exit(getppid() == 1 ? 0 : 1);
        }
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status), "middle process");
}

/* We are process 1: the orphan of the test above must come to us, and saw getppid() == 1. */
static void orphan_reaped_by_init(void)
{
    int status;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        printf("utest orphan_reaped_by_init: OK\n");
        utest_passed++;
    } else {
        printf("utest orphan_reaped_by_init: FAILED (waitpid %d, status %#x)\n", pid, status);
        utest_failed++;
    }
}

/* A group of two: kill(-pgid) ends both, kill(0) from inside ends the caller's group. */
static void process_groups(void)
{
    pid_t leader = fork();
    if (leader == 0) {
        setpgid(0, 0);
        sleep(100);
        _exit(0);
    }
    setpgid(leader, leader);
    pid_t member = fork();
    if (member == 0) {
        setpgid(0, leader);
        sleep(100);
        _exit(0);
    }
    setpgid(member, leader);
    CHECK(getpgid(leader) == leader && getpgid(member) == leader, "groups %d %d, want %d",
          getpgid(leader), getpgid(member), leader);
    CHECK(getpgid(0) == getpgrp() && getpgrp() != leader, "our own group");
    CHECK(kill(-leader, SIGTERM) == 0, "kill(-pgid): %s", strerror(errno));
    int status;
    CHECK(waitpid(leader, &status, 0) == leader && WTERMSIG(status) == SIGTERM, "leader %#x", status);
    CHECK(waitpid(member, &status, 0) == member && WTERMSIG(status) == SIGTERM, "member %#x", status);
    CHECK(kill(-leader, SIGTERM) == -1 && errno == ESRCH, "an empty group");
    pid_t child = fork();       /* it stays in our group */
    if (child == 0)
        _exit(5);
    CHECK(waitpid(-child, &status, 0) == -1 && errno == ECHILD, "waitpid(-pgid) of a group with no child of ours");
    CHECK(waitpid(0, &status, 0) == child && WEXITSTATUS(status) == 5, "waitpid(0): the child in our group");
    pid_t self_group = fork();
    if (self_group == 0) {
        setpgid(0, 0);
        kill(0, SIGTERM);       /* our own group: ourselves */
        _exit(0);
    }
    CHECK(waitpid(self_group, &status, 0) == self_group && WTERMSIG(status) == SIGTERM,
          "kill(0) did not reach the caller: %#x", status);
}

/* ^C on the terminal (pushed with TIOCSTI) ends the foreground group with SIGINT. */
static void ctrl_c_ends_the_foreground_group(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        sleep(100);
        _exit(0);
    }
    setpgid(pid, pid);
    signal(SIGTTOU, SIG_IGN);   /* as a shell: take the terminal back from the background (else EIO or a stop) */
    pid_t old = tcgetpgrp(STDIN_FILENO);
    CHECK(old > 0, "tcgetpgrp: %s", strerror(errno));
    CHECK(tcsetpgrp(STDIN_FILENO, pid) == 0 && tcgetpgrp(STDIN_FILENO) == pid, "tcsetpgrp");
    char intr = 3;              /* what the terminal sends for ^C */
    CHECK(ioctl(STDIN_FILENO, TIOCSTI, &intr) == 0, "TIOCSTI: %s", strerror(errno));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGINT,
          "status %#x after ^C", status);
    CHECK(tcsetpgrp(STDIN_FILENO, old) == 0, "restoring the foreground group");
}

/* Process 1 ignores signals it does not handle, as on Linux: the shell as init outlives ^C. */
static void init_ignores_default_signals(void)
{
    CHECK(kill(1, SIGTERM) == 0 && kill(1, SIGINT) == 0, "kill(1): %s", strerror(errno));
    sched_yield();
    CHECK(kill(1, 0) == 0, "process 1 is gone");
}

static void kill_ends_a_sleeper(void)
{
    int sigs[] = { SIGKILL, SIGTERM };
    for (int i = 0; i < 2; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            sleep(100);
            _exit(0);
        }
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        CHECK(kill(pid, sigs[i]) == 0, "kill: %s", strerror(errno));
        int status;
        CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == sigs[i], "status %#x after signal %d", status, sigs[i]);
    }
    CHECK(kill(99999, SIGTERM) == -1 && errno == ESRCH, "kill of a missing pid: errno %d", errno);
}

/* A child spinning without system calls must not keep the parent from running. */
static void spinner_is_preempted(void)
{
    pid_t pid = fork();
    if (pid == 0)
        for (volatile unsigned long n = 0;; n++)
            ;
    struct timespec ts = { 0, 100 * 1000 * 1000 };
    CHECK(nanosleep(&ts, NULL) == 0, "nanosleep");
    CHECK(kill(pid, SIGKILL) == 0, "kill");
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status), "the spinner did not die");
}

static void fork_cycles_leak_nothing(void)
{
    pid_t warm = fork();                /* the first fork may grow kernel structures for good */
    if (warm == 0)
        _exit(0);
    waitpid(warm, NULL, 0);
    struct os_stats before = utest_settled();
    for (int i = 0; i < CYCLES; i++) {
        pid_t pid = fork();
        CHECK(pid >= 0, "fork %d: %s", i, strerror(errno));
        if (pid == 0)
            _exit(i & 0x7f);
        int status;
        CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == (i & 0x7f), "cycle %d", i);
    }
    utest_expect_back(before);
    struct os_stats after = utest_stats();
    CHECK(after.processes == before.processes && after.threads == before.threads,
          "processes %lu/%lu threads %lu/%lu", (unsigned long)after.processes,
          (unsigned long)before.processes, (unsigned long)after.threads, (unsigned long)before.threads);
}

/* Process 1 (and so this child of it) starts with the FPU's power-on state: exceptions masked. */
static void init_fpu_state_is_clean(void)
{
    uint32_t mxcsr;
    uint16_t fcw;
    __asm__ volatile("stmxcsr %0; fnstcw %1" : "=m"(mxcsr), "=m"(fcw));
    CHECK(mxcsr == 0x1f80 && fcw == 0x037f, "MXCSR %#x FCW %#x, want 0x1f80 and 0x37f", mxcsr, fcw);
}

int main(void)
{
    RUN(init_fpu_state_is_clean);
    RUN(exit_statuses);
    RUN(wnohang);
    RUN(memory_isolation);
    RUN(exec_with_arguments);
    RUN(parent_ids);
    RUN(orphans_go_to_init);
    orphan_reaped_by_init();
    RUN(kill_ends_a_sleeper);
    RUN(process_groups);
    RUN(ctrl_c_ends_the_foreground_group);
    RUN(init_ignores_default_signals);
    RUN(spinner_is_preempted);
    RUN(fork_cycles_leak_nothing);
    while (waitpid(-1, NULL, WNOHANG) > 0)     /* orphans handed to us */
        ;
    return utest_finish();
}
