/*
 * What bench (user/bench.c) and pvt (user/pvt.c) share: fenced TSC reads,
 * the kernel's switch counters, the spread of a set of samples, the TSC
 * rate, the timed loop, a partner (a thread or a process) to bounce off,
 * and the round trips both programs measure.
 *
 * Everything here is static: each program is one translation unit
 * (user/user.mk builds every user/NAME.c alone), so this header is the
 * one copy of these helpers.
 *
 * On a Linux host our own calls (SYS_os_*) fail with ENOSYS: the counters
 * are then marked unavailable and the programs carry on without them.
 */
#ifndef USER_BENCH_H
#define USER_BENCH_H

#include <abi/futex.h>
#include <abi/os.h>
#include <abi/syscall.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * The TSC, fenced: lfence waits until every earlier instruction has
 * completed, so the read is not hoisted above the code being timed; the
 * "memory" clobber keeps the compiler from moving loads and stores across
 * it.  Under QEMU -icount shift=0 this counts guest instructions.
 */
static inline uint64_t tsc_read(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* --- the kernel's counters ------------------------------------------------ */

/* Zero the kernel's switch and flush counters; false if the kernel has none (Linux). */
static inline bool counters_reset(void)
{
    return syscall(SYS_os_reset_stats) == 0;
}

/* The counters since the last reset into *s; false if the kernel has none. */
static inline bool counters_read(struct os_switch_stats *s)
{
    return syscall(SYS_os_switch_stats, s) == 0;
}

/* Free physical pages now, or -1 if the kernel cannot tell (Linux). */
static inline long free_pages(void)
{
    struct os_stats s;
    return syscall(SYS_os_stats, &s) == 0 ? (long)s.free_pages : -1;
}

/* --- the spread of samples ------------------------------------------------ */

struct spread {
    double median, p10, p90, min;
};

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p-th percentile of n sorted values, nearest rank (p in 0..100). */
static inline double percentile(const double *sorted, int n, int p)
{
    return sorted[(int)((double)(n - 1) * p / 100.0 + 0.5)];
}

/* Sorts v (n > 0) and returns its median, 10th and 90th percentiles and minimum. */
static inline struct spread spread_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, compare_doubles);
    double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return (struct spread){ median, percentile(v, n, 10), percentile(v, n, 90), v[0] };
}

/* --- the TSC rate ----------------------------------------------------------- */

#define TSC_CALIBRATION_NS 10000000L    /* 10 ms: the kernel's clock is the TSC too, so short is exact
                                           there; on a Linux host it keeps the error under 0.1 % */

static inline uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* TSC cycles per second, measured against CLOCK_MONOTONIC by spinning TSC_CALIBRATION_NS. */
static inline double tsc_hz(void)
{
    uint64_t ns0 = monotonic_ns(), c0 = tsc_read(), ns1, c1;
    do {
        ns1 = monotonic_ns();
        c1 = tsc_read();
    } while (ns1 - ns0 < (uint64_t)TSC_CALIBRATION_NS);
    return (double)(c1 - c0) * 1e9 / (double)(ns1 - ns0);
}

/* --- CPUs ------------------------------------------------------------------- */

#define ANY_CPU (-1)

/* Run the calling thread on CPU cpu only, or on every CPU (ANY_CPU); exits if the kernel refuses. */
static inline void pin_to(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (cpu == ANY_CPU) {
        for (long c = 0; c < sysconf(_SC_NPROCESSORS_ONLN); c++)
            CPU_SET((int)c, &set);
    } else {
        CPU_SET(cpu, &set);
    }
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
        perror("sched_setaffinity");
        exit(1);
    }
}

/* --- futex words ------------------------------------------------------------ */


/* Sleep while *word == expected (returns at once if it differs). */
static inline void futex_wait_word(volatile int *word, int expected)
{
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

/* Wake one sleeper of word. */
static inline void futex_wake_word(volatile int *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* --- a partner to bounce off: a thread of this process, or a child process -- */

enum partner_kind { PARTNER_THREAD, PARTNER_PROCESS };

struct partner {
    enum partner_kind kind;
    pthread_t thread;
    pid_t pid;
};

#define PARTNER_STACK (64 * 1024)   /* the loops below need little; 256 threads stay small */

/*
 * Start fn(arg) in a new thread or in a forked child (which _exits 0 when
 * fn returns); 0 on success, -1 with errno set.
 */
static inline int partner_start(struct partner *p, enum partner_kind kind, void *(*fn)(void *), void *arg)
{
    p->kind = kind;
    if (kind == PARTNER_THREAD) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, PARTNER_STACK);
        int err = pthread_create(&p->thread, &attr, fn, arg);
        pthread_attr_destroy(&attr);
        if (err) {
            errno = err;
            return -1;
        }
        return 0;
    }
    fflush(NULL);               /* nothing buffered may be written twice */
    p->pid = fork();
    if (p->pid < 0)
        return -1;
    if (p->pid == 0) {
        fn(arg);
        _exit(0);
    }
    return 0;
}

