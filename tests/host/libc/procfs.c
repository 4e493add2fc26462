/*
 * /proc on the Linux host: the cases of tests/user/procfs_cases.h with our
 * libc on Linux's kernel, the reference our kernel's /proc
 * (tests/user/test_procfs.c) must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/procfs_cases.h"

int main(int argc, char **argv)
{
    (void)argc;
    pc_argv0 = argv[0];
    RUN(pc_self_status);
    RUN(pc_self_stat);
    RUN(pc_threads);
    RUN(pc_self_links);
    RUN(pc_fds);
    RUN(pc_cwd_exe);
    RUN(pc_cmdline);
    RUN(pc_maps);
    RUN(pc_zombie);
    RUN(pc_list);
    RUN(pc_system);
    RUN(pc_read_only);
    return failures != 0;
}
