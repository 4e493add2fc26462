/*
 * The system calls on paths and on files of the tree: open, openat,
 * getdents64, stat, lstat, fstat, newfstatat, mkdir, mkdirat, rmdir,
 * unlink, unlinkat, chdir, getcwd, access; and the file operations of
 * regular files and directories.  Relative paths start at the process's
 * working directory, or at a directory descriptor for the *at calls; a
 * call holds a reference to that directory (user_path) and to each file
 * (fd_call) it uses until it returns, so another thread's chdir, close or
 * rmdir cannot pull them away while it sleeps.
 */
#include <abi/stat.h>
#include <abi/unistd.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/vm.h>
#include <lib/string.h>

#define MODE_DEVICE         0620
#define MODE_PIPE           0600
#define STAT_BLOCK          512     /* st_blocks counts 512-byte units */
#define STAT_BLKSIZE        PAGE_SIZE
#define ROOT_DEVICE         1       /* st_dev of the tree: Linux's anonymous device 0:1 */
#define PROC_DEVICE         4       /* st_dev of /proc: 0:4 */

/* ---- regular files and directories ---- */

static long file_read(struct file *f, struct uio *u)
{
    return fs_read(f->inode, &f->offset, u);
}

static long file_write(struct file *f, struct uio *u)
{
    return fs_write(f->inode, &f->offset, f->flags & O_APPEND, u);
}

static long dir_getdents(struct file *f, uint64_t ubuf, size_t n)
{
    return fs_read_dir(f->inode, &f->offset, ubuf, n);
}

static const struct file_ops regular_ops = { .read = file_read, .write = file_write, .kind = FILE_INODE };
static const struct file_ops dir_ops = { .getdents = dir_getdents, .kind = FILE_INODE };

/*
 * pread64 and pwrite64: at an offset of their own, the file's offset left
 * where it is.  As Linux: a negative offset is EINVAL, a pipe, socket or
 * terminal ESPIPE, a directory EISDIR; a pwrite with O_APPEND appends.
 */
static long positioned(struct file *f, const struct syscall_args *a, bool write)
{
    int mode = f->flags & O_ACCMODE;
    uint64_t pos = a->arg[3];
    bool other_reader = !write && f->ops->read_at;
    if (f->ops != &regular_ops && f->ops != &dir_ops && !other_reader)
        return -ESPIPE;
    if ((int64_t)pos < 0)
        return -EINVAL;
    if (write ? mode == O_RDONLY : mode == O_WRONLY)
        return -EBADF;
    if (f->ops == &dir_ops)
        return -EISDIR;
    struct user_iovec one = { a->arg[1], a->arg[2] };
    struct uio u;
    uio_init(&u, &one, 1, uio_capped(one.len));
    if (other_reader)
        return f->ops->read_at(f, &u, pos);
    return write ? fs_write(f->inode, &pos, f->flags & O_APPEND, &u) : fs_read(f->inode, &pos, &u);
}

static long pread_call(struct file *f, const struct syscall_args *a)  { return positioned(f, a, false); }
static long pwrite_call(struct file *f, const struct syscall_args *a) { return positioned(f, a, true); }

long sys_pread64(const struct syscall_args *a)  { return fd_call(a, pread_call); }
long sys_pwrite64(const struct syscall_args *a) { return fd_call(a, pwrite_call); }

unsigned creation_mode(uint64_t mode)
{
    return (unsigned)mode & MODE_BITS & ~__atomic_load_n(&proc_current()->umask, __ATOMIC_RELAXED);
}

