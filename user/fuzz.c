/*
 * fuzz: system calls with random and boundary arguments from several
 * processes of several threads at once; the kernel must answer each with
 * a result or an error (or kill the caller for its own doing), never
 * panic, never leave a thread stuck in the kernel, and get back every page,
 * thread, process and open file it had before.
 *
 *   fuzz [-t] [-v] [-w SECONDS] [-x CALL]... SEED N [PROCS THREADS]
 *
 *   -t          trace: every call on the terminal before it is made (slow; for reproducing a panic)
 *   -v          a line for every worker that ends and every thread the keeper finds stuck
 *   -w SECONDS  the watchdog's limit (10): a worker with no call for that long fails the run
 *   -x CALL     leave CALL out (a name of the table below, e.g. -x execve); repeatable
 *
 * Who does what:
 *  - The supervisor (this process; process 1 in the test boot) forks PROCS
 *    workers and replaces each one that ends before its share of the N
 *    calls is made (killed by a signal, replaced by exec, exit_group).  It
 *    reads what they report through one pipe, is the watchdog, and at the
 *    end kills what is left, removes the files, and compares the kernel's
 *    counters (SYS_os_stats) with their values before.
 *  - A worker is one process.  Its main thread, the keeper, starts THREADS
 *    fuzz threads (clone) on a shared pool of descriptors (pipes, files and
 *    FIFOs in /tmp/fz) and mappings (POOL_BASE); it sends SIGALRM to a
 *    thread that sleeps in a call for more than KICK_AFTER_MS, which ends
 *    any wait a user may cause (every handler is installed without
 *    SA_RESTART), and reports a thread that stays in one call anyway.
 *  - A fuzz thread makes its share of the calls, each drawn with its
 *    arguments from the thread's own xorshift stream, and reports every
 *    BATCH results.  Some calls start short-lived extra threads (clone),
 *    forked children (fork, vfork, clone), replace the worker (execve),
 *    end threads (exit) or the worker (exit_group, munmap of a sibling's
 *    stack, kill of itself); all of that is expected and counted.
 *
 * Reproducing: a thread's stream depends only on SEED and its place (worker,
 * worker generation, thread, thread generation), so a thread makes the same
 * calls with the same arguments in every run with the same SEED, N, PROCS,
 * THREADS and -x options; how the threads interleave, and so which
 * descriptor a sibling has just closed, depends on timing.  With -t each
 * call is printed before it is made: after a panic, the last lines name
 * the calls in flight.
 *
 * Fuzz threads make raw system calls (raw(): the result is -errno, nothing
 * touches errno), because a call may have just moved the thread's TLS or
 * unmapped the heap.  They keep three things alive for the keeper: SIGALRM
 * stays handled and unblocked, fault signals stay fatal (a handler would
 * loop on the fault), and the tid word the kernel clears at exit stays
 * theirs; a call that changes one of those is followed by its repair.
 * NEVER run this on Linux (it refuses): it writes where the kernel lets it.
 */
#include <abi/futex.h>
#include <abi/ioctl.h>
#include <abi/os.h>
#include <abi/resource.h>
#include <abi/syscall.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../libc/internal/syscall.h"     /* __syscall6: the raw call, the same inline asm as libc's */

/* ---- sizes, places and times ---- */

#define PAGE                4096
#define MAX_PROCS           8
#define MAX_THREADS         8
#define EXTRA_THREADS       4       /* short-lived threads a worker's clone calls may have at once */
#define SLOTS               (MAX_THREADS + EXTRA_THREADS)
#define BATCH               32      /* results per report: one pipe write per 32 calls */
#define DEFAULT_PROCS       3
#define DEFAULT_THREADS     3
#define DEFAULT_WATCHDOG_S  10
#define ERRNO_SLOTS         256     /* errno values counted apiece; larger ones share the last */
#define SIGSET_BYTES        8       /* the kernel's sigset_t */
#define CHILD_RING          8       /* recent children a worker remembers, for wait4 and kill */
#define CHILD_CALLS         8       /* calls a forked child makes at most before it exits */
#define CHILD_LIFETIME_S    1       /* its alarm: a child blocked in a call dies of SIGALRM then */
#define EXIT_STATUSES       256     /* an exit status is a byte */
#define EXTRA_CALLS         4       /* calls an extra thread makes at most */
#define BARREN_LIMIT        50      /* workers of one place in a row that report nothing: a failure */
#define WORK_DIR            "/tmp/fz"
#define NAME_PREFIX         "fz."   /* the names the fuzzer means to create (others happen: "\177ELF") */

/* A fuzz thread's memory, one mapping: argument structures, path strings, a data buffer, a guard. */
#define STACK_SIZE          (64 * 1024)     /* its frames are small: buffers are not on the stack */
#define ARG_SLOT            512             /* page 0: a structure per argument, ARG_SLOT bytes apart */
#define STRINGS_OFFSET      PAGE            /* pages 1-2: path strings (a too-long path takes both) */
#define STRINGS_SIZE        (2 * PAGE)
#define PATH_SLOT           1024            /* a path argument's place in the strings */
#define DATA_OFFSET         (3 * PAGE)      /* pages 3-10: the data buffer */
#define DATA_SIZE           (8 * PAGE)
#define BUFFER_SIZE         (DATA_OFFSET + DATA_SIZE)   /* then one inaccessible guard page */

/* The mappings the threads of a worker share; fuzz mmap, munmap and mprotect work on them. */
#define POOL_BASE           0x300000000000ull   /* far above where mmap(NULL) starts (16 TiB) */
#define POOL_REGIONS        6
#define POOL_STRIDE         (1ull << 20)        /* a region is at most POOL_MAX_PAGES: never reaches the next */
#define POOL_MAX_PAGES      64
#define EDGE_ADDR           (POOL_BASE - POOL_STRIDE)  /* a readable page, then an inaccessible one */

/* Addresses no user pointer should reach. */
#define KERNEL_TEXT         0xffffffff80100000ull
#define DIRECT_MAP          0xffff800000000000ull
#define NONCANONICAL        0x0000900000000000ull
#define FIRST_NONCANONICAL  0x0000800000000000ull
#define LAST_USER_PAGE      0x00007ffffffff000ull   /* the page below the hole: never mapped */
#define PROGRAM_TEXT        0x400000ull             /* where static programs are linked */
#define BELOW_USER_MIN      0xf000ull               /* under the kernel's 64 KiB floor */
#define UNMAPPED_CODE       0x1234ull               /* a handler address with nothing there */
#define NO_SUCH_PID         99999                   /* far above the pids a run uses */

#define POLL_NS             (10 * 1000 * 1000)  /* supervisor and keeper look around every 10 ms */
#define KICK_AFTER_MS       20      /* a call asleep for this long gets SIGALRM */
#define STUCK_REPORT_MS     1000    /* and is reported (once a second) when it stays */
#define SETTLE_MS           5000    /* after the run: time for the counters to come back */
#define MAX_CPUS_WATCHED    8       /* CPU_MAX: the CPUs whose ticks a stuck report prints */
#define KILL_GRACE_MS       3000    /* time a SIGKILLed worker gets to die */
#define MS_PER_S            1000
#define NS_PER_MS           1000000
#define NS_PER_S            1000000000
#define US_PER_S            1000000
#define TIMER_MAX_US        50000   /* fuzz itimers fire within 50 ms ... */
#define INTERVAL_MIN_US     10000   /* ... and repeat every 10-100 ms (or every tick: 1 us) */
#define INTERVAL_MAX_US     100000

/* Linux's arch_prctl codes (the kernel keeps them in kernel/syscall.c). */
#define ARCH_SET_GS         0x1001
#define ARCH_SET_FS         0x1002
#define ARCH_GET_FS         0x1003
#define ARCH_GET_GS         0x1004

#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | \
                      CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)
#define O_DIRECT_LINUX      040000  /* a pipe2 flag the kernel does not take */
#define SIGNAL_BIT(sig)     (1ull << ((sig) - 1))
#define COUNT(a)            (sizeof (a) / sizeof (a)[0])

/* ---- the run: options, and what workers inherit ---- */

static struct {
    uint64_t seed;
    uint64_t calls;             /* N */
    int procs, threads;
    int watchdog_ms;
    bool trace, verbose;
    pid_t pid, ppid, pgid;      /* the supervisor's: workers never signal these */
    int report_fd;              /* workers write reports here (the highest descriptor) */
    int log_fd;                 /* -t: the terminal, out of the pool's reach */
    int pool_fd_limit;          /* fuzz calls use descriptors below this one */
    int report_read_fd;         /* the supervisor's end */
} run;

/* ---- raw system calls and random streams ---- */

/*
 * A system call with its raw result (-errno on failure): libc's own
 * __syscall6 (libc/internal/syscall.h).  Unlike syscall() it writes no
 * errno, so it works whatever the thread's TLS pointer is, and it shows
 * what the kernel really returned.
 */
static inline long raw(long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    return __syscall6(nr, (long)a0, (long)a1, (long)a2, (long)a3, (long)a4, (long)a5);
}

#define RAW0(nr)                raw(nr, 0, 0, 0, 0, 0, 0)
#define RAW1(nr, a)             raw(nr, (uint64_t)(a), 0, 0, 0, 0, 0)
#define RAW2(nr, a, b)          raw(nr, (uint64_t)(a), (uint64_t)(b), 0, 0, 0, 0)
#define RAW3(nr, a, b, c)       raw(nr, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), 0, 0, 0)
#define RAW4(nr, a, b, c, d)    raw(nr, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), (uint64_t)(d), 0, 0)

/* splitmix64 (its published constants): spreads a seed and a place into a stream's start. */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* The first state of the stream of the thread at this place: never 0 (xorshift would stay there). */
static uint64_t stream_start(uint64_t seed, unsigned wplace, unsigned wgen, unsigned tplace, unsigned tgen)
{
    uint64_t s = mix(mix(mix(mix(mix(seed) ^ wplace) ^ wgen) ^ tplace) ^ tgen);
    return s ? s : 1;
}

static uint64_t next(uint64_t *s)       /* xorshift64* */
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t *s, uint64_t n) { return next(s) % n; }
static bool one_in(uint64_t *s, unsigned n)      { return below(s, n) == 0; }
#define PICK(s, array)  ((array)[below((s), COUNT(array))])

/* ---- reports: what workers tell the supervisor ---- */

#define REPORT_MAGIC 0x7a667a66u    /* "fzfz": a record that is not one is dropped */
enum report_kind { REPORT_RESULTS = 1, REPORT_STUCK = 2, REPORT_VANISHED = 3, REPORT_STALLED = 4 };
#define EXTRA_THREAD_MARK 0xff      /* report.thread of an extra thread: its calls are not in the budget */

struct report {
    uint32_t magic;
    uint8_t kind;
    uint8_t worker;             /* the worker's place */
    uint8_t thread;             /* the thread's place, or EXTRA_THREAD_MARK */
    uint8_t count;              /* results: how many follow */
    union {
        struct {
            uint8_t call[BATCH];    /* index in calls[] */
            uint8_t error[BATCH];   /* errno, 0 for success, ERRNO_SLOTS - 1 for larger ones */
        } results;
        struct {
            int32_t tid;
            uint32_t ms;            /* in the call so far */
            uint32_t call;
            uint32_t pad;
            uint64_t args[6];
        } stuck;
        struct {                    /* a place of a worker none of whose threads made a call for a while */
            int32_t tid;            /* as the keeper sees it: 0 none, -1 being started */
            int32_t tkill;          /* tkill(tid, 0): 0 or -errno */
            uint32_t ms;            /* since the worker's last call */
            uint32_t generation;
            uint32_t serial;
            int32_t clone_error;    /* errno of the worker's last failed clone of a fuzz thread, or 0 */
            int64_t share;          /* calls left */
        } stalled;
    };
};
_Static_assert(sizeof(struct report) <= PIPE_BUF, "a report is one atomic pipe write");

/* Write a whole report (a signal may interrupt the write before it starts). */
static void send_report(const struct report *r)
{
    long n;
    do
        n = RAW3(SYS_write, run.report_fd, r, sizeof *r);
    while (n == -EINTR);
}

/* ---- the worker's shared state ---- */

struct fuzz_thread {
    bool used;                  /* [keeper] the place exists in this worker */
    bool extra;                 /* a short-lived thread started by a clone call */
    bool is_child;              /* this copy runs in a forked child: no reports */
    int place;                  /* index in threads[] */
    unsigned generation;        /* [keeper] threads that held this place before */
    uint64_t rng;
    int64_t share;              /* calls left to make (fuzz threads); calls to make (extra ones) */
    char *buf;                  /* BUFFER_SIZE bytes, then a guard page */
    char *stack;                /* mapping: a guard page, then STACK_SIZE bytes */
    volatile int tid;           /* set at clone, cleared by the kernel at exit; -1 while being started */
    volatile uint32_t serial;   /* odd while in a call: the keeper's view of the thread */
    volatile int call;          /* the call in progress, with its arguments (stuck reports) */
    uint64_t args[6];
    uint32_t seen_serial;       /* [keeper] */
    uint64_t since_ms, reported_ms;
    int done;                   /* results not reported yet */
    uint8_t calls[BATCH], errors[BATCH];
    uint64_t number;            /* calls this thread made: the trace's #n */
};

/* Linux's struct for rt_sigaction (the kernel's order differs from the C library's). */
struct kernel_sigaction {
    uint64_t handler, flags, restorer, mask;
};

static struct {
    int place;                  /* among the supervisor's workers */
    unsigned generation;        /* workers that held the place before */
    pid_t pid;
    uint64_t fs_base;           /* the TLS pointer all fuzz threads share: put back after arch_prctl */
    struct kernel_sigaction kick;   /* SIGALRM's action: put back after rt_sigaction */
    uint64_t restorer;          /* libc's signal return trampoline */
    volatile int children[CHILD_RING];
    volatile unsigned next_child;
    volatile uint64_t calls_ended;  /* [atomic] by all its threads: the keeper's measure of progress */
    int clone_error;            /* [keeper] errno of the last failed start of a fuzz thread, 0 if it worked */
} worker;

static struct fuzz_thread threads[SLOTS];

enum context { IN_THREAD, IN_EXTRA, IN_CHILD, CONTEXTS };

static void one_call(struct fuzz_thread *t, enum context where);

/* ---- arguments ---- */

