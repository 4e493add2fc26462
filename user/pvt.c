/*
 * pvt: the textbook's process/thread table, row by row, demonstrated on
 * this kernel.  Each row does one thing both ways, with a forked child
 * and with a thread, and the table shows what was observed; no figure is
 * typed in.  The last column says whether the observation matches what
 * the textbook claims; the exit status is the number of rows where it
 * does not (0: every row holds).  docs/benchmarks.md explains each row.
 *
 * The rows:
 *   memory          a global changed by a forked child, by a thread
 *   resources       pages the kernel allocated while the new one lives
 *   kernel objects  processes and threads the kernel counts meanwhile
 *   concurrency     the new one blocks in read(): does its creator run on?
 *   parallelism     both spin on two CPUs: for how long did they run at the same instant?
 *   creation        cycles to create and end one (fork+exit+wait, create+join)
 *   failure         the new one dereferences NULL: who dies?
 *   communication   a futex round trip: through a MAP_SHARED page between processes, plain memory between threads
 *   switching       a yield round trip: what the switch does to CR3
 *
 * On a Linux host the kernel's own counters are missing: those cells say
 * "n/a" and count as holding.  So does the parallelism row on one CPU (it
 * still shows the overlap: about 0).
 */
#include "bench.h"

void __libc_freeres(void);     /* libc (glibc's name): unmap the stacks it keeps of joined threads */

#define CREATIONS   21      /* timed creations of each kind: the median is shown */
#define ROUND_TRIPS 201     /* timed round trips of each kind */
#define CELL        44      /* characters of a table cell */
#define MAX_THREADS 256     /* SYS_os_threads entries we read */
#define PAGE_KIB    4

enum verdict { HOLDS_NA, HOLDS_YES, HOLDS_NO };

struct row {
    const char *aspect;
    char process[CELL + 32];
    char thread[CELL + 32];
    const char *textbook;
    enum verdict holds;
};

#define MAX_ROWS 9
static struct row rows[MAX_ROWS];
static int nrows;
static double empty_cycles;

/* A new row; fill its cells with snprintf and set holds. */
static struct row *new_row(const char *aspect, const char *textbook)
{
    struct row *r = &rows[nrows++];
    r->aspect = aspect;
    r->textbook = textbook;
    r->holds = HOLDS_NA;
    return r;
}

static enum verdict verdict(bool holds)
{
    return holds ? HOLDS_YES : HOLDS_NO;
}

/* ------------------------------------------------------------------------- */

static volatile int global_value;

static void *set_global(void *arg)
{
    (void)arg;
    global_value = 1;
    return NULL;
}

/* A global set to 1 by a forked child, then by a thread: who sees it? */
static void row_memory(void)
{
    struct row *r = new_row("memory", "own copy vs one shared memory");
    global_value = 0;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        global_value = 1;
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    int parent_sees = global_value;

    global_value = 0;
    pthread_t t;
    pthread_create(&t, NULL, set_global, NULL);
    pthread_join(t, NULL);
    int creator_sees = global_value;

    snprintf(r->process, sizeof r->process, "child set g=1; parent reads g=%d", parent_sees);
    snprintf(r->thread, sizeof r->thread, "thread set g=1; creator reads g=%d", creator_sees);
    r->holds = verdict(parent_sees == 0 && creator_sees == 1);
}

/* ------------------------------------------------------------------------- */

/* What the kernel had while a new process or thread sat blocked in read(). */
struct footprint {
    bool known;             /* the kernel has SYS_os_stats (not Linux) */
    long pages;             /* free pages it took */
    long tables;            /* of those, page-table pages */
    long processes, threads;/* processes and threads it added */
    char state[24];         /* its state, as ps -T shows it ("S piperd"), or "" */
    bool creator_ran;       /* the creator ran while it was blocked */
};

static volatile pid_t blocked_tid;

struct blocker {
    int fds[2];             /* it reads fds[0] */
    bool child;             /* it is a process: it closes its copy of fds[1], or EOF never comes */
};

/* The new process or thread: say who it is, then block reading until EOF. */
static void *block_in_read(void *arg)
{
    struct blocker *b = arg;
    char c;
    if (b->child)
        close(b->fds[1]);
    blocked_tid = (pid_t)syscall(SYS_gettid);
    while (read(b->fds[0], &c, 1) > 0)
        ;
    return NULL;
}

