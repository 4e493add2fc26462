/*
 * tee [-a] [FILE...]: copy standard input to standard output and to each
 * file, created or truncated (-a: appended to).  A file that cannot be
 * opened or written is reported and left out; the others go on, and the
 * exit status is 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 4096
#define NEW_FILE_MODE 0666

struct output {
    int fd;                     /* -1 once it failed */
    const char *name;
};

/* Write all of buf to fd; 0, or -1 with errno set. */
static int write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int flags = O_WRONLY | O_CREAT | O_TRUNC, opt, status = 0;
    while ((opt = getopt(argc, argv, "a")) != -1) {
        if (opt != 'a') {
            fprintf(stderr, "usage: tee [-a] [FILE...]\n");
            return 1;
        }
        flags = O_WRONLY | O_CREAT | O_APPEND;
    }
    int count = argc - optind + 1;
    struct output *outputs = calloc((size_t)count, sizeof *outputs);
    if (!outputs) {
        perror("tee");
        return 1;
    }
    outputs[0] = (struct output){ STDOUT_FILENO, "standard output" };
    for (int i = 1; i < count; i++) {
        const char *name = argv[optind + i - 1];
        outputs[i] = (struct output){ open(name, flags, NEW_FILE_MODE), name };
        if (outputs[i].fd < 0) {
            fprintf(stderr, "tee: %s: %s\n", name, strerror(errno));
            status = 1;
        }
    }
    char buf[CHUNK];
    ssize_t n;
    while ((n = read(STDIN_FILENO, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            perror("tee: standard input");
            status = 1;
            break;
        }
        for (int i = 0; i < count; i++) {
            if (outputs[i].fd >= 0 && write_all(outputs[i].fd, buf, (size_t)n) < 0) {
                fprintf(stderr, "tee: %s: %s\n", outputs[i].name, strerror(errno));
                if (i > 0)
                    close(outputs[i].fd);
                outputs[i].fd = -1;
                status = 1;
            }
        }
    }
    for (int i = 1; i < count; i++)
        if (outputs[i].fd >= 0 && close(outputs[i].fd) < 0)
            status = 1;
    free(outputs);
    return status;
}
