/*
 * Lab syscall (docs/labs/syscall.md): SYS_os_strace turns the printing of
 * a process's system calls on and off, and fork passes it on.  The checks
 * here see what a program sees (the calls' results); what the kernel
 * prints, tools/grade.sh reads from the serial log (tests/labs/syscall.grade):
 * each traced call below has an argument no other call here uses, so its
 * line can be looked for, or looked for and not found.
 */
#include <fcntl.h>
#include <sys/syscall.h>
#include "utest.h"

#define TRACED_CLOSE    (-76)   /* close(-76) = -9 (EBADF): printed */
#define CHILD_CLOSE     (-77)   /* by the child of a traced process: printed */
#define OFF_CLOSE       (-78)   /* after tracing is off again: not printed */
#define UNTRACED_CLOSE  (-79)   /* by a process that never traced: not printed */
#define CWD_SIZE        64

static long strace(long on)
{
    return syscall(SYS_os_strace, on);
}

static void on_and_off(void)
{
    CHECK(strace(1) == 0, "on: %s", strerror(errno));
    CHECK(strace(0) == 0, "off: %s", strerror(errno));
    CHECK(strace(2) == -1 && errno == EINVAL, "2 is neither on nor off: EINVAL");
    CHECK(strace(-1) == -1 && errno == EINVAL, "-1 is neither: EINVAL");
}

static void traced_calls(void)
{
    char cwd[CWD_SIZE];
    CHECK(strace(1) == 0, "on");
    CHECK(close(TRACED_CLOSE) == -1 && errno == EBADF, "a traced call still works");
    CHECK(getcwd(cwd, sizeof cwd) != NULL, "getcwd");
    CHECK(strace(0) == 0, "off");
    CHECK(close(OFF_CLOSE) == -1 && errno == EBADF, "an untraced call");
}

static void inherited(void)
{
    CHECK(strace(1) == 0, "on");
    pid_t pid = fork();
    if (pid == 0)
        _exit(close(CHILD_CLOSE) == -1 && errno == EBADF ? 0 : 1);
    CHECK(strace(0) == 0, "off in the parent");
    int status;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child");
}

static void others_untraced(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(close(UNTRACED_CLOSE) == -1 ? 0 : 1);
    int status;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child");
}

int main(void)
{
    printf("test_lab_syscall: SYS_os_strace prints a process's system calls\n");
    RUN(on_and_off);
    RUN(traced_calls);
    RUN(inherited);
    RUN(others_untraced);
    return utest_finish();
}
