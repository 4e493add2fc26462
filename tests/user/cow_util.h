/*
 * What the copy-on-write tests share (tests/user/test_cow.c, and lab cow's
 * tests/user/test_lab_cow.c): touched pages with a mark, a look at the
 * mark, a child's clean exit.  Include after utest.h.
 */
#ifndef COW_UTIL_H
#define COW_UTIL_H

#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PAGE            4096ul
#define ANON            (MAP_PRIVATE | MAP_ANONYMOUS)
#define PARENT_MARK     0x11
#define CHILD_MARK      0x22
#define LATER_MARK      0x33

/* pages fresh private pages, every byte mark: resident, and the parent's before a fork. */
static inline unsigned char *map_touched(unsigned long pages, unsigned char mark)
{
    unsigned char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, ANON, -1, 0);
    CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
    memset(p, mark, pages * PAGE);
    return p;
}

/* True if every byte of the pages is mark. */
static inline int all_marked(const unsigned char *p, unsigned long pages, unsigned char mark)
{
    for (unsigned long i = 0; i < pages * PAGE; i++)
        if (p[i] != mark)
            return 0;
    return 1;
}

/* Wait for the child and require a clean exit: its CHECKs said why otherwise. */
static inline void expect_child_ok(pid_t pid)
{
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child failed: status %#x", status);
}

/*
 * Fork a child of a process whose pages p all read PARENT_MARK, and take
 * the counters before the fork and while the child lives (it waits for
 * them, then exits 0 if the pages still read so).  Reaped on return.
 */
static inline void fork_and_count(const unsigned char *p, unsigned long pages, struct os_stats *before,
                                  struct os_stats *after)
{
    int ready[2], done[2];
    CHECK(pipe(ready) == 0 && pipe(done) == 0, "pipe");
    *before = utest_stats();
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        char c = 0;
        close(ready[0]);
        close(done[1]);                 /* EOF if the parent dies first */
        write(ready[1], &c, 1);
        read(done[0], &c, 1);           /* stays until the parent has counted */
        _exit(all_marked(p, pages, PARENT_MARK) ? 0 : 1);
    }
    char c;
    CHECK(read(ready[0], &c, 1) == 1, "the child did not start");
    *after = utest_stats();
    CHECK(write(done[1], &c, 1) == 1, "write");
    expect_child_ok(pid);
    for (int i = 0; i < 2; i++) {
        close(ready[i]);
        close(done[i]);
    }
}

/* A first fork and wait touch pages of the caller for good: run before a leak check's start. */
static inline void warm_up(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0)
        _exit(0);
    expect_child_ok(pid);
}

#endif
