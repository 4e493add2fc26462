/*
 * bench: what processes and threads cost on this kernel, in TSC cycles,
 * next to what the kernel counted for each operation (switches, CR3
 * writes, CR3 writes that flushed, single-page flushes).
 *
 *   bench              every measurement, as a table
 *   bench -l           list the measurements
 *   bench NAME...      only these
 *   bench -n N         N timed iterations each (default: per measurement, see -l)
 *   bench -c           CSV: operation,param,unit,iterations,median,p10,p90,min,
 *                           switches,cr3_writes,cr3_flushes,page_flushes; before
 *                           the rows a line "# machine,CPU,PCID,TSC" (describe_machine)
 *
 * Method (docs/benchmarks.md): every sample is read with `lfence; rdtsc`
 * on both sides; the cost of an empty measurement (the same loop around
 * nothing) is measured once and subtracted from every sample; the first
 * tenth of the iterations (at most WARMUP_MAX, at least 1) run untimed;
 * the figures are the median, 10th and 90th percentiles and minimum.  The
 * kernel's counters are zeroed after the warm-up and read after the timed
 * loop; they are shown divided by the number of operations.  bench runs
 * pinned to CPU 0, and so do the partners of the round trips, so both
 * sides of a round trip run there (two switches); the rows ending in _x
 * put the partner on CPU 1, and the rows of several CPUs say
 * "unsupported" on a machine with too few.
 *
 * Each measurement runs in a child process of its own, forked from a
 * bench that has done nothing else, so a measurement neither inherits the
 * memory of the ones before it nor takes the run down if it fails.
 *
 * On a Linux host the program runs too (our libc uses Linux's system
 * calls); the kernel's counters and in-kernel timings are then "NA".
 */
#include "bench.h"

#include <sys/mman.h>
#include <green.h>
#include <sys/socket.h>
#include <mqueue.h>
#include <cpuid.h>

#define PAGE_SIZE       4096
#define MIB             (1024 * 1024)
#define THROUGHPUT_READ (64 * 1024)     /* the reader's buffer: it drains what there is */
#define TSC_SAMPLES     5               /* TSC-rate calibrations of TSC_CALIBRATION_NS each */
#define SCRUB_PAGES     512             /* more than a fork of bench takes (scrub_free_pages) */

#define MEASURING_CPU   0               /* bench runs here; same-CPU partners too */
#define PARTNER_CPU     1               /* the cross-CPU rows' partners */

static bool csv;                /* -c */
static int iterations_override; /* -n, 0 if not given */
static double empty_cycles;     /* the measured cost of an empty measurement */
static double tsc_rate;         /* TSC cycles per second, from CLOCK_MONOTONIC */

/* ------------------------------------------------------------------------- */
/* One row of output                                                         */
/* ------------------------------------------------------------------------- */

static void print_header(void)
{
    if (csv) {
        printf("operation,param,unit,iterations,median,p10,p90,min,"
               "switches,cr3_writes,cr3_flushes,page_flushes,shootdown_ipis\n");
        return;
    }
    printf("%-19s %6s %-12s %5s %10s %10s %10s %10s | %8s %8s %8s %8s %8s %8s\n", "operation", "param",
           "unit", "iters", "median", "p10", "p90", "min", "switches", "same-pr", "cr3", "cr3-fl",
           "pg-fl", "sd-ipi");
}

/* A figure: whole numbers for counts of cycles, one decimal for rates. */
static void print_figure(double v, const char *unit, int width)
{
    int decimals = strcmp(unit, "MB/s") == 0 || strcmp(unit, "MHz") == 0 ? 1 : 0;
    if (csv)
        printf("%.*f", decimals, v);
    else
        printf("%*.*f", width, decimals, v);
}

/*
 * Print the row of a finished run: its spread in unit, and its counters
 * divided by ops (the number of operations the unit refers to).
 */
static void report(struct run *r, const char *op, const char *param, const char *unit, double ops)
{
    struct spread s = spread_of(r->samples, r->n);
    printf(csv ? "%s,%s,%s,%d," : "%-19s %6s %-12s %5d ", op, param, unit, r->n);
    double figures[] = { s.median, s.p10, s.p90, s.min };
    for (int i = 0; i < 4; i++) {
        if (i)
            printf(csv ? "," : " ");
        print_figure(figures[i], unit, 10);
    }
    const struct os_switch_stats *c = &r->counters;
    if (csv && r->counted)
        printf(",%.2f,%.2f,%.2f,%.2f,%.2f\n", c->switches / ops, c->cr3_writes / ops, c->cr3_flushes / ops,
               c->page_flushes / ops, c->shootdown_ipis / ops);
    else if (csv)
        printf(",NA,NA,NA,NA,NA\n");
    else if (r->counted)
        printf(" | %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f\n", c->switches / ops, c->same_process_switches / ops,
               c->cr3_writes / ops, c->cr3_flushes / ops, c->page_flushes / ops, c->shootdown_ipis / ops);
    else
        printf(" | %8s %8s %8s %8s %8s %8s\n", "NA", "NA", "NA", "NA", "NA", "NA");
}

/* A row without figures, saying why (no commas: it is a CSV field). */
static void report_unsupported(const char *op, const char *param, const char *unit, const char *why)
{
    if (csv)
        printf("%s,%s,%s,0,unsupported,unsupported,unsupported,unsupported,NA,NA,NA,NA,NA\n", op, param, unit);
    else
        printf("%-19s %6s %-12s %5d unsupported: %s\n", op, param, unit, 0, why);
}

/* ------------------------------------------------------------------------- */
/* The machine the figures come from                                         */
/* ------------------------------------------------------------------------- */

#define CPUID_BRAND_FIRST   0x80000002  /* three leaves of 16 characters each */
#define CPUID_BRAND_LAST    0x80000004
#define CPUID_POWER_MGMT    0x80000007  /* "advanced power management": EDX bit 8, invariant TSC */
#define CPUID_INVARIANT_TSC (1u << 8)
#define CPUID_PCID          (1u << 17)  /* leaf 1, ECX */
#define BRAND_LEN           48

