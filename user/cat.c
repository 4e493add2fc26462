/* cat [FILE...]: copy each file (or standard input, also for "-") to standard output. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 4096

/* Copy fd to standard output; 0, or -1 with errno set. */
static int copy(int fd)
{
    char buf[CHUNK];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t done = 0; done < n; ) {
            ssize_t w = write(STDOUT_FILENO, buf + done, (size_t)(n - done));
            if (w < 0)
                return -1;
            done += w;
        }
    }
    return n < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
    int status = 0;
    if (argc < 2 && copy(STDIN_FILENO) < 0) {
        fprintf(stderr, "cat: %s\n", strerror(errno));
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        int fd = strcmp(argv[i], "-") == 0 ? STDIN_FILENO : open(argv[i], O_RDONLY);
        if (fd < 0 || copy(fd) < 0) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
        if (fd > STDIN_FILENO)
            close(fd);
    }
    return status;
}
