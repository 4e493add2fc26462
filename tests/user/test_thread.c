/*
 * Threads on our kernel (issue 6): pthreads from libc on clone and futex.
 * Mutual exclusion gives exact counts; join returns each thread's value;
 * threads share one heap and have their own stacks, TLS and errno; 300
 * create/join cycles and 48 threads at once; a bounded queue on condition
 * variables; semaphores, once and keys; join's errors; pthread_exit in
 * main versus exit in a thread; the kernel's thread list and the ps -T and
 * stat programs; futex calls and their errors; tgkill and exec in a
 * multi-threaded process; the switch counters (no CR3 write between
 * threads of one process, one per switch between processes); and at the
 * end every page is back.
 * Faults and kills of multi-threaded processes: test_thread_fault.c.
 */
#include <limits.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>
#include <abi/futex.h>
#include "uthread.h"

#define THREADS          8
#define INCREMENTS       20000
#define CYCLES           300
#define AT_ONCE          48
#define QUEUE_SIZE       4
#define ITEMS            2000
#define PRODUCERS        2
#define CONSUMERS        3
#define PING_ROUNDS      1000
#define STACKS_APART     (1 << 20)      /* default stacks are 8 MiB mappings: at least this far apart */
#define DETACHED_ROUNDS  50
#define TIMEOUT_NS       30000000L      /* 30 ms */
#define NSEC_PER_SEC     1000000000L

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *increment(void *arg)
{
    (void)arg;
    for (int i = 0; i < INCREMENTS; i++) {
        pthread_mutex_lock(&counter_lock);
        long v = counter;
        if (i % 2000 == 0)
            sched_yield();              /* switch away while holding the lock: others must wait */
        counter = v + 1;
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

static void mutex_counter_exact(void)
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        SPAWN(&t[i], increment, NULL);
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_join(t[i], NULL) == 0, "join %d", i);
    CHECK(counter == (long)THREADS * INCREMENTS, "counter %ld, expected %ld", counter, (long)THREADS * INCREMENTS);
}

static void *square_or_exit(void *arg)
{
    intptr_t i = (intptr_t)arg;
    if (i % 2)
        pthread_exit((void *)(i * i));  /* pthread_exit's value and a return's are the same to join */
    return (void *)(i * i);
}

static void join_returns_values(void)
{
    pthread_t t[THREADS];
    for (intptr_t i = 0; i < THREADS; i++)
        SPAWN(&t[i], square_or_exit, (void *)i);
    for (intptr_t i = THREADS - 1; i >= 0; i--) {      /* in the other order than created */
        void *result = NULL;
        CHECK(pthread_join(t[i], &result) == 0, "join %ld", (long)i);
        CHECK((intptr_t)result == i * i, "thread %ld returned %ld", (long)i, (long)(intptr_t)result);
    }
}

static __thread int tls_word = 5;

struct seen {
    char *block;                /* in: a block from another thread; out: a new one */
    void *local;                /* address of a local variable */
    void *errno_at;
    pid_t pid, tid;
    int tls_start, ok;
};

/* Check the block another thread filled, free it, and fill a new one. */
static void *use_heap(void *arg)
{
    struct seen *s = arg;
    int local = 1;
    s->ok = 1;
    for (int i = 0; s->block && i < 4096; i++)
        if (s->block[i] != (char)(i * 7))
            s->ok = 0;
    free(s->block);
    s->block = malloc(4096);
    for (int i = 0; s->block && i < 4096; i++)
        s->block[i] = (char)(i * 7);
    s->local = &local;
    s->errno_at = &errno;
    s->pid = getpid();
    s->tid = gettid();
    s->tls_start = tls_word;
    tls_word = 99;
    sched_yield();
    return (void *)(intptr_t)(local + (tls_word == 99));
}

static void one_heap_distinct_stacks(void)
{
    struct seen s[THREADS];
    pthread_t t[THREADS];
    char *block = malloc(4096);
    CHECK(block, "malloc");
    for (int i = 0; i < 4096; i++)
        block[i] = (char)(i * 7);
    for (int i = 0; i < THREADS; i++) {     /* one after the other: each gets the block of the one before */
        memset(&s[i], 0, sizeof s[i]);
        s[i].block = block;
        SPAWN(&t[i], use_heap, &s[i]);
        void *result;
        CHECK(pthread_join(t[i], &result) == 0 && (intptr_t)result == 2, "thread %d", i);
        CHECK(s[i].ok && s[i].block, "thread %d did not see the heap block of the thread before it", i);
        block = s[i].block;
    }
    free(block);
    CHECK(tls_word == 5, "main's TLS word was changed to %d", tls_word);
    /*
     * Now all at once, so that the stacks exist together.  Every block of
     * the first round is freed by now (each by the thread after it, the
     * last one above): the threads start without one.
     */
    for (int i = 0; i < THREADS; i++) {
        s[i].block = NULL;
        SPAWN(&t[i], use_heap, &s[i]);
    }
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_join(t[i], NULL) == 0, "join");
    int main_local;
    for (int i = 0; i < THREADS; i++) {
        free(s[i].block);
        CHECK(s[i].pid == getpid() && s[i].tid != getpid() && s[i].tid > 0, "thread %d: pid %d tid %d",
              i, s[i].pid, s[i].tid);
        CHECK(s[i].tls_start == 5, "thread %d: TLS started at %d", i, s[i].tls_start);
        CHECK(s[i].errno_at != (void *)&errno, "thread %d: errno at main's address", i);
        intptr_t from_main = (char *)s[i].local - (char *)&main_local;
        CHECK(from_main > STACKS_APART || from_main < -STACKS_APART, "thread %d's stack is %ld bytes from main's",
              i, (long)from_main);
        for (int j = 0; j < i; j++) {
            intptr_t apart = (char *)s[i].local - (char *)s[j].local;
            CHECK(apart > STACKS_APART || apart < -STACKS_APART, "stacks of threads %d and %d: %ld bytes apart",
                  i, j, (long)apart);
            CHECK(s[i].tid != s[j].tid && s[i].errno_at != s[j].errno_at, "threads %d and %d share tid or errno",
                  i, j);
        }
    }
}

