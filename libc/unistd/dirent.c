/*
 * Directory streams over getdents64.  The kernel fills buf with
 * linux_dirent64 records, which have struct dirent's layout, so readdir
 * returns pointers into buf; a record is valid until the next readdir.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "../internal/syscall.h"

#define DIR_BUFFER_SIZE 4096

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