/* Its state and wait reason from SYS_os_threads ("" if the kernel cannot tell). */
static void thread_state(pid_t tid, char *out, size_t size)
{
    static struct os_threadinfo info[MAX_THREADS];
    long n = syscall(SYS_os_threads, info, (size_t)MAX_THREADS);
    out[0] = '\0';
    for (long i = 0; i < n && i < MAX_THREADS; i++)
        if (info[i].tid == tid)
            snprintf(out, size, "%c %s", info[i].state, info[i].wait);
}

/*
 * Start a process or thread that blocks in read(); measure what it costs
 * the kernel while it exists and whether this one runs on; then end it.
 */
static void measure_footprint(enum partner_kind kind, struct footprint *f)
{
    struct blocker b = { .child = kind == PARTNER_PROCESS };
    struct os_stats before, during;
    struct partner p;
    if (pipe(b.fds) != 0) {
        perror("pvt: pipe");
        exit(1);
    }
    blocked_tid = 0;
    /*
     * What it holds, not what it takes: with the stacks of ended threads
     * kept (libc's, the kernel's), a new one would take those and free
     * pages would not move.  So the caches go first (ENOSYS on Linux).
     */
    __libc_freeres();
    syscall(SYS_os_drop_caches);
    f->known = syscall(SYS_os_stats, &before) == 0;
    if (partner_start(&p, kind, block_in_read, &b) != 0) {
        perror("pvt: cannot start the child");
        exit(1);
    }
    pid_t tid = kind == PARTNER_PROCESS ? p.pid : 0;
    /*
     * Until it is known (a new thread says its tid when it first runs) and
     * blocked: yields first (on one CPU the new one runs until it blocks),
     * then 1 ms naps (on two CPUs it may be queued behind others a while,
     * and its CPU's host thread not scheduled at all for a moment), 2 s at
     * most, then the row says what it saw.
     */
    struct timespec nap = { 0, 1000000 };
    f->state[0] = '\0';
    for (int i = 0; i < 2000; i++) {
        if (kind == PARTNER_THREAD)
            tid = blocked_tid;
        if (tid) {
            thread_state(tid, f->state, sizeof f->state);
            if (f->state[0] != 'R' && f->state[0] != 'r')
                break;
        }
        if (i < 1000)
            sched_yield();
        else
            nanosleep(&nap, NULL);
    }
    f->creator_ran = true;  /* we are here: it did */
    if (f->known && syscall(SYS_os_stats, &during) == 0) {
        f->pages = (long)before.free_pages - (long)during.free_pages;
        f->tables = (long)during.page_table_pages - (long)before.page_table_pages;
        f->processes = (long)during.processes - (long)before.processes;
        f->threads = (long)during.threads - (long)before.threads;
    } else {
        f->known = false;
    }
    close(b.fds[1]);        /* end of file: it returns and ends */
    partner_stop(&p, false);
    close(b.fds[0]);
}

static void rows_footprint(void)
{
    struct footprint proc, thr;
    measure_footprint(PARTNER_PROCESS, &proc);      /* first runs grow libc's heap and */
    measure_footprint(PARTNER_THREAD, &thr);        /* thread list: measure the second */
    measure_footprint(PARTNER_PROCESS, &proc);
    measure_footprint(PARTNER_THREAD, &thr);

    struct row *r = new_row("resources", "a process needs more memory");
    if (proc.known && thr.known) {
        snprintf(r->process, sizeof r->process, "%ld pages (%ld KiB), %ld page tables", proc.pages,
                 proc.pages * PAGE_KIB, proc.tables);
        snprintf(r->thread, sizeof r->thread, "%ld pages (%ld KiB), %ld page tables", thr.pages,
                 thr.pages * PAGE_KIB, thr.tables);
        r->holds = verdict(proc.pages > thr.pages);
    } else {
        snprintf(r->process, sizeof r->process, "n/a (no SYS_os_stats)");
        snprintf(r->thread, sizeof r->thread, "n/a (no SYS_os_stats)");
    }

    r = new_row("kernel objects", "a thread lives in a process");
    if (proc.known && thr.known) {
        snprintf(r->process, sizeof r->process, "+%ld process, +%ld thread", proc.processes, proc.threads);
        snprintf(r->thread, sizeof r->thread, "+%ld processes, +%ld thread", thr.processes, thr.threads);
        r->holds = verdict(proc.processes == 1 && proc.threads == 1 && thr.processes == 0 &&
                           thr.threads == 1);
    } else {
        snprintf(r->process, sizeof r->process, "n/a (no SYS_os_stats)");
        snprintf(r->thread, sizeof r->thread, "n/a (no SYS_os_stats)");
    }

    r = new_row("concurrency", "each is scheduled on its own");
    snprintf(r->process, sizeof r->process, "child blocked (%s); parent ran on",
             proc.state[0] ? proc.state : "state n/a");
    snprintf(r->thread, sizeof r->thread, "thread blocked (%s); creator ran on",
             thr.state[0] ? thr.state : "state n/a");
    if (proc.state[0] && thr.state[0])
        r->holds = verdict(proc.state[0] == 'S' && thr.state[0] == 'S' && proc.creator_ran &&
                           thr.creator_ran);
}

