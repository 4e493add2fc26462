/*
 * spin_demo: something for the scheduler trace to show (make trace,
 * docs/trace.md).  A process of two threads and its forked child, a
 * process of one, take turns: each spins for SPIN_US microseconds and
 * yields, ROUNDS times, and every NAP_EVERY rounds sleeps NAP_US instead of
 * yielding, so that wakes and idle time show too.  On the timeline the CPU
 * passes between the two threads of the parent (no CR3 write) and between
 * parent and child (a CR3 write each time).
 *
 *   spin_demo [ROUNDS]
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS_DEFAULT 6
#define ROUNDS_MAX     1000
#define SPIN_US        2000     /* 2 ms: long enough to see, well inside a 30 ms time slice */
#define NAP_EVERY      3
#define NAP_US         1000     /* the next tick ends it (10 ms): the others finish first, the CPU idles */
#define NS_PER_US      1000L
#define NS_PER_S       1000000000L

static int rounds = ROUNDS_DEFAULT;

static long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void spin(long us)
{
    long end = now_ns() + us * NS_PER_US;
    while (now_ns() < end)
        ;
}

static void nap(long us)
{
    struct timespec ts = { 0, us * NS_PER_US };
    nanosleep(&ts, NULL);
}

/* One worker's turns: spin, then yield (or, now and then, sleep). */
static void *work(void *arg)
{
    (void)arg;
    for (int i = 1; i <= rounds; i++) {
        spin(SPIN_US);
        if (i % NAP_EVERY == 0)
            nap(NAP_US);
        else
            sched_yield();
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        rounds = atoi(argv[1]);
    if (rounds < 1 || rounds > ROUNDS_MAX) {
        fprintf(stderr, "usage: spin_demo [ROUNDS: 1 to %d]\n", ROUNDS_MAX);
        return 2;
    }
    pid_t child = fork();
    if (child < 0) {
        perror("spin_demo: fork");
        return 1;
    }
    if (child == 0) {
        work(NULL);
        _exit(0);
    }
    pthread_t second;
    int err = pthread_create(&second, NULL, work, NULL);
    if (err != 0) {
        fprintf(stderr, "spin_demo: pthread_create failed (%d)\n", err);
        return 1;
    }
    work(NULL);
    pthread_join(second, NULL);
    int status;
    waitpid(child, &status, 0);
    printf("spin_demo: parent pid %d (two threads) and child pid %d, %d rounds each\n",
           getpid(), child, rounds);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