enum arg_kind {
    A_NONE, A_INT, A_RAW, A_FD, A_DIRFD, A_BUF, A_OUT, A_LEN, A_PATH, A_OFLAGS, A_MODE, A_NODEMODE,
    A_ACCESS, A_ATFLAGS, A_SIG, A_PID, A_CHILD, A_TID, A_ADDR, A_MAPLEN, A_PROT, A_MAPFLAGS, A_OFFSET,
    A_WHENCE, A_IOV, A_IOVCNT, A_TIMESPEC, A_SIGSET, A_SIGACT, A_SIGSETSIZE, A_HOW, A_ITIMER,
    A_WHICH, A_FCNTL, A_IOCTL, A_FUTEXADDR, A_FUTEXOP, A_CLOCK, A_WHO, A_WAITOPT, A_RESOURCE, A_RLIMIT,
    A_SECONDS, A_COUNT, A_PIPEFLAGS, A_DUPFLAGS, A_ARCHCODE, A_KBENCH,
};

/* Values at the edges, for any argument now and then. */
static const uint64_t boundary_values[] = {
    0, 1, ~0ull, INT_MAX, UINT_MAX, (uint64_t)INT_MIN, 1ull << 32, 1ull << 63, ~0ull >> 1,
    KERNEL_TEXT, DIRECT_MAP, NONCANONICAL, FIRST_NONCANONICAL, LAST_USER_PAGE, LAST_USER_PAGE + PAGE - 1,
    BELOW_USER_MIN, PROGRAM_TEXT,
};

/* Addresses that are never a user buffer (data pointers, never stacks). */
static const uint64_t bad_pointers[] = {
    0, 1, KERNEL_TEXT, DIRECT_MAP, NONCANONICAL, FIRST_NONCANONICAL - 8, LAST_USER_PAGE,
    LAST_USER_PAGE + PAGE - 4, BELOW_USER_MIN, ~0ull, 1ull << 63, PROGRAM_TEXT,
};

static uint64_t pool_region(int k) { return POOL_BASE + (uint64_t)k * POOL_STRIDE; }

/* A pointer into a shared mapping: mapped, unmapped, read-only or PROT_NONE, as siblings left it. */
static uint64_t pool_pointer(uint64_t *s)
{
    uint64_t offset = below(s, 4) ? below(s, 4) * PAGE + below(s, 64) : below(s, POOL_MAX_PAGES * PAGE);
    return pool_region((int)below(s, POOL_REGIONS)) + offset;
}

/* A data pointer: mostly the thread's buffer; else shared memory, an edge, unaligned, or bad. */
static uint64_t gen_pointer(struct fuzz_thread *t)
{
    uint64_t *s = &t->rng, data = (uint64_t)t->buf + DATA_OFFSET;
    switch (below(s, 16)) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6:
        return data + (one_in(s, 2) ? 0 : below(s, DATA_SIZE / 2));
    case 7: case 8: case 9:
        return pool_pointer(s);
    case 10:
        return data + DATA_SIZE - 1 - below(s, 64);         /* runs into the guard page */
    case 11:
        return EDGE_ADDR + PAGE - 1 - below(s, 64);         /* runs into the inaccessible page */
    case 12:
        return data + 1 + below(s, 7);                      /* unaligned */
    default:
        return PICK(s, bad_pointers);
    }
}

/* A length: small, page-sized, pipe-sized, huge, or one that wraps when added to the previous pointer. */
static uint64_t gen_length(struct fuzz_thread *t, uint64_t previous)
{
    static const uint64_t sizes[] = {
        0, 1, 2, 7, 8, 16, 64, 100, 511, 4095, 4096, 4097, 8192, 16384, 16385, DATA_SIZE, 65536, /* 16 KiB: a pipe */
        1ull << 20, 1ull << 32, INT_MAX, ~0ull, 1ull << 63, (uint64_t)-4096,
    };
    uint64_t *s = &t->rng;
    switch (below(s, 8)) {
    case 0: case 1: case 2: return below(s, 128);
    case 3: return below(s, DATA_SIZE + 1);
    case 4: return -previous + below(s, 16);                /* pointer + length wraps past 0 */
    default: return PICK(s, sizes);
    }
}

/* Copy a structure into argument slot i (or across the edge into the inaccessible page, or nowhere). */
static uint64_t place_struct(struct fuzz_thread *t, int i, const void *v, size_t size)
{
    uint64_t *s = &t->rng;
    if (one_in(s, 16))
        return PICK(s, bad_pointers);
    if (one_in(s, 16)) {
        uint64_t p = EDGE_ADDR + PAGE - 1 - below(s, size);
        memcpy((void *)p, v, EDGE_ADDR + PAGE - p);         /* what fits before the edge */
        return p;
    }
    char *slot = t->buf + (size_t)i * ARG_SLOT;
    memcpy(slot, v, size);
    return (uint64_t)slot;
}

/*
 * Names the fuzz threads use: NAME_PREFIX names in the worker's directory
 * and in others, and fixed places.  The only program among them is
 * /bin/true: an execve of any path must end (a worker that became a shell
 * would wait for input forever).
 */
static const char *const paths[] = {
    "fz.f0", "fz.f1", "fz.f2", "fz.d0", "fz.d1", "fz.p0", "fz.p1", "fz.d0/fz.f3", "fz.d0/fz.d2",
    "fz.d1/fz.p2", "/tmp/fz/fz.f0", "/tmp/fz/fz.d0", "/tmp/fz/fz.d0/", "/tmp/fz/fz.d0/../fz.f1",
    "//tmp//fz/./fz.f2", "/tmp/fz", "/tmp", "/", ".", "..", "", "/bin/true", "/bin/not_elf",
    "/bin/truncated_elf", "/bin", "fz.f0/fz.x", "fz.none/fz.x", "/tmp/fz/fz.p0",
    "fz.l0", "fz.l1", "fz.l0/fz.f0", "fz.d0/fz.l2", "/tmp/fz/fz.l1/",
    "/proc", "/proc/self", "/proc/self/status", "/proc/self/maps", "/proc/self/fd/0", "/proc/self/fd/3",
    "/proc/self/task", "/proc/thread-self/stat", "/proc/self/cwd/fz.f0", "/proc/1/exe", "/proc/meminfo",
};

#define LONG_NAME_LEN   300         /* one component above NAME_MAX (255) */
#define LONG_PATH_LEN   5000        /* above PATH_MAX (4096) */

/* A path: one of paths[], too long a name or path, one that runs into the inaccessible page, or bad. */
static uint64_t gen_path(struct fuzz_thread *t, int i)
{
    uint64_t *s = &t->rng;
    char *slot = t->buf + STRINGS_OFFSET + (size_t)(i % (STRINGS_SIZE / PATH_SLOT)) * PATH_SLOT;
    switch (below(s, 32)) {
    case 0:
        return PICK(s, bad_pointers);
    case 1: {
        char *edge = (char *)(EDGE_ADDR + PAGE - 1 - below(s, 16));
        memset(edge, 'z', EDGE_ADDR + PAGE - (uint64_t)edge);       /* no NUL before the edge */
        return (uint64_t)edge;
    }
    case 2:
        memset(slot, 'n', LONG_NAME_LEN);
        memcpy(slot, NAME_PREFIX, strlen(NAME_PREFIX));
        slot[LONG_NAME_LEN] = 0;
        return (uint64_t)slot;
    case 3:
        slot = t->buf + STRINGS_OFFSET;                     /* takes the whole strings area */
        for (int k = 0; k < LONG_PATH_LEN; k += 2)
            memcpy(slot + k, "a/", 2);
        slot[LONG_PATH_LEN] = 0;
        return (uint64_t)slot;
    default:
        strcpy(slot, PICK(s, paths));
        return (uint64_t)slot;
    }
}

/* A descriptor: mostly the low ones the pool lives in; the reserved two are never produced. */
static uint64_t gen_fd(struct fuzz_thread *t)
{
    static const uint64_t odd[] = { -1ull, 64, 1000, INT_MAX, (uint64_t)INT_MIN, 1ull << 32, ~0ull >> 1 };
    uint64_t *s = &t->rng;
    switch (below(s, 16)) {
    case 0: return below(s, (uint64_t)run.pool_fd_limit);
    case 1: return PICK(s, odd);
    default: return below(s, 12);
    }
}

/* Keep the report and log descriptors out of every call (the kernel reads an fd as an int). */
static uint64_t spare_reserved_fd(uint64_t fd)
{
    int as_int = (int)fd;
    return as_int == run.report_fd || as_int == run.log_fd ? (uint64_t)-1 : fd;
}

static uint64_t gen_signal(struct fuzz_thread *t)
{
    static const uint64_t handled[] = { SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD, SIGPIPE, SIGTERM, SIGHUP,
                                        SIGCONT, SIGSTOP, SIGWINCH, SIGURG, SIGINT, SIGQUIT, 34, 64 };
    static const uint64_t odd[] = { 0, 65, 100, -1ull, (uint64_t)INT_MIN, SIGKILL, SIGSEGV };
    uint64_t *s = &t->rng;
    if (one_in(s, 12))
        return PICK(s, odd);
    return PICK(s, handled);
}

/* A pid: ourselves, our group, a recent child, a neighbour (a sibling worker?), or nothing. */
static uint64_t gen_pid(struct fuzz_thread *t)
{
    static const uint64_t odd[] = { 0, -1ull, INT_MAX, (uint64_t)INT_MIN, 1ull << 32, NO_SUCH_PID };
    uint64_t *s = &t->rng;
    switch (below(s, 8)) {
    case 0: return (uint64_t)worker.pid;
    case 1: case 2: return (uint64_t)worker.children[below(s, CHILD_RING)];
    case 3: return (uint64_t)-worker.pid;
    case 4: case 5: return (uint64_t)(worker.pid + (int)below(s, 16) - 8);
    default: return PICK(s, odd);
    }
}

/* A tid: a sibling thread's (maybe gone), our own, or none. */
static uint64_t gen_tid(struct fuzz_thread *t)
{
    uint64_t *s = &t->rng;
    switch (below(s, 4)) {
    case 0: case 1: return (uint64_t)threads[below(s, SLOTS)].tid;
    case 2: return (uint64_t)t->tid;
    default: return gen_pid(t);
    }
}

/* A mapping address: a pool region (aligned or not), a page inside one, or one no mapping may have. */
static uint64_t gen_address(struct fuzz_thread *t)
{
    static const uint64_t odd[] = {
        0, KERNEL_TEXT, DIRECT_MAP, NONCANONICAL, FIRST_NONCANONICAL - PAGE, LAST_USER_PAGE,
        BELOW_USER_MIN, ~0ull & ~(uint64_t)(PAGE - 1), 1ull << 63,
    };
    uint64_t *s = &t->rng;
    uint64_t region = pool_region((int)below(s, POOL_REGIONS));
    switch (below(s, 8)) {
    case 0: return PICK(s, odd);
    case 1: return region + 1 + below(s, PAGE - 1);             /* unaligned */
    case 2: return region + below(s, POOL_MAX_PAGES) * PAGE;
    default: return region;
    }
}

static uint64_t gen_map_length(struct fuzz_thread *t, uint64_t addr)
{
    static const uint64_t odd[] = { 0, ~0ull, 1ull << 63, 1ull << 47, FIRST_NONCANONICAL, (uint64_t)-PAGE };
    uint64_t *s = &t->rng;
    switch (below(s, 8)) {
    case 0: return PICK(s, odd);
    case 1: return -addr + below(s, 2) * PAGE;                 /* addr + len wraps */
    case 2: return 1 + below(s, POOL_MAX_PAGES * PAGE);        /* unaligned */
    default: return (1 + below(s, POOL_MAX_PAGES)) * PAGE;
    }
}

static uint64_t gen_map_flags(struct fuzz_thread *t)
{
    static const uint64_t extra[] = { 0, 0, 0, MAP_FIXED, MAP_FIXED, MAP_NORESERVE, MAP_POPULATE, MAP_STACK,
                                      MAP_GROWSDOWN, MAP_FIXED_NOREPLACE, MAP_HUGETLB, MAP_LOCKED };
    uint64_t *s = &t->rng;
    switch (below(s, 16)) {
    case 0: return MAP_SHARED | MAP_ANONYMOUS | PICK(s, extra); /* the same pages across fork */
    case 1: return (one_in(s, 2) ? MAP_SHARED : MAP_PRIVATE) | PICK(s, extra);  /* a file mapping, of whatever fd is */
    case 2: return next(s);
    default: return MAP_PRIVATE | MAP_ANONYMOUS | PICK(s, extra);
    }
}

/* An iovec array in argument slot i, of buffers good and bad. */
static uint64_t gen_iovec(struct fuzz_thread *t, int i)
{
    struct { uint64_t base, len; } v[ARG_SLOT / 16];
    int n = (int)below(&t->rng, COUNT(v) / 2) + 1;
    for (int k = 0; k < n; k++) {
        v[k].base = gen_pointer(t);
        v[k].len = one_in(&t->rng, 4) ? gen_length(t, v[k].base) : below(&t->rng, PAGE);
    }
    return place_struct(t, i, v, (size_t)n * sizeof v[0]);
}

/* A short sleep (a few ms), a long one (ended by the keeper's SIGALRM), or a malformed one. */
static uint64_t gen_timespec(struct fuzz_thread *t, int i)
{
    struct { int64_t sec, nsec; } ts[] = {
        { 0, 0 }, { 0, (int64_t)below(&t->rng, 2 * NS_PER_MS) }, { 0, NS_PER_S - 1 }, { 0, NS_PER_S },
        { -1, 0 }, { 0, -1 }, { INT64_MAX, 0 }, { 1, 0 },
    };
    return place_struct(t, i, &ts[below(&t->rng, COUNT(ts))], sizeof ts[0]);
}

/* A timeout that ends a wait within a few ms (or at once), or a malformed one: never a wait for ever. */
static uint64_t gen_short_timeout(struct fuzz_thread *t, int i)
{
    struct { int64_t sec, nsec; } ts[] = {
        { 0, 0 }, { 0, (int64_t)below(&t->rng, 2 * NS_PER_MS) }, { 0, NS_PER_S }, { -1, 0 }, { 0, -1 },
    };
    return place_struct(t, i, &ts[below(&t->rng, COUNT(ts))], sizeof ts[0]);
}

/* A timer value: short, repeating now and then (down to 1 us: a SIGALRM every tick), or malformed. */
static uint64_t gen_itimer(struct fuzz_thread *t, int i)
{
    uint64_t *s = &t->rng;
    struct { int64_t isec, iusec, sec, usec; } v = { 0, 0, 0, (int64_t)below(s, TIMER_MAX_US) };
    if (one_in(s, 4))
        v.iusec = one_in(s, 4) ? 1 : (int64_t)(INTERVAL_MIN_US + below(s, INTERVAL_MAX_US - INTERVAL_MIN_US));
    if (one_in(s, 8))
        v.usec = one_in(s, 2) ? US_PER_S : -1;
    return place_struct(t, i, &v, sizeof v);
}

