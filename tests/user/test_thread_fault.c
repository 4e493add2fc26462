/*
 * Faults and kills of multi-threaded processes (issue 6).  A child process
 * whose fourth thread faults (NULL write, divide by zero, ud2, kernel
 * address read, write to its own text) while its other threads are
 * blocked in a pipe write, in pthread_join, on a mutex, in sleep, and
 * spinning, ends as a whole with the fault's signal; a bystander process
 * forked before finishes normally; no thread, descriptor or page is left
 * behind.  Threads spinning without system calls are preempted and can be
 * killed; kill ends every thread; a thread's stack overflow hits its guard.
 */
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include "uthread.h"

#define KERNEL_ADDRESS   0xffffffff80100000ul   /* the kernel image: mapped, but not for users */
#define PIPE_CHUNK       4096
#define BYSTANDER_LOOPS  3000000ul
#define SIBLINGS_ASLEEP  4      /* pipe writer, joiner (main), mutex waiter, sleeper */
#define SPINNERS         3
#define WAIT_SECONDS     20
#define SURVIVOR_ROUNDS  3000
#define SMALL_STACK      (64 * 1024)

static void null_write(void)     { *(volatile int *)0 = 1; }
static void kernel_read(void)    { (void)*(volatile long *)KERNEL_ADDRESS; }
static void text_write(void)     { *(volatile unsigned char *)(uintptr_t)null_write = 0xc3; }
static void invalid_opcode(void) { __asm__ volatile("ud2"); }

/* In assembly: the compiler may turn 1 / x into a comparison, which never traps. */
static volatile int zero = 0;
static void divide_by_zero(void)
{
    int quotient;
    __asm__ volatile("cltd; idivl %1" : "=a"(quotient) : "r"(zero), "a"(1) : "edx");
    (void)quotient;
}

/* The doomed child's state: its threads block on these. */
static int full_pipe[2];
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static void (*fault)(void);
static volatile unsigned long spins;

static void *fill_pipe(void *arg)
{
    static char chunk[PIPE_CHUNK];
    for (;;)                    /* nobody reads: blocks once the pipe is full */
        if (write(full_pipe[1], chunk, sizeof chunk) < 0)
            return arg;
}

static void *wait_on_mutex(void *arg)
{
    pthread_mutex_lock(&held);  /* main holds it until the end */
    return arg;
}

static void *sleep_long(void *arg)
{
    sleep(1000);
    return arg;
}

static void *spin(void *arg)
{
    for (;;)
        spins++;                /* no system call: only preemption takes the CPU away */
    return arg;
}

/* The fourth thread: waits until its siblings are where the test wants them, then faults. */
static void *faulter(void *arg)
{
    struct timespec nap = { 0, UTHREAD_POLL_NS };
    for (int tries = 0; tries < 100 && spins == 0; tries++)
        nanosleep(&nap, NULL);
    if (!uthread_wait_for(getpid(), SIBLINGS_ASLEEP, NULL, WAIT_SECONDS) ||
        !uthread_wait_for(getpid(), 1, "pipewr", WAIT_SECONDS) ||
        !uthread_wait_for(getpid(), 2, "futex", WAIT_SECONDS) ||        /* main in join, the mutex waiter */
        !uthread_wait_for(getpid(), 1, "sleep", WAIT_SECONDS) || spins == 0)
        exit(42);               /* not in position: the parent reports it */
    fault();
    exit(43);                   /* the fault did not end us */
    return arg;
}

/* The child: main (1) joins the faulter, 2 fills a pipe, 3 waits on a mutex, 4 faults, 5 sleeps, 6 spins. */
static _Noreturn void doomed_process(void)
{
    pthread_t writer, waiter, bad, sleeper, spinner;
    pthread_mutex_lock(&held);
    if (pthread_create(&writer, NULL, fill_pipe, NULL) || pthread_create(&waiter, NULL, wait_on_mutex, NULL) ||
        pthread_create(&bad, NULL, faulter, NULL) || pthread_create(&sleeper, NULL, sleep_long, NULL) ||
        pthread_create(&spinner, NULL, spin, NULL))
        _exit(41);
    pthread_join(bad, NULL);
    _exit(44);
}

/* A process computing beside the crash; it must finish with the right answer. */
static pid_t start_bystander(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        unsigned long sum = 0;
        for (unsigned long i = 0; i < BYSTANDER_LOOPS; i++)
            sum += i;
        _exit(sum == BYSTANDER_LOOPS * (BYSTANDER_LOOPS - 1) / 2 ? 0 : 1);
    }
    return pid;
}

