/*
 * The host's side of bench's wake_idle_cpu row (docs/benchmarks.md): how
 * long a futex wake takes to reach a thread pinned to the other, idle
 * core of the machine QEMU runs on.  Same pattern as the guest row: the
 * sleeper waits, the waker sleeps 2 ms, reads the clock, wakes it, and
 * spins until the sleeper has written the time it woke.  Build and run on
 * the host (it is not a guest program):
 *
 *   gcc -O2 -pthread -o /tmp/host-wake-latency tools/host-wake-latency.c && /tmp/host-wake-latency
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WAKES       200
#define SETTLE_US   2000        /* as bench's WAKE_SETTLE_US */
#define NS_PER_US   1000L

static volatile int word;       /* 0: sleep; 1: wake up; 2: stop */
static volatile long woke_at;

static long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
        perror("sched_setaffinity");
        exit(1);
    }
}

static void *sleeper(void *arg)
{
    (void)arg;
    pin(1);
    for (;;) {
        while (word == 0)
            syscall(SYS_futex, &word, FUTEX_WAIT, 0, NULL, NULL, 0);
        long now = now_ns();
        if (word == 2)
            return NULL;
        word = 0;
        woke_at = now;
    }
}

static int compare(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    static long took[WAKES];
    pthread_t t;
    pin(0);
    pthread_create(&t, NULL, sleeper, NULL);
    for (int i = 0; i < WAKES; i++) {
        usleep(SETTLE_US);
        woke_at = 0;
        long start = now_ns();
        word = 1;
        syscall(SYS_futex, &word, FUTEX_WAKE, 1, NULL, NULL, 0);
        while (!woke_at)
            ;
        took[i] = woke_at - start;
    }
    qsort(took, WAKES, sizeof took[0], compare);
    printf("host wake of an idle core, us: p10 %ld, median %ld, p90 %ld, max %ld\n", took[WAKES / 10] / NS_PER_US,
           took[WAKES / 2] / NS_PER_US, took[WAKES * 9 / 10] / NS_PER_US, took[WAKES - 1] / NS_PER_US);
    word = 2;
    syscall(SYS_futex, &word, FUTEX_WAKE, 1, NULL, NULL, 0);
    pthread_join(t, NULL);
    return 0;
}