static void *identity(void *arg)
{
    return arg;
}

static void create_join_cycles(void)
{
    for (intptr_t i = 0; i < CYCLES; i++) {
        pthread_t t;
        void *result;
        SPAWN(&t, identity, (void *)i);
        CHECK(pthread_join(t, &result) == 0 && (intptr_t)result == i, "cycle %ld", (long)i);
    }
}

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_arrived, gate_open;

static void *wait_at_gate(void *arg)
{
    pthread_mutex_lock(&gate_lock);
    gate_arrived++;
    pthread_cond_broadcast(&gate_cond);
    while (!gate_open)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
    return arg;
}

static void many_threads_at_once(void)
{
    static pthread_t t[AT_ONCE];
    for (intptr_t i = 0; i < AT_ONCE; i++)
        SPAWN(&t[i], wait_at_gate, (void *)i);
    pthread_mutex_lock(&gate_lock);
    while (gate_arrived < AT_ONCE)
        pthread_cond_wait(&gate_cond, &gate_lock);
    int listed = uthread_count(getpid(), 0, NULL);
    gate_open = 1;
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
    CHECK(listed == AT_ONCE + 1, "the kernel lists %d threads in this process, expected %d", listed, AT_ONCE + 1);
    for (intptr_t i = 0; i < AT_ONCE; i++) {
        void *result;
        CHECK(pthread_join(t[i], &result) == 0 && (intptr_t)result == i, "join %ld", (long)i);
    }
    CHECK(uthread_count(getpid(), 0, NULL) == 1, "threads left after the joins: %d", uthread_count(getpid(), 0, NULL));
}

/* A bounded queue: producers wait while it is full, consumers while it is empty. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t not_full, not_empty;
    int items[QUEUE_SIZE];
    int head, count, produced, consumed, max_count;
    long sum;
} queue = { .lock = PTHREAD_MUTEX_INITIALIZER, .not_full = PTHREAD_COND_INITIALIZER,
            .not_empty = PTHREAD_COND_INITIALIZER };

static void *producer(void *arg)
{
    for (;;) {
        pthread_mutex_lock(&queue.lock);
        while (queue.count == QUEUE_SIZE)
            pthread_cond_wait(&queue.not_full, &queue.lock);
        if (queue.produced == ITEMS) {
            pthread_mutex_unlock(&queue.lock);
            return arg;
        }
        queue.items[(queue.head + queue.count) % QUEUE_SIZE] = ++queue.produced;
        if (++queue.count > queue.max_count)
            queue.max_count = queue.count;
        pthread_cond_signal(&queue.not_empty);
        pthread_mutex_unlock(&queue.lock);
    }
}

static void *consumer(void *arg)
{
    for (;;) {
        pthread_mutex_lock(&queue.lock);
        while (queue.count == 0 && queue.consumed < ITEMS)
            pthread_cond_wait(&queue.not_empty, &queue.lock);
        if (queue.count == 0) {                         /* all consumed */
            pthread_cond_broadcast(&queue.not_empty);   /* let the other consumers see it */
            pthread_mutex_unlock(&queue.lock);
            return arg;
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

static void bounded_queue(void)
{
    pthread_t t[PRODUCERS + CONSUMERS];
    for (int i = 0; i < PRODUCERS + CONSUMERS; i++)
        SPAWN(&t[i], i < PRODUCERS ? producer : consumer, NULL);
    for (int i = 0; i < PRODUCERS + CONSUMERS; i++)
        CHECK(pthread_join(t[i], NULL) == 0, "join %d", i);
    CHECK(queue.consumed == ITEMS && queue.sum == (long)ITEMS * (ITEMS + 1) / 2,
          "consumed %d items summing to %ld, expected %d and %ld", queue.consumed, queue.sum, ITEMS,
          (long)ITEMS * (ITEMS + 1) / 2);
    CHECK(queue.max_count > 0 && queue.max_count <= QUEUE_SIZE, "the queue held up to %d", queue.max_count);
}

static long elapsed_ns(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * NSEC_PER_SEC + (b->tv_nsec - a->tv_nsec);
}

