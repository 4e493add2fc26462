/*
 * Signals: dispositions (rt_sigaction), blocked sets (rt_sigprocmask,
 * rt_sigsuspend), queueing and delivery to user handlers (the frame itself
 * is arch/x86_64/signal.c), rt_sigreturn, pause, tkill/tgkill, and
 * rt_sigtimedwait, which takes a pending signal as a message instead of
 * running its action.  See kernel/include/kernel/signal.h for the model.
 *
 * Pending sets: p->sig_pending for signals sent to the process (kill),
 * t->sig_pending for one thread (tkill, and faults with a handler), each
 * with its senders in sig_from; all under proc_tree_lock.  A signal some
 * thread acts on at once and whose action kills does not wait in a set: it
 * goes straight to proc_mark_killed.  One that every thread blocks waits,
 * whatever its action, as on Linux: blocked signals are not delivered.
 */
#include <abi/signal.h>
#include <arch/signal.h>
#include <kernel/errno.h>
#include <kernel/jobctl.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/vm.h>
#include <lib/string.h>

#define SIGSET_SIZE     8       /* bytes of a kernel sigset_t: 64 signals */
#define SIG_BLOCK       0
#define SIG_UNBLOCK     1
#define SIG_SETMASK     2
#define UNBLOCKABLE     (SIGNAL_BIT(SIGKILL) | SIGNAL_BIT(SIGSTOP))
#define STOP_SIGNALS    (SIGNAL_BIT(SIGSTOP) | SIGNAL_BIT(SIGTSTP) | SIGNAL_BIT(SIGTTIN) | SIGNAL_BIT(SIGTTOU))

/* SIGCONT's default is to do nothing more than the continuing that any SIGCONT does when sent. */
static bool ignored_by_default(int sig)
{
    switch (sig) {
    case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH:
        return true;
    default:
        return false;
    }
}

/* Init is spared every default action but a handler's, stops included (as Linux). */
enum signal_effect signal_effect(const struct process *p, int sig)
{
    if (sig == SIGKILL)
        return SIGNAL_KILLS;
    uint64_t handler = p->actions[sig - 1].handler;
    if (handler == SIG_IGN_HANDLER || (handler == SIG_DFL_HANDLER && ignored_by_default(sig)))
        return SIGNAL_IGNORED;
    if (handler == SIG_DFL_HANDLER && sig_is_stop(sig))
        return proc_is_init(p) ? SIGNAL_IGNORED : SIGNAL_STOPS;
    return handler == SIG_DFL_HANDLER ? SIGNAL_KILLS : SIGNAL_HANDLED;
}

/* Take the signals of mask off p's pending sets and its threads'. proc_tree_lock held. */
static void discard_pending(struct process *p, uint64_t mask)
{
    p->sig_pending &= ~mask;
    list_for_each(pos, &p->threads)
        container_of(pos, struct thread, proc_link)->sig_pending &= ~mask;
}

/*
 * What sending sig does before it is queued, as Linux: a stop discards a
 * pending SIGCONT; SIGCONT discards pending stops and continues p at
 * once, whether it is blocked, ignored or handled.
 */
static void stop_or_continue(struct process *p, int sig)
{
    if (sig_is_stop(sig)) {
        discard_pending(p, SIGNAL_BIT(SIGCONT));
    } else if (sig == SIGCONT) {
        discard_pending(p, STOP_SIGNALS);
        jobctl_continue(p);
    }
}

/* True if t acts on sig now: it does not block it, or it waits for it in sigtimedwait. */
static bool takes_now(const struct thread *t, int sig)
{
    return !(t->sigmask & SIGNAL_BIT(sig)) || (t->sigwait_set & SIGNAL_BIT(sig));
}

/*
 * The thread of p that takes a signal sent to the process: one waiting for
 * it in sigtimedwait (it asked for it), else the first that does not block
 * it; NULL if every thread blocks it.  proc_tree_lock held.
 */
