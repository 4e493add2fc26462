/*
 * Signal handlers: delivery on kill and raise, siginfo, EINTR and
 * SA_RESTART, blocking and unblocking, sigsuspend, SA_RESETHAND, a handler
 * for a fault, registers and FPU state kept across a handler, a forged
 * rt_sigreturn frame, and handlers in a threaded process.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include "utest.h"

#define ROUNDS 200

static volatile sig_atomic_t caught, caught_signal, caught_code;

static void on_signal(int sig)
{
    caught++;
    caught_signal = sig;
}

static void on_signal_info(int sig, siginfo_t *info, void *context)
{
    (void)context;
    caught++;
    caught_signal = sig;
    caught_code = info->si_signo;
}

static void set_handler(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction(%d): %s", sig, strerror(errno));
}

static void handler_runs_on_raise(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal_info;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction");
    caught = 0;
    CHECK(raise(SIGUSR1) == 0, "raise");
    CHECK(caught == 1 && caught_signal == SIGUSR1 && caught_code == SIGUSR1,
          "caught %d, signal %d, si_signo %d", (int)caught, (int)caught_signal, (int)caught_code);
    CHECK(kill(getpid(), SIGUSR1) == 0 && caught == 2, "kill to self: caught %d", (int)caught);
    struct sigaction old;
    CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_sigaction == on_signal_info &&
          (old.sa_flags & SA_SIGINFO), "sigaction does not report the handler back");
}

/* A child sends sig to us after a little while. */
static pid_t signal_me_later(int sig, long ms)
{
    pid_t parent = getpid(), pid = fork();
    if (pid == 0) {
        struct timespec ts = { 0, ms * 1000 * 1000 };
        nanosleep(&ts, NULL);
        kill(parent, sig);
        _exit(0);
    }
    return pid;
}

static void pause_returns_eintr(void)
{
    set_handler(SIGINT, on_signal, 0);
    caught = 0;
    pid_t pid = signal_me_later(SIGINT, 20);
    int r = pause();
    CHECK(r == -1 && errno == EINTR && caught == 1, "pause: %d errno %d caught %d", r, errno, (int)caught);
    waitpid(pid, NULL, 0);
}

static void read_interrupted_or_restarted(void)
{
    int fds[2];
    char c;
    CHECK(pipe(fds) == 0, "pipe");
    set_handler(SIGUSR2, on_signal, 0);         /* no SA_RESTART: EINTR */
    pid_t pid = signal_me_later(SIGUSR2, 20);
    ssize_t n = read(fds[0], &c, 1);
    CHECK(n == -1 && errno == EINTR, "read without SA_RESTART: %zd errno %d", n, errno);
    waitpid(pid, NULL, 0);
    set_handler(SIGUSR2, on_signal, SA_RESTART);  /* the read goes on after the handler */
    caught = 0;
    pid_t parent = getpid();
    pid = fork();
    if (pid == 0) {
        struct timespec ts = { 0, 20 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        kill(parent, SIGUSR2);
        nanosleep(&ts, NULL);
        write(fds[1], "x", 1);
        _exit(0);
    }
    n = read(fds[0], &c, 1);
    CHECK(n == 1 && c == 'x' && caught == 1, "restarted read: %zd errno %d caught %d", n, errno, (int)caught);
    waitpid(pid, NULL, 0);
    close(fds[0]);
    close(fds[1]);
}

static void blocked_signals_wait(void)
{
    set_handler(SIGUSR1, on_signal, 0);
    sigset_t block, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &block, NULL) == 0, "sigprocmask");
    caught = 0;
    raise(SIGUSR1);
    CHECK(caught == 0, "a blocked signal was delivered");
    CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1), "not pending");
    CHECK(sigprocmask(SIG_UNBLOCK, &block, NULL) == 0, "unblock");
    CHECK(caught == 1, "unblocking did not deliver it");
}

static void sigsuspend_waits_with_another_mask(void)
{
    set_handler(SIGUSR1, on_signal, 0);
    sigset_t block, empty, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, NULL);
    caught = 0;
    pid_t pid = signal_me_later(SIGUSR1, 20);
    int r = sigsuspend(&empty);
    CHECK(r == -1 && errno == EINTR && caught == 1, "sigsuspend %d errno %d caught %d", r, errno, (int)caught);
    CHECK(sigprocmask(SIG_SETMASK, NULL, &now) == 0 && sigismember(&now, SIGUSR1),
          "the mask before sigsuspend was not restored");
    waitpid(pid, NULL, 0);
}

static void resethand_once(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        set_handler(SIGTERM, on_signal, SA_RESETHAND);
        raise(SIGTERM);                 /* handled */
        if (caught != 1)
            _exit(1);
        raise(SIGTERM);                 /* back to the default: dies */
        _exit(2);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
          "status %#x", status);
}

static void on_segv_exit(int sig, siginfo_t *info, void *context)
{
    (void)context;
    _exit(info->si_addr == (void *)8 && sig == SIGSEGV ? 42 : 43);
}

static void fault_handler_runs(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_segv_exit;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGSEGV, &sa, NULL);
        int *volatile bad = (int *)8;   /* volatile: the compiler must not see the NULL-ish store coming */
        *bad = 1;
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 42,
          "status %#x (42: handler saw si_addr 8)", status);
}

static volatile double fpu_noise;

static void clobbering_handler(int sig)
{
    (void)sig;
    caught++;
    fpu_noise = fpu_noise * 3.0 + 1.0;  /* use the FPU registers inside the handler */
}

