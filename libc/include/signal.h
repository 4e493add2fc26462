/*
 * Signals: Linux's numbers, flags and sigaction layout (design contract 6).
 * sigset_t is the kernel's 64-bit mask (one bit per signal 1..64).
 */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include <bits/types.h>

#include <abi/signal.h>     /* SIGHUP ... SIGSYS, shared with the kernel */

#define SIGIOT     SIGABRT
#define SIGPOLL    SIGIO
#define SIGRTMIN  32
#define SIGRTMAX  64
#define NSIG      65            /* one more than the highest signal number */
#define _NSIG     NSIG

typedef int sig_atomic_t;
typedef unsigned long sigset_t;
typedef void (*sighandler_t)(int);

#define SIG_ERR  ((sighandler_t)-1)
#define SIG_DFL  ((sighandler_t)0)
#define SIG_IGN  ((sighandler_t)1)


#define SIG_BLOCK    0
#define SIG_UNBLOCK  1
#define SIG_SETMASK  2

union sigval {
    int sival_int;
    void *sival_ptr;
};

/*
 * Linux's siginfo_t, 128 bytes, with the fields programs commonly read.
 * Named unions and macros (as glibc does) rather than anonymous ones, so
 * that -std=c99 -pedantic programs compile too.
 */
#define __SI_BYTES 128
typedef struct {
    int si_signo;
    int si_errno;
    int si_code;
    int __pad;
    union {
        char __size[__SI_BYTES - 4 * sizeof(int)];
        struct {                /* kill, sigqueue, SIGCHLD */
            pid_t __pid;
            uid_t __uid;
            union {
                int __status;   /* SIGCHLD */
                union sigval __value;
            } __u;
        } __kill;
        void *__addr;           /* SIGSEGV, SIGBUS, SIGILL, SIGFPE */
    } __fields;
} siginfo_t;

#define si_pid    __fields.__kill.__pid
#define si_uid    __fields.__kill.__uid
#define si_status __fields.__kill.__u.__status
#define si_value  __fields.__kill.__u.__value
#define si_addr   __fields.__addr

struct sigaction {
    union {
        void (*__handler)(int);
        void (*__sigaction)(int, siginfo_t *, void *);
    } __sa_handler;
    sigset_t sa_mask;
    int sa_flags;
    void (*sa_restorer)(void);
};

#define sa_handler   __sa_handler.__handler
#define sa_sigaction __sa_handler.__sigaction

sighandler_t signal(int signal, sighandler_t handler);
int sigaction(int signal, const struct sigaction *action, struct sigaction *old);
int kill(pid_t pid, int signal);
int killpg(pid_t pgrp, int signal);
int raise(int signal);
int sigprocmask(int how, const sigset_t *set, sigset_t *old);
int pthread_sigmask(int how, const sigset_t *set, sigset_t *old);   /* an error number, not -1 */
int sigsuspend(const sigset_t *mask);
int sigpending(sigset_t *set);
/* Take a pending signal of set as a message, without running its action (block set first). */
int sigwait(const sigset_t *set, int *signal);     /* an error number, not -1 */
int sigwaitinfo(const sigset_t *set, siginfo_t *info);
int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int signal);
int sigdelset(sigset_t *set, int signal);
int sigismember(const sigset_t *set, int signal);
void psignal(int signal, const char *message);

#endif