/* The CPU's brand string (CPUID 0x80000002-4), leading spaces dropped, commas made ';' (CSV). */
static void cpu_brand(char out[BRAND_LEN + 1])
{
    unsigned regs[4 * (CPUID_BRAND_LAST - CPUID_BRAND_FIRST + 1)] = { 0 };
    if (__get_cpuid_max(0x80000000, NULL) < CPUID_BRAND_LAST) {
        strcpy(out, "unknown (no brand string)");
        return;
    }
    for (unsigned leaf = CPUID_BRAND_FIRST; leaf <= CPUID_BRAND_LAST; leaf++) {
        unsigned *r = &regs[4 * (leaf - CPUID_BRAND_FIRST)];
        __cpuid(leaf, r[0], r[1], r[2], r[3]);
    }
    const char *text = (const char *)regs;
    while (*text == ' ')
        text++;
    size_t n = strnlen(text, BRAND_LEN);
    memcpy(out, text, n);
    out[n] = '\0';
    for (char *c = out; *c; c++)
        if (*c == ',')
            *c = ';';
}

/* Whether the TSC ticks at one rate whatever the CPU's clock and sleep states do. */
static bool tsc_invariant(void)
{
    unsigned a, b, c, d;
    if (__get_cpuid_max(0x80000000, NULL) < CPUID_POWER_MGMT)
        return false;
    __cpuid(CPUID_POWER_MGMT, a, b, c, d);
    return d & CPUID_INVARIANT_TSC;
}

/*
 * Say which machine the figures come from: the CPU's brand string, whether
 * the kernel ran with PCID (our kernel's counters say; on another kernel
 * only whether the CPU has it), and whether the TSC is invariant: if not,
 * a "cycle" may be a different length from one row to the next (a real CPU
 * changing its clock), and under an emulator it is host time or, with
 * icount, an instruction.  CSV: one "# machine,CPU,PCID,TSC" line, which
 * tools/bench.sh appends to every row of the run.
 */
static void describe_machine(void)
{
    char brand[BRAND_LEN + 1];
    cpu_brand(brand);
    struct os_switch_stats s;
    unsigned a, b, c = 0, d;
    __cpuid(1, a, b, c, d);
    const char *pcid = counters_read(&s) ? (s.pcid_enabled ? "on" : "off")
                     : (c & CPUID_PCID) ? "unknown (not our kernel; the CPU has PCID)"
                     : "off (the CPU has no PCID)";
    bool invariant = tsc_invariant();
    if (csv) {
        printf("# machine,%s,%s,%s\n", brand, pcid, invariant ? "invariant" : "not invariant");
        return;
    }
    printf("bench: CPU %s; PCID %s\n", brand, pcid);
    if (invariant)
        printf("bench: TSC invariant (CPUID 0x80000007): one rate whatever the CPU's clock\n");
    else
        printf("bench: TSC NOT invariant (CPUID 0x80000007 EDX bit 8 clear): its rate may follow the "
               "CPU's clock, so cycles are not comparable across rows on a real CPU; under an emulator "
               "they are host time, or instructions with icount\n");
}

/* ------------------------------------------------------------------------- */
/* Timing a call                                                             */
/* ------------------------------------------------------------------------- */

/* Time op n times and print one row in cycles per call. */
static void time_and_report(int n, op_fn op, void *ctx, const char *name, const char *param)
{
    struct run r;
    run_init(&r, n);
    time_calls(&r, op, ctx, empty_cycles);
    report(&r, name, param, "cycles", n);
    free(r.samples);
}

/*
 * In a new child: let the parent reach its waitpid first.  A timer tick
 * may have preempted it between fork and waitpid; left runnable, it would
 * run inside our measurement and add two process switches to a thread row.
 * On one CPU with a FIFO run queue, one yield runs it until it sleeps.
 */
static void settle(void)
{
    sched_yield();
}

static void die(const char *what)
{
    fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
    fflush(NULL);
    _exit(1);
}

/* ------------------------------------------------------------------------- */
/* The measurements                                                          */
/* ------------------------------------------------------------------------- */

static void bench_empty(int n)
{
    struct run r;
    run_init(&r, n);
    time_calls(&r, op_nothing, NULL, 0);
    report(&r, "empty", "-", "cycles", n);
    free(r.samples);
}

static void bench_tsc(int n)
{
    (void)n;                    /* TSC_SAMPLES, whatever -n says: each takes 10 ms */
    struct run r;
    run_init(&r, TSC_SAMPLES);
    run_start(&r);
    for (int i = 0; i < r.n; i++)
        r.samples[i] = tsc_hz() / 1e6;
    run_stop(&r);
    report(&r, "tsc_rate", "-", "MHz", r.n);
    free(r.samples);
}

static void op_getpid(void *ctx)
{
    (void)ctx;
    getpid();
}

static void bench_getpid(int n)
{
    time_and_report(n, op_getpid, NULL, "getpid", "-");
}

static void op_os_stats(void *ctx)
{
    syscall(SYS_os_stats, (struct os_stats *)ctx);
}

static void bench_os_stats(int n)
{
    struct os_stats s;
    char param[16];
    snprintf(param, sizeof param, "%zu", sizeof s);
    if (syscall(SYS_os_stats, &s) != 0)
        report_unsupported("os_stats", param, "cycles", strerror(errno));
    else
        time_and_report(n, op_os_stats, &s, "os_stats", param);
}

/* --- yield round trips ----------------------------------------------------- */

static void yield_round_trip(int n, enum partner_kind kind, const char *name)
{
    struct partner p;
    yield_stop = 0;
    if (partner_start(&p, kind, yield_loop, NULL) != 0)
        die("cannot start the partner");
    time_and_report(n, op_yield, NULL, name, "-");
    yield_stop = 1;
    partner_stop(&p, true);
}

static void bench_yield_thread(int n)
{
    yield_round_trip(n, PARTNER_THREAD, "yield_thread");
}

static void bench_yield_process(int n)
{
    yield_round_trip(n, PARTNER_PROCESS, "yield_process");
}

/* --- pipe round trips -------------------------------------------------------- */

/*
 * A partner that runs fn(arg) on CPU cpu: the measuring side stays on
 * MEASURING_CPU (main pins bench there), so cpu MEASURING_CPU gives the
 * same-CPU rows and PARTNER_CPU the cross-CPU ones.
 */
struct pinned_call {
    void *(*fn)(void *);
    void *arg;
    int cpu;
};

static void *run_pinned(void *arg)
{
    struct pinned_call *c = arg;
    pin_to(c->cpu);
    return c->fn(c->arg);
}

static void start_pinned(struct partner *p, enum partner_kind kind, struct pinned_call *c)
{
    if (partner_start(p, kind, run_pinned, c) != 0)
        die("cannot start the partner");
}