struct file *inode_open(struct inode *in, int flags)
{
    return file_alloc(in->type == INODE_DIR ? &dir_ops : &regular_ops, in,
                      flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
}

/* ---- paths ---- */

/* The directory a path of an *at call starts from, with a reference for the caller to put. */
static int start_dir(int dirfd, struct inode **out)
{
    if (dirfd == AT_FDCWD) {
        *out = inode_get_from(&proc_current()->cwd);   /* a sibling's chdir may replace it */
        return 0;
    }
    struct file *f = fd_get(dirfd);
    struct inode *dir = f ? f->inode : NULL;
    int err = !f ? -EBADF : !dir || dir->type != INODE_DIR ? -ENOTDIR : 0;
    if (!err)
        inode_get(dir);
    fd_put(f);
    *out = dir;
    return err;
}

/*
 * Copy the user path and find where it starts: on success *start has a
 * reference, which the caller puts.  An empty path names nothing (ENOENT).
 */
static long user_path(int dirfd, uint64_t upath, char path[PATH_MAX], struct inode **start)
{
    long len = copy_string_from_user(path, upath, PATH_MAX);
    if (len < 0)
        return len;
    if (len == 0)
        return -ENOENT;
    return start_dir(dirfd, start);
}

/* The inode at user path upath from dirfd (a last link followed if follow), with a reference: 0 or -errno. */
static long resolve_user_path(int dirfd, uint64_t upath, bool follow, struct inode **out)
{
    char path[PATH_MAX];
    struct inode *start;
    long err = user_path(dirfd, upath, path, &start);
    if (err)
        return err;
    err = follow ? fs_resolve(start, path, out) : fs_resolve_nofollow(start, path, out);
    inode_put(start);
    return err;
}

/*
 * The directory of user path upath's last name, with a reference, and that
 * name: 0 or -errno; a path with no last name ("/") gives root_err, each
 * call's own answer for it.
 */
static long resolve_user_parent(int dirfd, uint64_t upath, struct inode **dir, char name[NAME_MAX + 1],
                                long root_err)
{
    char path[PATH_MAX];
    struct inode *start;
    long err = user_path(dirfd, upath, path, &start);
    if (err)
        return err;
    err = fs_resolve_parent(start, path, dir, name);
    inode_put(start);
    return err == -EINVAL ? root_err : err;
}

/* Check an existing inode against the open flags. */
static int open_existing(struct inode *in, int flags)
{
    int mode = flags & O_ACCMODE;
    if ((flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if ((flags & O_CREAT) && in->type == INODE_DIR)
        return -EISDIR;
    if (in->type == INODE_DIR && (mode != O_RDONLY || (flags & O_TRUNC)))
        return -EISDIR;
    if (in->type != INODE_DIR && (flags & O_DIRECTORY))
        return -ENOTDIR;
    if (in->readonly && (mode != O_RDONLY || (flags & O_TRUNC)))
        return -EACCES;
    return (flags & O_TRUNC) && mode != O_RDONLY && in->type == INODE_FILE ? fs_set_size(in, 0) : 0;
}

/* Open path, creating it (with mode) with O_CREAT; *out gets a reference to its inode. */
static int lookup_or_create(struct inode *start, const char *path, int flags, uint64_t mode, struct inode **out)
{
    int err = flags & O_NOFOLLOW ? fs_resolve_nofollow(start, path, out) : fs_resolve(start, path, out);
    if (err == 0 && (*out)->type == INODE_SYMLINK) {
        inode_put(*out);
        return -ELOOP;          /* O_NOFOLLOW met a link */
    }
    if (err == 0) {
        err = open_existing(*out, flags);
        if (err)
            inode_put(*out);
        return err;
    }
    if (err != -ENOENT || !(flags & O_CREAT))
        return err;
    if (path[strlen(path) - 1] == '/')
        return -EISDIR;         /* O_CREAT makes files, and "name/" asks for a directory */
    struct inode *dir;
    char name[NAME_MAX + 1];
    err = flags & (O_NOFOLLOW | O_EXCL) ? fs_resolve_parent(start, path, &dir, name) :  /* O_EXCL: a link is EEXIST */
          fs_resolve_create(start, path, &dir, name);
    if (err)
        return err;
    err = fs_create(dir, name, INODE_FILE, creation_mode(mode), out);
    inode_put(dir);
    return err;
}

/* A new file for in, which the caller holds: a FIFO's open may sleep. */
static long open_inode(struct inode *in, int flags, struct file **out)
{
    if (in->type == INODE_FIFO)
        return fifo_open(in, flags, out);
    if (in->type == INODE_SOCKET)
        return -ENXIO;          /* as Linux: a socket's name is for connect, not open */
    if (in->type == INODE_CHARDEV) {
        *out = device_open(in, flags);
        return *out ? 0 : -ENFILE;
    }
    if (in->ops)
        return in->ops->open(in, flags, out);
    *out = inode_open(in, flags);
    return *out ? 0 : -ENFILE;
}

static long do_openat(int dirfd, uint64_t upath, int flags, uint64_t mode)
{
    char path[PATH_MAX];
    struct inode *start, *in;
    struct file *f;
    long err = user_path(dirfd, upath, path, &start);
    if (err)
        return err;
    err = lookup_or_create(start, path, flags, mode, &in);
    if (err)
        goto put_start;
    err = open_inode(in, flags, &f);
    inode_put(in);              /* the file holds its own reference */
    if (err)
        goto put_start;
    err = fd_install(proc_current()->fds, f, 0, flags & O_CLOEXEC);
    if (err < 0)
        file_put(f);
put_start:
    inode_put(start);
    return err;
}

long sys_open(const struct syscall_args *a)
{
    return do_openat(AT_FDCWD, a->arg[0], (int)a->arg[1], a->arg[2]);
}

long sys_openat(const struct syscall_args *a)
{
    return do_openat((int)a->arg[0], a->arg[1], (int)a->arg[2], a->arg[3]);
}

static long getdents_call(struct file *f, const struct syscall_args *a)
{
    if (!f->ops->getdents)
        return -ENOTDIR;
    return f->ops->getdents(f, a->arg[1], a->arg[2]);
}

long sys_getdents64(const struct syscall_args *a)
{
    return fd_call(a, getdents_call);
}

/* ---- stat ---- */

struct linux_stat {             /* Linux x86_64's struct stat, 144 bytes */
    uint64_t dev, ino, nlink;
    uint32_t mode, uid, gid, pad0;
    uint64_t rdev;
    int64_t size, blksize, blocks;
    struct linux_timespec_pair { int64_t sec, nsec; } atime, mtime, ctime;
    int64_t reserved[3];
};

_Static_assert(sizeof(struct linux_stat) == 144, "struct stat layout");

static uint32_t type_bits(enum inode_type type)
{
    switch (type) {
    case INODE_DIR:     return S_IFDIR;
    case INODE_FIFO:    return S_IFIFO;
    case INODE_SOCKET:  return S_IFSOCK;
    case INODE_CHARDEV: return S_IFCHR;
    case INODE_SYMLINK: return S_IFLNK;
    case INODE_FILE:    break;
    }
    return S_IFREG;
}

static void set_time(struct linux_timespec_pair *t, uint64_t ns)
{
    t->sec = (int64_t)(ns / NSEC_PER_SEC);
    t->nsec = (int64_t)(ns % NSEC_PER_SEC);
}

/* Read without fs_lock: each field is a word, and stat is a snapshot anyway. */
static void stat_inode(struct inode *in, struct linux_stat *st)
{
    bool dir = in->type == INODE_DIR;
    st->dev = in->ops ? PROC_DEVICE : ROOT_DEVICE;
    st->ino = in->ino;
    st->nlink = !in->nlink ? 0 : dir ? 2 : in->nlink;    /* as Linux: 0 once removed */
    st->mode = type_bits(in->type) | __atomic_load_n(&in->mode, __ATOMIC_RELAXED);
    if (in->type == INODE_CHARDEV)
        st->rdev = device_number(in->device);
    st->size = dir || in->ops ? 0 : (int64_t)__atomic_load_n(&in->size, __ATOMIC_RELAXED);
    st->blocks = in->type == INODE_SYMLINK ? 0 : (st->size + STAT_BLOCK - 1) / STAT_BLOCK;
    set_time(&st->atime, __atomic_load_n(&in->atime_ns, __ATOMIC_RELAXED));
    set_time(&st->mtime, __atomic_load_n(&in->mtime_ns, __ATOMIC_RELAXED));
    set_time(&st->ctime, __atomic_load_n(&in->ctime_ns, __ATOMIC_RELAXED));
}

static void stat_file(struct file *f, struct linux_stat *st)
{
    if (f->inode)
        stat_inode(f->inode, st);
    else
        st->mode = f->ops->kind == FILE_PIPE ? S_IFIFO | MODE_PIPE :
                   f->ops->kind == FILE_SOCKET ? S_IFSOCK | MODE_PIPE : S_IFCHR | MODE_DEVICE;
}

static long put_stat(uint64_t ubuf, struct linux_stat *st)
{
    st->blksize = STAT_BLKSIZE;
    return copy_to_user(ubuf, st, sizeof *st) ? -EFAULT : 0;
}

static long fstat_call(struct file *f, const struct syscall_args *a)
{
    struct linux_stat st = { 0 };
    stat_file(f, &st);
    return put_stat(a->arg[1], &st);
}

long sys_fstat(const struct syscall_args *a)
{
    return fd_call(a, fstat_call);
}

/* fstatat(dirfd, "", AT_EMPTY_PATH): the descriptor itself, of any kind, as fstat; or the cwd. */
static long stat_empty_path(int dirfd, uint64_t ubuf)
{
    struct linux_stat st = { 0 };
    if (dirfd == AT_FDCWD) {
        struct inode *cwd = inode_get_from(&proc_current()->cwd);
        stat_inode(cwd, &st);
        inode_put(cwd);
        return put_stat(ubuf, &st);
    }
    struct file *f = fd_get(dirfd);
    if (!f)
        return -EBADF;
    stat_file(f, &st);
    fd_put(f);
    return put_stat(ubuf, &st);
}

static long stat_at(int dirfd, uint64_t upath, uint64_t ubuf, int flags)
{
    char path[PATH_MAX];
    struct inode *start, *in;
    struct linux_stat st = { 0 };
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    long err = copy_string_from_user(path, upath, PATH_MAX);
    if (err >= 0 && !path[0] && (flags & AT_EMPTY_PATH))
        return stat_empty_path(dirfd, ubuf);
    err = err < 0 ? err : !path[0] ? -ENOENT : start_dir(dirfd, &start);
    if (err)
        return err;
    err = flags & AT_SYMLINK_NOFOLLOW ? fs_resolve_nofollow(start, path, &in) : fs_resolve(start, path, &in);
    if (!err) {
        stat_inode(in, &st);
        inode_put(in);
    }
    inode_put(start);
    return err ? err : put_stat(ubuf, &st);
}

long sys_stat(const struct syscall_args *a)
{
    return stat_at(AT_FDCWD, a->arg[0], a->arg[1], 0);
}

long sys_lstat(const struct syscall_args *a)
{
    return stat_at(AT_FDCWD, a->arg[0], a->arg[1], AT_SYMLINK_NOFOLLOW);
}

long sys_newfstatat(const struct syscall_args *a)
{
    return stat_at((int)a->arg[0], a->arg[1], a->arg[2], (int)a->arg[3]);
}

long sys_access(const struct syscall_args *a)
{
    char path[PATH_MAX];
    struct inode *start, *in;
    int mode = (int)a->arg[1];
    if (mode & ~(R_OK | W_OK | X_OK))
        return -EINVAL;
    long err = user_path(AT_FDCWD, a->arg[0], path, &start);
    if (err)
        return err;
    err = fs_resolve(start, path, &in);
    if (!err) {
        err = (mode & W_OK) && in->readonly ? -EACCES : 0;
        inode_put(in);
    }
    inode_put(start);
    return err;
}

/* ---- directories and names ---- */

/* mkdir, and mknod of a FIFO or a regular file: a new name of the given type. */
static long make_node(int dirfd, uint64_t upath, enum inode_type type, uint64_t mode)
{
    char name[NAME_MAX + 1];
    struct inode *dir, *in;
    long err = resolve_user_parent(dirfd, upath, &dir, name, -EEXIST);     /* mkdir("/") */
    if (err)
        return err;
    err = fs_create(dir, name, type, creation_mode(mode), &in);
    inode_put(dir);
    if (!err)
        inode_put(in);
    return err;
}

static long make_dir(int dirfd, uint64_t upath, uint64_t mode)
{
    return make_node(dirfd, upath, INODE_DIR, mode);
}

/* mknod: FIFOs and regular files; device files do not exist here. */
static long make_special(int dirfd, uint64_t upath, uint64_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFIFO:           return make_node(dirfd, upath, INODE_FIFO, mode);
    case 0: case S_IFREG:   return make_node(dirfd, upath, INODE_FILE, mode);
    default:                return -EPERM;
    }
}

long sys_mknod(const struct syscall_args *a)   { return make_special(AT_FDCWD, a->arg[0], a->arg[1]); }
long sys_mknodat(const struct syscall_args *a) { return make_special((int)a->arg[0], a->arg[1], a->arg[2]); }

/* Remove path from start (held by the caller): unlink, or rmdir with want_dir. */
static long remove_at(struct inode *start, const char *path, bool want_dir)
{
    char name[NAME_MAX + 1];
    struct inode *dir;
    if (!want_dir && path[strlen(path) - 1] == '/') {
        struct inode *target;       /* "name/" asks for a directory, which unlink refuses */
        long err = fs_resolve(start, path, &target);
        if (err)
            return err;
        inode_put(target);
        return -EISDIR;
    }
    long err = fs_resolve_parent(start, path, &dir, name);
    if (err == -EINVAL)
        return -EBUSY;          /* "/" has no parent entry to remove */
    if (err)
        return err;
    err = fs_remove(dir, name, want_dir);
    inode_put(dir);
    return err;
}

static long remove_name(int dirfd, uint64_t upath, bool want_dir)
{
    char path[PATH_MAX];
    struct inode *start;
    long err = user_path(dirfd, upath, path, &start);
    if (err)
        return err;
    err = remove_at(start, path, want_dir);
    inode_put(start);
    return err;
}

long sys_mkdir(const struct syscall_args *a)   { return make_dir(AT_FDCWD, a->arg[0], a->arg[1]); }
long sys_mkdirat(const struct syscall_args *a) { return make_dir((int)a->arg[0], a->arg[1], a->arg[2]); }
long sys_rmdir(const struct syscall_args *a)   { return remove_name(AT_FDCWD, a->arg[0], true); }
long sys_unlink(const struct syscall_args *a)  { return remove_name(AT_FDCWD, a->arg[0], false); }

long sys_unlinkat(const struct syscall_args *a)
{
    int flags = (int)a->arg[2];
    if (flags & ~AT_REMOVEDIR)
        return -EINVAL;
    return remove_name((int)a->arg[0], a->arg[1], flags & AT_REMOVEDIR);
}

/* link and linkat: a new name at (newdirfd, unew) for the file at (olddirfd, uold). */
static long link_at(int olddirfd, uint64_t uold, int newdirfd, uint64_t unew, int flags)
{
    char name[NAME_MAX + 1];
    struct inode *in, *dir;
    if (flags & ~AT_SYMLINK_FOLLOW)
        return -EINVAL;
    long err = resolve_user_path(olddirfd, uold, flags & AT_SYMLINK_FOLLOW, &in);  /* linkat: the link itself */
    if (err)
        return err;
    err = resolve_user_parent(newdirfd, unew, &dir, name, -EEXIST);         /* link(x, "/") */
    if (!err) {
        err = fs_link(in, dir, name);
        inode_put(dir);
    }
    inode_put(in);
    return err;
}

#define RENAME_NOREPLACE    1   /* renameat2: fail with EEXIST rather than replace */

/* rename, renameat, renameat2 (RENAME_NOREPLACE only; RENAME_EXCHANGE and RENAME_WHITEOUT: EINVAL). */
static long rename_at(int olddirfd, uint64_t uold, int newdirfd, uint64_t unew, unsigned flags)
{
    char oldname[NAME_MAX + 1], newname[NAME_MAX + 1];
    struct inode *olddir, *newdir;
    if (flags & ~RENAME_NOREPLACE)
        return -EINVAL;
    long err = resolve_user_parent(olddirfd, uold, &olddir, oldname, -EBUSY);     /* "/" */
    if (err)
        return err;
    err = resolve_user_parent(newdirfd, unew, &newdir, newname, -EBUSY);
    if (!err) {
        err = fs_rename(olddir, oldname, newdir, newname, flags & RENAME_NOREPLACE);
        inode_put(newdir);
    }
    inode_put(olddir);
    return err;
}

long sys_rename(const struct syscall_args *a)
{
    return rename_at(AT_FDCWD, a->arg[0], AT_FDCWD, a->arg[1], 0);
}

long sys_renameat(const struct syscall_args *a)
{
    return rename_at((int)a->arg[0], a->arg[1], (int)a->arg[2], a->arg[3], 0);
}

long sys_renameat2(const struct syscall_args *a)
{
    return rename_at((int)a->arg[0], a->arg[1], (int)a->arg[2], a->arg[3], (unsigned)a->arg[4]);
}

long sys_link(const struct syscall_args *a)
{
    return link_at(AT_FDCWD, a->arg[0], AT_FDCWD, a->arg[1], 0);
}

long sys_linkat(const struct syscall_args *a)
{
    return link_at((int)a->arg[0], a->arg[1], (int)a->arg[2], a->arg[3], (int)a->arg[4]);
}

/* A file's new length from a system call argument (an off_t): negative is EINVAL, as Linux. */
static long set_size(struct inode *in, uint64_t length)
{
    if ((int64_t)length < 0)
        return -EINVAL;
    if (in->type == INODE_DIR)
        return -EISDIR;
    return in->type == INODE_FILE ? fs_set_size(in, length) : -EINVAL;
}

/* Run op on the inode at the user path a->arg[0] (links followed), holding it throughout: fd_call for paths. */
static long path_call(const struct syscall_args *a, long (*op)(struct inode *in, const struct syscall_args *a))
{
    struct inode *in;
    long err = resolve_user_path(AT_FDCWD, a->arg[0], true, &in);
    if (err)
        return err;
    err = op(in, a);
    inode_put(in);
    return err;
}

static long truncate_call(struct inode *in, const struct syscall_args *a)
{
    return set_size(in, a->arg[1]);
}

long sys_truncate(const struct syscall_args *a)
{
    return path_call(a, truncate_call);
}

static long ftruncate_call(struct file *f, const struct syscall_args *a)
{
    if (!f->inode || (f->flags & O_ACCMODE) == O_RDONLY)
        return -EINVAL;         /* as Linux: not a file open for writing */
    return set_size(f->inode, a->arg[1]);
}

long sys_ftruncate(const struct syscall_args *a)
{
    return fd_call(a, ftruncate_call);
}

/* fsync and fdatasync: the RAM file system has nothing to write back; as Linux, not for pipes and sockets. */
static long fsync_call(struct file *f, const struct syscall_args *a)
{
    (void)a;
    return f->inode ? 0 : -EINVAL;
}

long sys_fsync(const struct syscall_args *a)
{
    return fd_call(a, fsync_call);
}

long sys_sync(const struct syscall_args *a)
{
    (void)a;
    return 0;                   /* nothing is written anywhere but memory */
}

long sys_chdir(const struct syscall_args *a)
{
    struct inode *in;
    long err = resolve_user_path(AT_FDCWD, a->arg[0], true, &in);
    if (!err && in->type != INODE_DIR) {
        err = -ENOTDIR;
        inode_put(in);
    }
    if (!err)
        inode_swap_into(&proc_current()->cwd, in);     /* the reference goes with it */
    return err;
}

long sys_getcwd(const struct syscall_args *a)
{
    char path[PATH_MAX];
    struct inode *cwd = inode_get_from(&proc_current()->cwd);
    long len = fs_path_of(cwd, path, sizeof path);
    inode_put(cwd);
    if (len < 0)
        return len;
    if ((uint64_t)len + 1 > a->arg[1])
        return -ERANGE;
    return copy_to_user(a->arg[0], path, (size_t)len + 1) ? -EFAULT : len + 1;
}

/* ---- symbolic links ---- */

static long symlink_at(uint64_t utarget, int dirfd, uint64_t upath)
{
    char target[PATH_MAX], name[NAME_MAX + 1];
    struct inode *dir;
    long len = copy_string_from_user(target, utarget, PATH_MAX);
    if (len < 0)
        return len;
    if (len == 0)
        return -ENOENT;         /* as Linux: an empty target names nothing */
    long err = resolve_user_parent(dirfd, upath, &dir, name, -EEXIST);
    if (err)
        return err;
    err = fs_symlink(dir, name, target);
    inode_put(dir);
    return err;
}

long sys_symlink(const struct syscall_args *a)   { return symlink_at(a->arg[0], AT_FDCWD, a->arg[1]); }
long sys_symlinkat(const struct syscall_args *a) { return symlink_at(a->arg[0], (int)a->arg[1], a->arg[2]); }

/* readlink: the target's bytes, cut to bufsiz and not NUL-terminated (POSIX). */
static long readlink_at(int dirfd, uint64_t upath, uint64_t ubuf, int64_t bufsiz)
{
    char target[PATH_MAX];
    struct inode *in;
    if (bufsiz <= 0)
        return -EINVAL;
    long err = resolve_user_path(dirfd, upath, false, &in);
    if (err)
        return err;
    long len = fs_read_link(in, target, sizeof target);
    inode_put(in);
    if (len < 0)
        return len;
    size_t n = (uint64_t)len < (uint64_t)bufsiz ? (size_t)len : (size_t)bufsiz;
    return copy_to_user(ubuf, target, n) ? -EFAULT : (long)n;
}

long sys_readlink(const struct syscall_args *a)
{
    return readlink_at(AT_FDCWD, a->arg[0], a->arg[1], (int64_t)(int)a->arg[2]);
}

long sys_readlinkat(const struct syscall_args *a)
{
    return readlink_at((int)a->arg[0], a->arg[1], a->arg[2], (int64_t)(int)a->arg[3]);
}

/* ---- modes, owners, times ---- */

static long chmod_at(int dirfd, uint64_t upath, uint64_t mode, int flags)
{
    struct inode *in;
    if (flags & ~AT_SYMLINK_NOFOLLOW)
        return -EINVAL;
    long err = resolve_user_path(dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW), &in);
    if (err)
        return err;
    err = in->type == INODE_SYMLINK ? -EOPNOTSUPP : fs_chmod(in, (unsigned)mode);   /* as Linux */
    inode_put(in);
    return err;
}

long sys_chmod(const struct syscall_args *a)    { return chmod_at(AT_FDCWD, a->arg[0], a->arg[1], 0); }
long sys_fchmodat(const struct syscall_args *a) { return chmod_at((int)a->arg[0], a->arg[1], a->arg[2], 0); }

static long fchmod_call(struct file *f, const struct syscall_args *a)
{
    return f->inode ? fs_chmod(f->inode, (unsigned)a->arg[1]) : 0;     /* a pipe's mode: nothing to keep */
}

long sys_fchmod(const struct syscall_args *a)
{
    return fd_call(a, fchmod_call);
}

/*
 * The owner calls.  There is one user, root, and files keep no owner:
 * giving a file to root (or leaving an id as it is, -1) succeeds, giving
 * it to anyone else is EPERM rather than a change stat would not show.
 */
#define ID_UNCHANGED    0xffffffffu
#define ID_ROOT         0

static long chown_ids(uint64_t uid, uint64_t gid)
{
    bool ok = ((uint32_t)uid == ID_ROOT || (uint32_t)uid == ID_UNCHANGED) &&
              ((uint32_t)gid == ID_ROOT || (uint32_t)gid == ID_UNCHANGED);
    return ok ? 0 : -EPERM;
}

static long chown_at(int dirfd, uint64_t upath, uint64_t uid, uint64_t gid, int flags)
{
    struct inode *in;
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    long err = resolve_user_path(dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW), &in);
    if (err)
        return err;
    inode_put(in);
    return chown_ids(uid, gid);
}

