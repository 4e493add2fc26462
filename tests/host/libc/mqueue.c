/*
 * POSIX message queues on the Linux host: the cases of
 * tests/user/mq_cases.h with our libc on Linux's kernel, the reference our
 * kernel (tests/user/test_mqueue.c) must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/mq_cases.h"

int main(void)
{
    RUN(mq_names);
    RUN(mq_priorities);
    RUN(mq_limits_and_waits);
    RUN(mq_poll_readiness);
    RUN(mq_between_processes);
    return failures != 0;
}
