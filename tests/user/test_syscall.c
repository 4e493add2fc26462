/*
 * System-call argument checking: every kind of bad pointer gives EFAULT
 * and loses nothing; bad executables give ENOEXEC; memory calls reject bad
 * requests and do what they say for good ones; unknown calls give ENOSYS.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>
#include "utest.h"

#define PAGE            4096
#define KERNEL_ADDRESS  0xffffffff80100000ul
#define NONCANONICAL    0x0000900000000000ul
#define UNMAPPED_HOLE   0x20000000ul            /* between the heap and the mmap area */
#define ARCH_GET_FS     0x1003
#define UNKNOWN_SYSCALL 999
#define MISSING_LINUX_CALL 167      /* swapon: no swap here, ever */
#define MISSING_CALL_ARG "--swapon" /* argv[1] of the runs of this program that call it */
#define MISSING_CALL_COPY "/tmp/test_syscall_copy"

/* Copy src to dst, executable: 1, or 0. */
static int copy_file(const char *src, const char *dst)
{
    char buf[4096];
    int in = open(src, O_RDONLY), out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755), ok = in >= 0 && out >= 0;
    ssize_t n;
    while (ok && (n = read(in, buf, sizeof buf)) > 0)
        ok = write(out, buf, (size_t)n) == n;
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    return ok;
}

/* A page with nothing mapped after it: a buffer at its end runs off the mapping. */
static char *page_before_hole(void)
{
    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "mmap");
    CHECK(munmap(p + PAGE, PAGE) == 0, "munmap");
    return p;
}

static const uintptr_t bad_pointers[] = { 0, KERNEL_ADDRESS, NONCANONICAL, UNMAPPED_HOLE };

static void efault_everywhere(void)
{
    char *edge = page_before_hole() + PAGE - 4;     /* 4 good bytes, then the hole */
    int fd = open("/bin/helper_args", O_RDONLY);
    CHECK(fd >= 0, "open: %s", strerror(errno));
    for (size_t i = 0; i <= sizeof bad_pointers / sizeof bad_pointers[0]; i++) {
        uintptr_t bad = i < sizeof bad_pointers / sizeof bad_pointers[0] ? bad_pointers[i] : (uintptr_t)edge;
        long r;
        memset(edge, 'x', 4);   /* a string there runs off the mapping (calls below may write here) */
#define EXPECT_EFAULT(call) \
        CHECK((r = (call)) == -1 && errno == EFAULT, "%s with %#lx: %ld, errno %d", #call, (unsigned long)bad, r, errno)
        EXPECT_EFAULT(syscall(SYS_open, bad, O_RDONLY));
        EXPECT_EFAULT(syscall(SYS_execve, bad, 0, 0));
        EXPECT_EFAULT(syscall(SYS_write, 1, bad, 16));
        if (bad == (uintptr_t)edge)     /* a file's read stops at the bad page, as Linux's */
            CHECK((r = syscall(SYS_read, fd, bad, 16)) == 4, "read into 4 good bytes: %ld, errno %d", r, errno);
        else
            EXPECT_EFAULT(syscall(SYS_read, fd, bad, 16));
        EXPECT_EFAULT(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, bad));
        EXPECT_EFAULT(syscall(SYS_nanosleep, bad, 0));
        EXPECT_EFAULT(syscall(SYS_uname, bad));
        EXPECT_EFAULT(syscall(SYS_arch_prctl, ARCH_GET_FS, bad));
        EXPECT_EFAULT(syscall(SYS_os_stats, bad));
    }
    char *argv_bad[] = { "x", (char *)KERNEL_ADDRESS, NULL };
    CHECK(execv("/bin/helper_args", argv_bad) == -1 && errno == EFAULT, "execve with a bad argv string");
    close(fd);
}

/* A pipe holding n bytes of c: its read end (the write end is closed). */
static int pipe_of(char c, size_t n)
{
    int fds[2];
    char buf[PAGE];
    CHECK(n <= sizeof buf && pipe(fds) == 0, "pipe: %s", strerror(errno));
    memset(buf, c, n);
    CHECK(write(fds[1], buf, n) == (ssize_t)n, "write: %s", strerror(errno));
    close(fds[1]);
    return fds[0];
}

