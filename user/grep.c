/*
 * grep [-vcni] [-F] [-e] PATTERN [FILE...]: print the lines of each file
 * (or of standard input, also for "-") that contain PATTERN, a fixed
 * string (no regular expressions; -F is accepted and changes nothing).
 *   -v  select the lines that do not contain it
 *   -c  print only how many lines were selected
 *   -n  put each line's number in front of it
 *   -i  ignore case
 * With several files each output line starts with the file's name.
 * Exit status as grep's: 0 if a line was selected, 1 if none, 2 on an error.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STATUS_SELECTED 0
#define STATUS_NONE     1
#define STATUS_ERROR    2

static int invert, count_only, number_lines, ignore_case, show_names;
static const char *pattern;
static size_t pattern_len;

/* Does line (len bytes) contain the pattern? */
static int contains(const char *line, size_t len)
{
    if (pattern_len > len)
        return 0;
    if (!ignore_case)
        return memmem(line, len, pattern, pattern_len) != NULL;
    for (size_t start = 0; start + pattern_len <= len; start++) {
        size_t i = 0;
        while (i < pattern_len && tolower((unsigned char)line[start + i]) ==
                                  tolower((unsigned char)pattern[i]))
            i++;
        if (i == pattern_len)
            return 1;
    }
    return 0;
}

/* Search one stream; returns how many lines were selected, or -1 on a read error. */
static long search(FILE *in, const char *name)
{
    char *line = NULL;
    size_t capacity = 0;
    ssize_t len;
    long selected = 0;
    unsigned long number = 0;
    while ((len = getline(&line, &capacity, in)) >= 0) {
        number++;
        size_t text_len = len > 0 && line[len - 1] == '\n' ? (size_t)len - 1 : (size_t)len;
        if (contains(line, text_len) == invert)
            continue;
        selected++;
        if (count_only)
            continue;
        if (show_names)
            printf("%s:", name);
        if (number_lines)
            printf("%lu:", number);
        fwrite(line, 1, text_len, stdout);
        putchar('\n');
    }
    free(line);
    if (ferror(in))
        return -1;
    if (count_only) {
        if (show_names)
            printf("%s:", name);
        printf("%ld\n", selected);
    }
    return selected;
}

static void usage(void)
{
    fprintf(stderr, "usage: grep [-vcni] PATTERN [FILE...]\n");
    exit(STATUS_ERROR);
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "vcniFe:")) != -1) {
        switch (opt) {
        case 'v': invert = 1; break;
        case 'c': count_only = 1; break;
        case 'n': number_lines = 1; break;
        case 'i': ignore_case = 1; break;
        case 'F': break;
        case 'e': pattern = optarg; break;
        default: usage();
        }
    }
    if (!pattern) {
        if (optind >= argc)
            usage();
        pattern = argv[optind++];
    }
    pattern_len = strlen(pattern);
    int files = argc - optind;
    show_names = files > 1;
    long total = 0;
    int error = 0;
    for (int i = 0; i < (files ? files : 1); i++) {
        const char *name = files ? argv[optind + i] : "-";
        int is_stdin = strcmp(name, "-") == 0;
        FILE *in = is_stdin ? stdin : fopen(name, "r");
        long n = in ? search(in, is_stdin ? "(standard input)" : name) : -1;
        if (n < 0) {
            fprintf(stderr, "grep: %s: %s\n", is_stdin ? "(standard input)" : name, strerror(errno));
            error = 1;
        } else {
            total += n;
        }
        if (in && !is_stdin)
            fclose(in);
    }
    if (fflush(stdout) != 0)
        error = 1;
    return error ? STATUS_ERROR : total > 0 ? STATUS_SELECTED : STATUS_NONE;
}