long sys_chown(const struct syscall_args *a)  { return chown_at(AT_FDCWD, a->arg[0], a->arg[1], a->arg[2], 0); }
long sys_lchown(const struct syscall_args *a)
{
    return chown_at(AT_FDCWD, a->arg[0], a->arg[1], a->arg[2], AT_SYMLINK_NOFOLLOW);
}
long sys_fchownat(const struct syscall_args *a)
{
    return chown_at((int)a->arg[0], a->arg[1], a->arg[2], a->arg[3], (int)a->arg[4]);
}

static long fchown_call(struct file *f, const struct syscall_args *a)
{
    (void)f;
    return chown_ids(a->arg[1], a->arg[2]);
}

long sys_fchown(const struct syscall_args *a)
{
    return fd_call(a, fchown_call);
}

#define UTIME_NOW   ((1l << 30) - 1l)   /* utimensat: this time is now */
#define UTIME_OMIT  ((1l << 30) - 2l)   /* utimensat: leave this time as it is */

struct user_timespec { int64_t sec, nsec; };

/* One of utimensat's times: 0 with *ns set (or *keep), or -EINVAL. */
static long time_from(const struct user_timespec *t, uint64_t now, uint64_t *ns, bool *keep)
{
    *keep = t->nsec == UTIME_OMIT;
    if (t->nsec == UTIME_NOW || t->nsec == UTIME_OMIT) {
        *ns = now;
        return 0;
    }
    if (t->nsec < 0 || t->nsec >= (int64_t)NSEC_PER_SEC || t->sec < 0 ||
        (uint64_t)t->sec > (UINT64_MAX - NSEC_PER_SEC) / NSEC_PER_SEC)
        return -EINVAL;         /* before 1970 does not fit our unsigned clock: refused */
    *ns = (uint64_t)t->sec * NSEC_PER_SEC + (uint64_t)t->nsec;
    return 0;
}

