/*
 * Threads on our libc (libc/thread/), run on the Linux host: creation and
 * join with results, per-thread errno and TLS, stacks with a guard page and
 * the requested size, the errors of join and detach, detached threads that
 * free their stacks, pthread_exit in main versus exit in a thread, keys
 * with destructors, cleanup handlers, attributes.  Each test that ends a
 * process runs in a forked child.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define THREADS         8
#define MANY_CYCLES     300
#define DETACHED_ROUNDS 200
#define SMALL_STACK     (64 * 1024)
#define PAGE            4096

static __thread int tls_value = 7;
static __thread char tls_big[1000];

static void *thread_pointer(void)
{
    void *tp;
    __asm__("mov %%fs:0, %0" : "=r"(tp));
    return tp;
}

/* Each thread: its own TLS copy starting from the template, its own errno, its own tid. */
struct probe {
    int index;
    int tls_start, errno_seen, big_zero;
    pid_t tid;
    void *tp, *local, *errno_at;
};

static void *probe_thread(void *arg)
{
    struct probe *p = arg;
    int local = 0;
    p->tls_start = tls_value;
    tls_value = 100 + p->index;
    p->big_zero = tls_big[0] == 0 && tls_big[sizeof tls_big - 1] == 0;
    tls_big[0] = (char)p->index;
    errno = 0;
    close(-1 - p->index);       /* EBADF in this thread only */
    sched_yield();
    p->errno_seen = errno;
    p->errno_at = &errno;
    p->tid = gettid();
    p->tp = thread_pointer();
    p->local = &local;
    if (tls_value != 100 + p->index)
        p->tls_start = -1;
    return (void *)(intptr_t)(p->index * 10);
}

static int create_join_values(void)
{
    pthread_t t[THREADS];
    struct probe probes[THREADS];
    errno = ENOENT;
    for (int i = 0; i < THREADS; i++) {
        memset(&probes[i], 0, sizeof probes[i]);
        probes[i].index = i;
        CHECK(pthread_create(&t[i], NULL, probe_thread, &probes[i]) == 0, "create %d", i);
    }
    for (int i = 0; i < THREADS; i++) {
        void *result = NULL;
        CHECK(pthread_join(t[i], &result) == 0, "join %d", i);
        CHECK((intptr_t)result == i * 10, "thread %d returned %ld", i, (long)(intptr_t)result);
    }
    CHECK(errno == ENOENT, "main's errno was changed by the threads: %d", errno);
    CHECK(tls_value == 7, "main's TLS copy was changed: %d", tls_value);
    for (int i = 0; i < THREADS; i++) {
        struct probe *p = &probes[i];
        CHECK(p->tls_start == 7 && p->big_zero, "thread %d: TLS started %d, big zero %d", i, p->tls_start, p->big_zero);
        CHECK(p->errno_seen == EBADF, "thread %d: errno %d", i, p->errno_seen);
        CHECK(p->tid > 0 && p->tid != getpid(), "thread %d: tid %d", i, p->tid);
        CHECK(p->tp && p->tp != thread_pointer(), "thread %d: thread pointer %p", i, p->tp);
        CHECK(p->errno_at != &errno, "thread %d: errno at main's address", i);
        for (int j = 0; j < i; j++) {
            CHECK(p->tid != probes[j].tid, "threads %d and %d share tid %d", i, j, p->tid);
            CHECK(p->tp != probes[j].tp && p->errno_at != probes[j].errno_at, "threads %d and %d share TLS", i, j);
            intptr_t distance = (char *)p->local - (char *)probes[j].local;
            CHECK(distance > SMALL_STACK || distance < -SMALL_STACK,
                  "stacks of %d and %d are %ld bytes apart", i, j, (long)distance);
        }
    }
    return 1;
}

static void *return_self(void *arg)
{
    (void)arg;
    return (void *)pthread_self();
}

static int self_and_equal(void)
{
    pthread_t t, main_id = pthread_self();
    void *result;
    CHECK(pthread_equal(main_id, pthread_self()), "pthread_self is stable");
    CHECK(pthread_create(&t, NULL, return_self, NULL) == 0, "create");
    CHECK(pthread_join(t, &result) == 0, "join");
    CHECK(pthread_equal((pthread_t)result, t) && !pthread_equal(t, main_id), "the thread saw itself as %lu, not %lu",
          (unsigned long)result, (unsigned long)t);
    return 1;
}

static void *nothing(void *arg)
{
    return arg;
}

