/*
 * /proc (issue 13): the cases of procfs_cases.h, which pass on the Linux
 * host too, then what only our kernel is asked: hostile readers, a maps
 * file larger than its first buffer, /proc read while the threads and
 * processes it shows come and go on several CPUs, and every page and
 * heap byte back.
 */
#include <limits.h>
#include "utest.h"
#include "procfs_cases.h"

#define BAD_ADDR        0xffff800000000000UL    /* a kernel address: EFAULT */
#define MANY_AREAS      4000                    /* maps of twice this many areas: half a MiB of text */
#define MANY_OPENS      60                      /* opens of that maps: more than the kernel lets /proc hold */
#define CHURN_ROUNDS    60                      /* threads and children made and ended under the readers */
#define DIRENT_TOO_SMALL 8                      /* smaller than any getdents64 record */

#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(pc_self_status)
SHARED(pc_self_stat)
SHARED(pc_threads)
SHARED(pc_self_links)
SHARED(pc_fds)
SHARED(pc_cwd_exe)
SHARED(pc_cmdline)
SHARED(pc_maps)
SHARED(pc_zombie)
SHARED(pc_list)
SHARED(pc_system)
SHARED(pc_read_only)

static void hostile(void)
{
    char buf[64];
    int fd = open("/proc/self/status", O_RDONLY);
    CHECK(fd >= 0, "open");
    CHECK(read(fd, (void *)BAD_ADDR, sizeof buf) == -1 && errno == EFAULT, "read into a kernel address");
    CHECK(read(fd, buf, sizeof buf) == (ssize_t)sizeof buf, "then a good read: %s", strerror(errno));
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, 5) == 5 && memcmp(buf, "Name:", 5) == 0,
          "back to the start: made again");
    CHECK(pread(fd, buf, 4, 1) == 4 && memcmp(buf, "ame:", 4) == 0, "pread at an offset");
    CHECK(write(fd, "x", 1) == -1 && errno == EBADF, "write to a read-only open");
    close(fd);
    CHECK(readlink("/proc/self/exe", (char *)BAD_ADDR, sizeof buf) == -1 && errno == EFAULT, "readlink to a bad buffer");
    fd = open("/proc", O_RDONLY | O_DIRECTORY);
    CHECK(fd >= 0, "open /proc");
    CHECK(syscall(SYS_getdents64, fd, buf, DIRENT_TOO_SMALL) == -1 && errno == EINVAL, "getdents: a buffer too small");
    CHECK(syscall(SYS_getdents64, fd, BAD_ADDR, sizeof buf) == -1 && errno == EFAULT, "getdents into a bad buffer");
    close(fd);
    CHECK(open("/proc/self/status/x", O_RDONLY) == -1 && errno == ENOTDIR, "a file is not a directory");
    CHECK(open("/proc/4294967296/status", O_RDONLY) == -1 && errno == ENOENT, "a pid past an int");
    CHECK(open("/proc/self/fd/99", O_RDONLY) == -1 && errno == ENOENT, "a descriptor past the table");
    CHECK(chdir("/proc/self/task") == 0 && getcwd(buf, sizeof buf) && chdir("/") == 0, "cwd in /proc: %s", buf);
    CHECK(chmod("/proc/self/status", 0666) == -1 && errno == EROFS, "chmod in /proc: %s", strerror(errno));
    CHECK(mkdir("/tmp/pc_empty", 0700) == 0, "an empty directory");
    CHECK(rename("/tmp/pc_empty", "/proc") == -1 && errno == EACCES, "an empty directory over /proc (its "
          "entries are made, not listed): %s", strerror(errno));        /* the 2-CPU fuzzer's find */
    CHECK(rmdir("/proc") == -1 && rmdir("/tmp/pc_empty") == 0, "/proc stays");
    fd = open("/proc/self/status", O_RDONLY);
    CHECK(fd >= 0 && mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED && errno == ENODEV,
          "mmap of a /proc file: ENODEV");
    close(fd);
}