static void noop_handler(int sig) { (void)sig; }

/* A signal action: default, ignore, a no-op handler or garbage, with random flags and mask. */
static uint64_t gen_sigaction(struct fuzz_thread *t, int i)
{
    static const uint64_t flags[] = { SA_RESTORER, SA_RESTORER | SA_RESTART, SA_RESTORER | SA_NODEFER,
                                      SA_RESTORER | SA_RESETHAND, SA_RESTORER | SA_SIGINFO, 0 };
    uint64_t *s = &t->rng;
    const uint64_t handlers[] = { (uint64_t)SIG_DFL, (uint64_t)SIG_IGN, (uint64_t)noop_handler,
                                  (uint64_t)noop_handler, KERNEL_TEXT, UNMAPPED_CODE };
    struct kernel_sigaction act = {
        .handler = PICK(s, handlers), .flags = one_in(s, 16) ? next(s) : PICK(s, flags),
        .restorer = one_in(s, 16) ? PICK(s, bad_pointers) : worker.restorer,
        .mask = one_in(s, 2) ? 0 : next(s),
    };
    return place_struct(t, i, &act, sizeof act);
}

static uint64_t gen_sigset(struct fuzz_thread *t, int i)
{
    uint64_t *s = &t->rng;
    uint64_t set = one_in(s, 4) ? ~0ull : one_in(s, 3) ? 0 : next(s);
    return place_struct(t, i, &set, sizeof set);
}

/* A futex word: in the thread's buffer (aligned or not), in shared memory, or bad. */
static uint64_t gen_futex_address(struct fuzz_thread *t)
{
    uint64_t *s = &t->rng, data = (uint64_t)t->buf + DATA_OFFSET;
    switch (below(s, 8)) {
    case 0: return PICK(s, bad_pointers);
    case 1: return data + 1 + below(s, 3);
    case 2: return pool_pointer(s) & ~3ull;
    default: return data + below(s, 16) * 4;
    }
}

/* A number from a list of the values that mean something, or now and then anything. */
static uint64_t from_list(uint64_t *s, const uint64_t *values, size_t n)
{
    return one_in(s, 16) ? next(s) : values[below(s, n)];
}
#define LIST(s, ...) ({ static const uint64_t v_[] = { __VA_ARGS__ }; from_list((s), v_, COUNT(v_)); })

/*
 * Flags, modes and codes.  The values no call takes are there on purpose:
 * access mode 8, AT_ flag 0x8000, whence 3, fcntl 5 and 1024, ioctl 0x5403
 * (TCSETS: a terminal's, not a file's), clock 8, wait option 0x100,
 * arch_prctl code 0x3001, 100,000 entries for a list, a signal set size
 * other than 8.
 */
static uint64_t gen_numbers(struct fuzz_thread *t, enum arg_kind kind)
{
    uint64_t *s = &t->rng;
    switch (kind) {
    case A_OFLAGS:
        return LIST(s, O_RDONLY, O_WRONLY, O_RDWR, O_RDWR | O_CREAT, O_WRONLY | O_CREAT | O_TRUNC,
                    O_RDWR | O_CREAT | O_EXCL, O_WRONLY | O_APPEND | O_CREAT, O_RDONLY | O_NONBLOCK,
                    O_WRONLY | O_NONBLOCK, O_RDONLY | O_DIRECTORY, O_RDWR | O_CLOEXEC, O_ACCMODE);
    case A_MODE:      return LIST(s, 0644, 0755, 0, 07777, 0177777);
    case A_NODEMODE:  return LIST(s, S_IFIFO | 0644, S_IFIFO | 0644, S_IFREG | 0644, S_IFDIR | 0755,
                                  S_IFCHR | 0644, S_IFSOCK | 0644, 0);
    case A_ACCESS:    return LIST(s, F_OK, R_OK, W_OK, X_OK, R_OK | W_OK | X_OK, 8);
    case A_ATFLAGS:   return LIST(s, 0, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, 0x8000);
    case A_OFFSET:    return LIST(s, 0, 1, 100, PAGE, 1ull << 20, 1ull << 40, -1ull, 1ull << 63, ~0ull >> 1);
    case A_WHENCE:    return LIST(s, SEEK_SET, SEEK_CUR, SEEK_END, 3, -1ull);
    case A_IOVCNT:    return LIST(s, 0, 1, 2, 3, 8, 16, 1024, 1025, -1ull);
    case A_SIGSETSIZE: return one_in(s, 8) ? LIST(s, 0, 4, 16, -1ull) : SIGSET_BYTES;
    case A_HOW:       return LIST(s, SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK, 3, -1ull);
    case A_WHICH:     return LIST(s, 0, 0, 0, 1, 2, 3, -1ull);
    case A_FCNTL:     return LIST(s, F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD_CLOEXEC, 5, 1024);
    case A_IOCTL:     return LIST(s, TCGETS, TIOCGPGRP, TIOCSPGRP, TIOCGWINSZ, FIONREAD, 0x5403);
    case A_FUTEXOP:   return LIST(s, FUTEX_WAIT, FUTEX_WAKE, FUTEX_WAIT_PRIVATE, FUTEX_WAKE_PRIVATE,
                                  FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE,
                                  FUTEX_LOCK_PI, FUTEX_WAKE_OP, FUTEX_WAIT | FUTEX_CLOCK_REALTIME);
    case A_CLOCK:     return LIST(s, CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                  CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME, 8, -1ull,
                                  -2ull, -6ull, -14ull, -0x7ffffffeull);   /* CPU clocks: own thread, own, pid 1, none */
    case A_WHO:       return LIST(s, 0, 0, 1, -1ull, -2ull, 42);
    case A_WAITOPT:   return LIST(s, 0, WNOHANG, WNOHANG, __WALL | WNOHANG, __WCLONE, WUNTRACED, 0x100);
    case A_RESOURCE:  return LIST(s, RLIMIT_NOFILE, RLIMIT_STACK, 0, RLIM_NLIMITS - 1, RLIM_NLIMITS, -1ull);
    case A_SECONDS:   return LIST(s, 0, 0, 1, 2, UINT_MAX);
    case A_COUNT:     return LIST(s, 0, 1, 4, 16, 64, 256, 100000, -1ull);
    case A_PIPEFLAGS: return LIST(s, 0, O_NONBLOCK, O_CLOEXEC, O_NONBLOCK | O_CLOEXEC, O_DIRECT_LINUX);
    case A_DUPFLAGS:  return LIST(s, 0, O_CLOEXEC, O_NONBLOCK);
    case A_ARCHCODE:  return LIST(s, ARCH_SET_FS, ARCH_GET_FS, ARCH_SET_GS, ARCH_GET_GS, 0x3001, 0);
    case A_KBENCH:    return LIST(s, 0, 1, 2, 3, 4);
    case A_PROT:      return one_in(s, 8) ? next(s) : below(s, 8);
    case A_INT:       return below(s, 4) ? below(s, 64) : PICK(s, boundary_values);
    default:          return next(s);
    }
}

/* Argument i of the kind given; earlier arguments are in a (a length may be made to wrap one). */
static uint64_t gen_arg(struct fuzz_thread *t, enum arg_kind kind, int i, const uint64_t *a)
{
    uint64_t previous = i ? a[i - 1] : 0;
    switch (kind) {
    case A_NONE:      return 0;
    case A_FD:        return gen_fd(t);
    case A_DIRFD:     return one_in(&t->rng, 2) ? (uint64_t)AT_FDCWD : gen_fd(t);
    case A_BUF:       return gen_pointer(t);
    case A_OUT:       return one_in(&t->rng, 16) ? 0 : gen_pointer(t);
    case A_LEN:       return gen_length(t, previous);
    case A_PATH:      return gen_path(t, i);
    case A_SIG:       return gen_signal(t);
    case A_PID:       return gen_pid(t);
    case A_CHILD:     return one_in(&t->rng, 2) ? (uint64_t)-1 : gen_pid(t);
    case A_TID:       return gen_tid(t);
    case A_ADDR:      return gen_address(t);
    case A_MAPLEN:    return gen_map_length(t, previous);
    case A_MAPFLAGS:  return gen_map_flags(t);
    case A_IOV:       return gen_iovec(t, i);
    case A_TIMESPEC:  return one_in(&t->rng, 8) ? 0 : gen_timespec(t, i);
    case A_SIGSET:    return one_in(&t->rng, 8) ? 0 : gen_sigset(t, i);
    case A_SIGACT:    return one_in(&t->rng, 8) ? 0 : gen_sigaction(t, i);
    case A_ITIMER:    return gen_itimer(t, i);
    case A_RLIMIT:    return one_in(&t->rng, 2) ? 0 : gen_pointer(t);
    case A_FUTEXADDR: return gen_futex_address(t);
    case A_RAW:       return next(&t->rng);
    default:          return gen_numbers(t, kind);
    }
}

/* ---- calls that need more than their arguments ---- */

struct call_def;
typedef long make_fn(struct fuzz_thread *t, const struct call_def *c, uint64_t *a);

enum call_flags {
    NOT_IN_CHILD = 1 << 0,      /* would keep a child alive or make grandchildren */
    NOT_IN_EXTRA = 1 << 1,      /* extra threads start no extra threads */
    CHILD_ONLY = 1 << 2,        /* would take the whole worker with it in chaos */
};

struct call_def {
    long nr;
    const char *name;
    uint8_t weight;             /* relative frequency (1 is rare: what ends a worker); 0 once excluded */
    uint8_t flags;
    uint8_t arg[6];
    make_fn *make;              /* makes the call itself (NULL: raw call with the arguments) */
};

/* Let the keeper's SIGALRM in again. */
static void unblock_kick(void)
{
    uint64_t alarm_bit = SIGNAL_BIT(SIGALRM);
    RAW4(SYS_rt_sigprocmask, SIG_UNBLOCK, &alarm_bit, 0, SIGSET_BYTES);
}

/* Never signal the supervisor, its parent, or init, nor their groups. */
static bool protected_pid(int pid)
{
    int who = pid < 0 && pid != INT_MIN ? -pid : pid;
    return pid == -1 || who == 1 || who == run.pid || who == run.ppid || who == run.pgid;
}

static uint64_t spare_pid(uint64_t pid)
{
    return protected_pid((int)pid) ? (uint64_t)worker.pid : pid;
}

static void remember_child(long pid)
{
    if (pid > 0)
        worker.children[__atomic_fetch_add(&worker.next_child, 1, __ATOMIC_RELAXED) % CHILD_RING] = (int)pid;
}

/* Report the results not reported yet (none from a forked child: it is not the worker). */
static void flush_results(struct fuzz_thread *t)
{
    if (t->done == 0 || t->is_child) {
        t->done = 0;
        return;
    }
    struct report r = { .magic = REPORT_MAGIC, .kind = REPORT_RESULTS, .worker = (uint8_t)worker.place,
                        .thread = t->extra ? EXTRA_THREAD_MARK : (uint8_t)t->place, .count = (uint8_t)t->done };
    memcpy(r.results.call, t->calls, (size_t)t->done);
    memcpy(r.results.error, t->errors, (size_t)t->done);
    send_report(&r);
    t->done = 0;
}

/* Count the result of call c; a fuzz thread's share goes down by one. */
static void record(struct fuzz_thread *t, int c, long result)
{
    long error = result < 0 && result >= -MAX_ERRNO ? -result : 0;
    t->calls[t->done] = (uint8_t)c;
    t->errors[t->done] = (uint8_t)(error < ERRNO_SLOTS ? error : ERRNO_SLOTS - 1);
    if (!t->extra)
        t->share--;
    if (++t->done == BATCH)
        flush_results(t);
}

static int call_index(const struct call_def *c);

/* exit and exit_group: count the call and report before there is nobody left to. */
static long make_exit(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    record(t, call_index(c), 0);
    flush_results(t);
    return RAW1(c->nr, a[0]);
}

/* A forked child: dies within CHILD_LIFETIME_S, after an exit, an exec or a few calls. */
static __attribute__((noreturn)) void child_main(struct fuzz_thread *t)
{
    struct kernel_sigaction dfl = { .handler = (uint64_t)SIG_DFL };
    static char *const argv[] = { "true", NULL };
    t->is_child = true;
    t->done = 0;
    t->rng = mix(t->rng) | 1;               /* its own stream: the parent goes on with the old one */
    RAW1(SYS_close, run.report_fd);
    RAW4(SYS_rt_sigaction, SIGALRM, &dfl, 0, SIGSET_BYTES);
    unblock_kick();
    RAW1(SYS_alarm, CHILD_LIFETIME_S);
    switch (below(&t->rng, 4)) {
    case 0:
        break;
    case 1:
        RAW3(SYS_execve, "/bin/true", argv, 0);
        break;
    default:
        for (int i = (int)below(&t->rng, CHILD_CALLS); i >= 0; i--)
            one_call(t, IN_CHILD);
    }
    for (;;)
        RAW1(SYS_exit_group, below(&t->rng, EXIT_STATUSES));
}

static long make_fork(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)a;
    long pid = RAW0(c->nr);
    if (pid == 0)
        child_main(t);
    remember_child(pid);
    return pid;
}

/* Stacks no code can run on: a child or thread given one dies at its first push. */
static const uint64_t bad_stacks[] = { 8, KERNEL_TEXT, NONCANONICAL, LAST_USER_PAGE + PAGE, BELOW_USER_MIN };

static int extra_thread_main(void *arg)
{
    struct fuzz_thread *t = arg;
    uint64_t none = 0;
    RAW4(SYS_rt_sigprocmask, SIG_SETMASK, &none, 0, SIGSET_BYTES);
    for (int64_t i = 0; i < t->share; i++)
        one_call(t, IN_EXTRA);
    flush_results(t);
    return 0;
}

/*
 * The serial a new thread at a place starts with: even (in no call), and
 * never one the keeper has seen there (the thread before may have ended
 * in a call, exit, leaving it odd).
 */
static uint32_t next_even(uint32_t serial)
{
    return (serial | 1) + 1;
}

