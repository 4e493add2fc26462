/*
 * Lab shootdown (docs/labs/shootdown.md): unmapping pages of an address
 * space that another CPU is using asks that CPU to flush once per batch
 * of pages, not once per page, and still leaves no stale translation.
 * The counts come from SYS_os_switch_stats (shootdowns, shootdown_ipis);
 * the stale-translation checks are tests/user/test_tlb.c's, which the
 * grader runs too.  Needs two CPUs.
 */
#include <pthread.h>
#include <sys/mman.h>
#include "utest.h"

#define CHANGER_CPU     0
#define SPINNER_CPU     1
#define PAGE_BYTES      4096
#define BATCH_PAGES     256     /* what the kernel may gather before it must ask (GATHER_PAGES) */
#define MANY_PAGES      (2 * BATCH_PAGES + 10)      /* three batches at most */
#define FEW_PAGES       16

static volatile int spinner_ready, spinner_stop;

/* A thread pinned to the other CPU, spinning in user mode: that CPU holds our address space. */
static void *spinner(void *arg)
{
    (void)arg;
    utest_pin_to_cpu(SPINNER_CPU);
    __atomic_store_n(&spinner_ready, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&spinner_stop, __ATOMIC_ACQUIRE))
        ;
    return NULL;
}

static struct os_switch_stats counters(void)
{
    struct os_switch_stats s;
    syscall(SYS_os_switch_stats, &s);
    return s;
}

/* munmap pages pages (all touched) with the spinner running: the shootdowns and IPIs it took. */
static int unmap_counting(long pages, uint64_t *shootdowns, uint64_t *ipis)
{
    char *m = mmap(NULL, (size_t)pages * PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return 0;
    for (long i = 0; i < pages; i++)
        m[i * PAGE_BYTES] = 1;
    struct os_switch_stats before = counters();
    int ok = munmap(m, (size_t)pages * PAGE_BYTES) == 0;
    struct os_switch_stats after = counters();
    *shootdowns = after.shootdowns - before.shootdowns;
    *ipis = after.shootdown_ipis - before.shootdown_ipis;
    return ok;
}

/* Runs test(pages, &shootdowns, &ipis) with the spinner on the other CPU. */
static void with_spinner(void (*test)(void))
{
    CHECK(sysconf(_SC_NPROCESSORS_ONLN) >= 2, "needs two CPUs");
    utest_pin_to_cpu(CHANGER_CPU);
    pthread_t t;
    spinner_ready = spinner_stop = 0;
    CHECK(pthread_create(&t, NULL, spinner, NULL) == 0, "pthread_create");
    while (!__atomic_load_n(&spinner_ready, __ATOMIC_ACQUIRE))
        sched_yield();
    usleep(10000);              /* on its CPU now, past its last system call */
    test();
    __atomic_store_n(&spinner_stop, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
}

static void few_pages_body(void)
{
    uint64_t shootdowns, ipis;
    CHECK(unmap_counting(FEW_PAGES, &shootdowns, &ipis), "mmap, munmap");
    CHECK(shootdowns == 1 && ipis == 1, "%d pages in one munmap: %llu shootdowns, %llu IPIs (1 and 1 expected)",
          FEW_PAGES, (unsigned long long)shootdowns, (unsigned long long)ipis);
}

static void many_pages_body(void)
{
    uint64_t shootdowns, ipis;
    long most = (MANY_PAGES + BATCH_PAGES - 1) / BATCH_PAGES;
    CHECK(unmap_counting(MANY_PAGES, &shootdowns, &ipis), "mmap, munmap");
    CHECK(shootdowns >= 1 && (long)shootdowns <= most && ipis == shootdowns,
          "%d pages in one munmap: %llu shootdowns, %llu IPIs (at most %ld)", MANY_PAGES,
          (unsigned long long)shootdowns, (unsigned long long)ipis, most);
}

static void one_ipi_for_a_few_pages(void) { with_spinner(few_pages_body); }
static void a_batch_per_request(void) { with_spinner(many_pages_body); }

int main(void)
{
    printf("test_lab_shootdown: one shootdown per batch of unmapped pages\n");
    RUN(one_ipi_for_a_few_pages);       /* also the first thread's pages, before the count starts */
    struct os_stats start = utest_settled();
    RUN(a_batch_per_request);
    /* The pages come back: the counts were not bought with pages left mapped or never freed. */
    utest_pages_back("pages_back_after_unmaps", start);
    return utest_finish();
}
