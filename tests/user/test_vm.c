/*
 * Address spaces under attack (issue 10): tens of thousands of areas stay
 * fast (also while other threads change them) and are capped at Linux's
 * vm.max_map_count; a terminal write stops for a signal; PROT_NONE hides
 * pages already touched and gives them back intact; the last user page
 * cannot be mapped, and a signal handler outside user space kills its
 * process instead of the kernel.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include "utest.h"

#define PAGE            4096ul
#define MANY_AREAS      60000                   /* as many as the review used */
#define TOUCH_EVERY     16                      /* pages; every one touched would need 234 MiB */
#define HOLE_EVERY      1000                    /* areas */
#define AREA_REGION     0x300000000000ul        /* far from where mmap(NULL) puts things */
#define MAX_MAP_COUNT   65530                   /* Linux's vm.max_map_count default */
#define OWN_AREAS_MAX   32                      /* the test's own: text, data, heap, stack, ... */
#define TASK_SIZE       0x7ffffffff000ul        /* Linux's TASK_SIZE_MAX: user space ends here */
#define LAST_PAGE       TASK_SIZE               /* [TASK_SIZE, 1 << 47): never mappable */
#define TOP_PAGE        (TASK_SIZE - PAGE)      /* the highest mappable page (the stack's top) */
#define NONCANONICAL    0x800000000000ul
#define KERNEL_HALF     0xffff800000000000ul
#define TTY_WRITE_BYTES (256 * 1024)            /* seconds of serial output under TCG */
#define ALARM_USEC      100000                  /* past the first time slices of the write */
#define TICKER_NS       1000000                 /* wakes at every timer tick */
#define SYSCALL_INSN    "\x0f\x05"
#define MARK            0x5a
#define ANON            (MAP_PRIVATE | MAP_ANONYMOUS)
#define FIXED           (ANON | MAP_FIXED)

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

/* Run fn in a child; return its wait status. */
static int status_of_child(void (*fn)(void))
{
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        fn();
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    return status;
}

static void nothing(void)
{
}

static int killed_by_segv(int status)
{
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

/* ---- many areas: each operation must be O(log n) per area, not O(n) ---- */

static unsigned char *area_page(unsigned i)
{
    return (unsigned char *)(AREA_REGION + i * PAGE);
}

/* MAP_FIXED one page at a time, protections alternating so no kernel could merge them. */
static void map_single_pages(unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        int prot = PROT_READ | PROT_WRITE | (i % 2 ? PROT_EXEC : 0);
        void *p = mmap(area_page(i), PAGE, prot, FIXED, -1, 0);
        CHECK(p == area_page(i), "mmap of area %u: %s", i, strerror(errno));
    }
}

static void check_marks(void)
{
    for (unsigned i = 0; i < MANY_AREAS; i += TOUCH_EVERY)
        CHECK(*area_page(i) == (unsigned char)(MARK + i), "area %u lost its contents", i);
}

static void write_into_read_only_area(void)
{
    *area_page(MANY_AREAS / 2 + 1) = 1;
}

