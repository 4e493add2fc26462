/*
 * Synchronization on our libc, on the Linux host: mutexes (exact counts
 * under contention, trylock, the error-checking and recursive kinds,
 * timedlock), the promise that uncontended operations never enter the
 * kernel (checked under seccomp's strict mode, which kills a process at
 * its first futex call), condition variables (a bounded queue, timedwait,
 * broadcast), once, semaphores, barriers, read-write and spin locks; and
 * libc's own locks: malloc and stdio used by many threads at once, and
 * fork from a process whose other threads hold them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define THREADS         8
#define INCREMENTS      20000
#define QUEUE_SIZE      4
#define ITEMS           5000
#define PRODUCERS       3
#define CONSUMERS       3
#define TIMEOUT_NS      50000000L       /* 50 ms */
#define NSEC_PER_SEC    1000000000L
#define SYS_prctl       157             /* Linux's; our kernel has no seccomp: host only */
#define PR_SET_SECCOMP  22
#define SECCOMP_MODE_STRICT 1

static long elapsed_ns(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * NSEC_PER_SEC + (b->tv_nsec - a->tv_nsec);
}

/* now + ns on clock */
static struct timespec deadline_in(clockid_t clock, long ns)
{
    struct timespec t;
    clock_gettime(clock, &t);
    t.tv_nsec += ns;
    t.tv_sec += t.tv_nsec / NSEC_PER_SEC;
    t.tv_nsec %= NSEC_PER_SEC;
    return t;
}

/* Run fns in threads[n], join them all; 0 if any create or join failed. */
static int run_threads(int n, void *(*fn)(void *), void *arg)
{
    pthread_t t[THREADS * 2];
    int ok = 1;
    for (int i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, fn, arg) != 0)
            return 0;
    for (int i = 0; i < n; i++)
        ok &= pthread_join(t[i], NULL) == 0;
    return ok;
}

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *increment(void *arg)
{
    (void)arg;
    for (int i = 0; i < INCREMENTS; i++) {
        pthread_mutex_lock(&counter_lock);
        long v = counter;
        if (i % 1000 == 0)
            sched_yield();              /* hand the CPU over while holding the lock */
        counter = v + 1;
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

static int mutex_exact_count(void)
{
    counter = 0;
    CHECK(run_threads(THREADS, increment, NULL), "threads");
    CHECK(counter == (long)THREADS * INCREMENTS, "counter %ld, expected %ld", counter, (long)THREADS * INCREMENTS);
    CHECK(pthread_mutex_destroy(&counter_lock) == 0, "destroy of a free mutex");
    return 1;
}

static void *try_from_other_thread(void *arg)
{
    return (void *)(intptr_t)pthread_mutex_trylock(arg);
}

static int mutex_kinds(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    CHECK(pthread_mutex_trylock(&m) == 0, "trylock of a free mutex");
    CHECK(pthread_mutex_trylock(&m) == EBUSY, "trylock of a held mutex");
    CHECK(pthread_mutex_destroy(&m) == EBUSY, "destroy of a held mutex");
    CHECK(pthread_mutex_unlock(&m) == 0 && pthread_mutex_destroy(&m) == 0, "unlock, destroy");

    pthread_mutexattr_t attr;
    int type = -1;
    CHECK(pthread_mutexattr_init(&attr) == 0 && pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK) == 0 &&
          pthread_mutexattr_gettype(&attr, &type) == 0 && type == PTHREAD_MUTEX_ERRORCHECK, "errorcheck attr");
    CHECK(pthread_mutexattr_settype(&attr, 99) == EINVAL, "a bad type");
    CHECK(pthread_mutex_init(&m, &attr) == 0, "init");
    CHECK(pthread_mutex_unlock(&m) == EPERM, "unlock of a free error-checking mutex");
    CHECK(pthread_mutex_lock(&m) == 0 && pthread_mutex_lock(&m) == EDEADLK, "relock: EDEADLK");
    pthread_t t;
    void *result;
    CHECK(pthread_create(&t, NULL, try_from_other_thread, &m) == 0 && pthread_join(t, &result) == 0 &&
          (intptr_t)result == EBUSY, "trylock from another thread: %ld", (long)(intptr_t)result);
    CHECK(pthread_mutex_unlock(&m) == 0, "unlock");

    CHECK(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE) == 0 && pthread_mutex_init(&m, &attr) == 0,
          "recursive");
    CHECK(pthread_mutex_lock(&m) == 0 && pthread_mutex_lock(&m) == 0 && pthread_mutex_trylock(&m) == 0, "thrice");
    CHECK(pthread_mutex_unlock(&m) == 0 && pthread_mutex_unlock(&m) == 0, "unlock twice");
    CHECK(pthread_create(&t, NULL, try_from_other_thread, &m) == 0 && pthread_join(t, &result) == 0 &&
          (intptr_t)result == EBUSY, "still held once");
    CHECK(pthread_mutex_unlock(&m) == 0 && pthread_mutex_unlock(&m) == EPERM, "fully released");
    CHECK(pthread_create(&t, NULL, try_from_other_thread, &m) == 0 && pthread_join(t, &result) == 0 &&
          (intptr_t)result == 0, "another thread can take it now");
    pthread_mutexattr_destroy(&attr);
    return 1;
}

