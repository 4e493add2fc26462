/*
 * Reading directories.  struct dirent has the layout of Linux's
 * linux_dirent64, so readdir() hands out records straight from the buffer
 * that getdents64 filled.
 */
#ifndef _DIRENT_H
#define _DIRENT_H

#include <bits/types.h>
#include <stdint.h>

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK     10
#define DT_SOCK    12

struct dirent {
    ino_t d_ino;
    off_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[256];
};

typedef struct __dir DIR;

DIR *opendir(const char *path);
DIR *fdopendir(int fd);
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);
void rewinddir(DIR *dir);
int dirfd(DIR *dir);

/* All entries of path that filter accepts (all, if filter is NULL), sorted by
 * compare (unsorted, if NULL), in a malloc'd array of malloc'd entries. */
int scandir(const char *path, struct dirent ***list, int (*filter)(const struct dirent *),
            int (*compare)(const struct dirent **, const struct dirent **));
int alphasort(const struct dirent **a, const struct dirent **b);

#endif