static struct timespec realtime_in(long ns)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += ns;
    t.tv_sec += t.tv_nsec / NSEC_PER_SEC;
    t.tv_nsec %= NSEC_PER_SEC;
    return t;
}

static sem_t sem_items, sem_slots;
static int ring[QUEUE_SIZE];
static long ring_sum;

static void *sem_producer(void *arg)
{
    for (int i = 1; i <= ITEMS; i++) {
        sem_wait(&sem_slots);
        ring[i % QUEUE_SIZE] = i;
        sem_post(&sem_items);
    }
    return arg;
}

static void *sem_consumer(void *arg)
{
    for (int i = 1; i <= ITEMS; i++) {
        sem_wait(&sem_items);
        ring_sum += ring[i % QUEUE_SIZE];
        sem_post(&sem_slots);
    }
    return arg;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;

static void run_once(void)
{
    sched_yield();
    once_runs++;
}

static pthread_key_t key;
static long destroyed;

static void destructor(void *value)
{
    __atomic_add_fetch(&destroyed, (long)(intptr_t)value, __ATOMIC_SEQ_CST);
}

static void *once_and_key(void *arg)
{
    pthread_once(&once, run_once);
    pthread_setspecific(key, arg);
    sched_yield();
    return pthread_getspecific(key);
}

/* Semaphores, timed waits, once and keys with destructors, on our kernel's futex. */
static void semaphores_once_keys(void)
{
    CHECK(sem_init(&sem_items, 0, 0) == 0 && sem_init(&sem_slots, 0, QUEUE_SIZE) == 0, "sem_init");
    pthread_t p, c;
    SPAWN(&p, sem_producer, NULL);
    SPAWN(&c, sem_consumer, NULL);
    CHECK(pthread_join(p, NULL) == 0 && pthread_join(c, NULL) == 0, "join");
    CHECK(ring_sum == (long)ITEMS * (ITEMS + 1) / 2, "semaphore ring: sum %ld", ring_sum);
    CHECK(sem_trywait(&sem_items) == -1 && errno == EAGAIN, "trywait on 0: errno %d", errno);

    struct timespec t0, t1, at = realtime_in(TIMEOUT_NS);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(sem_timedwait(&sem_items, &at) == -1 && errno == ETIMEDOUT, "sem_timedwait: errno %d", errno);
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    pthread_mutex_lock(&m);
    at = realtime_in(TIMEOUT_NS);
    int err;
    while ((err = pthread_cond_timedwait(&cv, &m, &at)) == 0)
        ;
    pthread_mutex_unlock(&m);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(err == ETIMEDOUT, "cond_timedwait: %d", err);
    CHECK(elapsed_ns(&t0, &t1) >= 2 * TIMEOUT_NS - 2000000, "two timeouts took %ld ns", elapsed_ns(&t0, &t1));

    CHECK(pthread_key_create(&key, destructor) == 0, "key_create");
    pthread_t t[THREADS];
    long expected = 0;
    for (intptr_t i = 0; i < THREADS; i++) {
        SPAWN(&t[i], once_and_key, (void *)(i + 1));
        expected += i + 1;
    }
    for (intptr_t i = 0; i < THREADS; i++) {
        void *result;
        CHECK(pthread_join(t[i], &result) == 0 && (intptr_t)result == i + 1, "thread %ld's key value", (long)i);
    }
    CHECK(once_runs == 1, "once ran %d times", once_runs);
    CHECK(destroyed == expected, "destructors saw %ld, expected %ld", destroyed, expected);
    CHECK(pthread_getspecific(key) == NULL, "main never set a value");
}

static void *wait_for_pipe(void *arg)
{
    char c;
    read(*(int *)arg, &c, 1);
    return NULL;
}

/* Never a hang or a crash: ESRCH for no such thread, EINVAL for a detached one, EDEADLK for itself. */
static void join_errors(void)
{
    pthread_t t;
    CHECK(pthread_join((pthread_t)987654321, NULL) == ESRCH, "joining a number that names no thread");
    CHECK(pthread_join(pthread_self(), NULL) == EDEADLK, "joining itself");
    SPAWN(&t, identity, NULL);
    CHECK(pthread_join(t, NULL) == 0, "join");
    CHECK(pthread_join(t, NULL) == ESRCH, "joining twice");
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    SPAWN(&t, wait_for_pipe, &fds[0]);
    CHECK(pthread_detach(t) == 0, "detach");
    CHECK(pthread_join(t, NULL) == EINVAL, "joining a detached thread");
    write(fds[1], "x", 1);
    close(fds[0]);
    close(fds[1]);
}

static volatile int detached_done;

static void *detached_body(void *arg)
{
    volatile char touch[3 * 4096];      /* a few stack pages that must come back */
    touch[0] = touch[sizeof touch - 1] = 1;
    __atomic_add_fetch(&detached_done, 1, __ATOMIC_SEQ_CST);
    return arg;
}

/* Detached threads unmap their own stacks: after a warm-up, every page comes back. */
static void detached_threads_free_stacks(void)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    CHECK(pthread_create(&t, &attr, detached_body, NULL) == 0, "create");
    while (detached_done < 1)
        sched_yield();
    struct timespec nap = { 0, 20000000 };
    nanosleep(&nap, NULL);
    uthread_count(getpid(), 0, NULL);   /* its buffer's pages are first touched here, not below */
    struct os_stats before = utest_settled();
    for (int i = 0; i < DETACHED_ROUNDS; i++)
        CHECK(pthread_create(&t, &attr, detached_body, NULL) == 0, "create %d", i);
    while (detached_done < DETACHED_ROUNDS + 1)
        sched_yield();
    for (int tries = 0; tries < 100 && uthread_count(getpid(), 0, NULL) > 1; tries++)
        nanosleep(&nap, NULL);          /* the last ones may be between munmap and exit */
    nanosleep(&nap, NULL);
    utest_expect_back(before);
    struct os_stats after = utest_stats();
    CHECK(after.threads == before.threads, "threads %lu, %lu before", (unsigned long)after.threads,
          (unsigned long)before.threads);
}