static void pipe_round_trip(int n, enum partner_kind kind, const char *name, int cpu)
{
    struct pipe_pair pp = { .child = kind == PARTNER_PROCESS };
    struct partner p;
    if (pipe(pp.to) != 0 || pipe(pp.from) != 0)
        die("pipe");
    struct pinned_call call = { pipe_echo, &pp, cpu };
    start_pinned(&p, kind, &call);
    if (kind == PARTNER_PROCESS) {
        close(pp.to[0]);
        close(pp.from[1]);
    }
    time_and_report(n, op_pipe_round_trip, &pp, name, "1");
    close(pp.to[1]);            /* the partner reads end of file and ends */
    partner_stop(&p, false);
    close(pp.from[0]);
    if (kind == PARTNER_THREAD) {
        close(pp.to[0]);
        close(pp.from[1]);
    }
}

static void bench_pipe_thread(int n)
{
    pipe_round_trip(n, PARTNER_THREAD, "pipe_thread", MEASURING_CPU);
}

static void bench_pipe_process(int n)
{
    pipe_round_trip(n, PARTNER_PROCESS, "pipe_process", MEASURING_CPU);
}

/* --- futex round trip between two threads ------------------------------------ */

static void futex_round_trip(int n, const char *name, int cpu)
{
    struct partner p;
    futex_turn = FUTEX_PONG;
    futex_stop = 0;
    struct pinned_call call = { futex_pong, NULL, cpu };
    start_pinned(&p, PARTNER_THREAD, &call);
    time_and_report(n, op_futex_round_trip, NULL, name, "-");
    futex_pong_stop();
    partner_stop(&p, false);
}

static void bench_futex_thread(int n)
{
    futex_round_trip(n, "futex_thread", MEASURING_CPU);
}

/* --- green threads: the many-to-one model (libc/green/green.c) ------------------ */

static volatile int green_stop;

static void *green_yield_loop(void *unused)
{
    (void)unused;
    while (!green_stop)
        green_yield();
    return NULL;
}

static void op_green_yield(void *ctx)
{
    (void)ctx;
    green_yield();
}

/* A green_yield round trip with a partner green thread: yield_thread's counterpart, with no kernel in it. */
static void bench_green_yield(int n)
{
    green_t *partner;
    green_stop = 0;
    int err = green_create(&partner, green_yield_loop, NULL);
    if (err) {
        report_unsupported("green_yield", "-", "cycles", strerror(err));
        return;
    }
    time_and_report(n, op_green_yield, NULL, "green_yield", "-");
    green_stop = 1;
    green_join(partner, NULL);
}

static void *green_return(void *arg)
{
    return arg;
}

static void op_green_create_join(void *ctx)
{
    (void)ctx;
    green_t *t;
    if (green_create(&t, green_return, NULL) != 0 || green_join(t, NULL) != 0)
        die("green_create");
}

/* green_create + green_join: thread_create's counterpart (a malloc'ed stack, no kernel thread). */
static void bench_green_create(int n)
{
    green_t *t;
    int err = green_create(&t, green_return, NULL);
    if (err) {
        report_unsupported("green_create", "-", "cycles", strerror(err));
        return;
    }
    green_join(t, NULL);
    time_and_report(n, op_green_create_join, NULL, "green_create", "-");
}

/* --- creating and ending ------------------------------------------------------ */

static void bench_thread_create(int n)
{
    time_and_report(n, op_thread_create_join, NULL, "thread_create", "-");
}

/* Map and touch pages of anonymous memory (a process that has touched that many pages);
 * returns the mapping, or NULL for no pages. */
static char *touch_new_pages(long pages)
{
    if (pages == 0)
        return NULL;
    char *p = mmap(NULL, (size_t)pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die("mmap");
    for (long i = 0; i < pages; i++)
        p[i * PAGE_SIZE] = 1;
    return p;
}

static const long fork_pages[] = { 0, 1, 64, 1024, 16384 };

/*
 * fork + exit + wait, with 0, 1, 64 and 1024 more pages touched; each in
 * a process of its own so the page counts do not add up.  The 1024-page
 * fork is several times dearer than the rest: it gets an eighth of n (unless -n).
 */
static void bench_fork(int n)
{
    for (size_t i = 0; i < sizeof fork_pages / sizeof fork_pages[0]; i++) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0) {
            settle();
            char param[16];
            snprintf(param, sizeof param, "%ld", fork_pages[i]);
            touch_new_pages(fork_pages[i]);
            int iters = fork_pages[i] >= 1024 && !iterations_override ? (n + 7) / 8 : n;
            time_and_report(iters, op_fork_exit_wait, NULL, "fork", param);
            fflush(NULL);
            _exit(0);
        }
        waitpid(pid, NULL, 0);
    }
}

static char *const true_argv[] = { "true", NULL };

static void op_fork_exec_wait(void *ctx)
{
    (void)ctx;
    pid_t pid = fork();
    if (pid == 0) {
        execv("/bin/true", true_argv);
        _exit(127);
    }
    if (pid < 0)
        die("fork");
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        errno = ENOEXEC;
        die("/bin/true did not exit 0");
    }
}

static void bench_fork_exec(int n)
{
    time_and_report(n, op_fork_exec_wait, NULL, "fork_exec", "-");
}

/* --- pipe throughput ----------------------------------------------------------- */

static const long write_sizes[] = { 1, 64, 512, 4096, 65536 };

/* Bytes per timed transfer: 1 MiB, but 64 KiB in 1-byte writes (1 Mi system calls would take minutes). */
static long transfer_bytes(long write_size)
{
    return write_size < 64 ? 64 * 1024 : MIB;
}

struct throughput {
    int to[2], ack[2];
    long bytes;                 /* per transfer */
};

/* The partner process: read transfers of t->bytes, acknowledge each with one byte, until EOF. */
static void *throughput_reader(void *arg)
{
    struct throughput *t = arg;
    static char buf[THROUGHPUT_READ];
    close(t->to[1]);
    close(t->ack[0]);
    for (;;) {
        long got = 0;
        while (got < t->bytes) {
            ssize_t r = read(t->to[0], buf, sizeof buf);
            if (r <= 0)
                return NULL;
            got += r;
        }
        if (write(t->ack[1], "", 1) != 1)
            return NULL;
    }
}

/* Send t->bytes in writes of size bytes from buf, and wait for the acknowledgement. */
static void transfer(struct throughput *t, const char *buf, long size)
{
    for (long sent = 0; sent < t->bytes;) {
        ssize_t w = write(t->to[1], buf, (size_t)size);
        if (w <= 0)
            die("pipe write");
        sent += w;
    }
    char c;
    if (read(t->ack[0], &c, 1) != 1)
        die("pipe acknowledgement");
}

