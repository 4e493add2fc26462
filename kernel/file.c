/*
 * Open files, descriptor tables, and the file system calls: read, write,
 * writev, open, openat, close, lseek, getdents64, ioctl.  Files of the
 * tree are read-only so far; directories list with getdents64.
 */
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/heap.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>
#include <lib/string.h>

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define AT_FDCWD (-100)
#define TCGETS   0x5401
#define TERMIOS_SIZE 60         /* Linux's struct termios */
#define IOV_MAX  1024
#define DT_DIR   4
#define DT_REG   8

static uint64_t open_files;     /* file objects alive: ENFILE past FILES_MAX */

struct file *file_alloc(const struct file_ops *ops, struct inode *inode, int flags)
{
    if (open_files >= FILES_MAX)
        return NULL;
    struct file *f = kzalloc(sizeof *f);
    if (!f)
        return NULL;
    f->refs = 1;
    f->ops = ops;
    f->inode = inode;
    f->flags = flags;
    open_files++;
    return f;
}

void file_get(struct file *f)
{
    f->refs++;
}

void file_put(struct file *f)
{
    KASSERT(f->refs > 0);
    if (--f->refs)
        return;
    if (f->ops->release)
        f->ops->release(f);
    open_files--;
    kfree(f);
}

struct fd_table *fd_table_create(void)
{
    struct fd_table *t = kzalloc(sizeof *t);
    if (t)
        t->refs = 1;
    return t;
}

struct fd_table *fd_table_copy(struct fd_table *src)
{
    struct fd_table *t = fd_table_create();
    if (!t)
        return NULL;
    for (int fd = 0; fd < FD_MAX; fd++) {
        if (src->files[fd]) {
            t->files[fd] = src->files[fd];
            t->cloexec[fd] = src->cloexec[fd];
            file_get(t->files[fd]);
        }
    }
    return t;
}

void fd_table_put(struct fd_table *t)
{
    if (--t->refs)
        return;
    for (int fd = 0; fd < FD_MAX; fd++)
        if (t->files[fd])
            file_put(t->files[fd]);
    kfree(t);
}

int fd_install(struct fd_table *t, struct file *f, bool cloexec)
{
    for (int fd = 0; fd < FD_MAX; fd++) {       /* POSIX: the lowest free descriptor */
        if (!t->files[fd]) {
            t->files[fd] = f;
            t->cloexec[fd] = cloexec;
            return fd;
        }
    }
    return -EMFILE;
}

struct file *fd_file(int fd)
{
    struct fd_table *t = proc_current()->fds;
    return fd >= 0 && fd < FD_MAX && t ? t->files[fd] : NULL;
}

void fd_close_on_exec(struct fd_table *t)
{
    for (int fd = 0; fd < FD_MAX; fd++) {
        if (t->files[fd] && t->cloexec[fd]) {
            file_put(t->files[fd]);
            t->files[fd] = NULL;
            t->cloexec[fd] = false;
        }
    }
}

/* ---- files of the tree ---- */

static long inode_read(struct file *f, uint64_t ubuf, size_t n)
{
    struct inode *in = f->inode;
    if (f->offset >= in->size)
        return 0;
    if (n > in->size - f->offset)
        n = in->size - f->offset;
    if (copy_to_user(ubuf, in->data + f->offset, n) != 0)
        return -EFAULT;
    f->offset += n;
    return (long)n;
}

/* linux_dirent64, as getdents64 returns it. */
struct dirent64_header {
    uint64_t ino;
    int64_t off;
    uint16_t reclen;
    uint8_t type;
} __attribute__((packed));

/* Entries from offset f->offset (an index into the directory) while they fit in n bytes. */
static long dir_getdents(struct file *f, uint64_t ubuf, size_t n)
{
    size_t used = 0;
    uint64_t index = 0;
    list_for_each(pos, &f->inode->children) {
        if (index++ < f->offset)
            continue;
        struct inode *c = container_of(pos, struct inode, sibling);
        size_t name_len = strlen(c->name) + 1;
        size_t reclen = (sizeof(struct dirent64_header) + name_len + 7) & ~(size_t)7;
        if (used + reclen > n)
            return used ? (long)used : -EINVAL;     /* the buffer cannot hold one entry */
        struct dirent64_header h = { c->ino, (int64_t)index, (uint16_t)reclen,
                                     c->type == INODE_DIR ? DT_DIR : DT_REG };
        char pad[8] = { 0 };
        if (copy_to_user(ubuf + used, &h, sizeof h) != 0 ||
            copy_to_user(ubuf + used + sizeof h, c->name, name_len) != 0 ||
            copy_to_user(ubuf + used + sizeof h + name_len, pad, reclen - sizeof h - name_len) != 0)
            return -EFAULT;
        used += reclen;
        f->offset = index;
    }
    return (long)used;
}

static const struct file_ops inode_file_ops = { .read = inode_read };
static const struct file_ops dir_ops = { .getdents = dir_getdents };