static struct thread *process_taker(struct process *p, int sig)
{
    struct thread *unblocked = NULL;
    list_for_each(pos, &p->threads) {
        struct thread *t = container_of(pos, struct thread, proc_link);
        if (t->sigwait_set & SIGNAL_BIT(sig))
            return t;
        if (!unblocked && takes_now(t, sig))
            unblocked = t;
    }
    return unblocked;
}

/* Mark sig pending in *pending, keeping the first sender of a signal already there. */
static void mark_pending(uint64_t *pending, struct sig_origin *senders, int sig, struct sig_origin from)
{
    if (!(*pending & SIGNAL_BIT(sig)))
        senders[sig - 1] = from;
    *pending |= SIGNAL_BIT(sig);
}

void signal_queue(struct process *p, struct thread *t, int sig, struct sig_origin from)
{
    proc_tree_lock_assert_held();
    if (t) {
        mark_pending(&t->sig_pending, t->sig_from, sig, from);
    } else {
        mark_pending(&p->sig_pending, p->sig_from, sig, from);
        t = process_taker(p, sig);
    }
    if (t && takes_now(t, sig))
        sched_signal_wake(t);
}

void signal_send(struct process *p, struct thread *thread, int sig, struct sig_origin from)
{
    proc_tree_lock_assert_held();
    if (!sig || p->state != PROC_ALIVE)
        return;
    stop_or_continue(p, sig);
    struct thread *taker = thread ? thread : process_taker(p, sig);
    /* Acted on now: by a thread that does not block it, and not as a message of sigtimedwait. */
    bool acted_on = taker && !(taker->sigmask & SIGNAL_BIT(sig)) && !(taker->sigwait_set & SIGNAL_BIT(sig));
    enum signal_effect effect = signal_effect(p, sig);
    /* A stopped process acts on nothing but SIGKILL: a fatal signal waits, pending, for SIGCONT (POSIX). */
    bool stopped = p->stop_state != PROC_RUNNING;
    if (sig == SIGKILL || (acted_on && effect == SIGNAL_KILLS && !stopped))
        proc_mark_killed(p, sig);
    else if (!acted_on || effect != SIGNAL_IGNORED)
        signal_queue(p, thread, sig, from);     /* handled, or a stop: the taker acts on it */
}

void siginfo_fill(struct siginfo *si, int sig, struct sig_origin from, uint64_t addr)
{
    memset(si, 0, sizeof *si);
    si->signo = sig;
    si->code = from.code;
    if (sig == SIGCHLD && from.code > 0) {                  /* SIGCHLD's codes (CLD_*) share the numbers */
        si->fields.child.pid = from.pid;
        si->fields.child.status = from.status;
    } else if (sig_code_is_fault(from.code)) {
        si->fields.addr = addr;
    } else {
        si->fields.kill.pid = from.pid;     /* uid 0: every process is root's */
    }
}

bool signal_ready(void)
{
    struct thread *t = thread_current();
    return ((t->sig_pending | t->proc->sig_pending) & ~t->sigmask) != 0;
}

/* After the blocked set changed: a pending signal it lets through is delivered on the way out. */
static void note_unblocked(struct thread *t)
{
    if (signal_ready())
        t->work = true;
}

/* A signal taken off a pending set: for delivery (with its action then), or by sigtimedwait. */
struct taken_signal {
    int sig;                    /* 0: none was ready */
    struct sig_origin from;
    uint64_t fault_addr;
    struct sig_action act;      /* a copy: another thread may change the action meanwhile */
    enum signal_effect effect;
};

/*
 * Take the lowest signal of set pending for t, its own first, then its
 * process's (as Linux), into s; false if none is.  proc_tree_lock held.
 */