/* ------------------------------------------------------------------------- */

/*
 * Parallelism.  The creator and the new one each read the TSC in a tight
 * loop for SPIN_NS, pinned to CPUs 0 and 1, and record the stretches in
 * which consecutive reads were less than GAP_NS apart: the stretches in
 * which it was on a CPU (a longer gap means it was switched out, or its
 * vCPU was).  The time both ran at the same instant is the overlap of the
 * two lists of stretches.  Both read one clock: the TSCs of all CPUs tick
 * together (QEMU and real machines with an invariant TSC).  On one CPU the
 * overlap is about 0 however the scheduler interleaves them; on two it is
 * most of the run.  Under -icount the vCPUs take turns, so it is 0 there
 * too: the row needs real parallel vCPUs (plain TCG, thread=multi).
 */
#define SPIN_NS         100000000.0 /* 100 ms of spinning each */
#define GAP_NS          20000.0     /* 20 us without a TSC read: it was not running */
#define MAX_STRETCHES   1024        /* a full list ends the spin early (the run is then shorter) */
#define PARALLEL_SHARE  0.5         /* "at once" for at least half of the shorter run */

struct stretches {
    int n;
    int cpu_first, cpu_last;    /* the CPU it started and ended on */
    uint64_t from[MAX_STRETCHES], to[MAX_STRETCHES];
};

struct spinner {
    struct stretches s;
    double hz;                  /* TSC ticks per second */
    int cpu;                    /* the CPU to pin to, or ANY_CPU (one CPU) */
    int fd;                     /* a process sends its stretches through this pipe; -1 for a thread */
};

static void spin_and_record(struct stretches *s, double hz)
{
    uint64_t gap = (uint64_t)(GAP_NS * hz / 1e9), length = (uint64_t)(SPIN_NS * hz / 1e9);
    uint64_t start = tsc_read(), last = start;
    s->n = 1;
    s->from[0] = start;
    s->cpu_first = sched_getcpu();
    for (;;) {
        uint64_t now = tsc_read();
        if (now - last > gap) {             /* it was off the CPU: a new stretch */
            s->to[s->n - 1] = last;
            if (s->n == MAX_STRETCHES || now - start >= length)
                break;
            s->from[s->n++] = now;
        } else if (now - start >= length) {
            s->to[s->n - 1] = now;
            break;
        }
        last = now;
    }
    s->cpu_last = sched_getcpu();
}

/* The new one: pin, spin, and (a process) send the stretches to the creator. */
static void *spin_partner(void *arg)
{
    struct spinner *sp = arg;
    if (sp->cpu != ANY_CPU)
        pin_to(sp->cpu);
    spin_and_record(&sp->s, sp->hz);
    if (sp->fd >= 0) {
        const char *p = (const char *)&sp->s;
        for (size_t done = 0; done < sizeof sp->s;) {
            ssize_t n = write(sp->fd, p + done, sizeof sp->s - done);
            if (n <= 0)
                _exit(1);
            done += (size_t)n;
        }
    }
    return NULL;
}

