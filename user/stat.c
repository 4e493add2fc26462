/*
 * stat: the scheduler's and the MMU's counters (SYS_os_switch_stats) in a
 * table: context switches and how many of them stayed in one process or
 * touched a kernel thread (neither writes CR3), address-space activations
 * (CR3 writes) and whether they flushed the TLB, single-page flushes,
 * whether PCIDs are on, and the multiprocessor side: migrations, IPIs,
 * TLB shootdowns and the shootdowns avoided because no other CPU held the
 * address space.  Then one line per CPU (SYS_os_cpu_stats).  stat -r
 * zeroes the counters first (for a benchmark: stat -r; run it; stat).  On
 * a kernel without these calls (Linux) it reports the error and exits 1.
 */
#include <abi/os.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PERCENT 100.0

/* part as a percentage of whole, 0 when whole is 0. */
static double share(uint64_t part, uint64_t whole)
{
    return whole ? PERCENT * (double)part / (double)whole : 0.0;
}

static void row(const char *what, uint64_t value, uint64_t of, const char *of_what)
{
    if (of_what)
        printf("%-26s %12llu  %5.1f%% of %s\n", what, (unsigned long long)value, share(value, of), of_what);
    else
        printf("%-26s %12llu\n", what, (unsigned long long)value);
}

static void print_table(const struct os_switch_stats *s)
{
    uint64_t other = s->switches - s->same_process_switches - s->kernel_thread_switches;
    uint64_t changes = s->shootdowns + s->shootdowns_avoided;
    row("context switches", s->switches, 0, NULL);
    row("  within one process", s->same_process_switches, s->switches, "switches");
    row("  to/from kernel threads", s->kernel_thread_switches, s->switches, "switches");
    row("  between processes", other, s->switches, "switches");
    row("CR3 writes", s->cr3_writes, 0, NULL);
    row("  that flushed the TLB", s->cr3_flushes, s->cr3_writes, "CR3 writes");
    row("  that kept it (PCID)", s->cr3_noflush, s->cr3_writes, "CR3 writes");
    row("single-page flushes", s->page_flushes, 0, NULL);
    printf("%-26s %12s\n", "PCID", s->pcid_enabled ? "on" : "off");
    row("CPUs", s->cpus, 0, NULL);
    row("migrations", s->migrations, 0, NULL);
    row("IPIs sent", s->ipis_sent, 0, NULL);
    row("unmaps/protects", changes, 0, NULL);
    row("  that shot down", s->shootdowns, changes, "changes");
    row("  that needed no IPI", s->shootdowns_avoided, changes, "changes");
    row("shootdown IPIs", s->shootdown_ipis, 0, NULL);
}

/* One line per CPU; the header names the columns of struct os_cpu_stats. */
static int print_cpus(uint64_t cpus)
{
    printf("\n%3s %9s %9s %8s %8s %6s %8s %8s %8s %8s %8s %6s\n", "CPU", "switches", "in-proc",
           "CR3", "flushes", "migr", "IPI-sent", "IPI-recv", "shootdn", "avoided", "done", "idle%");
    for (uint64_t cpu = 0; cpu < cpus; cpu++) {
        struct os_cpu_stats c;
        if (syscall(SYS_os_cpu_stats, (unsigned)cpu, &c) < 0) {
            fprintf(stderr, "stat: cannot read CPU %llu's counters: %s\n", (unsigned long long)cpu,
                    strerror(errno));
            return 1;
        }
        printf("%3llu %9llu %9llu %8llu %8llu %6llu %8llu %8llu %8llu %8llu %8llu %5.1f%%\n",
               (unsigned long long)cpu, (unsigned long long)c.switches,
               (unsigned long long)c.same_process_switches, (unsigned long long)c.cr3_writes,
               (unsigned long long)c.cr3_flushes, (unsigned long long)c.migrations,
               (unsigned long long)c.ipis_sent, (unsigned long long)c.ipis_received,
               (unsigned long long)c.shootdowns, (unsigned long long)c.shootdowns_avoided,
               (unsigned long long)c.shootdowns_done, share(c.idle_ticks, c.ticks));
    }
    return 0;
}

int main(int argc, char **argv)
{
    int reset = 0, opt;
    while ((opt = getopt(argc, argv, "r")) != -1) {
        if (opt != 'r') {
            fprintf(stderr, "usage: stat [-r]\n");
            return 2;
        }
        reset = 1;
    }
    if (reset && syscall(SYS_os_reset_stats) < 0) {
        fprintf(stderr, "stat: cannot reset the counters: %s\n", strerror(errno));
        return 1;
    }
    struct os_switch_stats s;
    if (syscall(SYS_os_switch_stats, &s) < 0) {
        fprintf(stderr, "stat: cannot read the counters: %s\n", strerror(errno));
        return 1;
    }
    print_table(&s);
    return print_cpus(s.cpus);
}
