/*
 * CPU affinity on our libc, against what Linux gives: the CPU_* macros
 * against glibc's (the helper cpu_macros_glibc prints glibc's results),
 * sysconf against the host's count of online CPUs, and the cases of
 * tests/user/affinity_cases.h, which our kernel passes too
 * (tests/user/test_affinity.c).
 */
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "cpu_macros.h"
#include "../../user/affinity_cases.h"

#define GLIBC_HELPER    "cpu_macros_glibc"                  /* next to this test's binary */
#define ONLINE_FILE     "/sys/devices/system/cpu/online"    /* glibc's source: "0-1", "0,2-5" */
#define SELF_EXE        "/proc/self/exe"
#define PATH_BUF        512

static const char *self_path;           /* argv[0] */

/* Our macros' results against glibc's, one by one. */
static int macros_match_glibc(void)
{
    long ours[CPU_MACRO_RESULTS_MAX];
    const char *names[CPU_MACRO_RESULTS_MAX];
    int n = cpu_macro_results(ours, names);
    CHECK(n > 0 && n <= CPU_MACRO_RESULTS_MAX, "%d results", n);
    char cmd[PATH_BUF];
    const char *slash = strrchr(self_path, '/');
    int dir = slash ? (int)(slash - self_path + 1) : 0;
    snprintf(cmd, sizeof cmd, "%.*s%s", dir, self_path, GLIBC_HELPER);
    FILE *glibc = popen(cmd, "r");
    CHECK(glibc, "popen %s", cmd);
    int i = 0;
    long theirs;
    for (; i < n && fscanf(glibc, "%ld", &theirs) == 1; i++)
        CHECK(theirs == ours[i], "%s: %ld here, %ld in glibc", names[i], ours[i], theirs);
    int status = pclose(glibc);
    CHECK(i == n && status == 0, "%s gave %d results of %d (status %#x)", cmd, i, n, status);
    return 1;
}

/* CPUs in a list such as "0-3,6" (the format of ONLINE_FILE), or -1. */
static long count_cpu_list(const char *list)
{
    long count = 0, lo, hi;
    int used;
    while (sscanf(list, "%ld%n", &lo, &used) == 1) {
        list += used;
        hi = lo;
        if (*list == '-' && sscanf(list + 1, "%ld%n", &hi, &used) == 1)
            list += 1 + used;
        count += hi - lo + 1;
        if (*list != ',')
            break;
        list++;
    }
    return count ? count : -1;
}

/* sysconf counts the host's online CPUs, as glibc reads them. */
static int sysconf_counts_host_cpus(void)
{
    FILE *f = fopen(ONLINE_FILE, "r");
    CHECK(f, "open %s", ONLINE_FILE);
    char line[PATH_BUF] = "";
    fgets(line, sizeof line, f);
    fclose(f);
    long host = count_cpu_list(line);
    CHECK(host > 0, "%s: '%s'", ONLINE_FILE, line);
    CHECK(sysconf(_SC_NPROCESSORS_ONLN) == host, "sysconf says %ld, %s %ld",
          sysconf(_SC_NPROCESSORS_ONLN), ONLINE_FILE, host);
    int cpu = sched_getcpu();
    CHECK(cpu >= 0 && cpu < host, "sched_getcpu %d of %ld", cpu, host);
    return 1;
}

int main(int argc, char **argv)
{
    aff_exec_mode(argc, argv);
    self_path = argv[0];
    aff_exec_path = SELF_EXE;
    RUN(macros_match_glibc);
    RUN(sysconf_counts_host_cpus);
    RUN(aff_self_has_every_cpu);
    RUN(aff_raw_call_returns_its_size);
    RUN(aff_get_errors);
    RUN(aff_set_errors);
    RUN(aff_pinned_runs_there);
    RUN(aff_short_and_wide_masks);
    RUN(aff_getcpu);
    RUN(aff_per_thread);
    RUN(aff_inherited);
    RUN(aff_kept_across_exec);
    RUN(aff_of_child_process);
    return failures != 0;
}