/*
 * The kernel writes user memory as the user could (its copies go through
 * the user's own addresses, faults served like the user's): a read-only
 * page and a PROT_NONE page refuse (EFAULT, nothing written); a page not
 * touched yet is made; a copy-on-write page shared with the parent is
 * copied, the parent's left alone; a buffer that spans a page boundary in
 * an unaligned place arrives whole.
 */
static void kernel_writes_like_the_user(void)
{
    char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "mmap");
    memset(p, 'p', PAGE);
    CHECK(mprotect(p, PAGE, PROT_READ) == 0 && mprotect(p + PAGE, PAGE, PROT_NONE) == 0, "mprotect");
    int fd = pipe_of('k', 64);
    CHECK(read(fd, p, 64) == -1 && errno == EFAULT, "read into a read-only page: errno %d", errno);
    CHECK(p[0] == 'p' && p[63] == 'p', "a read-only page was written");
    CHECK(read(fd, p + PAGE, 64) == -1 && errno == EFAULT, "read into a PROT_NONE page: errno %d", errno);
    char *fresh = p + 2 * PAGE + 100;
    CHECK(read(fd, fresh, 64) == 64, "read into a page not touched yet: %s", strerror(errno));
    CHECK(fresh[0] == 'k' && fresh[63] == 'k' && fresh[64] == 0, "the untouched page did not get the bytes");
    close(fd);
    char *shared = p + 3 * PAGE;
    memset(shared, 's', PAGE);
    pid_t pid = fork();
    if (pid == 0) {
        int in = pipe_of('c', 100);
        _exit(read(in, shared + PAGE - 50, 50) == 50 && shared[PAGE - 1] == 'c' && shared[0] == 's' ? 0 : 1);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the child's read into its copy-on-write page failed");
    CHECK(shared[PAGE - 1] == 's', "the child's read wrote the parent's page");
    struct timespec at_edge;
    char *edge = shared + PAGE - 3 * sizeof(long) - 5;      /* unaligned, inside the page */
    CHECK(clock_gettime(CLOCK_MONOTONIC, &at_edge) == 0, "clock_gettime");
    CHECK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, edge) == 0, "clock_gettime to an unaligned buffer");
    munmap(p, 4 * PAGE);
}

/* wait4 with a bad status pointer fails, and the child can still be collected. */
static void wait_loses_nothing(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(42);
    long r = syscall(SYS_wait4, pid, KERNEL_ADDRESS, 0, 0);
    CHECK(r == -1 && errno == EFAULT, "wait4 with a bad pointer: %ld errno %d", r, errno);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 42, "the child was lost");
}

static void bad_executables(void)
{
    CHECK(execv("/bin/not_elf", (char *[]){ "not_elf", NULL }) == -1 && errno == ENOEXEC,
          "a text file: errno %d", errno);
    CHECK(execv("/bin/truncated_elf", (char *[]){ "t", NULL }) == -1 && errno == ENOEXEC,
          "a truncated ELF: errno %d", errno);
    CHECK(execv("/bin", (char *[]){ "bin", NULL }) == -1 && errno == EACCES, "a directory: errno %d", errno);
    CHECK(execv("/nonexistent/x", (char *[]){ "x", NULL }) == -1 && errno == ENOENT, "missing: errno %d", errno);
}

