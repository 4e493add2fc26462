/* File descriptor I/O: thin wrappers over the system calls of the same names. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <abi/termios.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <unistd.h>
#include "../internal/libc.h"
#include "../internal/syscall.h"


/* open's third argument exists only when a file may be created. */
static mode_t creation_mode(int flags, va_list ap)
{
    return (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = creation_mode(flags, ap);
    va_end(ap);
    return (int)SYSCALL3(SYS_open, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = creation_mode(flags, ap);
    va_end(ap);
    return (int)SYSCALL4(SYS_openat, dirfd, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
    return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

ssize_t read(int fd, void *buf, size_t count)
{
    return SYSCALL3(SYS_read, fd, buf, count);
}

ssize_t write(int fd, const void *buf, size_t count)
{
    return SYSCALL3(SYS_write, fd, buf, count);
}

ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
    return SYSCALL4(SYS_pread64, fd, buf, count, offset);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    return SYSCALL4(SYS_pwrite64, fd, buf, count, offset);
}

ssize_t readv(int fd, const struct iovec *iov, int count)
{
    return SYSCALL3(SYS_readv, fd, iov, count);
}

ssize_t writev(int fd, const struct iovec *iov, int count)
{
    return SYSCALL3(SYS_writev, fd, iov, count);
}

int libc_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int close(int fd)
{
    return (int)SYSCALL1(SYS_close, fd);
}

off_t lseek(int fd, off_t offset, int whence)
{
    return SYSCALL3(SYS_lseek, fd, offset, whence);
}

int dup(int fd)
{
    return (int)SYSCALL1(SYS_dup, fd);
}

int dup2(int fd, int target)
{
    return (int)SYSCALL2(SYS_dup2, fd, target);
}

int dup3(int fd, int target, int flags)
{
    return (int)SYSCALL3(SYS_dup3, fd, target, flags);
}

int pipe(int fds[2])
{
    return (int)SYSCALL1(SYS_pipe, fds);
}

int pipe2(int fds[2], int flags)
{
    return (int)SYSCALL2(SYS_pipe2, fds, flags);
}

/* Every fcntl command we support takes one integer argument or none. */
int fcntl(int fd, int command, ...)
{
    va_list ap;
    va_start(ap, command);
    long arg = va_arg(ap, long);
    va_end(ap);
    return (int)SYSCALL3(SYS_fcntl, fd, command, arg);
}

int ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return (int)SYSCALL3(SYS_ioctl, fd, request, arg);
}

/* A terminal is whatever answers TCGETS (into the kernel's 36 bytes); errno is ENOTTY (or EBADF) otherwise. */
int isatty(int fd)
{
    struct kernel_termios t;
    return ioctl(fd, TCGETS, &t) == 0;
}

int fsync(int fd)
{
    return (int)SYSCALL1(SYS_fsync, fd);
}

int truncate(const char *path, off_t length)
{
    return (int)SYSCALL2(SYS_truncate, path, length);
}

int ftruncate(int fd, off_t length)
{
    return (int)SYSCALL2(SYS_ftruncate, fd, length);
}

ssize_t getrandom(void *buf, size_t length, unsigned int flags)
{
    return SYSCALL3(SYS_getrandom, buf, length, flags);
}
