/* Signal numbers: Linux x86_64's (design contract 6), shared by the kernel and libc. */
#ifndef ABI_SIGNAL_H
#define ABI_SIGNAL_H

#define SIGHUP     1
#define SIGINT     2
#define SIGQUIT    3
#define SIGILL     4
#define SIGTRAP    5
#define SIGABRT    6
#define SIGBUS     7
#define SIGFPE     8
#define SIGKILL    9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31

/* sigaction flags */
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004 /* the handler takes (sig, siginfo, ucontext) */
#define SA_RESTORER  0x04000000 /* sa_restorer holds the code that calls rt_sigreturn */
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000 /* restart a system call the signal interrupted */
#define SA_NODEFER   0x40000000 /* do not block the signal while its handler runs */
#define SA_RESETHAND 0x80000000 /* back to SIG_DFL once delivered */

/* siginfo si_code values */
#define SI_USER      0          /* sent by kill */
#define SI_TKILL     (-6)       /* sent by tkill/tgkill */
#define SI_KERNEL    0x80       /* sent by the kernel (an alarm, the terminal's ^C, SIGPIPE) */
#define CLD_EXITED   1          /* SIGCHLD: the child exited */
#define CLD_KILLED   2          /* SIGCHLD: a signal killed it */
#define CLD_DUMPED   3          /* SIGCHLD: a signal killed it and it dumped core (never here) */
#define CLD_TRAPPED  4          /* SIGCHLD: a traced child trapped (no ptrace here) */
#define CLD_STOPPED  5          /* SIGCHLD: the child stopped (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) */
#define CLD_CONTINUED 6         /* SIGCHLD: SIGCONT continued the stopped child */
#define SEGV_MAPERR  1          /* no mapping at the address */
#define SEGV_ACCERR  2          /* a mapping, but not for this access */

#endif
