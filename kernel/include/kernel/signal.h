/*
 * Signals.  What a signal does to the process it is sent to depends on its
 * disposition: ignored (SIG_IGN, or SIG_DFL for the signals ignored by
 * default), fatal (SIG_DFL otherwise, and always SIGKILL), or handled by a
 * user function, which runs on the thread's stack the next time a thread
 * that does not block the signal returns to user mode (a sleeping one is
 * woken: its system call fails with EINTR, or restarts with SA_RESTART).
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

struct process;
struct thread;
struct trap_frame;

enum signal_effect {
    SIGNAL_IGNORED,
    SIGNAL_KILLS,
    SIGNAL_HANDLED,
};

#define SIGNAL_BIT(sig) (1ull << ((sig) - 1))

enum signal_effect signal_effect(const struct process *p, int sig);

/* Queue a handled signal for the process (or one thread) and wake a thread to take it. proc_tree_lock held. */
void signal_queue(struct process *p, struct thread *t, int sig);

/* Run the handler of a pending, unblocked signal, if any (on the way back to user mode). */
void signal_deliver(struct trap_frame *tf);

/* True if the running thread has a signal to deliver. */
bool signal_ready(void);

/*
 * A wait with another signal mask (sigsuspend, ppoll, pselect6): the
 * 8-byte user mask at umask replaces the caller's until the wait ends
 * (0, -EINVAL for another size, -EFAULT).  signal_mask_after_wait(result)
 * puts the caller's back, unless the wait was interrupted (-EINTR): then
 * the delivery of the handler does, after it ran with the wait's mask in
 * force, as POSIX says.
 */
long signal_mask_for_wait(uint64_t umask, uint64_t size);
void signal_mask_after_wait(long result);

#endif
