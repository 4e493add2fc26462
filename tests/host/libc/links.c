/*
 * Symbolic links, modes, times and statfs on the Linux host: the cases of
 * tests/user/links_cases.h with our libc on Linux's kernel, the reference
 * our kernel (tests/user/test_links.c) must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/links_cases.h"

int main(void)
{
    RUN(ln_basics);
    RUN(ln_walks);
    RUN(ln_long_chain);
    RUN(ln_modes);
    RUN(ln_times);
    RUN(ln_statfs);
    return failures != 0;
}
