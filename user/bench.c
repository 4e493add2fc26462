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
 *                           switches,cr3_writes,cr3_flushes,page_flushes
 *
 * Method (docs/benchmarks.md): every sample is read with `lfence; rdtsc`
 * on both sides; the cost of an empty measurement (the same loop around
 * nothing) is measured once and subtracted from every sample; the first
 * tenth of the iterations (at most WARMUP_MAX, at least 1) run untimed;
 * the figures are the median, 10th and 90th percentiles and minimum.  The
 * kernel's counters are zeroed after the warm-up and read after the timed
 * loop; they are shown divided by the number of operations.  The machine
 * has one CPU, so both sides of a round trip run on it: a round trip is
 * two switches.
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

#define PAGE_SIZE       4096
#define MIB             (1024 * 1024)
#define THROUGHPUT_READ (64 * 1024)     /* the reader's buffer: it drains what there is */
#define TSC_SAMPLES     5               /* TSC-rate calibrations of TSC_CALIBRATION_NS each */
#define SCRUB_PAGES     512             /* more than a fork of bench takes (scrub_free_pages) */

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
               "switches,cr3_writes,cr3_flushes,page_flushes\n");
        return;
    }
    printf("%-19s %6s %-12s %5s %10s %10s %10s %10s | %8s %8s %8s %8s %8s\n", "operation", "param",
           "unit", "iters", "median", "p10", "p90", "min", "switches", "same-pr", "cr3", "cr3-fl",
           "pg-fl");
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
        printf(",%.2f,%.2f,%.2f,%.2f\n", c->switches / ops, c->cr3_writes / ops, c->cr3_flushes / ops,
               c->page_flushes / ops);
    else if (csv)
        printf(",NA,NA,NA,NA\n");
    else if (r->counted)
        printf(" | %8.2f %8.2f %8.2f %8.2f %8.2f\n", c->switches / ops, c->same_process_switches / ops,
               c->cr3_writes / ops, c->cr3_flushes / ops, c->page_flushes / ops);
    else
        printf(" | %8s %8s %8s %8s %8s\n", "NA", "NA", "NA", "NA", "NA");
}

/* A row without figures, saying why (no commas: it is a CSV field). */
static void report_unsupported(const char *op, const char *param, const char *unit, const char *why)
{
    if (csv)
        printf("%s,%s,%s,0,unsupported,unsupported,unsupported,unsupported,NA,NA,NA,NA\n", op, param, unit);
    else
        printf("%-19s %6s %-12s %5d unsupported: %s\n", op, param, unit, 0, why);
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

static void pipe_round_trip(int n, enum partner_kind kind, const char *name)
{
    struct pipe_pair pp = { .child = kind == PARTNER_PROCESS };
    struct partner p;
    if (pipe(pp.to) != 0 || pipe(pp.from) != 0)
        die("pipe");
    if (partner_start(&p, kind, pipe_echo, &pp) != 0)
        die("cannot start the partner");
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
    pipe_round_trip(n, PARTNER_THREAD, "pipe_thread");
}

static void bench_pipe_process(int n)
{
    pipe_round_trip(n, PARTNER_PROCESS, "pipe_process");
}

/* --- futex round trip between two threads ------------------------------------ */

static void bench_futex_thread(int n)
{
    struct partner p;
    futex_turn = FUTEX_PONG;
    futex_stop = 0;
    if (partner_start(&p, PARTNER_THREAD, futex_pong, NULL) != 0)
        die("cannot start the partner");
    time_and_report(n, op_futex_round_trip, NULL, "futex_thread", "-");
    futex_pong_stop();
    partner_stop(&p, false);
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

static const long fork_pages[] = { 0, 1, 64, 1024 };

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
    { "os_stats", 1000, bench_os_stats, "a system call that copies 64 bytes out (SYS_os_stats)" },
    { "yield_thread", 500, bench_yield_thread, "sched_yield round trip between two threads" },
    { "yield_process", 500, bench_yield_process, "sched_yield round trip between two processes" },
    { "pipe_thread", 500, bench_pipe_thread, "1-byte pipe round trip between two threads" },
    { "pipe_process", 500, bench_pipe_process, "1-byte pipe round trip between two processes" },
    { "futex_thread", 500, bench_futex_thread, "futex wait/wake round trip between two threads" },
    { "thread_create", 200, bench_thread_create, "pthread_create + pthread_join" },
    { "fork", 64, bench_fork, "fork + exit + wait, after touching 0/1/64/1024 more pages" },
    { "fork_exec", 32, bench_fork_exec, "fork + exec /bin/true + wait" },
    { "pipe_throughput", 8, bench_pipe_throughput,
      "1 MiB (64 KiB for 1 B) through a pipe to a process, writes of 1 B..64 KiB" },
    { "touch_after", 200, bench_touch, "read 64/512 mapped pages after a yield to nobody/thread/process" },
    { "yield_scaling", 100, bench_yield_scaling, "yield with 2/8/64/256 runnable threads, per switch" },
    { "kernel", 1000, bench_kernel, "in the kernel: bare switch, CR3 write with/without no-flush" },
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
    if (!csv) {
        struct os_switch_stats s;
        bool counters = counters_read(&s);
        printf("bench: TSC %.1f MHz (against CLOCK_MONOTONIC); empty measurement %.0f cycles, "
               "subtracted; PCID %s\n", tsc_rate / 1e6, empty_cycles,
               !counters ? "unknown (not our kernel)" : s.pcid_enabled ? "on" : "off");
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
