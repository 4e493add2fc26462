/*
 * The wall clock (issue 13): the cases of clock_cases.h, which pass on
 * the Linux host too (CLOCK_REALTIME is today's date from the CMOS clock,
 * gettimeofday and time agree, waits until CLOCK_REALTIME deadlines end
 * then), and hostile arguments.
 */
#include "utest.h"
#include "clock_cases.h"

#define BAD_ADDR 0xffff800000000000UL   /* a kernel address: EFAULT */

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(clock_realtime_is_today)
SHARED(clock_sem_deadline)
SHARED(clock_cond_deadline)
SHARED(clock_mq_deadline)
SHARED(clock_nanosleep_cases)
SHARED(clock_nanosleep_time_left)

static void hostile_arguments(void)
{
    CHECK(syscall(SYS_gettimeofday, BAD_ADDR, 0) == -1 && errno == EFAULT, "gettimeofday into the kernel");
    CHECK(syscall(SYS_gettimeofday, 0, BAD_ADDR) == -1 && errno == EFAULT, "a bad time zone");
    CHECK(syscall(SYS_gettimeofday, 0, 0) == 0, "nothing asked");
    CHECK(syscall(SYS_time, BAD_ADDR) == -1 && errno == EFAULT, "time into the kernel");
    CHECK(syscall(SYS_time, 0) > CLOCK_2024, "time(NULL)");
    CHECK(syscall(SYS_clock_gettime, 99, BAD_ADDR) == -1 && errno == EINVAL, "a bad clock");
}

/* What the first run of a case leaves (the harness's own first pages), before the leak check counts. */
static void warm_up(void)
{
    (void)clock_realtime_is_today();
}

int main(void)
{
    printf("test_clock: the wall clock: CLOCK_REALTIME, gettimeofday, time, CLOCK_REALTIME deadlines\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN_SHARED(clock_realtime_is_today);
    RUN_SHARED(clock_sem_deadline);
    RUN_SHARED(clock_cond_deadline);
    RUN_SHARED(clock_mq_deadline);
    RUN_SHARED(clock_nanosleep_cases);
    RUN_SHARED(clock_nanosleep_time_left);
    RUN(hostile_arguments);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
