/*
 * mremap (issue 12): the cases of mremap_cases.h, which pass on the Linux
 * host too, a moved mapping's pages still copy-on-write after a fork, a
 * sibling thread on another CPU reading the moved bytes, and every page
 * back at the end.
 */
#include "utest.h"
#include "uthread.h"
#include "mremap_cases.h"

#define MOVE_PAGES 64

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(mr_shrink_and_grow_in_place)
SHARED(mr_move)
SHARED(mr_fixed)
SHARED(mr_shared_stays_shared)
SHARED(mr_errors)

/* A private mapping shared copy-on-write with a child, then moved: the child's view does not change. */
static void moved_pages_stay_copy_on_write(void)
{
    char *p = mr_map(MOVE_PAGES, MAP_PRIVATE);
    CHECK(p != MAP_FAILED, "mmap");
    memset(p, 1, MOVE_PAGES * MR_PAGE);
    int go[2], done[2];
    CHECK(pipe(go) == 0 && pipe(done) == 0, "pipes");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        char c;
        read(go[0], &c, 1);
        for (unsigned long i = 0; i < MOVE_PAGES * MR_PAGE; i += MR_PAGE)
            if (p[i] != 1)
                _exit(1);
        _exit(0);
    }
    char *q = mremap(p, MOVE_PAGES * MR_PAGE, 2 * MOVE_PAGES * MR_PAGE, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED, "mremap: %s", strerror(errno));
    memset(q, 2, MOVE_PAGES * MR_PAGE);         /* copy-on-write faults at the new place */
    write(go[1], "x", 1);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the child saw the parent's stores: %#x", status);
    munmap(q, 2 * MOVE_PAGES * MR_PAGE);
}

static char *shared_view;
static volatile int phase;

static void *reader(void *arg)
{
    (void)arg;
    while (phase == 0)
        ;
    return (void *)(long)(shared_view[MR_PAGE] == 3);
}

/* A sibling thread reads the bytes at the new address the other thread moved them to. */
static void sibling_sees_the_move(void)
{
    char *p = mr_map(2, MAP_PRIVATE);
    CHECK(p != MAP_FAILED, "mmap");
    p[MR_PAGE] = 3;
    pthread_t t;
    SPAWN(&t, reader, NULL);
    shared_view = mremap(p, 2 * MR_PAGE, 64 * MR_PAGE, MREMAP_MAYMOVE);
    CHECK(shared_view != MAP_FAILED, "mremap: %s", strerror(errno));
    __atomic_store_n(&phase, 1, __ATOMIC_SEQ_CST);
    void *ok;
    pthread_join(t, &ok);
    CHECK(ok, "the sibling read the moved byte");
    munmap(shared_view, 64 * MR_PAGE);
}

static void warm_up(void)
{
    (void)mr_move();
}

int main(void)
{
    printf("test_mremap: mremap: shrink, grow, move, fixed, shared, copy-on-write, siblings\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN_SHARED(mr_shrink_and_grow_in_place);
    RUN_SHARED(mr_move);
    RUN_SHARED(mr_fixed);
    RUN_SHARED(mr_shared_stays_shared);
    RUN_SHARED(mr_errors);
    RUN(moved_pages_stay_copy_on_write);
    RUN(sibling_sees_the_move);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