static void throughput_one(int n, long size)
{
    struct throughput t = { .bytes = transfer_bytes(size) };
    struct partner p;
    char *buf = malloc((size_t)size);
    if (!buf || pipe(t.to) != 0 || pipe(t.ack) != 0)
        die("pipe");
    memset(buf, 'x', (size_t)size);
    if (partner_start(&p, PARTNER_PROCESS, throughput_reader, &t) != 0)
        die("cannot start the reader");
    close(t.to[0]);
    close(t.ack[1]);

    struct run r;
    run_init(&r, n);
    for (int i = 0; i < warmup_count(n); i++)
        transfer(&t, buf, size);
    run_start(&r);
    for (int i = 0; i < n; i++) {
        uint64_t t0 = tsc_read();
        transfer(&t, buf, size);
        uint64_t t1 = tsc_read();
        r.samples[i] = (double)(t1 - t0) - empty_cycles;
    }
    run_stop(&r);

    char param[16];
    snprintf(param, sizeof param, "%ld", size);
    double per_mib = (double)MIB / (double)t.bytes, mibs = (double)n / per_mib;
    double *cycles = r.samples, mbps[n];
    for (int i = 0; i < n; i++)         /* MB/s from the same samples, before report sorts them */
        mbps[i] = (double)t.bytes / (cycles[i] / tsc_rate) / 1e6;
    for (int i = 0; i < n; i++)
        cycles[i] *= per_mib;
    report(&r, "pipe_throughput", param, "cycles/MiB", mibs);
    r.samples = mbps;
    report(&r, "pipe_throughput", param, "MB/s", mibs);

    close(t.to[1]);
    partner_stop(&p, false);
    close(t.ack[0]);
    free(cycles);
    free(buf);
}

static void bench_pipe_throughput(int n)
{
    for (size_t i = 0; i < sizeof write_sizes / sizeof write_sizes[0]; i++)
        throughput_one(n, write_sizes[i]);
}

/* --- touching pages right after a switch back ---------------------------------- */

static const long touch_pages[] = { 64, 512 };

/* Read one byte of each of pages pages at p; the sum keeps the reads. */
static __attribute__((noinline)) long touch(const volatile char *p, long pages)
{
    long sum = 0;
    for (long i = 0; i < pages; i++)
        sum += p[i * PAGE_SIZE];
    return sum;
}

/*
 * After a yield to a partner (a thread, a process, or nobody) and back,
 * time reading pages already-mapped pages: what the TLB lost in the switch.
 */
static void touch_after(int n, long pages, const char *kind_name, const enum partner_kind *kind)
{
    struct partner p;
    yield_stop = 0;
    if (kind && partner_start(&p, *kind, yield_loop, NULL) != 0)
        die("cannot start the partner");
    char *mem = touch_new_pages(pages);

    struct run r;
    run_init(&r, n);
    for (int i = 0; i < warmup_count(n); i++) {
        sched_yield();
        touch(mem, pages);
    }
    run_start(&r);
    for (int i = 0; i < n; i++) {
        sched_yield();
        uint64_t t0 = tsc_read();
        touch(mem, pages);
        uint64_t t1 = tsc_read();
        r.samples[i] = ((double)(t1 - t0) - empty_cycles) / (double)pages;
    }
    run_stop(&r);

    char name[32], param[16];
    snprintf(name, sizeof name, "touch_after_%s", kind_name);
    snprintf(param, sizeof param, "%ld", pages);
    report(&r, name, param, "cycles/page", n);
    free(r.samples);
    munmap(mem, (size_t)pages * PAGE_SIZE);
    if (kind) {
        yield_stop = 1;
        partner_stop(&p, true);
    }
}

static void bench_touch(int n)
{
    static const enum partner_kind thread = PARTNER_THREAD, process = PARTNER_PROCESS;
    for (size_t i = 0; i < sizeof touch_pages / sizeof touch_pages[0]; i++) {
        touch_after(n, touch_pages[i], "none", NULL);
        touch_after(n, touch_pages[i], "thread", &thread);
        touch_after(n, touch_pages[i], "process", &process);
    }
}

/* --- yield with many runnable threads --------------------------------------------- */

static const int scaling_threads[] = { 2, 8, 64, 256 };
static volatile int scaling_started;

static void *scaling_loop(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&scaling_started, 1, __ATOMIC_SEQ_CST);
    while (!yield_stop)
        sched_yield();
    return NULL;
}

/*
 * threads runnable threads of one process, all yielding: one yield of the
 * measuring thread comes back after every other thread has run, so it is
 * threads switches; the row is per switch.
 */
static void scaling_one(int n, int threads)
{
    struct partner helpers[threads - 1];
    yield_stop = 0;
    scaling_started = 0;
    for (int i = 0; i < threads - 1; i++)
        if (partner_start(&helpers[i], PARTNER_THREAD, scaling_loop, NULL) != 0)
            die("cannot start a yielding thread");
    while (scaling_started < threads - 1)
        sched_yield();

    struct run r;
    run_init(&r, n);
    time_calls(&r, op_yield, NULL, empty_cycles);
    for (int i = 0; i < n; i++)
        r.samples[i] /= threads;
    char param[16];
    snprintf(param, sizeof param, "%d", threads);
    report(&r, "yield_scaling", param, "cycles/switch", (double)n * threads);
    free(r.samples);

    yield_stop = 1;
    for (int i = 0; i < threads - 1; i++)
        partner_stop(&helpers[i], false);
}

static void bench_yield_scaling(int n)
{
    for (size_t i = 0; i < sizeof scaling_threads / sizeof scaling_threads[0]; i++)
        scaling_one(n, scaling_threads[i]);
}

/* --- in the kernel: SYS_os_kbench ----------------------------------------------------- */

/*
 * n samples of kernel benchmark what (after a warm-up), less subtract;
 * false with errno set if the kernel cannot (EOPNOTSUPP: no PCID; ENOSYS: not our kernel).
 */
static bool kbench(struct run *r, int what, double subtract)
{
    uint64_t *raw = calloc((size_t)r->n, sizeof *raw);
    if (!raw)
        die("kbench samples");
    bool ok = syscall(SYS_os_kbench, what, raw, (size_t)warmup_count(r->n)) == 0;
    if (ok) {
        run_start(r);
        ok = syscall(SYS_os_kbench, what, raw, (size_t)r->n) == 0;
        run_stop(r);
    }
    for (int i = 0; ok && i < r->n; i++)
        r->samples[i] = (double)raw[i] - subtract;
    free(raw);
    return ok;
}

