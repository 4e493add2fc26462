/*
 * Symbolic links, permission bits, times and statfs as Linux defines them
 * (issue 13: BusyBox's ln -s, chmod, touch, df), in cases that run both on
 * the Linux host (tests/host/libc/links.c: our libc on Linux's kernel) and
 * in our kernel (tests/user/test_links.c).  Each case returns 1, or fails
 * through the includer's CHECK.
 */
#ifndef TESTS_USER_LINKS_CASES_H
#define TESTS_USER_LINKS_CASES_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>
#include "case_files.h"

#define LN_LOOP_DEPTH 50        /* more links in a chain than any kernel follows (Linux: 40) */

/* readlink's text (not NUL-terminated by the call) equals text. */
static int ln_link_is(const char *path, const char *text)
{
    char buf[256];
    ssize_t n = readlink(path, buf, sizeof buf);
    return n == (ssize_t)strlen(text) && memcmp(buf, text, (size_t)n) == 0;
}

/* A link to a file: read through it, readlink, lstat against stat, unlink takes the link only. */
static int ln_basics(void)
{
    char d[64], file[96], link[96], rel[96];
    struct stat st, lst;
    case_dir(d, sizeof d, "ln", "basics");
    snprintf(file, sizeof file, "%s/file", d), snprintf(link, sizeof link, "%s/link", d);
    snprintf(rel, sizeof rel, "%s/rel", d);
    CHECK(case_write(file, "data"), "the file");
    CHECK(symlink(file, link) == 0, "symlink: %s", strerror(errno));
    CHECK(symlink(file, link) == -1 && errno == EEXIST, "a second symlink at the name");
    CHECK(case_reads(link, "data"), "read through the link");
    CHECK(ln_link_is(link, file), "readlink");
    char small[4];
    CHECK(readlink(link, small, sizeof small) == (ssize_t)sizeof small && memcmp(small, file, sizeof small) == 0,
          "readlink cuts to the buffer");
    CHECK(readlink(file, small, sizeof small) == -1 && errno == EINVAL, "readlink of a file: EINVAL");
    CHECK(stat(link, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 4, "stat follows");
    CHECK(lstat(link, &lst) == 0 && S_ISLNK(lst.st_mode) && lst.st_size == (off_t)strlen(file),
          "lstat: the link, its size the text's length");
    CHECK(lst.st_ino != st.st_ino, "the link is an inode of its own");
    CHECK(symlink("file", rel) == 0 && case_reads(rel, "data"), "a relative link: from the link's directory");
    CHECK(unlink(link) == 0 && lstat(link, &lst) == -1 && errno == ENOENT && case_reads(file, "data"),
          "unlink takes the link, not the file");
    CHECK(unlink(rel) == 0 && unlink(file) == 0 && rmdir(d) == 0, "clean up: %s", strerror(errno));
    return 1;
}

/* Dangling links, O_CREAT through one, O_EXCL and O_NOFOLLOW, loops, a link to a directory. */
static int ln_walks(void)
{
    char d[64], target[96], dangling[96], a[96], b[96], sub[96], to_sub[128], through[160];
    struct stat st;
    case_dir(d, sizeof d, "ln", "walks");
    snprintf(target, sizeof target, "%s/target", d), snprintf(dangling, sizeof dangling, "%s/dangling", d);
    snprintf(a, sizeof a, "%s/a", d), snprintf(b, sizeof b, "%s/b", d), snprintf(sub, sizeof sub, "%s/sub", d);
    snprintf(to_sub, sizeof to_sub, "%s/to_sub", d), snprintf(through, sizeof through, "%s/to_sub/f", d);
    CHECK(symlink(target, dangling) == 0, "a dangling link");
    CHECK(stat(dangling, &st) == -1 && errno == ENOENT && lstat(dangling, &st) == 0, "stat ENOENT, lstat finds it");
    CHECK(open(dangling, O_WRONLY | O_CREAT | O_EXCL, 0600) == -1 && errno == EEXIST, "O_EXCL on a link: EEXIST");
    int fd = open(dangling, O_WRONLY | O_CREAT, 0600);
    CHECK(fd >= 0 && write(fd, "made", 4) == 4, "O_CREAT through a dangling link: %s", strerror(errno));
    close(fd);
    CHECK(case_reads(target, "made"), "... made its target");
    CHECK(open(dangling, O_RDONLY | O_NOFOLLOW) == -1 && errno == ELOOP, "O_NOFOLLOW on a link: ELOOP");
    CHECK(symlink(b, a) == 0 && symlink(a, b) == 0, "a loop");
    CHECK(stat(a, &st) == -1 && errno == ELOOP, "a loop: ELOOP");
    CHECK(mkdir(sub, 0700) == 0 && symlink("sub", to_sub) == 0, "a link to a directory");
    CHECK(case_write(through, "deep") && stat(through, &st) == 0 && S_ISREG(st.st_mode), "a path through it");
    char slash[160];
    snprintf(slash, sizeof slash, "%s/", to_sub);
    CHECK(lstat(slash, &st) == 0 && S_ISDIR(st.st_mode), "a trailing slash follows the last link");
    CHECK(chdir(to_sub) == 0 && case_reads("f", "deep") && chdir("/") == 0, "chdir through a link");
    snprintf(slash, sizeof slash, "%s/f", sub);
    CHECK(unlink(slash) == 0 && rmdir(sub) == 0, "clean up the directory");
    CHECK(unlink(to_sub) == 0 && unlink(a) == 0 && unlink(b) == 0 && unlink(dangling) == 0 && unlink(target) == 0,
          "clean up the links");
    CHECK(rmdir(d) == 0, "clean up: %s", strerror(errno));
    return 1;
}

/* A chain longer than any kernel follows: ELOOP, not a hang or a deep recursion. */
static int ln_long_chain(void)
{
    char d[64], name[96], prev[96];
    struct stat st;
    case_dir(d, sizeof d, "ln", "chain");
    snprintf(prev, sizeof prev, "%s/end", d);
    CHECK(case_write(prev, "end"), "the end");
    for (int i = 0; i < LN_LOOP_DEPTH; i++) {
        snprintf(name, sizeof name, "%s/l%d", d, i);
        CHECK(symlink(prev, name) == 0, "link %d: %s", i, strerror(errno));
        memcpy(prev, name, sizeof prev);
    }
    CHECK(stat(prev, &st) == -1 && errno == ELOOP, "%d links: ELOOP", LN_LOOP_DEPTH);
    snprintf(name, sizeof name, "%s/l%d", d, 8);
    CHECK(case_reads(name, "end"), "nine links are fine");
    for (int i = 0; i < LN_LOOP_DEPTH; i++) {
        snprintf(name, sizeof name, "%s/l%d", d, i);
        unlink(name);
    }
    snprintf(name, sizeof name, "%s/end", d);
    CHECK(unlink(name) == 0 && rmdir(d) == 0, "clean up");
    return 1;
}

/* Permission bits: the umask applies to creat and mkdir, chmod and fchmod keep what they set. */
static int ln_modes(void)
{
    char d[64], file[96], sub[96];
    struct stat st;
    case_dir(d, sizeof d, "ln", "modes");
    snprintf(file, sizeof file, "%s/file", d), snprintf(sub, sizeof sub, "%s/sub", d);
    mode_t old = umask(022);
    int fd = open(file, O_WRONLY | O_CREAT, 0666);
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0644, "creat 0666 less 022: %o",
          st.st_mode & 07777);
    CHECK(fchmod(fd, 0600) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0600, "fchmod");
    close(fd);
    CHECK(chmod(file, 04755) == 0 && stat(file, &st) == 0 && (st.st_mode & 07777) == 04755 && S_ISREG(st.st_mode),
          "chmod keeps the bits and the type: %o", st.st_mode);
    CHECK(fchmodat(AT_FDCWD, file, 0400, 0) == 0 && stat(file, &st) == 0 && (st.st_mode & 07777) == 0400,
          "fchmodat");
    umask(077);
    CHECK(mkdir(sub, 0777) == 0 && stat(sub, &st) == 0 && (st.st_mode & 07777) == 0700 && S_ISDIR(st.st_mode),
          "mkdir 0777 less 077: %o", st.st_mode & 07777);
    umask(old);
    CHECK(chmod("/tmp/ln_no_such_file", 0600) == -1 && errno == ENOENT, "chmod of nothing: ENOENT");
    CHECK(rmdir(sub) == 0 && unlink(file) == 0 && rmdir(d) == 0, "clean up");
    return 1;
}

