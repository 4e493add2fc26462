/*
 * sigwait, sigwaitinfo and sigtimedwait (rt_sigtimedwait) as Linux defines
 * them, in cases that run both on the Linux host (tests/host/libc/sigwait.c:
 * our libc on Linux's kernel) and in our kernel (tests/user/test_sigwait.c):
 * a blocked signal taken as a message (sent by kill to self, by a child, by
 * another thread to a waiting one, by kill to a process whose threads all
 * block it), its siginfo (si_code, si_pid, si_uid), timeouts and polls
 * (EAGAIN), EINTR from a handled signal outside the set (never restarted),
 * bad arguments (EINVAL, EFAULT), and a blocked default-fatal signal that
 * stays pending without killing until sigwait takes it (or an unblock
 * delivers it).  Each case returns 1, or fails through the includer's
 * CHECK (check.h returns 0, utest.h ends the test); each leaves the signal
 * mask, handlers and pending set as it found them (the host runs them all
 * in one process).
 */
#ifndef TESTS_USER_SIGWAIT_CASES_H
#define TESTS_USER_SIGWAIT_CASES_H

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SW_NAP_NS       50000000L       /* 50 ms: a waiter is surely asleep by then */
#define SW_TIMEOUT_MS   100
#define SW_SLACK_MS     5               /* a timer tick may round a deadline down by this much */
#define SW_LONG_S       10              /* a wait that only the expected signal should end */
#define SW_NSEC_PER_MS  1000000L
#define SW_NSEC_PER_S   1000000000L
#define SW_BAD_ADDR     0xffff800000000000UL    /* a kernel address: EFAULT */
#define SW_SIGSET_BYTES 8               /* the kernel's sigset_t (rt_sigtimedwait's fourth argument) */

static void sw_nap(void)
{
    struct timespec t = { 0, SW_NAP_NS };
    nanosleep(&t, NULL);
}

static long sw_ms_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / SW_NSEC_PER_MS;
}

/* The set of one signal. */
static sigset_t sw_set_of(int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    return set;
}

/* Block sig in the calling thread; the mask before is put in *old. */
static int sw_block(int sig, sigset_t *old)
{
    sigset_t set = sw_set_of(sig);
    return pthread_sigmask(SIG_BLOCK, &set, old);
}

/* Poll for sig: what sigtimedwait with a zero timeout returns (the signal, or -1). */
static int sw_poll_for(int sig)
{
    sigset_t set = sw_set_of(sig);
    struct timespec zero = { 0, 0 };
    return sigtimedwait(&set, NULL, &zero);
}

/* sigwait takes a blocked SIGUSR1 that kill sent to the process itself; nothing is left pending. */
static int sw_kill_self(void)
{
    sigset_t old, pending;
    CHECK(sw_block(SIGUSR1, &old) == 0, "block");
    CHECK(kill(getpid(), SIGUSR1) == 0, "kill: %s", strerror(errno));
    CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1), "SIGUSR1 is not pending");
    sigset_t set = sw_set_of(SIGUSR1);
    int sig = 0;
    CHECK(sigwait(&set, &sig) == 0 && sig == SIGUSR1, "sigwait: signal %d", sig);
    CHECK(sigpending(&pending) == 0 && !sigismember(&pending, SIGUSR1), "still pending after sigwait");
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 1;
}

/* Nothing comes: EAGAIN after the timeout, at once with a zero one (and SIGKILL in the set changes nothing). */
static int sw_timeouts(void)
{
    sigset_t old;
    CHECK(sw_block(SIGUSR2, &old) == 0, "block");
    sigset_t set = sw_set_of(SIGUSR2);
    sigaddset(&set, SIGKILL);
    struct timespec timeout = { 0, SW_TIMEOUT_MS * SW_NSEC_PER_MS }, start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    CHECK(sigtimedwait(&set, NULL, &timeout) == -1 && errno == EAGAIN, "timeout: %s", strerror(errno));
    long waited = sw_ms_since(&start);
    CHECK(waited >= SW_TIMEOUT_MS - SW_SLACK_MS, "back after %ld ms of %d", waited, SW_TIMEOUT_MS);
    struct timespec zero = { 0, 0 };
    clock_gettime(CLOCK_MONOTONIC, &start);
    CHECK(sigtimedwait(&set, NULL, &zero) == -1 && errno == EAGAIN, "poll: %s", strerror(errno));
    CHECK(sw_ms_since(&start) < SW_TIMEOUT_MS, "a poll slept %ld ms", sw_ms_since(&start));
    CHECK(raise(SIGUSR2) == 0, "raise");
    CHECK(sigtimedwait(&set, NULL, &zero) == SIGUSR2, "a poll misses a pending signal: %s", strerror(errno));
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 1;
}

