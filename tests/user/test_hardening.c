/*
 * Regression tests for what a hostile user program found (issue 10): exec
 * cut short by a signal handler, argc 0, int3, huge timeouts, futex wakes
 * on unmapped words, flags forged through rt_sigreturn, RFLAGS.AC left set
 * across an interrupt, UMIP, and process 1 with a signal pending when its
 * handler went back to the default.  Each test failed (or panicked the
 * kernel) before its fix.
 */
#include <abi/elf.h>
#include <abi/futex.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include "utest.h"

#define MS                  (1000 * 1000L)      /* nanoseconds */
#define STILL_ASLEEP_AFTER  (600 * MS)          /* the broken sleeps ended after ~290 ms */
/* The smallest whole second count whose nanoseconds overflow 64 bits, to about 290 ms. */
#define SECONDS_WRAPPING    18446744074ll
#define INT64_MAX_SECONDS   0x7fffffffffffffffll
#define NSEC_MAX            999999999l

/* ---- exec is not cut short by a signal handler ---- */

#define BIG_ELF_PATH    "/tmp/big_exit42"
#define BIG_ELF_SIZE    (16u << 20)     /* one 16 MiB segment: loading it spans several ticks */
#define BIG_ELF_BASE    0x400000ull
#define BIG_ELF_EXIT    42
#define CHUNK           (64 * 1024)
#define EXEC_FAILED     3               /* the child's status when execve came back */
#define EXEC_ATTEMPTS   3


/* mov $60, %eax (exit); mov $42, %edi; syscall */
static const uint8_t exit42_code[] = { 0xb8, 60, 0, 0, 0, 0xbf, BIG_ELF_EXIT, 0, 0, 0, 0x0f, 0x05 };

/* Write an ELF file with one BIG_ELF_SIZE read+execute segment whose code exits with 42. */
static void write_big_elf(void)
{
    static uint8_t chunk[CHUNK];
    struct elf64_ehdr h = {
        .type = ET_EXEC, .machine = EM_X86_64, .version = EV_CURRENT,
        .phoff = sizeof h, .ehsize = sizeof h, .phentsize = sizeof(struct elf64_phdr), .phnum = 1,
    };
    memcpy(h.ident, ELF_MAGIC, ELF_MAGIC_SIZE);
    h.ident[EI_CLASS] = ELFCLASS64;
    h.ident[EI_DATA] = ELFDATA2LSB;
    h.ident[EI_VERSION] = EV_CURRENT;
    struct elf64_phdr ph = { .type = PT_LOAD, .flags = PF_R | PF_X, .offset = 0, .vaddr = BIG_ELF_BASE,
                             .filesz = BIG_ELF_SIZE, .memsz = BIG_ELF_SIZE, .align = 4096 };
    size_t code_at = sizeof h + sizeof ph;
    h.entry = BIG_ELF_BASE + code_at;
    memset(chunk, 0, sizeof chunk);
    memcpy(chunk, &h, sizeof h);
    memcpy(chunk + sizeof h, &ph, sizeof ph);
    memcpy(chunk + code_at, exit42_code, sizeof exit42_code);
    int fd = open(BIG_ELF_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    CHECK(fd >= 0, "open %s: %s", BIG_ELF_PATH, strerror(errno));
    for (size_t done = 0; done < BIG_ELF_SIZE; done += CHUNK) {
        CHECK(write(fd, chunk, CHUNK) == CHUNK, "write: %s", strerror(errno));
        memset(chunk, 0, 512);
    }
    close(fd);
}

static volatile sig_atomic_t alarms;
static void count_alarm(int sig) { (void)sig; alarms++; }

static int exec_pipe[2];

/* Thread B: blocks SIGALRM and sleeps in read until exec ends it. */
static void *blocked_reader(void *arg)
{
    (void)arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    char c;
    read(exec_pipe[0], &c, 1);
    return NULL;
}

/* Thread A: SIGALRM every tick with a handler that does not restart, then execve. */
static void exec_under_alarms(void)
{
    pthread_t b;
    CHECK(pipe(exec_pipe) == 0 && pthread_create(&b, NULL, blocked_reader, NULL) == 0, "setup");
    struct sigaction sa = { 0 };
    sa.sa_handler = count_alarm;                /* no SA_RESTART */
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval every_ms = { { 0, 1000 }, { 0, 1000 } };
    setitimer(ITIMER_REAL, &every_ms, NULL);
    while (alarms == 0)
        ;                                       /* the timer runs: signals come during exec */
    char *argv[] = { BIG_ELF_PATH, NULL }, *envp[] = { NULL };
    execve(BIG_ELF_PATH, argv, envp);
    _exit(EXEC_FAILED);
}

/*
 * exec waits for its process's other threads to go.  A signal for a handler
 * used to end that wait: execve failed with EINTR, and the other thread,
 * already told to exit, stayed with a mark that made every later sleep of
 * it fail at once.  The wait is killable only now: exec goes through (the
 * new image then meets the pending SIGALRM, whose handler exec reset).
 */
static void exec_not_cut_short_by_a_handler(void)
{
    write_big_elf();
    for (int i = 0; i < EXEC_ATTEMPTS; i++) {
        pid_t pid = fork();
        if (pid == 0)
            exec_under_alarms();
        int status;
        CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
        CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == EXEC_FAILED), "execve came back (EINTR)");
        CHECK((WIFEXITED(status) && WEXITSTATUS(status) == BIG_ELF_EXIT) ||
              (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM),
              "status %#x: neither the new image's exit nor its SIGALRM", status);
    }
    CHECK(unlink(BIG_ELF_PATH) == 0, "unlink");
}

