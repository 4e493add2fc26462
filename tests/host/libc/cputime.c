/*
 * CPU time on the Linux host: the cases of tests/user/cputime_cases.h
 * with our libc on Linux's kernel, the reference our kernel
 * (tests/user/test_cputime.c) must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/cputime_cases.h"

int main(void)
{
    RUN(cpu_busy_loop_is_user);
    RUN(cpu_syscalls_are_system);
    RUN(cpu_sleep_is_free);
    RUN(cpu_sibling_counts_for_process);
    RUN(cpu_preemption_is_involuntary);
    RUN(cpu_children_after_reap);
    RUN(cpu_times_counts);
    RUN(cpu_clock_is_process_time);
    RUN(cpu_clock_of_another_process);
    RUN(cpu_bad_arguments);
    return failures != 0;
}