static int report[2];

static void *report_later(void *arg)
{
    struct timespec nap = { 0, 50000000 };
    nanosleep(&nap, NULL);
    write(report[1], arg, strlen(arg));
    return NULL;
}

static void *exit_nine(void *arg)
{
    (void)arg;
    struct timespec nap = { 0, 20000000 };
    nanosleep(&nap, NULL);
    exit(9);
}

static void *sleep_long(void *arg)
{
    sleep(1000);
    return arg;
}

/* pthread_exit in main leaves the others running; exit() in any thread ends them all. */
static void exit_versus_pthread_exit(void)
{
    CHECK(pipe(report) == 0, "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t t;
        pthread_create(&t, NULL, report_later, "alive");
        pthread_exit(NULL);
    }
    close(report[1]);
    char buf[16] = "";
    ssize_t n = read(report[0], buf, sizeof buf - 1);
    close(report[0]);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK(n == 5 && strcmp(buf, "alive") == 0, "the thread left running said \"%s\"", n > 0 ? buf : "");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "pthread_exit in main: status %#x", status);

    uint64_t threads_before = utest_threads_settled();    /* none of an earlier test still ending */
    pid = fork();
    if (pid == 0) {
        pthread_t t[3];
        pthread_create(&t[0], NULL, sleep_long, NULL);
        pthread_create(&t[1], NULL, sleep_long, NULL);
        pthread_create(&t[2], NULL, exit_nine, NULL);
        pthread_join(t[0], NULL);       /* never: exit(9) ends every thread */
        _exit(1);
    }
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 9, "exit(9) in a thread: status %#x", status);
    uint64_t threads_after = utest_threads_settled();
    CHECK(threads_after == threads_before, "threads %lu, %lu before",
          (unsigned long)threads_after, (unsigned long)threads_before);
}

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;

static void *lock_held(void *arg)
{
    pthread_mutex_lock(&held);
    pthread_mutex_unlock(&held);
    return arg;
}

/* SYS_os_threads: each thread of a process, where it sleeps and why. */
static void kernel_lists_threads(void)
{
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    pthread_t t[4];
    pthread_mutex_lock(&held);
    SPAWN(&t[0], lock_held, NULL);
    SPAWN(&t[1], lock_held, NULL);
    SPAWN(&t[2], wait_for_pipe, &fds[0]);
    SPAWN(&t[3], sleep_long, NULL);
    CHECK(uthread_wait_for(getpid(), 2, "futex", 10), "two threads asleep on the mutex: %d",
          uthread_count(getpid(), 'S', "futex"));
    CHECK(uthread_wait_for(getpid(), 1, "piperd", 10), "one reading the pipe");
    CHECK(uthread_wait_for(getpid(), 1, "sleep", 10), "one sleeping");
    static struct os_threadinfo list[UTHREAD_MAX_LISTED];
    long n = uthread_list(list);
    int mine = 0, running = 0;
    for (long i = 0; i < n; i++) {
        if (list[i].pid != getpid())
            continue;
        mine++;
        running += list[i].state == 'R';
        CHECK(strcmp(list[i].name, "test_thread") == 0, "thread %d's name is \"%s\"", list[i].tid, list[i].name);
        CHECK(list[i].runs > 0, "thread %d never ran", list[i].tid);
        if (list[i].tid == gettid())
            CHECK(list[i].state == 'R', "the caller is running: '%c'", list[i].state);
    }
    CHECK(mine == 5 && running == 1, "%d threads listed, %d running", mine, running);
    pthread_mutex_unlock(&held);
    write(fds[1], "x", 1);
    CHECK(pthread_join(t[0], NULL) == 0 && pthread_join(t[1], NULL) == 0 && pthread_join(t[2], NULL) == 0, "join");
    CHECK(pthread_detach(t[3]) == 0, "detach the sleeper");
}

static volatile int turn, go;

/* Two threads take turns: each waits (yielding) for its turn, then hands it over. */
static void *ping_pong(void *arg)
{
    int me = (int)(intptr_t)arg;
    while (!go)
        sched_yield();
    for (int i = 0; i < PING_ROUNDS; i++) {
        while (turn != me)
            sched_yield();
        turn = !me;
    }
    return NULL;
}