/*
 * Before the leak check starts: the kernel maps its first 16 MiB file
 * contents with page tables it keeps, and process 1 touches what its
 * first tests touch.
 */
static void warm_up(void)
{
    write_big_elf();
    CHECK(unlink(BIG_ELF_PATH) == 0, "unlink");
}

/* ---- argc 0 ---- */

/* execve with no arguments and an environment: argv[0] is NULL, envp and auxv follow (helper_stack checks). */
static void exec_with_argc_zero(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = { NULL }, *envp[] = { "STACK_CHECK=1", NULL };
        execve("/bin/helper_stack", argv, envp);
        _exit(100);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "helper_stack status %#x (exit code n: its check n failed)", status);
}

/* ---- int3 ---- */

static volatile sig_atomic_t traps;
static void count_trap(int sig) { (void)sig; traps++; }

/* int3 is a breakpoint: SIGTRAP (not the SIGSEGV of a privileged INT n), and a handler resumes after it. */
static void int3_gives_sigtrap(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        __asm__ volatile("int3");
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTRAP, "status %#x, want SIGTRAP", status);
    signal(SIGTRAP, count_trap);
    __asm__ volatile("int3");
    __asm__ volatile("int3");
    CHECK(traps == 2, "the handler ran %d times for two int3", (int)traps);
}

/* ---- timeouts that overflow ---- */

enum sleeper { NANOSLEEP, FUTEX_RELATIVE, FUTEX_ABSOLUTE, ITIMER };

/* A child that sleeps for sec seconds and nsec nanoseconds in one way; it exits when that ends. */
static pid_t start_sleeper(enum sleeper how, int64_t sec, long nsec)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    struct timespec ts = { sec, nsec };
    static uint32_t word;
    switch (how) {
    case NANOSLEEP:
        nanosleep(&ts, NULL);
        break;
    case FUTEX_RELATIVE:
        syscall(SYS_futex, &word, FUTEX_WAIT, 0, &ts);
        break;
    case FUTEX_ABSOLUTE:
        syscall(SYS_futex, &word, FUTEX_WAIT_BITSET, 0, &ts, NULL, FUTEX_BITSET_MATCH_ANY);
        break;
    case ITIMER: {
        struct itimerval v = { { 0, 0 }, { sec, nsec / 1000 } };
        setitimer(ITIMER_REAL, &v, NULL);       /* SIGALRM would end us */
        pause();
        break;
    }
    }
    _exit(0);
}