/*
 * Wait for the partner to end; a process is first killed if kill_it (for
 * loops that never end by themselves).  A thread must end by itself.
 */
static inline void partner_stop(struct partner *p, bool kill_it)
{
    if (p->kind == PARTNER_THREAD) {
        pthread_join(p->thread, NULL);
        return;
    }
    if (kill_it)
        kill(p->pid, SIGKILL);
    waitpid(p->pid, NULL, 0);
}

/* --- a timed loop ------------------------------------------------------------ */

#define WARMUP_MAX 10

/* The samples of one measured loop and what the kernel counted meanwhile. */
struct run {
    int n;                          /* timed iterations */
    double *samples;                /* n of them, in the row's unit */
    bool counted;                   /* the kernel has counters (not Linux) */
    struct os_switch_stats counters;/* since the end of the warm-up */
};

/* Untimed iterations before n timed ones: a tenth, at least 1, at most WARMUP_MAX. */
static inline int warmup_count(int n)
{
    int w = n / 10;
    return w < 1 ? 1 : w > WARMUP_MAX ? WARMUP_MAX : w;
}

/* Room for n samples (exits if there is none). */
static inline void run_init(struct run *r, int n)
{
    r->n = n;
    r->samples = calloc((size_t)n, sizeof *r->samples);
    if (!r->samples) {
        fprintf(stderr, "out of memory for %d samples\n", n);
        _exit(1);
    }
    r->counted = false;
}

/* Zero the kernel's counters: the timed loop starts now. */
static inline void run_start(struct run *r)
{
    r->counted = counters_reset();
}

/* Read the kernel's counters: the timed loop is over. */
static inline void run_stop(struct run *r)
{
    if (r->counted)
        r->counted = counters_read(&r->counters);
}

typedef void (*op_fn)(void *ctx);

/*
 * Time op(ctx) r->n times after warmup_count(r->n) untimed calls: each
 * sample is the cycles of one call less subtract (the empty measurement).
 * noipa: gcc must not specialise this loop for one op, or the empty
 * measurement (this loop around an empty op) would no longer measure it.
 */
static __attribute__((noipa, unused)) void time_calls(struct run *r, op_fn op, void *ctx, double subtract)
{
    for (int i = 0; i < warmup_count(r->n); i++)
        op(ctx);
    run_start(r);
    for (int i = 0; i < r->n; i++) {
        uint64_t t0 = tsc_read();
        op(ctx);
        uint64_t t1 = tsc_read();
        r->samples[i] = (double)(t1 - t0) - subtract;
    }
    run_stop(r);
}

static inline void op_nothing(void *ctx)
{
    (void)ctx;
}

/* The cost of measuring: the median of the timed loop around nothing. */
static inline double empty_measurement(void)
{
    struct run r;
    run_init(&r, 1000);
    time_calls(&r, op_nothing, NULL, 0);
    double median = spread_of(r.samples, r.n).median;
    free(r.samples);
    return median;
}

/* --- creating and ending ------------------------------------------------------ */

static inline void *thread_returns(void *arg)
{
    return arg;
}

/* pthread_create + pthread_join of a thread that returns at once. */
static inline void op_thread_create_join(void *ctx)
{
    (void)ctx;
    pthread_t t;
    int err = pthread_create(&t, NULL, thread_returns, NULL);
    if (err) {
        fprintf(stderr, "pthread_create: %s\n", strerror(err));
        _exit(1);
    }
    pthread_join(t, NULL);
}

/* fork + _exit + waitpid: the child ends at once. */
static inline void op_fork_exit_wait(void *ctx)
{
    (void)ctx;
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    if (pid < 0) {
        perror("fork");
        _exit(1);
    }
    waitpid(pid, NULL, 0);
}

