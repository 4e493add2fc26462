/*
 * yes [STRING...]: print "y", or the arguments separated by spaces, on
 * line after line, forever.  The lines are written a block of many at a
 * time.  yes ends only when its output does: when the reader of a pipe
 * goes, SIGPIPE kills it (or, if SIGPIPE is ignored, the write fails with
 * EPIPE and yes exits with status 1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK_SIZE 8192         /* two pages: few system calls, yet atomic pieces */

int main(int argc, char **argv)
{
    size_t line_len = argc > 1 ? 0 : 2;
    for (int i = 1; i < argc; i++)
        line_len += strlen(argv[i]) + 1;            /* the word and a space or newline */
    size_t copies = line_len < BLOCK_SIZE ? BLOCK_SIZE / line_len : 1;
    char *block = malloc(copies * line_len);
    if (!block) {
        perror("yes");
        return 1;
    }
    char *p = block;
    if (argc == 1)
        p = stpcpy(p, "y ");
    for (int i = 1; i < argc; i++) {
        p = stpcpy(p, argv[i]);
        *p++ = ' ';
    }
    p[-1] = '\n';
    for (size_t i = 1; i < copies; i++)
        memcpy(block + i * line_len, block, line_len);
    size_t size = copies * line_len;
    for (;;) {
        for (size_t done = 0; done < size; ) {
            ssize_t n = write(STDOUT_FILENO, block + done, size - done);
            if (n < 0 && errno != EINTR) {
                fprintf(stderr, "yes: standard output: %s\n", strerror(errno));
                return 1;
            }
            if (n > 0)
                done += (size_t)n;
        }
    }
}
