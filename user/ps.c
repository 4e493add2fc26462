/*
 * ps: one line per process: PID PPID STATE THREADS NAME, from our own
 * system call SYS_os_procs (abi/os.h).  ps -T: one line per thread
 * instead: TID PID STATE CPU WAIT RUNS TICKS NAME, from SYS_os_threads, where
 * CPU is the CPU it runs on (state R), is queued on (r) or last ran on (S), WAIT is why a sleeping thread sleeps ("futex", "piperd", ...), RUNS how
 * often it was switched to and TICKS the timer ticks that found it
 * running.  On a kernel without these calls (Linux) it reports the error
 * and exits 1.
 */
#include <abi/os.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define INITIAL_CAPACITY 64

/*
 * The whole list of call (SYS_os_procs or SYS_os_threads) into a malloc'ed
 * array of elements of size bytes; their number, or -1 with errno set.
 * The call returns how many there are, filling at most capacity.
 */
static long read_list(long call, size_t size, void **result)
{
    size_t capacity = INITIAL_CAPACITY;
    for (;;) {
        void *list = malloc(capacity * size);
        if (!list)
            return -1;
        long n = syscall(call, list, capacity);
        if (n < 0 || (size_t)n <= capacity) {
            *result = list;
            return n;
        }
        free(list);                 /* more than room: ask again */
        capacity = (size_t)n * 2;
    }
}

static int list_processes(void)
{
    struct os_procinfo *procs = NULL;
    long n = read_list(SYS_os_procs, sizeof *procs, (void **)&procs);
    if (n < 0) {
        fprintf(stderr, "ps: cannot list processes: %s\n", strerror(errno));
        return 1;
    }
    printf("%5s %5s %-5s %7s %s\n", "PID", "PPID", "STATE", "THREADS", "NAME");
    for (long i = 0; i < n; i++)            /* read_list made room for all n */
        printf("%5d %5d %-5c %7u %s\n", procs[i].pid, procs[i].ppid, procs[i].state,
               procs[i].threads, procs[i].name);
    free(procs);
    return 0;
}

static int list_threads(void)
{
    struct os_threadinfo *threads = NULL;
    long n = read_list(SYS_os_threads, sizeof *threads, (void **)&threads);
    if (n < 0) {
        fprintf(stderr, "ps: cannot list threads: %s\n", strerror(errno));
        return 1;
    }
    printf("%5s %5s %-5s %3s %-8s %8s %8s %s\n", "TID", "PID", "STATE", "CPU", "WAIT", "RUNS", "TICKS",
           "NAME");
    for (long i = 0; i < n; i++)
        printf("%5d %5d %-5c %3u %-8s %8llu %8llu %s\n", threads[i].tid, threads[i].pid, threads[i].state,
               threads[i].cpu, threads[i].wait[0] ? threads[i].wait : "-", (unsigned long long)threads[i].runs,
               (unsigned long long)threads[i].cpu_ticks, threads[i].name);
    free(threads);
    return 0;
}

int main(int argc, char **argv)
{
    int threads = 0, opt;
    while ((opt = getopt(argc, argv, "T")) != -1) {
        if (opt != 'T') {
            fprintf(stderr, "usage: ps [-T]\n");
            return 2;
        }
        threads = 1;
    }
    return threads ? list_threads() : list_processes();
}