/* Threads beside the test's: a process of the caller's that runs through the fault (or 0). */
static void expect_whole_process_dies(void (*fn)(void), int sig, const char *what, uint64_t others)
{
    uint64_t threads_before = utest_stats().threads - others;
    pid_t bystander = start_bystander();
    CHECK(bystander > 0, "fork");
    CHECK(pipe(full_pipe) == 0, "pipe");
    fault = fn;
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0)
        doomed_process();
    close(full_pipe[1]);        /* the child's copy is the only writer left */
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == 42), "%s: the siblings never got into position", what);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == sig, "%s: status %#x, expected death by signal %d",
          what, status, sig);
    /* every descriptor of the dead process is closed: the pipe reads to its end, then EOF */
    char buf[PIPE_CHUNK];
    ssize_t n;
    while ((n = read(full_pipe[0], buf, sizeof buf)) > 0)
        ;
    CHECK(n == 0, "%s: reading the pipe after the death: %ld (errno %d), expected EOF", what, (long)n, errno);
    close(full_pipe[0]);
    CHECK(waitpid(bystander, &status, 0) == bystander && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "%s: the bystander: status %#x", what, status);
    uint64_t threads_after = utest_threads_settled();
    CHECK(threads_after == threads_before + others, "%s: %lu threads, %lu before", what,
          (unsigned long)threads_after, (unsigned long)(threads_before + others));
}

static void null_write_ends_all_threads(void)  { expect_whole_process_dies(null_write, SIGSEGV, "NULL write", 0); }
static void divide_ends_all_threads(void)      { expect_whole_process_dies(divide_by_zero, SIGFPE, "divide by zero", 0); }
static void ud2_ends_all_threads(void)         { expect_whole_process_dies(invalid_opcode, SIGILL, "ud2", 0); }
static void kernel_read_ends_all_threads(void) { expect_whole_process_dies(kernel_read, SIGSEGV, "kernel read", 0); }
static void text_write_ends_all_threads(void)  { expect_whole_process_dies(text_write, SIGSEGV, "text write", 0); }

/* A process whose main thread and SPINNERS threads spin without system calls. */
static _Noreturn void spinning_process(void)
{
    pthread_t t;
    for (int i = 0; i < SPINNERS; i++)
        if (pthread_create(&t, NULL, spin, NULL))
            _exit(41);
    spin(NULL);
    _exit(44);
}

/* Preempted: we run while it spins, and each of its threads got CPU time.  Killable: by any signal. */
static void kill_spinning_threads(int sig)
{
    uint64_t threads_before = utest_threads_settled();    /* none of an earlier test still ending */
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0)
        spinning_process();
    struct timespec nap = { 0, 100000000 };     /* 100 ms: we only get here if the timer preempts it */
    static struct os_threadinfo list[UTHREAD_MAX_LISTED];
    int ran = 0, listed = 0;
    for (int tries = 0; tries < 50 && ran < SPINNERS + 1; tries++) {
        nanosleep(&nap, NULL);
        long n = uthread_list(list);
        ran = listed = 0;
        for (long i = 0; i < n; i++) {
            if (list[i].pid != pid)
                continue;
            listed++;
            ran += list[i].cpu_ticks > 0;
        }
    }
    CHECK(listed == SPINNERS + 1 && ran == SPINNERS + 1, "%d threads listed, %d of them ran", listed, ran);
    CHECK(kill(pid, sig) == 0, "kill");
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == sig, "status %#x, expected death by signal %d", status, sig);
    uint64_t threads_after = utest_threads_settled();
    CHECK(threads_after == threads_before, "%lu threads, %lu before", (unsigned long)threads_after,
          (unsigned long)threads_before);
}

static void spinning_threads_sigkill(void) { kill_spinning_threads(SIGKILL); }
static void spinning_threads_sigterm(void) { kill_spinning_threads(SIGTERM); }

