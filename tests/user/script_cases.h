/*
 * "#!" scripts as Linux runs them, in cases that run both on the Linux
 * host (tests/host/libc/script.c: our libc on Linux's kernel) and in our
 * kernel (tests/user/test_script.c): the interpreter runs with the script's
 * path (and the line's one argument), a missing interpreter is ENOENT,
 * scripts of scripts too deep are ELOOP.  Each case returns 1, or fails
 * through the includer's CHECK.
 */
#ifndef TESTS_USER_SCRIPT_CASES_H
#define TESTS_USER_SCRIPT_CASES_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SC_CHAIN 8              /* scripts whose interpreter is the next one: deeper than any kernel allows */

static int sc_write(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    int ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    close(fd);
    return ok;
}

/* Run path with argv in a child, its output into out: the exit status, or -1. */
static int sc_run(const char *path, char *const argv[], char *out, size_t size)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        execv(path, argv);
        _exit(100 + errno % 100);
    }
    close(p[1]);
    size_t got = 0;
    ssize_t n;
    while (got < size - 1 && (n = read(p[0], out + got, size - 1 - got)) > 0)
        got += (size_t)n;
    out[got] = '\0';
    close(p[0]);
    int status;
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A script's exit status is its interpreter's; the line's argument and the script's path come first. */
static int sc_interpreter_and_argument(void)
{
    char path[64], out[256], expect[128];
    snprintf(path, sizeof path, "/tmp/sc_exit_%d", (int)getpid());
    CHECK(sc_write(path, "#!/bin/sh\nexit 7\n"), "the script");
    CHECK(sc_run(path, (char *[]){ "name", NULL }, out, sizeof out) == 7, "exit 7 through /bin/sh");
    CHECK(sc_write(path, "#! /bin/echo  one-argument \n"), "an echo script");
    CHECK(sc_run(path, (char *[]){ "ignored", "more", NULL }, out, sizeof out) == 0, "run");
    snprintf(expect, sizeof expect, "one-argument %s more\n", path);
    CHECK(strcmp(out, expect) == 0, "echo printed \"%s\", not \"%s\"", out, expect);
    unlink(path);
    return 1;
}

/* A missing interpreter: ENOENT; a chain of scripts too deep: ELOOP. */
static int sc_errors(void)
{
    char path[64], next[64], text[96];
    snprintf(path, sizeof path, "/tmp/sc_none_%d", (int)getpid());
    CHECK(sc_write(path, "#!/no/such/interpreter\n"), "the script");
    CHECK(execv(path, (char *[]){ "x", NULL }) == -1 && errno == ENOENT, "a missing interpreter: %s",
          strerror(errno));
    unlink(path);
    for (int i = 0; i < SC_CHAIN; i++) {
        snprintf(path, sizeof path, "/tmp/sc_chain_%d_%d", (int)getpid(), i);
        snprintf(next, sizeof next, "/tmp/sc_chain_%d_%d", (int)getpid(), i + 1);
        snprintf(text, sizeof text, "#!%s\n", i + 1 < SC_CHAIN ? next : "/bin/true");
        CHECK(sc_write(path, text), "chain %d", i);
    }
    snprintf(path, sizeof path, "/tmp/sc_chain_%d_0", (int)getpid());
    CHECK(execv(path, (char *[]){ "x", NULL }) == -1 && errno == ELOOP, "too deep: %s", strerror(errno));
    for (int i = 0; i < SC_CHAIN; i++) {
        snprintf(path, sizeof path, "/tmp/sc_chain_%d_%d", (int)getpid(), i);
        unlink(path);
    }
    return 1;
}

#endif