static int mutex_timedlock(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    struct timespec t0, t1, at = deadline_in(CLOCK_REALTIME, TIMEOUT_NS);
    CHECK(pthread_mutex_timedlock(&m, &at) == 0, "timedlock of a free mutex");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    at = deadline_in(CLOCK_REALTIME, TIMEOUT_NS);
    int err = pthread_mutex_timedlock(&m, &at);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(err == ETIMEDOUT, "timedlock of a held mutex: %d", err);
    CHECK(elapsed_ns(&t0, &t1) >= TIMEOUT_NS - 1000000, "gave up after %ld ns", elapsed_ns(&t0, &t1));
    struct timespec bad = { 0, NSEC_PER_SEC };
    CHECK(pthread_mutex_timedlock(&m, &bad) == EINVAL, "a bad deadline");
    CHECK(pthread_mutex_unlock(&m) == 0, "unlock");
    return 1;
}

static void *never_run(void *arg)
{
    return arg;
}

/*
 * In a child under seccomp strict mode (read, write, exit and sigreturn
 * only; anything else kills it with SIGKILL): uncontended locks, signals
 * with no waiter, posts with no waiter, once after the first.
 */
static void uncontended_work(void)
{
    static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    static pthread_mutex_t checked;
    static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    static sem_t s;
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&checked, &attr);
    sem_init(&s, 0, 0);
    pthread_self();                             /* sets up the thread record (a system call) */
    pthread_once(&once, (void (*)(void))sched_yield);
    void *stdout_buffered = malloc(64);         /* the heap exists before the filter */
    free(stdout_buffered);
    if (syscall(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0) != 0)
        _exit(2);
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
        if (pthread_mutex_trylock(&m) != 0)
            syscall(SYS_exit, 3);
        pthread_mutex_unlock(&m);
        pthread_mutex_lock(&checked);
        pthread_mutex_unlock(&checked);
        pthread_cond_signal(&c);
        pthread_cond_broadcast(&c);
        sem_post(&s);
        sem_wait(&s);
        pthread_once(&once, (void (*)(void))never_run);
        free(malloc(100));
    }
    __asm__ volatile("syscall" : : "a"(SYS_exit), "D"(0) : "rcx", "r11", "memory");   /* exit, not exit_group */
}

static int uncontended_stays_in_user_space(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        uncontended_work();
        _exit(4);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "status %#x (killed by SIGKILL: a system call was made)", status);
    return 1;
}

/* A bounded queue: producers wait while it is full, consumers while it is empty. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t not_full, not_empty;
    int items[QUEUE_SIZE];
    int head, count, produced, consumed;
    long sum;
    int max_count;
} queue = { .lock = PTHREAD_MUTEX_INITIALIZER, .not_full = PTHREAD_COND_INITIALIZER,
            .not_empty = PTHREAD_COND_INITIALIZER };

static void *producer(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&queue.lock);
        while (queue.count == QUEUE_SIZE && queue.produced < ITEMS)
            pthread_cond_wait(&queue.not_full, &queue.lock);
        if (queue.produced == ITEMS) {
            pthread_mutex_unlock(&queue.lock);
            return NULL;
        }
        int item = ++queue.produced;
        queue.items[(queue.head + queue.count) % QUEUE_SIZE] = item;
        if (++queue.count > queue.max_count)
            queue.max_count = queue.count;
        pthread_cond_signal(&queue.not_empty);
        pthread_mutex_unlock(&queue.lock);
    }
}

static void *consumer(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&queue.lock);
        while (queue.count == 0 && queue.consumed < ITEMS)
            pthread_cond_wait(&queue.not_empty, &queue.lock);
        if (queue.consumed == ITEMS) {
            pthread_cond_broadcast(&queue.not_empty);   /* wake the other consumers to finish */
            pthread_mutex_unlock(&queue.lock);
            return NULL;
        }
        queue.sum += queue.items[queue.head];
        queue.head = (queue.head + 1) % QUEUE_SIZE;
        queue.count--;
        if (++queue.consumed == ITEMS)
            pthread_cond_broadcast(&queue.not_empty);
        pthread_cond_signal(&queue.not_full);
        pthread_mutex_unlock(&queue.lock);
    }
}

