/*
 * Calendar time: seconds since 1970 <-> broken-down UTC (proleptic
 * Gregorian), and its text forms.  There are no time zones: local time is
 * UTC.  The day/civil-date conversions are Howard Hinnant's algorithms.
 */
#include <stdio.h>
#include <time.h>

#define SECONDS_PER_DAY   86400L
#define SECONDS_PER_HOUR  3600
#define SECONDS_PER_MIN   60
#define DAYS_PER_ERA      146097L   /* 400 Gregorian years */
#define YEARS_PER_ERA     400
#define DAYS_1970_FROM_0000_03_01 719468L
#define EPOCH_WEEKDAY     4         /* 1970-01-01 was a Thursday */
#define TM_YEAR_BASE      1900
#define ASCTIME_SIZE      26
#define COMPOSITE_MAX     64        /* longest expansion of %c, %F ... */

static const char *const weekday_names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const month_names[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
static const char *const weekday_full[] = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};
static const char *const month_full[] = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
};

/* Days since 1970-01-01 of year-month(1..12)-day. */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - (YEARS_PER_ERA - 1)) / YEARS_PER_ERA;
    long yoe = y - era * YEARS_PER_ERA;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * DAYS_PER_ERA + doe - DAYS_1970_FROM_0000_03_01;
}

static void civil_from_days(long z, long *y, int *m, int *d)
{
    z += DAYS_1970_FROM_0000_03_01;
    long era = (z >= 0 ? z : z - (DAYS_PER_ERA - 1)) / DAYS_PER_ERA;
    long doe = z - era * DAYS_PER_ERA;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / (DAYS_PER_ERA - 1)) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * YEARS_PER_ERA + (*m <= 2);
}

struct tm *gmtime_r(const time_t *t, struct tm *tm)
{
    long days = *t / SECONDS_PER_DAY, secs = *t % SECONDS_PER_DAY;
    if (secs < 0)
        secs += SECONDS_PER_DAY, days--;
    long year;
    int month, day;
    civil_from_days(days, &year, &month, &day);
    *tm = (struct tm){
        .tm_sec = (int)(secs % SECONDS_PER_MIN),
        .tm_min = (int)(secs / SECONDS_PER_MIN % 60),
        .tm_hour = (int)(secs / SECONDS_PER_HOUR),
        .tm_mday = day,
        .tm_mon = month - 1,
        .tm_year = (int)(year - TM_YEAR_BASE),
        .tm_wday = (int)(((days + EPOCH_WEEKDAY) % 7 + 7) % 7),
        .tm_yday = (int)(days - days_from_civil(year, 1, 1)),
        .tm_zone = "UTC",
    };
    return tm;
}

struct tm *gmtime(const time_t *t)
{
    static struct tm result;
    return gmtime_r(t, &result);
}

struct tm *localtime_r(const time_t *t, struct tm *tm)
{
    return gmtime_r(t, tm);
}

struct tm *localtime(const time_t *t)
{
    return gmtime(t);
}

/* Normalizes *tm (fields may be out of range) and returns its time. */
time_t timegm(struct tm *tm)
{
    long month = tm->tm_mon, year = tm->tm_year + (long)TM_YEAR_BASE + month / 12;
    month %= 12;
    if (month < 0)
        month += 12, year--;
    time_t t = days_from_civil(year, (int)month + 1, 1) * SECONDS_PER_DAY
             + (tm->tm_mday - 1) * SECONDS_PER_DAY + tm->tm_hour * (long)SECONDS_PER_HOUR
             + tm->tm_min * (long)SECONDS_PER_MIN + tm->tm_sec;
    gmtime_r(&t, tm);
    return t;
}

time_t mktime(struct tm *tm)
{
    return timegm(tm);
}

char *asctime_r(const struct tm *tm, char *buf)
{
    snprintf(buf, ASCTIME_SIZE, "%s %s %2d %02d:%02d:%02d %d\n",
             weekday_names[tm->tm_wday % 7], month_names[tm->tm_mon % 12], tm->tm_mday,
             tm->tm_hour, tm->tm_min, tm->tm_sec, tm->tm_year + TM_YEAR_BASE);
    return buf;
}

