/* Asking about the system: uname, sysconf, and the raw syscall() entry. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <abi/auxv.h>
#include <abi/cputime.h>
#include <abi/resource.h>
#include "../internal/libc.h"
#include "../internal/syscall.h"

#define DEFAULT_PAGE_SIZE 4096
#define OPEN_MAX      1024      /* when the kernel will not say (RLIMIT_NOFILE) */
#define SYSCALL_ARGS  6

int uname(struct utsname *result)
{
    return (int)SYSCALL1(SYS_uname, result);
}

int getpagesize(void)
{
    unsigned long size = libc_auxv(AT_PAGESZ);
    return size ? (int)size : DEFAULT_PAGE_SIZE;
}

/* The descriptor limit the kernel enforces (RLIMIT_NOFILE), as Linux's sysconf reports it. */
static long open_max(void)
{
    struct abi_rlimit r;
    if (SYSCALL4(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, &r) == 0 && r.cur != RLIM_INFINITY)
        return (long)r.cur;
    return OPEN_MAX;
}

/* The limits are the kernel's (prlimit64), which it does not let be changed. */
int getrlimit(int resource, struct rlimit *limit)
{
    return (int)SYSCALL4(SYS_prlimit64, 0, resource, 0, limit);
}

int setrlimit(int resource, const struct rlimit *limit)
{
    return (int)SYSCALL4(SYS_prlimit64, 0, resource, limit, 0);
}

/* CPUs configured are CPUs online: the kernel brings up every CPU at boot, and none goes away. */
long sysconf(int name)
{
    switch (name) {
    case _SC_PAGESIZE:          return getpagesize();
    case _SC_CLK_TCK:           return USER_HZ;     /* what times() counts in, on Linux too */
    case _SC_OPEN_MAX:          return open_max();
    case _SC_NPROCESSORS_CONF:
    case _SC_NPROCESSORS_ONLN:  return libc_cpus_online();
    }
    errno = EINVAL;
    return -1;
}

/* syscall(SYS_x, ...): up to six integer arguments; -1 and errno on failure. */
long syscall(long number, ...)
{
    long a[SYSCALL_ARGS];
    va_list ap;
    va_start(ap, number);
    for (int i = 0; i < SYSCALL_ARGS; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    return syscall_result(__syscall6(number, a[0], a[1], a[2], a[3], a[4], a[5]));
}