static int cond_bounded_queue(void)
{
    pthread_t t[PRODUCERS + CONSUMERS];
    for (int i = 0; i < PRODUCERS + CONSUMERS; i++)
        CHECK(pthread_create(&t[i], NULL, i < PRODUCERS ? producer : consumer, NULL) == 0, "create");
    for (int i = 0; i < PRODUCERS + CONSUMERS; i++)
        CHECK(pthread_join(t[i], NULL) == 0, "join");
    CHECK(queue.consumed == ITEMS && queue.sum == (long)ITEMS * (ITEMS + 1) / 2,
          "consumed %d items summing to %ld", queue.consumed, queue.sum);
    CHECK(queue.max_count <= QUEUE_SIZE && queue.max_count > 0, "the queue held up to %d", queue.max_count);
    return 1;
}

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate = PTHREAD_COND_INITIALIZER;
static int gate_open, gate_waiting, gate_passed;

static void *wait_at_gate(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&gate_lock);
    gate_waiting++;
    while (!gate_open)
        pthread_cond_wait(&gate, &gate_lock);
    gate_passed++;
    pthread_mutex_unlock(&gate_lock);
    return NULL;
}

static int cond_timedwait_and_broadcast(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    struct timespec t0, t1;
    pthread_mutex_lock(&m);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct timespec at = deadline_in(CLOCK_REALTIME, TIMEOUT_NS);
    int err;
    while ((err = pthread_cond_timedwait(&c, &m, &at)) == 0)
        ;                               /* spurious wake-ups are allowed */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(err == ETIMEDOUT, "timedwait: %d", err);
    CHECK(elapsed_ns(&t0, &t1) >= TIMEOUT_NS - 1000000, "timed out after %ld ns", elapsed_ns(&t0, &t1));
    CHECK(pthread_mutex_trylock(&m) == EBUSY, "the mutex is held again after the timeout");
    struct timespec bad = { 0, -1 };
    CHECK(pthread_cond_timedwait(&c, &m, &bad) == EINVAL, "a bad deadline");

    pthread_condattr_t attr;
    clockid_t clock = -1;
    CHECK(pthread_condattr_init(&attr) == 0 && pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
          pthread_condattr_getclock(&attr, &clock) == 0 && clock == CLOCK_MONOTONIC, "condattr clock");
    CHECK(pthread_cond_init(&c, &attr) == 0, "init with CLOCK_MONOTONIC");
    at = deadline_in(CLOCK_MONOTONIC, TIMEOUT_NS);
    while ((err = pthread_cond_timedwait(&c, &m, &at)) == 0)
        ;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(err == ETIMEDOUT && elapsed_ns(&at, &t1) >= 0, "monotonic timedwait: %d", err);
    pthread_mutex_unlock(&m);

    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, wait_at_gate, NULL) == 0, "create");
    for (;;) {
        pthread_mutex_lock(&gate_lock);
        int waiting = gate_waiting;
        pthread_mutex_unlock(&gate_lock);
        if (waiting == THREADS)
            break;
        usleep(1000);
    }
    usleep(10000);
    CHECK(gate_passed == 0, "nobody passes a closed gate");
    pthread_mutex_lock(&gate_lock);
    gate_open = 1;
    pthread_cond_broadcast(&gate);
    pthread_mutex_unlock(&gate_lock);
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_join(t[i], NULL) == 0, "join");
    CHECK(gate_passed == THREADS, "broadcast let %d of %d through", gate_passed, THREADS);
    return 1;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static volatile int once_finished;

static void init_once(void)
{
    usleep(20000);                      /* the others must wait for this */
    once_runs++;
    once_finished = 1;
}

