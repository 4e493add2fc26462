/*
 * ps: one line per process: PID PPID STATE THREADS NAME, from our own
 * system call SYS_os_procs (abi/os.h).  On a kernel without it (Linux)
 * it reports the error and exits 1.
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
 * All processes into a malloc'ed array; their number, or -1 with errno set.
 * The call returns how many processes there are, filling at most capacity.
 */
static long read_processes(struct os_procinfo **result)
{
    size_t capacity = INITIAL_CAPACITY;
    for (;;) {
        struct os_procinfo *procs = malloc(capacity * sizeof *procs);
        if (!procs)
            return -1;
        long n = syscall(SYS_os_procs, procs, capacity);
        if (n < 0 || (size_t)n <= capacity) {
            *result = procs;
            return n;
        }
        free(procs);                /* more processes than room: ask again */
        capacity = (size_t)n * 2;
    }
}

int main(void)
{
    struct os_procinfo *procs = NULL;
    long n = read_processes(&procs);
    if (n < 0) {
        fprintf(stderr, "ps: cannot list processes: %s\n", strerror(errno));
        return 1;
    }
    printf("%5s %5s %-5s %7s %s\n", "PID", "PPID", "STATE", "THREADS", "NAME");
    for (long i = 0; i < n; i++)           /* read_processes made room for all n */
        printf("%5d %5d %-5c %7u %s\n", procs[i].pid, procs[i].ppid, procs[i].state,
               procs[i].threads, procs[i].name);
    free(procs);
    return 0;
}
