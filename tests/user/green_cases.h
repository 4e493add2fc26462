/*
 * Green threads (<green.h>, the many-to-one model) in cases that run both
 * on the Linux host (tests/host/libc/green.c) and in our kernel
 * (tests/user/test_lab_green.c): the library is user space only, so the
 * same checks hold on both.  Each case returns 1, or fails through the
 * includer's CHECK (check.h returns 0, utest.h ends the test).
 */
#ifndef TESTS_USER_GREEN_CASES_H
#define TESTS_USER_GREEN_CASES_H

#include <errno.h>
#include <green.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define GREEN_LOG_MAX       64
#define GREEN_ROUNDS        3
#define GREEN_RR_THREADS    3
#define GREEN_STACK_THREADS 100
#define GREEN_LOCAL_WORDS   256         /* 2 KiB of each stack, filled and checked */
#define GREEN_MANY          2000
#define GREEN_NEST_DEPTH    5
#define GREEN_SLEEP_NS      100000000L  /* 100 ms */
#define MXCSR_ROUND_MASK    0x6000      /* MXCSR bits 13-14: the rounding mode */
#define MXCSR_ROUND_DOWN    0x2000
#define MXCSR_ROUND_UP      0x4000
#define STATUS_LINE_MAX     256

/* Make a green thread, failing the case if it cannot. */
#define GREEN_CREATE(t, fn, arg) do {                                           \
        int err_ = green_create((t), (fn), (arg));                              \
        CHECK(err_ == 0, "green_create: %s", strerror(err_));                   \
    } while (0)

#define GREEN_JOIN(t, result) do {                                              \
        int err_ = green_join((t), (result));                                   \
        CHECK(err_ == 0, "green_join: %s", strerror(err_));                     \
    } while (0)

static void *green_double(void *arg)
{
    return (void *)((uintptr_t)arg * 2);
}

/* A green thread runs, and its joiner gets its result. */
static int green_runs_and_joins(void)
{
    green_t *t;
    void *result = NULL;
    GREEN_CREATE(&t, green_double, (void *)21);
    GREEN_JOIN(t, &result);
    CHECK((uintptr_t)result == 42, "the result is %lu, not 42", (unsigned long)(uintptr_t)result);
    return 1;
}

struct green_log {
    int entries[GREEN_LOG_MAX];
    int n;
};

struct green_logger {
    struct green_log *log;
    int id;
};

static void *green_log_rounds(void *arg)
{
    struct green_logger *me = arg;
    for (int r = 0; r < GREEN_ROUNDS; r++) {
        me->log->entries[me->log->n++] = me->id;
        green_yield();
    }
    return NULL;
}

/* Run GREEN_RR_THREADS loggers to their end; 1 if the log is round robin: 0 1 2 0 1 2 ... */
static int green_log_is_round_robin(struct green_log *log)
{
    struct green_logger who[GREEN_RR_THREADS];
    green_t *t[GREEN_RR_THREADS];
    for (int i = 0; i < GREEN_RR_THREADS; i++) {
        who[i] = (struct green_logger){ log, i };
        GREEN_CREATE(&t[i], green_log_rounds, &who[i]);
    }
    for (int i = 0; i < GREEN_RR_THREADS; i++)
        GREEN_JOIN(t[i], NULL);
    CHECK(log->n == GREEN_RR_THREADS * GREEN_ROUNDS, "%d entries, expected %d", log->n,
          GREEN_RR_THREADS * GREEN_ROUNDS);
    for (int i = 0; i < log->n; i++)
        CHECK(log->entries[i] == i % GREEN_RR_THREADS, "entry %d is thread %d, expected %d (round robin)", i,
              log->entries[i], i % GREEN_RR_THREADS);
    return 1;
}

/* Yields go round the runnable green threads in order, first come first served. */
static int green_round_robin(void)
{
    struct green_log log = { .n = 0 };
    return green_log_is_round_robin(&log);
}

/* The Threads: line of /proc/self/status (Linux's and ours), or -1. */
static int green_kernel_threads(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[STATUS_LINE_MAX];
    int n = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &n) == 1)
            break;
    if (f)
        fclose(f);
    return n;
}

struct green_seen {
    pid_t tid;
    int kernel_threads;
};

static void *green_note_kernel_thread(void *arg)
{
    struct green_seen *seen = arg;
    green_yield();                      /* all of them alive at once */
    seen->tid = gettid();
    seen->kernel_threads = green_kernel_threads();
    return NULL;
}

