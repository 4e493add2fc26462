/*
 * Open files and descriptor tables.  A struct file is an open-file object
 * (what open() creates: offset, flags, the object behind it) with a
 * reference count; a process's fd table maps small integers to files.
 * fork copies the table (sharing the files, as POSIX says); threads share
 * the table itself (CLONE_FILES), hence its own reference count.
 *
 * Files and tables are touched only by threads in the kernel, which is
 * not preempted and does not sleep while it changes them: no lock.
 */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include <abi/fcntl.h>
#include <kernel/fs.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FD_MAX          64      /* descriptors per process: EMFILE past this */
#define FILES_MAX       1024    /* open files in the whole system: ENFILE past this */

/* open() flags (Linux's values). */

struct file;
struct stat_info;

enum file_kind { FILE_INODE, FILE_PIPE, FILE_TTY };

struct file_ops {
    long (*read)(struct file *f, uint64_t ubuf, size_t n);
    long (*write)(struct file *f, uint64_t ubuf, size_t n);
    long (*getdents)(struct file *f, uint64_t ubuf, size_t n);
    void (*release)(struct file *f);    /* the last reference went */
    enum file_kind kind;
};

struct file {
    int refs;
    const struct file_ops *ops;
    struct inode *inode;        /* files and directories; NULL for pipes and the tty */
    void *priv;                 /* the pipe, for pipe ends */
    uint64_t offset;
    int flags;                  /* O_ACCMODE bits, O_APPEND, O_NONBLOCK */
};

struct fd_table {
    int refs;
    struct file *files[FD_MAX]; /* indexed by descriptor */
    uint64_t open_mask;         /* bit fd set when files[fd] is: the lowest free one is a bit scan */
    uint64_t cloexec_mask;      /* bit fd set when descriptor fd closes on exec (a subset of open_mask) */
};

/* Run the statement after it with fd set to each descriptor whose bit is set in mask, lowest
 * first.  mask is read once, so the body may close descriptors. */
#define for_each_fd_in(fd, mask) \
    for (uint64_t fd##_left = (mask); fd##_left && ((fd) = __builtin_ctzll(fd##_left), true); \
         fd##_left &= fd##_left - 1)

_Static_assert(FD_MAX <= 64, "open_mask has a bit per descriptor");

/* A new file object with one reference, or NULL (ENFILE or ENOMEM). */
struct file *file_alloc(const struct file_ops *ops, struct inode *inode, int flags);
void file_get(struct file *f);
void file_put(struct file *f);

/* File objects alive in the system (SYS_os_stats: the tests' leak check). */
uint64_t file_count(void);

struct fd_table *fd_table_create(void);
struct fd_table *fd_table_copy(struct fd_table *src);       /* for fork */
void fd_table_put(struct fd_table *t);                        /* closes everything at the last reference */

/* Install f at the lowest free descriptor >= min; returns it or -EMFILE. Takes over the caller's reference. */
int fd_install(struct fd_table *t, struct file *f, int min, bool cloexec);

/* The file at fd of the running process, or NULL. No reference is taken. */
struct file *fd_file(int fd);

/* Close every descriptor marked close-on-exec. */
void fd_close_on_exec(struct fd_table *t);

/* The console device (kernel/tty.c): a new file for it. */
struct file *tty_open(void);
void tty_init(void);
long tty_set_foreground(int pgid);     /* TIOCSPGRP */
void tty_input(char c);                /* a byte from the line, or TIOCSTI */
int tty_foreground(void);              /* TIOCGPGRP */

/* A new pipe (kernel/pipe.c): its read and write ends. 0 or -ENFILE/-ENOMEM. */
int pipe_create(struct file **read_end, struct file **write_end, int flags);

/* FIFOs (kernel/pipe.c): the pipe an INODE_FIFO holds, its release, and open(). */
void *fifo_new(void);
void fifo_free(void *fifo);
long fifo_open(struct inode *in, int flags, struct file **out);

/* Files of the tree (kernel/fs_syscalls.c): a new open file for inode. */
struct file *inode_open(struct inode *in, int flags);

#endif