static long utimens_inode(struct inode *in, uint64_t utimes)
{
    struct user_timespec t[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };    /* NULL: both now */
    if (utimes && copy_from_user(t, utimes, sizeof t))
        return -EFAULT;
    uint64_t now = clock_realtime_ns(), atime, mtime;
    bool keep_a, keep_m;
    long err = time_from(&t[0], now, &atime, &keep_a);
    if (!err)
        err = time_from(&t[1], now, &mtime, &keep_m);
    if (!err && !(keep_a && keep_m))
        err = fs_set_times(in, atime, mtime, keep_a, keep_m);
    return err == -EROFS && in->type == INODE_CHARDEV ? 0 : err;       /* touch /dev/null works on Linux */
}

static long futimens_call(struct file *f, const struct syscall_args *a)
{
    return f->inode ? utimens_inode(f->inode, a->arg[2]) : -EBADF;
}

/* utimensat(dirfd, path, times[2], flags); a NULL path is futimens on dirfd (Linux). */
long sys_utimensat(const struct syscall_args *a)
{
    int flags = (int)a->arg[3];
    struct inode *in;
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    if (!a->arg[1])
        return fd_call(a, futimens_call);
    long err = resolve_user_path((int)a->arg[0], a->arg[1], !(flags & AT_SYMLINK_NOFOLLOW), &in);
    if (err)
        return err;
    err = utimens_inode(in, a->arg[2]);
    inode_put(in);
    return err;
}

