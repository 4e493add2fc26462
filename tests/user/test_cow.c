/*
 * Copy-on-write fork (issue 12): fork shares the parent's pages instead of
 * copying them; a write by either side, from user mode or by the kernel on
 * its behalf (read into a buffer), gives the writer its own copy, and the
 * other side keeps seeing what was there; the last holder takes a page back
 * without a copy.  With threads on two CPUs: a sibling writing during the
 * fork cannot reach the child's pages, and a sibling reading after the
 * parent's copy sees the parent's writes.  The counters of SYS_os_stats
 * show each step, and every page comes back.
 */
#include <pthread.h>
#include "utest.h"
#include "cow_util.h"

#define SHARED_PAGES    256             /* touched before the fork: 1 MiB */

/*
 * Fork a child that keeps page (one page, all PARENT_MARK) until a byte
 * comes on go[0], and exits 0 if the page still reads so: the parent's
 * writes meanwhile must not reach it.
 */
static pid_t fork_keeping(const unsigned char *page, int go[2])
{
    CHECK(pipe(go) == 0, "pipe");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        char c;
        read(go[0], &c, 1);
        _exit(all_marked(page, 1, PARENT_MARK) ? 0 : 1);
    }
    return pid;
}

/* Let the child of fork_keeping look, and require that it found its page unchanged. */
static void release_kept(pid_t pid, int go[2])
{
    write(go[1], "", 1);
    expect_child_ok(pid);
    close(go[0]);
    close(go[1]);
}

/* ---- sharing and copying ---- */

/*
 * A fork of a process with 1 MiB touched takes far fewer free pages than
 * that (its page tables, kernel stack, a few stack pages), and hands the
 * pages over as shared.
 */
static void fork_shares_pages(void)
{
    unsigned char *p = map_touched(SHARED_PAGES, PARENT_MARK);
    struct os_stats before, after;
    fork_and_count(p, SHARED_PAGES, &before, &after);
    uint64_t taken = before.free_pages - after.free_pages;
    CHECK(taken < SHARED_PAGES / 2, "the fork took %lu free pages for %lu touched",
          (unsigned long)taken, (unsigned long)SHARED_PAGES);
    CHECK(after.cow_pages_shared - before.cow_pages_shared >= SHARED_PAGES, "%lu pages shared, %lu touched",
          (unsigned long)(after.cow_pages_shared - before.cow_pages_shared), (unsigned long)SHARED_PAGES);
}

/* Each side writes its half after the fork; each sees its own writes and the other's pages as they were. */
static void writes_stay_private(void)
{
    unsigned char *p = map_touched(SHARED_PAGES, PARENT_MARK);
    unsigned half = SHARED_PAGES / 2;
    int go[2];
    CHECK(pipe(go) == 0, "pipe");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        memset(p + half * PAGE, CHILD_MARK, half * PAGE);
        char c;
        read(go[0], &c, 1);             /* the parent has written its half */
        CHECK(all_marked(p, half, PARENT_MARK), "the parent's write reached the child");
        CHECK(all_marked(p + half * PAGE, half, CHILD_MARK), "the child lost its own write");
        _exit(0);
    }
    memset(p, LATER_MARK, half * PAGE);
    write(go[1], "", 1);
    expect_child_ok(pid);
    CHECK(all_marked(p, half, LATER_MARK), "the parent lost its own write");
    CHECK(all_marked(p + half * PAGE, half, PARENT_MARK), "the child's write reached the parent");
}

/*
 * The counters: the child's write copies (the parent still holds the
 * page); once the child has gone, the parent's write takes the page back.
 */
static void copy_then_reuse(void)
{
    unsigned char *p = map_touched(2, PARENT_MARK);
    struct os_stats s0 = utest_stats();
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        struct os_stats c0 = utest_stats();
        p[0] = CHILD_MARK;
        struct os_stats c1 = utest_stats();
        CHECK(c1.cow_faults - c0.cow_faults >= 1 && c1.cow_pages_copied - c0.cow_pages_copied >= 1,
              "the child's write: %lu COW faults, %lu copies", (unsigned long)(c1.cow_faults - c0.cow_faults),
              (unsigned long)(c1.cow_pages_copied - c0.cow_pages_copied));
        _exit(0);
    }
    expect_child_ok(pid);
    struct os_stats s1 = utest_stats();
    p[PAGE] = LATER_MARK;               /* the second page: the child never wrote it, and has gone */
    struct os_stats s2 = utest_stats();
    CHECK(s2.cow_pages_reused - s1.cow_pages_reused >= 1, "the last holder's write copied (%lu reused)",
          (unsigned long)(s2.cow_pages_reused - s1.cow_pages_reused));
    CHECK(p[0] == PARENT_MARK && p[PAGE] == LATER_MARK, "the parent's pages changed");
    CHECK(s1.cow_pages_shared - s0.cow_pages_shared >= 2, "the fork shared %lu pages",
          (unsigned long)(s1.cow_pages_shared - s0.cow_pages_shared));
}

/* The kernel writing for the user (read into a shared page) copies it as a user write would. */
static void read_into_shared_page(void)
{
    unsigned char *p = map_touched(1, PARENT_MARK);
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        unsigned char buf[64];
        memset(buf, CHILD_MARK, sizeof buf);
        CHECK(write(fds[1], buf, sizeof buf) == (ssize_t)sizeof buf, "write");
        CHECK(read(fds[0], p, sizeof buf) == (ssize_t)sizeof buf, "read: %s", strerror(errno));
        CHECK(p[0] == CHILD_MARK && p[sizeof buf] == PARENT_MARK, "the child's read: %#x %#x", p[0],
              p[sizeof buf]);
        _exit(0);
    }
    expect_child_ok(pid);
    CHECK(all_marked(p, 1, PARENT_MARK), "the child's read reached the parent's page");
    CHECK(write(fds[1], "x", 1) == 1 && read(fds[0], p + 1, 1) == 1, "read in the parent");
    CHECK(p[1] == 'x' && p[0] == PARENT_MARK, "the parent's read");
}