static void *call_once(void *arg)
{
    pthread_once(&once, init_once);
    if (!once_finished)
        *(int *)arg = 1;                /* returned before init finished */
    return NULL;
}

static int once_runs_once(void)
{
    int early = 0;
    CHECK(run_threads(THREADS, call_once, &early), "threads");
    CHECK(once_runs == 1 && !early, "init ran %d times; someone returned early: %d", once_runs, early);
    CHECK(pthread_once(&once, init_once) == 0 && once_runs == 1, "again");
    return 1;
}

static sem_t slots, filled;
static int ring[QUEUE_SIZE], ring_in, ring_out;
static long ring_sum;
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;

static void *sem_producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        sem_wait(&slots);
        ring[ring_in++ % QUEUE_SIZE] = i;
        sem_post(&filled);
    }
    return NULL;
}

static void *sem_consumer(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITEMS; i++) {
        sem_wait(&filled);
        pthread_mutex_lock(&ring_lock);
        ring_sum += ring[ring_out++ % QUEUE_SIZE];
        pthread_mutex_unlock(&ring_lock);
        sem_post(&slots);
    }
    return NULL;
}

static int semaphores(void)
{
    sem_t s;
    int value = -1;
    CHECK(sem_init(&s, 0, 2) == 0 && sem_getvalue(&s, &value) == 0 && value == 2, "init 2");
    CHECK(sem_trywait(&s) == 0 && sem_trywait(&s) == 0, "trywait twice");
    errno = 0;
    CHECK(sem_trywait(&s) == -1 && errno == EAGAIN, "trywait at 0: errno %d", errno);
    struct timespec t0, t1, at = deadline_in(CLOCK_REALTIME, TIMEOUT_NS);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(sem_timedwait(&s, &at) == -1 && errno == ETIMEDOUT, "timedwait: errno %d", errno);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(elapsed_ns(&t0, &t1) >= TIMEOUT_NS - 1000000, "timed out after %ld ns", elapsed_ns(&t0, &t1));
    CHECK(sem_post(&s) == 0 && sem_timedwait(&s, &at) == 0, "timedwait with a count");
    errno = 0;
    CHECK(sem_init(&s, 0, (unsigned)SEM_VALUE_MAX + 1) == -1 && errno == EINVAL, "above SEM_VALUE_MAX");
    CHECK(sem_init(&s, 0, SEM_VALUE_MAX) == 0 && sem_post(&s) == -1 && errno == EOVERFLOW, "overflow");
    CHECK(sem_destroy(&s) == 0, "destroy");

    CHECK(sem_init(&slots, 0, QUEUE_SIZE) == 0 && sem_init(&filled, 0, 0) == 0, "init");
    pthread_t p, c;
    CHECK(pthread_create(&p, NULL, sem_producer, NULL) == 0 && pthread_create(&c, NULL, sem_consumer, NULL) == 0,
          "create");
    CHECK(pthread_join(p, NULL) == 0 && pthread_join(c, NULL) == 0, "join");
    CHECK(ring_sum == (long)ITEMS * (ITEMS + 1) / 2, "sum %ld", ring_sum);
    CHECK(sem_getvalue(&slots, &value) == 0 && value == QUEUE_SIZE, "slots back at %d", value);
    return 1;
}

static pthread_barrier_t barrier;
static int phase_counts[3];
static int serial_count;

static void *barrier_worker(void *arg)
{
    int *bad = arg;
    for (int phase = 0; phase < 3; phase++) {
        __atomic_add_fetch(&phase_counts[phase], 1, __ATOMIC_SEQ_CST);
        int r = pthread_barrier_wait(&barrier);
        if (r == PTHREAD_BARRIER_SERIAL_THREAD)
            __atomic_add_fetch(&serial_count, 1, __ATOMIC_SEQ_CST);
        else if (r != 0)
            *bad = 1;
        if (__atomic_load_n(&phase_counts[phase], __ATOMIC_SEQ_CST) != THREADS)
            *bad = 1;                   /* someone passed before everyone arrived */
    }
    return NULL;
}

static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static int readers_inside, rw_violations;
static long rw_value;