/* A free extra place, claimed (tid -1), or NULL. */
static struct fuzz_thread *claim_extra(void)
{
    for (int i = MAX_THREADS; i < SLOTS; i++) {
        int free_tid = 0;
        if (threads[i].used && __atomic_compare_exchange_n(&threads[i].tid, &free_tid, -1, false,
                                                           __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
            return &threads[i];
    }
    return NULL;
}

/* clone of a thread: an extra thread on its own stack, with optional flags and arguments at random. */
static long clone_thread(struct fuzz_thread *t)
{
    uint64_t *s = &t->rng;
    struct fuzz_thread *e = claim_extra();
    if (!e)         /* no room: a clone the kernel must refuse (unknown flag) */
        return RAW2(SYS_clone, THREAD_FLAGS | (1ull << 40), PICK(s, bad_stacks));
    e->generation++;
    e->rng = stream_start(run.seed, (unsigned)worker.place, worker.generation, (unsigned)e->place, e->generation);
    e->share = 1 + (int64_t)below(s, EXTRA_CALLS);
    e->serial = next_even(e->serial);
    e->done = 0;
    int flags = THREAD_FLAGS | (one_in(s, 2) ? CLONE_PARENT_SETTID : 0) | (one_in(s, 4) ? CLONE_DETACHED : 0);
    uint64_t tls = worker.fs_base;
    if (one_in(s, 4)) {
        flags |= CLONE_SETTLS;
        tls = one_in(s, 2) ? KERNEL_TEXT : worker.fs_base;     /* a kernel TLS pointer: EPERM */
    }
    void *ptid = (void *)gen_pointer(t);
    int tid = clone(extra_thread_main, e->stack + PAGE + STACK_SIZE, flags, e, ptid, (void *)tls, &e->tid);
    if (tid < 0) {
        long err = -errno;
        e->tid = 0;
        return err;
    }
    return tid;
}

/* clone of a process: as fork, with optional tid arguments; on a bad stack now and then (it dies). */
static long clone_process(struct fuzz_thread *t)
{
    uint64_t *s = &t->rng;
    uint64_t flags = (one_in(s, 4) ? 0 : SIGCHLD) | (one_in(s, 2) ? CLONE_PARENT_SETTID : 0) |
                     (one_in(s, 2) ? CLONE_CHILD_SETTID : 0) | (one_in(s, 2) ? CLONE_CHILD_CLEARTID : 0);
    uint64_t stack = one_in(s, 4) ? PICK(s, bad_stacks) : 0;
    long pid = raw(SYS_clone, flags, stack, gen_pointer(t), gen_pointer(t), 0, 0);
    if (pid == 0)
        child_main(t);
    remember_child(pid);
    return pid;
}

/* clone with flags the kernel must refuse (sharing some things but not all, unknown bits). */
static long clone_refused(struct fuzz_thread *t)
{
    static const uint64_t flags[] = {
        CLONE_VM, CLONE_FILES, CLONE_SIGHAND, CLONE_THREAD, CLONE_VM | CLONE_THREAD,
        CLONE_VM | CLONE_SIGHAND | CLONE_THREAD, CLONE_FILES | CLONE_SIGHAND, SIGCHLD | CLONE_VFORK | CLONE_VM,
        THREAD_FLAGS | (1ull << 33), SIGCHLD | (1ull << 40), 0x7f, CLONE_NEWNS | SIGCHLD,
    };
    return RAW2(SYS_clone, PICK(&t->rng, flags), PICK(&t->rng, bad_stacks));
}

static long make_clone(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)c, (void)a;
    switch (below(&t->rng, 8)) {
    case 0: case 1: case 2: return clone_thread(t);
    case 3: case 4: return clone_process(t);
    default: return clone_refused(t);
    }
}

/* execve: of /bin/true now and then (the worker becomes it), else of garbage or through bad pointers. */
static long make_execve(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    static const char *const targets[] = { "/bin/not_elf", "/bin/truncated_elf", "/tmp/fz", "fz.f0",
                                           "fz.p0", "/bin", "", "fz.none" };
    uint64_t *s = &t->rng;
    uint64_t *argv = (uint64_t *)(t->buf + ARG_SLOT);
    char *path = t->buf + STRINGS_OFFSET;
    (void)c;
    strcpy(path, one_in(s, 8) ? "/bin/true" : PICK(s, targets));
    argv[0] = (uint64_t)path;
    argv[1] = one_in(s, 8) ? PICK(s, bad_pointers) : 0;
    argv[2] = 0;
    a[0] = one_in(s, 8) ? gen_path(t, 0) : (uint64_t)path;
    a[1] = one_in(s, 8) ? PICK(s, bad_pointers) : one_in(s, 8) ? EDGE_ADDR + PAGE - 8 : (uint64_t)argv;
    a[2] = one_in(s, 4) ? (uint64_t)argv : one_in(s, 8) ? PICK(s, bad_pointers) : 0;
    flush_results(t);           /* if it works, nothing of this thread comes back */
    return RAW3(SYS_execve, a[0], a[1], a[2]);
}

static long make_kill(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)t, (void)c;
    a[0] = spare_pid(a[0]);
    return RAW2(SYS_kill, a[0], a[1]);
}

static long make_tkill(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)t, (void)c;
    a[0] = spare_pid(a[0]);
    return RAW2(SYS_tkill, a[0], a[1]);
}

static long make_tgkill(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)t, (void)c;
    a[0] = spare_pid(a[0]);
    a[1] = spare_pid(a[1]);
    return RAW3(SYS_tgkill, a[0], a[1], a[2]);
}

static long make_setpgid(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)t, (void)c;
    a[0] = spare_pid(a[0]);
    if (protected_pid((int)a[1]))
        a[1] = 0;               /* joining the supervisor's group would put it in reach of kill(0) */
    return RAW2(SYS_setpgid, a[0], a[1]);
}

static bool fault_signal(int sig)
{
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP || sig == SIGSYS;
}

/* rt_sigaction, then SIGALRM's handler and the fault signals' default back (see the header). */
static long make_sigaction(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)t, (void)c;
    long r = raw(SYS_rt_sigaction, a[0], a[1], a[2], a[3], 0, 0);
    int sig = (int)a[0];
    struct kernel_sigaction dfl = { .handler = (uint64_t)SIG_DFL };
    if (sig == SIGALRM)
        RAW4(SYS_rt_sigaction, SIGALRM, &worker.kick, 0, SIGSET_BYTES);
    else if (fault_signal(sig))
        RAW4(SYS_rt_sigaction, sig, &dfl, 0, SIGSET_BYTES);
    return r;
}

static long make_sigprocmask(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)t, (void)c;
    long r = raw(SYS_rt_sigprocmask, a[0], a[1], a[2], a[3], 0, 0);
    unblock_kick();
    return r;
}

static bool in_own_buffer(const struct fuzz_thread *t, uint64_t p, size_t size)
{
    return p >= (uint64_t)t->buf && p + size <= (uint64_t)t->buf + BUFFER_SIZE;
}

/*
 * Message queue names: a few the supervisor removes after the run (a
 * queue outlives its processes until mq_unlink), and bad ones.
 */
static const char *const mq_fuzz_names[] = { "fzq0", "fzq1", "fzq2" };
static const char *const mq_bad_names[] = { "", "a/b", "/" };

static uint64_t gen_mq_name(struct fuzz_thread *t)
{
    uint64_t *s = &t->rng;
    char *slot = t->buf + STRINGS_OFFSET;
    if (one_in(s, 8))
        return PICK(s, bad_pointers);
    strcpy(slot, one_in(s, 4) ? PICK(s, mq_bad_names) : PICK(s, mq_fuzz_names));
    return (uint64_t)slot;
}

static long make_mq_open(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)c;
    return raw(SYS_mq_open, gen_mq_name(t), a[1], a[2], a[3], 0, 0);
}

static long make_mq_unlink(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)c, (void)a;
    return RAW1(SYS_mq_unlink, gen_mq_name(t));
}

/* A wait's signal mask at mask made to let SIGALRM in, so the keeper can end the wait: the mask to pass. */
static uint64_t let_alarm_in(struct fuzz_thread *t, uint64_t mask)
{
    if (in_own_buffer(t, mask, SIGSET_BYTES))
        *(uint64_t *)mask &= ~SIGNAL_BIT(SIGALRM);
    else if (mask >= EDGE_ADDR && mask < EDGE_ADDR + PAGE)
        mask = EDGE_ADDR + PAGE - 1;        /* a mask we cannot clear must not be readable either */
    return mask;
}

static long make_sigsuspend(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)c;
    return RAW2(SYS_rt_sigsuspend, let_alarm_in(t, a[0]), a[1]);
}

/* rt_sigtimedwait with a short timeout only: with none, only the keeper's SIGALRM would end the wait. */
static long make_sigtimedwait(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)c;
    a[2] = gen_short_timeout(t, 2);
    return RAW4(SYS_rt_sigtimedwait, a[0], a[1], a[2], a[3]);
}

static long make_ppoll(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)c;
    return raw(SYS_ppoll, a[0], a[1], a[2], let_alarm_in(t, a[3]), a[4], 0);
}

/* pselect6's sixth argument, { mask, size }, built at the end of our buffer around a mask that lets SIGALRM in. */
static long make_pselect6(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)c;
    uint64_t *arg = (uint64_t *)(t->buf + BUFFER_SIZE - 2 * sizeof *arg);
    arg[0] = let_alarm_in(t, a[5]);
    arg[1] = SIGSET_BYTES;
    return raw(SYS_pselect6, a[0], a[1], a[2], a[3], a[4], one_in(&t->rng, 8) ? a[5] : (uint64_t)arg);
}

static long make_set_tid_address(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)c;
    long r = RAW1(SYS_set_tid_address, a[0]);
    RAW1(SYS_set_tid_address, &t->tid);     /* the keeper learns of our exit through it */
    return r;
}

static long make_arch_prctl(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)c;
    if (a[0] == ARCH_SET_FS && one_in(&t->rng, 2))
        a[1] = PICK(&t->rng, bad_pointers);
    long r = RAW2(SYS_arch_prctl, a[0], a[1]);
    if (a[0] == ARCH_SET_FS)
        RAW2(SYS_arch_prctl, ARCH_SET_FS, worker.fs_base);
    return r;
}

static long make_brk(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)c;
    uint64_t *s = &t->rng, now = (uint64_t)RAW1(SYS_brk, 0);
    switch (below(s, 4)) {
    case 0: a[0] = PICK(s, boundary_values); break;
    case 1: a[0] = now - below(s, 16) * PAGE; break;
    default: a[0] = now + below(s, 16) * PAGE + below(s, 2) * below(s, PAGE); break;
    }
    return RAW1(SYS_brk, a[0]);
}

/* futex: a WAIT whose value matches half the time, so it really sleeps (until woken or kicked). */
static long make_futex(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)c;
    if (one_in(&t->rng, 2) && in_own_buffer(t, a[0], sizeof(uint32_t)))
        a[2] = *(volatile uint32_t *)a[0];
    return raw(SYS_futex, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* munmap of a sibling's stack (or now and then our own): the worker dies of it, as it should. */
static long make_munmap_stack(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)c;
    struct fuzz_thread *victim = &threads[below(&t->rng, (uint64_t)run.threads)];
    if (victim == t && !one_in(&t->rng, 8))
        victim = &threads[(t->place + 1) % run.threads];
    a[0] = (uint64_t)victim->stack;
    a[1] = PAGE + STACK_SIZE;
    return RAW2(SYS_munmap, a[0], a[1]);
}

/* Numbers the kernel has no call for (or only in their low 32 bits, which must not count). */
static long make_unknown(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    static const long numbers[] = { 999, 1006, 1100, 335, 450, -1,
                                    SYS_chmod, (1l << 32) | SYS_getpid, 0x40000000 | SYS_getpid,
                                    LONG_MIN, SYS_rt_sigreturn + 512 };
    (void)c;
    return raw(PICK(&t->rng, numbers), a[0], a[1], a[2], a[3], a[4], a[5]);
}

/*
 * In a forked child only: rt_sigreturn from a "frame" of random words.  The
 * kernel must check what it restores (segments, flags, a non-canonical
 * rip) and kill the child, or let it fault in user mode.
 */
static long make_sigreturn(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)c, (void)a;
    uint64_t *frame = (uint64_t *)(t->buf + DATA_OFFSET + DATA_SIZE / 2);
    for (size_t i = 0; i < DATA_SIZE / 2 / sizeof *frame; i++)
        frame[i] = one_in(&t->rng, 2) ? next(&t->rng) : PICK(&t->rng, boundary_values);
    __asm__ volatile("mov %0, %%rsp\n\tsyscall\n\tud2" : : "r"(frame), "a"((long)SYS_rt_sigreturn) : "memory");
    __builtin_unreachable();
}

#define SYSCALL_INSN "\x0f\x05"      /* the instruction, two bytes */

static long map_code_page(uint64_t page)
{
    return raw(SYS_mmap, page, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
               (uint64_t)-1, 0);
}

/*
 * In a forked child only: a system call made by the last two bytes of the
 * highest page that maps, so that it returns to the address above: the
 * first non-canonical one if the last user page maps, else that page.  The
 * kernel must not return there with SYSRET (a #GP in kernel mode on
 * Intel); the child must die of a fault in user mode.
 */
static long make_last_page_syscall(struct fuzz_thread *t, const struct call_def *c, uint64_t *a)
{
    (void)t, (void)c, (void)a;
    uint64_t page = LAST_USER_PAGE;
    long r = map_code_page(page);
    if (r != (long)page)
        r = map_code_page(page -= PAGE);        /* the last page is refused: the one below it */
    if (r != (long)page)
        return r;
    char *insn = (char *)(page + PAGE - strlen(SYSCALL_INSN));
    memcpy(insn, SYSCALL_INSN, strlen(SYSCALL_INSN));
    __asm__ volatile("jmp *%0" : : "r"(insn), "a"((long)SYS_getpid) : "memory");
    __builtin_unreachable();
}

/* ---- the table of calls ---- */

#define C(nr_, name_, w, fl, mk, ...) { nr_, name_, w, fl, { __VA_ARGS__ }, mk }
#define PSEUDO (-1)     /* no number of its own: its make function decides what it calls */

