/*
 * poll, ppoll, select and pselect on the Linux host: the cases of
 * tests/user/poll_cases.h with our libc on Linux's kernel, the reference
 * our kernel (tests/user/test_poll.c) must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/poll_cases.h"

int main(void)
{
    RUN(pl_pipe_readiness);
    RUN(pl_wakes_on_write);
    RUN(pl_timeouts);
    RUN(pl_closed_and_negative);
    RUN(pl_one_of_many);
    RUN(pl_signals);
    RUN(pl_sibling_closes);
    RUN(pl_hostile_arguments);
    return failures != 0;
}
