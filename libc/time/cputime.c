/* CPU time: times, getrusage, and the CPU-time clocks of other processes (clock_getcpuclockid). */
#include <errno.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <time.h>
#include <abi/cputime.h>
#include "../internal/syscall.h"

clock_t times(struct tms *buf)
{
    return (clock_t)SYSCALL1(SYS_times, buf);
}

int getrusage(int who, struct rusage *usage)
{
    return (int)SYSCALL2(SYS_getrusage, who, usage);
}

/* Process pid's CPU-time clock (0: the caller's); an error number (ESRCH: no such process), not -1/errno. */
int clock_getcpuclockid(pid_t pid, clockid_t *clock)
{
    clockid_t id = CPUCLOCK_MAKE(pid, CPUCLOCK_SCHED);
    if (__syscall2(SYS_clock_getres, id, 0) != 0)
        return ESRCH;
    *clock = id;
    return 0;
}