static int many_cycles(void)
{
    for (int i = 0; i < MANY_CYCLES; i++) {
        pthread_t t;
        void *result;
        CHECK(pthread_create(&t, NULL, nothing, (void *)(intptr_t)i) == 0, "create %d", i);
        CHECK(pthread_join(t, &result) == 0 && (intptr_t)result == i, "join %d", i);
    }
    return 1;
}

static void *wait_on_pipe(void *arg)
{
    char c;
    read(*(int *)arg, &c, 1);
    return NULL;
}

static void *sleep_then_exit(void *arg)
{
    usleep(20000);
    return arg;
}

/* ESRCH for a thread that does not exist or was joined; EINVAL for a detached one; EDEADLK for self. */
static int join_errors(void)
{
    pthread_t t;
    CHECK(pthread_join((pthread_t)123456789, NULL) == ESRCH, "a number that names no thread");
    CHECK(pthread_join(pthread_self(), NULL) == EDEADLK, "joining itself");
    CHECK(pthread_create(&t, NULL, nothing, NULL) == 0 && pthread_join(t, NULL) == 0, "create and join");
    CHECK(pthread_join(t, NULL) == ESRCH, "joining twice");
    CHECK(pthread_detach(t) == ESRCH, "detaching a joined thread");

    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    CHECK(pthread_create(&t, NULL, wait_on_pipe, &fds[0]) == 0, "create");
    CHECK(pthread_detach(t) == 0, "detach");
    CHECK(pthread_join(t, NULL) == EINVAL, "joining a detached thread");
    CHECK(pthread_detach(t) == EINVAL, "detaching twice");
    write(fds[1], "x", 1);
    close(fds[0]);
    close(fds[1]);

    /* detach after the thread has ended: frees it, and the id is gone */
    CHECK(pthread_create(&t, NULL, nothing, NULL) == 0, "create");
    usleep(20000);
    CHECK(pthread_detach(t) == 0, "detach an ended thread");
    CHECK(pthread_join(t, NULL) == ESRCH, "its id names nothing now");
    /* a thread still running when joined */
    CHECK(pthread_create(&t, NULL, sleep_then_exit, (void *)5) == 0, "create");
    void *result;
    CHECK(pthread_join(t, &result) == 0 && result == (void *)5, "join a sleeping thread");
    return 1;
}

/* Count the lines of /proc/self/maps: every mapping, stacks included. */
static int mapping_count(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -1;
    int lines = 0, c;
    while ((c = fgetc(f)) != EOF)
        lines += c == '\n';
    fclose(f);
    return lines;
}

static volatile int detached_done;

