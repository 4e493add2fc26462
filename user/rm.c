/*
 * rm [-rf] FILE...: remove each file.
 *   -r  (or -R) remove directories and everything in them
 *   -f  say nothing about files that do not exist, and succeed without operands
 * A directory's entries are all read before any is removed, so the listing
 * does not shift under the removal.  "." and ".." are refused, as GNU rm does.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive, force;

static int remove_path(const char *path);

/* "dir/name", malloc'ed; NULL if out of memory. */
static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir);
    char *path = malloc(len + strlen(name) + 2);
    if (path)
        sprintf(path, "%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", name);
    return path;
}

struct names {
    char **items;
    size_t count, capacity;
};

/* Append a copy of name; 0, or -1 if out of memory. */
static int add_name(struct names *list, const char *name)
{
    if (list->count == list->capacity) {
        size_t grown = list->capacity ? 2 * list->capacity : 16;
        char **items = realloc(list->items, grown * sizeof *items);
        if (!items)
            return -1;
        list->items = items;
        list->capacity = grown;
    }
    if (!(list->items[list->count] = strdup(name)))
        return -1;
    list->count++;
    return 0;
}

static void free_names(struct names *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    free(list->items);
}

/* Read the entries of dir other than "." and ".." into *list; 0, or -1 with errno set. */
static int list_entries(const char *dir, struct names *list)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int result = 0;
    errno = 0;
    while (result == 0 && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            result = add_name(list, e->d_name);
    if (errno)
        result = -1;            /* readdir or the copy failed */
    int saved = errno;
    closedir(d);
    errno = saved;
    return result;
}

/* Remove everything in directory path, then path itself; 0, or 1 after reporting errors. */
static int remove_tree(const char *path)
{
    struct names names = { NULL, 0, 0 };
    if (list_entries(path, &names) < 0) {
        fprintf(stderr, "rm: cannot read directory '%s': %s\n", path, strerror(errno));
        free_names(&names);
        return 1;
    }
    int status = 0;
    for (size_t i = 0; i < names.count; i++) {
        char *child = join(path, names.items[i]);
        status |= child ? remove_path(child) : 1;
        free(child);
    }
    free_names(&names);
    if (status == 0 && rmdir(path) < 0) {
        fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
        status = 1;
    }
    return status;
}

/* Is the last component of path "." or ".."? */
static int is_dot_or_dotdot(const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && path[start - 1] != '/')
        start--;
    return (len - start == 1 && path[start] == '.') ||
           (len - start == 2 && path[start] == '.' && path[start + 1] == '.');
}

/* Remove one operand; 0, or 1 after reporting an error. */
static int remove_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        if (force && (errno == ENOENT || errno == ENOTDIR))
            return 0;           /* -f: what does not exist needs no removing */
        fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
        return 1;
    }
    if (S_ISDIR(st.st_mode) && !recursive) {
        fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(EISDIR));
        return 1;
    }
    if (S_ISDIR(st.st_mode) && is_dot_or_dotdot(path)) {
        fprintf(stderr, "rm: refusing to remove '.' or '..' directory: skipping '%s'\n", path);
        return 1;
    }
    if (S_ISDIR(st.st_mode))
        return remove_tree(path);
    if (unlink(path) < 0) {
        fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int opt, status = 0;
    while ((opt = getopt(argc, argv, "rRf")) != -1) {
        if (opt == 'f') {
            force = 1;
        } else if (opt == 'r' || opt == 'R') {
            recursive = 1;
        } else {
            fprintf(stderr, "usage: rm [-rf] FILE...\n");
            return 1;
        }
    }
    if (optind >= argc && !force) {
        fprintf(stderr, "rm: missing operand\n");
        return 1;
    }
    for (int i = optind; i < argc; i++)
        status |= remove_path(argv[i]);
    return status;
}
