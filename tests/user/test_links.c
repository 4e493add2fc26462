/*
 * Symbolic links, permission bits, times and statfs (issue 13: BusyBox's
 * ln -s, chmod, touch, df): the cases of links_cases.h, which pass on the
 * Linux host too, what our kernel keeps read-only, hostile arguments, and
 * every page and heap byte back.
 */
#include <limits.h>
#include <pthread.h>
#include <sys/syscall.h>
#include "utest.h"
#include "links_cases.h"

#define BAD_ADDR 0xffff800000000000UL   /* a kernel address: EFAULT */
#define EDGE_ADDR 0x7ffffffff000UL      /* the last user page, never mapped */

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(ln_basics)
SHARED(ln_walks)
SHARED(ln_long_chain)
SHARED(ln_modes)
SHARED(ln_times)
SHARED(ln_statfs)

/* What our kernel keeps as it is: the initrd's files and directories, /dev, /proc. */
static void read_only(void)
{
    struct stat st;
    CHECK(chmod("/bin/true", 0777) == -1 && errno == EROFS, "chmod of a program: %s", strerror(errno));
    CHECK(stat("/bin/true", &st) == 0 && (st.st_mode & 07777) == 0755, "programs are 0755: %o", st.st_mode);
    CHECK(stat("/etc/passwd", &st) == 0 && (st.st_mode & 07777) == 0644, "/etc/passwd keeps the archive's 0644");
    CHECK(utimensat(AT_FDCWD, "/bin/true", NULL, 0) == -1 && errno == EROFS, "touch of a program: EROFS");
    CHECK(utimensat(AT_FDCWD, "/dev/null", NULL, 0) == 0, "touch /dev/null works, as on Linux");
    CHECK(symlink("/tmp", "/bin/tmp") == -1 && errno == EACCES, "a link in /bin: %s", strerror(errno));
    CHECK(chown("/tmp", 0, 0) == 0 && chown("/tmp", (uid_t)-1, (gid_t)-1) == 0, "chown to root");
    CHECK(chown("/tmp", 1000, 1000) == -1 && errno == EPERM, "chown to another user: EPERM (root only)");
    CHECK(link("/proc/self/status", "/tmp/status") == -1, "no hard link into /proc's files");
}

static void hostile(void)
{
    char buf[16];
    CHECK(symlink((const char *)BAD_ADDR, "/tmp/x") == -1 && errno == EFAULT, "a bad target");
    CHECK(symlink("/tmp", (const char *)EDGE_ADDR) == -1 && errno == EFAULT, "a bad path");
    CHECK(symlink("", "/tmp/empty") == -1 && errno == ENOENT, "an empty target: ENOENT");
    CHECK(symlink("/tmp", "/tmp/ln_h") == 0, "a link");
    CHECK(readlink("/tmp/ln_h", (char *)BAD_ADDR, sizeof buf) == -1 && errno == EFAULT, "readlink to a bad buffer");
    CHECK(readlink("/tmp/ln_h", buf, 0) == -1 && errno == EINVAL, "readlink of 0 bytes: EINVAL");
    CHECK(syscall(SYS_readlink, "/tmp/ln_h", buf, -1L) == -1 && errno == EINVAL, "a negative size: EINVAL");
    CHECK(utimensat(AT_FDCWD, "/tmp/ln_h", (const struct timespec *)BAD_ADDR, 0) == -1 && errno == EFAULT,
          "utimensat of bad times");
    CHECK(utimensat(AT_FDCWD, "/tmp/ln_h", NULL, 0x4000) == -1 && errno == EINVAL, "an unknown flag");
    CHECK(statfs("/tmp", (struct statfs *)BAD_ADDR) == -1 && errno == EFAULT, "statfs into a bad buffer");
    static char huge[PATH_MAX + 16];
    memset(huge, 'a', sizeof huge - 1);
    CHECK(symlink(huge, "/tmp/ln_huge") == -1 && errno == ENAMETOOLONG, "a target past PATH_MAX");
    memset(huge, 'a', PATH_MAX - 1);
    huge[PATH_MAX - 1] = '\0';
    CHECK(symlink(huge, "/tmp/ln_huge") == 0, "the longest target: %s", strerror(errno));
    CHECK(readlink("/tmp/ln_huge", huge, sizeof huge) == PATH_MAX - 1, "reads back whole");
    CHECK(open("/tmp/ln_huge/x", O_RDONLY) == -1 && errno == ENAMETOOLONG, "target plus rest too long");
    CHECK(unlink("/tmp/ln_huge") == 0 && unlink("/tmp/ln_h") == 0, "clean up");
}

/* Threads renaming, linking and unlinking one name while others walk through it: no panic, no leak. */
#define RACE_ROUNDS 300
static volatile int race_stop;

static void *race_walker(void *arg)
{
    (void)arg;
    struct stat st;
    while (!race_stop) {
        stat("/tmp/ln_race/link/f", &st);
        int fd = open("/tmp/ln_race/link/f", O_RDONLY);
        if (fd >= 0)
            close(fd);
    }
    return NULL;
}

static void race(void)
{
    pthread_t walkers[2];
    CHECK(mkdir("/tmp/ln_race", 0700) == 0 && mkdir("/tmp/ln_race/d", 0700) == 0, "the directory");
    CHECK(case_write("/tmp/ln_race/d/f", "f"), "the file");
    for (int i = 0; i < 2; i++)
        CHECK(pthread_create(&walkers[i], NULL, race_walker, NULL) == 0, "a walker");
    for (int i = 0; i < RACE_ROUNDS; i++) {
        symlink(i % 2 ? "d" : "/tmp/ln_race/d", "/tmp/ln_race/link");
        unlink("/tmp/ln_race/link");
        rename("/tmp/ln_race/d", "/tmp/ln_race/e");
        rename("/tmp/ln_race/e", "/tmp/ln_race/d");
    }
    race_stop = 1;
    for (int i = 0; i < 2; i++)
        pthread_join(walkers[i], NULL);
    CHECK(unlink("/tmp/ln_race/d/f") == 0 && rmdir("/tmp/ln_race/d") == 0 && rmdir("/tmp/ln_race") == 0, "clean up");
}

int main(void)
{
    printf("test_links: symbolic links, modes, times, statfs\n");
    RUN_SHARED(ln_basics);      /* the harness's first pages, before the leak check counts */
    struct os_stats start = utest_settled();
    RUN_SHARED(ln_basics);
    RUN_SHARED(ln_walks);
    RUN_SHARED(ln_long_chain);
    RUN_SHARED(ln_modes);
    RUN_SHARED(ln_times);
    RUN_SHARED(ln_statfs);
    RUN(read_only);
    RUN(hostile);
    RUN(race);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
