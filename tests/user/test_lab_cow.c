/*
 * Lab cow (docs/labs/cow.md): fork shares a process's pages copy-on-write
 * instead of copying them.  Graded through what a program sees: its
 * memory after writes on either side, and the counters of SYS_os_stats
 * (free pages; pages shared at fork, COW faults, copies, pages taken back).
 * (Isolation, both ways and on two CPUs, is graded on tests/user/test_cow.c.)
 * The counters are the whole machine's: a process that measures a step
 * has every other process of the test blocked or gone meanwhile, and has
 * written the stack it measures with beforehand (a first write to a
 * stack page shared by the fork would be counted too).
 */
#include "utest.h"
#include "cow_util.h"

#define TOUCHED_PAGES   256ul           /* the process forked in most tests: 1 MiB touched */
#define LARGE_PAGES     4096ul          /* ... and in large_fork_is_cheap: 16 MiB */
#define LARGE_FORK_MAX  64              /* free pages a fork of it may take: page tables, a kernel stack */

/* Counters around one step of the caller's: s[1] before, s[2] after (s[0]: the stack written first). */
struct around {
    struct os_stats s[3];
};

static void around_begin(struct around *m)
{
    memset(m, 0, sizeof *m);
    m->s[0] = utest_stats();
    m->s[1] = utest_stats();
}

#define AROUND_DELTA(m, field) ((m)->s[2].field - (m)->s[1].field)

/*
 * A fork hands the child the pages as shared (one per touched page at
 * least), and the child reading every one of them copies none.
 */
static void fork_shares_pages(void)
{
    unsigned char *p = map_touched(TOUCHED_PAGES, PARENT_MARK);
    struct os_stats before = utest_stats();
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        struct around m;
        around_begin(&m);
        int same = all_marked(p, TOUCHED_PAGES, PARENT_MARK);
        m.s[2] = utest_stats();
        CHECK(same, "the child does not see the parent's pages");
        CHECK(AROUND_DELTA(&m, cow_faults) == 0 && AROUND_DELTA(&m, cow_pages_copied) == 0,
              "reading %lu shared pages: %lu COW faults, %lu copies", TOUCHED_PAGES,
              (unsigned long)AROUND_DELTA(&m, cow_faults), (unsigned long)AROUND_DELTA(&m, cow_pages_copied));
        _exit(0);
    }
    expect_child_ok(pid);
    struct os_stats after = utest_stats();
    CHECK(after.cow_pages_shared - before.cow_pages_shared >= TOUCHED_PAGES, "the fork shared %lu pages, %lu touched",
          (unsigned long)(after.cow_pages_shared - before.cow_pages_shared), TOUCHED_PAGES);
}

/* The child's write to one shared page copies that page, once; a second write to it copies nothing. */
static void write_copies_one_page(void)
{
    unsigned char *p = map_touched(TOUCHED_PAGES, PARENT_MARK);
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        struct around m, again;
        around_begin(&m);
        around_begin(&again);
        around_begin(&m);
        p[7 * PAGE + 5] = CHILD_MARK;
        m.s[2] = utest_stats();
        again.s[1] = utest_stats();
        p[7 * PAGE + 6] = CHILD_MARK;
        again.s[2] = utest_stats();
        CHECK(AROUND_DELTA(&m, cow_faults) == 1 && AROUND_DELTA(&m, cow_pages_copied) == 1,
              "one write: %lu COW faults, %lu copies (1 and 1 expected)",
              (unsigned long)AROUND_DELTA(&m, cow_faults), (unsigned long)AROUND_DELTA(&m, cow_pages_copied));
        CHECK(AROUND_DELTA(&again, cow_faults) == 0, "a second write to the copy: %lu COW faults",
              (unsigned long)AROUND_DELTA(&again, cow_faults));
        CHECK(p[7 * PAGE + 4] == PARENT_MARK && p[7 * PAGE + 5] == CHILD_MARK, "the copy's contents");
        _exit(0);
    }
    expect_child_ok(pid);
    CHECK(all_marked(p, TOUCHED_PAGES, PARENT_MARK), "the child's write reached the parent");
}

