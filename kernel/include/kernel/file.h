/*
 * Open files and descriptor tables.  A struct file is an open-file object
 * (what open() creates: offset, flags, the object behind it) with a
 * reference count; a process's fd table maps small integers to files.
 * fork copies the table (sharing the files, as POSIX says); threads share
 * the table itself (CLONE_FILES), hence its own reference count.
 *
 * References.  A file lives while a descriptor or a system call holds it:
 * every call that uses the file behind a descriptor takes its own
 * reference with fd_get and gives it back with fd_put (Linux's fdget and
 * fdput, OpenBSD's FREF), so a call that sleeps in it (a pipe read, a
 * FIFO open, a terminal read) keeps the file, and what is behind it, while
 * another thread closes the descriptor or replaces it with dup2.  Closing
 * takes the descriptor away; the file goes at its last reference.
 *
 * Locking.  Threads of one process may run on several CPUs and share its
 * table: a table's slots and masks are under its lock [l], and fd_get
 * looks a descriptor up and takes the reference under it, so the file
 * cannot go in between.  Reference counts are atomic [atomic].  The last
 * reference is dropped outside the table's lock (its release takes the
 * pipe's or the file system's lock, and frees).  A file's offset is
 * read and moved under fs_lock [fs] by the calls of kernel/fs.c, so two
 * threads sharing an open file take turns with it (Linux's f_pos_lock);
 * its flags are single words, changed whole by F_SETFL [k].  Interrupt
 * handlers never touch files.
 */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include <abi/fcntl.h>
#include <kernel/fs.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/uio.h>

#define FD_MAX          64      /* descriptors per process: EMFILE past this */
#define FILES_MAX       1024    /* open files in the whole system: ENFILE past this */

struct file;
struct poll_table;
struct syscall_args;

enum file_kind { FILE_INODE, FILE_PIPE, FILE_TTY, FILE_SOCKET, FILE_MQUEUE };

struct file_ops {
    /* Move bytes between f and u's user buffers in one step: the bytes moved (u->left at most), or -errno. */
    long (*read)(struct file *f, struct uio *u);
    long (*write)(struct file *f, struct uio *u);
    long (*getdents)(struct file *f, uint64_t ubuf, size_t n);
    /* pread: read at pos, the file's offset left as it is.  NULL: only regular files can (kernel/fs_syscalls.c). */
    long (*read_at)(struct file *f, struct uio *u, uint64_t pos);
    void (*release)(struct file *f);    /* the last reference went */
    /*
     * What is ready now (POLLIN, POLLOUT, POLLHUP, POLLERR...); with pt,
     * also watch for changes (poll_watch, kernel/poll.h).  NULL: always
     * ready for both, as a regular file.
     */
    unsigned (*poll)(struct file *f, struct poll_table *pt);
    enum file_kind kind;
};

struct file {
    int refs;                   /* [atomic] descriptors and system calls using it */
    const struct file_ops *ops;
    struct inode *inode;        /* files and directories; NULL for pipes and the tty */
    void *priv;                 /* the pipe, for pipe ends */
    /*
     * [fs] regular files and directories of the tree: fs_read, fs_write,
     * fs_seek, fs_read_dir.  A /proc file's under its open text's lock
     * (kernel/procfs.c); a /proc directory's is written whole by each
     * getdents, unlocked: two threads reading one such descriptor at once
     * may each see an entry twice, never memory they should not.
     */
    uint64_t offset;
    int flags;                  /* [k] O_ACCMODE bits, O_APPEND, O_NONBLOCK */
};

struct fd_table {
    int refs;                   /* [atomic] processes sharing it (CLONE_FILES) */
    struct spinlock lock;       /* [l] the slots and masks below: threads of several CPUs share them */
    struct file *files[FD_MAX]; /* [l] indexed by descriptor; each holds a reference */
    uint64_t open_mask;         /* [l] bit fd set when files[fd] is: the lowest free one is a bit scan */
    uint64_t cloexec_mask;      /* [l] bit fd set when descriptor fd closes on exec (a subset of open_mask) */
};

