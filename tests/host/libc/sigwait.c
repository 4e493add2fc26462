/*
 * sigwait, sigwaitinfo and sigtimedwait on the Linux host: the cases of
 * tests/user/sigwait_cases.h with our libc on Linux's kernel, the
 * reference our kernel (tests/user/test_sigwait.c) must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/sigwait_cases.h"

int main(void)
{
    RUN(sw_kill_self);
    RUN(sw_timeouts);
    RUN(sw_siginfo);
    RUN(sw_from_child);
    RUN(sw_from_thread);
    RUN(sw_kill_wakes_waiter);
    RUN(sw_eintr);
    RUN(sw_bad_arguments);
    RUN(sw_blocked_fatal_waits);
    return failures != 0;
}
