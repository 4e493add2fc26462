/*
 * Small calls of a process's environment on the Linux host: the cases of
 * tests/user/sysenv_cases.h with our libc on Linux's kernel, the reference
 * our kernel (tests/user/test_sysenv.c) must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/sysenv_cases.h"

int main(void)
{
    RUN(se_umask);
    RUN(se_fsync);
    RUN(se_getgroups);
    RUN(se_sysinfo);
    RUN(se_prctl_names);
    RUN(se_sigchld);
    RUN(se_subreaper);
    return failures != 0;
}
