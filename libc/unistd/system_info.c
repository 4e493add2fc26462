/* sysinfo, prctl, getgroups, sync, fdatasync: small system calls of the process's environment. */
#include <stdarg.h>
#include <sys/prctl.h>
#include <sys/sysinfo.h>
#include <unistd.h>
#include "../internal/syscall.h"

_Static_assert(sizeof(struct sysinfo) == sizeof(struct abi_sysinfo), "struct sysinfo is the kernel's");

int sysinfo(struct sysinfo *info)
{
    return (int)SYSCALL1(SYS_sysinfo, info);
}

int prctl(int option, ...)
{
    va_list ap;
    va_start(ap, option);
    unsigned long arg2 = va_arg(ap, unsigned long);
    va_end(ap);
    return (int)SYSCALL2(SYS_prctl, option, arg2);
}

int getgroups(int size, gid_t list[])
{
    return (int)SYSCALL2(SYS_getgroups, size, list);
}

void sync(void)
{
    __syscall0(SYS_sync);
}

int fdatasync(int fd)
{
    return (int)SYSCALL1(SYS_fdatasync, fd);
}
