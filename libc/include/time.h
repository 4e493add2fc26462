/*
 * Time.  There are no time zones: local time is UTC.  CLOCKS_PER_SEC is
 * POSIX's fixed 1000000.
 */
#ifndef _TIME_H
#define _TIME_H

#include <bits/types.h>
#include <stddef.h>

#define CLOCKS_PER_SEC 1000000L

#include <abi/time.h>       /* CLOCK_* and TIMER_ABSTIME, shared with the kernel */

struct tm {
    int tm_sec;     /* 0-60 */
    int tm_min;     /* 0-59 */
    int tm_hour;    /* 0-23 */
    int tm_mday;    /* 1-31 */
    int tm_mon;     /* 0-11 */
    int tm_year;    /* years since 1900 */
    int tm_wday;    /* 0-6, Sunday = 0 */
    int tm_yday;    /* 0-365 */
    int tm_isdst;
    long tm_gmtoff;
    const char *tm_zone;
};

time_t time(time_t *result);
clock_t clock(void);
double difftime(time_t end, time_t start);
int nanosleep(const struct timespec *request, struct timespec *remaining);
int clock_gettime(clockid_t clock, struct timespec *result);
int clock_getres(clockid_t clock, struct timespec *result);
int clock_getcpuclockid(pid_t pid, clockid_t *clock);
int clock_nanosleep(clockid_t clock, int flags, const struct timespec *request,
                    struct timespec *remaining);

struct tm *gmtime(const time_t *t);
struct tm *gmtime_r(const time_t *t, struct tm *result);
struct tm *localtime(const time_t *t);
struct tm *localtime_r(const time_t *t, struct tm *result);
time_t mktime(struct tm *tm);
time_t timegm(struct tm *tm);
char *asctime(const struct tm *tm);
char *asctime_r(const struct tm *tm, char *buf);
char *ctime(const time_t *t);
char *ctime_r(const time_t *t, char *buf);
size_t strftime(char *buf, size_t size, const char *fmt, const struct tm *tm);

#endif
