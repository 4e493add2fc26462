/*
 * The device nodes of /dev (issue 13): the cases of dev_cases.h, which
 * pass on the Linux host too, and what is our kernel's own: /dev/tty and
 * /dev/console are the terminal, /dev keeps its names, hostile buffers
 * and lengths, and every page and heap byte back.
 */
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include "utest.h"
#include "dev_cases.h"

#define BAD_ADDR 0xffff800000000000UL   /* a kernel address: EFAULT */
#define PAGE     4096L

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(dev_null)
SHARED(dev_zero_and_full)
SHARED(dev_random)
SHARED(dev_numbers)

/* /dev/tty and /dev/console open the terminal: a write shows on it, isatty says so, lseek cannot. */
static void terminal_nodes(void)
{
    static const char *const names[] = { "/dev/tty", "/dev/console" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct stat st;
        int fd = open(names[i], O_RDWR);
        CHECK(fd >= 0, "open %s: %s", names[i], strerror(errno));
        CHECK(isatty(fd), "%s is a terminal", names[i]);
        CHECK(lseek(fd, 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek on %s", names[i]);
        CHECK(stat(names[i], &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 5, "stat %s", names[i]);
        CHECK(write(fd, "", 0) == 0, "write");
        close(fd);
    }
}

/* /dev's names stay: no unlink, no new name, no rename of a node away. */
static void nodes_stay(void)
{
    CHECK(unlink("/dev/null") == -1 && errno == EACCES, "unlink /dev/null: %s", strerror(errno));
    CHECK(open("/dev/new", O_RDWR | O_CREAT, 0600) == -1 && errno == EACCES, "a new name: %s", strerror(errno));
    CHECK(link("/dev/null", "/tmp/null_link") == 0, "a link elsewhere: %s", strerror(errno));
    int fd = open("/tmp/null_link", O_RDWR);
    CHECK(fd >= 0 && write(fd, "x", 1) == 1, "the link is the device");
    close(fd);
    CHECK(unlink("/tmp/null_link") == 0, "and goes");
    CHECK(truncate("/dev/zero", 0) == -1 && errno == EINVAL, "truncate of a device: %s", strerror(errno));
}

/* Bad buffers and huge lengths: errors or short counts, never a panic. */
static void hostile_arguments(void)
{
    int zero = open("/dev/zero", O_RDONLY), u = open("/dev/urandom", O_RDONLY);
    CHECK(zero >= 0 && u >= 0, "open");
    CHECK(read(zero, (void *)BAD_ADDR, 100) == -1 && errno == EFAULT, "a bad buffer: %s", strerror(errno));
    CHECK(read(u, (void *)BAD_ADDR, 100) == -1 && errno == EFAULT, "a bad buffer for urandom");
    CHECK(getrandom((void *)BAD_ADDR, 16, 0) == -1 && errno == EFAULT, "getrandom into a bad buffer");
    /* A length past the buffer: what fits in mapped memory is copied, the unmapped page after it stops it. */
    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED && munmap(p + PAGE, PAGE) == 0, "a page with a hole after it");
    CHECK(syscall(SYS_getrandom, p, 1ul << 40, 0) == PAGE, "a huge length: %s", strerror(errno));
    CHECK(read(zero, p, 1ul << 40) == PAGE, "a huge read of /dev/zero: %s", strerror(errno));
    munmap(p, PAGE);
    close(zero);
    close(u);
}

static void warm_up(void)
{
    int fd = open("/dev/urandom", O_RDONLY);
    char b[8];
    CHECK(fd >= 0 && read(fd, b, sizeof b) == sizeof b, "urandom");
    close(fd);
}

int main(void)
{
    printf("test_dev: /dev: null, zero, full, random, urandom, tty, console, getrandom\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN_SHARED(dev_null);
    RUN_SHARED(dev_zero_and_full);
    RUN_SHARED(dev_random);
    RUN_SHARED(dev_numbers);
    RUN(terminal_nodes);
    RUN(nodes_stay);
    RUN(hostile_arguments);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