static void *rw_worker(void *arg)
{
    intptr_t writer = (intptr_t)arg;
    for (int i = 0; i < 2000; i++) {
        if (writer || i % 10 == 0) {
            pthread_rwlock_wrlock(&rwlock);
            if (readers_inside)
                rw_violations++;
            rw_value++;
            pthread_rwlock_unlock(&rwlock);
        } else {
            pthread_rwlock_rdlock(&rwlock);
            __atomic_add_fetch(&readers_inside, 1, __ATOMIC_SEQ_CST);
            sched_yield();
            __atomic_sub_fetch(&readers_inside, 1, __ATOMIC_SEQ_CST);
            pthread_rwlock_unlock(&rwlock);
        }
    }
    return NULL;
}

static pthread_spinlock_t spin;
static long spin_count;

static void *spin_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < INCREMENTS / 4; i++) {
        pthread_spin_lock(&spin);
        spin_count++;
        pthread_spin_unlock(&spin);
    }
    return NULL;
}

static int barriers_rwlocks_spinlocks(void)
{
    int bad = 0;
    CHECK(pthread_barrier_init(&barrier, NULL, 0) == EINVAL, "a barrier for 0 threads");
    CHECK(pthread_barrier_init(&barrier, NULL, THREADS) == 0, "barrier_init");
    CHECK(run_threads(THREADS, barrier_worker, &bad), "threads");
    CHECK(!bad && serial_count == 3, "barrier: bad %d, %d serial threads for 3 rounds", bad, serial_count);
    CHECK(pthread_barrier_destroy(&barrier) == 0, "destroy");

    pthread_t t[4];
    for (intptr_t i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, rw_worker, (void *)(intptr_t)(i == 0)) == 0, "create");
    for (int i = 0; i < 4; i++)
        CHECK(pthread_join(t[i], NULL) == 0, "join");
    CHECK(rw_violations == 0 && rw_value == 2000 + 3 * 200, "rwlock: %d violations, value %ld", rw_violations,
          rw_value);
    CHECK(pthread_rwlock_rdlock(&rwlock) == 0 && pthread_rwlock_rdlock(&rwlock) == 0, "two read locks");
    CHECK(pthread_rwlock_trywrlock(&rwlock) == EBUSY, "no writer while reading");
    CHECK(pthread_rwlock_unlock(&rwlock) == 0 && pthread_rwlock_unlock(&rwlock) == 0, "unlock both");
    CHECK(pthread_rwlock_trywrlock(&rwlock) == 0 && pthread_rwlock_tryrdlock(&rwlock) == EBUSY, "writer alone");
    CHECK(pthread_rwlock_unlock(&rwlock) == 0 && pthread_rwlock_unlock(&rwlock) == EPERM, "unlock once only");

    CHECK(pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE) == 0, "spin_init");
    CHECK(run_threads(4, spin_worker, NULL), "threads");
    CHECK(spin_count == INCREMENTS, "spin count %ld", spin_count);
    CHECK(pthread_spin_trylock(&spin) == 0 && pthread_spin_trylock(&spin) == EBUSY, "spin trylock");
    CHECK(pthread_spin_unlock(&spin) == 0 && pthread_spin_destroy(&spin) == 0, "spin unlock");
    return 1;
}

/* Many threads allocating, filling and checking blocks at once: the heap stays sane. */
static void *heap_worker(void *arg)
{
    uintptr_t seed = (uintptr_t)arg * 2654435761u + 1;
    unsigned char *blocks[32] = { 0 };
    size_t sizes[32] = { 0 };
    for (int round = 0; round < 4000; round++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        int slot = (int)((seed >> 33) % 32);
        if (blocks[slot]) {
            for (size_t i = 0; i < sizes[slot]; i++)
                if (blocks[slot][i] != (unsigned char)(slot + (uintptr_t)arg))
                    return (void *)1;
            free(blocks[slot]);
        }
        sizes[slot] = (seed >> 20) % 3000 + 1;
        if (round % 500 == 0)
            sizes[slot] += 200000;      /* now and then a block of its own mapping */
        blocks[slot] = malloc(sizes[slot]);
        if (!blocks[slot])
            return (void *)2;
        memset(blocks[slot], (unsigned char)(slot + (uintptr_t)arg), sizes[slot]);
    }
    for (int i = 0; i < 32; i++)
        free(blocks[i]);
    return NULL;
}

static int malloc_from_many_threads(void)
{
    pthread_t t[THREADS];
    for (intptr_t i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, heap_worker, (void *)i) == 0, "create");
    for (int i = 0; i < THREADS; i++) {
        void *result;
        CHECK(pthread_join(t[i], &result) == 0 && result == NULL, "thread %d: %s", i,
              result == (void *)1 ? "a block was overwritten" : "malloc failed");
    }
    return 1;
}

