/*
 * CPU affinity on our kernel (design contract 7): sched_setaffinity,
 * sched_getaffinity and getcpu with Linux's semantics, per thread, inherited
 * by threads, forks and exec.  The cases of affinity_cases.h pass on the
 * Linux host as well (tests/host/libc/affinity.c); the tests here are
 * about our kernel only: its mask's size, where sysconf's count comes
 * from, the pid of a process that is gone, each CPU's counters
 * (SYS_os_cpu_stats), and no leak at the end.
 *
 * No test assumes one CPU: "every CPU" is what sysconf counts, so they
 * stay right when SMP brings more online (and pinning to each CPU then
 * checks that the scheduler moves a thread at once).
 */
#include <stdint.h>
#include <pthread.h>
#include "utest.h"
#include "affinity_cases.h"

#define SELF_PATH       "/bin/test_affinity"
#define KERNEL_MASK     sizeof(uint64_t)    /* the kernel's mask: CPUMASK_CPUS (64) bits */
#define WARM_UP_THREADS 2

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(aff_self_has_every_cpu)
SHARED(aff_raw_call_returns_its_size)
SHARED(aff_get_errors)
SHARED(aff_set_errors)
SHARED(aff_pinned_runs_there)
SHARED(aff_short_and_wide_masks)
SHARED(aff_getcpu)
SHARED(aff_per_thread)
SHARED(aff_inherited)
SHARED(aff_kept_across_exec)
SHARED(aff_of_child_process)

/* The kernel writes its 64-bit mask, whatever room it is given, and says so. */
static void kernel_mask_is_one_word(void)
{
    cpu_set_t set;
    CHECK(syscall(SYS_sched_getaffinity, 0, sizeof set, &set) == (long)KERNEL_MASK, "with room for 1024 CPUs");
    CHECK(syscall(SYS_sched_getaffinity, 0, KERNEL_MASK, &set) == (long)KERNEL_MASK, "with room for 64");
    CHECK(CPU_ISSET(0, &set), "the boot CPU (0) is not in the mask");
}

/* sysconf's count is the kernel's (SYS_os_cpus), which a narrowed mask does not change. */
static void sysconf_is_the_kernels_count(void)
{
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    long kernel = syscall(SYS_os_cpus);
    CHECK(online >= 1 && online == kernel, "sysconf %ld, the kernel %ld", online, kernel);
    cpu_set_t one = aff_only(0);
    CHECK(sched_setaffinity(0, sizeof one, &one) == 0, "pin to 0: %s", strerror(errno));
    CHECK(sysconf(_SC_NPROCESSORS_ONLN) == online, "pinned to CPU 0, sysconf says %ld",
          sysconf(_SC_NPROCESSORS_ONLN));
}

/* A process that has been reaped has no threads: ESRCH, for get and set (pids are never reused). */
static void gone_process_is_esrch(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    CHECK(pid > 0 && waitpid(pid, NULL, 0) == pid, "fork and wait");
    cpu_set_t set;
    AFF_FAILS(sched_getaffinity(pid, sizeof set, &set), ESRCH);
    set = aff_only(0);
    AFF_FAILS(sched_setaffinity(pid, sizeof set, &set), ESRCH);
}

/*
 * SYS_os_cpu_stats (stat's per-CPU table): a thread pinned to each CPU in
 * turn that sleeps there shows up in that CPU's switches; a CPU number
 * that is not online (also one that only its low 32 bits would make
 * valid) is EINVAL, a bad buffer EFAULT.
 */
static void cpu_stats_per_cpu(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    struct os_cpu_stats before, after;
    for (long cpu = 0; cpu < cpus; cpu++) {
        cpu_set_t one = aff_only((int)cpu);
        CHECK(sched_setaffinity(0, sizeof one, &one) == 0, "pin to %ld: %s", cpu, strerror(errno));
        CHECK(syscall(SYS_os_cpu_stats, cpu, &before) == 0, "CPU %ld: %s", cpu, strerror(errno));
        usleep(1000);               /* a sleep: two switches on this CPU */
        CHECK(syscall(SYS_os_cpu_stats, cpu, &after) == 0, "CPU %ld: %s", cpu, strerror(errno));
        CHECK(after.switches > before.switches && after.ticks >= before.ticks,
              "CPU %ld: switches %llu -> %llu", cpu, (unsigned long long)before.switches,
              (unsigned long long)after.switches);
    }
    static const uint64_t bad_cpus[] = { 0, 64, 1ull << 32, ~0ull };
    for (unsigned i = 0; i < sizeof bad_cpus / sizeof bad_cpus[0]; i++) {
        uint64_t cpu = bad_cpus[i] ? bad_cpus[i] : (uint64_t)cpus;
        errno = 0;
        CHECK(syscall(SYS_os_cpu_stats, cpu, &after) == -1 && errno == EINVAL, "CPU %#llx: %s",
              (unsigned long long)cpu, strerror(errno));
    }
    static const uint64_t bad_buffers[] = { 1, 0x00007ffffffffff8ull, 0xffff800000000000ull };
    for (unsigned i = 0; i < sizeof bad_buffers / sizeof bad_buffers[0]; i++) {
        errno = 0;
        CHECK(syscall(SYS_os_cpu_stats, 0, bad_buffers[i]) == -1 && errno == EFAULT, "buffer %#llx: %s",
              (unsigned long long)bad_buffers[i], strerror(errno));
    }
}

