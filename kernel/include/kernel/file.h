/*
 * Open files and descriptor tables.  A struct file is an open-file object
 * (what open() creates: offset, flags, the object behind it) with a
 * reference count; a process's fd table maps small integers to files.
 * fork copies the table (sharing the files, as POSIX says); threads will
 * share the table itself (CLONE_FILES), hence its own reference count.
 */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include <kernel/fs.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FD_MAX          64      /* descriptors per process: EMFILE past this */
#define FILES_MAX       1024    /* open files in the whole system: ENFILE past this */

/* open() flags (Linux's values). */
#define O_ACCMODE   3
#define O_RDONLY    0
#define O_WRONLY    1
#define O_RDWR      2
#define O_CREAT     0100
#define O_EXCL      0200
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_NONBLOCK  04000
#define O_DIRECTORY 0200000
#define O_CLOEXEC   02000000

struct file;

struct file_ops {
    long (*read)(struct file *f, uint64_t ubuf, size_t n);     /* NULL: EBADF... see file.c */
    long (*write)(struct file *f, uint64_t ubuf, size_t n);
    long (*getdents)(struct file *f, uint64_t ubuf, size_t n);
    void (*release)(struct file *f);                          /* the last reference went */
    bool is_tty;
};

struct file {
    int refs;
    const struct file_ops *ops;
    struct inode *inode;        /* NULL for devices */
    uint64_t offset;
    int flags;                  /* O_ACCMODE bits and O_APPEND */
};

struct fd_table {
    int refs;
    struct file *files[FD_MAX]; /* indexed by descriptor */
    bool cloexec[FD_MAX];
};

/* A new file object with one reference, or NULL (ENFILE or ENOMEM). */
struct file *file_alloc(const struct file_ops *ops, struct inode *inode, int flags);
void file_get(struct file *f);
void file_put(struct file *f);

struct fd_table *fd_table_create(void);
struct fd_table *fd_table_copy(struct fd_table *src);       /* for fork */
void fd_table_put(struct fd_table *t);                        /* closes everything at the last reference */

/* Install f at the lowest free descriptor; returns it or -EMFILE. Takes over the caller's reference. */
int fd_install(struct fd_table *t, struct file *f, bool cloexec);

/* The file at fd of the running process, or NULL. No reference is taken. */
struct file *fd_file(int fd);

/* Close every descriptor marked close-on-exec. */
void fd_close_on_exec(struct fd_table *t);

/* The console device (kernel/tty.c): a new file for it. */
struct file *tty_open(void);
void tty_init(void);

#endif
