/* Clocks, sleeping and calendar conversions on our libc. */
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define NSEC_PER_SEC 1000000000L
#define SLEEP_NSEC   50000000L      /* 50 ms */

static long elapsed_ns(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * NSEC_PER_SEC + (b->tv_nsec - a->tv_nsec);
}

static int clocks_and_sleep(void)
{
    struct timespec t0, t1, nap = { 0, SLEEP_NSEC };
    CHECK(clock_gettime(CLOCK_MONOTONIC, &t0) == 0, "clock_gettime");
    CHECK(nanosleep(&nap, NULL) == 0, "nanosleep");
    CHECK(clock_gettime(CLOCK_MONOTONIC, &t1) == 0, "clock_gettime");
    CHECK(elapsed_ns(&t0, &t1) >= SLEEP_NSEC, "slept only %ld ns", elapsed_ns(&t0, &t1));
    CHECK(usleep(1000) == 0, "usleep");
    struct timeval tv;
    time_t now = time(NULL);
    CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_sec - now <= 1 && now > 1600000000, "realtime: %ld", (long)now);
    clock_t used = clock();
    for (volatile long i = 0; i < 10000000; i++)
        ;
    CHECK(clock() > used, "clock() counts CPU time");
    CHECK(clock_gettime(99, &t0) == -1, "a bad clock id fails");
    return 1;
}

static int calendar(void)
{
    time_t t = 951782400;           /* 2000-02-29 00:00:00 UTC, a leap day */
    struct tm tm;
    CHECK(gmtime_r(&t, &tm) && tm.tm_year == 100 && tm.tm_mon == 1 && tm.tm_mday == 29 &&
          tm.tm_wday == 2 && tm.tm_yday == 59, "gmtime: %d-%d-%d wday %d yday %d",
          tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_wday, tm.tm_yday);
    tm.tm_mday += 1;                /* mktime normalizes: March 1st */
    CHECK(mktime(&tm) == t + 86400 && tm.tm_mon == 2 && tm.tm_mday == 1, "mktime");
    time_t before = -1;
    CHECK(gmtime_r(&before, &tm) && tm.tm_year == 69 && tm.tm_hour == 23 && tm.tm_sec == 59, "before 1970");
    char buf[64];
    t = 1700000000;
    CHECK(strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %b %j %%", gmtime(&t)) > 0 &&
          strcmp(buf, "2023-11-14 22:13:20 Tue Nov 318 %") == 0, "strftime: \"%s\"", buf);
    CHECK(strcmp(ctime(&t), "Tue Nov 14 22:13:20 2023\n") == 0, "ctime: \"%s\"", ctime(&t));
    CHECK(strftime(buf, 5, "%Y-%m-%d", gmtime(&t)) == 0, "strftime that does not fit returns 0");
    return 1;
}

int main(void)
{
    RUN(clocks_and_sleep);
    RUN(calendar);
    return failures != 0;
}