/* Times: utimensat sets them, UTIME_OMIT keeps one, futimens(NULL) is now, a write moves mtime. */
static int ln_times(void)
{
    char d[64], file[96];
    struct stat st;
    struct timespec now;
    case_dir(d, sizeof d, "ln", "times");
    snprintf(file, sizeof file, "%s/file", d);
    CHECK(case_write(file, "x"), "the file");
    struct timespec set[2] = { { 1000000000, 5 }, { 1234567890, 123456789 } };
    CHECK(utimensat(AT_FDCWD, file, set, 0) == 0, "utimensat: %s", strerror(errno));
    CHECK(stat(file, &st) == 0 && st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1234567890 &&
          st.st_mtim.tv_nsec == 123456789, "both times set: %ld %ld", (long)st.st_atim.tv_sec,
          (long)st.st_mtim.tv_sec);
    struct timespec omit[2] = { { 0, UTIME_OMIT }, { 1500000000, 0 } };
    CHECK(utimensat(AT_FDCWD, file, omit, 0) == 0 && stat(file, &st) == 0 && st.st_atim.tv_sec == 1000000000 &&
          st.st_mtim.tv_sec == 1500000000, "UTIME_OMIT keeps the access time");
    struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
    CHECK(utimensat(AT_FDCWD, file, bad, 0) == -1 && errno == EINVAL, "a nanosecond count past a second: EINVAL");
    CHECK(clock_gettime(CLOCK_REALTIME, &now) == 0, "the clock");
    int fd = open(file, O_WRONLY);
    CHECK(fd >= 0 && futimens(fd, NULL) == 0 && fstat(fd, &st) == 0, "futimens(NULL): %s", strerror(errno));
    CHECK(st.st_mtim.tv_sec >= now.tv_sec - 1 && st.st_mtim.tv_sec <= now.tv_sec + 5, "... is now: %ld vs %ld",
          (long)st.st_mtim.tv_sec, (long)now.tv_sec);
    CHECK(utimensat(AT_FDCWD, file, set, 0) == 0 && write(fd, "y", 1) == 1 && fstat(fd, &st) == 0 &&
          st.st_mtim.tv_sec >= now.tv_sec - 1, "a write moves the modification time");
    close(fd);
    CHECK(unlink(file) == 0 && rmdir(d) == 0, "clean up");
    return 1;
}

/* statfs: figures that add up. */
static int ln_statfs(void)
{
    struct statfs fs;
    CHECK(statfs("/tmp", &fs) == 0, "statfs: %s", strerror(errno));
    CHECK(fs.f_bsize > 0 && fs.f_bfree <= fs.f_blocks && fs.f_bavail <= fs.f_blocks && fs.f_namelen >= 255,
          "figures: bsize %ld free %lu of %lu", fs.f_bsize, fs.f_bfree, fs.f_blocks);
    int fd = open("/tmp", O_RDONLY);
    struct statfs by_fd;
    CHECK(fd >= 0 && fstatfs(fd, &by_fd) == 0 && by_fd.f_type == fs.f_type, "fstatfs agrees");
    close(fd);
    CHECK(statfs("/tmp/ln_no_such_dir/x", &fs) == -1 && errno == ENOENT, "statfs of nothing: ENOENT");
    return 1;
}

#endif
