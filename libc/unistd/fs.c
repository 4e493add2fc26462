/* The file system namespace: paths, directories, file status. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "../internal/syscall.h"

int unlink(const char *path)
{
    return (int)SYSCALL1(SYS_unlink, path);
}

int rmdir(const char *path)
{
    return (int)SYSCALL1(SYS_rmdir, path);
}

int link(const char *existing, const char *new_path)
{
    return (int)SYSCALL2(SYS_link, existing, new_path);
}

int linkat(int olddirfd, const char *existing, int newdirfd, const char *new_path, int flags)
{
    return (int)SYSCALL5(SYS_linkat, olddirfd, existing, newdirfd, new_path, flags);
}

/* unlink, or rmdir with AT_REMOVEDIR; a relative path starts at dirfd. */
int unlinkat(int dirfd, const char *path, int flags)
{
    return (int)SYSCALL3(SYS_unlinkat, dirfd, path, flags);
}

/* C's remove(): a file or an empty directory. */
int remove(const char *path)
{
    long r = __syscall1(SYS_unlink, path);
    if (r == -EISDIR)
        r = __syscall1(SYS_rmdir, path);
    return (int)syscall_result(r);
}

int rename(const char *from, const char *to)
{
    return (int)SYSCALL2(SYS_rename, from, to);
}

int mkdir(const char *path, mode_t mode)
{
    return (int)SYSCALL2(SYS_mkdir, path, mode);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
    return (int)SYSCALL3(SYS_mkdirat, dirfd, path, mode);
}

int mknod(const char *path, mode_t mode, dev_t device)
{
    return (int)SYSCALL3(SYS_mknod, path, mode, device);
}

/* A named pipe: open it to read what another process writes into it. */
int mkfifo(const char *path, mode_t mode)
{
    return mknod(path, S_IFIFO | (mode & ~S_IFMT), 0);
}

int chdir(const char *path)
{
    return (int)SYSCALL1(SYS_chdir, path);
}

/* With buf NULL, returns a malloc'ed copy (of at most size bytes, PATH_MAX if 0). */
char *getcwd(char *buf, size_t size)
{
    char *given = buf;
    if (!buf) {
        size = size ? size : PATH_MAX;
        buf = malloc(size);
        if (!buf)
            return NULL;
    } else if (size == 0) {
        errno = EINVAL;
        return NULL;
    }
    if (SYSCALL2(SYS_getcwd, buf, size) < 0) {
        if (!given)
            free(buf);
        return NULL;
    }
    return buf;
}

int access(const char *path, int mode)
{
    return (int)SYSCALL2(SYS_access, path, mode);
}

int stat(const char *path, struct stat *result)
{
    return (int)SYSCALL2(SYS_stat, path, result);
}

int fstat(int fd, struct stat *result)
{
    return (int)SYSCALL2(SYS_fstat, fd, result);
}

int lstat(const char *path, struct stat *result)
{
    return (int)SYSCALL2(SYS_lstat, path, result);
}

int fstatat(int dirfd, const char *path, struct stat *result, int flags)
{
    return (int)SYSCALL4(SYS_newfstatat, dirfd, path, result, flags);
}

int chmod(const char *path, mode_t mode)
{
    return (int)SYSCALL2(SYS_chmod, path, mode);
}

mode_t umask(mode_t mask)
{
    return (mode_t)__syscall1(SYS_umask, mask);
}

int fchmod(int fd, mode_t mode)
{
    return (int)SYSCALL2(SYS_fchmod, fd, mode);
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
    if (flags) {                /* Linux's fchmodat has no flags argument; AT_SYMLINK_NOFOLLOW is unsupported */
        errno = flags == AT_SYMLINK_NOFOLLOW ? EOPNOTSUPP : EINVAL;
        return -1;
    }
    return (int)SYSCALL3(SYS_fchmodat, dirfd, path, mode);
}

int symlink(const char *target, const char *path)
{
    return (int)SYSCALL2(SYS_symlink, target, path);
}

int symlinkat(const char *target, int dirfd, const char *path)
{
    return (int)SYSCALL3(SYS_symlinkat, target, dirfd, path);
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
    return SYSCALL3(SYS_readlink, path, buf, size);
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
    return SYSCALL4(SYS_readlinkat, dirfd, path, buf, size);
}

int chown(const char *path, uid_t owner, gid_t group)
{
    return (int)SYSCALL3(SYS_chown, path, owner, group);
}

int lchown(const char *path, uid_t owner, gid_t group)
{
    return (int)SYSCALL3(SYS_lchown, path, owner, group);
}

int fchown(int fd, uid_t owner, gid_t group)
{
    return (int)SYSCALL3(SYS_fchown, fd, owner, group);
}

int fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags)
{
    return (int)SYSCALL5(SYS_fchownat, dirfd, path, owner, group, flags);
}

int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)
{
    return (int)SYSCALL4(SYS_utimensat, dirfd, path, times, flags);
}

int futimens(int fd, const struct timespec times[2])
{
    return (int)SYSCALL4(SYS_utimensat, fd, NULL, times, 0);
}

int statfs(const char *path, struct statfs *result)
{
    return (int)SYSCALL2(SYS_statfs, path, result);
}

int fstatfs(int fd, struct statfs *result)
{
    return (int)SYSCALL2(SYS_fstatfs, fd, result);
}
