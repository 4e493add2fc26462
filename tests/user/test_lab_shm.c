/*
 * Lab shm (docs/labs/shm.md): mmap(MAP_SHARED | MAP_ANONYMOUS) keeps the
 * same pages across fork, and a futex word in such a page is one futex for
 * every process that maps it.  Graded by tests/labs/shm.grade.  Every
 * wait here has a time limit, so the starting state (where neither holds)
 * fails its tests one by one instead of hanging the boot; a child that
 * could outlive its test is killed before the test fails, so the leak
 * check at the end sees only what the kernel kept.
 */
#define UTEST_TIME_LIMIT 15     /* seconds: a lock whose waiters are never woken fails in this */
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "utest.h"

#define PAGE            4096ul
#define PAGES           4
#define WORKERS         3               /* processes adding to one counter */
#define INCREMENTS      100000          /* ... each, all at once: many waits and wakes */
#define GATE_LIMIT_S    2
#define WORKERS_LIMIT_S 8               /* for all of them: a lost wake-up leaves one asleep for good */
#define NAP_NS          10000000L       /* 10 ms */
#define WAKE_TRIES      300             /* naps: 3 s for the waiter to fall asleep */
#define WAIT_LIMIT_S    5               /* the waiter's own time limit */
#define PRIVATE_WAIT_NS 200000000L      /* 200 ms: the private waiter's */
#define FUTEX_WAIT_OP   0               /* Linux's futex operations and flag */
#define FUTEX_WAKE_OP   1
#define FUTEX_PRIVATE   128

static void *map(unsigned long size, int type)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, type | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
    return p;
}

static void nap(void)
{
    struct timespec t = { 0, NAP_NS };
    nanosleep(&t, NULL);
}

/* Wait for pid; it must have exited 0 (a child's failure is its exit status). */
static void reap(pid_t pid, const char *who)
{
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s failed: status %#x", who, status);
}

/* Fork; the child writes value at the start of every page of p, then exits 0. */
static void child_writes(volatile unsigned char *p, unsigned long pages, unsigned char value)
{
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        for (unsigned long i = 0; i < pages; i++)
            p[i * PAGE] = value;
        _exit(0);
    }
    reap(pid, "the writer");
}

static long futex(volatile int *word, int op, int val, const struct timespec *timeout)
{
    return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

/* The child's writes, to a page touched before the fork and to one nobody touched, reach the parent. */
static void shared_seen_by_parent(void)
{
    volatile unsigned char *p = map(2 * PAGE, MAP_SHARED);
    p[0] = 1;
    child_writes(p, 2, 2);
    CHECK(p[0] == 2, "a page touched before the fork: the parent reads %d, the child wrote 2", p[0]);
    CHECK(p[PAGE] == 2, "a page first touched by the child: the parent reads %d, the child wrote 2", p[PAGE]);
    munmap((void *)p, 2 * PAGE);
}

/* MAP_PRIVATE stays private: the child's write is its own copy's. */
static void private_not_shared(void)
{
    volatile unsigned char *p = map(PAGE, MAP_PRIVATE);
    p[0] = 1;
    child_writes(p, 1, 2);
    CHECK(p[0] == 1, "the child's write reached the parent's private page: %d", p[0]);
    munmap((void *)p, PAGE);
}

/* Pages the writer made (the parent never touched them) outlive it, for the parent and a later child. */
static void survives_writer_exit(void)
{
    volatile unsigned char *p = map(PAGES * PAGE, MAP_SHARED);
    child_writes(p, PAGES, 42);
    for (unsigned long i = 0; i < PAGES; i++)
        CHECK(p[i * PAGE] == 42, "page %lu after the writer exited: %d, not 42", i, p[i * PAGE]);
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0)
        _exit(p[0] == 42 && p[(PAGES - 1) * PAGE] == 42 ? 0 : 1);
    reap(pid, "a later child reading the writer's pages");
    munmap((void *)p, PAGES * PAGE);
}

/* A child's munmap is its own: the parent keeps its view, still shared with the next child. */
static void munmap_leaves_others(void)
{
    volatile unsigned char *p = map(PAGES * PAGE, MAP_SHARED);
    for (unsigned long i = 0; i < PAGES; i++)
        p[i * PAGE] = 1;
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0)
        _exit(munmap((void *)p, PAGES * PAGE) == 0 ? 0 : 1);
    reap(pid, "the child's munmap");
    for (unsigned long i = 0; i < PAGES; i++)
        CHECK(p[i * PAGE] == 1, "page %lu after the child's munmap: %d", i, p[i * PAGE]);
    child_writes(p, PAGES, 5);
    for (unsigned long i = 0; i < PAGES; i++)
        CHECK(p[i * PAGE] == 5, "page %lu is no longer shared after another child's munmap: %d", i, p[i * PAGE]);
    munmap((void *)p, PAGES * PAGE);
}

struct counter {
    pthread_mutex_t lock;
    long count;
    int ready;                  /* workers at the gate */
};