static struct call_def calls[] = {
    /* descriptors */
    C(SYS_read, "read", 80, 0, NULL, A_FD, A_BUF, A_LEN),
    C(SYS_write, "write", 80, 0, NULL, A_FD, A_BUF, A_LEN),
    C(SYS_readv, "readv", 20, 0, NULL, A_FD, A_IOV, A_IOVCNT),
    C(SYS_writev, "writev", 20, 0, NULL, A_FD, A_IOV, A_IOVCNT),
    C(SYS_close, "close", 48, 0, NULL, A_FD),
    C(SYS_dup, "dup", 24, 0, NULL, A_FD),
    C(SYS_dup2, "dup2", 32, 0, NULL, A_FD, A_FD),
    C(SYS_dup3, "dup3", 16, 0, NULL, A_FD, A_FD, A_DUPFLAGS),
    C(SYS_fcntl, "fcntl", 32, 0, NULL, A_FD, A_FCNTL, A_INT),
    C(SYS_lseek, "lseek", 24, 0, NULL, A_FD, A_OFFSET, A_WHENCE),
    C(SYS_pread64, "pread64", 12, 0, NULL, A_FD, A_OUT, A_LEN, A_OFFSET),
    C(SYS_pwrite64, "pwrite64", 12, 0, NULL, A_FD, A_BUF, A_LEN, A_OFFSET),
    C(SYS_ioctl, "ioctl", 16, 0, NULL, A_FD, A_IOCTL, A_OUT),
    C(SYS_pipe, "pipe", 24, 0, NULL, A_OUT),
    C(SYS_pipe2, "pipe2", 24, 0, NULL, A_OUT, A_PIPEFLAGS),
    C(SYS_fstat, "fstat", 20, 0, NULL, A_FD, A_OUT),
    C(SYS_getdents64, "getdents64", 20, 0, NULL, A_FD, A_BUF, A_LEN),
    C(SYS_poll, "poll", 16, 0, NULL, A_BUF, A_COUNT, A_INT),
    C(SYS_ppoll, "ppoll", 8, 0, make_ppoll, A_BUF, A_COUNT, A_TIMESPEC, A_SIGSET, A_SIGSETSIZE),
    C(SYS_select, "select", 12, 0, NULL, A_INT, A_BUF, A_BUF, A_BUF, A_OUT),
    C(SYS_pselect6, "pselect6", 8, 0, make_pselect6, A_INT, A_BUF, A_BUF, A_BUF, A_TIMESPEC, A_SIGSET),
    /* Unix sockets: random domains, types, names, messages and control data */
    C(SYS_socket, "socket", 12, 0, NULL, A_INT, A_INT, A_INT),
    C(SYS_socketpair, "socketpair", 12, 0, NULL, A_INT, A_INT, A_INT, A_OUT),
    C(SYS_bind, "bind", 8, 0, NULL, A_FD, A_BUF, A_LEN),
    C(SYS_listen, "listen", 8, 0, NULL, A_FD, A_INT),
    C(SYS_connect, "connect", 8, 0, NULL, A_FD, A_BUF, A_LEN),
    C(SYS_accept4, "accept4", 8, 0, NULL, A_FD, A_OUT, A_OUT, A_INT),
    C(SYS_sendto, "sendto", 12, 0, NULL, A_FD, A_BUF, A_LEN, A_INT, A_BUF, A_LEN),
    C(SYS_recvfrom, "recvfrom", 12, 0, NULL, A_FD, A_OUT, A_LEN, A_INT, A_OUT, A_OUT),
    C(SYS_sendmsg, "sendmsg", 12, 0, NULL, A_FD, A_BUF, A_INT),
    C(SYS_recvmsg, "recvmsg", 12, 0, NULL, A_FD, A_BUF, A_INT),
    C(SYS_shutdown, "shutdown", 4, 0, NULL, A_FD, A_INT),
    C(SYS_getsockname, "getsockname", 4, 0, NULL, A_FD, A_OUT, A_OUT),
    C(SYS_getpeername, "getpeername", 4, 0, NULL, A_FD, A_OUT, A_OUT),
    C(SYS_setsockopt, "setsockopt", 4, 0, NULL, A_FD, A_INT, A_INT, A_BUF, A_LEN),
    C(SYS_getsockopt, "getsockopt", 4, 0, NULL, A_FD, A_INT, A_INT, A_OUT, A_OUT),
    /* POSIX message queues: random names, attributes, messages, deadlines */
    C(SYS_mq_open, "mq_open", 8, 0, make_mq_open, A_NONE, A_OFLAGS, A_MODE, A_BUF),
    C(SYS_mq_unlink, "mq_unlink", 4, 0, make_mq_unlink, A_NONE),
    C(SYS_mq_timedsend, "mq_timedsend", 8, 0, NULL, A_FD, A_BUF, A_LEN, A_INT, A_TIMESPEC),
    C(SYS_mq_timedreceive, "mq_timedreceive", 8, 0, NULL, A_FD, A_OUT, A_LEN, A_OUT, A_TIMESPEC),
    C(SYS_mq_getsetattr, "mq_getsetattr", 4, 0, NULL, A_FD, A_BUF, A_OUT),
    /* paths */
    C(SYS_open, "open", 56, 0, NULL, A_PATH, A_OFLAGS, A_MODE),
    C(SYS_openat, "openat", 32, 0, NULL, A_DIRFD, A_PATH, A_OFLAGS, A_MODE),
    C(SYS_stat, "stat", 16, 0, NULL, A_PATH, A_OUT),
    C(SYS_lstat, "lstat", 8, 0, NULL, A_PATH, A_OUT),
    C(SYS_newfstatat, "newfstatat", 16, 0, NULL, A_DIRFD, A_PATH, A_OUT, A_ATFLAGS),
    C(SYS_access, "access", 12, 0, NULL, A_PATH, A_ACCESS),
    C(SYS_mkdir, "mkdir", 16, 0, NULL, A_PATH, A_MODE),
    C(SYS_mkdirat, "mkdirat", 12, 0, NULL, A_DIRFD, A_PATH, A_MODE),
    C(SYS_rmdir, "rmdir", 16, 0, NULL, A_PATH),
    C(SYS_unlink, "unlink", 24, 0, NULL, A_PATH),
    C(SYS_unlinkat, "unlinkat", 16, 0, NULL, A_DIRFD, A_PATH, A_ATFLAGS),
    C(SYS_mknod, "mknod", 16, 0, NULL, A_PATH, A_NODEMODE, A_INT),
    C(SYS_mknodat, "mknodat", 12, 0, NULL, A_DIRFD, A_PATH, A_NODEMODE, A_INT),
    C(SYS_link, "link", 12, 0, NULL, A_PATH, A_PATH),
    C(SYS_rename, "rename", 12, 0, NULL, A_PATH, A_PATH),
    C(SYS_renameat2, "renameat2", 8, 0, NULL, A_DIRFD, A_PATH, A_DIRFD, A_PATH, A_INT),
    C(SYS_linkat, "linkat", 8, 0, NULL, A_DIRFD, A_PATH, A_DIRFD, A_PATH, A_ATFLAGS),
    C(SYS_symlink, "symlink", 12, 0, NULL, A_PATH, A_PATH),
    C(SYS_symlinkat, "symlinkat", 8, 0, NULL, A_PATH, A_DIRFD, A_PATH),
    C(SYS_readlink, "readlink", 8, 0, NULL, A_PATH, A_OUT, A_LEN),
    C(SYS_readlinkat, "readlinkat", 8, 0, NULL, A_DIRFD, A_PATH, A_OUT, A_LEN),
    C(SYS_chmod, "chmod", 8, 0, NULL, A_PATH, A_MODE),
    C(SYS_fchmod, "fchmod", 4, 0, NULL, A_FD, A_MODE),
    C(SYS_fchmodat, "fchmodat", 4, 0, NULL, A_DIRFD, A_PATH, A_MODE),
    C(SYS_chown, "chown", 4, 0, NULL, A_PATH, A_INT, A_INT),
    C(SYS_fchownat, "fchownat", 4, 0, NULL, A_DIRFD, A_PATH, A_INT, A_INT, A_ATFLAGS),
    C(SYS_utimensat, "utimensat", 8, 0, NULL, A_DIRFD, A_PATH, A_BUF, A_ATFLAGS),
    C(SYS_statfs, "statfs", 4, 0, NULL, A_PATH, A_OUT),
    C(SYS_fstatfs, "fstatfs", 4, 0, NULL, A_FD, A_OUT),
    C(SYS_truncate, "truncate", 8, 0, NULL, A_PATH, A_OFFSET),
    C(SYS_ftruncate, "ftruncate", 12, 0, NULL, A_FD, A_OFFSET),
    C(SYS_chdir, "chdir", 12, 0, NULL, A_PATH),
    C(SYS_getcwd, "getcwd", 12, 0, NULL, A_OUT, A_LEN),
    /* memory */
    C(SYS_mmap, "mmap", 40, 0, NULL, A_ADDR, A_MAPLEN, A_PROT, A_MAPFLAGS, A_FD, A_OFFSET),
    C(SYS_munmap, "munmap", 32, 0, NULL, A_ADDR, A_MAPLEN),
    C(SYS_mprotect, "mprotect", 32, 0, NULL, A_ADDR, A_MAPLEN, A_PROT),
    C(SYS_madvise, "madvise", 12, 0, NULL, A_ADDR, A_MAPLEN, A_INT),
    C(SYS_msync, "msync", 4, 0, NULL, A_ADDR, A_MAPLEN, A_INT),
    C(SYS_mremap, "mremap", 12, 0, NULL, A_ADDR, A_MAPLEN, A_MAPLEN, A_INT, A_ADDR),
    C(SYS_brk, "brk", 12, 0, make_brk, A_NONE),
    C(PSEUDO, "munmap_stack", 1, 0, make_munmap_stack, A_NONE),
    /* signals */
    C(SYS_rt_sigaction, "rt_sigaction", 20, NOT_IN_CHILD, make_sigaction, A_SIG, A_SIGACT, A_OUT, A_SIGSETSIZE),
    C(SYS_rt_sigprocmask, "rt_sigprocmask", 20, NOT_IN_CHILD, make_sigprocmask, A_HOW, A_SIGSET, A_OUT,
      A_SIGSETSIZE),
    C(SYS_rt_sigpending, "rt_sigpending", 8, 0, NULL, A_OUT, A_SIGSETSIZE),
    C(SYS_rt_sigsuspend, "rt_sigsuspend", 8, NOT_IN_CHILD, make_sigsuspend, A_SIGSET, A_SIGSETSIZE),
    C(SYS_rt_sigtimedwait, "rt_sigtimedwait", 8, 0, make_sigtimedwait, A_SIGSET, A_OUT, A_NONE, A_SIGSETSIZE),
    C(SYS_pause, "pause", 4, 0, NULL, A_NONE),
    C(SYS_kill, "kill", 24, 0, make_kill, A_PID, A_SIG),
    C(SYS_tkill, "tkill", 16, 0, make_tkill, A_TID, A_SIG),
    C(SYS_tgkill, "tgkill", 12, 0, make_tgkill, A_PID, A_TID, A_SIG),
    C(SYS_alarm, "alarm", 8, NOT_IN_CHILD, NULL, A_SECONDS),
    C(SYS_setitimer, "setitimer", 12, NOT_IN_CHILD, NULL, A_WHICH, A_ITIMER, A_OUT),
    C(SYS_getitimer, "getitimer", 8, 0, NULL, A_WHICH, A_OUT),
    C(SYS_rt_sigreturn, "rt_sigreturn", 8, CHILD_ONLY, make_sigreturn, A_NONE),
    C(PSEUDO, "last_page_syscall", 4, CHILD_ONLY, make_last_page_syscall, A_NONE),
    /* processes and threads */
    C(SYS_fork, "fork", 8, NOT_IN_CHILD, make_fork, A_NONE),
    C(SYS_vfork, "vfork", 3, NOT_IN_CHILD, make_fork, A_NONE),
    C(SYS_clone, "clone", 16, NOT_IN_CHILD | NOT_IN_EXTRA, make_clone, A_NONE),
    C(SYS_execve, "execve", 6, 0, make_execve, A_NONE),
    C(SYS_exit, "exit", 2, 0, make_exit, A_INT),
    C(SYS_exit_group, "exit_group", 1, 0, make_exit, A_INT),
    C(SYS_wait4, "wait4", 20, 0, NULL, A_CHILD, A_OUT, A_WAITOPT, A_OUT),
    C(SYS_getpid, "getpid", 4, 0, NULL, A_NONE),
    C(SYS_getppid, "getppid", 4, 0, NULL, A_NONE),
    C(SYS_gettid, "gettid", 4, 0, NULL, A_NONE),
    C(SYS_set_tid_address, "set_tid_address", 4, 0, make_set_tid_address, A_OUT),
    C(SYS_setpgid, "setpgid", 8, 0, make_setpgid, A_PID, A_PID),
    C(SYS_getpgid, "getpgid", 4, 0, NULL, A_PID),
    C(SYS_getpgrp, "getpgrp", 4, 0, NULL, A_NONE),
    C(SYS_setsid, "setsid", 4, 0, NULL, A_NONE),
    C(SYS_getsid, "getsid", 4, 0, NULL, A_PID),
    C(SYS_arch_prctl, "arch_prctl", 8, 0, make_arch_prctl, A_ARCHCODE, A_OUT),
    C(SYS_futex, "futex", 24, 0, make_futex, A_FUTEXADDR, A_FUTEXOP, A_INT, A_TIMESPEC, A_FUTEXADDR, A_INT),
    C(SYS_sched_yield, "sched_yield", 8, 0, NULL, A_NONE),
    C(SYS_sched_setaffinity, "sched_setaffinity", 4, 0, NULL, A_TID, A_LEN, A_BUF),
    C(SYS_sched_getaffinity, "sched_getaffinity", 4, 0, NULL, A_TID, A_LEN, A_OUT),
    C(SYS_getpriority, "getpriority", 2, 0, NULL, A_INT, A_PID),
    C(SYS_setpriority, "setpriority", 2, 0, NULL, A_INT, A_PID, A_INT),
    C(SYS_getcpu, "getcpu", 4, 0, NULL, A_OUT, A_OUT, A_RAW),
    C(SYS_getrandom, "getrandom", 4, 0, NULL, A_OUT, A_LEN, A_INT),
    C(SYS_gettimeofday, "gettimeofday", 4, 0, NULL, A_OUT, A_OUT),
    C(SYS_time, "time", 4, 0, NULL, A_OUT),
    C(SYS_umask, "umask", 4, 0, NULL, A_MODE),
    C(SYS_getgroups, "getgroups", 4, 0, NULL, A_INT, A_OUT),
    C(SYS_sysinfo, "sysinfo", 4, 0, NULL, A_OUT),
    C(SYS_prctl, "prctl", 4, 0, NULL, A_INT, A_BUF),
    C(SYS_fsync, "fsync", 4, 0, NULL, A_FD),
    C(SYS_fdatasync, "fdatasync", 2, 0, NULL, A_FD),
    C(SYS_sync, "sync", 2, 0, NULL, A_NONE),
    C(SYS_nanosleep, "nanosleep", 12, 0, NULL, A_TIMESPEC, A_OUT),
    C(SYS_clock_nanosleep, "clock_nanosleep", 4, 0, NULL, A_CLOCK, A_INT, A_TIMESPEC, A_OUT),
    C(SYS_clock_gettime, "clock_gettime", 8, 0, NULL, A_CLOCK, A_OUT),
    C(SYS_clock_getres, "clock_getres", 4, 0, NULL, A_CLOCK, A_OUT),
    C(SYS_times, "times", 4, 0, NULL, A_OUT),
    C(SYS_getrusage, "getrusage", 4, 0, NULL, A_WHO, A_OUT),
    /* limits, names, ids */
    C(SYS_getrlimit, "getrlimit", 8, 0, NULL, A_RESOURCE, A_OUT),
    C(SYS_prlimit64, "prlimit64", 8, 0, NULL, A_PID, A_RESOURCE, A_RLIMIT, A_OUT),
    C(SYS_uname, "uname", 4, 0, NULL, A_OUT),
    C(SYS_getuid, "getuid", 4, 0, NULL, A_NONE),
    /* our own */
    C(SYS_os_stats, "os_stats", 4, 0, NULL, A_OUT),
    C(SYS_os_procs, "os_procs", 4, 0, NULL, A_OUT, A_COUNT),
    C(SYS_os_threads, "os_threads", 4, 0, NULL, A_OUT, A_COUNT),
    C(SYS_os_switch_stats, "os_switch_stats", 4, 0, NULL, A_OUT),
    C(SYS_os_kbench, "os_kbench", 4, 0, NULL, A_KBENCH, A_OUT, A_SECONDS),
    C(SYS_os_cpus, "os_cpus", 2, 0, NULL, A_NONE),
    C(PSEUDO, "unknown", 8, 0, make_unknown, A_RAW, A_RAW, A_RAW, A_RAW, A_RAW, A_RAW),
};
#define CALL_COUNT ((int)COUNT(calls))
_Static_assert(COUNT(calls) < 256, "a report names a call in one byte");

