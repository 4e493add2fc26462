/*
 * The CPU_* macros under the host's glibc: prints the results of
 * tests/host/libc/cpu_macros.h, one a line, for test_libc_affinity to
 * compare with its own (built with our <sched.h>).  A helper, not a test:
 * its name does not start with test_, so the runner does not run it.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include "../cpu_macros.h"

int main(void)
{
    long out[CPU_MACRO_RESULTS_MAX];
    const char *names[CPU_MACRO_RESULTS_MAX];
    int n = cpu_macro_results(out, names);
    for (int i = 0; i < n; i++)
        printf("%ld\n", out[i]);
    return n > 0 ? 0 : 1;
}