static uint64_t running_time(const struct stretches *s)
{
    uint64_t sum = 0;
    for (int i = 0; i < s->n; i++)
        sum += s->to[i] - s->from[i];
    return sum;
}

/* The time both lists of stretches cover: both were running then. */
static uint64_t overlap(const struct stretches *a, const struct stretches *b)
{
    uint64_t both = 0;
    for (int i = 0, j = 0; i < a->n && j < b->n;) {
        uint64_t lo = a->from[i] > b->from[j] ? a->from[i] : b->from[j];
        uint64_t hi = a->to[i] < b->to[j] ? a->to[i] : b->to[j];
        if (hi > lo)
            both += hi - lo;
        if (a->to[i] < b->to[j])    /* the one that ends first is done */
            i++;
        else
            j++;
    }
    return both;
}

/* Spin next to a new process or thread; its share of the time both ran at once, in the cell. */
static bool measure_parallel(enum partner_kind kind, int cpus, double hz, char *cell, size_t size)
{
    static struct spinner theirs;
    static struct stretches mine;
    int fds[2] = { -1, -1 };
    theirs = (struct spinner){ .hz = hz, .cpu = cpus >= 2 ? 1 : ANY_CPU, .fd = -1 };
    if (kind == PARTNER_PROCESS && pipe(fds) != 0) {
        perror("pvt: pipe");
        exit(1);
    }
    theirs.fd = fds[1];
    pin_to(cpus >= 2 ? 0 : ANY_CPU);
    struct partner p;
    if (partner_start(&p, kind, spin_partner, &theirs) != 0) {
        perror("pvt: spinning partner");
        exit(1);
    }
    spin_and_record(&mine, hz);
    if (kind == PARTNER_PROCESS) {
        close(fds[1]);
        char *at = (char *)&theirs.s;
        size_t done = 0;
        for (ssize_t n; done < sizeof theirs.s && (n = read(fds[0], at + done, sizeof theirs.s - done)) > 0;)
            done += (size_t)n;
        close(fds[0]);
        if (done != sizeof theirs.s) {
            fprintf(stderr, "pvt: the spinning child sent %zu of %zu bytes\n", done, sizeof theirs.s);
            exit(1);
        }
    }
    partner_stop(&p, false);
    pin_to(ANY_CPU);
    uint64_t both = overlap(&mine, &theirs.s);
    uint64_t shorter = running_time(&mine) < running_time(&theirs.s) ? running_time(&mine)
                                                                       : running_time(&theirs.s);
    double ms_per_tick = 1e3 / hz;
    snprintf(cell, size, "%.0f of %.0f ms at once; CPUs %d,%d", (double)both * ms_per_tick,
             (double)shorter * ms_per_tick, mine.cpu_first, theirs.s.cpu_first);
    return mine.cpu_first != theirs.s.cpu_first && (double)both >= PARALLEL_SHARE * (double)shorter;
}

static void row_parallelism(void)
{
    int cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
    double hz = tsc_hz();
    struct row *r = new_row("parallelism", "both run at once on 2 CPUs");
    bool proc = measure_parallel(PARTNER_PROCESS, cpus, hz, r->process, sizeof r->process);
    bool thr = measure_parallel(PARTNER_THREAD, cpus, hz, r->thread, sizeof r->thread);
    if (cpus >= 2)
        r->holds = verdict(proc && thr);
}

/* ------------------------------------------------------------------------- */

/* The median cycles of n calls of op, and the kernel's counters per call (false if none). */
static double median_of(int n, op_fn op, void *ctx, struct os_switch_stats *per_op, bool *counted)
{
    struct run r;
    run_init(&r, n);
    time_calls(&r, op, ctx, empty_cycles);
    double median = spread_of(r.samples, n).median;
    free(r.samples);
    *counted = r.counted;
    *per_op = r.counters;
    return median;
}

/* "N cyc; S sw, C CR3 (F flush)" for a cell: counts per operation. */
static void describe_cost(char *out, size_t size, double cycles, const struct os_switch_stats *c,
                          bool counted, int n)
{
    if (!counted) {
        snprintf(out, size, "%.0f cyc", cycles);
        return;
    }
    snprintf(out, size, "%.0f cyc; %.3g sw, %.3g CR3 (%.3g flush)", cycles,
             (double)c->switches / n, (double)c->cr3_writes / n, (double)c->cr3_flushes / n);
}

