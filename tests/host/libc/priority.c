/*
 * Priorities on our libc against Linux's kernel: the cases of
 * tests/user/priority_cases.h, which our kernel passes too
 * (tests/user/test_lab_sched.c).
 */
#include "check.h"
#include "../../user/priority_cases.h"

int main(void)
{
    RUN(prio_set_and_get);
    RUN(prio_clamped);
    RUN(prio_nice_adds);
    RUN(prio_errors);
    RUN(prio_inherited);
    RUN(prio_of_another);
    RUN(prio_group);
    return failures != 0;
}