/* Green threads are one kernel thread: the caller's tid in each, and a process of one thread. */
static int green_one_kernel_thread(void)
{
    struct green_seen seen[GREEN_RR_THREADS];
    green_t *t[GREEN_RR_THREADS];
    for (int i = 0; i < GREEN_RR_THREADS; i++)
        GREEN_CREATE(&t[i], green_note_kernel_thread, &seen[i]);
    for (int i = 0; i < GREEN_RR_THREADS; i++)
        GREEN_JOIN(t[i], NULL);
    for (int i = 0; i < GREEN_RR_THREADS; i++) {
        CHECK(seen[i].tid == gettid(), "green thread %d ran as tid %d, the caller is %d", i, (int)seen[i].tid,
              (int)gettid());
        CHECK(seen[i].kernel_threads == 1, "green thread %d saw %d kernel threads", i, seen[i].kernel_threads);
    }
    return 1;
}

static void *green_fill_own_stack(void *arg)
{
    uintptr_t id = (uintptr_t)arg;
    volatile uintptr_t words[GREEN_LOCAL_WORDS];
    for (int i = 0; i < GREEN_LOCAL_WORDS; i++)
        words[i] = id * GREEN_LOCAL_WORDS + (uintptr_t)i;
    for (int r = 0; r < GREEN_ROUNDS; r++)
        green_yield();                  /* everyone fills theirs meanwhile */
    for (int i = 0; i < GREEN_LOCAL_WORDS; i++)
        if (words[i] != id * GREEN_LOCAL_WORDS + (uintptr_t)i)
            return (void *)0;
    return (void *)1;
}

/* Each green thread has a stack of its own: a hundred fill theirs, yield, and find them intact. */
static int green_stacks_are_separate(void)
{
    static green_t *t[GREEN_STACK_THREADS];
    for (uintptr_t i = 0; i < GREEN_STACK_THREADS; i++)
        GREEN_CREATE(&t[i], green_fill_own_stack, (void *)i);
    for (int i = 0; i < GREEN_STACK_THREADS; i++) {
        void *intact = NULL;
        GREEN_JOIN(t[i], &intact);
        CHECK(intact == (void *)1, "green thread %d found its stack changed", i);
    }
    return 1;
}

static uint32_t green_mxcsr(void)
{
    uint32_t v;
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}

static void green_set_rounding(uint32_t mode)
{
    uint32_t v = (green_mxcsr() & ~(uint32_t)MXCSR_ROUND_MASK) | mode;
    __asm__ volatile("ldmxcsr %0" : : "m"(v));
}

/* Six accumulators live across each yield (the compiler keeps them in callee-saved registers). */
static uint64_t green_mix(uint64_t seed, int yields)
{
    uint64_t a = seed, b = seed ^ 0x9e3779b97f4a7c15ull, c = seed * 3, d = seed + 7, e = ~seed, f = seed << 3;
    for (int i = 0; i < GREEN_ROUNDS * 4; i++) {
        a = a * 6364136223846793005ull + b;
        b ^= a >> 17;
        c += b * 31;
        d = (d << 5) | (d >> 59);
        e -= c ^ d;
        f += e * 11;
        if (yields)
            green_yield();
    }
    return a ^ b ^ c ^ d ^ e ^ f;
}

static void *green_keep_registers(void *arg)
{
    uint32_t mode = (uint32_t)(uintptr_t)arg;
    green_set_rounding(mode);
    uint64_t mixed = green_mix(mode, 1);
    if (mixed != green_mix(mode, 0))
        return (void *)"callee-saved registers changed across a yield";
    if ((green_mxcsr() & MXCSR_ROUND_MASK) != mode)
        return (void *)"the SSE rounding mode changed across a yield";
    return NULL;
}

/* A switch keeps what the ABI says a call keeps: callee-saved registers, and each thread's MXCSR. */
static int green_registers_kept(void)
{
    static const uint32_t modes[] = { MXCSR_ROUND_DOWN, MXCSR_ROUND_UP, 0 };
    green_t *t[3];
    uint32_t mine = green_mxcsr();
    for (int i = 0; i < 3; i++)
        GREEN_CREATE(&t[i], green_keep_registers, (void *)(uintptr_t)modes[i]);
    for (int i = 0; i < 3; i++) {
        void *complaint = NULL;
        GREEN_JOIN(t[i], &complaint);
        CHECK(!complaint, "green thread %d: %s", i, (const char *)complaint);
    }
    CHECK(green_mxcsr() == mine, "the joiner's MXCSR is %#x, was %#x", green_mxcsr(), mine);
    return 1;
}