#define LINES_PER_THREAD 500
static FILE *shared_file;

static void *print_lines(void *arg)
{
    for (int i = 0; i < LINES_PER_THREAD; i++)
        fprintf(shared_file, "thread %ld line %d end\n", (long)(intptr_t)arg, i);
    return NULL;
}

/* Lines printed by many threads to one stream come out whole. */
static int stdio_from_many_threads(void)
{
    char path[] = "/tmp/libc-thread-stdio-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    shared_file = fdopen(fd, "w+");
    CHECK(shared_file != NULL, "fdopen");
    pthread_t t[THREADS];
    for (intptr_t i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, print_lines, (void *)i) == 0, "create");
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_join(t[i], NULL) == 0, "join");
    rewind(shared_file);
    int seen[THREADS] = { 0 }, lines = 0;
    char line[128];
    while (fgets(line, sizeof line, shared_file)) {
        long who;
        int n;
        char end[8];
        CHECK(sscanf(line, "thread %ld line %d %7s", &who, &n, end) == 3 && strcmp(end, "end") == 0 &&
              who >= 0 && who < THREADS && n == seen[who], "a torn or misordered line: %s", line);
        seen[who]++;
        lines++;
    }
    fclose(shared_file);
    unlink(path);
    CHECK(lines == THREADS * LINES_PER_THREAD, "%d lines", lines);
    return 1;
}

static volatile int hammering = 1;

static void *hammer_heap_and_stdio(void *arg)
{
    char buf[64];
    while (hammering) {
        free(malloc(100 + ((uintptr_t)arg % 7) * 50));
        snprintf(buf, sizeof buf, "%d", (int)(intptr_t)arg);
        fprintf(stderr, "%s", "");
    }
    return NULL;
}

static int prepare_calls, parent_calls, child_calls, order_ok = 1;
static void prepare_a(void) { if (prepare_calls++ % 2 != 1) order_ok = 0; }    /* registered first: runs last */
static void prepare_b(void) { if (prepare_calls++ % 2 != 0) order_ok = 0; }
static void parent_a(void) { parent_calls++; }
static void child_a(void) { child_calls++; }

/* fork while other threads hammer malloc and stdio: the child can use both, and is alone. */
static int fork_with_threads(void)
{
    CHECK(pthread_atfork(prepare_a, parent_a, child_a) == 0 && pthread_atfork(prepare_b, NULL, NULL) == 0, "atfork");
    pthread_t t[4];
    for (intptr_t i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, hammer_heap_and_stdio, (void *)i) == 0, "create");
    for (int round = 0; round < 50; round++) {
        fflush(stdout);
        pid_t pid = fork();
        CHECK(pid >= 0, "fork");
        if (pid == 0) {
            void *p = malloc(1000);
            char buf[32];
            snprintf(buf, sizeof buf, "%d", 42);
            pthread_t tt;
            int ok = p && strcmp(buf, "42") == 0 && child_calls == round + 1 &&
                     pthread_create(&tt, NULL, never_run, NULL) == 0 && pthread_join(tt, NULL) == 0 &&
                     pthread_join(t[0], NULL) == ESRCH;     /* the parent's threads are not here */
            free(p);
            _exit(ok ? 0 : 1);
        }
        int status;
        CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "round %d: child status %#x", round, status);
        child_calls++;                  /* keep the parent's count in step with what the child saw */
    }
    hammering = 0;
    for (int i = 0; i < 4; i++)
        CHECK(pthread_join(t[i], NULL) == 0, "join");
    CHECK(prepare_calls == 2 * 50 && parent_calls == 50 && order_ok, "atfork: %d prepares, %d parents, order %d",
          prepare_calls, parent_calls, order_ok);
    return 1;
}

int main(void)
{
    RUN(mutex_exact_count);
    RUN(mutex_kinds);
    RUN(mutex_timedlock);
    RUN(uncontended_stays_in_user_space);
    RUN(cond_bounded_queue);
    RUN(cond_timedwait_and_broadcast);
    RUN(once_runs_once);
    RUN(semaphores);
    RUN(barriers_rwlocks_spinlocks);
    RUN(malloc_from_many_threads);
    RUN(stdio_from_many_threads);
    RUN(fork_with_threads);
    return failures != 0;
}
