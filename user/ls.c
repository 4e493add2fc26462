/*
 * ls [-a] [-1] [FILE...]: list directories (default "."), names sorted.
 * Dot files only with -a.  On a terminal the names go in columns, else
 * one per line (as with -1).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_WIDTH 80
#define COLUMN_GAP    2

static int show_all, one_per_line;

/* scandir filter: dot files only with -a. */
static int shown(const struct dirent *entry)
{
    return show_all || entry->d_name[0] != '.';
}

static int terminal_width(void)
{
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    return DEFAULT_WIDTH;
}

/* Print the entries' names down the columns, as many columns as fit the terminal. */
static void print_names(struct dirent *const *entries, size_t count)
{
    size_t widest = 1;
    for (size_t i = 0; i < count; i++)
        if (strlen(entries[i]->d_name) > widest)
            widest = strlen(entries[i]->d_name);
    size_t columns = one_per_line ? 1 : (size_t)terminal_width() / (widest + COLUMN_GAP);
    if (columns == 0)
        columns = 1;
    size_t rows = (count + columns - 1) / columns;
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < columns; c++) {
            size_t i = c * rows + r;
            if (i >= count)
                break;
            int last = c + 1 == columns || i + rows >= count;
            printf("%-*s", last ? 0 : (int)(widest + COLUMN_GAP), entries[i]->d_name);
        }
        putchar('\n');
    }
}

/* List one directory (or just name a file); 0, or 1 after reporting an error. */
static int list(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
        printf("%s\n", path);
        return 0;
    }
    struct dirent **entries;
    int count = scandir(path, &entries, shown, alphasort);
    if (count < 0) {
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        return 1;
    }
    print_names(entries, (size_t)count);
    for (int i = 0; i < count; i++)
        free(entries[i]);
    free(entries);
    return 0;
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "a1")) != -1) {
        if (opt == 'a')
            show_all = 1;
        else if (opt == '1')
            one_per_line = 1;
        else
            return 2;
    }
    if (!isatty(STDOUT_FILENO))
        one_per_line = 1;
    if (optind >= argc)
        return list(".");
    int status = 0;
    for (int i = optind; i < argc; i++) {
        if (argc - optind > 1)
            printf("%s%s:\n", i > optind ? "\n" : "", argv[i]);
        status |= list(argv[i]);
    }
    return status;
}
