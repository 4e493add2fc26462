/*
 * Clocks and sleeping, all on clock_gettime and nanosleep.  (No vDSO: every
 * reading is a system call.)
 */
#include <errno.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "../internal/pthread.h"
#include "../internal/syscall.h"

#define NSEC_PER_SEC  1000000000L
#define NSEC_PER_USEC 1000L
#define USEC_PER_SEC  1000000L

int clock_gettime(clockid_t clock, struct timespec *result)
{
    return (int)SYSCALL2(SYS_clock_gettime, clock, result);
}

int clock_getres(clockid_t clock, struct timespec *result)
{
    return (int)SYSCALL2(SYS_clock_getres, clock, result);
}

int nanosleep(const struct timespec *request, struct timespec *remaining)
{
    cancel_point_begin();
    int r = (int)SYSCALL2(SYS_nanosleep, request, remaining);
    cancel_point_end();
    return r;
}

/* Returns an error number (not -1/errno), as POSIX specifies for this one. */
int clock_nanosleep(clockid_t clock, int flags, const struct timespec *request,
                    struct timespec *remaining)
{
    return (int)-__syscall4(SYS_clock_nanosleep, clock, flags, request, remaining);
}

time_t time(time_t *result)
{
    struct timespec now = { 0, 0 };
    clock_gettime(CLOCK_REALTIME, &now);
    if (result)
        *result = now.tv_sec;
    return now.tv_sec;
}

int gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;                   /* no time zones: always UTC */
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) < 0)
        return -1;
    if (tv) {
        tv->tv_sec = now.tv_sec;
        tv->tv_usec = now.tv_nsec / NSEC_PER_USEC;
    }
    return 0;
}

/* Processor time used, in CLOCKS_PER_SEC units; -1 if the kernel cannot tell. */
clock_t clock(void)
{
    struct timespec used;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &used) < 0)
        return (clock_t)-1;
    return used.tv_sec * CLOCKS_PER_SEC + used.tv_nsec / (NSEC_PER_SEC / CLOCKS_PER_SEC);
}

double difftime(time_t end, time_t start)
{
    return (double)(end - start);
}

/* Returns the seconds left if a signal cut the sleep short, else 0. */
unsigned int sleep(unsigned int seconds)
{
    struct timespec request = { seconds, 0 }, remaining = { 0, 0 };
    if (nanosleep(&request, &remaining) < 0 && errno == EINTR)
        return (unsigned int)remaining.tv_sec + (remaining.tv_nsec > 0);
    return 0;
}

int usleep(useconds_t microseconds)
{
    struct timespec request = {
        (time_t)(microseconds / USEC_PER_SEC),
        (long)(microseconds % USEC_PER_SEC) * NSEC_PER_USEC,
    };
    return nanosleep(&request, NULL);
}

int getitimer(int which, struct itimerval *value)
{
    return (int)SYSCALL2(SYS_getitimer, which, value);
}

int setitimer(int which, const struct itimerval *value, struct itimerval *old)
{
    return (int)SYSCALL3(SYS_setitimer, which, value, old);
}
