/*
 * head [-n N] [FILE...]: the first N lines (10 by default) of each file, or
 * of standard input (also for "-").  With several files each gets a
 * "==> NAME <==" header, as GNU head does.  head stops reading as soon as
 * it has its lines and exits, so in "yes | head -n 3" the writer is left
 * without a reader and dies of SIGPIPE.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 4096
#define DEFAULT_LINES 10

/* Write all of buf to standard output; 0, or -1 with errno set. */
static int write_all(const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, buf, n);
        if (w < 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Copy the first lines lines of fd to standard output; 0, or -1 with errno set. */
static int head(int fd, unsigned long lines)
{
    char buf[CHUNK];
    while (lines > 0) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            return (int)n;
        size_t take = 0;
        while (take < (size_t)n && lines > 0) {
            const char *newline = memchr(buf + take, '\n', (size_t)n - take);
            if (!newline) {
                take = (size_t)n;
                break;
            }
            take = (size_t)(newline - buf) + 1;
            lines--;
        }
        if (write_all(buf, take) < 0)
            return -1;
    }
    return 0;
}

/* N of -n N: a non-negative decimal number; false if it is not one. */
static int parse_count(const char *s, unsigned long *out)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return 0;
    *out = strtoul(s, &end, 10);
    return !*end && errno == 0;
}

int main(int argc, char **argv)
{
    unsigned long lines = DEFAULT_LINES;
    int opt;
    while ((opt = getopt(argc, argv, "n:")) != -1) {
        if (opt != 'n') {
            fprintf(stderr, "usage: head [-n N] [FILE...]\n");
            return 1;
        }
        if (!parse_count(optarg, &lines)) {
            fprintf(stderr, "head: invalid number of lines: '%s'\n", optarg);
            return 1;
        }
    }
    if (optind >= argc) {
        if (head(STDIN_FILENO, lines) == 0)
            return 0;
        fprintf(stderr, "head: standard input: %s\n", strerror(errno));
        return 1;
    }
    int status = 0, headers = argc - optind > 1, first = 1;
    for (int i = optind; i < argc; i++) {
        const char *name = argv[i];
        int fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "head: cannot open '%s' for reading: %s\n", name, strerror(errno));
            status = 1;
            continue;
        }
        if (headers) {
            dprintf(STDOUT_FILENO, "%s==> %s <==\n", first ? "" : "\n",
                    fd == STDIN_FILENO ? "standard input" : name);
            first = 0;
        }
        if (head(fd, lines) < 0) {
            fprintf(stderr, "head: %s: %s\n", name, strerror(errno));
            status = 1;
        }
        if (fd != STDIN_FILENO)
            close(fd);
    }
    return status;
}