static struct os_switch_stats switch_stats(void)
{
    struct os_switch_stats s;
    memset(&s, 0, sizeof s);
    syscall(SYS_os_switch_stats, &s);
    return s;
}

/* Between threads of one process the kernel switches registers and stacks only: no CR3 write. */
static void thread_ping_pong_no_cr3(void)
{
    pthread_t a, b;
    utest_pin_to_cpu0();        /* on one CPU the partners must switch to take turns */
    SPAWN(&a, ping_pong, (void *)0);
    SPAWN(&b, ping_pong, (void *)1);
    CHECK(uthread_others_asleep(10), "other processes keep running");
    CHECK(syscall(SYS_os_reset_stats) == 0, "reset");
    go = 1;
    CHECK(pthread_join(a, NULL) == 0 && pthread_join(b, NULL) == 0, "join");
    struct os_switch_stats s = switch_stats();
    CHECK(s.same_process_switches >= PING_ROUNDS, "only %lu same-process switches for %d rounds",
          (unsigned long)s.same_process_switches, PING_ROUNDS);
    CHECK(s.cr3_writes == 0, "%lu CR3 writes in %lu switches (%lu same-process, %lu kernel-thread)",
          (unsigned long)s.cr3_writes, (unsigned long)s.switches, (unsigned long)s.same_process_switches,
          (unsigned long)s.kernel_thread_switches);
}

/* Between processes every switch activates the other address space: a CR3 write each. */
static void process_ping_pong_cr3(void)
{
    int start[2];
    utest_pin_to_cpu0();
    CHECK(pipe(start) == 0, "pipe");
    pid_t pids[2];
    for (int i = 0; i < 2; i++) {
        pids[i] = fork();
        CHECK(pids[i] >= 0, "fork");
        if (pids[i] == 0) {
            char c;
            read(start[0], &c, 1);
            for (int r = 0; r < PING_ROUNDS; r++)
                sched_yield();
            _exit(0);
        }
    }
    CHECK(uthread_wait_for(pids[0], 1, "piperd", 10) && uthread_wait_for(pids[1], 1, "piperd", 10),
          "both children wait for the start");
    CHECK(syscall(SYS_os_reset_stats) == 0, "reset");
    write(start[1], "go", 2);
    int status;
    for (int i = 0; i < 2; i++)
        CHECK(waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status) && WEXITSTATUS(status) == 0, "child");
    struct os_switch_stats s = switch_stats();
    uint64_t between = s.switches - s.same_process_switches - s.kernel_thread_switches;
    CHECK(s.switches >= PING_ROUNDS && s.cr3_writes >= PING_ROUNDS, "%lu switches and %lu CR3 writes for %d rounds",
          (unsigned long)s.switches, (unsigned long)s.cr3_writes, PING_ROUNDS);
    CHECK(s.cr3_writes >= between, "%lu CR3 writes for %lu switches between processes",
          (unsigned long)s.cr3_writes, (unsigned long)between);
    CHECK(s.cr3_writes == s.cr3_flushes + s.cr3_noflush, "CR3 writes %lu = %lu flushing + %lu keeping",
          (unsigned long)s.cr3_writes, (unsigned long)s.cr3_flushes, (unsigned long)s.cr3_noflush);
    if (!s.pcid_enabled)
        CHECK(s.cr3_noflush == 0, "no PCID but %lu no-flush CR3 writes", (unsigned long)s.cr3_noflush);
    close(start[0]);
    close(start[1]);
}

static long futex(volatile int *word, int op, int value, const struct timespec *timeout, int bitset)
{
    return syscall(SYS_futex, word, op, value, timeout, NULL, bitset);
}

static volatile int futex_word;

static void *wake_futex_later(void *arg)
{
    (void)arg;
    struct timespec nap = { 0, 20000000 };
    nanosleep(&nap, NULL);
    futex_word = 1;
    return (void *)futex(&futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, 0);
}

