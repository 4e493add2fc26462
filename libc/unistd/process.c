/* Processes: identity, fork, waiting, signals to others, yielding. */
#include <errno.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../internal/libc.h"
#include "../internal/pthread.h"
#include "../internal/syscall.h"

pid_t getpid(void)
{
    return (pid_t)__syscall0(SYS_getpid);
}

pid_t getppid(void)
{
    return (pid_t)__syscall0(SYS_getppid);
}

/* Process groups and sessions: what kill(-pgid) and the terminal's ^C reach. */
int setpgid(pid_t pid, pid_t pgid)
{
    return (int)SYSCALL2(SYS_setpgid, pid, pgid);
}

pid_t getpgid(pid_t pid)
{
    return (pid_t)SYSCALL1(SYS_getpgid, pid);
}

pid_t getpgrp(void)
{
    return (pid_t)__syscall0(SYS_getpgrp);
}

pid_t setsid(void)
{
    return (pid_t)SYSCALL0(SYS_setsid);
}

pid_t getsid(pid_t pid)
{
    return (pid_t)SYSCALL1(SYS_getsid, pid);
}

/* The terminal's foreground group (TIOCGPGRP / TIOCSPGRP on fd). */
pid_t tcgetpgrp(int fd)
{
    int pgid;
    return SYSCALL3(SYS_ioctl, fd, TIOCGPGRP, &pgid) < 0 ? -1 : (pid_t)pgid;
}

int tcsetpgrp(int fd, pid_t pgid)
{
    int value = (int)pgid;
    return (int)SYSCALL3(SYS_ioctl, fd, TIOCSPGRP, &value);
}

pid_t gettid(void)
{
    return (pid_t)__syscall0(SYS_gettid);
}

uid_t getuid(void)
{
    return (uid_t)__syscall0(SYS_getuid);
}

uid_t geteuid(void)
{
    return (uid_t)__syscall0(SYS_geteuid);
}

gid_t getgid(void)
{
    return (gid_t)__syscall0(SYS_getgid);
}

gid_t getegid(void)
{
    return (gid_t)__syscall0(SYS_getegid);
}

/*
 * A copy of this process; 0 in the child, the child's pid in the parent.
 * Buffered stdio output is copied too: flush before forking to print it once.
 * The child has one thread: libc's locks are taken around the call and
 * freed on both sides (thread/fork.c).
 */
pid_t fork(void)
{
    libc_fork_prepare();
    pid_t pid = (pid_t)SYSCALL0(SYS_fork);
    libc_fork_finish(pid == 0);
    return pid;
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage)
{
    cancel_point_begin();
    pid_t r = (pid_t)SYSCALL4(SYS_wait4, pid, status, options, usage);
    cancel_point_end();
    return r;
}

pid_t wait3(int *status, int options, struct rusage *usage)
{
    return wait4(-1, status, options, usage);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    return wait4(pid, status, options, NULL);
}

pid_t wait(int *status)
{
    return wait4(-1, status, 0, NULL);
}

int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
    cancel_point_begin();
    int r = (int)SYSCALL5(SYS_waitid, idtype, id, info, options, NULL);
    cancel_point_end();
    return r;
}

int kill(pid_t pid, int signal)
{
    return (int)SYSCALL2(SYS_kill, pid, signal);
}

/* To the calling thread, as POSIX says (a fatal signal still ends the whole process). */
int raise(int signal)
{
    return (int)SYSCALL3(SYS_tgkill, getpid(), gettid(), signal);
}

int sched_yield(void)
{
    return (int)SYSCALL0(SYS_sched_yield);
}

/* The whole process group pgrp. */
int killpg(pid_t pgrp, int signal)
{
    if (pgrp < 0) {
        errno = EINVAL;
        return -1;
    }
    return kill(-pgrp, signal);
}
