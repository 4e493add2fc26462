/*
 * Job control: a stop signal stops every thread of a process, SIGCONT
 * resumes them all, and the parent hears of both (wait's WUNTRACED and
 * WCONTINUED reports, SIGCHLD with CLD_STOPPED and CLD_CONTINUED).  See
 * kernel/include/kernel/jobctl.h for the model; the sending side (which
 * signal discards which) is in kernel/signal.c, the waiting side in
 * kernel/proc.c (proc_wait).
 *
 * The states of a live process, under proc_tree_lock:
 *
 *   RUNNING  --stop signal taken-->  STOPPING  --last thread parks-->  STOPPED
 *      ^                                 |                                |
 *      +------------- SIGCONT -----------+---------------- SIGCONT -------+
 *
 * p->stop_owed counts the threads that still have to park; a thread that
 * owes one has t->stop_owed set.  A thread that joins a stopping process
 * owes one too, and one that ends pays its share by leaving.
 */
#include <abi/signal.h>
#include <abi/wait.h>
#include <arch/trap.h>
#include <kernel/errno.h>
#include <kernel/jobctl.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/signal.h>

bool sig_is_stop(int sig)
{
    return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/*
 * p stopped or continued: a report for its parent's wait (status), and
 * SIGCHLD with code unless the parent asked for none (SA_NOCLDSTOP).
 * proc_tree_lock held.
 */
static void report_to_parent(struct process *p, int code, int status, int sig)
{
    struct process *parent = p->parent;
    p->wait_report = status;
    if (!parent || parent == &kernel_process)
        return;
    wake_all(&parent->child_exit);
    if (!(parent->actions[SIGCHLD - 1].flags & SA_NOCLDSTOP))
        signal_send(parent, NULL, SIGCHLD, (struct sig_origin){ .code = code, .pid = p->pid, .status = sig });
}

/* A process being killed, ending or replaced by exec does not stop (or stays stopped no longer). */
static bool dying(const struct process *p)
{
    return p->kill_signal || p->exiting || p->execer;
}

/* The last thread has parked: p is stopped.  proc_tree_lock held. */
static void stop_done(struct process *p)
{
    p->stop_state = PROC_STOPPED;
    report_to_parent(p, CLD_STOPPED, WAIT_STATUS_STOPPED(p->stop_signal), p->stop_signal);
}

void jobctl_stop(struct process *p, int sig)
{
    proc_tree_lock_assert_held();
    if (p->stop_state != PROC_RUNNING || dying(p))
        return;
    p->stop_state = PROC_STOPPING;
    p->stop_signal = sig;
    p->stop_owed = 0;
    list_for_each(pos, &p->threads) {
        struct thread *t = container_of(pos, struct thread, proc_link);
        t->stop_owed = true;
        p->stop_owed++;
        sched_signal_wake(t);   /* out of an interruptible sleep, or out of user mode on its CPU */
    }
}

void jobctl_continue(struct process *p)
{
    proc_tree_lock_assert_held();
    if (p->stop_state == PROC_RUNNING)
        return;
    bool was_stopped = p->stop_state == PROC_STOPPED;
    p->stop_state = PROC_RUNNING;
    p->stop_owed = 0;
    list_for_each(pos, &p->threads)
        container_of(pos, struct thread, proc_link)->stop_owed = false;
    wake_all(&p->stop_wait);
    if (was_stopped)            /* a stop never completed was never reported: nothing to undo */
        report_to_parent(p, CLD_CONTINUED, WAIT_STATUS_CONTINUED, SIGCONT);
}

void jobctl_thread_added(struct process *p, struct thread *t)
{
    proc_tree_lock_assert_held();
    if (p->stop_state != PROC_STOPPING)
        return;                 /* stopped: every thread is parked, so none is making threads */
    t->stop_owed = true;
    p->stop_owed++;
    sched_signal_wake(t);       /* it parks before its first user instruction */
}

void jobctl_thread_gone(struct process *p, struct thread *t, bool last)
{
    proc_tree_lock_assert_held();
    if (!t->stop_owed)
        return;
    t->stop_owed = false;
    if (--p->stop_owed == 0 && p->stop_state == PROC_STOPPING && !last && !dying(p))
        stop_done(p);
}

bool jobctl_owes_park(void)
{
    return __atomic_load_n(&thread_current()->stop_owed, __ATOMIC_RELAXED);
}

/*
 * Pay the running thread's share of the stop and sleep until SIGCONT
 * (or a kill, an exit or an exec elsewhere in the process).  A SIGCONT
 * followed at once by another stop finds the thread still here: it owes
 * a park again and pays it in the next round of the loop.
 */
void jobctl_park(void)
{
    struct thread *t = thread_current();
    struct process *p = t->proc;
    proc_tree_lock_take();
    while (t->stop_owed && !dying(p)) {
        t->stop_owed = false;
        t->was_stopped = true;
        if (--p->stop_owed == 0 && p->stop_state == PROC_STOPPING)
            stop_done(p);
        while (p->stop_state != PROC_RUNNING && !t->stop_owed && !dying(p))
            if (proc_tree_sleep_killable(&p->stop_wait, "stopped") != 0)
                break;          /* killed: return_to_user ends the thread */
    }
    proc_tree_lock_drop();
    t->work = true;             /* look again: a kill, a signal that came meanwhile */
}

void jobctl_after_park(struct trap_frame *tf)
{
    struct thread *t = thread_current();
    if (!t->was_stopped)
        return;
    t->was_stopped = false;
    signal_restore_suspended_mask();        /* sigsuspend's mask, with no handler to put it back */
    if (trap_is_syscall(tf) && trap_syscall_result(tf) == -EINTR && !t->no_restart)
        trap_syscall_restart(tf);
}

/*
 * The job-control rule of a terminal (Linux's tty_check_change and
 * job_control): a process of the terminal's session outside its
 * foreground group that reads it (sig SIGTTIN), or writes with TOSTOP or
 * changes its settings (SIGTTOU), signals its own group instead, so that
 * the group stops until the shell brings it to the foreground; the call
 * then runs again.  One that ignores or blocks sig reads nothing (EIO)
 * and writes as it likes; an orphaned group, which no shell will
 * continue, gets EIO.  0 means go ahead.
 */
long jobctl_tty_access(int session, int foreground, int sig)
{
    struct thread *t = thread_current();
    struct process *p = t->proc;
    long r = 0;
    proc_tree_lock_take();
    bool refused = (t->sigmask & SIGNAL_BIT(sig)) || p->actions[sig - 1].handler == SIG_IGN_HANDLER;
    if (!session || p->sid != session || p->pgid == foreground)
        r = 0;                          /* not its controlling terminal, or in the foreground */
    else if (refused)
        r = sig == SIGTTIN ? -EIO : 0;
    else if (proc_group_orphaned(p->pgid))
        r = -EIO;
    else {
        proc_signal_group(p->pgid, sig, SIG_FROM_KERNEL);
        t->work = true;                 /* the caller stops on its way out, then runs the call again */
        r = -EINTR;
    }
    proc_tree_lock_drop();
    return r;
}
