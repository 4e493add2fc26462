/*
 * The device nodes of /dev on the Linux host: the cases of
 * tests/user/dev_cases.h with our libc on Linux's kernel, the reference
 * our kernel (tests/user/test_dev.c) must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/dev_cases.h"

int main(void)
{
    RUN(dev_null);
    RUN(dev_zero_and_full);
    RUN(dev_random);
    RUN(dev_numbers);
    return failures != 0;
}