/*
 * A child of three sharers: waits for its turn on go, writes the page,
 * and exits 0 if the write copied it (one COW fault, one copy, no reuse)
 * and it found the parent's contents before.
 */
static void sharer_writes_when_told(unsigned char *page, int go, int ready)
{
    struct around m;
    char c = 0;
    around_begin(&m);
    /* Say so once this child's own first writes (its stack, after fork) are done: the other
     * child's counts are system-wide and must not see them. */
    if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
        _exit(2);
    around_begin(&m);
    int was = page[0] == PARENT_MARK;
    page[0] = CHILD_MARK;
    m.s[2] = utest_stats();
    _exit(was && AROUND_DELTA(&m, cow_faults) == 1 && AROUND_DELTA(&m, cow_pages_copied) == 1 &&
          AROUND_DELTA(&m, cow_pages_reused) == 0 ? 0 : 1);
}

/*
 * A page shared by three processes (the parent and two children): the
 * first two writers get copies; the last one, alone with the page, gets
 * it back without one.
 */
static void three_sharers_last_reuses(void)
{
    unsigned char *page = map_touched(1, PARENT_MARK);
    int go[2][2], ready[2];
    pid_t pid[2];
    CHECK(pipe(ready) == 0, "pipe");
    for (int i = 0; i < 2; i++) {
        CHECK(pipe(go[i]) == 0, "pipe");
        pid[i] = fork();
        CHECK(pid[i] >= 0, "fork: %s", strerror(errno));
        if (pid[i] == 0) {
            for (int j = 0; j <= i; j++)        /* the parent's end: EOF (exit 2) if the parent dies first */
                close(go[j][1]);
            sharer_writes_when_told(page, go[i][0], ready[1]);
        }
    }
    char c;
    close(ready[1]);
    for (int i = 0; i < 2; i++)         /* both children quiet, waiting, before either writes */
        CHECK(read(ready[0], &c, 1) == 1, "a child never got ready");
    close(ready[0]);
    for (int i = 0; i < 2; i++) {       /* one at a time: each child's counts are its own write's */
        CHECK(write(go[i][1], "", 1) == 1, "write");
        int status;
        CHECK(waitpid(pid[i], &status, 0) == pid[i], "waitpid");
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "writer %d of 3: its write did not copy the page (one COW fault, one copy, no reuse)", i + 1);
    }
    struct around m;
    around_begin(&m);
    page[0] = LATER_MARK;
    m.s[2] = utest_stats();
    CHECK(AROUND_DELTA(&m, cow_faults) == 1 && AROUND_DELTA(&m, cow_pages_reused) == 1 &&
          AROUND_DELTA(&m, cow_pages_copied) == 0,
          "the last writer: %lu COW faults, %lu reused, %lu copied (1, 1, 0 expected)",
          (unsigned long)AROUND_DELTA(&m, cow_faults), (unsigned long)AROUND_DELTA(&m, cow_pages_reused),
          (unsigned long)AROUND_DELTA(&m, cow_pages_copied));
    CHECK(page[0] == LATER_MARK && page[1] == PARENT_MARK, "the parent's page");
}

/*
 * A fork of a process with 16 MiB touched takes a few free pages (page
 * tables, a kernel stack), not the 4096 an eager copy takes: the count of
 * free pages is the count of pages a fork copied, without a clock.
 */
static void large_fork_is_cheap(void)
{
    unsigned char *p = map_touched(LARGE_PAGES, PARENT_MARK);
    struct os_stats before, after;
    fork_and_count(p, LARGE_PAGES, &before, &after);
    uint64_t taken = before.free_pages - after.free_pages;
    CHECK(taken <= LARGE_FORK_MAX, "the fork took %lu free pages for %lu touched (%lu at most)",
          (unsigned long)taken, (unsigned long)LARGE_PAGES, (unsigned long)LARGE_FORK_MAX);
}

int main(void)
{
    printf("test_lab_cow: fork shares pages copy-on-write\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN(fork_shares_pages);
    RUN(write_copies_one_page);
    RUN(three_sharers_last_reuses);
    RUN(large_fork_is_cheap);
    utest_pages_back("pages_come_back", start);
    return utest_finish();
}