static void sixty_thousand_areas(void)
{
    struct os_stats before = utest_settled();
    map_single_pages(MANY_AREAS);
    for (unsigned i = 0; i < MANY_AREAS; i += TOUCH_EVERY)
        *area_page(i) = (unsigned char)(MARK + i);
    CHECK(status_of_child(check_marks) == 0, "a forked child does not see the contents");
    CHECK(mprotect(area_page(0), MANY_AREAS * PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
    check_marks();
    CHECK(killed_by_segv(status_of_child(write_into_read_only_area)), "a read-only area took a write");
    CHECK(munmap(area_page(0), MANY_AREAS * PAGE) == 0, "munmap: %s", strerror(errno));
    utest_expect_back(before);
}

/* mmap(NULL) takes the lowest gap that fits (first fit), found in O(log n) among 60,000 areas. */
static void lowest_gap_found_fast(void)
{
    static unsigned char *pages[MANY_AREAS];
    for (unsigned i = 0; i < MANY_AREAS; i++) {
        int prot = PROT_READ | (i % 2 ? PROT_WRITE : 0);
        pages[i] = mmap(NULL, PAGE, prot, ANON, -1, 0);
        CHECK(pages[i] != MAP_FAILED, "mmap %u: %s", i, strerror(errno));
        CHECK(i == 0 || pages[i] > pages[i - 1], "mmap %u went below the one before", i);
    }
    for (unsigned i = HOLE_EVERY / 2; i < MANY_AREAS; i += HOLE_EVERY)
        CHECK(munmap(pages[i], PAGE) == 0, "munmap %u", i);
    unsigned char *two = mmap(NULL, 2 * PAGE, PROT_READ, ANON, -1, 0);
    CHECK(two > pages[MANY_AREAS - 1], "two pages put at %p, in a one-page hole", (void *)two);
    for (unsigned i = HOLE_EVERY / 2; i < MANY_AREAS; i += HOLE_EVERY) {
        unsigned char *p = mmap(NULL, PAGE, PROT_READ, ANON, -1, 0);
        CHECK(p == pages[i], "a page went to %p, the lowest hole is %p", (void *)p, (void *)pages[i]);
    }
}

/* Another thread changing the areas, and another process wanting the CPU, while long calls run. */
static volatile int churn_stop;

static void *churn(void *arg)
{
    (void)arg;
    while (!churn_stop) {
        char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, ANON, -1, 0);
        if (p == MAP_FAILED)
            return (void *)1;
        p[0] = 1;
        p[PAGE] = 2;
        if (mprotect(p, PAGE, PROT_READ) != 0 || p[0] != 1 || munmap(p, 2 * PAGE) != 0)
            return (void *)2;
    }
    return NULL;
}

static void long_calls_with_company(void)
{
    pid_t parent = getpid(), spinner = fork();
    CHECK(spinner >= 0, "fork");
    if (spinner == 0) {
        while (getppid() == parent)
            ;                   /* busy until killed, or orphaned by a failed test */
        _exit(0);
    }
    pthread_t thread;
    void *result;
    CHECK(pthread_create(&thread, NULL, churn, NULL) == 0, "pthread_create");
    map_single_pages(MANY_AREAS);
    for (unsigned i = 0; i < MANY_AREAS; i += TOUCH_EVERY)
        *area_page(i) = (unsigned char)(MARK + i);
    CHECK(status_of_child(check_marks) == 0, "a forked child does not see the contents");
    CHECK(mprotect(area_page(0), MANY_AREAS * PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
    check_marks();
    CHECK(munmap(area_page(0), MANY_AREAS * PAGE) == 0, "munmap: %s", strerror(errno));
    churn_stop = 1;
    CHECK(pthread_join(thread, &result) == 0 && result == NULL, "the other thread failed: %p", result);
    kill(spinner, SIGKILL);
    CHECK(waitpid(spinner, NULL, 0) == spinner, "waitpid");
}

/* Map single pages until the kernel refuses; the number of areas it then holds. */
static unsigned fill_to_limit(void)
{
    unsigned mapped = 0;
    for (; mapped < MAX_MAP_COUNT + 1; mapped++) {
        void *p = mmap(area_page(2 * mapped), PAGE, PROT_READ, FIXED, -1, 0);
        if (p == MAP_FAILED)
            break;
    }
    CHECK(errno == ENOMEM, "mmap failed with errno %d", errno);
    return mapped;
}

static void area_limit(void)
{
    struct os_stats before = utest_settled();
    unsigned char *three = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, ANON, -1, 0);
    CHECK(three != MAP_FAILED, "mmap of three pages");
    three[PAGE] = MARK;
    unsigned mapped = fill_to_limit();
    CHECK(mapped + OWN_AREAS_MAX > MAX_MAP_COUNT && mapped < MAX_MAP_COUNT,
          "%u single-page areas mapped before ENOMEM", mapped);
    CHECK(munmap(three + PAGE, PAGE) == -1 && errno == ENOMEM, "a hole past the limit: errno %d", errno);
    CHECK(mprotect(three + PAGE, PAGE, PROT_READ) == -1 && errno == ENOMEM, "a split past the limit");
    CHECK(three[PAGE] == MARK, "the refused calls changed the page");
    three[PAGE] = 0;            /* still writable: the refused mprotect changed nothing */
    CHECK(munmap(area_page(0), PAGE) == 0, "munmap of a whole area: %s", strerror(errno));
    CHECK(mmap(area_page(1), PAGE, PROT_READ, FIXED, -1, 0) == area_page(1),
          "the room of the area freed is not available again");
    CHECK(mmap(NULL, PAGE, PROT_READ, ANON, -1, 0) == MAP_FAILED && errno == ENOMEM,
          "one area too many");
    CHECK(munmap(area_page(0), 2 * (MAX_MAP_COUNT + 1) * PAGE) == 0, "munmap of the areas");
    CHECK(munmap(three, 3 * PAGE) == 0, "munmap of the three pages");
    utest_expect_back(before);
}

/* ---- the terminal ---- */

/* A process that sleeps a tick at a time until its parent is gone: a thread that wakes often. */
static pid_t start_ticker(void)
{
    pid_t parent = getpid(), pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        struct timespec tick = { 0, TICKER_NS };
        while (getppid() == parent)
            nanosleep(&tick, NULL);
        _exit(0);
    }
    return pid;
}

/*
 * A long terminal write stops for a signal: a short count (or EINTR), as
 * Linux's.  The write gives up the CPU at the end of each time slice, and
 * the ticker runs and goes back to sleep: the writer must still get the
 * timer interrupts (the alarm) after it is switched back to.
 */
static void tty_write_stops_for_signal(void)
{
    static char spaces[TTY_WRITE_BYTES];
    memset(spaces, ' ', sizeof spaces);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;           /* no SA_RESTART */
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0, "sigaction");
    pid_t ticker = start_ticker();
    struct itimerval once = { { 0, 0 }, { 0, ALARM_USEC } };
    fflush(stdout);
    alarms = 0;
    CHECK(setitimer(ITIMER_REAL, &once, NULL) == 0, "setitimer: %s", strerror(errno));
    long n = write(STDOUT_FILENO, spaces, sizeof spaces);
    int saved = errno;
    write(STDOUT_FILENO, "\n", 1);
    kill(ticker, SIGKILL);
    CHECK(waitpid(ticker, NULL, 0) == ticker, "waitpid");
    CHECK(alarms == 1, "the alarm was not delivered (%d)", (int)alarms);
    CHECK((n > 0 && n < TTY_WRITE_BYTES) || (n == -1 && saved == EINTR),
          "write returned %ld (errno %d) of %d bytes", n, saved, TTY_WRITE_BYTES);
}

