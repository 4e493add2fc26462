/*
 * Green threads (<green.h>) on our libc on Linux: the cases of
 * tests/user/green_cases.h, which pass in our kernel too
 * (tests/user/test_lab_green.c).
 */
#include "check.h"
#include "../../user/green_cases.h"

int main(void)
{
    RUN(green_runs_and_joins);
    RUN(green_round_robin);
    RUN(green_one_kernel_thread);
    RUN(green_stacks_are_separate);
    RUN(green_registers_kept);
    RUN(green_exit_nested);
    RUN(green_blocking_call_blocks_all);
    RUN(green_join_errors);
    RUN(green_many_made_and_joined);
    RUN(green_per_kernel_thread);
    return failures != 0;
}