/* ---- system calls ---- */

static long do_read(struct file *f, uint64_t ubuf, size_t n)
{
    if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (!f->ops->read)
        return f->inode && f->inode->type == INODE_DIR ? -EISDIR : -EINVAL;
    return f->ops->read(f, ubuf, n);
}

static long do_write(struct file *f, uint64_t ubuf, size_t n)
{
    if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (!f->ops->write)
        return -EINVAL;
    return f->ops->write(f, ubuf, n);
}

long sys_read(const struct syscall_args *a)
{
    return do_read(fd_file((int)a->arg[0]), a->arg[1], a->arg[2]);
}

long sys_write(const struct syscall_args *a)
{
    return do_write(fd_file((int)a->arg[0]), a->arg[1], a->arg[2]);
}

struct iovec { uint64_t base, len; };

/* readv and writev: one call per buffer, stopping at the first short transfer. */
static long do_vector(const struct syscall_args *a, long (*op)(struct file *, uint64_t, size_t))
{
    struct file *f = fd_file((int)a->arg[0]);
    uint64_t uiov = a->arg[1];
    int64_t count = (int64_t)a->arg[2];
    if (count < 0 || count > IOV_MAX)
        return -EINVAL;
    long total = 0;
    for (int64_t i = 0; i < count; i++) {
        struct iovec v;
        if (copy_from_user(&v, uiov + i * sizeof v, sizeof v) != 0)
            return total ? total : -EFAULT;
        if (v.len == 0)
            continue;
        long n = op(f, v.base, v.len);
        if (n < 0)
            return total ? total : n;
        total += n;
        if ((uint64_t)n < v.len)
            break;
    }
    return total;
}

long sys_readv(const struct syscall_args *a)  { return do_vector(a, do_read); }
long sys_writev(const struct syscall_args *a) { return do_vector(a, do_write); }

static long do_open(uint64_t upath, int flags)
{
    char path[PATH_MAX];
    long len = copy_string_from_user(path, upath, sizeof path);
    if (len < 0)
        return len;
    int err;
    struct inode *in = fs_lookup(path, &err);
    if (!in)
        return (flags & O_CREAT) ? -EACCES : err;   /* the tree is read-only so far */
    if ((flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if (in->type == INODE_DIR && (flags & O_ACCMODE) != O_RDONLY)
        return -EISDIR;
    if (in->type != INODE_DIR && (flags & O_DIRECTORY))
        return -ENOTDIR;
    if (in->readonly && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)))
        return -EACCES;
    struct file *f = file_alloc(in->type == INODE_DIR ? &dir_ops : &inode_file_ops, in,
                                flags & (O_ACCMODE | O_APPEND));
    if (!f)
        return -ENFILE;
    int fd = fd_install(proc_current()->fds, f, flags & O_CLOEXEC);
    if (fd < 0)
        file_put(f);
    return fd;
}

long sys_open(const struct syscall_args *a)
{
    return do_open(a->arg[0], (int)a->arg[1]);
}

long sys_openat(const struct syscall_args *a)
{
    int dirfd = (int)a->arg[0];
    if (dirfd != AT_FDCWD)
        return -EINVAL;         /* no working directories yet: paths are from "/" */
    return do_open(a->arg[1], (int)a->arg[2]);
}

long sys_close(const struct syscall_args *a)
{
    int fd = (int)a->arg[0];
    struct fd_table *t = proc_current()->fds;
    if (fd < 0 || fd >= FD_MAX || !t->files[fd])
        return -EBADF;
    struct file *f = t->files[fd];
    t->files[fd] = NULL;
    t->cloexec[fd] = false;
    file_put(f);
    return 0;
}

long sys_lseek(const struct syscall_args *a)
{
    struct file *f = fd_file((int)a->arg[0]);
    int64_t off = (int64_t)a->arg[1];
    int whence = (int)a->arg[2];
    if (!f)
        return -EBADF;
    if (!f->inode || f->inode->type != INODE_FILE)
        return -ESPIPE;
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->offset :
                   whence == SEEK_END ? (int64_t)f->inode->size : -1;
    if (base < 0 || base + off < 0)
        return -EINVAL;
    f->offset = (uint64_t)(base + off);
    return (long)f->offset;
}

long sys_getdents64(const struct syscall_args *a)
{
    struct file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    if (!f->ops->getdents)
        return -ENOTDIR;
    return f->ops->getdents(f, a->arg[1], a->arg[2]);
}

long sys_ioctl(const struct syscall_args *a)
{
    struct file *f = fd_file((int)a->arg[0]);
    if (!f)
        return -EBADF;
    if (a->arg[1] != TCGETS || !f->ops->is_tty)
        return -ENOTTY;
    uint8_t termios[TERMIOS_SIZE] = { 0 };  /* enough for isatty(); no terminal settings yet */
    return copy_to_user(a->arg[2], termios, sizeof termios) ? -EFAULT : 0;
}