/*
 * Sleepers moved and signalled while they sleep: SLEEPERS threads each
 * sleep SLEEP_NS SLEEPS times, while the main thread keeps changing their
 * CPU masks (one CPU, another, all) and sending them a signal whose
 * handler does nothing (the sleep ends early: fine).  No sleep may take
 * longer than SLEEP_LIMIT_NS: a wake-up lost between CPUs would leave a
 * sleeper asleep for good.
 */
#define SLEEPERS        4
#define SLEEPS          100
#define SLEEP_NS        1000000L            /* 1 ms */
#define SLEEP_LIMIT_NS  1000000000ull       /* 1 s */

static volatile int sleepers_done;
static volatile uint64_t longest_sleep_ns;
static volatile pid_t sleeper_tids[SLEEPERS];

static void ignore_signal(int sig) { (void)sig; }


static void *sleeper(void *arg)
{
    sleeper_tids[(intptr_t)arg] = gettid();
    for (int i = 0; i < SLEEPS; i++) {
        struct timespec ts = { 0, SLEEP_NS };
        uint64_t start = utest_now_ns();
        nanosleep(&ts, NULL);
        uint64_t took = utest_now_ns() - start;
        if (took > longest_sleep_ns)
            longest_sleep_ns = took;
    }
    __atomic_fetch_add(&sleepers_done, 1, __ATOMIC_RELEASE);
    return NULL;
}

static void sleepers_wake_while_moved(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = ignore_signal;      /* no SA_RESTART: a signalled sleep ends with EINTR */
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction");
    pthread_t t[SLEEPERS];
    for (intptr_t i = 0; i < SLEEPERS; i++)
        CHECK(pthread_create(&t[i], NULL, sleeper, (void *)i) == 0, "pthread_create");
    unsigned turn = 0;
    while (__atomic_load_n(&sleepers_done, __ATOMIC_ACQUIRE) < SLEEPERS) {
        for (int i = 0; i < SLEEPERS; i++) {
            pid_t tid = sleeper_tids[i];
            if (!tid)
                continue;
            cpu_set_t set;
            CPU_ZERO(&set);
            int shape = (int)(turn++ % 3);
            for (long c = 0; c < cpus; c++)
                if (shape == 2 || c % 2 == shape || cpus == 1)
                    CPU_SET((int)c, &set);
            sched_setaffinity(tid, sizeof set, &set);   /* ESRCH once it has ended: fine */
            if (turn % 5 == 0)
                syscall(SYS_tkill, tid, SIGUSR1);
        }
        usleep(300);
    }
    for (int i = 0; i < SLEEPERS; i++)
        pthread_join(t[i], NULL);
    CHECK(longest_sleep_ns < SLEEP_LIMIT_NS, "a sleep of 1 ms took %llu ms",
          (unsigned long long)(longest_sleep_ns / 1000000));
}

static void *idle_thread(void *arg) { return arg; }

/* First-use allocations (a thread's, a child's) before the page count starts. */
static void warm_up(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t t[WARM_UP_THREADS];
        for (int i = 0; i < WARM_UP_THREADS; i++)
            pthread_create(&t[i], NULL, idle_thread, NULL);
        for (int i = 0; i < WARM_UP_THREADS; i++)
            pthread_join(t[i], NULL);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
    aff_exec_mode(argc, argv);
    aff_exec_path = SELF_PATH;
    warm_up();
    struct os_stats start = utest_settled();
    RUN_SHARED(aff_self_has_every_cpu);
    RUN_SHARED(aff_raw_call_returns_its_size);
    RUN_SHARED(aff_get_errors);
    RUN_SHARED(aff_set_errors);
    RUN_SHARED(aff_pinned_runs_there);
    RUN_SHARED(aff_short_and_wide_masks);
    RUN_SHARED(aff_getcpu);
    RUN_SHARED(aff_per_thread);
    RUN_SHARED(aff_inherited);
    RUN_SHARED(aff_kept_across_exec);
    RUN_SHARED(aff_of_child_process);
    RUN(kernel_mask_is_one_word);
    RUN(sysconf_is_the_kernels_count);
    RUN(gone_process_is_esrch);
    RUN(cpu_stats_per_cpu);
    RUN(sleepers_wake_while_moved);
    utest_pages_back("affinity_leaks_nothing", start);
    return utest_finish();
}