/* Why a kernel benchmark has no figure. */
static const char *kbench_why(void)
{
    return errno == EOPNOTSUPP ? "no PCID (CPU without it or nopcid): no no-flush CR3 write"
                               : strerror(errno);
}

static void bench_kernel(int n)
{
    if (n > OS_KBENCH_SAMPLES_MAX)
        n = OS_KBENCH_SAMPLES_MAX;
    static const struct {
        const char *name;
        int what;
        double empty_share;     /* how much of the kernel's empty measurement a sample holds */
    } rows[] = {
        { "kernel_empty", OS_KBENCH_EMPTY, 0 },
        { "kernel_switch", OS_KBENCH_SWITCH, 0.5 },     /* the kernel halves a round trip */
        { "kernel_cr3_flush", OS_KBENCH_CR3_FLUSH, 1 },
        { "kernel_cr3_noflush", OS_KBENCH_CR3_NOFLUSH, 1 },
    };
    struct run empty;
    run_init(&empty, n);
    double kernel_empty = 0;
    if (kbench(&empty, OS_KBENCH_EMPTY, 0)) {
        double copy[n];
        memcpy(copy, empty.samples, sizeof copy);
        kernel_empty = spread_of(copy, n).median;
    }
    free(empty.samples);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct run r;
        run_init(&r, n);
        if (kbench(&r, rows[i].what, rows[i].empty_share * kernel_empty))
            report(&r, rows[i].name, "-", "cycles", n);
        else
            report_unsupported(rows[i].name, "-", "cycles", kbench_why());
        free(r.samples);
    }
}

/* ------------------------------------------------------------------------- */
/* Several CPUs (rows "unsupported" on one)                                  */
/* ------------------------------------------------------------------------- */

static long online_cpus(void)
{
    return sysconf(_SC_NPROCESSORS_ONLN);
}

/* False, after an "unsupported" row, when the machine has fewer than cpus CPUs. */
static bool have_cpus(long cpus, const char *op, const char *param, const char *unit)
{
    if (online_cpus() >= cpus)
        return true;
    char why[48];
    snprintf(why, sizeof why, "needs %ld CPUs; %ld online", cpus, online_cpus());
    report_unsupported(op, param, unit, why);
    return false;
}

/* --- round trips across CPUs ----------------------------------------------------- */

static void bench_pipe_thread_x(int n)
{
    if (have_cpus(2, "pipe_thread_x", "1", "cycles"))
        pipe_round_trip(n, PARTNER_THREAD, "pipe_thread_x", PARTNER_CPU);
}

static void bench_pipe_process_x(int n)
{
    if (have_cpus(2, "pipe_process_x", "1", "cycles"))
        pipe_round_trip(n, PARTNER_PROCESS, "pipe_process_x", PARTNER_CPU);
}

static void bench_futex_thread_x(int n)
{
    if (have_cpus(2, "futex_thread_x", "-", "cycles"))
        futex_round_trip(n, "futex_thread_x", PARTNER_CPU);
}

#include "bench_ipc.h"       /* the communication row: it uses the helpers above */

/*
 * One way: the TSC read just before FUTEX_WAKE on CPU 0 to the TSC read by
 * the woken thread on CPU 1, which was asleep with nothing else to run:
 * the IPI that wakes the idle CPU, its switch, the return to user mode.
 * The TSCs of the two CPUs tick together (QEMU; an invariant TSC).
 */
static volatile int wake_word;              /* 0: sleep; 1: wake up; 2: stop */
static volatile uint64_t woke_at;           /* the sleeper's TSC once it woke, 0 before */
static volatile int sleeper_waiting;        /* [atomic] the sleeper is about to sleep */

static void *idle_sleeper(void *arg)
{
    (void)arg;
    for (;;) {
        __atomic_store_n(&sleeper_waiting, 1, __ATOMIC_RELEASE);
        while (wake_word == 0)
            futex_wait_word(&wake_word, 0);
        uint64_t now = tsc_read();
        if (wake_word == 2)
            return NULL;
        wake_word = 0;
        __atomic_store_n(&woke_at, now, __ATOMIC_RELEASE);
    }
}

#define WAKE_SETTLE_US 2000     /* time for the sleeper to sleep and its CPU to go idle */

static void bench_wake_idle_cpu(int n)
{
    if (!have_cpus(2, "wake_idle_cpu", "-", "cycles"))
        return;
    struct partner p;
    wake_word = 0;
    struct pinned_call call = { idle_sleeper, NULL, PARTNER_CPU };
    start_pinned(&p, PARTNER_THREAD, &call);
    struct run r;
    run_init(&r, n);
    run_start(&r);
    for (int i = 0; i < n; i++) {
        while (!__atomic_load_n(&sleeper_waiting, __ATOMIC_ACQUIRE))
            ;
        usleep(WAKE_SETTLE_US);
        __atomic_store_n(&sleeper_waiting, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&woke_at, 0, __ATOMIC_RELAXED);
        uint64_t start = tsc_read();
        wake_word = 1;
        futex_wake_word(&wake_word);
        uint64_t end;
        while ((end = __atomic_load_n(&woke_at, __ATOMIC_ACQUIRE)) == 0)
            ;
        r.samples[i] = (double)(end - start) - empty_cycles;
    }
    run_stop(&r);
    report(&r, "wake_idle_cpu", "-", "cycles", n);
    free(r.samples);
    wake_word = 2;
    futex_wake_word(&wake_word);
    partner_stop(&p, false);
}

/* --- a thread started on another CPU ------------------------------------------ */

static volatile int started_elsewhere;      /* [atomic] threads that began on another CPU */
static int creator_cpu;

static void *note_cpu(void *arg)
{
    if (sched_getcpu() != creator_cpu)
        __atomic_fetch_add(&started_elsewhere, 1, __ATOMIC_RELAXED);
    return arg;
}

static void op_create_join_noting(void *ctx)
{
    (void)ctx;
    pthread_t t;
    if (pthread_create(&t, NULL, note_cpu, NULL) != 0 || pthread_join(t, NULL) != 0)
        die("pthread_create");
}

/*
 * pthread_create + join from a creator that may run anywhere but is busy
 * on its CPU: the kernel puts the new thread on an idle CPU.  The row is
 * printed if at least ELSEWHERE_PERCENT of the threads did start on
 * another CPU (a tick may catch the other CPU busy), and says how many.
 */