static int call_index(const struct call_def *c) { return (int)(c - calls); }

/* The calls of each context, each repeated by its weight: drawing one is an index. */
#define PICKS_MAX 4096
static uint8_t picks[CONTEXTS][PICKS_MAX];
static int pick_count[CONTEXTS];

static bool allowed(const struct call_def *c, enum context where)
{
    if (where == IN_CHILD)
        return !(c->flags & NOT_IN_CHILD);
    if (c->flags & CHILD_ONLY)
        return false;
    return where == IN_THREAD || !(c->flags & NOT_IN_EXTRA);
}

static void build_picks(void)
{
    for (int where = 0; where < CONTEXTS; where++)
        for (int c = 0; c < CALL_COUNT; c++)
            for (int w = 0; w < calls[c].weight && allowed(&calls[c], where); w++)
                if (pick_count[where] < PICKS_MAX)
                    picks[where][pick_count[where]++] = (uint8_t)c;
}

/* ---- making a call ---- */

/* -t: the call, before it is made, on the terminal. */
static void trace_call(struct fuzz_thread *t, int c, const uint64_t *a)
{
    char line[256];
    int n = snprintf(line, sizeof line, "fz %d.%u %s%d.%u #%llu %s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx)\n",
                     worker.place, worker.generation, t->is_child ? "child-" : t->extra ? "extra-" : "t",
                     t->place, t->generation, (unsigned long long)t->number, calls[c].name,
                     (unsigned long long)a[0], (unsigned long long)a[1], (unsigned long long)a[2],
                     (unsigned long long)a[3], (unsigned long long)a[4], (unsigned long long)a[5]);
    RAW3(SYS_write, run.log_fd, line, n < (int)sizeof line ? n : (int)sizeof line - 1);
}

/* One call drawn from t's stream, its arguments too; the keeper sees it through t->serial. */
static void one_call(struct fuzz_thread *t, enum context where)
{
    int c = picks[where][below(&t->rng, (uint64_t)pick_count[where])];
    const struct call_def *d = &calls[c];
    uint64_t a[6] = { 0 };
    for (int i = 0; i < 6; i++) {
        a[i] = gen_arg(t, d->arg[i], i, a);
        if (d->arg[i] != A_NONE && one_in(&t->rng, 16))
            a[i] = PICK(&t->rng, boundary_values);
        if (d->arg[i] == A_FD || d->arg[i] == A_DIRFD)
            a[i] = spare_reserved_fd(a[i]);
    }
    t->number++;
    t->call = c;
    memcpy(t->args, a, sizeof a);
    if (run.trace)
        trace_call(t, c, a);
    t->serial++;                /* odd: in a call */
    long r = d->make ? d->make(t, d, a) : raw(d->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    t->serial++;
    __atomic_add_fetch(&worker.calls_ended, 1, __ATOMIC_RELAXED);
    record(t, c, r);
}

static int fuzz_thread_main(void *arg)
{
    struct fuzz_thread *t = arg;
    uint64_t none = 0;
    RAW4(SYS_rt_sigprocmask, SIG_SETMASK, &none, 0, SIGSET_BYTES);  /* the keeper blocks all */
    while (t->share > 0)
        one_call(t, IN_THREAD);
    flush_results(t);
    return 0;
}

/* ---- the worker: its pool, its threads, its keeper ---- */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * MS_PER_S + (uint64_t)ts.tv_nsec / NS_PER_MS;
}

static void nap(void)
{
    struct timespec ts = { 0, POLL_NS };
    nanosleep(&ts, NULL);
}

/* A mapping of size bytes with an inaccessible page below (guard_below) or above it; NULL on failure. */
static char *map_guarded(size_t size, bool guard_below)
{
    char *m = mmap(NULL, size + PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    mprotect(guard_below ? m : m + size, PAGE, PROT_NONE);
    return m;
}

/* The descriptors and mappings every thread of the worker shares. */
static void make_pool(void)
{
    int fds[2];
    pipe(fds);
    pipe(fds);
    pipe2(fds, O_NONBLOCK);
    char name[32];
    snprintf(name, sizeof name, NAME_PREFIX "w%d", worker.place);
    open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    open("fz.f0", O_RDWR | O_CREAT, 0644);
    mkdir("fz.d0", 0755);
    mkfifo("fz.p0", 0644);
    open("fz.p0", O_RDWR | O_NONBLOCK);
    open(".", O_RDONLY | O_DIRECTORY);
    for (int k = 0; k < POOL_REGIONS; k++) {
        size_t pages = 1u << k;
        mmap((void *)pool_region(k), pages * PAGE, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    }
    mmap((void *)EDGE_ADDR, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    mprotect((void *)(EDGE_ADDR + PAGE), PAGE, PROT_NONE);
}

/* Start the thread of place t (a fuzz thread); if clone fails, the keeper tries again next round. */
static void start_fuzz_thread(struct fuzz_thread *t)
{
    t->rng = stream_start(run.seed, (unsigned)worker.place, worker.generation, (unsigned)t->place, t->generation);
    t->serial = next_even(t->serial);
    t->done = 0;
    t->tid = -1;
    int tid = clone(fuzz_thread_main, t->stack + PAGE + STACK_SIZE, THREAD_FLAGS, t, NULL, NULL, &t->tid);
    if (tid < 0)
        t->tid = 0;
    worker.clone_error = tid < 0 ? errno : 0;   /* a stall report shows it */
}

/* Every place gets its memory; fuzz places get their share of the worker's calls. */
static bool set_up_threads(int64_t calls_left)
{
    for (int i = 0; i < SLOTS; i++) {
        struct fuzz_thread *t = &threads[i];
        bool fuzz = i < run.threads;
        if (!fuzz && i < MAX_THREADS)
            continue;
        t->place = i;
        t->extra = !fuzz;
        t->buf = map_guarded(BUFFER_SIZE, false);
        t->stack = map_guarded(STACK_SIZE, true);
        if (!t->buf || !t->stack)
            return false;
        t->share = fuzz ? calls_left / run.threads + (i < calls_left % run.threads) : 0;
        t->used = true;
    }
    return true;
}

/*
 * Thread tid of place t is gone (tkill says ESRCH) but its
 * CLONE_CHILD_CLEARTID word still holds its tid.  That is the kernel's
 * fault if the word can be written (getcpu writes 4 bytes there, or fails
 * with EFAULT); if a sibling's mprotect or munmap took it away, the kernel
 * could not clear it, as Linux could not.  Either way the keeper reports it
 * and takes the place back.
 */
static void thread_vanished(struct fuzz_thread *t, int tid)
{
    struct report r = { .magic = REPORT_MAGIC, .kind = REPORT_VANISHED, .worker = (uint8_t)worker.place,
                        .thread = t->extra ? EXTRA_THREAD_MARK : (uint8_t)t->place };
    r.stuck.tid = tid;
    r.stuck.call = RAW3(SYS_getcpu, (long)&t->tid, 0, 0) == 0;     /* 1: the word was writable */
    t->tid = 0;
    send_report(&r);
}

static void send_stuck(struct fuzz_thread *t, int tid, uint64_t ms)
{
    struct report r = { .magic = REPORT_MAGIC, .kind = REPORT_STUCK, .worker = (uint8_t)worker.place,
                        .thread = t->extra ? EXTRA_THREAD_MARK : (uint8_t)t->place };
    r.stuck.tid = tid;
    r.stuck.ms = (uint32_t)ms;
    r.stuck.call = (uint32_t)t->call;
    memcpy(r.stuck.args, t->args, sizeof r.stuck.args);
    send_report(&r);
}

/* Kick a thread asleep in one call for KICK_AFTER_MS; report it after STUCK_REPORT_MS. */
static void watch(struct fuzz_thread *t, int tid, uint64_t now)
{
    uint32_t serial = t->serial;
    if (serial != t->seen_serial || !(serial & 1)) {
        t->seen_serial = serial;
        t->since_ms = t->reported_ms = now;
        return;
    }
    uint64_t in_call = now - t->since_ms;
    if (in_call >= KICK_AFTER_MS)
        RAW2(SYS_tkill, tid, SIGALRM);
    if (in_call >= STUCK_REPORT_MS && now - t->reported_ms >= STUCK_REPORT_MS) {
        send_stuck(t, tid, in_call);
        t->reported_ms = now;
    }
}

#define STALL_TELL_MS 3000  /* a keeper with work left and no call made this long reports its places */

/*
 * Why the keeper still waits, place by place, through the report pipe (the
 * worker's stdout is closed): the supervisor prints it and, for each tid,
 * what the kernel says that thread is doing, whichever process it is in.
 */
static void report_stalled(uint64_t stalled_ms)
{
    for (int i = 0; i < SLOTS; i++) {
        struct fuzz_thread *t = &threads[i];
        if (!t->used || (!t->tid && !t->share))
            continue;
        struct report r = { .magic = REPORT_MAGIC, .kind = REPORT_STALLED, .worker = (uint8_t)worker.place,
                            .thread = (uint8_t)i };
        r.stalled.tid = t->tid;
        r.stalled.tkill = t->tid > 0 ? (int32_t)RAW2(SYS_tkill, t->tid, 0) : 0;
        r.stalled.ms = (uint32_t)stalled_ms;
        r.stalled.generation = t->generation;
        r.stalled.serial = t->serial;
        r.stalled.clone_error = worker.clone_error;
        r.stalled.share = t->share;
        send_report(&r);
    }
}

/* One round of the keeper: watch, restart fuzz threads that exited with calls left; false when all is done. */
static bool keeper_round(void)
{
    static uint64_t progress_ms, calls_seen;
    static bool stall_told;
    uint64_t now = now_ms(), calls = __atomic_load_n(&worker.calls_ended, __ATOMIC_RELAXED);
    bool busy = false;
    for (int i = 0; i < SLOTS; i++) {
        struct fuzz_thread *t = &threads[i];
        int tid = t->tid;
        if (!t->used)
            continue;
        if (tid > 0 && RAW2(SYS_tkill, tid, 0) == -ESRCH && t->tid == tid)
            thread_vanished(t, tid);
        else if (tid > 0)
            watch(t, tid, now);
        else if (tid == 0 && !t->extra && t->share > 0) {
            t->generation++;
            start_fuzz_thread(t);
        }
        busy |= tid != 0 || (!t->extra && t->share > 0);
    }
    int status;
    long child;
    while ((child = RAW4(SYS_wait4, -1, &status, WNOHANG | __WALL | WUNTRACED, 0)) > 0)
        if (WIFSTOPPED(status))         /* children the fuzz threads forked and did not wait for; */
            RAW2(SYS_kill, child, SIGCONT); /* a stopped one goes on (a fuzzed SIGSTOP) */
    if (calls != calls_seen || !progress_ms || !busy) {
        calls_seen = calls;
        progress_ms = now;
        stall_told = false;
    } else if (now - progress_ms >= STALL_TELL_MS && !stall_told) {
        report_stalled(now - progress_ms);
        stall_told = true;
    }
    return busy;
}

static void install_handlers(void)
{
    struct sigaction kick = { .sa_handler = noop_handler }, dfl = { .sa_handler = SIG_DFL }, old;
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, fault_signal(sig) ? &dfl : &kick, NULL);     /* no SA_RESTART: calls end */
    sigaction(SIGALRM, NULL, &old);
    worker.restorer = (uint64_t)old.sa_restorer;
    worker.kick = (struct kernel_sigaction){ (uint64_t)noop_handler, SA_RESTORER, worker.restorer, 0 };
}

#define WORKER_SETUP_FAILED 3   /* exit status: no memory for the threads */

static __attribute__((noreturn)) void worker_main(int place, unsigned generation, int64_t calls_left)
{
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);     /* the keeper takes no signal; threads unblock theirs */
    worker.place = place;
    worker.generation = generation;
    worker.pid = getpid();
    setpgid(0, 0);                          /* kill(0) of ours reaches us and our children only */
    close(run.report_read_fd);
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
        close(fd);                          /* the terminal stays the supervisor's */
    RAW2(SYS_arch_prctl, ARCH_GET_FS, &worker.fs_base);
    install_handlers();
    chdir(WORK_DIR);
    make_pool();
    if (!set_up_threads(calls_left))
        _exit(WORKER_SETUP_FAILED);
    for (int i = 0; i < run.threads; i++)
        start_fuzz_thread(&threads[i]);
    while (keeper_round())
        nap();
    RAW1(SYS_exit_group, 0);
    __builtin_unreachable();
}

/* ---- the supervisor ---- */

struct place {
    pid_t pid;                  /* its worker now, 0 when none */
    unsigned generation;        /* workers started here so far */
    uint64_t budget, done;      /* calls it owes, calls reported */
    uint64_t done_by_worker;    /* reported by the worker now */
    uint64_t progress_ms;        /* the last report from its worker (or its start) */
    uint64_t fork_failing_ms;   /* since when fork fails here (0: it does not) */
    int barren;                 /* workers in a row that reported nothing */
    struct report stuck;        /* the last stuck report (kind 0: none) */
};

static struct {
    struct place places[MAX_PROCS];
    uint32_t results[COUNT(calls)][ERRNO_SLOTS];
    uint64_t extra_calls;       /* by extra threads, beyond the budget */
    uint64_t workers, finished, exited, killed_by[NSIG], orphans, bad_reports, fork_failures;
    uint64_t tid_words_lost;    /* threads whose CLONE_CHILD_CLEARTID word a sibling made unwritable */
    uint64_t start_ms;
    char failure[512];          /* empty while the run is OK */
} sv;

static struct os_threadinfo thread_list[256];
static struct os_procinfo proc_list[256];

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    if (sv.failure[0])
        return;                 /* the first failure is the one to read */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sv.failure, sizeof sv.failure, fmt, ap);
    va_end(ap);
}

