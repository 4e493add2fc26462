/*
 * open() flags, fcntl() commands, the *at() calls' values, and (as POSIX
 * and glibc have them here too) SEEK_*, the access() modes and the mode
 * bits.  The numbers are Linux x86_64's, from the abi/ headers the kernel
 * shares.
 */
#ifndef _FCNTL_H
#define _FCNTL_H

#include <bits/types.h>

#include <abi/fcntl.h>      /* O_* F_* FD_CLOEXEC AT_* */
#include <abi/stat.h>       /* S_IF* and the permission bits */
#include <abi/unistd.h>     /* SEEK_* and F_OK R_OK W_OK X_OK */

#define O_NDELAY    O_NONBLOCK

int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int creat(const char *path, mode_t mode);
int fcntl(int fd, int command, ...);

#endif
