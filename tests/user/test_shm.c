/*
 * Shared memory between processes (issue 12): the cases of
 * pshared_cases.h, which pass on the Linux host too (shared anonymous
 * mappings across fork, process-shared mutexes, condition variables,
 * barriers and semaphores, private futexes that stay private), and what is
 * our kernel's own: a shared page is written in place by both sides (no
 * copy-on-write fault), a part unmapped in one process stays in the other,
 * sizes past RAM are refused, and every page comes back.
 */
#include <sys/mman.h>
#include "utest.h"
#include "pshared_cases.h"

#define PAGE            4096ul
#define SHARED_PAGES    16
#define HUGE_SHARED     (1ul << 40)     /* 1 TiB: more pages than RAM */

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(ps_shared_anon_survives_fork)
SHARED(ps_private_stays_private)
SHARED(ps_mutex_counts_across_processes)
SHARED(ps_sem_ping_pong)
SHARED(ps_cond_across_processes)
SHARED(ps_barrier_across_processes)
SHARED(ps_private_futex_stays_private)
SHARED(ps_madvise_and_msync)

static unsigned char *map_shared(unsigned long size)
{
    unsigned char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "mmap(MAP_SHARED): %s", strerror(errno));
    return p;
}

/*
 * Writes to a shared mapping after a fork are no copy-on-write faults: both
 * sides write the one page.  The counts are system-wide: the child counts
 * only once the parent has said that its own first writes after the fork
 * (its stack, libc's fork handlers) are done, which on another CPU could
 * otherwise land in the child's window.
 */
static void shared_writes_copy_nothing(void)
{
    unsigned char *p = map_shared(SHARED_PAGES * PAGE);
    memset(p, 1, SHARED_PAGES * PAGE);
    int ready[2];
    CHECK(pipe(ready) == 0, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        char c;
        close(ready[1]);
        if (read(ready[0], &c, 1) != 1)
            _exit(2);           /* the parent died first */
        struct os_stats before = utest_stats();
        memset(p, 2, SHARED_PAGES * PAGE);
        struct os_stats after = utest_stats();
        CHECK(after.cow_faults == before.cow_faults, "%lu COW faults writing a shared mapping",
              (unsigned long)(after.cow_faults - before.cow_faults));
        _exit(0);
    }
    int status;
    close(ready[0]);
    CHECK(write(ready[1], "", 1) == 1, "write: %s", strerror(errno));
    close(ready[1]);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: %#x",
          status);
    for (unsigned long i = 0; i < SHARED_PAGES * PAGE; i += PAGE)
        CHECK(p[i] == 2, "page %lu: the child's write did not reach the parent", i / PAGE);
}

/* munmap of part of a shared mapping in the child leaves the parent's whole; its pages still shared. */
static void partial_unmap_in_one_process(void)
{
    unsigned char *p = map_shared(SHARED_PAGES * PAGE);
    memset(p, 1, SHARED_PAGES * PAGE);
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        CHECK(munmap(p + PAGE, (SHARED_PAGES - 2) * PAGE) == 0, "munmap: %s", strerror(errno));
        p[0] = 3;                       /* the parts left keep their place in the object */
        p[(SHARED_PAGES - 1) * PAGE] = 4;
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: %#x",
          status);
    CHECK(p[0] == 3 && p[(SHARED_PAGES - 1) * PAGE] == 4, "the child's writes after its munmap: %d %d", p[0],
          p[(SHARED_PAGES - 1) * PAGE]);
    for (unsigned long i = 1; i < SHARED_PAGES - 1; i++)
        CHECK(p[i * PAGE] == 1, "page %lu changed", i);
}

/* A shared mapping larger than RAM is refused (its page list alone would not fit), and costs nothing. */
static void huge_shared_refused(void)
{
    struct os_stats before = utest_settled();
    void *p = mmap(NULL, HUGE_SHARED, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(p == MAP_FAILED && errno == ENOMEM, "a 1 TiB shared mapping: %p, %s", p, strerror(errno));
    p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 0, 0);
    CHECK(p == MAP_FAILED && errno == ENODEV, "a file mapping: %p, %s", p, strerror(errno));
    utest_expect_back(before);
}

static void warm_up(void)
{
    unsigned char *p = map_shared(PAGE);
    p[0] = 1;
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
}

int main(void)
{
    printf("test_shm: shared mappings across fork, and process-shared mutexes, semaphores, barriers\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN_SHARED(ps_shared_anon_survives_fork);
    RUN_SHARED(ps_private_stays_private);
    RUN_SHARED(ps_mutex_counts_across_processes);
    RUN_SHARED(ps_sem_ping_pong);
    RUN_SHARED(ps_cond_across_processes);
    RUN_SHARED(ps_barrier_across_processes);
    RUN_SHARED(ps_private_futex_stays_private);
    RUN_SHARED(ps_madvise_and_msync);
    RUN(shared_writes_copy_nothing);
    RUN(partial_unmap_in_one_process);
    RUN(huge_shared_refused);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
