/*
 * Directory streams over getdents64.  The kernel fills buf with
 * linux_dirent64 records, which have struct dirent's layout, so readdir
 * returns pointers into buf; a record is valid until the next readdir.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../internal/syscall.h"

#define DIR_BUFFER_SIZE 4096
#define SCANDIR_FIRST_CAPACITY 16

struct __dir {
    int fd;
    size_t pos;         /* next record in buf */
    size_t len;         /* bytes of records in buf */
    _Alignas(struct dirent) char buf[DIR_BUFFER_SIZE];
};

DIR *fdopendir(int fd)
{
    DIR *dir = malloc(sizeof *dir);
    if (!dir)
        return NULL;
    dir->fd = fd;
    dir->pos = dir->len = 0;
    return dir;
}

DIR *opendir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    DIR *dir = fdopendir(fd);
    if (!dir)
        close(fd);
    return dir;
}

/* NULL at the end (errno unchanged) or on error (errno set). */
struct dirent *readdir(DIR *dir)
{
    if (dir->pos >= dir->len) {
        long n = SYSCALL3(SYS_getdents64, dir->fd, dir->buf, sizeof dir->buf);
        if (n <= 0)
            return NULL;
        dir->len = (size_t)n;
        dir->pos = 0;
    }
    struct dirent *entry = (struct dirent *)(dir->buf + dir->pos);
    dir->pos += entry->d_reclen;
    return entry;
}

int closedir(DIR *dir)
{
    int result = close(dir->fd);
    free(dir);
    return result;
}

void rewinddir(DIR *dir)
{
    lseek(dir->fd, 0, SEEK_SET);
    dir->pos = dir->len = 0;
}

int dirfd(DIR *dir)
{
    return dir->fd;
}

/* Append a copy of entry to *entries, doubling the array when full; 0, or -1 if out of memory. */
static int append_entry(struct dirent ***entries, size_t *count, size_t *capacity,
                        const struct dirent *entry)
{
    if (*count == *capacity) {
        size_t grown = *capacity ? 2 * *capacity : SCANDIR_FIRST_CAPACITY;
        struct dirent **bigger = realloc(*entries, grown * sizeof *bigger);
        if (!bigger)
            return -1;
        *entries = bigger;
        *capacity = grown;
    }
    struct dirent *copy = malloc(entry->d_reclen);      /* the record, name included */
    if (!copy)
        return -1;
    memcpy(copy, entry, entry->d_reclen);
    (*entries)[(*count)++] = copy;
    return 0;
}

/* The count of entries in *list, or -1 with errno set (and *list untouched). */
int scandir(const char *path, struct dirent ***list, int (*filter)(const struct dirent *),
            int (*compare)(const struct dirent **, const struct dirent **))
{
    DIR *dir = opendir(path);
    if (!dir)
        return -1;
    struct dirent **entries = NULL;
    size_t count = 0, capacity = 0;
    int saved = errno, failed = 0;
    errno = 0;
    for (struct dirent *entry; !failed && (entry = readdir(dir)) != NULL; )
        if (!filter || filter(entry))
            failed = append_entry(&entries, &count, &capacity, entry) < 0;
    int error = errno;              /* set by a failed readdir or malloc */
    closedir(dir);
    if (failed || error) {
        while (count > 0)
            free(entries[--count]);
        free(entries);
        errno = error;
        return -1;
    }
    errno = saved;
    /* qsort hands compare pointers to the array's elements, which is what a
     * scandir compare takes: the same call with more precise types. */
    if (compare)
        qsort(entries, count, sizeof *entries, (int (*)(const void *, const void *))compare);
    *list = entries;
    return (int)count;
}

int alphasort(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}