/*
 * Timeouts whose nanoseconds overflow 64 bits used to wrap: a sleep of
 * 18446744074 s ended after 0.29 s, a futex wait with INT64_MAX seconds at
 * once.  Now they saturate: such a sleeper is still asleep much later.
 */
static void huge_timeouts_wait(void)
{
    static const struct { int64_t sec; long nsec; } times[] = {
        { SECONDS_WRAPPING, 0 }, { INT64_MAX_SECONDS, NSEC_MAX },
    };
    enum { HOWS = 4, TIMES = sizeof times / sizeof times[0] };
    pid_t pids[HOWS * TIMES];
    for (int how = 0; how < HOWS; how++)
        for (int i = 0; i < TIMES; i++)
            pids[how * TIMES + i] = start_sleeper((enum sleeper)how, times[i].sec, times[i].nsec);
    struct timespec wait = { 0, STILL_ASLEEP_AFTER };
    nanosleep(&wait, NULL);
    int ended = -1;
    for (int k = 0; k < HOWS * TIMES; k++)
        if (waitpid(pids[k], NULL, WNOHANG) != 0 && ended < 0)
            ended = k;
    for (int k = 0; k < HOWS * TIMES; k++) {
        kill(pids[k], SIGKILL);
        waitpid(pids[k], NULL, 0);
    }
    CHECK(ended < 0, "sleeper %d (way %d, %lld s) ended early", ended, ended / TIMES,
          (long long)times[ended % TIMES].sec);
}

/* ---- futex wake on words that are not there ---- */

static long futex_wake(void *addr)
{
    return syscall(SYS_futex, addr, FUTEX_WAKE, 1);
}

/* FUTEX_WAKE checks its word as FUTEX_WAIT does: EFAULT where nothing is mapped, EINVAL misaligned. */
static void futex_wake_checks_the_word(void)
{
    uint32_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page != MAP_FAILED, "mmap");
    CHECK(futex_wake(page) == 0, "wake on a mapped word: %s", strerror(errno));
    CHECK(futex_wake((char *)page + 1) == -1 && errno == EINVAL, "misaligned: errno %d", errno);
    munmap(page, 4096);
    void *bad[] = { page, (void *)0x1000, (void *)0xffff800000000000ull, (void *)0x0000900000000000ull };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(futex_wake(bad[i]) == -1 && errno == EFAULT, "wake at %p: errno %d, want EFAULT", bad[i], errno);
}

/* ---- flags through rt_sigreturn ---- */

#define UC_MCONTEXT_OFFSET  40      /* Linux's ucontext_t: flags, link, stack_t, then the registers */
#define REG_EFL             17      /* the index of eflags among them */
#define FLAG_NT             (1ull << 14)
#define FLAG_AC             (1ull << 18)

static uint64_t read_flags(void)
{
    uint64_t f;
    __asm__ volatile("pushfq; popq %0" : "=r"(f));
    return f;
}

static void forge_nt(int sig, siginfo_t *info, void *uc)
{
    (void)sig, (void)info;
    uint64_t *regs = (uint64_t *)((char *)uc + UC_MCONTEXT_OFFSET);
    regs[REG_EFL] |= FLAG_NT;
}

/*
 * NT (nested task) set through a signal frame made the kernel's IRETQ
 * fault in ring 0: a panic.  rt_sigreturn keeps Linux's list of the flags
 * user code may change, which does not hold NT.
 */
static void sigreturn_cannot_set_nt(void)
{
    struct sigaction sa = { 0 };
    sa.sa_sigaction = forge_nt;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    CHECK(!(read_flags() & FLAG_NT), "NT is set after rt_sigreturn");
}

/* ---- AC across interrupts and faults ---- */

