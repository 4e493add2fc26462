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

/* scandir filter: every entry but "." and "..". */
static int not_dot_or_dotdot(const struct dirent *entry)
{
    return strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0;
}

static void free_entries(struct dirent **entries, int count)
{
    for (int i = 0; i < count; i++)
        free(entries[i]);
    free(entries);
}

/* Remove everything in directory path, then path itself; 0, or 1 after reporting errors. */
static int remove_tree(const char *path)
{
    struct dirent **entries;
    int count = scandir(path, &entries, not_dot_or_dotdot, NULL);
    if (count < 0) {
        fprintf(stderr, "rm: cannot read directory '%s': %s\n", path, strerror(errno));
        return 1;
    }
    int status = 0;
    for (int i = 0; i < count; i++) {
        char *child = join(path, entries[i]->d_name);
        status |= child ? remove_path(child) : 1;
        free(child);
    }
    free_entries(entries, count);
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