static bool dequeue(struct thread *t, uint64_t set, struct taken_signal *s)
{
    struct process *p = t->proc;
    proc_tree_lock_assert_held();
    bool own = (t->sig_pending & set) != 0;
    uint64_t *pending = own ? &t->sig_pending : &p->sig_pending;
    uint64_t ready = *pending & set;
    if (!ready)
        return false;
    s->sig = __builtin_ctzll(ready) + 1;
    *pending &= ~SIGNAL_BIT(s->sig);
    s->from = own ? t->sig_from[s->sig - 1] : p->sig_from[s->sig - 1];
    s->fault_addr = own && sig_code_is_fault(s->from.code) ? t->fault_addr : 0;
    return true;
}

/*
 * Take the lowest unblocked pending signal, with a copy of its action,
 * under proc_tree_lock (sigaction in another thread takes it too); a
 * handler with SA_RESETHAND goes back to the default in the same step,
 * and a stop begins in the same step too, so a SIGCONT sent meanwhile
 * cannot come between the taking and the stopping.  A terminal's stop
 * (not SIGSTOP) does nothing to an orphaned group, as POSIX says: no
 * shell is there to continue it.
 */
static struct taken_signal take_signal(struct thread *t)
{
    struct process *p = t->proc;
    struct taken_signal s = { 0 };
    proc_tree_lock_take();
    if (dequeue(t, ~t->sigmask, &s)) {
        s.act = p->actions[s.sig - 1];
        s.effect = signal_effect(p, s.sig);     /* the action may have changed since it was sent */
        if (s.effect == SIGNAL_HANDLED && (s.act.flags & SA_RESETHAND))
            p->actions[s.sig - 1].handler = SIG_DFL_HANDLER;
        if (s.effect == SIGNAL_STOPS && s.sig != SIGSTOP && proc_group_orphaned(p->pgid))
            s.effect = SIGNAL_IGNORED;
        else if (s.effect == SIGNAL_STOPS)
            jobctl_stop(p, s.sig);
    }
    proc_tree_lock_drop();
    return s;
}

/* The handler cannot be entered (why, at addr): the process dies of SIGSEGV, with a line in the log. */
static __attribute__((noreturn)) void handler_unreachable(const char *why, uint64_t addr)
{
    struct process *p = proc_current();
    kprintf("pid %d (%s): %s %#lx: killed by signal %d\n", p->pid, p->name, why, addr, SIGSEGV);
    irq_enable();
    proc_exit(wait_status_signaled(SIGSEGV));
}

void signal_deliver(struct trap_frame *tf)
{
    struct thread *t = thread_current();
    struct process *p = t->proc;
    struct taken_signal s = take_signal(t);
    int sig = s.sig;
    uint64_t fault_addr = s.fault_addr;
    const struct sig_action *act = &s.act;
    enum signal_effect effect = s.effect;
    if (!sig)
        return;
    if (effect == SIGNAL_IGNORED || effect == SIGNAL_STOPS || (effect == SIGNAL_KILLS && proc_is_init(p)))
        return;                 /* init ignores what it does not handle; a stop parks (jobctl_park) */
    if (effect == SIGNAL_KILLS || !(act->flags & SA_RESTORER)) {
        irq_enable();           /* no way back from a handler without a restorer: as Linux, SIGSEGV */
        proc_exit(wait_status_signaled(effect == SIGNAL_KILLS ? sig : SIGSEGV));
    }
    if (act->handler >= TASK_SIZE)      /* a return there could fault in kernel mode: as Linux, SIGSEGV */
        handler_unreachable("signal handler outside user space at", act->handler);
    if (trap_is_syscall(tf) && trap_syscall_result(tf) == -EINTR && (act->flags & SA_RESTART) &&
        !t->no_restart)
        trap_syscall_restart(tf);               /* run the interrupted call again after the handler */
    t->was_stopped = false;                     /* the handler decided the call's fate, not a stop */
    struct signal_delivery d = {
        .sig = sig, .from = s.from, .addr = fault_addr,
        .handler = act->handler, .restorer = act->restorer,
        .saved_mask = t->suspended_mask ? t->saved_mask : t->sigmask,
    };
    t->suspended_mask = false;
    if (arch_signal_setup(tf, &t->arch, &d) != 0)
        handler_unreachable("no room for a signal frame below the stack pointer", trap_user_sp(tf));
    t->sigmask = (d.saved_mask | act->mask | ((act->flags & SA_NODEFER) ? 0 : SIGNAL_BIT(sig))) & ~UNBLOCKABLE;
}

