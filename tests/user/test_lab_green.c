/*
 * Lab green (docs/labs/green.md): a thread library in user space, the
 * many-to-one model next to our one-to-one pthreads.  Graded through what
 * programs see: the cases of green_cases.h (which pass on the Linux host
 * too: the library is user space only), and the kernel's own view, that
 * a green switch never enters it.
 */
#include "utest.h"
#include "green_cases.h"

#define SHARED(name) static void name##_run(void) { (void)name(); }
SHARED(green_runs_and_joins)
SHARED(green_round_robin)
SHARED(green_one_kernel_thread)
SHARED(green_stacks_are_separate)
SHARED(green_registers_kept)
SHARED(green_exit_nested)
SHARED(green_blocking_call_blocks_all)
SHARED(green_join_errors)
SHARED(green_many_made_and_joined)
SHARED(green_per_kernel_thread)

#define PING_PONGS      1000
#define TICK_SWITCHES   100     /* kernel switches the measurement may see anyway: ticks, the watchdog */

static void *green_ping_pong(void *unused)
{
    (void)unused;
    for (int i = 0; i < PING_PONGS; i++)
        green_yield();
    return NULL;
}

static uint64_t kernel_switches(void)
{
    struct os_switch_stats s;
    CHECK(syscall(SYS_os_switch_stats, &s) == 0, "SYS_os_switch_stats: %s", strerror(errno));
    return s.switches;
}

/* Two thousand green switches take no kernel switch (a few ticks' worth may happen meanwhile). */
static void green_switch_enters_no_kernel(void)
{
    green_t *a, *b;
    GREEN_CREATE(&a, green_ping_pong, NULL);
    GREEN_CREATE(&b, green_ping_pong, NULL);
    uint64_t before = kernel_switches();
    GREEN_JOIN(a, NULL);                /* a and b yield to each other until both end */
    GREEN_JOIN(b, NULL);
    uint64_t after = kernel_switches();
    uint64_t switches = after - before;
    CHECK(switches < TICK_SWITCHES, "%d green switches took %llu kernel switches", 2 * PING_PONGS,
          (unsigned long long)switches);
}

int main(void)
{
    RUN(green_runs_and_joins_run);
    RUN(green_round_robin_run);
    RUN(green_one_kernel_thread_run);
    RUN(green_stacks_are_separate_run);
    RUN(green_registers_kept_run);
    RUN(green_exit_nested_run);
    RUN(green_blocking_call_blocks_all_run);
    RUN(green_join_errors_run);
    RUN(green_many_made_and_joined_run);
    RUN(green_per_kernel_thread_run);
    RUN(green_switch_enters_no_kernel);
    return utest_finish();
}
