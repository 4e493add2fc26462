/*
 * wc [-l] [-w] [-c] [FILE...]: count lines, words and bytes of each file
 * (or standard input, also for "-"), and their total when there are
 * several.  Without options, all three.  A word is a run of non-space
 * characters.  Columns are laid out as GNU wc does: a lone count of a lone
 * input is printed bare ("ls | wc -l" says "12"); otherwise every number
 * is as wide as the digits of the largest possible count, and at least 7
 * wide when an input is not a regular file (its size is unknown up front).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK 16384
#define UNKNOWN_SIZE_WIDTH 7

struct counts {
    unsigned long lines, words, bytes;
};

static int show_lines, show_words, show_bytes;

/* Add fd's counts to *c; 0, or -1 with errno set. */
static int count(int fd, struct counts *c)
{
    static char buf[CHUNK];
    int in_word = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        c->bytes += (unsigned long)n;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)buf[i];
            if (ch == '\n')
                c->lines++;
            if (isspace(ch)) {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                c->words++;
            }
        }
    }
    return n < 0 ? -1 : 0;
}

static void print(const struct counts *c, int width, const char *name)
{
    const char *sep = "";
    if (show_lines) {
        printf("%*lu", width, c->lines);
        sep = " ";
    }
    if (show_words) {
        printf("%s%*lu", sep, width, c->words);
        sep = " ";
    }
    if (show_bytes)
        printf("%s%*lu", sep, width, c->bytes);
    if (name)
        printf(" %s", name);
    putchar('\n');
}

/* Is name standard input? (NULL: no operands were given) */
static int is_stdin(const char *name)
{
    return !name || strcmp(name, "-") == 0;
}

/* The column width for these inputs (see the comment at the top). */
static int column_width(char **names, int inputs)
{
    unsigned long regular_total = 0;
    int width = 1, minimum = 1;
    if (inputs == 1 && show_lines + show_words + show_bytes == 1)
        return 1;
    for (int i = 0; i < inputs; i++) {
        const char *name = names ? names[i] : NULL;
        struct stat st;
        if ((is_stdin(name) ? fstat(STDIN_FILENO, &st) : stat(name, &st)) < 0)
            continue;           /* reported when it is counted */
        if (S_ISREG(st.st_mode))
            regular_total += (unsigned long)st.st_size;
        else
            minimum = UNKNOWN_SIZE_WIDTH;
    }
    for (; regular_total >= 10; regular_total /= 10)
        width++;
    return width > minimum ? width : minimum;
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "lwc")) != -1) {
        switch (opt) {
        case 'l': show_lines = 1; break;
        case 'w': show_words = 1; break;
        case 'c': show_bytes = 1; break;
        default:
            fprintf(stderr, "usage: wc [-lwc] [FILE...]\n");
            return 1;
        }
    }
    if (!show_lines && !show_words && !show_bytes)
        show_lines = show_words = show_bytes = 1;
    char **names = optind < argc ? argv + optind : NULL;
    int inputs = names ? argc - optind : 1;
    int width = column_width(names, inputs);
    struct counts total = { 0, 0, 0 };
    int status = 0;
    for (int i = 0; i < inputs; i++) {
        const char *name = names ? names[i] : NULL;
        int fd = is_stdin(name) ? STDIN_FILENO : open(name, O_RDONLY);
        struct counts c = { 0, 0, 0 };
        if (fd < 0 || count(fd, &c) < 0) {
            fprintf(stderr, "wc: %s: %s\n", name ? name : "standard input", strerror(errno));
            status = 1;
        } else {
            print(&c, width, name);
            total.lines += c.lines;
            total.words += c.words;
            total.bytes += c.bytes;
        }
        if (fd > STDIN_FILENO)
            close(fd);
    }
    if (inputs > 1)
        print(&total, width, "total");
    return fflush(stdout) == 0 ? status : 1;
}
