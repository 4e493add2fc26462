/* The environment on our libc: what start-up passes in, getenv/setenv/unsetenv/putenv, and exec. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static char **main_envp;

static int start_up_environment(void)
{
    CHECK(environ == main_envp, "environ is main's envp");
    CHECK(getenv("PATH") != NULL, "PATH is inherited");
    return 1;
}

static int set_get_unset(void)
{
    CHECK(getenv("LIBC_TEST_VAR") == NULL, "not set yet");
    CHECK(setenv("LIBC_TEST_VAR", "one", 0) == 0 && strcmp(getenv("LIBC_TEST_VAR"), "one") == 0, "setenv");
    CHECK(setenv("LIBC_TEST_VAR", "two", 0) == 0 && strcmp(getenv("LIBC_TEST_VAR"), "one") == 0,
          "no overwrite");
    CHECK(setenv("LIBC_TEST_VAR", "three", 1) == 0 && strcmp(getenv("LIBC_TEST_VAR"), "three") == 0,
          "overwrite");
    CHECK(getenv("LIBC_TEST") == NULL && getenv("LIBC_TEST_VAR=") == NULL, "names match exactly");
    static char entry[] = "LIBC_PUT=yes";
    CHECK(putenv(entry) == 0 && getenv("LIBC_PUT") == entry + 9, "putenv keeps the string");
    CHECK(unsetenv("LIBC_TEST_VAR") == 0 && getenv("LIBC_TEST_VAR") == NULL, "unsetenv");
    CHECK(setenv("", "x", 1) == -1 && setenv("A=B", "x", 1) == -1, "bad names are EINVAL");
    for (int i = 0; i < 200; i++) {         /* enough to move environ more than once */
        char name[16];
        snprintf(name, sizeof name, "MANY_%d", i);
        CHECK(setenv(name, name, 1) == 0, "setenv %s", name);
    }
    CHECK(strcmp(getenv("MANY_0"), "MANY_0") == 0 && strcmp(getenv("MANY_199"), "MANY_199") == 0,
          "after growth");
    return 1;
}

/* The changed environment reaches an exec'ed program (sh prints the variable). */
static int passed_to_exec(void)
{
    setenv("LIBC_EXEC_VAR", "through exec", 1);
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        execl("build/bin/sh", "sh", "-c", "echo $LIBC_EXEC_VAR", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char got[64] = { 0 };
    CHECK(read(fds[0], got, sizeof got - 1) > 0, "no output");
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0 && strcmp(got, "through exec\n") == 0,
          "got \"%s\", status %#x", got, status);
    return 1;
}

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    main_envp = envp;
    RUN(start_up_environment);
    RUN(set_get_unset);
    RUN(passed_to_exec);
    return failures != 0;
}