/* ---- statfs ---- */

#define RAMFS_MAGIC     0x858458f6      /* f_type of Linux's ramfs/tmpfs family */
#define PROC_SUPER_MAGIC 0x9fa0
#define FS_NAME_LEN     NAME_MAX

struct linux_statfs {           /* Linux x86_64's struct statfs, 120 bytes */
    int64_t type, bsize;
    uint64_t blocks, bfree, bavail, files, ffree;
    int32_t fsid[2];
    int64_t namelen, frsize, flags, spare[4];
};

_Static_assert(sizeof(struct linux_statfs) == 120, "struct statfs layout");

static long put_statfs(struct inode *in, uint64_t ubuf)
{
    struct linux_statfs st = { .bsize = PAGE_SIZE, .frsize = PAGE_SIZE, .namelen = FS_NAME_LEN };
    if (in->ops) {
        st.type = PROC_SUPER_MAGIC;
    } else {
        uint64_t free = fs_bytes_free();
        st.type = RAMFS_MAGIC;
        st.blocks = FS_BYTES_MAX / PAGE_SIZE;
        st.bfree = st.bavail = free / PAGE_SIZE;
        st.files = FS_BYTES_MAX / sizeof(struct inode);
        st.ffree = free / sizeof(struct inode);
    }
    return copy_to_user(ubuf, &st, sizeof st) ? -EFAULT : 0;
}

static long statfs_call(struct inode *in, const struct syscall_args *a)
{
    return put_statfs(in, a->arg[1]);
}

long sys_statfs(const struct syscall_args *a)
{
    return path_call(a, statfs_call);
}

static long fstatfs_call(struct file *f, const struct syscall_args *a)
{
    struct inode *root = fs_root();     /* a pipe or socket: the tree's figures, as good as any */
    return put_statfs(f->inode ? f->inode : root, a->arg[1]);
}

long sys_fstatfs(const struct syscall_args *a)
{
    return fd_call(a, fstatfs_call);
}
