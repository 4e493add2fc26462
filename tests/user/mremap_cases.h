/*
 * mremap as Linux defines it, in cases that run both on the Linux host
 * (tests/host/libc/mremap.c: our libc on Linux's kernel) and in our kernel
 * (tests/user/test_vm.c): shrink in place, grow in place, a move that
 * keeps the contents, a move to a fixed place, a moved shared mapping
 * still shared with a child, and the errors.  Each case returns 1, or
 * fails through the includer's CHECK.
 */
#ifndef TESTS_USER_MREMAP_CASES_H
#define TESTS_USER_MREMAP_CASES_H

#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MR_PAGE 4096ul

static char *mr_map(unsigned long pages, int flags)
{
    return mmap(NULL, pages * MR_PAGE, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);
}

/* Shrink in place, then grow in place into the room left. */
static int mr_shrink_and_grow_in_place(void)
{
    char *p = mr_map(4, MAP_PRIVATE);
    CHECK(p != MAP_FAILED, "mmap");
    memset(p, 7, 4 * MR_PAGE);
    CHECK(mremap(p, 4 * MR_PAGE, 2 * MR_PAGE, 0) == p, "shrink: %s", strerror(errno));
    CHECK(p[2 * MR_PAGE - 1] == 7, "the kept part kept its bytes");
    CHECK(mremap(p, 2 * MR_PAGE, 4 * MR_PAGE, 0) == p, "grow into the room left: %s", strerror(errno));
    CHECK(p[MR_PAGE] == 7 && p[3 * MR_PAGE] == 0, "old bytes kept, new pages zero");
    CHECK(mremap(p, 4 * MR_PAGE, 4 * MR_PAGE, 0) == p, "the same size");
    munmap(p, 4 * MR_PAGE);
    return 1;
}

/* Blocked by a neighbour: ENOMEM without MREMAP_MAYMOVE, a move with it; the bytes move along. */
static int mr_move(void)
{
    char *p = mr_map(3, MAP_PRIVATE);
    CHECK(p != MAP_FAILED, "mmap");
    CHECK(munmap(p + 2 * MR_PAGE, MR_PAGE) == 0, "a hole");
    char *wall = mmap(p + 2 * MR_PAGE, MR_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(wall == p + 2 * MR_PAGE, "a neighbour right after");
    strcpy(p, "first page");
    strcpy(p + MR_PAGE, "second page");
    CHECK(mremap(p, 2 * MR_PAGE, 8 * MR_PAGE, 0) == MAP_FAILED && errno == ENOMEM, "no room, no move: %s",
          strerror(errno));
    char *q = mremap(p, 2 * MR_PAGE, 8 * MR_PAGE, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED && q != p, "moved: %s", strerror(errno));
    CHECK(strcmp(q, "first page") == 0 && strcmp(q + MR_PAGE, "second page") == 0, "the bytes moved along");
    CHECK(q[7 * MR_PAGE] == 0, "the new pages are zero");
    q[7 * MR_PAGE] = 1;
    CHECK(mprotect(p, MR_PAGE, PROT_READ) == -1 && errno == ENOMEM, "the old place is unmapped");
    munmap(q, 8 * MR_PAGE);
    munmap(wall, MR_PAGE);
    return 1;
}

/* MREMAP_FIXED: to a given place (what was there goes), not overlapping the old one. */
static int mr_fixed(void)
{
    char *p = mr_map(2, MAP_PRIVATE), *target = mr_map(4, MAP_PRIVATE);
    CHECK(p != MAP_FAILED && target != MAP_FAILED, "mmap");
    strcpy(p, "fixed");
    CHECK(mremap(p, 2 * MR_PAGE, 2 * MR_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, p + MR_PAGE) == MAP_FAILED &&
          errno == EINVAL, "overlapping: %s", strerror(errno));
    CHECK(mremap(p, 2 * MR_PAGE, 2 * MR_PAGE, MREMAP_FIXED, target) == MAP_FAILED && errno == EINVAL,
          "FIXED without MAYMOVE");
    char *q = mremap(p, 2 * MR_PAGE, 3 * MR_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    CHECK(q == target && strcmp(q, "fixed") == 0, "moved to the place: %s", strerror(errno));
    munmap(target, 4 * MR_PAGE);
    return 1;
}

/* A shared mapping moved after a fork is still the child's pages. */
static int mr_shared_stays_shared(void)
{
    volatile char *p = (volatile char *)mr_map(1, MAP_SHARED);
    CHECK(p != MAP_FAILED, "mmap");
    int go[2];
    CHECK(pipe(go) == 0, "pipe");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        char c;
        read(go[0], &c, 1);     /* the parent has moved its mapping */
        p[0] = 'c';
        _exit(0);
    }
    volatile char *q = mremap((void *)p, MR_PAGE, 4 * MR_PAGE, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED, "mremap: %s", strerror(errno));
    write(go[1], "x", 1);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status), "the child");
    CHECK(q[0] == 'c', "the child's store reached the moved mapping: %d", q[0]);
    munmap((void *)q, 4 * MR_PAGE);
    close(go[0]);
    close(go[1]);
    return 1;
}

/* Bad arguments: EINVAL for flags, alignment and sizes; EFAULT for an unmapped old range. */
static int mr_errors(void)
{
    char *p = mr_map(2, MAP_PRIVATE);
    CHECK(p != MAP_FAILED, "mmap");
    CHECK(mremap(p + 1, MR_PAGE, 2 * MR_PAGE, MREMAP_MAYMOVE) == MAP_FAILED && errno == EINVAL, "unaligned");
    CHECK(mremap(p, MR_PAGE, 0, MREMAP_MAYMOVE) == MAP_FAILED && errno == EINVAL, "new length 0");
    CHECK(mremap(p, MR_PAGE, MR_PAGE, 0x100) == MAP_FAILED && errno == EINVAL, "bad flags");
    CHECK(munmap(p, 2 * MR_PAGE) == 0, "munmap");
    CHECK(mremap(p, MR_PAGE, 2 * MR_PAGE, MREMAP_MAYMOVE) == MAP_FAILED && errno == EFAULT,
          "an unmapped range: %s", strerror(errno));
    return 1;
}

#endif