/* kill of a process whose threads sleep everywhere: all of them end, the pipe peer sees EOF. */
static void kill_ends_blocked_threads(void)
{
    uint64_t threads_before = utest_threads_settled();    /* none of an earlier test still ending */
    CHECK(pipe(full_pipe) == 0, "pipe");
    fault = NULL;
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        pthread_t t[4];
        pthread_mutex_lock(&held);
        pthread_create(&t[0], NULL, fill_pipe, NULL);
        pthread_create(&t[1], NULL, wait_on_mutex, NULL);
        pthread_create(&t[2], NULL, sleep_long, NULL);
        pthread_create(&t[3], NULL, spin, NULL);
        pthread_join(t[2], NULL);
        _exit(44);
    }
    close(full_pipe[1]);
    CHECK(uthread_wait_for(pid, SIBLINGS_ASLEEP, NULL, WAIT_SECONDS), "the child's threads never slept: %d",
          uthread_count(pid, 'S', NULL));
    CHECK(utest_stats().threads == threads_before + 5, "%lu threads with the child's 5, %lu before",
          (unsigned long)utest_stats().threads, (unsigned long)threads_before);
    CHECK(kill(pid, SIGTERM) == 0, "kill");
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
          "status %#x", status);
    char buf[PIPE_CHUNK];
    ssize_t n;
    while ((n = read(full_pipe[0], buf, sizeof buf)) > 0)
        ;
    CHECK(n == 0, "the pipe after the kill: %ld", (long)n);
    close(full_pipe[0]);
    uint64_t threads_after = utest_threads_settled();
    CHECK(threads_after == threads_before, "%lu threads, %lu before", (unsigned long)threads_after,
          (unsigned long)threads_before);
}

static pthread_mutex_t survivor_lock = PTHREAD_MUTEX_INITIALIZER;
static long survivor_count;
static int release[2];          /* the survivor's threads stay until its write end closes */

static void *survivor_work(void *arg)
{
    for (int i = 0; i < SURVIVOR_ROUNDS; i++) {
        pthread_mutex_lock(&survivor_lock);
        long v = survivor_count;
        if (i % 100 == 0)
            sched_yield();
        survivor_count = v + 1;
        pthread_mutex_unlock(&survivor_lock);
    }
    char c;
    read(release[0], &c, 1);
    return arg;
}

/* A thread faulting in one process while another multi-threaded process works: only the first dies. */
static void fault_spares_other_threaded_process(void)
{
    CHECK(pipe(release) == 0, "pipe");
    pid_t survivor = fork();
    CHECK(survivor >= 0, "fork");
    if (survivor == 0) {
        close(release[1]);
        pthread_t t[SPINNERS];
        for (int i = 0; i < SPINNERS; i++)
            pthread_create(&t[i], NULL, survivor_work, NULL);
        for (int i = 0; i < SPINNERS; i++)
            pthread_join(t[i], NULL);
        _exit(survivor_count == SPINNERS * SURVIVOR_ROUNDS ? 0 : 1);
    }
    close(release[0]);
    struct timespec nap = { 0, 20000000 };
    while (uthread_count(survivor, 0, NULL) < SPINNERS + 1)
        nanosleep(&nap, NULL);
    expect_whole_process_dies(null_write, SIGSEGV, "NULL write beside a threaded process", SPINNERS + 1);
    close(release[1]);
    int status;
    CHECK(waitpid(survivor, &status, 0) == survivor && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the other threaded process: status %#x", status);
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"     /* on purpose: it ends in the guard page */
static void *recurse(void *arg)
{
    volatile char frame[1024];
    frame[0] = (char)(intptr_t)arg;
    recurse((void *)(intptr_t)(frame[0] + 1));
    return (void *)(intptr_t)frame[0];
}

/* A thread that overflows its (small) stack runs into the guard page below it: SIGSEGV for the process. */
static void thread_stack_overflow_hits_guard(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        pthread_attr_t attr;
        pthread_t t, sleeper;
        pthread_create(&sleeper, NULL, sleep_long, NULL);
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, SMALL_STACK);
        pthread_create(&t, &attr, recurse, NULL);
        pthread_join(t, NULL);
        _exit(1);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
          "status %#x, expected death by SIGSEGV", status);
}

/* The same, in a child, so that the leak check below starts after first-use allocations. */
static void warm_up(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pipe(full_pipe);
        fault = null_write;
        pid_t child = fork();
        if (child == 0)
            doomed_process();
        waitpid(child, NULL, 0);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

int main(void)
{
    warm_up();
    struct os_stats start = utest_settled();
    RUN(null_write_ends_all_threads);
    RUN(divide_ends_all_threads);
    RUN(ud2_ends_all_threads);
    RUN(kernel_read_ends_all_threads);
    RUN(text_write_ends_all_threads);
    RUN(spinning_threads_sigkill);
    RUN(spinning_threads_sigterm);
    RUN(kill_ends_blocked_threads);
    RUN(fault_spares_other_threaded_process);
    RUN(thread_stack_overflow_hits_guard);
    utest_pages_back("thread_faults_leak_nothing", start);
    return utest_finish();
}
