/*
 * rename (issue 13: BusyBox's mv): the cases of rename_cases.h, which pass
 * on the Linux host too, what our kernel keeps read-only, hostile
 * arguments, and every page and heap byte back.
 */
#include "utest.h"
#include "rename_cases.h"

#define BAD_ADDR 0xffff800000000000UL   /* a kernel address: EFAULT */

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(rn_files)
SHARED(rn_directories)

static void read_only_and_hostile(void)
{
    CHECK(rename("/bin/true", "/tmp/true") == -1 && errno == EACCES, "out of /bin: %s", strerror(errno));
    CHECK(rename("/dev/null", "/dev/nul2") == -1 && errno == EACCES, "in /dev: %s", strerror(errno));
    CHECK(rename("/tmp", "/") == -1 && errno == EBUSY, "onto /: %s", strerror(errno));
    CHECK(rename("/bin", "/tmp/bin") == -1 && errno == EACCES, "the programs' directory: %s", strerror(errno));
    CHECK(rename("/usr/bin", "/tmp/ubin") == -1 && errno == EACCES, "BusyBox's: %s", strerror(errno));
    CHECK(rename("/tmp/.", "/tmp/x") == -1 && errno == EBUSY, "\".\": %s", strerror(errno));
    CHECK(rename((const char *)BAD_ADDR, "/tmp/x") == -1 && errno == EFAULT, "a bad source");
    CHECK(rename("/tmp", (const char *)BAD_ADDR) == -1 && errno == EFAULT, "a bad target");
    CHECK(syscall(SYS_renameat2, AT_FDCWD, "/tmp/a", AT_FDCWD, "/tmp/b", 2) == -1 && errno == EINVAL,
          "RENAME_EXCHANGE is not here");
    CHECK(syscall(SYS_renameat, 12345, "a", AT_FDCWD, "/tmp/b") == -1 && errno == EBADF, "a bad dirfd");
}

int main(void)
{
    printf("test_rename: rename, renameat, renameat2 of files and directories\n");
    RUN_SHARED(rn_files);       /* the harness's first pages, before the leak check counts */
    struct os_stats start = utest_settled();
    RUN_SHARED(rn_files);
    RUN_SHARED(rn_directories);
    RUN(read_only_and_hostile);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
