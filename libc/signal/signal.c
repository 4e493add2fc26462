/*
 * Signal handling over rt_sigaction and rt_sigprocmask.  The kernel's
 * struct sigaction differs from the C one in field order; every handler
 * gets libc_sigrestore (arch/x86_64/sigrestore.S) as its return path.
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include "../internal/pthread.h"
#include "../internal/syscall.h"

/* Linux x86_64's struct for rt_sigaction. */
struct kernel_sigaction {
    void *handler;
    unsigned long flags;
    void (*restorer)(void);
    sigset_t mask;
};

void libc_sigrestore(void);

#define SIGSET_BYTES sizeof(sigset_t)   /* the kernel checks this size */

int sigaction(int signal, const struct sigaction *action, struct sigaction *old)
{
    struct kernel_sigaction k, kold;
    if (action) {
        k.handler = (void *)action->sa_handler;
        k.flags = (unsigned long)action->sa_flags | SA_RESTORER;
        k.restorer = libc_sigrestore;
        k.mask = action->sa_mask;
    }
    if (SYSCALL4(SYS_rt_sigaction, signal, action ? &k : NULL, old ? &kold : NULL,
                 SIGSET_BYTES) < 0)
        return -1;
    if (old) {
        old->sa_handler = (void (*)(int))kold.handler;
        old->sa_flags = (int)kold.flags;
        old->sa_restorer = kold.restorer;
        old->sa_mask = kold.mask;
    }
    return 0;
}

/* BSD semantics, as glibc: the handler stays installed and system calls restart. */
sighandler_t signal(int signal, sighandler_t handler)
{
    struct sigaction action = { .sa_handler = handler, .sa_flags = SA_RESTART };
    struct sigaction old;
    if (sigaction(signal, &action, &old) < 0)
        return SIG_ERR;
    return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    return (int)SYSCALL4(SYS_rt_sigprocmask, how, set, old, SIGSET_BYTES);
}

int sigsuspend(const sigset_t *mask)
{
    cancel_point_begin();
    int r = (int)SYSCALL2(SYS_rt_sigsuspend, mask, SIGSET_BYTES);
    cancel_point_end();
    return r;
}

int sigpending(sigset_t *set)
{
    return (int)SYSCALL2(SYS_rt_sigpending, set, SIGSET_BYTES);
}

int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
    cancel_point_begin();
    int r = (int)SYSCALL4(SYS_rt_sigtimedwait, set, info, timeout, SIGSET_BYTES);
    cancel_point_end();
    return r;
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
    return sigtimedwait(set, info, NULL);
}

/* POSIX lets sigwait skip EINTR (a handler of another signal ran, or a spurious wake): it waits on, as musl's. */
int sigwait(const sigset_t *set, int *signal)
{
    int r;
    do
        r = sigtimedwait(set, NULL, NULL);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return errno;
    *signal = r;
    return 0;
}

int pause(void)
{
    cancel_point_begin();
    int r = (int)SYSCALL0(SYS_pause);
    cancel_point_end();
    return r;
}

unsigned int alarm(unsigned int seconds)
{
    return (unsigned int)__syscall1(SYS_alarm, seconds);
}

/* Signal n is bit n - 1; an out-of-range number is EINVAL. */
static int signal_bit(int signal, sigset_t *bit)
{
    if (signal <= 0 || signal >= NSIG) {
        errno = EINVAL;
        return -1;
    }
    *bit = 1UL << (signal - 1);
    return 0;
}

int sigemptyset(sigset_t *set)
{
    *set = 0;
    return 0;
}

int sigfillset(sigset_t *set)
{
    *set = ~0UL;
    return 0;
}

int sigaddset(sigset_t *set, int signal)
{
    sigset_t bit;
    if (signal_bit(signal, &bit) < 0)
        return -1;
    *set |= bit;
    return 0;
}

int sigdelset(sigset_t *set, int signal)
{
    sigset_t bit;
    if (signal_bit(signal, &bit) < 0)
        return -1;
    *set &= ~bit;
    return 0;
}

int sigismember(const sigset_t *set, int signal)
{
    sigset_t bit;
    if (signal_bit(signal, &bit) < 0)
        return -1;
    return (*set & bit) != 0;
}