/* ---- PROT_NONE ---- */

static unsigned char *prot_none_page;

static void read_prot_none(void)
{
    (void)*(volatile unsigned char *)prot_none_page;
}

static void write_prot_none(void)
{
    *(volatile unsigned char *)prot_none_page = 1;
}

static void restore_and_check(void)
{
    CHECK(mprotect(prot_none_page, PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect in the child");
    CHECK(prot_none_page[0] == 42, "the child's copy holds %d", prot_none_page[0]);
}

static void prot_none_hides_touched_page(void)
{
    struct os_stats before = utest_settled();
    prot_none_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, ANON, -1, 0);
    CHECK(prot_none_page != MAP_FAILED, "mmap");
    prot_none_page[0] = 42;
    CHECK(mprotect(prot_none_page, PAGE, PROT_NONE) == 0, "mprotect PROT_NONE: %s", strerror(errno));
    CHECK(killed_by_segv(status_of_child(read_prot_none)), "a read of a PROT_NONE page passed");
    CHECK(killed_by_segv(status_of_child(write_prot_none)), "a write to a PROT_NONE page passed");
    CHECK(status_of_child(restore_and_check) == 0, "fork lost the hidden page");
    int fds[2];
    CHECK(pipe(fds) == 0 && write(fds[1], "xy", 2) == 2, "pipe");
    CHECK(read(fds[0], prot_none_page, 1) == -1 && errno == EFAULT, "read into PROT_NONE: errno %d", errno);
    CHECK(write(fds[1], prot_none_page, 1) == -1 && errno == EFAULT, "write from PROT_NONE: errno %d", errno);
    close(fds[0]);
    close(fds[1]);
    CHECK(mprotect(prot_none_page, PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect back");
    CHECK(prot_none_page[0] == 42, "the contents came back as %d", prot_none_page[0]);
    CHECK(mprotect(prot_none_page, PAGE, PROT_NONE) == 0, "mprotect PROT_NONE again");
    CHECK(munmap(prot_none_page, PAGE) == 0, "munmap");
    utest_expect_back(before);
}

/* A process that exits with PROT_NONE pages gives them back. */
static void hide_pages_and_exit(void)
{
    unsigned char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, ANON, -1, 0);
    CHECK(p != MAP_FAILED, "mmap");
    memset(p, 1, 8 * PAGE);
    CHECK(mprotect(p, 8 * PAGE, PROT_NONE) == 0, "mprotect");
}

static void prot_none_pages_freed_at_exit(void)
{
    struct os_stats before = utest_settled();
    CHECK(status_of_child(hide_pages_and_exit) == 0, "the child failed");
    utest_expect_back(before);
}

/* ---- the top of user space ---- */

static void last_page_unmappable(void)
{
    CHECK(mmap((void *)LAST_PAGE, PAGE, PROT_READ, FIXED, -1, 0) == MAP_FAILED && errno == ENOMEM,
          "MAP_FIXED at the last page: errno %d", errno);
    CHECK(mmap((void *)TOP_PAGE, 2 * PAGE, PROT_READ, FIXED, -1, 0) == MAP_FAILED && errno == ENOMEM,
          "MAP_FIXED reaching into the last page: errno %d", errno);
    char *p = mmap((void *)LAST_PAGE, PAGE, PROT_READ, ANON, -1, 0);
    CHECK(p != MAP_FAILED && (uintptr_t)p + PAGE <= TASK_SIZE, "a hint at the last page gave %p", (void *)p);
    CHECK(munmap(p, PAGE) == 0, "munmap");
}

static uintptr_t bad_handler;

static void on_user_fault(int sig)
{
    (void)sig;
    _exit(7);
}

/*
 * The kill must come at delivery, before any return to such an address:
 * on Intel CPUs IRETQ to a non-canonical RIP faults in kernel mode.  (QEMU's
 * TCG faults in user mode instead: the SIGSEGV handler would see that.)
 */
static void raise_with_bad_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_user_fault;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0, "sigaction(SIGSEGV)");
    sa.sa_handler = (void (*)(int))bad_handler;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction(SIGUSR1)");
    raise(SIGUSR1);
    _exit(3);                   /* the handler "returned" */
}

