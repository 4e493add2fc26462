/*
 * Small calls of a process's environment (issue 13): the cases of
 * sysenv_cases.h, which pass on the Linux host too, bad pointers, and the
 * permission bits umask keeps.
 */
#include "utest.h"
#include "sysenv_cases.h"

#define BAD_ADDR 0xffff800000000000UL   /* a kernel address: EFAULT */

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(se_umask)
SHARED(se_fsync)
SHARED(se_getgroups)
SHARED(se_sysinfo)
SHARED(se_prctl_names)
SHARED(se_sigchld)
SHARED(se_subreaper)

static void hostile_arguments(void)
{
    CHECK(sysinfo((struct sysinfo *)BAD_ADDR) == -1 && errno == EFAULT, "sysinfo into the kernel");
    CHECK(prctl(PR_SET_NAME, BAD_ADDR) == -1 && errno == EFAULT, "a name from the kernel");
    CHECK(prctl(PR_GET_NAME, BAD_ADDR) == -1 && errno == EFAULT, "a name into the kernel");
    CHECK(umask(0xffffffff) == 022 && umask(022) == 0777, "only the permission bits are kept");
}

/* What the first runs leave in this process (the harness's first pages), before the leak check counts. */
static void warm_up(void)
{
    (void)se_sigchld();
}

int main(void)
{
    printf("test_sysenv: umask, fsync, sync, getgroups, sysinfo, prctl names\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN_SHARED(se_umask);
    RUN_SHARED(se_fsync);
    RUN_SHARED(se_getgroups);
    RUN_SHARED(se_sysinfo);
    RUN_SHARED(se_prctl_names);
    RUN_SHARED(se_sigchld);
    RUN_SHARED(se_subreaper);
    RUN(hostile_arguments);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
