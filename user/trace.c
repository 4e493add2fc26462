/*
 * trace: the scheduler trace (SYS_os_trace, abi/os.h; docs/trace.md).
 *
 *   trace on | off | reset      record from now on, stop, or empty every CPU's ring
 *   trace dump                  what the rings hold, as text, and the thread table
 *   trace run PROG [ARGS...]    empty the rings and record while PROG runs (forked,
 *                               exec'ed and waited for), then dump between the lines
 *                               TRACE_BEGIN and TRACE_END; exits with PROG's status
 *
 * A dump is made of lines a script can split on spaces (tools/trace.sh):
 *
 *   trace: tsc_hz HZ cpus N capacity N       the clock and the rings
 *   trace: cpu C recorded N held N           one per CPU that recorded anything
 *   TSC C SEQ switch PREV_TID PREV_PID NEXT_TID NEXT_PID same|other yield|sleep|exit
 *   TSC C SEQ wake TID PID BY_TID BY_PID deadline|event
 *   TSC C SEQ cr3 PCID flush|noflush ROOT_PAGE
 *   TSC C SEQ new TID PID BY_TID BY_PID process|thread
 *   TSC C SEQ exec PID NAME
 *   TSC C SEQ migrate TID PID FROM_CPU TO_CPU      (and ipi-send, ipi-recv, shootdown)
 *   thread TID PID NAME                      the threads alive at the end (SYS_os_threads)
 *
 * Each CPU's events come oldest first.  Names of threads that ended before
 * the dump come from the new and exec events.
 */
#include <abi/os.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRACE_BEGIN "=== trace begin ==="
#define TRACE_END   "=== trace end ==="
#define MAX_THREADS 1024        /* entries of the thread table read at the end */
#define STATUS_SIGNALED 128     /* a shell's exit status for a death by signal: 128 + the signal */
#define STATUS_NO_EXEC  127     /* the program could not be run (as a shell says it) */

static long os_trace(int op, unsigned cpu, void *buf, size_t max)
{
    return syscall(SYS_os_trace, op, cpu, buf, max);
}

/* An event type's name and how many of its ids to print. */
struct event_kind {
    const char *name;
    int ids;
};

static const struct event_kind kinds[OS_TRACE_TYPES] = {
    [OS_TRACE_SWITCH] = { "switch", 4 },   [OS_TRACE_WAKE] = { "wake", 4 },
    [OS_TRACE_CR3] = { "cr3", 1 },         [OS_TRACE_NEW] = { "new", 4 },
    [OS_TRACE_EXEC] = { "exec", 1 },       [OS_TRACE_MIGRATE] = { "migrate", 4 },
    [OS_TRACE_IPI_SEND] = { "ipi-send", 2 }, [OS_TRACE_IPI_RECV] = { "ipi-recv", 2 },
    [OS_TRACE_SHOOTDOWN] = { "shootdown", 3 },
};

/* What follows an event's ids: its flags, or the rest of it, in words. */
static void print_tail(const struct os_trace_event *e)
{
    unsigned f = e->flags;
    switch (e->type) {
    case OS_TRACE_SWITCH:
        printf(" %s %s", f & OS_TRACE_SAME_PROCESS ? "same" : "other",
               f & OS_TRACE_PREV_EXITED ? "exit" : f & OS_TRACE_PREV_SLEEPS ? "sleep" : "yield");
        break;
    case OS_TRACE_WAKE:  printf(" %s", f & OS_TRACE_DEADLINE ? "deadline" : "event"); break;
    case OS_TRACE_CR3:   printf(" %s %x", f & OS_TRACE_FLUSH ? "flush" : "noflush", (unsigned)e->arg[1]); break;
    case OS_TRACE_NEW:   printf(" %s", f & OS_TRACE_NEW_PROCESS ? "process" : "thread"); break;
    case OS_TRACE_EXEC:  printf(" %.*s", OS_TRACE_NAME_MAX, e->exec.name); break;
    }
}