/* The futex calls as libc uses them, and their errors, straight from the kernel. */
static void futex_semantics(void)
{
    struct timespec t0, t1, relative = { 0, TIMEOUT_NS };
    CHECK(futex(&futex_word, FUTEX_WAIT_PRIVATE, 1, NULL, 0) == -1 && errno == EAGAIN, "a changed word: errno %d",
          errno);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(futex(&futex_word, FUTEX_WAIT, 0, &relative, 0) == -1 && errno == ETIMEDOUT, "relative timeout: errno %d",
          errno);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(elapsed_ns(&t0, &t1) >= TIMEOUT_NS, "woke after %ld ns of %ld", elapsed_ns(&t0, &t1), TIMEOUT_NS);
    struct timespec at = realtime_in(TIMEOUT_NS);
    CHECK(futex(&futex_word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &at, FUTEX_BITSET_MATCH_ANY) == -1 &&
          errno == ETIMEDOUT, "absolute timeout: errno %d", errno);
    clock_gettime(CLOCK_REALTIME, &t1);
    CHECK(elapsed_ns(&at, &t1) >= 0, "woke %ld ns before the deadline", -elapsed_ns(&at, &t1));
    CHECK(futex(&futex_word, FUTEX_WAIT_BITSET, 0, &at, 0) == -1 && errno == EINVAL, "bitset 0: errno %d", errno);
    CHECK(futex((volatile int *)((char *)&futex_word + 1), FUTEX_WAIT, 0, NULL, 0) == -1 && errno == EINVAL,
          "a misaligned word: errno %d", errno);
    CHECK(futex((volatile int *)0x10, FUTEX_WAIT, 0, NULL, 0) == -1 && errno == EFAULT, "an unmapped word: errno %d",
          errno);
    CHECK(futex(&futex_word, FUTEX_WAKE, 5, NULL, 0) == 0, "a wake with nobody asleep wakes 0");
    pthread_t t;
    SPAWN(&t, wake_futex_later, NULL);
    while (futex_word == 0)
        futex(&futex_word, FUTEX_WAIT_PRIVATE, 0, NULL, 0);
    void *woken;
    CHECK(pthread_join(t, &woken) == 0 && (long)woken == 1, "the wake woke %ld", (long)woken);
    futex_word = 0;
    CHECK(syscall(SYS_set_tid_address, NULL) == gettid(), "set_tid_address returns the tid");
}

/* A fatal signal sent to one thread (tgkill) ends the whole process. */
static void thread_directed_kill(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        pthread_t t[2];
        pthread_create(&t[0], NULL, sleep_long, NULL);
        pthread_create(&t[1], NULL, sleep_long, NULL);
        pthread_kill(t[1], SIGTERM);
        pthread_join(t[0], NULL);
        _exit(1);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
          "status %#x", status);
}

/* exec in a thread of a multi-threaded process: the other threads end, the new program runs alone. */
static void exec_ends_other_threads(void)
{
    uint64_t threads_before = utest_threads_settled();    /* none of an earlier test still ending */
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        pthread_t t[3];
        pthread_mutex_lock(&held);
        pthread_create(&t[0], NULL, sleep_long, NULL);
        pthread_create(&t[1], NULL, lock_held, NULL);
        pthread_create(&t[2], NULL, wait_for_pipe, &fds[0]);
        struct timespec nap = { 0, 20000000 };
        nanosleep(&nap, NULL);
        execv("/bin/helper_args", (char *[]){ "helper_args", "a", "b", NULL });
        _exit(100);
    }
    close(fds[0]);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3, "helper_args a b: status %#x", status);
    close(fds[1]);
    uint64_t threads_after = utest_threads_settled();
    CHECK(threads_after == threads_before, "%lu threads, %lu before", (unsigned long)threads_after,
          (unsigned long)threads_before);
}

/*
 * The end of a process (exit_group, exec) while a sibling is creating
 * threads in a loop, ROUNDS_OF_RACE times: each child starts a creator
 * thread, spins a little (longer each round), then ends its way; it must
 * end with the status that way gives.
 *
 * exit_group: on two CPUs the kill may reach a new thread between its
 * creation and its start.  It used to be woken then and queued a second
 * time when clone made it runnable (a dead thread ran again, or the run
 * queues broke).
 *
 * exec: it interrupts every other thread and waits for them to end, but a
 * clone already past that point used to add its thread anyway,
 * uninterrupted; that thread paused on and exec waited for it for ever
 * (found by the fuzzer on two CPUs).
 */
#define ROUNDS_OF_RACE  500
#define RACE_SPIN_MAX   20000
#define EXITED_WITH     7               /* exit_group's status */
#define EXEC_STATUS     3               /* helper_args a b exits with its argc */

static void *pauses(void *arg)
{
    pause();
    return arg;
}

static void *creates_threads(void *body)
{
    for (;;) {
        pthread_t t;
        if (pthread_create(&t, NULL, (void *(*)(void *))body, NULL) == 0)
            pthread_detach(t);
    }
    return NULL;
}

static void end_by_exit(void)
{
    exit(EXITED_WITH);
}

static void end_by_exec(void)
{
    execv("/bin/helper_args", (char *[]){ "helper_args", "a", "b", NULL });
    _exit(100);
}

static void end_while_creating(void *(*body)(void *), void (*end)(void), int status_expected)
{
    for (int round = 0; round < ROUNDS_OF_RACE; round++) {
        pid_t pid = fork();
        CHECK(pid >= 0, "fork");
        if (pid == 0) {
            pthread_t t;
            pthread_create(&t, NULL, creates_threads, (void *)body);
            for (volatile int spin = 0; spin < (round * 97) % RACE_SPIN_MAX; spin++)
                ;
            end();
        }
        int status;
        CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == status_expected,
              "round %d: status %#x", round, status);
    }
}

static void exit_group_while_creating(void)
{
    end_while_creating(identity, end_by_exit, EXITED_WITH);
}

static void exec_while_creating(void)
{
    end_while_creating(pauses, end_by_exec, EXEC_STATUS);
}

/*
 * fork in one thread while another reaps every child at once: on several
 * CPUs a child can run, exit and be reaped before fork has returned in
 * the parent, and fork used to read the child's pid from the freed
 * process then (a page fault in the release build, garbage in the debug
 * one).  Every pid fork returned must be one the reaper reaped.
 */
