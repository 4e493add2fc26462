/*
 * Processes: fork and wait statuses, memory isolation, execv with
 * arguments, orphans, kill, preemption of a spinning process, and 1,000
 * fork/exit/wait cycles that must leave the free-page count unchanged.
 */
#include <signal.h>
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
    struct os_stats before = utest_stats();
    for (int i = 0; i < CYCLES; i++) {
        pid_t pid = fork();
        CHECK(pid >= 0, "fork %d: %s", i, strerror(errno));
        if (pid == 0)
            _exit(i & 0x7f);
        int status;
        CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == (i & 0x7f), "cycle %d", i);
    }
    struct os_stats after = utest_stats();
    CHECK(after.free_pages == before.free_pages, "free pages %lu after %d cycles, %lu before",
          (unsigned long)after.free_pages, CYCLES, (unsigned long)before.free_pages);
    CHECK(after.processes == before.processes && after.threads == before.threads,
          "processes %lu/%lu threads %lu/%lu", (unsigned long)after.processes,
          (unsigned long)before.processes, (unsigned long)after.threads, (unsigned long)before.threads);
}

int main(void)
{
    RUN(exit_statuses);
    RUN(wnohang);
    RUN(memory_isolation);
    RUN(exec_with_arguments);
    RUN(parent_ids);
    RUN(orphans_go_to_init);
    orphan_reaped_by_init();
    RUN(kill_ends_a_sleeper);
    RUN(spinner_is_preempted);
    RUN(fork_cycles_leak_nothing);
    while (waitpid(-1, NULL, WNOHANG) > 0)     /* orphans handed to us */
        ;
    return utest_finish();
}
