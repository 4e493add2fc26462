/*
 * The options of wait4 and waitid: Linux's values (design contract 6),
 * shared by the kernel and libc.  The status word's encoding is in libc's
 * sys/wait.h (WIFEXITED and friends).
 */
#ifndef ABI_WAIT_H
#define ABI_WAIT_H

#define WNOHANG     0x00000001  /* return 0 at once if no child has changed state */
#define WUNTRACED   0x00000002  /* also report stopped children */
#define WSTOPPED    WUNTRACED   /* waitid's name for it */
#define WEXITED     0x00000004  /* waitid: report children that ended */
#define WCONTINUED  0x00000008  /* also report children continued by SIGCONT */
#define WNOWAIT     0x01000000  /* waitid: leave the child waitable */
#define __WNOTHREAD 0x20000000  /* only children of the calling thread */
#define __WALL      0x40000000  /* any child, whatever signal it sends at exit */
#define __WCLONE    0x80000000  /* only children that send no SIGCHLD at exit */

/* waitid's idtype: which children its id names */
#define P_ALL       0           /* any child (id ignored) */
#define P_PID       1           /* the child whose pid is id */
#define P_PGID      2           /* any child of group id (0: the caller's group) */
#define P_PIDFD     3           /* a pidfd: none here (EINVAL) */

/* The wait status of a stopped child (WIFSTOPPED, WSTOPSIG) and of a continued one (WIFCONTINUED). */
#define WAIT_STATUS_STOPPED(sig)    (0x7f | ((sig) << 8))
#define WAIT_STATUS_CONTINUED       0xffff

#endif
