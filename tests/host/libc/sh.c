/*
 * The shell, build/bin/sh, run on the host: sh -c, a script, commands on a
 * pipe, and an interactive session on a pseudo-terminal.  Its children are
 * our own programs from build/bin (PATH is set to it).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "pty.h"

#define SH          "build/bin/sh"
#define OUTPUT_MAX  4096

struct result {
    char out[OUTPUT_MAX], err[OUTPUT_MAX];
    int status;
};

static void read_all(int fd, char *buf, size_t size)
{
    size_t used = 0;
    ssize_t n;
    while (used < size - 1 && (n = read(fd, buf + used, size - 1 - used)) > 0)
        used += (size_t)n;
    buf[used] = '\0';
    close(fd);
}

/* Run sh with argv, input on its stdin; collect stdout, stderr and the status. */
static int run_sh(char *const argv[], const char *input, struct result *r)
{
    int in[2], out[2], err[2];
    if (pipe(in) < 0 || pipe(out) < 0 || pipe(err) < 0)
        return 0;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        for (int fd = 3; fd < 10; fd++)
            close(fd);
        execv(SH, argv);
        _exit(126);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    write(in[1], input, strlen(input));
    close(in[1]);
    read_all(out[0], r->out, sizeof r->out);
    read_all(err[0], r->err, sizeof r->err);
    return waitpid(pid, &r->status, 0) == pid;
}

#define SH_C(line, r) run_sh((char *[]){ "sh", "-c", line, NULL }, "", r)

static int words_and_quotes(void)
{
    struct result r;
    CHECK(SH_C("echo  plain   words 'single  $HOME' \"double $X\" back\\ slash \"\\\"\"", &r), "run");
    CHECK(strcmp(r.out, "plain words single  $HOME double x-value back slash \"\n") == 0,
          "got \"%s\"", r.out);
    CHECK(SH_C("echo a # a comment; echo b", &r) && strcmp(r.out, "a\n") == 0, "comment: \"%s\"", r.out);
    CHECK(SH_C("echo 'unterminated", &r) && WEXITSTATUS(r.status) == 2 && strstr(r.err, "unterminated"),
          "unterminated quote: status %#x, \"%s\"", r.status, r.err);
    return 1;
}

static int statuses(void)
{
    struct result r;
    CHECK(SH_C("false; echo $?; true; echo $?", &r) && strcmp(r.out, "1\n0\n") == 0, "$?: \"%s\"", r.out);
    CHECK(SH_C("no-such-command; echo $?", &r) && strcmp(r.out, "127\n") == 0 &&
          strcmp(r.err, "sh: no-such-command: not found\n") == 0, "not found: \"%s\" \"%s\"", r.out, r.err);
    CHECK(SH_C("exit 7; echo not here", &r) && WIFEXITED(r.status) && WEXITSTATUS(r.status) == 7 &&
          r.out[0] == '\0', "exit 7: status %#x", r.status);
    CHECK(SH_C("false", &r) && WEXITSTATUS(r.status) == 1, "the last status is sh's: %#x", r.status);
    return 1;
}

/* A child killed by a signal is reported; the shell carries on. */
static int killed_child(void)
{
    struct result r;
    CHECK(SH_C("sh -c 'kill -SEGV $$'; echo after $?", &r), "run");
    CHECK(strcmp(r.err, "killed by SIGSEGV\n") == 0 && strcmp(r.out, "after 139\n") == 0,
          "out \"%s\", err \"%s\"", r.out, r.err);
    return 1;
}

static int builtins(void)
{
    struct result r;
    CHECK(SH_C("cd /; ls -a | cat > /dev/null; cd /nonexistent; echo $?", &r), "run");
    CHECK(strcmp(r.out, "1\n") == 0 && strstr(r.err, "cd: /nonexistent"), "cd: \"%s\" \"%s\"", r.out, r.err);
    CHECK(SH_C("cd /tmp; sh -c 'echo $0 $1 $#' zero one", &r) && strcmp(r.out, "zero one 1\n") == 0,
          "positional parameters: \"%s\"", r.out);
    return 1;
}

