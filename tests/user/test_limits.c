/*
 * Running out: memory, processes and descriptors exhausted on purpose.
 * The process that asks too much gets an error or dies of its own fault;
 * the kernel survives, and everything comes back once it is gone.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include "utest.h"

#define PAGE            4096
#define CHUNK_PAGES     256                 /* 1 MiB per mmap */
#define MAX_CHILDREN    100000

/* A child touches fresh memory until the kernel has no more: it must die of SIGSEGV, nothing else. */
static void memory_runs_out(void)
{
    struct os_stats before = utest_settled();
    pid_t pid = fork();
    if (pid == 0) {
        for (;;) {
            char *p = mmap(NULL, CHUNK_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED)
                _exit(3);       /* address space or areas ran out first: fine too */
            for (size_t i = 0; i < CHUNK_PAGES * PAGE; i += PAGE)
                p[i] = 1;
        }
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) || (WIFEXITED(status) && WEXITSTATUS(status) == 3),
          "status %#x", status);
    utest_expect_back(before);
    pid = fork();               /* and the system still works */
    if (pid == 0)
        _exit(7);
    CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 7, "fork after the exhaustion");
}

static pid_t children[MAX_CHILDREN];

/* A child forks until fork fails: the failure is an error code, and all of it comes back. */
static void processes_run_out(void)
{
    struct os_stats before = utest_settled();
    pid_t pid = fork();
    if (pid == 0) {
        int made = 0;
        for (; made < MAX_CHILDREN; made++) {
            pid_t c = fork();
            if (c == 0) {
                pause();
                _exit(0);
            }
            if (c < 0)
                break;
            children[made] = c;
        }
        int err = errno, reaped = 0;
        for (int i = 0; i < made; i++)
            kill(children[i], SIGKILL);
        for (int i = 0; i < made; i++)
            reaped += waitpid(children[i], NULL, 0) == children[i];
        _exit(made > 0 && reaped == made && (err == ENOMEM || err == EAGAIN) ? 0 : 1);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "fork did not fail cleanly, or the children were not all reaped: status %#x", status);
    struct os_stats after = utest_settled();   /* the last thread of a child ends a moment after wait4 */
    CHECK(after.processes == before.processes && after.threads == before.threads,
          "%lu processes and %lu threads, %lu and %lu before", (unsigned long)after.processes,
          (unsigned long)after.threads, (unsigned long)before.processes, (unsigned long)before.threads);
    utest_expect_back(before);
}

int main(void)
{
    RUN(memory_runs_out);
    RUN(processes_run_out);
    return utest_finish();
}
