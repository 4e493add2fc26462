/*
 * Open files, descriptor tables, and the system calls on descriptors:
 * read, write, readv, writev, close, dup, dup2, dup3, fcntl, lseek, ioctl,
 * pipe, pipe2.  What a descriptor refers to decides the rest (file ops).
 */
#include <abi/ioctl.h>
#include <abi/unistd.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/heap.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>

#define SETFL_FLAGS (O_APPEND | O_NONBLOCK)     /* what F_SETFL may change */

/* A bit for every descriptor there can be (all 64 when FD_MAX is 64). */
#define FD_ALL_MASK (FD_MAX == 64 ? ~0ull : (1ull << (FD_MAX % 64)) - 1)

static uint64_t open_files;     /* [atomic] file objects alive: ENFILE past FILES_MAX */

/* Count a new file object if there is room for one more: false at FILES_MAX. */
static bool open_files_take(void)
{
    if (__atomic_add_fetch(&open_files, 1, __ATOMIC_RELAXED) <= FILES_MAX)
        return true;
    __atomic_sub_fetch(&open_files, 1, __ATOMIC_RELAXED);
    return false;
}

struct file *file_alloc(const struct file_ops *ops, struct inode *inode, int flags)
{
    if (!open_files_take())
        return NULL;
    struct file *f = kzalloc(sizeof *f);
    if (!f) {
        __atomic_sub_fetch(&open_files, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    f->refs = 1;
    f->ops = ops;
    f->inode = inode;
    f->flags = flags;
    if (inode)
        inode_get(inode);
    return f;
}

void file_release(struct file *f)
{
    KASSERT(f->refs == 0);
    if (f->ops->release)
        f->ops->release(f);
    if (f->inode)
        inode_put(f->inode);
    __atomic_sub_fetch(&open_files, 1, __ATOMIC_RELAXED);
    kfree(f);
}

uint64_t file_count(void)
{
    return __atomic_load_n(&open_files, __ATOMIC_RELAXED);
}

struct fd_table *fd_table_create(void)
{
    struct fd_table *t = kzalloc(sizeof *t);
    if (t) {
        t->refs = 1;
        t->lock = (struct spinlock)SPINLOCK_INIT("fd_table", LOCK_RANK_FD_TABLE);
    }
    return t;
}

/* Put f at descriptor fd of t (free), or empty the slot (f NULL).  t->lock held. */
static void fd_set_slot(struct fd_table *t, int fd, struct file *f, bool cloexec)
{
    spin_assert_held(&t->lock);
    uint64_t bit = 1ull << fd;
    t->files[fd] = f;
    t->open_mask = f ? t->open_mask | bit : t->open_mask & ~bit;
    t->cloexec_mask = f && cloexec ? t->cloexec_mask | bit : t->cloexec_mask & ~bit;
}

struct fd_table *fd_table_copy(struct fd_table *src)
{
    struct fd_table *t = fd_table_create();
    if (!t)
        return NULL;
    int fd;
    spin_lock(&src->lock);              /* a sibling thread of the forker may change it meanwhile */
    for_each_fd_in(fd, src->open_mask) {
        t->files[fd] = src->files[fd];  /* t is nobody else's yet: no lock of its own */
        file_get(t->files[fd]);
    }
    t->open_mask = src->open_mask;
    t->cloexec_mask = src->cloexec_mask;
    spin_unlock(&src->lock);
    return t;
}

void fd_table_put(struct fd_table *t)
{
    if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL))
        return;
    int fd;                             /* the last user: nobody else can reach t */
    for_each_fd_in(fd, t->open_mask)
        file_put(t->files[fd]);
    kfree(t);
}

/* The lowest free descriptor >= min (POSIX), or -EMFILE.  t->lock held. */
static int lowest_free(struct fd_table *t, int min)
{
    spin_assert_held(&t->lock);
    uint64_t free = ~t->open_mask & (~0ull << min) & FD_ALL_MASK;
    return free ? __builtin_ctzll(free) : -EMFILE;
}

int fd_install(struct fd_table *t, struct file *f, int min, bool cloexec)
{
    spin_lock(&t->lock);
    int fd = lowest_free(t, min);
    if (fd >= 0)
        fd_set_slot(t, fd, f, cloexec);
    spin_unlock(&t->lock);
    return fd;
}

int fd_install_pair(struct fd_table *t, struct file *f[2], bool cloexec, int fd[2])
{
    spin_lock(&t->lock);                /* both or neither: no sibling sees one alone */
    fd[0] = lowest_free(t, 0);
    if (fd[0] >= 0) {
        fd_set_slot(t, fd[0], f[0], cloexec);
        fd[1] = lowest_free(t, 0);
        if (fd[1] >= 0)
            fd_set_slot(t, fd[1], f[1], cloexec);
        else
            fd_set_slot(t, fd[0], NULL, false);
    }
    spin_unlock(&t->lock);
    return fd[0] < 0 || fd[1] < 0 ? -EMFILE : 0;
}