static void row_creation(void)
{
    struct os_switch_stats pc, tc;
    bool pcounted, tcounted;
    double fork_cycles = median_of(CREATIONS, op_fork_exit_wait, NULL, &pc, &pcounted);
    double thread_cycles = median_of(CREATIONS, op_thread_create_join, NULL, &tc, &tcounted);
    struct row *r = new_row("creation", "a thread is cheaper to make");
    describe_cost(r->process, sizeof r->process, fork_cycles, &pc, pcounted, CREATIONS);
    describe_cost(r->thread, sizeof r->thread, thread_cycles, &tc, tcounted, CREATIONS);
    r->holds = verdict(thread_cycles < fork_cycles);
}

/* ------------------------------------------------------------------------- */

static void crash(void)
{
    *(volatile int *)0 = 1;     /* page fault: SIGSEGV */
}

static void *crashing_thread(void *arg)
{
    (void)arg;
    crash();
    return NULL;
}

/* "killed by SIGSEGV", "exited 0"... for a cell. */
static void describe_status(char *out, size_t size, int status)
{
    static const struct {
        int number;
        const char *name;
    } names[] = { { SIGSEGV, "SIGSEGV" }, { SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" },
                  { SIGILL, "SIGILL" }, { SIGKILL, "SIGKILL" } };
    if (!WIFSIGNALED(status)) {
        snprintf(out, size, "exited %d", WEXITSTATUS(status));
        return;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].number == WTERMSIG(status)) {
            snprintf(out, size, "killed by %s", names[i].name);
            return;
        }
    snprintf(out, size, "killed by signal %d", WTERMSIG(status));
}

/*
 * A throw-away process whose second thread crashes while the main thread
 * waits in pthread_join; the main thread reports on report_fd if it ever
 * runs again.
 */
static void thread_crash_process(int report_fd)
{
    pthread_t t;
    pthread_create(&t, NULL, crashing_thread, NULL);
    pthread_join(t, NULL);
    if (write(report_fd, "survived", 8) != 8)
        _exit(2);
    _exit(0);
}

static void row_failure(void)
{
    struct row *r = new_row("failure", "a crash ends its process");
    char how[32];
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        crash();
        _exit(0);
    }
    int child_status;
    waitpid(pid, &child_status, 0);
    describe_status(how, sizeof how, child_status);
    snprintf(r->process, sizeof r->process, "child %s; parent ran on", how);

    int report[2];
    if (pipe(report) != 0) {
        perror("pvt: pipe");
        exit(1);
    }
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        close(report[0]);
        thread_crash_process(report[1]);
    }
    close(report[1]);
    char buf[16];
    ssize_t got = read(report[0], buf, sizeof buf);     /* 0: the main thread died too */
    close(report[0]);
    int process_status;
    waitpid(pid, &process_status, 0);
    describe_status(how, sizeof how, process_status);
    snprintf(r->thread, sizeof r->thread, "process %s, main thread %s", how,
             got > 0 ? "ran on" : "too");
    r->holds = verdict(WIFSIGNALED(child_status) && WTERMSIG(child_status) == SIGSEGV &&
                       WIFSIGNALED(process_status) && WTERMSIG(process_status) == SIGSEGV && got <= 0);
}

/* ------------------------------------------------------------------------- */

/*
 * Futex round trips through memory both parties see: with a child
 * process, a word in a MAP_SHARED page (what processes must ask for; the
 * futex keyed by its physical address); with a thread, a plain global
 * (threads share all of it).
 */
static double futex_round_trips(enum partner_kind kind, struct os_switch_stats *c, bool *counted)
{
    static struct ipc_futex plain;
    struct ipc_futex *f = kind == PARTNER_PROCESS ? ipc_map_shared(sizeof *f) : &plain;
    struct partner p;
    if (!f) {
        perror("pvt: mmap(MAP_SHARED)");
        exit(1);
    }
    *f = (struct ipc_futex){ FUTEX_PONG, 0, kind == PARTNER_THREAD ? FUTEX_PRIVATE_FLAG : 0 };
    if (partner_start(&p, kind, ipc_futex_pong, f) != 0) {
        perror("pvt: futex partner");
        exit(1);
    }
    double cycles = median_of(ROUND_TRIPS, op_ipc_futex, f, c, counted);
    ipc_futex_stop(f);
    partner_stop(&p, false);
    if (f != &plain)
        munmap(f, sizeof *f);
    return cycles;
}

