/*
 * stat: the scheduler's and the MMU's counters (SYS_os_switch_stats) in a
 * table: context switches and how many of them stayed in one process or
 * touched a kernel thread (neither writes CR3), address-space activations
 * (CR3 writes) and whether they flushed the TLB, single-page flushes, and
 * whether PCIDs are on.  stat -r zeroes the counters first (for a
 * benchmark: stat -r; run it; stat).  On a kernel without these calls
 * (Linux) it reports the error and exits 1.
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
    row("context switches", s->switches, 0, NULL);
    row("  within one process", s->same_process_switches, s->switches, "switches");
    row("  to/from kernel threads", s->kernel_thread_switches, s->switches, "switches");
    row("  between processes", other, s->switches, "switches");
    row("CR3 writes", s->cr3_writes, 0, NULL);
    row("  that flushed the TLB", s->cr3_flushes, s->cr3_writes, "CR3 writes");
    row("  that kept it (PCID)", s->cr3_noflush, s->cr3_writes, "CR3 writes");
    row("single-page flushes", s->page_flushes, 0, NULL);
    printf("%-26s %12s\n", "PCID", s->pcid_enabled ? "on" : "off");
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
    return 0;
}