#define FORKS_WHILE_REAPING 300

static volatile int reaped_count;
static pid_t reaped_pids[FORKS_WHILE_REAPING];

static void *reap_everything(void *arg)
{
    (void)arg;
    while (reaped_count < FORKS_WHILE_REAPING) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid > 0)
            reaped_pids[reaped_count++] = pid;
    }
    return NULL;
}

static int compare_pids(const void *a, const void *b)
{
    pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
    return (x > y) - (x < y);
}

static void fork_while_sibling_reaps(void)
{
    static pid_t forked[FORKS_WHILE_REAPING];
    pthread_t reaper;
    CHECK(pthread_create(&reaper, NULL, reap_everything, NULL) == 0, "pthread_create");
    for (int i = 0; i < FORKS_WHILE_REAPING; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        CHECK(pid > 0, "fork %d: %s", i, strerror(errno));
        forked[i] = pid;
    }
    CHECK(pthread_join(reaper, NULL) == 0, "join");
    qsort(forked, FORKS_WHILE_REAPING, sizeof forked[0], compare_pids);
    qsort(reaped_pids, FORKS_WHILE_REAPING, sizeof reaped_pids[0], compare_pids);
    for (int i = 0; i < FORKS_WHILE_REAPING; i++)
        CHECK(forked[i] == reaped_pids[i], "fork returned %d, the reaper reaped %d", forked[i], reaped_pids[i]);
}

/* Run program with argv, its stdout into out (NUL-terminated); its wait status, or -1. */
static int capture(const char *program, char *const argv[], char *out, size_t size)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv(program, argv);
        _exit(127);
    }
    close(fds[1]);
    size_t used = 0;
    ssize_t n;
    while (used < size - 1 && (n = read(fds[0], out + used, size - 1 - used)) > 0)
        used += (size_t)n;
    out[used] = '\0';
    close(fds[0]);
    int status = -1;
    return waitpid(pid, &status, 0) == pid ? status : -1;
}