/* A page read-only at the fork and made writable later is still shared: the write copies it. */
static void mprotect_keeps_sharing(void)
{
    unsigned char *p = map_touched(1, PARENT_MARK);
    CHECK(mprotect(p, PAGE, PROT_READ) == 0, "mprotect");
    int go[2];
    pid_t pid = fork_keeping(p, go);
    CHECK(mprotect(p, PAGE, PROT_NONE) == 0 && mprotect(p, PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect");
    memset(p, LATER_MARK, PAGE);
    release_kept(pid, go);
    CHECK(all_marked(p, 1, LATER_MARK), "the parent lost its write");
}

/* ---- threads on two CPUs ---- */

static unsigned char *busy_page;
static volatile int sibling_state;      /* [atomic] 1: running; 2: told to stop; 3: stopped */

/* Pinned to the last CPU: writes the page without a pause until told to stop. */
static void *keep_writing(void *arg)
{
    (void)arg;
    utest_pin_to_cpu((int)sysconf(_SC_NPROCESSORS_ONLN) - 1);
    __atomic_store_n(&sibling_state, 1, __ATOMIC_RELEASE);
    for (unsigned char v = 0; __atomic_load_n(&sibling_state, __ATOMIC_ACQUIRE) == 1; v++)
        *(volatile unsigned char *)busy_page = v;
    __atomic_store_n(&sibling_state, 3, __ATOMIC_RELEASE);
    return NULL;
}

/*
 * A sibling thread writes a page on the other CPU while the process forks:
 * once fork has returned, its writes must not reach the child's view (the
 * parent's writable TLB entries are shot down before fork returns).  The
 * child looks twice, a while apart: the page must not change under it.
 */
static void sibling_writes_during_fork(void)
{
    busy_page = map_touched(1, PARENT_MARK);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, keep_writing, NULL) == 0, "pthread_create");
    while (__atomic_load_n(&sibling_state, __ATOMIC_ACQUIRE) != 1)
        sched_yield();
    for (int round = 0; round < 20; round++) {
        pid_t pid = fork();
        CHECK(pid >= 0, "fork: %s", strerror(errno));
        if (pid == 0) {
            unsigned char first = *(volatile unsigned char *)busy_page;
            for (volatile long spin = 0; spin < 2000000; spin++)
                ;
            unsigned char second = *(volatile unsigned char *)busy_page;
            _exit(first == second ? 0 : 1);
        }
        int status;
        CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "round %d: the sibling's writes reached the child after fork", round);
    }
    __atomic_store_n(&sibling_state, 2, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
}

/* Made after the fork, so never shared: what the parent and its sibling thread tell each other. */
struct handshake {
    volatile int ready;                 /* the reader has the shared page in its TLB */
    volatile int written;               /* the parent has written it (and so has its own copy) */
    volatile int seen;                  /* what the reader found right after */
};

/* Pinned to the last CPU: reads the page until told it was written, then once more. */
static void *read_until_written(void *arg)
{
    struct handshake *h = arg;
    utest_pin_to_cpu((int)sysconf(_SC_NPROCESSORS_ONLN) - 1);
    unsigned char v = *(volatile unsigned char *)busy_page;
    __atomic_store_n(&h->ready, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&h->written, __ATOMIC_ACQUIRE))
        v = *(volatile unsigned char *)busy_page;
    v = *(volatile unsigned char *)busy_page;
    __atomic_store_n(&h->seen, v, __ATOMIC_RELEASE);
    return NULL;
}

#define SEES_COPY_ROUNDS 20

/*
 * A sibling on the other CPU reads a shared page (its TLB holds the
 * entry); the parent writes it, which moves the parent to a copy, and
 * says so: the sibling's next read must find the write (the old page's
 * entry is shot down on its CPU), not the page the child still has.  The
 * read follows the write by microseconds: no timer tick's flush between.
 */
static void sibling_sees_copy(void)
{
    for (int round = 0; round < SEES_COPY_ROUNDS; round++) {
        busy_page = map_touched(1, PARENT_MARK);
        int go[2];
        pid_t pid = fork_keeping(busy_page, go);
        struct handshake *h = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, ANON, -1, 0);
        CHECK(h != MAP_FAILED, "mmap");
        pthread_t t;
        CHECK(pthread_create(&t, NULL, read_until_written, h) == 0, "pthread_create");
        while (!__atomic_load_n(&h->ready, __ATOMIC_ACQUIRE))
            sched_yield();
        *(volatile unsigned char *)busy_page = LATER_MARK;  /* a copy for the parent */
        __atomic_store_n(&h->written, 1, __ATOMIC_RELEASE);
        pthread_join(t, NULL);
        release_kept(pid, go);
        CHECK(h->seen == LATER_MARK, "round %d: the sibling read the shared page after the parent's write: %#x",
              round, h->seen);
        munmap(h, PAGE);
        munmap(busy_page, PAGE);
    }
}

int main(void)
{
    printf("test_cow: copy-on-write fork, its counters, and threads writing and reading on two CPUs\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN(fork_shares_pages);
    RUN(writes_stay_private);
    RUN(copy_then_reuse);
    RUN(read_into_shared_page);
    RUN(mprotect_keeps_sharing);
    RUN(sibling_writes_during_fork);
    RUN(sibling_sees_copy);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