/* The kernel's counters, its caches emptied first (the kernel stacks it keeps: every page counts as free). */
static struct os_stats stats_now(void)
{
    struct os_stats s;
    memset(&s, 0, sizeof s);
    syscall(SYS_os_drop_caches);
    syscall(SYS_os_stats, &s);
    return s;
}

/* The counters once nothing waits to be freed lazily (lazy_frees), SETTLE_MS at most. */
/*
 * The counters once nothing is on its way out: no lazy frees waiting, and
 * two looks a poll apart agree on threads, heap and free pages (a thread
 * that ended on the other CPU is freed when that CPU next switches; taken
 * into "before" while still there, it made the heap shrink over a run).
 */
static struct os_stats settled_stats(void)
{
    struct os_stats s = stats_now(), then;
    int waited = 0;
    do {
        then = s;
        nap();
        waited += POLL_NS / NS_PER_MS;
        s = stats_now();
    } while (waited < SETTLE_MS && (s.lazy_frees || s.threads != then.threads ||
                                    s.heap_bytes != then.heap_bytes || s.free_pages != then.free_pages));
    return s;
}

static const char *error_name(int error)
{
    const char *name = strerrorname_np(error);
    return name ? name : "E?";
}

/* "read(0x3, 0x..., ...)" of a stuck report. */
static void describe_call(char *out, size_t size, const struct report *r)
{
    const uint64_t *a = r->stuck.args;
    snprintf(out, size, "%s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx)",
             r->stuck.call < (uint32_t)CALL_COUNT ? calls[r->stuck.call].name : "?",
             (unsigned long long)a[0], (unsigned long long)a[1], (unsigned long long)a[2],
             (unsigned long long)a[3], (unsigned long long)a[4], (unsigned long long)a[5]);
}

static void print_stalled(const struct report *r);

static void take_report(const struct report *r)
{
    if (r->magic != REPORT_MAGIC || r->worker >= run.procs || r->count > BATCH) {
        sv.bad_reports++;
        return;
    }
    struct place *p = &sv.places[r->worker];
    p->progress_ms = now_ms();
    if (r->kind == REPORT_VANISHED) {
        if (r->stuck.call)
            fail("thread %d of worker %d ended without clearing its CLONE_CHILD_CLEARTID word", r->stuck.tid,
                 r->worker);
        else
            sv.tid_words_lost++;
        return;
    }
    if (r->kind == REPORT_STALLED) {
        print_stalled(r);
        return;
    }
    if (r->kind == REPORT_STUCK) {
        char call[200];
        p->stuck = *r;
        describe_call(call, sizeof call, r);
        if (run.verbose)
            printf("fuzz: worker %d: thread %d has been in %s for %u ms\n", r->worker, r->stuck.tid, call,
                   r->stuck.ms);
        return;
    }
    for (int i = 0; i < r->count; i++)
        if (r->results.call[i] < CALL_COUNT)
            sv.results[r->results.call[i]][r->results.error[i]]++;
    if (r->thread == EXTRA_THREAD_MARK) {
        sv.extra_calls += r->count;
        return;
    }
    p->done += r->count;
    p->done_by_worker += r->count;
}

static void drain_reports(void)
{
    static struct report buf[64];
    long n;
    while ((n = read(run.report_read_fd, buf, sizeof buf)) > 0)
        for (long i = 0; i < n / (long)sizeof buf[0]; i++)
            take_report(&buf[i]);
}

static void start_worker(int place)
{
    struct place *p = &sv.places[place];
    int64_t calls_left = (int64_t)(p->budget - p->done);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        worker_main(place, p->generation, calls_left);
    if (pid < 0) {                  /* out of memory for now, say: again at the next round */
        uint64_t now = now_ms();
        sv.fork_failures++;
        if (!p->fork_failing_ms)
            p->fork_failing_ms = now;
        else if (now - p->fork_failing_ms > (uint64_t)run.watchdog_ms)
            fail("no worker could be forked for %d s: %s", run.watchdog_ms / MS_PER_S, strerror(errno));
        return;
    }
    p->fork_failing_ms = 0;
    p->pid = pid;
    p->generation++;
    p->done_by_worker = 0;
    p->progress_ms = now_ms();
    p->stuck.kind = 0;
    sv.workers++;
}

/* A worker ended: count how, and note a place whose workers keep dying before they report. */
static void worker_ended(struct place *p, int status)
{
    int place = (int)(p - sv.places);
    p->barren = p->done_by_worker ? 0 : p->barren + 1;
    if (WIFSIGNALED(status))
        sv.killed_by[WTERMSIG(status) < NSIG ? WTERMSIG(status) : 0]++;
    else if (p->done >= p->budget)
        sv.finished++;
    else
        sv.exited++;
    if (run.verbose)
        printf("fuzz: worker %d.%u (pid %d) %s %d after %llu calls\n", place, p->generation - 1, p->pid,
               WIFSIGNALED(status) ? "killed by signal" : "exited with status",
               WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
               (unsigned long long)p->done_by_worker);
    if (p->barren >= BARREN_LIMIT)
        fail("%d workers in a row at place %d ended before making a call (last status %#x)", p->barren, place,
             status);
    p->pid = 0;
}

static struct place *place_of(pid_t pid)
{
    for (int i = 0; i < run.procs; i++)
        if (sv.places[i].pid == pid)
            return &sv.places[i];
    return NULL;
}

/*
 * Reap workers (and orphans handed to us, when we are init); reports first,
 * so none is lost.  One that a fuzzed kill stopped (SIGSTOP) is continued,
 * as a shell's bg would: a stop is a state a user may cause, not a hang.
 */
static void reap(void)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG | WUNTRACED)) > 0) {
        if (WIFSTOPPED(status)) {
            kill(pid, SIGCONT);
            continue;
        }
        struct place *p = place_of(pid);
        drain_reports();
        if (p)
            worker_ended(p, status);
        else
            sv.orphans++;
    }
}

/* Every thread of the system into thread_list; how many it holds. */
static long list_threads(void)
{
    long n = syscall(SYS_os_threads, thread_list, COUNT(thread_list));
    return n < (long)COUNT(thread_list) ? n : (long)COUNT(thread_list);
}

/* A thread's state in words, from the kernel's thread list. */
static void describe_thread(const struct os_threadinfo *t, char *out, size_t size)
{
    if (t->state == 'S' && t->deadline_ms)
        snprintf(out, size, "%d asleep on '%s' (deadline in %lld ms, CPU %u)", t->tid, t->wait,
                 (long long)t->deadline_ms, t->cpu);
    else if (t->state == 'S')
        snprintf(out, size, "%d asleep on '%s' (CPU %u)", t->tid, t->wait, t->cpu);
    else
        snprintf(out, size, "%d %s on CPU %u", t->tid, t->state == 'R' ? "running" : "runnable", t->cpu);
}

/* The threads of process pid as the kernel sees them ("4024 asleep on 'piperd', ..."); a line each too. */
static void threads_of(pid_t pid, char *out, size_t size)
{
    long n = list_threads();
    bool keeper = false;
    size_t len = 0;
    out[0] = 0;
    for (long i = 0; i < n; i++) {
        char one[96];
        if (thread_list[i].pid != pid)
            continue;
        describe_thread(&thread_list[i], one, sizeof one);
        printf("fuzz:   thread %s, ran %llu times, program %s\n", one, (unsigned long long)thread_list[i].runs,
               thread_list[i].name);
        keeper |= thread_list[i].tid == pid;
        len += (size_t)snprintf(out + len, len < size ? size - len : 0, "%s%s", len ? ", " : "", one);
    }
    if (!keeper && len < size)
        snprintf(out + len, size - len, " (its keeper, thread %d, is gone)", pid);
}

/* A stalled worker's place (report_stalled), and what the kernel says its thread is doing. */
static void print_stalled(const struct report *r)
{
    char state[96] = "no such thread";
    long n = list_threads();
    for (long i = 0; i < n; i++)
        if (thread_list[i].tid == r->stalled.tid) {
            describe_thread(&thread_list[i], state, sizeof state);
            snprintf(state + strlen(state), sizeof state - strlen(state), ", process %d", thread_list[i].pid);
        }
    printf("fuzz: worker %d made no call for %u ms; place %d: tid %d (tkill: %d; %s), %lld calls left, "
           "serial %u, generation %u, last clone error %d\n", r->worker, r->stalled.ms, r->thread, r->stalled.tid,
           r->stalled.tkill, r->stalled.tid > 0 ? state : "none", (long long)r->stalled.share, r->stalled.serial,
           r->stalled.generation, r->stalled.clone_error);
}

static bool wait_for_exit(pid_t pid, int ms)
{
    for (int waited = 0; waited < ms; waited += POLL_NS / NS_PER_MS) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid)
            return true;
        nap();
    }
    return false;
}

#define TICK_WATCH_MS 100   /* print_cpu_ticks watches this long, spinning (a sleep needs the tick) */

/* Each CPU's timer ticks over TICK_WATCH_MS: a CPU whose tick stopped would explain a sleeper never woken. */
static void print_cpu_ticks(void)
{
    long cpus = syscall(SYS_os_cpus);
    for (long cpu = 0; cpu < cpus && cpu < MAX_CPUS_WATCHED; cpu++) {
        struct os_cpu_stats before, after;
        if (syscall(SYS_os_cpu_stats, cpu, &before) != 0)
            return;
        uint64_t start = now_ms();
        while (now_ms() - start < TICK_WATCH_MS)
            ;
        if (syscall(SYS_os_cpu_stats, cpu, &after) != 0)
            return;
        printf("fuzz:   CPU %ld: %llu ticks in %d ms (%llu idle)\n", cpu,
               (unsigned long long)(after.ticks - before.ticks), TICK_WATCH_MS,
               (unsigned long long)(after.idle_ticks - before.idle_ticks));
    }
}

/* Every thread running or waiting for a CPU, system-wide: what keeps a runnable thread from running. */
static void print_busy_threads(void)
{
    long n = list_threads();
    printf("fuzz:   running and runnable:");
    for (long i = 0; i < n; i++) {
        const struct os_threadinfo *t = &thread_list[i];
        if (t->state == 'R' || t->state == 'r')
            printf(" %d (pid %d %s CPU %u, ran %llu times, %llu ticks)", t->tid, t->pid,
                   t->state == 'R' ? "running on" : "waiting for", t->cpu, (unsigned long long)t->runs,
                   (unsigned long long)t->cpu_ticks);
    }
    printf("\n");
}

/* The watchdog fired for place p: say which threads are stuck where, kill the worker, fail. */
static void stuck_worker(struct place *p, const char *why)
{
    int place = (int)(p - sv.places);
    char call[200] = "", threads[512];
    if (p->stuck.kind == REPORT_STUCK) {
        snprintf(call, sizeof call, "; thread %d has been in ", p->stuck.stuck.tid);
        describe_call(call + strlen(call), sizeof call - strlen(call), &p->stuck);
    }
    printf("fuzz: watchdog: worker %d.%u (pid %d) %s%s; its threads:\n", place, p->generation - 1, p->pid, why,
           call);
    threads_of(p->pid, threads, sizeof threads);
    print_busy_threads();
    print_cpu_ticks();
    kill(p->pid, SIGKILL);
    bool died = wait_for_exit(p->pid, KILL_GRACE_MS);
    fail("worker %d (pid %d) %s%s; threads: %s%s", place, p->pid, why, call, threads,
         died ? "" : "; it survived SIGKILL");
    p->pid = 0;
}

static void watchdog(void)
{
    uint64_t now = now_ms();
    for (int i = 0; i < run.procs && !sv.failure[0]; i++) {
        struct place *p = &sv.places[i];
        char why[80];
        if (!p->pid)
            continue;
        if (p->stuck.kind == REPORT_STUCK && p->stuck.stuck.ms >= (uint32_t)run.watchdog_ms) {
            snprintf(why, sizeof why, "has a thread stuck in one call for %u ms", p->stuck.stuck.ms);
            stuck_worker(p, why);
        } else if (now - p->progress_ms > (uint64_t)run.watchdog_ms) {
            snprintf(why, sizeof why, "made no call for %d s", run.watchdog_ms / MS_PER_S);
            stuck_worker(p, why);
        }
    }
}

static bool all_done(void)
{
    for (int i = 0; i < run.procs; i++)
        if (sv.places[i].pid || sv.places[i].done < sv.places[i].budget)
            return false;
    return true;
}

static void supervise(void)
{
    while (!sv.failure[0] && !all_done()) {
        drain_reports();
        reap();
        for (int i = 0; i < run.procs && !sv.failure[0]; i++)
            if (!sv.places[i].pid && sv.places[i].done < sv.places[i].budget)
                start_worker(i);
        watchdog();
        nap();
    }
}

/* Mark the processes that descend from us (orphans included, when we are init); how many. */
static int mark_descendants(bool *mine, long n)
{
    int count = 0;
    bool changed = true;
    while (changed) {
        changed = false;
        for (long i = 0; i < n; i++) {
            if (mine[i] || proc_list[i].pid == run.pid)
                continue;
            for (long j = 0; j < n; j++)
                if (proc_list[j].pid == proc_list[i].ppid && (mine[j] || proc_list[j].pid == run.pid)) {
                    mine[i] = changed = true;
                    count++;
                }
        }
    }
    return count;
}

