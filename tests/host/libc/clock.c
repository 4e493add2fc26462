/*
 * The wall clock on the Linux host: the cases of tests/user/clock_cases.h
 * with our libc on Linux's kernel, the reference our kernel
 * (tests/user/test_clock.c) must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/clock_cases.h"

int main(void)
{
    RUN(clock_realtime_is_today);
    RUN(clock_sem_deadline);
    RUN(clock_cond_deadline);
    RUN(clock_mq_deadline);
    RUN(clock_nanosleep_cases);
    RUN(clock_nanosleep_time_left);
    return failures != 0;
}
