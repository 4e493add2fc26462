/*
 * rename as Linux defines it, in cases that run both on the Linux host
 * (tests/host/libc/rename.c: our libc on Linux's kernel) and in our kernel
 * (tests/user/test_rename.c).  Each case returns 1, or fails through the
 * includer's CHECK.
 */
#ifndef TESTS_USER_RENAME_CASES_H
#define TESTS_USER_RENAME_CASES_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "case_files.h"

#define RN_NOREPLACE 1          /* renameat2's RENAME_NOREPLACE */

/* Files: a new name, the old gone; over an existing file, which goes; into another directory. */
static int rn_files(void)
{
    char d[64], a[96], b[96], sub[96], c[128];
    case_dir(d, sizeof d, "rn", "files");
    snprintf(a, sizeof a, "%s/a", d), snprintf(b, sizeof b, "%s/b", d);
    snprintf(sub, sizeof sub, "%s/sub", d), snprintf(c, sizeof c, "%s/sub/c", d);
    CHECK(case_write(a, "A") && case_write(b, "B") && mkdir(sub, 0700) == 0, "the files");
    struct stat before, after;
    CHECK(stat(a, &before) == 0, "stat");
    CHECK(rename(a, c) == 0 && access(a, F_OK) == -1 && case_reads(c, "A"), "into another directory: %s",
          strerror(errno));
    CHECK(stat(c, &after) == 0 && after.st_ino == before.st_ino, "the same file");
    CHECK(rename(c, b) == 0 && case_reads(b, "A") && access(c, F_OK) == -1, "over an existing file: %s",
          strerror(errno));
    CHECK(rename(b, b) == 0 && case_reads(b, "A"), "onto itself");
    CHECK(syscall(SYS_renameat2, AT_FDCWD, b, AT_FDCWD, b, RN_NOREPLACE) == -1 && errno == EEXIST,
          "RENAME_NOREPLACE: %s", strerror(errno));
    CHECK(rename(a, b) == -1 && errno == ENOENT, "a missing source");
    unlink(b), rmdir(sub), rmdir(d);
    return 1;
}

/* Directories: renamed with their contents; never into themselves; what may replace what. */
static int rn_directories(void)
{
    char d[64], x[96], y[96], inner[128], file[128], full[96], f[96];
    case_dir(d, sizeof d, "rn", "dirs");
    snprintf(x, sizeof x, "%s/x", d), snprintf(y, sizeof y, "%s/y", d);
    snprintf(inner, sizeof inner, "%s/x/inner", d), snprintf(file, sizeof file, "%s/y/inner", d);
    snprintf(full, sizeof full, "%s/full", d), snprintf(f, sizeof f, "%s/f", d);
    CHECK(mkdir(x, 0700) == 0 && case_write(inner, "I"), "a directory with a file");
    CHECK(rename(x, y) == 0 && case_reads(file, "I"), "renamed with its contents: %s", strerror(errno));
    snprintf(inner, sizeof inner, "%s/y/deeper", d);
    CHECK(rename(y, inner) == -1 && errno == EINVAL, "into itself: %s", strerror(errno));
    CHECK(mkdir(full, 0700) == 0 && case_write(f, "F"), "more");
    char in_full[128];
    snprintf(in_full, sizeof in_full, "%s/full/g", d);
    CHECK(case_write(in_full, "G"), "a file in full");
    CHECK(rename(y, full) == -1 && errno == ENOTEMPTY, "over a non-empty directory: %s", strerror(errno));
    CHECK(rename(f, y) == -1 && errno == EISDIR, "a file over a directory: %s", strerror(errno));
    CHECK(rename(y, f) == -1 && errno == ENOTDIR, "a directory over a file: %s", strerror(errno));
    unlink(in_full);
    CHECK(rename(y, full) == 0, "over an empty directory: %s", strerror(errno));
    snprintf(file, sizeof file, "%s/full/inner", d);
    CHECK(case_reads(file, "I"), "its contents came along");
    char cwd[256];
    CHECK(chdir(full) == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, full) == 0, "getcwd after: %s", cwd);
    CHECK(chdir("/") == 0, "chdir back");
    unlink(file), unlink(f), rmdir(full), rmdir(d);
    return 1;
}

#endif
