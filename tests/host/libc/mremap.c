/*
 * mremap on the Linux host: the cases of tests/user/mremap_cases.h with our
 * libc on Linux's kernel, the reference our kernel (tests/user/test_vm.c)
 * must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/mremap_cases.h"

int main(void)
{
    RUN(mr_shrink_and_grow_in_place);
    RUN(mr_move);
    RUN(mr_fixed);
    RUN(mr_shared_stays_shared);
    RUN(mr_errors);
    return failures != 0;
}