static void bad_handlers_kill(void)
{
    static const uintptr_t handlers[] = { NONCANONICAL, KERNEL_HALF, LAST_PAGE };
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++) {
        bad_handler = handlers[i];
        int status = status_of_child(raise_with_bad_handler);
        CHECK(killed_by_segv(status), "handler at %#lx: status %#x", (unsigned long)bad_handler, status);
    }
    CHECK(status_of_child(nothing) == 0, "the system does not go on");
}

static int top_pipe[2];

/* The return lands at TASK_SIZE, a user address: a page fault there, in user mode. */
static void on_fault_at_top(int sig, siginfo_t *info, void *context)
{
    (void)sig, (void)context;
    char c = 0;
    _exit((uintptr_t)info->si_addr == TASK_SIZE && read(top_pipe[0], &c, 1) == 1 && c == 'k' ? 0 : 1);
}

static void syscall_in_top_page(void)
{
    unsigned char *insn = (unsigned char *)TASK_SIZE - 2;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault_at_top;
    sa.sa_flags = SA_SIGINFO;
    CHECK(pipe(top_pipe) == 0 && sigaction(SIGSEGV, &sa, NULL) == 0, "setup");
    CHECK(mprotect((void *)TOP_PAGE, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC) == 0, "mprotect: %s",
          strerror(errno));
    memcpy(insn, SYSCALL_INSN, 2);      /* over the end of the environment strings: we use them no more */
    static const char k = 'k';
    __asm__ volatile("jmp *%4" :: "a"((long)SYS_write), "D"((long)top_pipe[1]), "S"(&k), "d"(1L), "r"(insn)
                     : "rcx", "r11", "memory");
}

static void syscall_at_the_top_returns(void)
{
    int status = status_of_child(syscall_in_top_page);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x", status);
}

/* Process 1's first fork, pipe and printf: their allocations happen before the count starts. */
static void warm_up(void)
{
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    close(fds[0]);
    close(fds[1]);
    CHECK(status_of_child(nothing) == 0, "fork");
}

int main(void)
{
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN(prot_none_hides_touched_page);
    RUN(prot_none_pages_freed_at_exit);
    RUN(last_page_unmappable);
    RUN(bad_handlers_kill);
    RUN(syscall_at_the_top_returns);
    RUN(tty_write_stops_for_signal);
    RUN(sixty_thousand_areas);
    RUN(lowest_gap_found_fast);
    RUN(long_calls_with_company);
    RUN(area_limit);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
