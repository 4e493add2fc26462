/*
 * popen and pclose: a stream connected to a command run by /bin/sh -c,
 * reading its output ("r") or writing its input ("w"); and tmpfile.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../internal/stdio_impl.h"

#define SHELL        "/bin/sh"
#define EXIT_NO_SHELL 127       /* what a shell reports for a command it cannot run */

FILE *popen(const char *command, const char *mode)
{
    int reading = mode[0] == 'r', fds[2];
    if ((mode[0] != 'r' && mode[0] != 'w') || (mode[1] && mode[1] != 'e')) {
        errno = EINVAL;
        return NULL;
    }
    if (pipe2(fds, O_CLOEXEC) < 0)      /* no other popen child inherits these ends */
        return NULL;
    int ours = reading ? fds[0] : fds[1], theirs = reading ? fds[1] : fds[0];
    fflush(NULL);                       /* or the child would write our buffers again */
    pid_t pid = fork();
    if (pid == 0) {
        dup2(theirs, reading ? STDOUT_FILENO : STDIN_FILENO);   /* dup2 clears close-on-exec */
        execl(SHELL, "sh", "-c", command, (char *)NULL);
        _exit(EXIT_NO_SHELL);
    }
    close(theirs);
    FILE *f = pid < 0 ? NULL : fdopen(ours, reading ? "r" : "w");
    if (!f) {
        int saved = errno;
        close(ours);
        if (pid > 0)
            waitpid(pid, NULL, 0);
        errno = saved;
        return NULL;
    }
    f->popen_pid = pid;
    return f;
}

int pclose(FILE *f)
{
    pid_t pid = f->popen_pid;
    if (!pid) {
        errno = ECHILD;
        return -1;
    }
    fclose(f);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return status;
}

/* A file that disappears when closed: created, then unlinked at once. */
FILE *tmpfile(void)
{
    char path[] = "/tmp/tmpfile-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    unlink(path);
    FILE *f = fdopen(fd, "w+");
    if (!f)
        close(fd);
    return f;
}