#define ELSEWHERE_PERCENT 90
static void bench_thread_create_x(int n)
{
    if (!have_cpus(2, "thread_create_x", "-", "cycles"))
        return;
    pin_to(ANY_CPU);            /* new threads inherit this mask; a running creator stays put */
    creator_cpu = sched_getcpu();
    struct run r;
    run_init(&r, n);
    started_elsewhere = 0;
    time_calls(&r, op_create_join_noting, NULL, empty_cycles);
    int elsewhere = __atomic_load_n(&started_elsewhere, __ATOMIC_RELAXED);
    int total = n + warmup_count(n);
    if (elsewhere * 100 < total * ELSEWHERE_PERCENT) {
        char why[64];
        snprintf(why, sizeof why, "%d of %d threads started on another CPU", elsewhere, total);
        report_unsupported("thread_create_x", "-", "cycles", why);
    } else {
        fprintf(stderr, "bench: thread_create_x: %d of %d threads started on another CPU\n", elsewhere, total);
        report(&r, "thread_create_x", "-", "cycles", n);
    }
    free(r.samples);
}

/* --- parallel speed-up ------------------------------------------------------------ */

/*
 * A CPU-bound job: count the primes below PRIMES_BELOW by trial division,
 * in `ways` workers, each pinned to a CPU of its own; the time is the whole
 * job's, from the start of the first worker to the end of the last (join
 * or waitpid).  Threads share memory, so they take chunks of CHUNK odd
 * candidates from one counter as they go: a worker on a vCPU the host runs
 * slower takes fewer, and both end together.  Processes share no memory
 * here (no shared mappings yet), so they split the candidates up front,
 * odd ones dealt round-robin, and the job lasts as long as the slower half.
 * Under -icount the vCPUs take turns, so two workers take as long as one
 * there: run it under plain TCG.
 */
#define PRIMES_BELOW    1000000
#define PRIMES_EXPECTED 78498           /* pi(1000000): a wrong count is a bug, not a figure */
#define MAX_WAYS        2
#define CANDIDATES      ((PRIMES_BELOW - 3 + 1) / 2)     /* odd x from 3: x = 3 + 2 * index */
#define CHUNK           1000            /* candidates a thread takes at a time: 500 takes in all */

struct primes_part {
    int first;                          /* its first odd candidate index (shared == NULL) */
    int ways;
    long *shared;                       /* the next index no thread has taken, or NULL */
    long count;
};

static bool is_prime(long x)
{
    for (long d = 3; d * d <= x; d += 2)
        if (x % d == 0)
            return false;
    return true;
}

static long count_range(long from, long to, long step)
{
    long count = 0;
    for (long i = from; i < to; i += step)
        count += is_prime(3 + 2 * i);
    return count;
}

static void *count_primes(void *arg)
{
    struct primes_part *part = arg;
    long count = 0, from;
    if (!part->shared)
        count = count_range(part->first, CANDIDATES, part->ways);
    else
        while ((from = __atomic_fetch_add(part->shared, CHUNK, __ATOMIC_RELAXED)) < CANDIDATES)
            count += count_range(from, from + CHUNK < CANDIDATES ? from + CHUNK : CANDIDATES, 1);
    part->count = count;
    return NULL;
}

enum parallel_shape { ONE_THREAD, TWO_THREADS, TWO_PROCESSES };
static const char *const shape_names[] = { "1thr", "2thr", "2proc" };

struct parallel_job {
    enum parallel_shape shape;
    struct primes_part parts[MAX_WAYS];
    struct pinned_call calls[MAX_WAYS];
};

/* A process worker sends its count back through a pipe. */
static int primes_in_child(struct parallel_job *job, int i, pid_t *pid)
{
    int fds[2];
    if (pipe(fds) != 0)
        die("pipe");
    fflush(NULL);
    *pid = fork();
    if (*pid < 0)
        die("fork");
    if (*pid == 0) {
        pin_to(job->calls[i].cpu);
        count_primes(&job->parts[i]);
        _exit(write(fds[1], &job->parts[i].count, sizeof job->parts[i].count) == sizeof job->parts[i].count ? 0 : 1);
    }
    close(fds[1]);
    return fds[0];
}

static void op_parallel_job(void *ctx)
{
    struct parallel_job *job = ctx;
    int ways = job->shape == ONE_THREAD ? 1 : 2;
    pthread_t threads[MAX_WAYS];
    pid_t pids[MAX_WAYS];
    int fds[MAX_WAYS];
    long next_candidate = 0;
    for (int i = 0; i < ways; i++) {
        job->parts[i] = (struct primes_part){ .first = i, .ways = ways,
                                              .shared = job->shape == TWO_PROCESSES ? NULL : &next_candidate };
        job->calls[i] = (struct pinned_call){ count_primes, &job->parts[i], i };
        if (job->shape == TWO_PROCESSES)
            fds[i] = primes_in_child(job, i, &pids[i]);
        else if (pthread_create(&threads[i], NULL, run_pinned, &job->calls[i]) != 0)
            die("pthread_create");
    }
    long total = 1;                     /* 2 is prime and not odd */
    for (int i = 0; i < ways; i++) {
        if (job->shape == TWO_PROCESSES) {
            long count = 0;
            if (read(fds[i], &count, sizeof count) != sizeof count || waitpid(pids[i], NULL, 0) != pids[i])
                die("a worker process");
            close(fds[i]);
            total += count;
        } else {
            pthread_join(threads[i], NULL);
            total += job->parts[i].count;
        }
    }
    if (total != PRIMES_EXPECTED) {
        fprintf(stderr, "bench: %ld primes below %d, expected %d\n", total, PRIMES_BELOW, PRIMES_EXPECTED);
        _exit(1);
    }
}

/* The counters a row prints, added up over several stretches. */
static void add_row_counters(struct os_switch_stats *sum, const struct os_switch_stats *c)
{
    sum->switches += c->switches;
    sum->same_process_switches += c->same_process_switches;
    sum->cr3_writes += c->cr3_writes;
    sum->cr3_flushes += c->cr3_flushes;
    sum->page_flushes += c->page_flushes;
    sum->shootdown_ipis += c->shootdown_ipis;
}