#define AC_PAGES        16
#define AC_SPIN_NS      (30 * MS)   /* a few ticks: timer interrupts arrive while AC is set */

static void set_ac(void)   { __asm__ volatile("pushfq; orq %0, (%%rsp); popfq" :: "i"(FLAG_AC) : "cc"); }
static void clear_ac(void) { __asm__ volatile("pushfq; andq %0, (%%rsp); popfq" :: "i"(~FLAG_AC) : "cc"); }


/*
 * User code may set RFLAGS.AC; an interrupt or exception used to run the
 * kernel's handlers with it still set, that is with SMAP off (the kernel
 * asserts it is clear in trap_dispatch: this panicked).  The user's AC is
 * back when it returns.
 */
static void interrupts_and_faults_clear_ac(void)
{
    volatile char *pages = mmap(NULL, AC_PAGES * 4096, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(pages != MAP_FAILED, "mmap");
    uint64_t end = utest_now_ns() + AC_SPIN_NS;
    set_ac();
    for (int i = 0; i < AC_PAGES; i++)
        pages[i * 4096] = 1;                    /* page faults with AC set */
    while (utest_now_ns() < end)
        ;                                       /* timer interrupts with AC set (and clock system calls) */
    uint64_t flags = read_flags();
    clear_ac();
    CHECK(flags & FLAG_AC, "the user's AC did not survive the kernel's entries");
}

/* ---- UMIP ---- */

#define CPUID_LEAF_EXTENDED 7
#define CPUID_ECX_UMIP      (1u << 2)

static int cpu_has_umip(void)
{
    uint32_t a = CPUID_LEAF_EXTENDED, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return (c & CPUID_ECX_UMIP) != 0;
}

/* With UMIP, SGDT in user mode faults: the GDT's (kernel) address stays hidden. */
static void sgdt_is_refused(void)
{
    if (!cpu_has_umip())
        SKIP("this CPU has no UMIP");
    pid_t pid = fork();
    if (pid == 0) {
        struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdtr;
        __asm__ volatile("sgdt %0" : "=m"(gdtr));
        printf("sgdt gave %#lx\n", (unsigned long)gdtr.base);
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "status %#x, want SIGSEGV", status);
}

/* ---- process 1 ---- */

static void ignore_usr1(int sig) { (void)sig; }

/*
 * Run by process 1 itself: a signal it handles arrives while blocked, then
 * the handler goes back to SIG_DFL, then the signal is unblocked.  Process
 * 1 ignores what it does not handle; it used to die here at delivery.
 */
static void init_survives_a_pending_signal_reset_to_default(void)
{
    const char *name = "init_survives_a_pending_signal_reset_to_default";
    sigset_t usr1, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    signal(SIGUSR1, ignore_usr1);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    kill(getpid(), SIGUSR1);
    signal(SIGUSR1, SIG_DFL);
    sigprocmask(SIG_SETMASK, &old, NULL);       /* delivered here: ignored, not fatal */
    sigset_t pending;
    sigpending(&pending);
    if (getpid() != 1 || sigismember(&pending, SIGUSR1)) {
        printf("utest %s: FAILED (pid %d, still pending %d)\n", name, getpid(), sigismember(&pending, SIGUSR1));
        utest_failed++;
    } else {
        printf("utest %s: OK\n", name);
        utest_passed++;
    }
}

int main(void)
{
    init_survives_a_pending_signal_reset_to_default();     /* first: what it touches is not a leak */
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN(exec_not_cut_short_by_a_handler);
    RUN(exec_with_argc_zero);
    RUN(int3_gives_sigtrap);
    RUN(huge_timeouts_wait);
    RUN(futex_wake_checks_the_word);
    RUN(sigreturn_cannot_set_nt);
    RUN(interrupts_and_faults_clear_ac);
    RUN(sgdt_is_refused);
    utest_pages_back("pages_back_after_all_tests", start);
    return utest_finish();
}
