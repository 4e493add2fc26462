/* File system figures: Linux x86_64's struct statfs, as statfs and fstatfs fill it. */
#ifndef _SYS_STATFS_H
#define _SYS_STATFS_H

#include <bits/types.h>

typedef struct { int __val[2]; } fsid_t;

struct statfs {
    long f_type;                /* the file system's magic number (RAMFS_MAGIC, PROC_SUPER_MAGIC) */
    long f_bsize;
    unsigned long f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    fsid_t f_fsid;
    long f_namelen, f_frsize, f_flags, f_spare[4];
};

int statfs(const char *path, struct statfs *result);
int fstatfs(int fd, struct statfs *result);

#endif