/* siginfo: kill says SI_USER with our pid and uid; pthread_kill (tgkill) says SI_TKILL. */
static int sw_siginfo(void)
{
    sigset_t old;
    CHECK(sw_block(SIGUSR1, &old) == 0, "block");
    sigset_t set = sw_set_of(SIGUSR1);
    siginfo_t info;
    memset(&info, 0xff, sizeof info);
    CHECK(kill(getpid(), SIGUSR1) == 0, "kill");
    CHECK(sigwaitinfo(&set, &info) == SIGUSR1, "sigwaitinfo: %s", strerror(errno));
    CHECK(info.si_signo == SIGUSR1 && info.si_code == SI_USER, "signo %d, code %d", info.si_signo, info.si_code);
    CHECK(info.si_pid == getpid() && info.si_uid == getuid(), "pid %d uid %d", (int)info.si_pid, (int)info.si_uid);
    CHECK(pthread_kill(pthread_self(), SIGUSR1) == 0, "pthread_kill");
    CHECK(sigwaitinfo(&set, &info) == SIGUSR1, "sigwaitinfo after pthread_kill: %s", strerror(errno));
    CHECK(info.si_code == SI_TKILL && info.si_pid == getpid(), "code %d pid %d", info.si_code, (int)info.si_pid);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 1;
}

/* A child's kill reaches its parent's sigwaitinfo, with the child's pid. */
static int sw_from_child(void)
{
    sigset_t old;
    CHECK(sw_block(SIGUSR1, &old) == 0, "block");
    pid_t child = fork();
    CHECK(child >= 0, "fork: %s", strerror(errno));
    if (child == 0) {
        sw_nap();               /* the parent is asleep in sigwaitinfo by now */
        _exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
    }
    sigset_t set = sw_set_of(SIGUSR1);
    siginfo_t info;
    int sig = sigwaitinfo(&set, &info);
    int status;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child");
    CHECK(sig == SIGUSR1, "sigwaitinfo: %d (%s)", sig, strerror(errno));
    CHECK(info.si_pid == child && info.si_code == SI_USER, "si_pid %d (child %d), code %d",
          (int)info.si_pid, (int)child, info.si_code);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 1;
}

/* What a waiting thread got. */
struct sw_waiter {
    int sig;                    /* sigwaitinfo's result */
    int err;                    /* its errno when -1 */
    siginfo_t info;
};

/* Waits in sigwaitinfo for SIGUSR2 (blocked: the thread inherited the creator's mask). */
static void *sw_wait_usr2(void *arg)
{
    struct sw_waiter *w = arg;
    sigset_t set = sw_set_of(SIGUSR2);
    w->sig = sigwaitinfo(&set, &w->info);
    w->err = errno;
    return NULL;
}

/* Start a thread in sigwaitinfo for SIGUSR2, blocked in every thread; 0 or an error number. */
static int sw_start_waiter(pthread_t *t, struct sw_waiter *w, sigset_t *old)
{
    memset(w, 0, sizeof *w);
    int err = sw_block(SIGUSR2, old);
    if (err == 0)
        err = pthread_create(t, NULL, sw_wait_usr2, w);
    if (err == 0)
        sw_nap();               /* it is asleep in sigwaitinfo by now */
    return err;
}

/* Another thread's pthread_kill wakes a thread asleep in sigwaitinfo for it. */
static int sw_from_thread(void)
{
    pthread_t t;
    struct sw_waiter w;
    sigset_t old;
    CHECK(sw_start_waiter(&t, &w, &old) == 0, "a waiter");
    CHECK(pthread_kill(t, SIGUSR2) == 0, "pthread_kill");
    pthread_join(t, NULL);
    CHECK(w.sig == SIGUSR2, "sigwaitinfo: %d (%s)", w.sig, strerror(w.err));
    CHECK(w.info.si_code == SI_TKILL && w.info.si_pid == getpid(), "code %d pid %d", w.info.si_code,
          (int)w.info.si_pid);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 1;
}

/* kill to the process, which every thread blocks, wakes the thread waiting for it. */
static int sw_kill_wakes_waiter(void)
{
    pthread_t t;
    struct sw_waiter w;
    sigset_t old;
    CHECK(sw_start_waiter(&t, &w, &old) == 0, "a waiter");
    CHECK(kill(getpid(), SIGUSR2) == 0, "kill");
    pthread_join(t, NULL);
    CHECK(w.sig == SIGUSR2, "sigwaitinfo: %d (%s)", w.sig, strerror(w.err));
    CHECK(w.info.si_code == SI_USER && w.info.si_pid == getpid(), "code %d pid %d", w.info.si_code,
          (int)w.info.si_pid);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 1;
}

static volatile sig_atomic_t sw_handled;