/* SIGKILL everything we started that is still there, and reap it; false if something stays. */
static bool stop_everything(void)
{
    static bool mine[COUNT(proc_list)];
    for (int round = 0; round < SETTLE_MS / (POLL_NS / NS_PER_MS); round++) {
        long n = syscall(SYS_os_procs, proc_list, COUNT(proc_list));
        n = n < (long)COUNT(proc_list) ? n : (long)COUNT(proc_list);
        memset(mine, 0, sizeof mine);
        int left = mark_descendants(mine, n);
        for (long i = 0; i < n; i++)
            if (mine[i] && proc_list[i].state != 'Z')
                kill(proc_list[i].pid, SIGKILL);
        drain_reports();
        reap();
        if (left == 0)
            return true;
        nap();
    }
    return false;
}

/* The paths of the file system before the run: what is not among them after it goes. */
#define SNAPSHOT_MAX    512
#define SNAPSHOT_PATH   128     /* longer paths are not kept: they go (none is that long before) */
static char snapshot[SNAPSHOT_MAX][SNAPSHOT_PATH];
static int snapshot_count;

static bool in_snapshot(const char *path)
{
    for (int i = 0; i < snapshot_count; i++)
        if (strcmp(snapshot[i], path) == 0)
            return true;
    return false;
}

/*
 * Walk the tree under dir: record every path (record), or remove every one
 * not recorded (and all of it under remove_all).  /bin, the read-only
 * programs, and /proc, made on reading, are left alone.
 */
static void walk_files(const char *dir, bool record, bool remove_all)
{
    DIR *d = strcmp(dir, "/bin") && strcmp(dir, "/proc") ? opendir(dir) : NULL;
    struct dirent *e;
    char path[PATH_MAX];
    if (!d)
        return;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
        bool old = !remove_all && in_snapshot(path);
        if (record && snapshot_count < SNAPSHOT_MAX && strlen(path) < SNAPSHOT_PATH)
            strcpy(snapshot[snapshot_count++], path);
        if (e->d_type == DT_DIR)
            walk_files(path, record, !record && !old);
        if (!record && !old && (e->d_type == DT_DIR ? rmdir(path) : unlink(path)) != 0)
            fail("cannot remove %s after the run: %s", path, strerror(errno));
    }
    closedir(d);
}

/*
 * Remove the files of the run, and make WORK_DIR again if a fuzz rmdir took
 * it (it was there before).  In a child: directory reading allocates
 * memory, which a child gives back when it exits; ours would count as a leak.
 */
static void clean_up_files(void)
{
    for (size_t i = 0; i < sizeof mq_fuzz_names / sizeof mq_fuzz_names[0]; i++)
        RAW1(SYS_mq_unlink, mq_fuzz_names[i]);  /* the queues the run made: they outlive it */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        mkdir("/tmp", 0755);            /* a fuzz rename may have moved it (into "/" as fz.f0...) */
        mkdir(WORK_DIR, 0755);
        walk_files("/", false, false);
        if (sv.failure[0])
            printf("fuzz: %s\n", sv.failure);
        fflush(stdout);
        _exit(sv.failure[0] ? 1 : 0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        fail("the clean-up of the files: %s", strerror(errno));
    else if (status != 0)
        fail("files left after the run (see above)");
}

/*
 * Before and after: pages (but for those the kernel keeps without leaking:
 * page tables, and heap pages while the heap holds as many bytes; and the
 * supervisor's own, which a table touched first during the run may grow by
 * a page), kernel heap, processes, threads, open files; and nothing freed
 * lazily still waiting (lazy_frees: several CPUs).
 */
static bool counters_back(const struct os_stats *before, const struct os_stats *after, char *why, size_t size)
{
    int64_t kept = (int64_t)(after->page_table_pages - before->page_table_pages) +
                   (int64_t)(after->heap_pages - before->heap_pages) +
                   (int64_t)(after->caller_resident_pages - before->caller_resident_pages);
    why[0] = 0;
    if (after->lazy_frees)
        snprintf(why, size, "%llu kernel ranges still wait for other CPUs' flushes",
                 (unsigned long long)after->lazy_frees);
    else if ((int64_t)after->free_pages + kept != (int64_t)before->free_pages)
        snprintf(why, size, "free pages %llu + %lld kept (page tables, heap, the supervisor's), %llu before; "
                 "the supervisor holds %llu user pages, %llu before",
                 (unsigned long long)after->free_pages, (long long)kept,
                 (unsigned long long)before->free_pages, (unsigned long long)after->caller_resident_pages,
                 (unsigned long long)before->caller_resident_pages);
    else if (after->threads != before->threads || after->processes != before->processes)
        snprintf(why, size, "%llu threads and %llu processes, %llu and %llu before",
                 (unsigned long long)after->threads, (unsigned long long)after->processes,
                 (unsigned long long)before->threads, (unsigned long long)before->processes);
    else if (after->open_files != before->open_files)
        snprintf(why, size, "%llu open files, %llu before", (unsigned long long)after->open_files,
                 (unsigned long long)before->open_files);
    else if (after->heap_bytes != before->heap_bytes)
        snprintf(why, size, "kernel heap %llu bytes, %llu before", (unsigned long long)after->heap_bytes,
                 (unsigned long long)before->heap_bytes);
    return why[0] == 0;
}

/* After the run: wait (SETTLE_MS at most) for the counters to come back to their values before. */
static void check_counters(const struct os_stats *before)
{
    char why[256];
    struct os_stats after;
    for (int waited = 0;; waited += POLL_NS / NS_PER_MS) {
        reap();
        after = stats_now();
        if (counters_back(before, &after, why, sizeof why) || waited >= SETTLE_MS)
            break;
        nap();
    }
    printf("fuzz: after: %llu free pages, %llu threads, %llu processes, %llu open files, %llu heap bytes "
           "(before: %llu, %llu, %llu, %llu, %llu)\n",
           (unsigned long long)after.free_pages, (unsigned long long)after.threads,
           (unsigned long long)after.processes, (unsigned long long)after.open_files,
           (unsigned long long)after.heap_bytes, (unsigned long long)before->free_pages,
           (unsigned long long)before->threads, (unsigned long long)before->processes,
           (unsigned long long)before->open_files, (unsigned long long)before->heap_bytes);
    if (why[0])
        fail("not back after the run: %s", why);
}

#define TOP_ERRORS 3    /* errno values shown per call */

/* One line per call that was made: calls, errors, and the most frequent errno values. */
static void print_call_table(void)
{
    for (int c = 0; c < CALL_COUNT; c++) {
        uint64_t total = 0, errors = 0;
        for (int e = 0; e < ERRNO_SLOTS; e++) {
            total += sv.results[c][e];
            errors += e ? sv.results[c][e] : 0;
        }
        if (!total)
            continue;
        char top[128] = "";
        bool shown[ERRNO_SLOTS] = { false };
        for (int k = 0; k < TOP_ERRORS; k++) {
            int best = 0;
            for (int e = 1; e < ERRNO_SLOTS; e++)
                if (!shown[e] && sv.results[c][e] > (best ? sv.results[c][best] : 0))
                    best = e;
            if (!best)
                break;
            shown[best] = true;
            size_t len = strlen(top);
            snprintf(top + len, sizeof top - len, "%s %s %u", k ? "," : ":", error_name(best),
                     sv.results[c][best]);
        }
        printf("fuzz:   %-16s %8llu calls %8llu errors%s\n", calls[c].name, (unsigned long long)total,
               (unsigned long long)errors, top);
    }
}

static void print_summary(void)
{
    uint64_t done = 0, killed = 0;
    char signals[256] = "";
    for (int i = 0; i < run.procs; i++)
        done += sv.places[i].done;
    for (int sig = 0; sig < NSIG; sig++) {
        if (!sv.killed_by[sig])
            continue;
        killed += sv.killed_by[sig];
        size_t len = strlen(signals);
        char name[16];
        if (sigabbrev_np(sig))
            snprintf(name, sizeof name, "SIG%s", sigabbrev_np(sig));
        else
            snprintf(name, sizeof name, "signal %d", sig);
        snprintf(signals + len, sizeof signals - len, "%s%s %llu", len ? ", " : " (", name,
                 (unsigned long long)sv.killed_by[sig]);
    }
    if (signals[0])
        strcat(signals, ")");
    printf("fuzz: per call (errno names: the most frequent errors):\n");
    print_call_table();
    printf("fuzz: %llu calls (+%llu by extra threads) in %llu s by %d processes x %d threads; "
           "%llu workers: %llu finished, %llu exited early (exec, exit_group), %llu killed by signals%s; "
           "%llu orphans reaped\n",
           (unsigned long long)done, (unsigned long long)sv.extra_calls,
           (unsigned long long)((now_ms() - sv.start_ms) / MS_PER_S), run.procs, run.threads,
           (unsigned long long)sv.workers, (unsigned long long)sv.finished, (unsigned long long)sv.exited,
           (unsigned long long)killed, signals, (unsigned long long)sv.orphans);
    if (sv.bad_reports)
        printf("fuzz: %llu malformed reports dropped\n", (unsigned long long)sv.bad_reports);
    if (sv.tid_words_lost)
        printf("fuzz: %llu threads ended with their tid word unwritable (a sibling's mprotect or munmap)\n",
               (unsigned long long)sv.tid_words_lost);
    if (sv.fork_failures)
        printf("fuzz: %llu forks of a worker failed (and were tried again)\n",
               (unsigned long long)sv.fork_failures);
}

/* ---- start-up ---- */

static void usage(void)
{
    fprintf(stderr, "usage: fuzz [-t] [-v] [-w SECONDS] [-x CALL]... SEED N [PROCS THREADS]\n"
                    "  PROCS 1-%d (default %d), THREADS 1-%d (default %d)\n",
            MAX_PROCS, DEFAULT_PROCS, MAX_THREADS, DEFAULT_THREADS);
    exit(2);
}

static bool exclude_call(const char *name)
{
    for (int c = 0; c < CALL_COUNT; c++)
        if (strcmp(calls[c].name, name) == 0) {
            calls[c].weight = 0;
            return true;
        }
    return false;
}

/* Options and operands into run; the rerun command line into rerun. */
static void parse_arguments(int argc, char **argv, char *rerun, size_t size)
{
    int opt;
    size_t len = (size_t)snprintf(rerun, size, "/bin/fuzz");
    run.watchdog_ms = DEFAULT_WATCHDOG_S * MS_PER_S;
    while ((opt = getopt(argc, argv, "tvw:x:")) != -1) {
        if (opt == 't' || opt == 'v')
            *(opt == 't' ? &run.trace : &run.verbose) = true;
        else if (opt == 'w')
            run.watchdog_ms = atoi(optarg) * MS_PER_S;
        else if (opt == 'x' && exclude_call(optarg))
            len += (size_t)snprintf(rerun + len, size - len, " -x %s", optarg);
        else {
            if (opt == 'x')
                fprintf(stderr, "fuzz: no call named %s\n", optarg);
            usage();
        }
    }
    if (argc - optind != 2 && argc - optind != 4)
        usage();
    run.seed = strtoull(argv[optind], NULL, 0);
    run.calls = strtoull(argv[optind + 1], NULL, 0);
    run.procs = argc - optind == 4 ? atoi(argv[optind + 2]) : DEFAULT_PROCS;
    run.threads = argc - optind == 4 ? atoi(argv[optind + 3]) : DEFAULT_THREADS;
    if (run.procs < 1 || run.procs > MAX_PROCS || run.threads < 1 || run.threads > MAX_THREADS ||
        run.watchdog_ms <= 0)
        usage();
    snprintf(rerun + len, size - len, " %llu %llu %d %d", (unsigned long long)run.seed,
             (unsigned long long)run.calls, run.procs, run.threads);
}

/* The report pipe: its write end at the highest descriptor, the log (-t) below it, the pool under both. */
static void set_up_run(void)
{
    struct { uint64_t cur, max; } limit;
    int fds[2];
    run.pid = getpid();
    run.ppid = getppid();
    run.pgid = getpgrp();
    if (syscall(SYS_getrlimit, RLIMIT_NOFILE, &limit) != 0 || pipe(fds) != 0) {
        perror("fuzz: set-up");
        exit(2);
    }
    run.report_fd = (int)limit.cur - 1;
    run.log_fd = run.report_fd - 1;
    run.pool_fd_limit = run.log_fd;
    dup2(fds[1], run.report_fd);
    close(fds[1]);
    fcntl(run.report_fd, F_SETFD, FD_CLOEXEC);     /* not into exec'd programs */
    run.report_read_fd = fcntl(fds[0], F_DUPFD_CLOEXEC, run.pool_fd_limit / 2);
    close(fds[0]);
    fcntl(run.report_read_fd, F_SETFL, O_NONBLOCK);
    if (run.trace)
        dup2(STDOUT_FILENO, run.log_fd);
    mkdir(WORK_DIR, 0755);
}

#define STACK_WARM_BYTES (32 * 1024)

/* Touch the stack the rest will use, so that its pages are not counted as a leak. */
static __attribute__((noinline)) void warm_stack(void)
{
    volatile char area[STACK_WARM_BYTES];
    for (size_t i = 0; i < sizeof area; i += PAGE)
        area[i] = 0;
}

/* First uses that allocate for good (stdio buffers, the stack, the lists) before the counters; the snapshot. */
static void warm_up(void)
{
    warm_stack();
    memset(&sv, 0, sizeof sv);
    memset(thread_list, 0, sizeof thread_list);
    memset(proc_list, 0, sizeof proc_list);
    walk_files("/", true, false);
    clean_up_files();
    stop_everything();
    fflush(stdout);
}

int main(int argc, char **argv)
{
    char rerun[512];
    struct os_stats before;
    if (syscall(SYS_os_stats, &before) != 0) {
        fprintf(stderr, "fuzz: this runs on the os kernel only (it boots it as process 1)\n");
        return 2;
    }
    before = settled_stats();   /* what the boot freed lazily comes back first */
    parse_arguments(argc, argv, rerun, sizeof rerun);
    build_picks();
    printf("fuzz: seed %llu, %llu calls, %d processes x %d threads; rerun: %s\n", (unsigned long long)run.seed,
           (unsigned long long)run.calls, run.procs, run.threads, rerun);
    set_up_run();
    warm_up();
    for (int i = 0; i < run.procs; i++)
        sv.places[i].budget = run.calls / (uint64_t)run.procs + ((uint64_t)i < run.calls % (uint64_t)run.procs);
    before = settled_stats();   /* the warm-up's threads, ended on other CPUs, are freed first */
    sv.start_ms = now_ms();
    supervise();
    if (!stop_everything())
        fail("processes left that SIGKILL does not end");
    print_summary();
    clean_up_files();
    check_counters(&before);
    if (sv.failure[0])
        printf("fuzz: FAILED (%s)\n", sv.failure);
    else
        printf("fuzz: OK\n");
    fflush(stdout);
    return sv.failure[0] ? 1 : 0;
}
