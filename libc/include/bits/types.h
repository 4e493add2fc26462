/*
 * The POSIX scalar types, Linux x86_64 sizes (design contract 6: the kernel
 * ABI uses them in struct stat, struct timespec and the syscalls).  Shared
 * by every header that needs one of them.
 */
#ifndef _BITS_TYPES_H
#define _BITS_TYPES_H

#include <stddef.h>

typedef long ssize_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int id_t;
typedef unsigned int mode_t;
typedef unsigned long dev_t;
typedef unsigned long ino_t;
typedef unsigned long nlink_t;
typedef long blksize_t;
typedef long blkcnt_t;
typedef long time_t;
typedef long suseconds_t;
typedef unsigned int useconds_t;
typedef long clock_t;
typedef int clockid_t;

struct timespec {
    time_t tv_sec;
    long tv_nsec;
};

#endif
