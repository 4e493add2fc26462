/*
 * The device nodes of /dev as Linux defines them, in cases that run both
 * on the Linux host (tests/host/libc/dev.c: our libc on Linux's kernel)
 * and in our kernel (tests/user/test_dev.c): null, zero, full, random,
 * urandom, getrandom, and their device numbers.  Each case returns 1, or
 * fails through the includer's CHECK (check.h returns 0, utest.h ends the
 * test).
 */
#ifndef TESTS_USER_DEV_CASES_H
#define TESTS_USER_DEV_CASES_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define DEV_BUF 4096            /* more than one of the kernel's steps */

/* /dev/null: reads end at once, writes take everything. */
static int dev_null(void)
{
    char buf[DEV_BUF];
    int fd = open("/dev/null", O_RDWR);
    CHECK(fd >= 0, "open: %s", strerror(errno));
    CHECK(read(fd, buf, sizeof buf) == 0, "a read is the end of file");
    CHECK(write(fd, buf, sizeof buf) == DEV_BUF, "a write takes everything");
    CHECK(lseek(fd, 100, SEEK_SET) == 0, "lseek: %s", strerror(errno));
    close(fd);
    return 1;
}

/* /dev/zero reads zeros and takes writes; /dev/full reads zeros and refuses writes (ENOSPC). */
static int dev_zero_and_full(void)
{
    char buf[DEV_BUF];
    memset(buf, 'x', sizeof buf);
    int zero = open("/dev/zero", O_RDWR), full = open("/dev/full", O_RDWR);
    CHECK(zero >= 0 && full >= 0, "open: %s", strerror(errno));
    CHECK(read(zero, buf, sizeof buf) == DEV_BUF, "read /dev/zero");
    for (int i = 0; i < DEV_BUF; i++)
        CHECK(buf[i] == 0, "byte %d of /dev/zero is %d", i, buf[i]);
    CHECK(write(zero, buf, 10) == 10, "write /dev/zero");
    memset(buf, 'x', sizeof buf);
    CHECK(read(full, buf, 100) == 100 && buf[0] == 0 && buf[99] == 0, "read /dev/full");
    CHECK(write(full, buf, 1) == -1 && errno == ENOSPC, "write /dev/full: %s", strerror(errno));
    close(zero);
    close(full);
    return 1;
}

/* Whether two buffers of random bytes look random: not all zero, and not equal. */
static int dev_differ(const unsigned char *a, const unsigned char *b, size_t n)
{
    int nonzero = 0, same = 1;
    for (size_t i = 0; i < n; i++) {
        nonzero |= a[i];
        same &= a[i] == b[i];
    }
    return nonzero && !same;
}

/* /dev/random, /dev/urandom and getrandom: bytes that differ from call to call; bad flags fail. */
static int dev_random(void)
{
    unsigned char a[64], b[64];
    int r = open("/dev/random", O_RDONLY), u = open("/dev/urandom", O_RDONLY);
    CHECK(r >= 0 && u >= 0, "open: %s", strerror(errno));
    CHECK(read(u, a, sizeof a) == (ssize_t)sizeof a && read(u, b, sizeof b) == (ssize_t)sizeof b, "read urandom");
    CHECK(dev_differ(a, b, sizeof a), "two reads of /dev/urandom");
    CHECK(read(r, a, sizeof a) == (ssize_t)sizeof a && dev_differ(a, b, sizeof a), "read /dev/random");
    CHECK(getrandom(a, sizeof a, 0) == (ssize_t)sizeof a && getrandom(b, sizeof b, GRND_NONBLOCK) == (ssize_t)sizeof b,
          "getrandom: %s", strerror(errno));
    CHECK(dev_differ(a, b, sizeof a), "two getrandom calls");
    CHECK(getrandom(a, sizeof a, 0x100) == -1 && errno == EINVAL, "bad flags: %s", strerror(errno));
    CHECK(getrandom(a, 0, 0) == 0, "no bytes");
    close(r);
    close(u);
    return 1;
}

/* stat of the nodes: character devices with Linux's numbers. */
static int dev_numbers(void)
{
    static const struct { const char *path; unsigned major, minor; } nodes[] = {
        { "/dev/null", 1, 3 }, { "/dev/zero", 1, 5 }, { "/dev/full", 1, 7 },
        { "/dev/random", 1, 8 }, { "/dev/urandom", 1, 9 },
    };
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
        struct stat st;
        CHECK(stat(nodes[i].path, &st) == 0, "stat %s: %s", nodes[i].path, strerror(errno));
        CHECK(S_ISCHR(st.st_mode), "%s is not a character device: %o", nodes[i].path, st.st_mode);
        CHECK(major(st.st_rdev) == nodes[i].major && minor(st.st_rdev) == nodes[i].minor, "%s is %u:%u",
              nodes[i].path, major(st.st_rdev), minor(st.st_rdev));
    }
    return 1;
}

#endif