/* ps -T lists this process's threads under their header; stat -r zeroes the counters it prints. */
static void ps_threads_and_stat(void)
{
    static char out[16384];
    pthread_t t;
    SPAWN(&t, sleep_long, NULL);
    CHECK(uthread_wait_for(getpid(), 1, "sleep", 10), "the thread never slept");
    int status = capture("/bin/ps", (char *[]){ "ps", "-T", NULL }, out, sizeof out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "ps -T: status %#x", status);
    CHECK(strncmp(out, "  TID   PID STATE CPU WAIT", 26) == 0 && strstr(out, "RUNS") && strstr(out, "TICKS"),
          "ps -T header: %.60s", out);
    int mine = 0, sleeping = 0;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    for (char *line = strchr(out, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        int tid, pid;
        unsigned cpu;
        char state, wait[16], name[40];
        unsigned long long runs, ticks;
        CHECK(sscanf(line + 1, "%d %d %c %u %15s %llu %llu %39s", &tid, &pid, &state, &cpu, wait, &runs, &ticks,
                     name) == 8, "a ps -T line: %.60s", line + 1);
        CHECK(cpu < (unsigned)cpus, "ps -T: thread %d on CPU %u of %ld", tid, cpu, cpus);
        if (pid == getpid()) {
            mine++;
            sleeping += state == 'S' && strcmp(wait, "sleep") == 0 && tid != gettid();
            CHECK(strcmp(name, "test_thread") == 0, "name %s", name);
        }
    }
    CHECK(mine == 2 && sleeping == 1, "ps -T shows %d threads of ours, %d asleep in sleep", mine, sleeping);
    CHECK(pthread_detach(t) == 0, "detach");

    status = capture("/bin/stat", (char *[]){ "stat", "-r", NULL }, out, sizeof out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "stat -r: status %#x", status);
    unsigned long long switches = ~0ull;
    char *row = strstr(out, "context switches");
    CHECK(row && sscanf(row, "context switches %llu", &switches) == 1, "stat's table: %.80s", out);
    CHECK(switches < 100, "%llu switches right after the reset", switches);
    CHECK(strstr(out, "CR3 writes") && strstr(out, "within one process") && strstr(out, "PCID") &&
          strstr(out, "shootdown IPIs") && strstr(out, "needed no IPI"), "stat's rows: %s", out);
    /* Then one line per CPU, numbered from 0, after the per-CPU header. */
    char *line = strstr(out, "\nCPU ");
    CHECK(line != NULL, "stat's per-CPU table: %s", out);
    for (long cpu = 0; cpu < cpus; cpu++) {
        unsigned long long number = ~0ull;
        line = strchr(line + 1, '\n');
        CHECK(line && sscanf(line + 1, "%llu", &number) == 1 && number == (unsigned long long)cpu,
              "stat: no line for CPU %ld: %s", cpu, out);
    }
}

/* A thread workload in a child, so that first-use allocations are behind the leak check. */
static void warm_up(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t t[4];
        for (int i = 0; i < 4; i++)
            pthread_create(&t[i], NULL, increment, NULL);
        for (int i = 0; i < 4; i++)
            pthread_join(t[i], NULL);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

/* ---- cancellation ---- */

static volatile int cleanup_ran;

static void note_cleanup(void *arg)
{
    (void)arg;
    cleanup_ran++;
}

static void *sleeper_forever(void *arg)
{
    (void)arg;
    pthread_cleanup_push(note_cleanup, NULL);
    for (;;)
        sleep(1);               /* a cancellation point */
    pthread_cleanup_pop(0);
    return NULL;
}

static void *spinner_testing(void *arg)
{
    volatile unsigned long *loops = arg;
    for (;;) {
        (*loops)++;
        pthread_testcancel();
    }
    return NULL;
}

static volatile int disabled_done;

static void *cancel_disabled(void *arg)
{
    (void)arg;
    int old;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
    struct timespec ts = { 0, 50 * 1000 * 1000 };
    nanosleep(&ts, NULL);       /* a point, but cancellation is off: it sleeps on */
    disabled_done = 1;
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
    pthread_testcancel();       /* now it goes */
    return (void *)1;
}

static pthread_mutex_t cancel_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static void unlock_cancel_lock(void *arg)
{
    (void)arg;
    pthread_mutex_unlock(&cancel_lock);
}

static void *waits_on_cond(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&cancel_lock);
    pthread_cleanup_push(unlock_cancel_lock, NULL);    /* the mutex is held again when it runs */
    for (;;)
        pthread_cond_wait(&never, &cancel_lock);
    pthread_cleanup_pop(1);
    return NULL;
}

static void *async_spinner(void *arg)
{
    volatile unsigned long *loops = arg;
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    for (;;)
        (*loops)++;             /* no cancellation point at all */
    return NULL;
}

static void pause_ms_thread(long ms)
{
    struct timespec ts = { 0, ms * 1000 * 1000 };
    nanosleep(&ts, NULL);
}

static void cancellation(void)
{
    pthread_t t;
    void *result;
    cleanup_ran = 0;
    CHECK(pthread_create(&t, NULL, sleeper_forever, NULL) == 0, "create");
    pause_ms_thread(20);
    CHECK(pthread_cancel(t) == 0, "pthread_cancel");
    CHECK(pthread_join(t, &result) == 0 && result == PTHREAD_CANCELED, "a sleeper: join gave %p", result);
    CHECK(cleanup_ran == 1, "its cleanup handler ran %d times", (int)cleanup_ran);

    volatile unsigned long loops = 0;
    CHECK(pthread_create(&t, NULL, spinner_testing, (void *)&loops) == 0, "create");
    while (loops < 1000)
        sched_yield();
    pthread_cancel(t);
    CHECK(pthread_join(t, &result) == 0 && result == PTHREAD_CANCELED, "pthread_testcancel: %p", result);

    disabled_done = 0;
    CHECK(pthread_create(&t, NULL, cancel_disabled, NULL) == 0, "create");
    pause_ms_thread(10);
    pthread_cancel(t);
    CHECK(pthread_join(t, &result) == 0 && result == PTHREAD_CANCELED && disabled_done,
          "cancel while disabled: %p, done %d", result, (int)disabled_done);

    CHECK(pthread_create(&t, NULL, waits_on_cond, NULL) == 0, "create");
    pause_ms_thread(20);
    pthread_cancel(t);
    CHECK(pthread_join(t, &result) == 0 && result == PTHREAD_CANCELED, "cond wait: %p", result);
    CHECK(pthread_mutex_trylock(&cancel_lock) == 0, "the cond waiter's cleanup did not unlock the mutex");
    pthread_mutex_unlock(&cancel_lock);

    loops = 0;
    CHECK(pthread_create(&t, NULL, async_spinner, (void *)&loops) == 0, "create");
    while (loops < 1000)
        sched_yield();
    pthread_cancel(t);
    CHECK(pthread_join(t, &result) == 0 && result == PTHREAD_CANCELED, "asynchronous: %p", result);

    CHECK(pthread_cancel(t) == ESRCH, "cancel of a joined thread");
    CHECK(pthread_setcancelstate(7, NULL) == EINVAL, "a bad cancel state");
}

int main(void)
{
    warm_up();
    struct os_stats start = utest_settled();
    RUN(mutex_counter_exact);
    RUN(join_returns_values);
    RUN(one_heap_distinct_stacks);
    RUN(create_join_cycles);
    RUN(many_threads_at_once);
    RUN(bounded_queue);
    RUN(semaphores_once_keys);
    RUN(join_errors);
    RUN(detached_threads_free_stacks);
    RUN(exit_versus_pthread_exit);
    RUN(kernel_lists_threads);
    RUN(ps_threads_and_stat);
    RUN(futex_semantics);
    RUN(thread_directed_kill);
    RUN(exec_ends_other_threads);
    RUN(exit_group_while_creating);
    RUN(exec_while_creating);
    RUN(fork_while_sibling_reaps);
    RUN(thread_ping_pong_no_cr3);
    RUN(process_ping_pong_cr3);
    RUN(cancellation);
    utest_pages_back("threads_leak_nothing", start);
    return utest_finish();
}
