/*
 * "#!" scripts on the Linux host: the cases of tests/user/script_cases.h
 * with our libc on Linux's kernel, the reference our kernel
 * (tests/user/test_script.c) must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/script_cases.h"

int main(void)
{
    RUN(sc_interpreter_and_argument);
    RUN(sc_errors);
    return failures != 0;
}
