/*
 * Priorities: getpriority, setpriority (<sys/resource.h>) and nice
 * (<unistd.h>).  The raw getpriority call returns 20 - nice so that no
 * priority looks like an error; it is turned back here, as glibc and musl
 * do.  A nice of -1 is a valid result: callers tell it from an error by
 * errno, which these leave alone on success.
 */
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>
#include "../internal/syscall.h"

int getpriority(int which, id_t who)
{
    long raw = SYSCALL2(SYS_getpriority, which, who);
    return raw < 0 ? -1 : PRIO_RAW_BIAS - (int)raw;
}

int setpriority(int which, id_t who, int prio)
{
    return (int)SYSCALL3(SYS_setpriority, which, who, prio);
}

/* The caller's nice value raised by inc (clamped, as setpriority does); the new value, or -1 with errno. */
int nice(int inc)
{
    int saved = errno;
    errno = 0;
    int now = getpriority(PRIO_PROCESS, 0);
    if (now == -1 && errno)
        return -1;
    errno = saved;
    long want = (long)now + inc;        /* an inc near INT_MAX must not wrap */
    if (want < PRIO_MIN)
        want = PRIO_MIN;
    if (want > PRIO_MAX - 1)
        want = PRIO_MAX - 1;
    if (setpriority(PRIO_PROCESS, 0, (int)want) < 0)
        return -1;
    return getpriority(PRIO_PROCESS, 0);
}