static void *count_and_leave(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&detached_done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

/* Detached threads unmap their own stacks: the number of mappings comes back. */
static int detached_threads_free_themselves(void)
{
    pthread_attr_t attr;
    pthread_t t;
    CHECK(pthread_attr_init(&attr) == 0 && pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0,
          "attributes");
    int state = -1;
    CHECK(pthread_attr_getdetachstate(&attr, &state) == 0 && state == PTHREAD_CREATE_DETACHED, "getdetachstate");
    CHECK(pthread_attr_setdetachstate(&attr, 42) == EINVAL, "a bad detach state");
    /* warm up: the first round may map stdio buffers and heap */
    CHECK(pthread_create(&t, &attr, count_and_leave, NULL) == 0, "create");
    while (detached_done < 1)
        usleep(1000);
    usleep(10000);
    int before = mapping_count();
    for (int i = 0; i < DETACHED_ROUNDS; i++) {
        CHECK(pthread_create(&t, &attr, count_and_leave, NULL) == 0, "create %d", i);
        if (i % 2 == 0) {
            int err = pthread_detach(t);      /* detached already: EINVAL, or ESRCH once it is gone */
            CHECK(err == EINVAL || err == ESRCH, "detach of a detached thread: %d", err);
        }
    }
    while (detached_done < DETACHED_ROUNDS + 1)
        usleep(1000);
    int after = before + 1;
    for (int tries = 0; tries < 200 && after > before; tries++) {   /* the last may still be unmapping */
        usleep(5000);
        after = mapping_count();
    }
    CHECK(before > 0 && after <= before, "mappings: %d before, %d after %d detached threads",
          before, after, DETACHED_ROUNDS);
    /* joinable threads, joined: no mapping left either */
    for (int i = 0; i < DETACHED_ROUNDS; i++)
        CHECK(pthread_create(&t, NULL, nothing, NULL) == 0 && pthread_join(t, NULL) == 0, "cycle %d", i);
    after = mapping_count();
    CHECK(after <= before, "mappings: %d before, %d after joined threads", before, after);
    pthread_attr_destroy(&attr);
    return 1;
}

/* Fork a child that runs fn; returns its wait status. */
static int status_of(void (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        _exit(100);
    }
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

static int report_pipe[2];

static void *report_later(void *arg)
{
    usleep(50000);
    write(report_pipe[1], arg, strlen(arg));
    return NULL;
}

static void main_exits_early(void)
{
    pthread_t t;
    pthread_create(&t, NULL, report_later, "still here");
    pthread_exit(NULL);         /* the process lives on until the thread returns, then exits 0 */
}

static int pthread_exit_in_main(void)
{
    CHECK(pipe(report_pipe) == 0, "pipe");
    int status = status_of(main_exits_early);
    close(report_pipe[1]);
    char buf[32] = "";
    ssize_t n = read(report_pipe[0], buf, sizeof buf - 1);
    close(report_pipe[0]);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x", status);
    CHECK(n == 10 && strcmp(buf, "still here") == 0, "the other thread said \"%s\"", n > 0 ? buf : "");
    return 1;
}

static void *exit_seven(void *arg)
{
    (void)arg;
    usleep(10000);
    exit(7);
}

static void *block_forever(void *arg)
{
    for (;;)
        pause();
    return arg;
}

static void thread_calls_exit(void)
{
    pthread_t t, blocked;
    pthread_create(&blocked, NULL, block_forever, NULL);
    pthread_create(&t, NULL, exit_seven, NULL);
    pthread_join(blocked, NULL);        /* never returns: exit(7) ends every thread */
}

static void main_returns(void)
{
    pthread_t t;
    pthread_create(&t, NULL, block_forever, NULL);
    usleep(10000);
    exit(3);                    /* as main's return would: exit_group ends the blocked thread */
}

static int exit_ends_every_thread(void)
{
    int status = status_of(thread_calls_exit);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7, "exit(7) in a thread: status %#x", status);
    status = status_of(main_returns);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3, "exit(3) in main: status %#x", status);
    return 1;
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"     /* on purpose: it ends in the guard page */
static void *recurse_forever(void *arg)
{
    volatile char frame[1024];
    frame[0] = (char)(intptr_t)arg;
    recurse_forever((void *)(intptr_t)(frame[0] + 1));
    return (void *)(intptr_t)frame[0];
}

static void overflow_small_stack(void)
{
    pthread_attr_t attr;
    pthread_t t;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, SMALL_STACK);
    pthread_create(&t, &attr, recurse_forever, NULL);
    pthread_join(t, NULL);
}

static void *touch_stack(void *arg)
{
    volatile char big[SMALL_STACK / 2];
    big[0] = 1;
    big[sizeof big - 1] = 2;
    return (void *)(intptr_t)(big[0] + big[sizeof big - 1] + (arg != NULL));
}

static int stack_size_and_guard(void)
{
    pthread_attr_t attr;
    size_t size = 0;
    CHECK(pthread_attr_init(&attr) == 0 && pthread_attr_getstacksize(&attr, &size) == 0 && size >= SMALL_STACK,
          "default stack size %zu", size);
    CHECK(pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN - 1) == EINVAL, "below PTHREAD_STACK_MIN");
    CHECK(pthread_attr_setstacksize(&attr, SMALL_STACK) == 0 && pthread_attr_getstacksize(&attr, &size) == 0 &&
          size == SMALL_STACK, "set %d, got %zu", SMALL_STACK, size);
    CHECK(pthread_attr_getguardsize(&attr, &size) == 0 && size == PAGE, "guard size %zu", size);
    pthread_t t;
    void *result;
    CHECK(pthread_create(&t, &attr, touch_stack, NULL) == 0 && pthread_join(t, &result) == 0 &&
          (intptr_t)result == 3, "half of a small stack is usable");
    int status = status_of(overflow_small_stack);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "overflowing into the guard: status %#x", status);
    pthread_attr_destroy(&attr);
    return 1;
}

static void *where_is_my_stack(void *arg)
{
    int local = 0;
    *(void **)arg = &local;
    return (void *)(intptr_t)(tls_value + (errno = 0));
}

