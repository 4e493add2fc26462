/*
 * Signal dispositions.  A process records, per signal, SIG_DFL, SIG_IGN or
 * a handler address (rt_sigaction), and threads keep a blocked mask
 * (rt_sigprocmask).  Delivery is what kill does (kernel/proc.c): a signal
 * that is not ignored ends the process.  Running user handlers is not
 * implemented yet: a signal with a handler acts as its default.
 */
#include <abi/signal.h>
#include <kernel/errno.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>
#include <lib/string.h>

#define SIGSET_SIZE     8       /* bytes of a kernel sigset_t: 64 signals */
#define SIG_BLOCK       0
#define SIG_UNBLOCK     1
#define SIG_SETMASK     2

struct kernel_sigaction {       /* Linux's, as rt_sigaction takes it */
    uint64_t handler;
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
};

long sys_rt_sigaction(const struct syscall_args *a)
{
    int sig = (int)a->arg[0];
    uint64_t uact = a->arg[1], uold = a->arg[2];
    if (a->arg[3] != SIGSET_SIZE || sig < 1 || sig > NSIG)
        return -EINVAL;
    struct process *p = proc_current();
    /* Only the handler is recorded; oldact reports flags, restorer and mask as 0. */
    struct kernel_sigaction act, old = { .handler = p->sig_handlers[sig - 1] };
    if (uact && copy_from_user(&act, uact, sizeof act) != 0)
        return -EFAULT;
    if (uact && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    if (uold && copy_to_user(uold, &old, sizeof old) != 0)
        return -EFAULT;
    if (uact)
        p->sig_handlers[sig - 1] = act.handler;
    return 0;
}

long sys_rt_sigprocmask(const struct syscall_args *a)
{
    int how = (int)a->arg[0];
    uint64_t uset = a->arg[1], uold = a->arg[2];
    if (a->arg[3] != SIGSET_SIZE)
        return -EINVAL;
    struct thread *t = thread_current();
    uint64_t set = 0, old = t->sigmask;
    if (uset && copy_from_user(&set, uset, sizeof set) != 0)
        return -EFAULT;
    if (uset) {
        switch (how) {
        case SIG_BLOCK:   t->sigmask |= set; break;
        case SIG_UNBLOCK: t->sigmask &= ~set; break;
        case SIG_SETMASK: t->sigmask = set; break;
        default:          return -EINVAL;
        }
        t->sigmask &= ~((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)));
    }
    if (uold && copy_to_user(uold, &old, sizeof old) != 0)
        return -EFAULT;
    return 0;
}

/* The pid of the process thread tid belongs to (in tgid, when tgid > 0), or -ESRCH. */
static int owner_of(int tid, int tgid)
{
    struct thread *t = tid > 0 ? thread_find(tid) : NULL;
    if (!t || (tgid > 0 && t->proc->pid != tgid))
        return -ESRCH;
    return t->proc->pid;
}

/* tkill and tgkill: a fatal signal ends the whole process, whichever thread it is sent to. */
long sys_tkill(const struct syscall_args *a)
{
    int pid = owner_of((int)a->arg[0], 0);
    return pid < 0 ? pid : proc_kill(pid, (int)a->arg[1]);
}

long sys_tgkill(const struct syscall_args *a)
{
    int pid = owner_of((int)a->arg[1], (int)a->arg[0]);
    return pid < 0 ? pid : proc_kill(pid, (int)a->arg[2]);
}