static void print_event(const struct os_trace_event *e)
{
    printf("%llu %u %u ", (unsigned long long)e->tsc, e->cpu, e->seq);
    int ids = OS_TRACE_ARGS;
    if (e->type < OS_TRACE_TYPES && kinds[e->type].name) {
        printf("%s", kinds[e->type].name);
        ids = kinds[e->type].ids;
    } else {
        printf("event-%u", e->type);        /* a type newer than this program */
    }
    for (int i = 0; i < ids; i++)
        printf(" %d", e->arg[i]);
    print_tail(e);
    printf("\n");
}

/* Print what CPU cpu's ring holds; -1 on error. */
static int dump_cpu(unsigned cpu, const struct os_trace_info *info, struct os_trace_event *buf)
{
    if (info->recorded == 0)
        return 0;
    long n = os_trace(OS_TRACE_READ, cpu, buf, info->capacity);
    if (n < 0)
        return -1;
    printf("trace: cpu %u recorded %llu held %ld\n", cpu, (unsigned long long)info->recorded, n);
    for (long i = 0; i < n; i++)
        print_event(&buf[i]);
    return 0;
}

/* The threads alive now: tid, pid, program. */
static void dump_threads(void)
{
    static struct os_threadinfo threads[MAX_THREADS];
    long n = syscall(SYS_os_threads, threads, (size_t)MAX_THREADS);
    for (long i = 0; i < n && i < MAX_THREADS; i++)
        printf("thread %d %d %s\n", threads[i].tid, threads[i].pid, threads[i].name);
}

static int dump(void)
{
    struct os_trace_info info;
    if (os_trace(OS_TRACE_INFO, 0, &info, 0) != 0) {
        perror("trace: SYS_os_trace");
        return 1;
    }
    struct os_trace_event *buf = malloc(info.capacity * sizeof *buf);
    if (!buf) {
        perror("trace: malloc");
        return 1;
    }
    printf("trace: tsc_hz %llu cpus %llu capacity %llu\n", (unsigned long long)info.tsc_hz,
           (unsigned long long)info.cpus, (unsigned long long)info.capacity);
    int err = 0;
    for (unsigned cpu = 0; cpu < info.cpus && !err; cpu++)
        err = os_trace(OS_TRACE_INFO, cpu, &info, 0) || dump_cpu(cpu, &info, buf);
    free(buf);
    dump_threads();
    if (err)
        perror("trace: reading the rings");
    return err;
}

/* Fork and exec argv[0], wait for it; its exit status, as a shell would give it. */
static int run(char **argv)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("trace: fork");
        return STATUS_NO_EXEC;
    }
    if (pid == 0) {
        execv(argv[0], argv);
        fprintf(stderr, "trace: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(STATUS_NO_EXEC);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            perror("trace: waitpid");
            return STATUS_NO_EXEC;
        }
    return WIFSIGNALED(status) ? STATUS_SIGNALED + WTERMSIG(status) : WEXITSTATUS(status);
}

static int trace_run(char **argv)
{
    if (os_trace(OS_TRACE_RESET, 0, NULL, 0) != 0 || os_trace(OS_TRACE_ON, 0, NULL, 0) != 0) {
        perror("trace: SYS_os_trace");
        return 1;
    }
    int status = run(argv);
    os_trace(OS_TRACE_OFF, 0, NULL, 0);
    fflush(stdout);
    printf("%s\n", TRACE_BEGIN);
    dump();
    printf("%s\n", TRACE_END);
    return status;
}

static int usage(void)
{
    fprintf(stderr, "usage: trace on | off | reset | dump | run PROG [ARGS...]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *cmd = argv[1];
    int op = -1;
    if (strcmp(cmd, "on") == 0)
        op = OS_TRACE_ON;
    else if (strcmp(cmd, "off") == 0)
        op = OS_TRACE_OFF;
    else if (strcmp(cmd, "reset") == 0)
        op = OS_TRACE_RESET;
    else if (strcmp(cmd, "dump") == 0 && argc == 2)
        return dump();
    else if (strcmp(cmd, "run") == 0 && argc > 2)
        return trace_run(argv + 2);
    if (op < 0 || argc != 2)
        return usage();
    if (os_trace(op, 0, NULL, 0) != 0) {
        perror("trace: SYS_os_trace");
        return 1;
    }
    return 0;
}