/* A stack of the caller's, and the scheduling attributes that have a single choice here. */
static int stack_and_scheduling_attributes(void)
{
    pthread_attr_t attr;
    size_t size = 256 * 1024;
    char *stack = malloc(size);
    void *local = NULL, *got_stack = NULL, *result = NULL;
    size_t got_size = 0;
    pthread_t t;
    CHECK(stack && pthread_attr_init(&attr) == 0, "malloc, attr_init");
    CHECK(pthread_attr_setstack(&attr, stack, PTHREAD_STACK_MIN - 1) == EINVAL, "a stack below the minimum");
    CHECK(pthread_attr_setstack(&attr, stack, size) == 0 && pthread_attr_getstack(&attr, &got_stack, &got_size) == 0 &&
          got_stack == stack && got_size == size, "setstack/getstack");
    CHECK(pthread_create(&t, &attr, where_is_my_stack, &local) == 0 && pthread_join(t, &result) == 0, "create, join");
    CHECK((char *)local > stack && (char *)local < stack + size, "the thread ran at %p, not on [%p, %p)", local,
          (void *)stack, (void *)(stack + size));
    CHECK((intptr_t)result == 7, "its TLS started at %ld", (long)(intptr_t)result);
    free(stack);

    int value = -1;
    struct sched_param param = { 0 };
    CHECK(pthread_attr_init(&attr) == 0, "attr_init");
    CHECK(pthread_attr_setscope(&attr, PTHREAD_SCOPE_SYSTEM) == 0 &&
          pthread_attr_setscope(&attr, PTHREAD_SCOPE_PROCESS) == ENOTSUP &&
          pthread_attr_getscope(&attr, &value) == 0 && value == PTHREAD_SCOPE_SYSTEM, "scope");
    CHECK(pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED) == 0 &&
          pthread_attr_getinheritsched(&attr, &value) == 0 && value == PTHREAD_EXPLICIT_SCHED, "inheritsched");
    CHECK(pthread_attr_setschedpolicy(&attr, SCHED_OTHER) == 0 && pthread_attr_setschedpolicy(&attr, SCHED_FIFO) ==
          ENOTSUP && pthread_attr_getschedpolicy(&attr, &value) == 0 && value == SCHED_OTHER, "policy");
    CHECK(pthread_attr_setschedparam(&attr, &param) == 0, "priority 0");
    param.sched_priority = 5;
    CHECK(pthread_attr_setschedparam(&attr, &param) == EINVAL, "priority 5 under SCHED_OTHER");
    CHECK(pthread_create(&t, &attr, nothing, NULL) == 0 && pthread_join(t, NULL) == 0, "create with them");
    CHECK(pthread_getschedparam(pthread_self(), &value, &param) == 0 && value == SCHED_OTHER &&
          param.sched_priority == 0, "getschedparam");
    CHECK(pthread_setschedparam(pthread_self(), SCHED_OTHER, &param) == 0 &&
          pthread_setschedparam(pthread_self(), SCHED_RR, &param) == ENOTSUP, "setschedparam");
    CHECK(pthread_setconcurrency(-1) == EINVAL && pthread_setconcurrency(3) == 0 && pthread_getconcurrency() == 3,
          "concurrency");
    pthread_attr_destroy(&attr);
    return 1;
}

static pthread_key_t key_a, key_b;
static int destroyed_sum, destroyed_calls;
static pthread_mutex_t destroyed_lock = PTHREAD_MUTEX_INITIALIZER;

static void destroy(void *value)
{
    pthread_mutex_lock(&destroyed_lock);
    destroyed_sum += (int)(intptr_t)value;
    destroyed_calls++;
    pthread_mutex_unlock(&destroyed_lock);
}

/* Sets a value again in its destructor: a second round must run. */
static void destroy_and_reset(void *value)
{
    destroy(value);
    if ((intptr_t)value < 1000)
        pthread_setspecific(key_b, (void *)((intptr_t)value + 1000));
}

static void *use_keys(void *arg)
{
    intptr_t i = (intptr_t)arg;
    if (pthread_getspecific(key_a) != NULL)
        return (void *)1;
    pthread_setspecific(key_a, (void *)(i + 1));
    pthread_setspecific(key_b, (void *)(i + 100));
    sched_yield();
    if (pthread_getspecific(key_a) != (void *)(i + 1))
        return (void *)2;
    return NULL;
}

