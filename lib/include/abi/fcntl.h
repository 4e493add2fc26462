/*
 * open() flags, fcntl() commands and the *at() calls' directory and flag
 * values: Linux x86_64's (design contract 6), shared by the kernel and libc.
 */
#ifndef ABI_FCNTL_H
#define ABI_FCNTL_H

/* open() and fcntl(F_GETFL/F_SETFL) flags, in octal as Linux writes them. */
#define O_ACCMODE   00000003    /* mask of the access mode: */
#define O_RDONLY    00000000    /*   read only */
#define O_WRONLY    00000001    /*   write only */
#define O_RDWR      00000002    /*   read and write */
#define O_CREAT     00000100    /* create the file if it does not exist */
#define O_EXCL      00000200    /* with O_CREAT: fail with EEXIST if it exists */
#define O_NOCTTY    00000400    /* do not make a terminal the controlling one */
#define O_TRUNC     00001000    /* cut a regular file opened for writing to length 0 */
#define O_APPEND    00002000    /* every write goes to the end of the file */
#define O_NONBLOCK  00004000    /* fail with EAGAIN instead of blocking */
#define O_DSYNC     00010000    /* writes reach the device before returning (data) */
#define O_DIRECTORY 00200000    /* fail with ENOTDIR unless it is a directory */
#define O_NOFOLLOW  00400000    /* do not follow a final symbolic link */
#define O_CLOEXEC   02000000    /* set FD_CLOEXEC on the new descriptor */
#define O_SYNC      04010000    /* writes reach the device before returning (all) */

/* fcntl() commands. */
#define F_DUPFD         0       /* duplicate onto the lowest free descriptor >= arg */
#define F_GETFD         1       /* the descriptor's flags (FD_CLOEXEC) */
#define F_SETFD         2       /* set the descriptor's flags */
#define F_GETFL         3       /* the open file's status flags and access mode */
#define F_SETFL         4       /* set O_APPEND and O_NONBLOCK */
#define F_DUPFD_CLOEXEC 1030    /* F_DUPFD, the copy marked close-on-exec */

#define FD_CLOEXEC      1       /* F_GETFD/F_SETFD: close the descriptor on execve */

/* The *at() calls: the directory and the flags. */
#define AT_FDCWD            (-100)  /* dirfd: relative paths start at the working directory */
#define AT_SYMLINK_NOFOLLOW 0x100   /* fstatat: do not follow a final symbolic link */
#define AT_REMOVEDIR        0x200   /* unlinkat: remove a directory (rmdir) */
#define AT_EACCESS          0x200   /* faccessat: check with the effective ids */
#define AT_SYMLINK_FOLLOW   0x400   /* linkat: follow a final symbolic link */
#define AT_EMPTY_PATH       0x1000  /* fstatat: an empty path means dirfd itself */

#endif