static void bench_parallel(int n)
{
    /*
     * The workers are made free to go anywhere: a thread or child made
     * while this one is pinned to CPU 0 would inherit the pin, wait in CPU
     * 0's queue behind its sibling and reach its own CPU only when that
     * one's time slice ends.  Free, the kernel starts it on the idle CPU.
     *
     * The shapes take turns, one job each per round, so that the host's
     * speed, which drifts over seconds under TCG, weighs on all three alike.
     */
    enum { SHAPES = TWO_PROCESSES + 1 };
    struct parallel_job jobs[SHAPES];
    struct run runs[SHAPES];
    int shapes = online_cpus() >= MAX_WAYS ? SHAPES : 1;   /* one CPU: the 1-thread row only */
    pin_to(ANY_CPU);
    for (int s = 0; s < shapes; s++) {
        jobs[s] = (struct parallel_job){ .shape = (enum parallel_shape)s };
        run_init(&runs[s], n);
        runs[s].counters = (struct os_switch_stats){ 0 };
        op_parallel_job(&jobs[s]);                          /* the warm-up */
    }
    for (int i = 0; i < n; i++) {
        for (int s = 0; s < shapes; s++) {
            struct run *r = &runs[s];
            run_start(r);
            uint64_t t0 = tsc_read();
            op_parallel_job(&jobs[s]);
            uint64_t t1 = tsc_read();
            r->samples[i] = (double)(t1 - t0) - empty_cycles;
            struct os_switch_stats c;
            if (r->counted && (r->counted = counters_read(&c)))
                add_row_counters(&r->counters, &c);
        }
    }
    for (int s = 0; s < SHAPES; s++) {
        if (s >= shapes) {
            have_cpus(MAX_WAYS, "parallel_primes", shape_names[s], "cycles");     /* says why not */
            continue;
        }
        report(&runs[s], "parallel_primes", shape_names[s], "cycles", n);
        free(runs[s].samples);
    }
}

/* --- shootdown cost ------------------------------------------------------------- */

static const int shootdown_pages[] = { 1, 64 };
static const int shootdown_threads[] = { 1, 2, 4 };
static volatile int spin_stop, spinning;   /* [atomic] */

/* A thread that holds the address space on its CPU by spinning in user mode. */
static void *hold_cpu(void *arg)
{
    (void)arg;
    __atomic_fetch_add(&spinning, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&spin_stop, __ATOMIC_ACQUIRE))
        ;
    return NULL;
}

/*
 * munmap of 1 and of 64 touched pages by a process with 1, 2 and 4
 * threads, one per CPU (the others spin on CPUs 1..): only the munmap is
 * timed, the mmap and the touching are not.  The counters give the IPIs
 * per munmap: 0 with one thread, one per other CPU else.
 */
static void bench_shootdown(int n)
{
    for (size_t t = 0; t < sizeof shootdown_threads / sizeof shootdown_threads[0]; t++) {
        int threads = shootdown_threads[t];
        for (size_t s = 0; s < sizeof shootdown_pages / sizeof shootdown_pages[0]; s++) {
            int pages = shootdown_pages[s];
            char param[16];
            snprintf(param, sizeof param, "%dp%dt", pages, threads);
            if (!have_cpus(threads, "munmap_shootdown", param, "cycles"))
                continue;
            pthread_t spinners[4];
            struct pinned_call calls[4];
            spin_stop = spinning = 0;
            for (int i = 1; i < threads; i++) {
                calls[i] = (struct pinned_call){ hold_cpu, NULL, i };
                if (pthread_create(&spinners[i], NULL, run_pinned, &calls[i]) != 0)
                    die("pthread_create");
            }
            while (__atomic_load_n(&spinning, __ATOMIC_ACQUIRE) < threads - 1)
                sched_yield();          /* each spinner is on its CPU, past its last system call */
            struct run r;
            run_init(&r, n);
            run_start(&r);
            for (int i = 0; i < n; i++) {
                char *p = touch_new_pages(pages);
                uint64_t start = tsc_read();
                munmap(p, (size_t)pages * PAGE_SIZE);
                r.samples[i] = (double)(tsc_read() - start) - empty_cycles;
            }
            run_stop(&r);
            report(&r, "munmap_shootdown", param, "cycles", n);
            free(r.samples);
            spin_stop = 1;
            for (int i = 1; i < threads; i++)
                pthread_join(spinners[i], NULL);
        }
    }
}

/* --- the full-flush threshold ------------------------------------------------------ */

/*
 * Where one INVLPG per page stops paying (MMU_FLUSH_ALL_PAGES, 33): munmap
 * of N touched pages, then a read of each page of a working set of
 * WORKING_SET_PAGES mapped before.  Up to the threshold the munmap drops
 * N entries one by one and the working set's entries stay; past it the
 * munmap drops every entry of the space and the working set is walked
 * again.  Each row times munmap plus the re-read, so the rows on either
 * side of the threshold show what the full flush saves and what the
 * refill costs on this machine (under icount neither costs anything: a
 * page walk is no instruction, an INVLPG one; read the tcg rows).
 */
#define WORKING_SET_PAGES 256
static const int threshold_pages[] = { 8, 16, 32, 33, 34, 48, 64 };

static void bench_flush_threshold(int n)
{
    char *working = touch_new_pages(WORKING_SET_PAGES);
    for (size_t s = 0; s < sizeof threshold_pages / sizeof threshold_pages[0]; s++) {
        int pages = threshold_pages[s];
        char param[16];
        snprintf(param, sizeof param, "%d", pages);
        struct run r;
        run_init(&r, n);
        run_start(&r);
        for (int i = 0; i < n; i++) {
            char *p = touch_new_pages(pages);
            touch(working, WORKING_SET_PAGES);          /* the working set's entries are in the TLB */
            uint64_t start = tsc_read();
            munmap(p, (size_t)pages * PAGE_SIZE);
            touch(working, WORKING_SET_PAGES);
            r.samples[i] = (double)(tsc_read() - start) - empty_cycles;
        }
        run_stop(&r);
        report(&r, "flush_threshold", param, "cycles", n);
        free(r.samples);
    }
    munmap(working, (size_t)WORKING_SET_PAGES * PAGE_SIZE);
}

/* ------------------------------------------------------------------------- */
/* The list                                                                  */
/* ------------------------------------------------------------------------- */

struct bench {
    const char *name;
    int iterations;             /* the default of -n */
    void (*run)(int n);
    const char *what;
};