static int keys_and_destructors(void)
{
    CHECK(pthread_key_create(&key_a, destroy) == 0 && pthread_key_create(&key_b, destroy_and_reset) == 0,
          "key_create");
    CHECK(key_a != key_b, "two keys");
    CHECK(pthread_setspecific(key_a, (void *)42) == 0 && pthread_getspecific(key_a) == (void *)42, "main's value");
    pthread_t t[THREADS];
    for (intptr_t i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, use_keys, (void *)i) == 0, "create");
    for (int i = 0; i < THREADS; i++) {
        void *result;
        CHECK(pthread_join(t[i], &result) == 0 && result == NULL, "thread %d: step %ld failed", i, (long)(intptr_t)result);
    }
    /* a: sum(i + 1); b: sum(i + 100) then sum(i + 1100) in the second round */
    int expected = 0;
    for (int i = 0; i < THREADS; i++)
        expected += (i + 1) + (i + 100) + (i + 1100);
    CHECK(destroyed_calls == 3 * THREADS && destroyed_sum == expected, "destructors: %d calls, sum %d, expected %d",
          destroyed_calls, destroyed_sum, expected);
    CHECK(pthread_getspecific(key_a) == (void *)42, "main's value is untouched");
    CHECK(pthread_key_delete(key_a) == 0, "delete");
    CHECK(pthread_key_delete(key_a) == EINVAL, "delete twice");
    CHECK(pthread_setspecific(key_a, (void *)1) == EINVAL, "set on a deleted key");
    pthread_key_t again;
    CHECK(pthread_key_create(&again, NULL) == 0 && pthread_getspecific(again) == NULL,
          "a new key on a reused slot starts at NULL");
    CHECK(pthread_key_delete(again) == 0 && pthread_key_delete(key_b) == 0, "delete");
    CHECK(pthread_setspecific(PTHREAD_KEYS_MAX + 5, NULL) == EINVAL, "a key out of range");
    return 1;
}

static int cleanup_log[4], cleanup_count;

static void note(void *arg)
{
    cleanup_log[cleanup_count++] = (int)(intptr_t)arg;
}

static void *with_cleanup(void *arg)
{
    pthread_cleanup_push(note, (void *)1);
    pthread_cleanup_push(note, (void *)2);
    pthread_cleanup_pop(0);             /* not run */
    pthread_cleanup_push(note, (void *)3);
    if (arg)
        pthread_exit(arg);              /* runs 3 then 1 */
    pthread_cleanup_pop(1);
    pthread_cleanup_pop(1);
    return NULL;
}

static int cleanup_handlers(void)
{
    pthread_t t;
    void *result;
    CHECK(pthread_create(&t, NULL, with_cleanup, (void *)9) == 0 && pthread_join(t, &result) == 0 &&
          result == (void *)9, "pthread_exit's value");
    CHECK(cleanup_count == 2 && cleanup_log[0] == 3 && cleanup_log[1] == 1, "handlers ran: %d: %d %d",
          cleanup_count, cleanup_log[0], cleanup_log[1]);
    return 1;
}

static volatile int spinning = 1;

static void *spin(void *arg)
{
    (void)arg;
    while (spinning)
        ;
    return NULL;
}

/* Thread-directed signals: pthread_kill with 0 probes; a fatal one ends the process. */
static void kill_spinning_thread(void)
{
    pthread_t t;
    pthread_create(&t, NULL, spin, NULL);
    pthread_kill(t, SIGTERM);
    pthread_join(t, NULL);
}

static int thread_signals(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, sleep_then_exit, NULL) == 0, "create");
    CHECK(pthread_kill(t, 0) == 0, "probe of a live thread");
    CHECK(pthread_join(t, NULL) == 0 && pthread_kill(t, 0) == ESRCH, "probe of a joined thread");
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    CHECK(pthread_sigmask(SIG_BLOCK, &set, &old) == 0, "pthread_sigmask");
    CHECK(pthread_sigmask(SIG_SETMASK, &old, NULL) == 0, "restore");
    CHECK(pthread_sigmask(99, &set, NULL) == EINVAL, "a bad how: an error number, not -1");
    int status = status_of(kill_spinning_thread);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "pthread_kill SIGTERM: status %#x", status);
    return 1;
}

int main(void)
{
    RUN(create_join_values);
    RUN(self_and_equal);
    RUN(many_cycles);
    RUN(join_errors);
    RUN(detached_threads_free_themselves);
    RUN(pthread_exit_in_main);
    RUN(exit_ends_every_thread);
    RUN(stack_size_and_guard);
    RUN(stack_and_scheduling_attributes);
    RUN(keys_and_destructors);
    RUN(cleanup_handlers);
    RUN(thread_signals);
    return failures != 0;
}