/* Signals arriving in the middle of a computation change none of its registers. */
static void state_survives_handlers(void)
{
    set_handler(SIGUSR1, clobbering_handler, SA_RESTART);
    caught = 0;
    pid_t parent = getpid(), pid = fork();
    if (pid == 0) {
        for (int i = 0; i < ROUNDS; i++) {
            kill(parent, SIGUSR1);
            sched_yield();
        }
        _exit(0);
    }
    double x = 0;
    uint64_t sum = 0;
    for (int round = 0; round < 20000 && (caught < ROUNDS || round < 1000); round++) {
        x += 0.5;
        sum += (uint64_t)round * 3;
        if (round % 100 == 0)
            sched_yield();
    }
    waitpid(pid, NULL, 0);
    CHECK(caught > 0, "no signal arrived");
    double expected_x = 0;
    uint64_t expected_sum = 0;
    int rounds = (int)(x / 0.5);
    for (int round = 0; round < rounds; round++) {
        expected_x += 0.5;
        expected_sum += (uint64_t)round * 3;
    }
    CHECK(x == expected_x && sum == expected_sum, "state changed by %d handlers", (int)caught);
}

static void forged_sigreturn_dies(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        __asm__ volatile("movq $0xffffffff80100000, %%rsp; movl $15, %%eax; syscall" ::: "memory");
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
          "status %#x", status);
}

static volatile int handled_in_thread;

static void note_thread(int sig)
{
    (void)sig;
    handled_in_thread = (int)gettid();
}

static void *blocker(void *arg)
{
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    struct timespec ts = { 0, 200 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    return NULL;
}

/* A process-directed signal goes to a thread that does not block it. */
static void threads_take_the_signal(void)
{
    set_handler(SIGUSR1, note_thread, 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, blocker, NULL) == 0, "pthread_create");
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    handled_in_thread = 0;
    kill(getpid(), SIGUSR1);
    CHECK(handled_in_thread == (int)getpid(), "handled in thread %d, not the main one %d",
          handled_in_thread, (int)getpid());
    pthread_join(t, NULL);
}

static void alarm_interrupts_pause(void)
{
    set_handler(SIGALRM, on_signal, 0);
    caught = 0;
    CHECK(alarm(1) == 0, "no earlier alarm should be pending");
    int r = pause();
    CHECK(r == -1 && errno == EINTR && caught == 1 && caught_signal == SIGALRM,
          "pause %d errno %d caught %d", r, errno, (int)caught);
    CHECK(alarm(5) == 0 && alarm(0) >= 4, "alarm reports the seconds left of the previous one");
}

/* Without a handler, SIGALRM ends the process, as its default says. */
static void alarm_default_kills(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        alarm(1);
        for (;;)
            pause();
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM,
          "status %#x", status);
}

static void interval_timer_repeats(void)
{
    set_handler(SIGALRM, on_signal, SA_RESTART);
    caught = 0;
    struct itimerval every_20ms = { { 0, 20000 }, { 0, 20000 } }, left, off = { { 0, 0 }, { 0, 0 } };
    CHECK(setitimer(ITIMER_REAL, &every_20ms, NULL) == 0, "setitimer: %s", strerror(errno));
    while (caught < 3)
        pause();
    CHECK(getitimer(ITIMER_REAL, &left) == 0 && left.it_interval.tv_usec == 20000, "getitimer");
    CHECK(setitimer(ITIMER_REAL, &off, NULL) == 0, "disarm");
    int seen = caught;
    struct timespec ts = { 0, 60 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    CHECK(caught == seen, "the timer fired after it was disarmed");
    CHECK(setitimer(99, &off, NULL) == -1 && errno == EINVAL, "an unknown timer");
}

/*
 * A kill that reaches a process while fork is still making it.  The child
 * used to be findable by its pid before it had its thread: the kill marked
 * it killed but interrupted nothing, and it ran on (the 2-CPU fuzzer found
 * a worker that could no longer make threads).  A sibling thread sends
 * SIGTERM once to each pid the next fork will return, retrying only while
 * the pid is not found; each child pauses for ever, so it must die of it.
 */
#define KILL_DURING_FORK_ROUNDS 200

static volatile pid_t kill_target;      /* the pid the killer aims at next */
static volatile int killer_stop;

static void *kill_each_pid_once(void *arg)
{
    (void)arg;
    pid_t killed = 0;
    while (!killer_stop) {
        pid_t target = kill_target;
        if (target > 0 && target != killed && kill(target, SIGTERM) == 0)
            killed = target;
    }
    return NULL;
}

static void kill_during_fork(void)
{
    pid_t last = fork();
    CHECK(last >= 0, "fork");
    if (last == 0)
        _exit(0);
    CHECK(waitpid(last, NULL, 0) == last, "waitpid");
    pthread_t killer;
    CHECK(pthread_create(&killer, NULL, kill_each_pid_once, NULL) == 0, "pthread_create");
    for (int round = 0; round < KILL_DURING_FORK_ROUNDS; round++) {
        kill_target = last + 1;         /* pids come in order: this fork's, unless something else took it */
        pid_t pid = fork();
        if (pid == 0)
            for (;;)
                pause();
        CHECK(pid > 0, "fork: %s", strerror(errno));
        kill_target = pid;
        int status;
        CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
              "round %d: status %#x", round, status);
        last = pid;
    }
    killer_stop = 1;
    pthread_join(killer, NULL);
}

int main(void)
{
    RUN(handler_runs_on_raise);
    RUN(pause_returns_eintr);
    RUN(read_interrupted_or_restarted);
    RUN(blocked_signals_wait);
    RUN(sigsuspend_waits_with_another_mask);
    RUN(resethand_once);
    RUN(fault_handler_runs);
    RUN(state_survives_handlers);
    RUN(forged_sigreturn_dies);
    RUN(threads_take_the_signal);
    RUN(alarm_interrupts_pause);
    RUN(alarm_default_kills);
    RUN(interval_timer_repeats);
    RUN(kill_during_fork);
    return utest_finish();
}