/* --- round trips: the partner's loops and the measuring side's operations -- */

/* Yield until told to stop (a process partner cannot be told: it is killed). */
static volatile int yield_stop;

static inline void *yield_loop(void *arg)
{
    (void)arg;
    while (!yield_stop)
        sched_yield();
    return NULL;
}

static inline void op_yield(void *ctx)
{
    (void)ctx;
    sched_yield();
}

/* Two pipes: the measuring side writes a byte, the partner echoes it back. */
struct pipe_pair {
    int to[2];                  /* to the partner */
    int from[2];                /* back from it */
    bool child;                 /* the partner is a process: it closes the ends it does not use */
};

/* The partner: echo each byte back until end of file. */
static inline void *pipe_echo(void *arg)
{
    struct pipe_pair *pp = arg;
    char c;
    if (pp->child) {
        close(pp->to[1]);
        close(pp->from[0]);
    }
    while (read(pp->to[0], &c, 1) == 1)
        if (write(pp->from[1], &c, 1) != 1)
            break;
    return NULL;
}

static inline void op_pipe_round_trip(void *ctx)
{
    struct pipe_pair *pp = ctx;
    char c = 'x';
    if (write(pp->to[1], &c, 1) != 1 || read(pp->from[0], &c, 1) != 1) {
        perror("pipe round trip");
        _exit(1);
    }
}

/*
 * A futex ping-pong through shared memory: whose turn it is, FUTEX_PING
 * the partner's, FUTEX_PONG the measuring thread's.
 */
#define FUTEX_PONG 0
#define FUTEX_PING 1
static volatile int futex_turn, futex_stop;

/* The partner: wait for a ping, answer with a pong, until told to stop. */
static inline void *futex_pong(void *arg)
{
    (void)arg;
    for (;;) {
        while (futex_turn != FUTEX_PING)
            futex_wait_word(&futex_turn, FUTEX_PONG);
        if (futex_stop)
            return NULL;
        futex_turn = FUTEX_PONG;
        futex_wake_word(&futex_turn);
    }
}

static inline void op_futex_round_trip(void *ctx)
{
    (void)ctx;
    futex_turn = FUTEX_PING;
    futex_wake_word(&futex_turn);
    while (futex_turn != FUTEX_PONG)
        futex_wait_word(&futex_turn, FUTEX_PING);
}

/* Tell futex_pong to end (then join it). */
static inline void futex_pong_stop(void)
{
    futex_stop = 1;
    futex_turn = FUTEX_PING;
    futex_wake_word(&futex_turn);
}

/* A futex ping-pong on a word that both parties map: private between threads, shared between processes. */
struct ipc_futex {
    volatile int turn;          /* FUTEX_PING: the partner's; FUTEX_PONG: the measurer's */
    volatile int stop;
    int op_private;             /* FUTEX_PRIVATE_FLAG or 0 */
};

static inline void ipc_futex_wait(struct ipc_futex *f, int expected)
{
    syscall(SYS_futex, &f->turn, FUTEX_WAIT | f->op_private, expected, NULL, NULL, 0);
}

static inline void ipc_futex_wake(struct ipc_futex *f)
{
    syscall(SYS_futex, &f->turn, FUTEX_WAKE | f->op_private, 1, NULL, NULL, 0);
}

static inline void *ipc_futex_pong(void *arg)
{
    struct ipc_futex *f = arg;
    for (;;) {
        while (f->turn != FUTEX_PING)
            ipc_futex_wait(f, FUTEX_PONG);
        if (f->stop)
            return NULL;
        f->turn = FUTEX_PONG;
        ipc_futex_wake(f);
    }
}

static inline void op_ipc_futex(void *ctx)
{
    struct ipc_futex *f = ctx;
    f->turn = FUTEX_PING;
    ipc_futex_wake(f);
    while (f->turn != FUTEX_PONG)
        ipc_futex_wait(f, FUTEX_PING);
}

/* Tell the partner waiting on f to end (it answers no more). */
static inline void ipc_futex_stop(struct ipc_futex *f)
{
    f->stop = 1;
    f->turn = FUTEX_PING;
    ipc_futex_wake(f);
}

/* size bytes that a fork keeps shared (MAP_SHARED), or NULL. */
static inline void *ipc_map_shared(size_t size)
{
    void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return m == MAP_FAILED ? NULL : m;
}

#endif