/* Once every worker is at the gate (or after GATE_LIMIT_S: the page is not shared), add INCREMENTS. */
static void add_under_lock(struct counter *c)
{
    __atomic_add_fetch(&c->ready, 1, __ATOMIC_SEQ_CST);
    time_t give_up = time(NULL) + GATE_LIMIT_S;
    while (__atomic_load_n(&c->ready, __ATOMIC_SEQ_CST) < WORKERS && time(NULL) < give_up)
        sched_yield();          /* all at once: the lock is contended, waiters sleep and must be woken */
    for (int i = 0; i < INCREMENTS; i++) {
        pthread_mutex_lock(&c->lock);
        c->count++;
        pthread_mutex_unlock(&c->lock);
    }
}

/*
 * Reap the n workers of pids, each to exit 0, within WORKERS_LIMIT_S:
 * those still running then (asleep on a lock nobody wakes) are killed,
 * not left to outlive the test.
 */
static void reap_workers(pid_t *pids, int n)
{
    int left = n, failed = 0;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (now = start; left > 0 && now.tv_sec - start.tv_sec < WORKERS_LIMIT_S;
         clock_gettime(CLOCK_MONOTONIC, &now)) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
            left--;
            failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
        } else {
            nap();
        }
    }
    int stuck = left;
    for (int w = 0; stuck > 0 && w < n; w++)
        kill(pids[w], SIGKILL);         /* those already gone: ESRCH, or a zombie that ignores it */
    while (left > 0 && waitpid(-1, NULL, 0) > 0)
        left--;
    CHECK(stuck == 0 && failed == 0, "%d workers stuck after %d s (killed), %d failed", stuck, WORKERS_LIMIT_S,
          failed);
}

/* WORKERS processes each add INCREMENTS under one process-shared mutex (a futex word): none is lost. */
static void counter_three_processes(void)
{
    struct counter *c = map(sizeof *c, MAP_SHARED);
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    CHECK(pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED) == 0, "setpshared");
    CHECK(pthread_mutex_init(&c->lock, &attr) == 0, "pthread_mutex_init");
    c->count = 0;
    c->ready = 0;
    pid_t pids[WORKERS];
    int started = 0;
    for (; started < WORKERS; started++) {
        pids[started] = fork();
        if (pids[started] < 0)
            break;
        if (pids[started] == 0) {
            add_under_lock(c);
            _exit(0);
        }
    }
    reap_workers(pids, started);
    CHECK(started == WORKERS, "fork: %s", strerror(errno));
    CHECK(c->count == (long)WORKERS * INCREMENTS, "count %ld, expected %ld", c->count, (long)WORKERS * INCREMENTS);
    munmap(c, sizeof *c);
}

/* Wake the futex at word until one waiter is woken, for WAKE_TRIES naps: the waiters woken (0 or 1). */
static long wake_one(volatile int *word, int op)
{
    long woken = 0;
    for (int i = 0; i < WAKE_TRIES && woken == 0; i++) {
        nap();
        woken = futex(word, op, 1, NULL);
        CHECK(woken >= 0, "FUTEX_WAKE: %s", strerror(errno));
    }
    return woken;
}

/* A FUTEX_WAKE in the parent wakes the child asleep in FUTEX_WAIT on the same shared word. */
static void futex_wake_crosses(void)
{
    volatile int *word = map(PAGE, MAP_SHARED);
    *word = 0;
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        struct timespec limit = { WAIT_LIMIT_S, 0 };
        _exit(futex(word, FUTEX_WAIT_OP, 0, &limit) == 0 ? 0 : 1);     /* 0: woken, not timed out */
    }
    long woken = wake_one(word, FUTEX_WAKE_OP);
    if (woken != 1)
        kill(pid, SIGKILL);     /* not left behind to time out after this test */
    CHECK(woken == 1, "the parent's FUTEX_WAKE never found the child's waiter");
    reap(pid, "the child's FUTEX_WAIT");
    munmap((void *)word, PAGE);
}

/* A FUTEX_PRIVATE_FLAG wake is the process's own, even on a shared word: the other's wait times out. */
static void private_futex_stays_private(void)
{
    volatile int *word = map(PAGE, MAP_SHARED);
    *word = 0;
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        struct timespec limit = { 0, PRIVATE_WAIT_NS };
        long r = futex(word, FUTEX_WAIT_OP | FUTEX_PRIVATE, 0, &limit);
        _exit(r == -1 && errno == ETIMEDOUT ? 0 : 1);
    }
    nap();
    long woken = futex(word, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, NULL);
    reap(pid, "the private waiter (woken by another process?)");
    CHECK(woken == 0, "a private wake woke %ld waiters of another process", woken);
    munmap((void *)word, PAGE);
}

/* Whatever a first fork and shared mapping leave made (page tables, heap slabs), before the counts. */
static void warm_up(void)
{
    volatile unsigned char *p = map(PAGE, MAP_SHARED);
    child_writes(p, 1, 1);
    munmap((void *)p, PAGE);
}

int main(void)
{
    printf("test_lab_shm: shared anonymous mappings across fork, and futexes between processes\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN(shared_seen_by_parent);
    RUN(private_not_shared);
    RUN(survives_writer_exit);
    RUN(munmap_leaves_others);
    RUN(counter_three_processes);
    RUN(futex_wake_crosses);
    RUN(private_futex_stays_private);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