/* A process of many areas: its maps grows past the first buffer and lists each. */
static void big_maps(void)
{
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, (size_t)(2 * MANY_AREAS * page), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED, "mmap");
    for (int i = 0; i < MANY_AREAS; i++)        /* every other page writable: one area per page */
        CHECK(mprotect(m + 2 * i * page, (size_t)page, PROT_READ | PROT_WRITE) == 0, "mprotect %d", i);
    int fd = open("/proc/self/maps", O_RDONLY);
    CHECK(fd >= 0, "open maps");
    long lines = 0, bytes = 0;
    ssize_t n;
    while ((n = read(fd, pc_text, sizeof pc_text)) > 0) {
        bytes += n;
        for (ssize_t i = 0; i < n; i++)
            lines += pc_text[i] == '\n';
    }
    close(fd);
    CHECK(n == 0 && lines > 2 * MANY_AREAS && bytes > 64 * 1024, "maps: %ld lines, %ld bytes", lines, bytes);
    int fds[MANY_OPENS], opened = 0, refused = 0;
    for (int i = 0; i < MANY_OPENS; i++) {     /* each open holds its text: the kernel caps them all */
        fds[opened] = open("/proc/self/maps", O_RDONLY);
        if (fds[opened] >= 0)
            opened++;
        else
            refused += errno == ENOMEM;
    }
    for (int i = 0; i < opened; i++)
        close(fds[i]);
    CHECK(refused > 0 && opened > 0, "%d opens held, %d refused with ENOMEM", opened, refused);
    fd = open("/proc/self/maps", O_RDONLY);
    CHECK(fd >= 0, "closed, /proc gives text again");
    close(fd);
    munmap(m, (size_t)(2 * MANY_AREAS * page));
}

/* Readers of /proc while threads and children are made and end, on several CPUs. */
static volatile int churn_done;

/* Read all of path, if it is there: what it says does not matter, that the kernel survives does. */
static void drain(const char *path)
{
    char buf[512];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return;
    while (read(fd, buf, sizeof buf) > 0)
        ;
    close(fd);
}

static void *churn_reader(void *arg)
{
    (void)arg;
    char path[300], buf[512];
    while (!churn_done) {
        DIR *d = opendir("/proc/self/task");
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            snprintf(path, sizeof path, "/proc/self/task/%s/stat", e->d_name);
            drain(path);
        }
        if (d)
            closedir(d);
        d = opendir("/proc");
        while (d && (e = readdir(d)) != NULL) {
            snprintf(path, sizeof path, "/proc/%s/maps", e->d_name);
            drain(path);
            snprintf(path, sizeof path, "/proc/%s/fd/0", e->d_name);
            readlink(path, buf, sizeof buf);
        }
        if (d)
            closedir(d);
    }
    return NULL;
}

static void *short_thread(void *arg)
{
    return arg;
}

static void churn(void)
{
    pthread_t readers[2];
    churn_done = 0;
    for (int i = 0; i < 2; i++)
        CHECK(pthread_create(&readers[i], NULL, churn_reader, NULL) == 0, "a reader");
    for (int i = 0; i < CHURN_ROUNDS; i++) {
        pthread_t t;
        CHECK(pthread_create(&t, NULL, short_thread, NULL) == 0 && pthread_join(t, NULL) == 0, "a thread");
        pid_t child = fork();
        if (child == 0)
            _exit(0);
        CHECK(child > 0 && waitpid(child, NULL, 0) == child, "a child");
    }
    churn_done = 1;
    for (int i = 0; i < 2; i++)
        pthread_join(readers[i], NULL);
}

int main(int argc, char **argv)
{
    (void)argc;
    pc_argv0 = argv[0];
    printf("test_procfs: /proc's processes, threads and system files\n");
    RUN_SHARED(pc_self_status);     /* the harness's first pages, before the leak check counts */
    struct os_stats start = utest_settled();
    RUN_SHARED(pc_self_status);
    RUN_SHARED(pc_self_stat);
    RUN_SHARED(pc_threads);
    RUN_SHARED(pc_self_links);
    RUN_SHARED(pc_fds);
    RUN_SHARED(pc_cwd_exe);
    RUN_SHARED(pc_cmdline);
    RUN_SHARED(pc_maps);
    RUN_SHARED(pc_zombie);
    RUN_SHARED(pc_list);
    RUN_SHARED(pc_system);
    RUN_SHARED(pc_read_only);
    RUN(hostile);
    RUN(big_maps);
    RUN(churn);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
