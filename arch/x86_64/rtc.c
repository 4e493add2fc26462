/*
 * The CMOS real-time clock (MC146818 and its descendants), read once at
 * boot for the wall clock (kernel/time.c).  Its registers sit behind an
 * index port and a data port.  The chip updates them once a second; a read
 * during the update may mix two seconds, so we wait while "update in
 * progress" is set, read all fields, and read again until two rounds agree.
 * The fields are BCD unless status register B says binary, and the hour
 * may be 12-hour with the PM bit.  The century register (0x32) is what
 * PCs and QEMU have; without a plausible one the year is taken as 20YY.
 */
#include <arch/timer.h>
#include <stdbool.h>
#include "x86.h"

#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define NMI_DISABLE     0x80    /* set in the index: keep NMIs off while we select a register */

enum cmos_register {
    REG_SECONDS = 0x00, REG_MINUTES = 0x02, REG_HOURS = 0x04, REG_DAY = 0x07, REG_MONTH = 0x08,
    REG_YEAR = 0x09, REG_STATUS_A = 0x0a, REG_STATUS_B = 0x0b, REG_CENTURY = 0x32,
};

#define STATUS_A_UPDATING   0x80
#define STATUS_B_24_HOUR    0x02
#define STATUS_B_BINARY     0x04
#define HOUR_PM             0x80
#define DEFAULT_CENTURY     20
#define MAX_ROUNDS          8   /* reads that disagree before we take the last one */

#define SECONDS_PER_DAY     86400ull
#define DAYS_FROM_CE_TO_EPOCH 719468    /* days from 0000-03-01 to 1970-01-01 (the civil-date algorithm's origin) */

struct rtc_fields {
    unsigned seconds, minutes, hours, day, month, year, century;
};

static uint8_t cmos_read(enum cmos_register r)
{
    outb(CMOS_INDEX, NMI_DISABLE | r);
    return inb(CMOS_DATA);
}

static void read_fields(struct rtc_fields *f)
{
    while (cmos_read(REG_STATUS_A) & STATUS_A_UPDATING)
        ;
    *f = (struct rtc_fields){ cmos_read(REG_SECONDS), cmos_read(REG_MINUTES), cmos_read(REG_HOURS),
                              cmos_read(REG_DAY), cmos_read(REG_MONTH), cmos_read(REG_YEAR),
                              cmos_read(REG_CENTURY) };
}

static bool same(const struct rtc_fields *a, const struct rtc_fields *b)
{
    return a->seconds == b->seconds && a->minutes == b->minutes && a->hours == b->hours &&
           a->day == b->day && a->month == b->month && a->year == b->year && a->century == b->century;
}

static unsigned from_bcd(unsigned v)
{
    return (v >> 4) * 10 + (v & 0x0f);
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian; Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - DAYS_FROM_CE_TO_EPOCH;
}

uint64_t rtc_unix_seconds(void)
{
    struct rtc_fields f, again;
    read_fields(&again);
    int rounds = 0;
    do {
        f = again;
        read_fields(&again);
    } while (!same(&f, &again) && ++rounds < MAX_ROUNDS);
    uint8_t status_b = cmos_read(REG_STATUS_B);
    bool pm = f.hours & HOUR_PM;
    f.hours &= ~HOUR_PM;
    if (!(status_b & STATUS_B_BINARY)) {
        f.seconds = from_bcd(f.seconds), f.minutes = from_bcd(f.minutes), f.hours = from_bcd(f.hours);
        f.day = from_bcd(f.day), f.month = from_bcd(f.month), f.year = from_bcd(f.year);
        f.century = from_bcd(f.century);
    }
    if (!(status_b & STATUS_B_24_HOUR))
        f.hours = f.hours % 12 + (pm ? 12 : 0);     /* 12 AM is 0, 12 PM is 12 */
    unsigned century = f.century >= 19 && f.century <= 99 ? f.century : DEFAULT_CENTURY;
    if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31)
        return 0;                                   /* no clock there: the epoch */
    int64_t days = days_from_civil((int64_t)(century * 100 + f.year), f.month, f.day);
    return days < 0 ? 0 : (uint64_t)days * SECONDS_PER_DAY + f.hours * 3600ull + f.minutes * 60ull + f.seconds;
}
