/*
 * TLB shootdowns, observed (arch/x86_64/tlb.c).  QEMU keeps a software TLB
 * per vCPU and keeps its entries until the guest flushes them, so a
 * missing shootdown shows: a thread on CPU 1 goes on reading (or writing)
 * a page through a stale entry after a thread on CPU 0 unmapped it, mapped
 * another page there, or made it read-only.
 *
 * The reader (or writer) runs pinned to CPU 1 and touches the page in a
 * loop, so its TLB holds the entry; the changer, pinned to CPU 0, changes
 * the mapping, then tells it.  From then on the reader must fault (its
 * SIGSEGV handler counts the fault and repairs the mapping) or see the new
 * contents, never the old ones.  Each case runs ROUNDS times.
 *
 * The counters say the rest: a single-threaded process that only ran on
 * one CPU sends no IPI for its munmaps, and a process with a thread on
 * each other CPU sends one IPI per other CPU per munmap, however many
 * pages it covers.  The cases that need two CPUs are skipped on one.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include "utest.h"

#define PAGE_BYTES      4096
#define ROUNDS          200
#define WARM_TOUCHES    64      /* loop touches the changer waits for: the entry is in CPU 1's TLB */
#define MUNMAPS         20      /* munmaps counted in the IPI tests */
#define BIG_PAGES       64      /* pages of the one big munmap */
#define READER_CPU      1
#define CHANGER_CPU     0
#define WRONG_FAULT     99      /* exit status: SIGSEGV somewhere else than the test page */

enum change { CHANGE_UNMAP, CHANGE_REMAP, CHANGE_PROTECT };
enum phase { PHASE_IDLE, PHASE_TOUCH, PHASE_CHANGED, PHASE_REPORTED, PHASE_STOP };

/* Shared between the changer (main thread) and the toucher (pinned to READER_CPU). */
static volatile int *page;              /* the test page's address: it stays the same */
static volatile int phase;              /* [atomic] enum phase */
static volatile int new_value;          /* what the page holds once changed */
static volatile unsigned long touches;  /* [atomic] loop touches this round */
static volatile unsigned long faults;   /* SIGSEGVs on the page */
static volatile int seen;               /* the toucher's last read after PHASE_CHANGED */
static enum change change;

static int load_phase(void) { return __atomic_load_n(&phase, __ATOMIC_ACQUIRE); }
static void store_phase(int p) { __atomic_store_n(&phase, p, __ATOMIC_RELEASE); }

static void need_two_cpus(void)
{
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
        SKIP("one CPU: no other TLB to shoot down");
}

/* The page at its fixed address again, readable and writable, holding value. */
static void map_page(int value)
{
    void *p = mmap((void *)page, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                   -1, 0);
    if (p != (void *)page)
        _exit(WRONG_FAULT);
    *page = value;
}

/*
 * A fault on the page is what a correct shootdown gives the toucher: count
 * it and repair the mapping (the new page, or write permission back), so
 * that the access runs again and sees the new contents.
 */
static void on_fault(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)context;
    if (info->si_addr != (void *)page)
        _exit(WRONG_FAULT);
    faults++;
    if (change == CHANGE_PROTECT) {
        if (mprotect((void *)page, PAGE_BYTES, PROT_READ | PROT_WRITE) != 0)
            _exit(WRONG_FAULT);
    } else {
        map_page(new_value);
    }
}

/* The toucher: touch the page while asked to, then once more after the change, and report. */
static void *toucher(void *arg)
{
    (void)arg;
    utest_pin_to_cpu(READER_CPU);
    for (int p; (p = load_phase()) != PHASE_STOP;) {
        if (p != PHASE_TOUCH)
            continue;
        while (load_phase() == PHASE_TOUCH) {
            if (change == CHANGE_PROTECT)
                *page = 0;      /* writes: the entry is writable in this CPU's TLB */
            else
                (void)*page;
            __atomic_fetch_add(&touches, 1, __ATOMIC_RELEASE);
        }
        if (change == CHANGE_PROTECT)
            *page = new_value;  /* must fault: the page is read-only now */
        seen = *page;
        store_phase(PHASE_REPORTED);
    }
    return NULL;
}