static void mmap_rejects_bad_requests(void)
{
    CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL, "length 0");
    CHECK(mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL,
          "neither shared nor private");
    CHECK(mmap(NULL, PAGE, 0x100, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL, "bad prot");
    CHECK(mmap((void *)0x12345, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED &&
          errno == EINVAL, "unaligned fixed");
    CHECK(mmap(NULL, (size_t)1 << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
          errno == ENOMEM, "too big");
    CHECK(munmap((void *)0x1001, PAGE) == -1 && errno == EINVAL, "unaligned munmap");
    CHECK(mprotect((void *)UNMAPPED_HOLE, PAGE, PROT_READ) == -1 && errno == ENOMEM, "mprotect of a hole");
}

static void mmap_munmap_mprotect_work(void)
{
    size_t len = 64 * PAGE;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "mmap");
    for (size_t i = 0; i < len; i += PAGE)
        CHECK(p[i] == 0, "fresh memory not zero");
    memset(p, 0xab, len);
    CHECK(mprotect(p, PAGE, PROT_READ) == 0, "mprotect");
    CHECK(p[0] == 0xab, "contents kept by mprotect");
    pid_t pid = fork();
    if (pid == 0) {
        p[0] = 1;               /* read-only now */
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "write to a read-only page: %#x", status);
    CHECK(munmap(p + PAGE, PAGE) == 0, "munmap in the middle");
    pid = fork();
    if (pid == 0) {
        (void)*(volatile unsigned char *)(p + PAGE);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "read of an unmapped page: %#x", status);
    CHECK(p[2 * PAGE] == 0xab, "the pages after the hole kept their contents");
    CHECK(munmap(p, len) == 0, "munmap of the rest");
}

static void brk_grows_and_shrinks(void)
{
    char *start = sbrk(0);      /* start at a page boundary, that page already touched */
    sbrk(PAGE - (uintptr_t)start % PAGE);
    memset(start, 0, (size_t)((char *)sbrk(0) - start));
    struct os_stats before = utest_settled();
    char *old = sbrk(0);
    CHECK(sbrk(16 * PAGE) == old, "sbrk returns the old break");
    memset(old, 1, 16 * PAGE);
    CHECK(sbrk(0) == old + 16 * PAGE, "the break moved");
    CHECK(sbrk(-16 * PAGE) == old + 16 * PAGE && sbrk(0) == old, "shrinking");
    utest_expect_back(before);
}

/* sysconf(_SC_OPEN_MAX) is the number of descriptors the kernel really gives out. */
static void open_max_is_true(void)
{
    long max = sysconf(_SC_OPEN_MAX);
    int opened = 0;
    for (int fd = 0; fd < 4096; fd++)
        opened += fcntl(fd, F_GETFD) != -1;
    while (dup(0) >= 0)
        opened++;
    CHECK(errno == EMFILE, "dup stopped with errno %d", errno);
    CHECK(opened == max, "sysconf says %ld descriptors, the kernel gave %d", max, opened);
}

static void unknown_call(void)
{
    CHECK(syscall(UNKNOWN_SYSCALL) == -1 && errno == ENOSYS, "errno %d", errno);
    /*
     * A Linux call we lack, twice here, twice in this program run again, and
     * twice in a copy of it (another file): the debug kernel logs it once
     * per program file (tests/run.sh counts two lines).
     */
    CHECK(syscall(MISSING_LINUX_CALL) == -1 && errno == ENOSYS, "swapon: errno %d", errno);
    CHECK(syscall(MISSING_LINUX_CALL) == -1 && errno == ENOSYS, "swapon again: errno %d", errno);
    CHECK(copy_file("/bin/test_syscall", MISSING_CALL_COPY), "a copy of the program");
    const char *const programs[] = { "/bin/test_syscall", MISSING_CALL_COPY };
    for (int i = 0; i < 2; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            execl(programs[i], "test_syscall", MISSING_CALL_ARG, (char *)NULL);
            _exit(127);
        }
        int status;
        CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "%s's swapon", programs[i]);
    }
    CHECK(unlink(MISSING_CALL_COPY) == 0, "remove the copy");
    CHECK(syscall(SYS_clone, 0x12345ul, 0, 0, 0, 0) == -1 && errno == EINVAL, "unsupported clone flags");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], MISSING_CALL_ARG) == 0)
        return syscall(MISSING_LINUX_CALL) == -1 && syscall(MISSING_LINUX_CALL) == -1 && errno == ENOSYS ? 0 : 1;
    RUN(efault_everywhere);
    RUN(wait_loses_nothing);
    RUN(kernel_writes_like_the_user);
    RUN(bad_executables);
    RUN(mmap_rejects_bad_requests);
    RUN(mmap_munmap_mprotect_work);
    RUN(brk_grows_and_shrinks);
    RUN(open_max_is_true);
    RUN(unknown_call);
    return utest_finish();
}
