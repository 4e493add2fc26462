/*
 * Job control: stopping and continuing whole processes (kernel/jobctl.c).
 *
 * The process is the unit.  A stop signal whose action is the default
 * (SIGSTOP always; SIGTSTP, SIGTTIN, SIGTTOU unless handled or ignored)
 * makes the thread that takes it begin a stop: the process is STOPPING,
 * every thread owes a park and is woken (an interruptible sleep ends with
 * EINTR) or kicked out of user mode on its CPU.  Each thread, on its way
 * back to user mode, parks itself on p->stop_wait; the last to park makes
 * the process STOPPED and tells the parent (wait's WUNTRACED report,
 * SIGCHLD with CLD_STOPPED unless SA_NOCLDSTOP).  SIGCONT, whatever its
 * action, continues the process when it is sent: every thread leaves its
 * park, the parent gets a WCONTINUED report and CLD_CONTINUED.  A kill
 * ends the park too: a stopped process still dies of SIGKILL.
 *
 * A system call that a stop interrupted (its sleep ended with EINTR) runs
 * again once the process continues, unless a handler ran or the call is
 * one that never restarts (pause, sigsuspend, nanosleep, sigtimedwait):
 * those return EINTR, as signal(7) allows.
 *
 * Locking: every field is proc_tree_lock's ([t] in struct process, [p] in
 * struct thread), so a stop and a SIGCONT sent from two CPUs at once
 * are ordered by it.
 */
#ifndef KERNEL_JOBCTL_H
#define KERNEL_JOBCTL_H

#include <stdbool.h>

struct process;
struct thread;
struct trap_frame;

/* SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: what a default action stops. */
bool sig_is_stop(int sig);

/* Begin stopping p for sig (the caller took sig from p's pending sets). proc_tree_lock held. */
void jobctl_stop(struct process *p, int sig);

/* SIGCONT was sent to p: end its stop, if any. proc_tree_lock held. */
void jobctl_continue(struct process *p);

/* A thread joins p, or leaves it (last: it was p's last thread): its share of a stop. proc_tree_lock held. */
void jobctl_thread_added(struct process *p, struct thread *t);
void jobctl_thread_gone(struct process *p, struct thread *t, bool last);

/* True if the running thread owes a park (a hint, read without the lock). */
bool jobctl_owes_park(void);

/* Park the running thread while its process is stopped (return_to_user, interrupts off). */
void jobctl_park(void);

/*
 * The last step of return_to_user's work: after a park, an interrupted
 * call (EINTR, restartable) runs again, and a sigsuspend's mask goes back,
 * unless a handler was delivered (signal_deliver clears was_stopped).
 */
void jobctl_after_park(struct trap_frame *tf);

/*
 * May the caller use its terminal, whose session and foreground group
 * are these?  sig is SIGTTIN for a read, SIGTTOU for a write (with
 * TOSTOP) or a change of settings: 0 (go ahead), -EIO, or -EINTR once
 * sig has gone to the caller's group (the call runs again when continued).
 */
long jobctl_tty_access(int session, int foreground, int sig);

#endif