struct file *fd_table_get(struct fd_table *t, int fd)
{
    if (fd < 0 || fd >= FD_MAX || !t)
        return NULL;
    spin_lock(&t->lock);                /* so the file cannot go between the look and the reference */
    struct file *f = t->files[fd];
    if (f)
        file_get(f);
    spin_unlock(&t->lock);
    return f;
}

int fd_table_next(struct fd_table *t, int from)
{
    if (from < 0 || from >= FD_MAX)
        return -1;
    spin_lock(&t->lock);
    uint64_t open = t->open_mask & (~0ull << from);
    spin_unlock(&t->lock);
    return open ? __builtin_ctzll(open) : -1;
}

struct file *fd_get(int fd)
{
    return fd_table_get(proc_current()->fds, fd);
}

long fd_call(const struct syscall_args *a, long (*op)(struct file *f, const struct syscall_args *a))
{
    struct file *f = fd_get((int)a->arg[0]);
    if (!f)
        return -EBADF;
    long r = op(f, a);
    fd_put(f);
    return r;
}

/*
 * Point descriptor fd of t at f (taking over a reference; NULL empties it)
 * and drop the table's reference to what it had, after the lock: the last
 * reference's release takes other locks and frees.  True if fd was open.
 */
static bool fd_replace(struct fd_table *t, int fd, struct file *f, bool cloexec)
{
    spin_lock(&t->lock);
    struct file *old = t->files[fd];
    if (f || old)
        fd_set_slot(t, fd, f, cloexec);
    spin_unlock(&t->lock);
    if (old)
        file_put(old);          /* a call still using it holds its own reference */
    return old != NULL;
}

bool fd_close(struct fd_table *t, int fd)
{
    return fd_replace(t, fd, NULL, false);
}

void fd_close_on_exec(struct fd_table *t)
{
    int fd;
    for_each_fd_in(fd, __atomic_load_n(&t->cloexec_mask, __ATOMIC_RELAXED))
        fd_close(t, fd);
}

/* ---- reading and writing ---- */

/* Read into u's buffers from f, which the caller holds a reference to. */
static long do_read(struct file *f, struct uio *u)
{
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (!f->ops->read)
        return f->ops->getdents ? -EISDIR : -EINVAL;
    return f->ops->read(f, u);
}

static long do_write(struct file *f, struct uio *u)
{
    if ((f->flags & O_ACCMODE) == O_RDONLY || !f->ops->write)
        return -EBADF;
    return f->ops->write(f, u);
}

/* op over count buffers iov holding total bytes, cut to MAX_RW_COUNT. */
static long transfer(struct file *f, const struct user_iovec *iov, int64_t count, uint64_t total,
                     long (*op)(struct file *, struct uio *))
{
    struct uio u;
    uio_init(&u, iov, count, uio_capped(total));
    return op(f, &u);
}

/* read and write: one buffer. */
static long do_single(struct file *f, const struct syscall_args *a, long (*op)(struct file *, struct uio *))
{
    struct user_iovec one = { a->arg[1], a->arg[2] };
    return transfer(f, &one, 1, one.len, op);
}

static long read_call(struct file *f, const struct syscall_args *a)  { return do_single(f, a, do_read); }
static long write_call(struct file *f, const struct syscall_args *a) { return do_single(f, a, do_write); }

long sys_read(const struct syscall_args *a)  { return fd_call(a, read_call); }
long sys_write(const struct syscall_args *a) { return fd_call(a, write_call); }

/*
 * readv and writev: every buffer in one call of the file's read or write
 * (so a pipe's writev of at most PIPE_BUF bytes is atomic), MAX_RW_COUNT
 * bytes at most in all.
 */
static long do_vector(struct file *f, const struct syscall_args *a, long (*op)(struct file *, struct uio *))
{
    struct user_iovec *v;
    uint64_t total;
    int64_t count = (int64_t)a->arg[2];
    long err = uio_copy_iovecs(a->arg[1], count, &v, &total);
    if (err)
        return err;
    long r = transfer(f, v, count, total, op);
    kfree(v);
    return r;
}

static long readv_call(struct file *f, const struct syscall_args *a)  { return do_vector(f, a, do_read); }
static long writev_call(struct file *f, const struct syscall_args *a) { return do_vector(f, a, do_write); }

long sys_readv(const struct syscall_args *a)  { return fd_call(a, readv_call); }
long sys_writev(const struct syscall_args *a) { return fd_call(a, writev_call); }

/* ---- descriptors ---- */

long sys_close(const struct syscall_args *a)
{
    int fd = (int)a->arg[0];
    if (fd < 0 || fd >= FD_MAX || !fd_close(proc_current()->fds, fd))
        return -EBADF;
    return 0;
}

/* Point newfd at the file of oldfd (closing what newfd had): dup2 and dup3. */
static long dup_onto(int oldfd, int newfd, bool cloexec)
{
    struct file *f = fd_get(oldfd);     /* the reference newfd will hold */
    if (!f)
        return -EBADF;
    if (newfd < 0 || newfd >= FD_MAX) {
        fd_put(f);
        return -EBADF;
    }
    fd_replace(proc_current()->fds, newfd, f, cloexec);
    return newfd;
}