static void sw_on_usr1(int sig)
{
    sw_handled = sig;
}

/* Naps, then sends SIGUSR1 to the thread given. */
static void *sw_kick_later(void *arg)
{
    sw_nap();
    pthread_kill(*(pthread_t *)arg, SIGUSR1);
    return NULL;
}

/* A handled, unblocked signal outside the set ends the wait with EINTR, SA_RESTART or not, and its handler runs. */
static int sw_eintr(void)
{
    struct sigaction act, old_act;
    memset(&act, 0, sizeof act);
    act.sa_handler = sw_on_usr1;
    act.sa_flags = SA_RESTART;          /* sigtimedwait is never restarted all the same */
    CHECK(sigaction(SIGUSR1, &act, &old_act) == 0, "sigaction");
    sigset_t old, unblock = sw_set_of(SIGUSR1);
    CHECK(sw_block(SIGUSR2, &old) == 0 && pthread_sigmask(SIG_UNBLOCK, &unblock, NULL) == 0, "masks");
    sw_handled = 0;
    pthread_t self = pthread_self(), kicker;
    CHECK(pthread_create(&kicker, NULL, sw_kick_later, &self) == 0, "pthread_create");
    sigset_t set = sw_set_of(SIGUSR2);
    struct timespec timeout = { SW_LONG_S, 0 };
    int r = sigtimedwait(&set, NULL, &timeout);
    int err = errno;
    pthread_join(kicker, NULL);
    CHECK(r == -1 && err == EINTR, "sigtimedwait: %d (%s)", r, strerror(err));
    CHECK(sw_handled == SIGUSR1, "the handler did not run");
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    sigaction(SIGUSR1, &old_act, NULL);
    return 1;
}

/* EINVAL for a bad timespec or sigset size, EFAULT for bad pointers (a signal taken for a bad info is gone, as Linux). */
static int sw_bad_arguments(void)
{
    sigset_t old, set = sw_set_of(SIGUSR1);
    CHECK(sw_block(SIGUSR1, &old) == 0, "block");
    struct timespec bad[] = { { 0, SW_NSEC_PER_S }, { 0, -1 }, { -1, 0 } };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(sigtimedwait(&set, NULL, &bad[i]) == -1 && errno == EINVAL, "timespec %ld.%ld: %s",
              (long)bad[i].tv_sec, bad[i].tv_nsec, strerror(errno));
    struct timespec zero = { 0, 0 };
    CHECK(syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, SW_SIGSET_BYTES / 2) == -1 && errno == EINVAL,
          "sigsetsize 4: %s", strerror(errno));
    CHECK(sigtimedwait((const sigset_t *)SW_BAD_ADDR, NULL, &zero) == -1 && errno == EFAULT, "bad set: %s",
          strerror(errno));
    CHECK(sigtimedwait(&set, NULL, (const struct timespec *)SW_BAD_ADDR) == -1 && errno == EFAULT,
          "bad timeout: %s", strerror(errno));
    CHECK(raise(SIGUSR1) == 0, "raise");
    CHECK(sigtimedwait(&set, (siginfo_t *)SW_BAD_ADDR, &zero) == -1 && errno == EFAULT, "bad info: %s",
          strerror(errno));
    CHECK(sw_poll_for(SIGUSR1) == -1 && errno == EAGAIN, "the signal stayed pending");
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 1;
}

/*
 * In a child: a blocked SIGTERM (default action: death) stays pending;
 * with take, sigwait takes it and the child exits 0; without, unblocking
 * delivers it and the child dies of it.
 */
static void sw_blocked_term_child(int take)
{
    sigset_t pending, set = sw_set_of(SIGTERM);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0 || kill(getpid(), SIGTERM) != 0)
        _exit(2);
    sw_nap();                           /* time for a wrong kill to land */
    if (sigpending(&pending) != 0 || !sigismember(&pending, SIGTERM))
        _exit(3);
    int sig = 0;
    if (take)
        _exit(sigwait(&set, &sig) == 0 && sig == SIGTERM ? 0 : 4);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    _exit(5);                           /* not reached: the unblock delivers SIGTERM */
}

/* A blocked default-fatal signal waits for sigwait instead of killing; unblocked, it kills. */
static int sw_blocked_fatal_waits(void)
{
    for (int take = 1; take >= 0; take--) {
        pid_t child = fork();
        CHECK(child >= 0, "fork: %s", strerror(errno));
        if (child == 0)
            sw_blocked_term_child(take);
        int status;
        CHECK(waitpid(child, &status, 0) == child, "waitpid: %s", strerror(errno));
        if (take)
            CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "taken by sigwait: status %#x", status);
        else
            CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "unblocked: status %#x", status);
    }
    return 1;
}

#endif