static int pipelines_and_redirections(void)
{
    struct result r;
    CHECK(SH_C("echo one two | cat | cat", &r) && strcmp(r.out, "one two\n") == 0, "pipeline: \"%s\"", r.out);
    CHECK(SH_C("echo first > /tmp/libc-sh-test; echo second >> /tmp/libc-sh-test; cat < /tmp/libc-sh-test",
               &r) && strcmp(r.out, "first\nsecond\n") == 0, "redirections: \"%s\"", r.out);
    unlink("/tmp/libc-sh-test");
    CHECK(SH_C("cat < /nonexistent; echo $?", &r) && strcmp(r.out, "1\n") == 0, "bad redirection");
    CHECK(SH_C("ls /nonexistent 2> /dev/null; echo to-err >&2; ls /nonexistent 2>&1", &r) &&
          strcmp(r.err, "to-err\n") == 0 && strstr(r.out, "ls: /nonexistent"), "2> and >&2: \"%s\" \"%s\"",
          r.out, r.err);
    /* cat ends only when every write end of its pipe is closed: a leaked one would hang here */
    CHECK(SH_C("echo x | cat | cat | cat", &r) && strcmp(r.out, "x\n") == 0, "long pipeline");
    CHECK(SH_C("sleep 0.1 & echo started", &r) && strstr(r.out, "started\n"), "background: \"%s\"", r.out);
    return 1;
}

/* sh FILE runs a script; sh reads commands from a pipe without a prompt. */
static int scripts_and_stdin(void)
{
    const char *path = "/tmp/libc-sh-script";
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const char *script = "# a script\necho script $1\nfalse\n";
    CHECK(fd >= 0 && write(fd, script, strlen(script)) > 0 && close(fd) == 0, "write the script");
    struct result r;
    CHECK(run_sh((char *[]){ "sh", (char *)path, "arg", NULL }, "", &r), "run");
    CHECK(strcmp(r.out, "script arg\n") == 0 && WEXITSTATUS(r.status) == 1, "script: \"%s\", status %#x",
          r.out, r.status);
    unlink(path);
    CHECK(run_sh((char *[]){ "sh", NULL }, "echo piped\nexit 4\n", &r), "run");
    CHECK(strcmp(r.out, "piped\n") == 0 && WEXITSTATUS(r.status) == 4, "stdin: \"%s\" %#x", r.out, r.status);
    CHECK(run_sh((char *[]){ "sh", NULL }, "echo ab\bc\x7f" "d\nfalse\n", &r), "run");
    CHECK(strcmp(r.out, "ad\n") == 0 && WEXITSTATUS(r.status) == 1, "backspaces and EOF status: \"%s\" %#x",
          r.out, r.status);
    return 1;
}

/* On a terminal: the "$ " prompt, and a '\b' the terminal passed on erases a byte. */
static int interactive_prompt(void)
{
    int master, slave = pty_open(&master);
    CHECK(slave >= 0, "no pseudo-terminal");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(slave, 0);
        dup2(slave, 1);
        dup2(slave, 2);
        close(master);
        execv(SH, (char *[]){ "sh", NULL });
        _exit(126);
    }
    close(slave);
    const char *input = "echo abX\bc\nexit 5\n";
    write(master, input, strlen(input));
    char out[OUTPUT_MAX];
    read_all(master, out, sizeof out);          /* to EOF (EIO) once sh has gone */
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 5, "status %#x", status);
    CHECK(strstr(out, "$ "), "no prompt in \"%s\"", out);
    CHECK(strstr(out, "\nabc\r\n") || strstr(out, "$ abc\r\n"), "no \"abc\" line in \"%s\"", out);
    return 1;
}

int main(void)
{
    char path[OUTPUT_MAX];          /* absolute: the tests cd elsewhere */
    if (!getcwd(path, sizeof path - sizeof "/build/bin"))
        return 1;
    strcat(path, "/build/bin");
    setenv("PATH", path, 1);
    setenv("X", "x-value", 1);
    RUN(words_and_quotes);
    RUN(statuses);
    RUN(killed_child);
    RUN(builtins);
    RUN(pipelines_and_redirections);
    RUN(scripts_and_stdin);
    RUN(interactive_prompt);
    return failures != 0;
}
