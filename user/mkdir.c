/*
 * mkdir [-p] DIR...: make each directory.  -p: make missing parents too,
 * and say nothing if a directory already exists.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NEW_DIR_MODE 0777       /* before the umask */

/* mkdir that succeeds when path already is a directory. */
static int make_if_missing(const char *path)
{
    struct stat st;
    if (mkdir(path, NEW_DIR_MODE) == 0)
        return 0;
    int saved = errno;
    if (saved == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    errno = saved;
    return -1;
}

/* Make path and every missing directory above it; 0, or -1 with errno set. */
static int make_parents(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int result = 0;
    char *slash = copy + strspn(copy, "/");     /* "/" itself is there */
    while (result == 0 && (slash = strchr(slash, '/')) != NULL) {
        *slash = '\0';                          /* each ancestor in turn */
        result = make_if_missing(copy);
        *slash = '/';
        slash += strspn(slash, "/");
    }
    if (result == 0)
        result = make_if_missing(copy);
    free(copy);
    return result;
}

int main(int argc, char **argv)
{
    int parents = 0, opt, status = 0;
    while ((opt = getopt(argc, argv, "p")) != -1) {
        if (opt != 'p') {
            fprintf(stderr, "usage: mkdir [-p] DIR...\n");
            return 1;
        }
        parents = 1;
    }
    if (optind >= argc) {
        fprintf(stderr, "mkdir: missing operand\n");
        return 1;
    }
    for (int i = optind; i < argc; i++) {
        if ((parents ? make_parents(argv[i]) : mkdir(argv[i], NEW_DIR_MODE)) < 0) {
            fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
