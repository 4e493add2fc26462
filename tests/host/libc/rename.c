/*
 * rename on the Linux host: the cases of tests/user/rename_cases.h with our
 * libc on Linux's kernel, the reference our kernel (tests/user/test_rename.c)
 * must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/rename_cases.h"

int main(void)
{
    RUN(rn_files);
    RUN(rn_directories);
    return failures != 0;
}