/* Install f, which the caller holds, at the lowest free descriptor >= min. */
static long dup_lowest(struct file *f, int64_t min, bool cloexec)
{
    if (min < 0 || min >= FD_MAX)
        return -EINVAL;
    file_get(f);
    int fd = fd_install(proc_current()->fds, f, (int)min, cloexec);
    if (fd < 0)
        file_put(f);
    return fd;
}

static long dup_call(struct file *f, const struct syscall_args *a)
{
    (void)a;
    return dup_lowest(f, 0, false);
}

long sys_dup(const struct syscall_args *a)
{
    return fd_call(a, dup_call);
}

long sys_dup2(const struct syscall_args *a)
{
    int oldfd = (int)a->arg[0], newfd = (int)a->arg[1];
    if (oldfd == newfd) {
        struct file *f = fd_get(oldfd);
        fd_put(f);
        return f ? newfd : -EBADF;
    }
    return dup_onto(oldfd, newfd, false);
}

long sys_dup3(const struct syscall_args *a)
{
    int oldfd = (int)a->arg[0], newfd = (int)a->arg[1], flags = (int)a->arg[2];
    if (oldfd == newfd || (flags & ~O_CLOEXEC))
        return -EINVAL;
    return dup_onto(oldfd, newfd, flags & O_CLOEXEC);
}

/* F_SETFD: descriptor fd's close-on-exec flag, if it still refers to f (a sibling may have closed it). */
static long fd_set_cloexec(struct fd_table *t, int fd, struct file *f, bool cloexec)
{
    spin_lock(&t->lock);
    bool same = t->files[fd] == f;
    if (same)
        fd_set_slot(t, fd, f, cloexec);
    spin_unlock(&t->lock);
    return same ? 0 : -EBADF;
}

static long fcntl_call(struct file *f, const struct syscall_args *a)
{
    int fd = (int)a->arg[0], cmd = (int)a->arg[1];
    struct fd_table *t = proc_current()->fds;
    switch (cmd) {
    case F_DUPFD:         return dup_lowest(f, (int)a->arg[2], false);
    case F_DUPFD_CLOEXEC: return dup_lowest(f, (int)a->arg[2], true);
    case F_GETFD:         return __atomic_load_n(&t->cloexec_mask, __ATOMIC_RELAXED) & (1ull << fd) ?
                                 FD_CLOEXEC : 0;
    case F_SETFD:         return fd_set_cloexec(t, fd, f, a->arg[2] & FD_CLOEXEC);
    case F_GETFL:         return f->flags;
    case F_SETFL:
        f->flags = (f->flags & ~SETFL_FLAGS) | ((int)a->arg[2] & SETFL_FLAGS);
        return 0;
    default:
        return -EINVAL;
    }
}

long sys_fcntl(const struct syscall_args *a)
{
    return fd_call(a, fcntl_call);
}

/* As Linux's lseek: the new offset must be 0..FILE_SIZE_MAX, and no sum may overflow (EINVAL). */
static long lseek_call(struct file *f, const struct syscall_args *a)
{
    if (!f->inode || f->inode->type == INODE_FIFO)
        return -ESPIPE;         /* pipes, FIFOs and the terminal */
    if (f->inode->type == INODE_CHARDEV)
        return 0;               /* /dev/null, zero...: every offset is the start, as Linux answers */
    return fs_seek(f->inode, &f->offset, (int64_t)a->arg[1], (int)a->arg[2]);
}

long sys_lseek(const struct syscall_args *a)
{
    return fd_call(a, lseek_call);
}

/* ioctl: only the terminal has requests (kernel/tty.c); anything else is not a tty. */
static long ioctl_call(struct file *f, const struct syscall_args *a)
{
    if (f->ops->kind != FILE_TTY)
        return -ENOTTY;
    return tty_ioctl(f, a->arg[1], a->arg[2]);
}

long sys_ioctl(const struct syscall_args *a)
{
    return fd_call(a, ioctl_call);
}

static long do_pipe(uint64_t ufds, int flags)
{
    if (flags & ~(O_CLOEXEC | O_NONBLOCK))
        return -EINVAL;
    int fds[2] = { 0, 0 };
    if (copy_to_user(ufds, fds, sizeof fds) != 0)      /* fail before making anything */
        return -EFAULT;
    struct file *ends[2];
    int err = pipe_create(&ends[0], &ends[1], flags);
    if (err)
        return err;
    if (fd_install_pair(proc_current()->fds, ends, flags & O_CLOEXEC, fds) != 0) {
        file_put(ends[0]);
        file_put(ends[1]);
        return -EMFILE;
    }
    copy_to_user(ufds, fds, sizeof fds);        /* checked writable above */
    return 0;
}

long sys_pipe(const struct syscall_args *a)
{
    return do_pipe(a->arg[0], 0);
}

long sys_pipe2(const struct syscall_args *a)
{
    return do_pipe(a->arg[0], (int)a->arg[1]);
}