static void install_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
}

static void wait_for_phase(int p)
{
    while (load_phase() != p)
        ;
}

/* ROUNDS rounds of one change against the toucher on the other CPU. */
static void race(enum change how)
{
    need_two_cpus();
    install_handler();
    change = how;
    page = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page != MAP_FAILED, "mmap: %s", strerror(errno));
    utest_pin_to_cpu(CHANGER_CPU);
    store_phase(PHASE_IDLE);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, toucher, NULL) == 0, "pthread_create");
    for (int round = 0; round < ROUNDS; round++) {
        int old_value = 2 * round + 1;
        new_value = 2 * round + 2;
        map_page(old_value);
        unsigned long faults_before = faults;
        __atomic_store_n(&touches, 0, __ATOMIC_RELEASE);
        store_phase(PHASE_TOUCH);
        while (__atomic_load_n(&touches, __ATOMIC_ACQUIRE) < WARM_TOUCHES)
            ;
        switch (how) {
        case CHANGE_UNMAP:
            CHECK(munmap((void *)page, PAGE_BYTES) == 0, "munmap: %s", strerror(errno));
            break;
        case CHANGE_REMAP:
            map_page(new_value);        /* MAP_FIXED over the old page: it is unmapped first */
            break;
        case CHANGE_PROTECT:
            CHECK(mprotect((void *)page, PAGE_BYTES, PROT_READ) == 0, "mprotect: %s", strerror(errno));
            break;
        }
        store_phase(PHASE_CHANGED);
        wait_for_phase(PHASE_REPORTED);
        CHECK(seen == new_value, "round %d: CPU %d saw %d after the change (old %d, new %d): a stale TLB entry",
              round, READER_CPU, seen, old_value, new_value);
        if (how != CHANGE_REMAP)
            CHECK(faults > faults_before, "round %d: no fault on CPU %d after the %s", round, READER_CPU,
                  how == CHANGE_UNMAP ? "munmap" : "mprotect");
    }
    store_phase(PHASE_STOP);
    CHECK(pthread_join(t, NULL) == 0, "join");
}

static void munmap_reaches_other_cpu(void) { race(CHANGE_UNMAP); }
static void remap_reaches_other_cpu(void) { race(CHANGE_REMAP); }
static void mprotect_reaches_other_cpu(void) { race(CHANGE_PROTECT); }

/* ---- the counters ---- */

static struct os_switch_stats counters(void)
{
    struct os_switch_stats s;
    CHECK(syscall(SYS_os_switch_stats, &s) == 0, "SYS_os_switch_stats: %s", strerror(errno));
    return s;
}

/* n separate touched pages, one mapping each. */
static char **touched_pages(int n)
{
    static char *pages[MUNMAPS];
    CHECK(n <= MUNMAPS, "too many pages");
    for (int i = 0; i < n; i++) {
        pages[i] = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CHECK(pages[i] != MAP_FAILED, "mmap: %s", strerror(errno));
        pages[i][0] = 1;
    }
    return pages;
}

/*
 * A single-threaded process created on CPU 0 and pinned there (the pin
 * is inherited at fork) never had its address space on another CPU: its
 * munmaps send no IPI, and each counts as avoided.
 */
static void lone_process_sends_no_ipi(void)
{
    utest_pin_to_cpu(CHANGER_CPU);
    pid_t pid = fork();
    if (pid == 0) {
        char **pages = touched_pages(MUNMAPS);
        struct os_switch_stats before = counters();
        for (int i = 0; i < MUNMAPS; i++)
            CHECK(munmap(pages[i], PAGE_BYTES) == 0, "munmap: %s", strerror(errno));
        struct os_switch_stats after = counters();
        CHECK(after.shootdown_ipis == before.shootdown_ipis && after.shootdowns == before.shootdowns,
              "a lone process sent %llu IPIs for %d munmaps",
              (unsigned long long)(after.shootdown_ipis - before.shootdown_ipis), MUNMAPS);
        CHECK(after.shootdowns_avoided - before.shootdowns_avoided >= MUNMAPS, "%llu avoided for %d munmaps",
              (unsigned long long)(after.shootdowns_avoided - before.shootdowns_avoided), MUNMAPS);
        _exit(0);
    }
    int status;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork, wait");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the lone process: status %#x", status);
}