static void green_exit_at_depth(int depth)
{
    if (depth < 0)
        return;                         /* never: the deepest call does not return */
    if (depth > 0)
        green_exit_at_depth(depth - 1);
    green_exit((void *)(uintptr_t)(0x5eed + depth));   /* the deepest call's: 0x5eed */
}

static void *green_nested_exit(void *unused)
{
    (void)unused;
    green_exit_at_depth(GREEN_NEST_DEPTH);
    return (void *)0xbad;
}

/* green_exit from deep in a call chain ends the thread with its result. */
static int green_exit_nested(void)
{
    green_t *t;
    void *result = NULL;
    GREEN_CREATE(&t, green_nested_exit, NULL);
    GREEN_JOIN(t, &result);
    CHECK(result == (void *)0x5eed, "the result is %p", result);
    return 1;
}

struct green_counter {
    volatile long count;
    volatile int stop;
    long before, after;         /* the count around the sleeper's nanosleep */
};

static void *green_count_until_stopped(void *arg)
{
    struct green_counter *c = arg;
    while (!c->stop) {
        c->count++;
        green_yield();
    }
    return NULL;
}

static void *green_sleep_between_looks(void *arg)
{
    struct green_counter *c = arg;
    green_yield();                      /* the counter has counted once at least */
    struct timespec nap = { 0, GREEN_SLEEP_NS };
    c->before = c->count;
    nanosleep(&nap, NULL);
    c->after = c->count;
    c->stop = 1;
    return NULL;
}

/* The model's price: a green thread asleep in the kernel stops them all (the counter stands still). */
static int green_blocking_call_blocks_all(void)
{
    struct green_counter c = { 0 };
    green_t *counter, *sleeper;
    GREEN_CREATE(&counter, green_count_until_stopped, &c);
    GREEN_CREATE(&sleeper, green_sleep_between_looks, &c);
    GREEN_JOIN(sleeper, NULL);
    GREEN_JOIN(counter, NULL);
    CHECK(c.before > 0, "the counter never ran");
    CHECK(c.after == c.before, "the counter went from %ld to %ld while its sibling slept", c.before, c.after);
    return 1;
}

static green_t *green_first;            /* green thread 0 of the case's kernel thread */

static void *green_join_first(void *unused)
{
    (void)unused;
    return (void *)(intptr_t)green_join(green_first, NULL);
}

/* Joining oneself is EDEADLK; joining green thread 0 (which cannot end) is EINVAL. */
static int green_join_errors(void)
{
    CHECK(green_join(green_self(), NULL) == EDEADLK, "joining oneself is not EDEADLK");
    green_first = green_self();
    green_t *t;
    void *err = NULL;
    GREEN_CREATE(&t, green_join_first, NULL);
    GREEN_JOIN(t, &err);
    CHECK((intptr_t)err == EINVAL, "joining green thread 0 gave %s, not EINVAL", strerror((int)(intptr_t)err));
    return 1;
}

/* Thousands made and joined one after another: each stack comes back (the heap would run out). */
static int green_many_made_and_joined(void)
{
    for (uintptr_t i = 0; i < GREEN_MANY; i++) {
        green_t *t;
        void *result = NULL;
        GREEN_CREATE(&t, green_double, (void *)i);
        GREEN_JOIN(t, &result);
        CHECK((uintptr_t)result == i * 2, "thread %lu returned %lu", (unsigned long)i,
              (unsigned long)(uintptr_t)result);
    }
    return 1;
}

static void *green_pthread_body(void *log)
{
    return (void *)(uintptr_t)green_log_is_round_robin(log);
}

/* Each kernel thread has its own green threads: two pthreads run their sets side by side. */
static int green_per_kernel_thread(void)
{
    static struct green_log logs[2];
    pthread_t p[2];
    memset(logs, 0, sizeof logs);
    for (int i = 0; i < 2; i++)
        CHECK(pthread_create(&p[i], NULL, green_pthread_body, &logs[i]) == 0, "pthread_create");
    for (int i = 0; i < 2; i++) {
        void *ok = NULL;
        pthread_join(p[i], &ok);
        CHECK(ok == (void *)1, "the green threads of pthread %d did not run round robin (%d entries)", i,
              logs[i].n);
    }
    return 1;
}

#endif