static const struct bench benches[] = {
    { "tsc_rate", TSC_SAMPLES, bench_tsc, "TSC MHz against CLOCK_MONOTONIC (5 x 10 ms, whatever -n)" },
    { "empty", 1000, bench_empty, "an empty measurement: its median is subtracted everywhere" },
    { "getpid", 1000, bench_getpid, "the null system call" },
    { "os_stats", 1000, bench_os_stats, "a system call that copies its struct out (SYS_os_stats)" },
    { "yield_thread", 500, bench_yield_thread, "sched_yield round trip between two threads" },
    { "yield_process", 500, bench_yield_process, "sched_yield round trip between two processes" },
    { "pipe_thread", 500, bench_pipe_thread, "1-byte pipe round trip between two threads" },
    { "pipe_process", 500, bench_pipe_process, "1-byte pipe round trip between two processes" },
    { "futex_thread", 500, bench_futex_thread, "futex wait/wake round trip between two threads" },
    { "thread_create", 200, bench_thread_create, "pthread_create + pthread_join" },
    { "green_yield", 500, bench_green_yield, "green_yield round trip between two green threads (many-to-one)" },
    { "green_create", 200, bench_green_create, "green_create + green_join (many-to-one)" },
    { "fork", 64, bench_fork, "fork + exit + wait, after touching 0/1/64/1024/16384 more pages" },
    { "fork_exec", 32, bench_fork_exec, "fork + exec /bin/true + wait" },
    { "pipe_throughput", 8, bench_pipe_throughput,
      "1 MiB (64 KiB for 1 B) through a pipe to a process, writes of 1 B..64 KiB" },
    { "touch_after", 200, bench_touch, "read 64/512 mapped pages after a yield to nobody/thread/process" },
    { "yield_scaling", 100, bench_yield_scaling, "yield with 2/8/64/256 runnable threads, per switch" },
    { "kernel", 1000, bench_kernel, "in the kernel: bare switch, CR3 write with/without no-flush" },
    { "pipe_thread_x", 500, bench_pipe_thread_x, "pipe_thread with the partner on another CPU" },
    { "pipe_process_x", 500, bench_pipe_process_x, "pipe_process with the partner on another CPU" },
    { "futex_thread_x", 500, bench_futex_thread_x, "futex_thread with the partner on another CPU" },
    { "ipc", 500, bench_ipc, "1-byte round trips: socket, dgram, mq, futex_shm, signal; thread and process" },
    { "ipc_throughput", 8, bench_ipc_throughput, "1 MiB through pipe, socket, dgram, mq, shm: thread and process" },
    { "ipc_x", 500, bench_ipc_x, "ipc with the partner on another CPU" },
    { "ipc_throughput_x", 8, bench_ipc_throughput_x, "ipc_throughput with the partner on another CPU" },
    { "wake_idle_cpu", 200, bench_wake_idle_cpu, "FUTEX_WAKE to the woken thread running, on an idle CPU" },
    { "thread_create_x", 200, bench_thread_create_x, "pthread_create + join, the thread on another CPU" },
    { "parallel_primes", 5, bench_parallel, "primes below 1,000,000: 1 thread, 2 threads, 2 processes" },
    { "munmap_shootdown", 100, bench_shootdown, "munmap of 1/64 pages with 1/2/4 threads on as many CPUs" },
    { "flush_threshold", 100, bench_flush_threshold, "munmap of 8..64 pages + re-read of a 256-page working set" },
};
#define NBENCHES (sizeof benches / sizeof benches[0])

static const struct bench *find_bench(const char *name)
{
    for (size_t i = 0; i < NBENCHES; i++)
        if (strcmp(benches[i].name, name) == 0)
            return &benches[i];
    return NULL;
}

/*
 * Touch SCRUB_PAGES fresh pages and give them back, so that the next
 * fork's kernel stack and copies come from pages the kernel has just
 * zeroed.  For QEMU's TCG only: a physical page that held user code keeps
 * its translated blocks until every byte of them is overwritten, and until
 * then every write to the page takes QEMU's slow path (page_collection_lock
 * in a host profile).  A kernel stack on such a page (the kernel does not
 * clear the pages of a new kernel stack) made each system call of a whole
 * measurement 50 to 100 times slower in host time, depending on which
 * process had freed which page.  Costs about a million instructions.
 */
static void scrub_free_pages(void)
{
    size_t size = (size_t)SCRUB_PAGES * PAGE_SIZE;
    char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return;
    for (size_t i = 0; i < size; i += PAGE_SIZE)
        p[i] = 1;
    munmap(p, size);
}

/* Run one measurement in a child of its own; false if it failed. */
static bool run_isolated(const struct bench *b)
{
    int n = iterations_override ? iterations_override : b->iterations;
    scrub_free_pages();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench: fork");
        return false;
    }
    if (pid == 0) {
        settle();
        b->run(n);
        fflush(NULL);
        _exit(0);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return false;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return true;
    if (WIFSIGNALED(status))
        fprintf(stderr, "bench: %s: killed by signal %d\n", b->name, WTERMSIG(status));
    else
        fprintf(stderr, "bench: %s: exit status %d\n", b->name, WEXITSTATUS(status));
    return false;
}

static void list(void)
{
    printf("%-16s %6s  %s\n", "NAME", "ITERS", "MEASURES");
    for (size_t i = 0; i < NBENCHES; i++)
        printf("%-16s %6d  %s\n", benches[i].name, benches[i].iterations, benches[i].what);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench [-c] [-n ITERATIONS] [NAME...]\n       bench -l\n");
    exit(2);
}

/* The empty measurement, and the TSC rate, before anything else: every child inherits them. */
static void calibrate(void)
{
    empty_cycles = empty_measurement();
    tsc_rate = tsc_hz();
}

int main(int argc, char **argv)
{
    int c;
    while ((c = getopt(argc, argv, "cln:")) != -1) {
        switch (c) {
        case 'c':
            csv = true;
            break;
        case 'l':
            list();
            return 0;
        case 'n':
            iterations_override = atoi(optarg);
            if (iterations_override < 1)
                usage();
            break;
        default:
            usage();
        }
    }
    for (int i = optind; i < argc; i++)
        if (!find_bench(argv[i])) {
            fprintf(stderr, "bench: no measurement '%s' (bench -l lists them)\n", argv[i]);
            return 2;
        }

    calibrate();
    pin_to(MEASURING_CPU);      /* every row's measuring side; the cross-CPU rows move their partners */
    describe_machine();
    if (!csv) {
        printf("bench: TSC %.1f MHz (against CLOCK_MONOTONIC); empty measurement %.0f cycles, "
               "subtracted\n", tsc_rate / 1e6, empty_cycles);
        printf("figures in cycles unless said; the kernel's counters per operation on the right "
               "(same-pr: between threads of one process)\n\n");
    }
    print_header();
    int failed = 0;
    if (optind == argc) {
        for (size_t i = 0; i < NBENCHES; i++)
            failed += !run_isolated(&benches[i]);
    } else {
        for (int i = optind; i < argc; i++)
            failed += !run_isolated(find_bench(argv[i]));
    }
    fflush(NULL);
    return failed ? 1 : 0;
}