char *asctime(const struct tm *tm)
{
    static char buf[ASCTIME_SIZE];
    return asctime_r(tm, buf);
}

char *ctime_r(const time_t *t, char *buf)
{
    struct tm tm;
    return asctime_r(gmtime_r(t, &tm), buf);
}

char *ctime(const time_t *t)
{
    struct tm tm;
    return asctime(gmtime_r(t, &tm));
}

/* The text of one strftime conversion into out (size bytes); its length. */
static int conversion(char c, const struct tm *tm, char *out, size_t size)
{
    switch (c) {
    case 'Y': return snprintf(out, size, "%d", tm->tm_year + TM_YEAR_BASE);
    case 'y': return snprintf(out, size, "%02d", (tm->tm_year + TM_YEAR_BASE) % 100);
    case 'm': return snprintf(out, size, "%02d", tm->tm_mon + 1);
    case 'd': return snprintf(out, size, "%02d", tm->tm_mday);
    case 'e': return snprintf(out, size, "%2d", tm->tm_mday);
    case 'H': return snprintf(out, size, "%02d", tm->tm_hour);
    case 'I': return snprintf(out, size, "%02d", (tm->tm_hour + 11) % 12 + 1);
    case 'M': return snprintf(out, size, "%02d", tm->tm_min);
    case 'S': return snprintf(out, size, "%02d", tm->tm_sec);
    case 'j': return snprintf(out, size, "%03d", tm->tm_yday + 1);
    case 'p': return snprintf(out, size, "%s", tm->tm_hour < 12 ? "AM" : "PM");
    case 'a': return snprintf(out, size, "%s", weekday_names[tm->tm_wday % 7]);
    case 'A': return snprintf(out, size, "%s", weekday_full[tm->tm_wday % 7]);
    case 'b': case 'h': return snprintf(out, size, "%s", month_names[tm->tm_mon % 12]);
    case 'B': return snprintf(out, size, "%s", month_full[tm->tm_mon % 12]);
    case 'u': return snprintf(out, size, "%d", tm->tm_wday ? tm->tm_wday : 7);
    case 'w': return snprintf(out, size, "%d", tm->tm_wday);
    case 'Z': return snprintf(out, size, "UTC");
    case 'z': return snprintf(out, size, "+0000");
    case 's': {
        struct tm copy = *tm;       /* timegm normalizes its argument */
        return snprintf(out, size, "%ld", (long)timegm(&copy));
    }
    case 'n': return snprintf(out, size, "\n");
    case 't': return snprintf(out, size, "\t");
    case '%': return snprintf(out, size, "%%");
    default:  return snprintf(out, size, "%%%c", c);
    }
}

/* The format a composite conversion stands for, or NULL. */
static const char *composite(char c)
{
    switch (c) {
    case 'F': return "%Y-%m-%d";
    case 'T': case 'X': return "%H:%M:%S";
    case 'R': return "%H:%M";
    case 'D': case 'x': return "%m/%d/%y";
    case 'c': return "%a %b %e %H:%M:%S %Y";
    default:  return NULL;
    }
}

/* Returns the length written (NUL excluded), or 0 if it did not fit. */
size_t strftime(char *buf, size_t size, const char *fmt, const struct tm *tm)
{
    size_t n = 0;
    if (size)
        buf[0] = '\0';             /* an empty format still gives a string */
    for (; *fmt; fmt++) {
        int len;
        if (*fmt != '%' || !fmt[1]) {
            len = snprintf(buf + n, size - n, "%c", *fmt);
        } else if (composite(*++fmt)) {
            char expansion[COMPOSITE_MAX];
            strftime(expansion, sizeof expansion, composite(*fmt), tm);
            len = snprintf(buf + n, size - n, "%s", expansion);
        } else {
            len = conversion(*fmt, tm, buf + n, size - n);
        }
        if ((size_t)len >= size - n)
            return 0;
        n += (size_t)len;
    }
    return n;
}
