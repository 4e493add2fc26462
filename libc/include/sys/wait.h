/*
 * Waiting for children.  The status word is Linux's: exit code in bits
 * 8-15 with the low 7 bits zero; a killing signal in the low 7 bits (bit 7:
 * core dumped); stopped: 0x7f in the low byte, the signal above it.
 */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H

#include <bits/types.h>
#include <signal.h>         /* siginfo_t, for waitid */

#include <abi/wait.h>       /* WNOHANG and the other options, shared with the kernel */

#define __WSIG_MASK     0x7f
#define __WSTOPPED_MARK 0x7f
#define __WCORE_FLAG    0x80
#define __WCONTINUED_STATUS 0xffff

#define WEXITSTATUS(s)  (((s) >> 8) & 0xff)
#define WTERMSIG(s)     ((s) & __WSIG_MASK)
#define WSTOPSIG(s)     WEXITSTATUS(s)
#define WCOREDUMP(s)    ((s) & __WCORE_FLAG)
#define WIFEXITED(s)    (WTERMSIG(s) == 0)
#define WIFSTOPPED(s)   (((s) & 0xff) == __WSTOPPED_MARK)
#define WIFSIGNALED(s)  (WTERMSIG(s) != 0 && WTERMSIG(s) != __WSTOPPED_MARK)
#define WIFCONTINUED(s) ((s) == __WCONTINUED_STATUS)

struct rusage;

typedef int idtype_t;       /* waitid's P_ALL, P_PID, P_PGID (abi/wait.h) */

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait3(int *status, int options, struct rusage *usage);
pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage);

/* The same wait told in a siginfo (si_code CLD_*, si_pid, si_status); options must name WEXITED, WSTOPPED or WCONTINUED. */
int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options);

#endif
