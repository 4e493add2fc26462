/*
 * Processes on our libc: fork/waitpid statuses (exit codes and deaths by
 * signal, with the sys/wait.h macros), the exec family with arguments, PATH
 * search, abort, the ids, and clone() of a process and of a thread.  Exec targets are the programs in build/bin
 * (the runner starts tests from the top of the tree).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define ECHO "build/bin/echo"

/* Fork a child that runs fn(arg); returns its wait status. */
static int status_of(void (*fn)(int), int arg)
{
    pid_t pid = fork();
    if (pid == 0) {
        fn(arg);
        _exit(0);
    }
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

static void exit_with(int code) { exit(code); }
static void write_null(int unused) { (void)unused; *(volatile int *)0 = 1; }
static void kill_self(int sig) { kill(getpid(), sig); }
static void call_abort(int unused) { (void)unused; abort(); }

static int exit_statuses(void)
{
    for (int code = 0; code < 256; code += 51) {
        int status = status_of(exit_with, code);
        CHECK(WIFEXITED(status) && !WIFSIGNALED(status) && WEXITSTATUS(status) == code,
              "exit(%d) gave status %#x", code, status);
    }
    int status = status_of(exit_with, 256 + 3);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3, "exit(259) keeps the low byte: %#x", status);
    return 1;
}

static int deaths_by_signal(void)
{
    int status = status_of(write_null, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV && !WIFEXITED(status),
          "NULL write: status %#x", status);
    status = status_of(kill_self, SIGKILL);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "SIGKILL: status %#x", status);
    status = status_of(kill_self, SIGTERM);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "SIGTERM: status %#x", status);
    status = status_of(call_abort, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "abort: status %#x", status);
    return 1;
}

static int wait_variants(void)
{
    int status;
    errno = 0;
    CHECK(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD, "no children: ECHILD");
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        read(fds[0], &c, 1);        /* wait for the parent's go */
        _exit(9);
    }
    CHECK(waitpid(pid, &status, WNOHANG) == 0, "WNOHANG on a running child returns 0");
    write(fds[1], "x", 1);
    CHECK(wait(&status) == pid && WEXITSTATUS(status) == 9, "wait: status %#x", status);
    close(fds[0]);
    close(fds[1]);
    CHECK(getppid() > 0 && getpid() != getppid(), "ids");
    return 1;
}

/* Run argv[0] via exec_fn in a child with stdout on a pipe; its output and status. */
static int capture(int (*exec_fn)(const char *, char *const[]), const char *path, char *const argv[],
                   char *out, size_t size, int *status)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        exec_fn(path, argv);
        _exit(100 + errno);
    }
    close(fds[1]);
    size_t used = 0;
    ssize_t n;
    while (used < size - 1 && (n = read(fds[0], out + used, size - 1 - used)) > 0)
        used += (size_t)n;
    out[used] = '\0';
    close(fds[0]);
    return waitpid(pid, status, 0) == pid ? 0 : -1;
}

static int exec_family(void)
{
    char out[128];
    int status;
    char *argv[] = { "echo", "one", "two words", "", "three", NULL };
    CHECK(capture(execv, ECHO, argv, out, sizeof out, &status) == 0, "capture");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0 && strcmp(out, "one two words  three\n") == 0,
          "execv echo: \"%s\", status %#x", out, status);
    setenv("PATH", "/nonexistent:build/bin", 1);
    char *argv2[] = { "echo", "-n", "found", NULL };
    CHECK(capture(execvp, "echo", argv2, out, sizeof out, &status) == 0 && strcmp(out, "found") == 0,
          "execvp through PATH: \"%s\" status %#x", out, status);
    char *argv3[] = { "x", NULL };
    CHECK(capture(execvp, "no-such-program", argv3, out, sizeof out, &status) == 0 &&
          WEXITSTATUS(status) == 100 + ENOENT, "missing program: status %#x", status);
    errno = 0;
    CHECK(execv("build/bin/missing", argv3) == -1 && errno == ENOENT, "execv of a missing file");
    CHECK(execl("tests", "tests", (char *)NULL) == -1 && errno == EACCES, "exec of a directory: %d", errno);
    return 1;
}

/* system() runs /bin/sh -c (the host's shell here, ours on the OS). */
static int system_runs_the_shell(void)
{
    int status = system("exit 42");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42, "system: status %#x", status);
    CHECK(system(NULL) != 0, "system(NULL): a shell is there");
    return 1;
}

#define CLONE_STACK_SIZE (64 * 1024)
static char clone_stack[CLONE_STACK_SIZE] __attribute__((aligned(16)));
static volatile int clone_ran;

static int exit_with_seven(void *arg) { (void)arg; return 7; }
static int mark_ran(void *arg) { clone_ran = *(int *)arg; return 0; }

/* clone() of a process returns fn's result as the exit status; of a thread, shares our memory. */
static int clone_wrapper(void)
{
    int status, value = 5;
    pid_t pid = clone(exit_with_seven, clone_stack + CLONE_STACK_SIZE, SIGCHLD, NULL);
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "clone of a process: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7, "its status: %#x", status);
    volatile int tid_word = 1;
    int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
    int tid = clone(mark_ran, clone_stack + CLONE_STACK_SIZE, flags, &value, NULL, NULL, &tid_word);
    CHECK(tid > 0, "clone of a thread: %s", strerror(errno));
    while (tid_word != 0)
        sched_yield();          /* the kernel clears it when the thread is gone */
    CHECK(clone_ran == 5, "the thread ran with its argument: %d", clone_ran);
    return 1;
}

int main(void)
{
    RUN(exit_statuses);
    RUN(deaths_by_signal);
    RUN(wait_variants);
    RUN(exec_family);
    RUN(system_runs_the_shell);
    RUN(clone_wrapper);
    return failures != 0;
}