static volatile int spinners_ready, spinners_stop;

/* A thread pinned to a CPU of its own, spinning in user mode: its CPU holds our address space. */
static void *spinner(void *arg)
{
    utest_pin_to_cpu((int)(intptr_t)arg);
    __atomic_fetch_add(&spinners_ready, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&spinners_stop, __ATOMIC_ACQUIRE))
        ;
    return NULL;
}

/*
 * With a thread spinning on each other CPU, every munmap asks each of
 * those CPUs once: MUNMAPS one-page munmaps send MUNMAPS IPIs per other
 * CPU, and one munmap of BIG_PAGES pages one IPI per other CPU (the range
 * goes in one request).
 */
static void threads_elsewhere_get_one_ipi_each(void)
{
    need_two_cpus();
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long others = cpus - 1;
    utest_pin_to_cpu(CHANGER_CPU);
    pthread_t t[CPU_SETSIZE];
    spinners_ready = spinners_stop = 0;
    for (long cpu = 1; cpu < cpus; cpu++)
        CHECK(pthread_create(&t[cpu], NULL, spinner, (void *)(intptr_t)cpu) == 0, "pthread_create");
    while (__atomic_load_n(&spinners_ready, __ATOMIC_ACQUIRE) < others)
        sched_yield();
    usleep(10000);              /* each is on its CPU now, past its last system call */

    char **pages = touched_pages(MUNMAPS);
    char *big = mmap(NULL, BIG_PAGES * PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(big != MAP_FAILED, "mmap: %s", strerror(errno));
    for (int i = 0; i < BIG_PAGES; i++)
        big[i * PAGE_BYTES] = 1;

    struct os_switch_stats before = counters();
    for (int i = 0; i < MUNMAPS; i++)
        CHECK(munmap(pages[i], PAGE_BYTES) == 0, "munmap: %s", strerror(errno));
    struct os_switch_stats middle = counters();
    CHECK(munmap(big, BIG_PAGES * PAGE_BYTES) == 0, "munmap: %s", strerror(errno));
    struct os_switch_stats after = counters();
    __atomic_store_n(&spinners_stop, 1, __ATOMIC_RELEASE);
    for (long cpu = 1; cpu < cpus; cpu++)
        pthread_join(t[cpu], NULL);

    CHECK(middle.shootdowns - before.shootdowns == MUNMAPS &&
          middle.shootdown_ipis - before.shootdown_ipis == (uint64_t)(MUNMAPS * others),
          "%d one-page munmaps with %ld other CPUs: %llu shootdowns, %llu IPIs", MUNMAPS, others,
          (unsigned long long)(middle.shootdowns - before.shootdowns),
          (unsigned long long)(middle.shootdown_ipis - before.shootdown_ipis));
    CHECK(after.shootdowns - middle.shootdowns == 1 && after.shootdown_ipis - middle.shootdown_ipis == (uint64_t)others,
          "a %d-page munmap with %ld other CPUs: %llu shootdowns, %llu IPIs", BIG_PAGES, others,
          (unsigned long long)(after.shootdowns - middle.shootdowns),
          (unsigned long long)(after.shootdown_ipis - middle.shootdown_ipis));
}

static void *returns(void *arg) { return arg; }

/* First-use allocations (a child's child, a thread, a handler) before the page count starts. */
static void warm_up(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0)
            _exit(0);
        waitpid(grandchild, NULL, 0);
        pthread_t t;
        pthread_create(&t, NULL, returns, NULL);
        pthread_join(t, NULL);
        install_handler();
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

int main(void)
{
    warm_up();
    struct os_stats start = utest_settled();
    RUN(munmap_reaches_other_cpu);
    RUN(remap_reaches_other_cpu);
    RUN(mprotect_reaches_other_cpu);
    RUN(lone_process_sends_no_ipi);
    RUN(threads_elsewhere_get_one_ipi_each);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