/* Run the statement after it with fd set to each descriptor whose bit is set in mask, lowest
 * first.  mask is read once, so the body may close descriptors. */
#define for_each_fd_in(fd, mask) \
    for (uint64_t fd##_left = (mask); fd##_left && ((fd) = __builtin_ctzll(fd##_left), true); \
         fd##_left &= fd##_left - 1)

_Static_assert(FD_MAX <= 64, "open_mask has a bit per descriptor");

/* A new file object with one reference, or NULL (ENFILE or ENOMEM). */
struct file *file_alloc(const struct file_ops *ops, struct inode *inode, int flags);

/* Free f, whose last reference went (file_put). */
void file_release(struct file *f);

/* Take and drop a reference; the last one frees the file.  Inline: every call on a descriptor does both. */
static inline void file_get(struct file *f)
{
    __atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
}

static inline void file_put(struct file *f)
{
    int left = __atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL);
    if (__builtin_expect(left < 0, 0))
        panic("file_put: file %p had no reference", (void *)f);
    if (left == 0)
        file_release(f);
}

/* File objects alive in the system (SYS_os_stats: the tests' leak check). */
uint64_t file_count(void);

struct fd_table *fd_table_create(void);
struct fd_table *fd_table_copy(struct fd_table *src);       /* for fork */
void fd_table_put(struct fd_table *t);                        /* closes everything at the last reference */

/* The file at descriptor fd of t with a reference for the caller, or NULL (another process's: /proc). */
struct file *fd_table_get(struct fd_table *t, int fd);

/* The lowest open descriptor of t at or above from, or -1. */
int fd_table_next(struct fd_table *t, int from);

/* Install f at the lowest free descriptor >= min; returns it or -EMFILE. Takes over the caller's reference. */
int fd_install(struct fd_table *t, struct file *f, int min, bool cloexec);

/* Install f[0] and f[1] at the two lowest free descriptors, both or neither: 0 (fd[] set) or -EMFILE. */
int fd_install_pair(struct fd_table *t, struct file *f[2], bool cloexec, int fd[2]);

/*
 * The file at descriptor fd of the running process with a reference of
 * the caller's, or NULL if fd is not open.  Give it back with fd_put
 * (which takes NULL too) when the call is done with it.
 */
struct file *fd_get(int fd);
static inline void fd_put(struct file *f)
{
    if (f)
        file_put(f);
}

/* Run op on the file at descriptor a->arg[0], holding a reference throughout; -EBADF if not open. */
long fd_call(const struct syscall_args *a, long (*op)(struct file *f, const struct syscall_args *a));

/* Close fd in t; false if it was not open. */
bool fd_close(struct fd_table *t, int fd);

/* Close every descriptor marked close-on-exec. */
void fd_close_on_exec(struct fd_table *t);

/* The console device (kernel/tty.c): a new file for it. */
struct file *tty_open(void);
void tty_init(void);
long tty_ioctl(struct file *f, uint64_t request, uint64_t uarg);   /* the terminal's requests: 0 or -errno */
void tty_session_gone(int sid);        /* session sid ends: it no longer holds the terminal */

/* A new pipe (kernel/pipe.c): its read and write ends. 0 or -ENFILE/-ENOMEM. */
int pipe_create(struct file **read_end, struct file **write_end, int flags);

/*
 * Open the FIFO in (kernel/pipe.c), waiting for the other side as POSIX
 * says.  The caller holds a reference to in.  0 with *out set, -ENXIO,
 * -ENFILE, -ENOMEM (no room for its pipe) or -EINTR.
 */
long fifo_open(struct inode *in, int flags, struct file **out);

/* A new file's permission bits (kernel/fs_syscalls.c): what the call asked for, less the process's umask. */
unsigned creation_mode(uint64_t mode);

/* Files of the tree (kernel/fs_syscalls.c): a new open file for inode. */
struct file *inode_open(struct inode *in, int flags);

#endif