static void row_communication(void)
{
    struct os_switch_stats pc, tc;
    bool pcounted, tcounted;
    double process_cycles = futex_round_trips(PARTNER_PROCESS, &pc, &pcounted);
    double thread_cycles = futex_round_trips(PARTNER_THREAD, &tc, &tcounted);
    struct row *r = new_row("communication", "processes share what they map");
    char cost[CELL + 16];
    describe_cost(cost, sizeof cost, process_cycles, &pc, pcounted, ROUND_TRIPS);
    snprintf(r->process, sizeof r->process, "shm+futex: %s", cost);
    describe_cost(cost, sizeof cost, thread_cycles, &tc, tcounted, ROUND_TRIPS);
    snprintf(r->thread, sizeof r->thread, "futex: %s", cost);
    if (pcounted && tcounted)
        r->holds = verdict(pc.cr3_writes > 0 && tc.cr3_writes == 0);
}

/* Yield round trips: with a thread of this process, with another process. */
static void row_switching(void)
{
    struct row *r = new_row("switching", "a thread switch keeps the MMU");
    struct os_switch_stats c[2];
    bool counted[2];
    static const enum partner_kind kinds[2] = { PARTNER_PROCESS, PARTNER_THREAD };
    for (int i = 0; i < 2; i++) {
        struct partner p;
        yield_stop = 0;
        if (partner_start(&p, kinds[i], yield_loop, NULL) != 0) {
            perror("pvt: yield partner");
            exit(1);
        }
        double cycles = median_of(ROUND_TRIPS, op_yield, NULL, &c[i], &counted[i]);
        yield_stop = 1;
        partner_stop(&p, true);
        describe_cost(i == 0 ? r->process : r->thread, sizeof r->process, cycles, &c[i], counted[i],
                      ROUND_TRIPS);
    }
    if (counted[0] && counted[1])
        r->holds = verdict(c[0].cr3_writes > 0 && c[1].cr3_writes == 0 && c[1].switches > 0);
}

/* ------------------------------------------------------------------------- */

static void print_table(void)
{
    static const char *const holds_text[] = { "n/a", "yes", "NO" };
    int w = CELL;
    printf("\npvt: processes vs threads on this kernel; every figure was measured in this run\n"
           "(cyc = median TSC cycles; then per operation, as the kernel counted: sw = switches,\n"
           " CR3 = CR3 writes, flush = those of them that flushed the TLB)\n\n");
    printf("%-14s  %-*s  %-*s  %-31s  %s\n", "", w, "process (fork)", w, "thread (pthread_create)",
           "the textbook says", "holds");
    for (int i = 0; i < nrows; i++)
        printf("%-14s  %-*s  %-*s  %-31s  %s\n", rows[i].aspect, w, rows[i].process, w, rows[i].thread,
               rows[i].textbook, holds_text[rows[i].holds]);
}

int main(void)
{
    empty_cycles = empty_measurement();
    row_memory();
    rows_footprint();
    row_parallelism();
    /*
     * Creation, communication and switching are about what one CPU does:
     * new threads, processes and partners inherit the pin.  Creation on two
     * CPUs would time the wake-up of the other CPU (under TCG a host thread
     * waking another, about a million cycles), not the making of a thread
     * or a process; copy-on-write fork came close enough for that noise to
     * order them.
     */
    pin_to(0);
    row_creation();
    pin_to(ANY_CPU);
    row_failure();
    pin_to(0);
    row_communication();
    row_switching();
    pin_to(ANY_CPU);
    print_table();
    int count[3] = { 0, 0, 0 };
    for (int i = 0; i < nrows; i++)
        count[rows[i].holds]++;
    printf("\npvt: %d rows hold as the textbook says, %d do not", count[HOLDS_YES], count[HOLDS_NO]);
    if (count[HOLDS_NA])
        printf(", %d could not be checked (not our kernel, or one CPU)", count[HOLDS_NA]);
    printf("\n");
    return count[HOLDS_NO];
}
