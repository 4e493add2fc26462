/* Signal handling on our libc: handlers run and return (the restorer), masks, old actions. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static volatile sig_atomic_t caught, caught_signal;
static volatile int info_pid;

static void handler(int sig)
{
    caught++;
    caught_signal = sig;
}

static void info_handler(int sig, siginfo_t *info, void *context)
{
    (void)context;
    caught_signal = sig;
    info_pid = info->si_pid;
}

/* The handler runs and returns into the program (through libc_sigrestore). */
static int handler_runs_and_returns(void)
{
    caught = 0;
    CHECK(signal(SIGUSR1, handler) == SIG_DFL, "the old handler is SIG_DFL");
    CHECK(raise(SIGUSR1) == 0, "raise");
    CHECK(caught == 1 && caught_signal == SIGUSR1, "handler ran %d times", (int)caught);
    CHECK(raise(SIGUSR1) == 0 && caught == 2, "and stays installed");
    CHECK(signal(SIGUSR1, SIG_IGN) == handler, "signal returns the old handler");
    CHECK(raise(SIGUSR1) == 0 && caught == 2, "ignored");
    CHECK(signal(SIGKILL, handler) == SIG_ERR && errno == EINVAL, "SIGKILL cannot be caught");
    return 1;
}

static int siginfo_and_masks(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = info_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGUSR2, &sa, &old) == 0 && old.sa_handler == SIG_DFL, "sigaction");
    kill(getpid(), SIGUSR2);
    CHECK(caught_signal == SIGUSR2 && info_pid == getpid(), "siginfo: pid %d", info_pid);
    sigset_t block, was, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    CHECK(sigismember(&block, SIGUSR2) == 1 && sigismember(&block, SIGUSR1) == 0, "sigset ops");
    CHECK(sigprocmask(SIG_BLOCK, &block, &was) == 0, "block");
    caught_signal = 0;
    raise(SIGUSR2);
    CHECK(caught_signal == 0 && sigpending(&pending) == 0 && sigismember(&pending, SIGUSR2) == 1,
          "a blocked signal waits");
    CHECK(sigprocmask(SIG_SETMASK, &was, NULL) == 0 && caught_signal == SIGUSR2, "delivered on unblock");
    CHECK(sigaddset(&block, 0) == -1 && errno == EINVAL && sigaddset(&block, NSIG) == -1, "bad numbers");
    return 1;
}

int main(void)
{
    RUN(handler_runs_and_returns);
    RUN(siginfo_and_masks);
    return failures != 0;
}