long sys_rt_sigreturn(const struct syscall_args *a)
{
    struct thread *t = thread_current();
    uint64_t mask;
    if (arch_signal_return(a->tf, &t->arch, &mask) != 0) {
        struct process *p = t->proc;
        kprintf("pid %d (%s): bad signal frame: killed by signal %d\n", p->pid, p->name, SIGSEGV);
        proc_exit(wait_status_signaled(SIGSEGV));
    }
    t->sigmask = mask & ~UNBLOCKABLE;
    note_unblocked(t);
    trap_mark_restored(a->tf);      /* RCX and R11 matter too: back by IRETQ, not SYSRET */
    return trap_syscall_result(a->tf);      /* the interrupted code's rax, untouched */
}

long sys_rt_sigaction(const struct syscall_args *a)
{
    int sig = (int)a->arg[0];
    uint64_t uact = a->arg[1], uold = a->arg[2];
    if (a->arg[3] != SIGSET_SIZE || sig < 1 || sig > NSIG)
        return -EINVAL;
    struct process *p = proc_current();
    struct sig_action act = { 0 }, old = { 0 };
    if (uact && copy_from_user(&act, uact, sizeof act) != 0)
        return -EFAULT;
    if (uact && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    if (uold && copy_to_user(uold, &old, sizeof old) != 0)
        return -EFAULT;         /* checked before anything changes, so a bad pointer changes nothing */
    act.mask &= ~UNBLOCKABLE;
    proc_tree_lock_take();      /* the old action is the one replaced, whatever a sibling does */
    old = p->actions[sig - 1];
    if (uact)
        p->actions[sig - 1] = act;
    proc_tree_lock_drop();
    if (uold)
        copy_to_user(uold, &old, sizeof old);   /* checked writable above */
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
        t->sigmask &= ~UNBLOCKABLE;
        note_unblocked(t);
    }
    if (uold && copy_to_user(uold, &old, sizeof old) != 0)
        return -EFAULT;
    return 0;
}

/* The signals waiting for delivery (blocked ones, mostly). */
long sys_rt_sigpending(const struct syscall_args *a)
{
    if (a->arg[1] != SIGSET_SIZE)
        return -EINVAL;
    struct thread *t = thread_current();
    uint64_t pending = t->sig_pending | t->proc->sig_pending;
    return copy_to_user(a->arg[0], &pending, sizeof pending) ? -EFAULT : 0;
}

/* Sleep until a signal is delivered (or the process dies): always -EINTR, never restarted. */
static long wait_for_signal(const char *reason)
{
    while (!signal_ready() && sleep_on(NULL, NULL, reason) == 0)
        ;
    thread_current()->no_restart = true;
    return -EINTR;
}

long sys_pause(const struct syscall_args *a)
{
    (void)a;
    return wait_for_signal("pause");
}

long signal_mask_for_wait(uint64_t umask, uint64_t size)
{
    struct thread *t = thread_current();
    uint64_t mask;
    if (size != SIGSET_SIZE)
        return -EINVAL;
    if (copy_from_user(&mask, umask, sizeof mask) != 0)
        return -EFAULT;
    t->saved_mask = t->sigmask;         /* back in force once the handler returns */
    t->suspended_mask = true;
    t->sigmask = mask & ~UNBLOCKABLE;
    note_unblocked(t);
    return 0;
}

void signal_restore_suspended_mask(void)
{
    struct thread *t = thread_current();
    if (!t->suspended_mask)
        return;
    t->sigmask = t->saved_mask;
    t->suspended_mask = false;
    note_unblocked(t);
}

void signal_mask_after_wait(long result)
{
    if (result != -EINTR)               /* else the handler's delivery puts the saved mask back */
        signal_restore_suspended_mask();
}

long sys_rt_sigsuspend(const struct syscall_args *a)
{
    long err = signal_mask_for_wait(a->arg[0], a->arg[1]);
    return err ? err : wait_for_signal("sigsusp");
}

/* tkill and tgkill: a signal for one thread; a fatal one it does not block ends its whole process. */
static long kill_thread(int tgid, int tid, int sig)
{
    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    struct sig_origin from = { .code = SI_TKILL, .pid = proc_current()->pid };
    proc_tree_lock_take();
    struct thread *t = tid > 0 ? thread_find(tid) : NULL;
    if (!t || (tgid > 0 && t->proc->pid != tgid)) {
        proc_tree_lock_drop();
        return -ESRCH;
    }
    signal_send(t->proc, t, sig, from);
    proc_tree_lock_drop();
    return 0;
}

long sys_tkill(const struct syscall_args *a)
{
    return kill_thread(0, (int)a->arg[0], (int)a->arg[1]);
}

long sys_tgkill(const struct syscall_args *a)
{
    return kill_thread((int)a->arg[0], (int)a->arg[1], (int)a->arg[2]);
}

/* ---- rt_sigtimedwait: a pending signal taken as a message ---- */

/*
 * Wait until a signal of set is pending for the caller and take it into
 * s: its number, -EAGAIN when the deadline (0: none) passes or at once
 * with no_wait, or -EINTR when a signal outside set is to be handled (or
 * the process dies).  While the caller waits, sigwait_set makes senders
 * pick and wake it for the signals of set, blocked or not.
 */
static long wait_for_signals(uint64_t set, uint64_t deadline, bool no_wait, struct taken_signal *s)
{
    struct thread *t = thread_current();
    int err = 0;
    bool found;
    proc_tree_lock_take();
    t->sigwait_set = set;
    while (!(found = dequeue(t, set, s)) && !no_wait && !err) {
        proc_tree_lock_drop();
        /* A signal queued from here on sets t->signal_wake first: the sleep ends at once, nothing is lost. */
        err = sleep_on_until(NULL, NULL, "sigwait", deadline);
        proc_tree_lock_take();
    }
    t->sigwait_set = 0;
    proc_tree_lock_drop();
    if (found)
        return s->sig;
    if (no_wait || err == -ETIMEDOUT)
        return -EAGAIN;
    t->no_restart = true;               /* as Linux: sigtimedwait is never restarted */
    return -EINTR;
}

/*
 * rt_sigtimedwait(set, info, timeout, sigsetsize): the lowest pending
 * signal of set, taken without running its action, its siginfo at info
 * (if not NULL).  SIGKILL and SIGSTOP in set are left out (as Linux).
 */
long sys_rt_sigtimedwait(const struct syscall_args *a)
{
    uint64_t uset = a->arg[0], uinfo = a->arg[1], uts = a->arg[2];
    uint64_t set, deadline;
    bool no_wait;
    if (a->arg[3] != SIGSET_SIZE)
        return -EINVAL;
    if (copy_from_user(&set, uset, sizeof set) != 0)
        return -EFAULT;
    long r = timeout_from_user(uts, &no_wait, &deadline);
    if (r)
        return r;
    struct taken_signal s = { 0 };
    r = wait_for_signals(set & ~UNBLOCKABLE, deadline, no_wait, &s);
    if (r <= 0 || !uinfo)
        return r;
    struct siginfo info;
    siginfo_fill(&info, s.sig, s.from, s.fault_addr);
    return copy_to_user(uinfo, &info, sizeof info) ? -EFAULT : r;   /* as Linux: the signal is gone */
}
