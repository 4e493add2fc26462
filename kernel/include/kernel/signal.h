/*
 * Signals.  What a signal does to the process it is sent to depends on its
 * disposition: ignored (SIG_IGN, or SIG_DFL for the signals ignored by
 * default), fatal (SIG_DFL otherwise, and always SIGKILL), or handled by a
 * user function, which runs on the thread's stack the next time a thread
 * that does not block the signal returns to user mode (a sleeping one is
 * woken: its system call fails with EINTR, or restarts with SA_RESTART).
 * A blocked signal is not delivered, so whatever its action it waits in a
 * pending set until a thread unblocks it or takes it as a message with
 * rt_sigtimedwait (only SIGKILL and synchronous faults kill at once).
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <abi/signal.h>

struct process;
struct thread;
struct trap_frame;

#define NSIG            64      /* Linux's signal count */

enum signal_effect {
    SIGNAL_IGNORED,
    SIGNAL_KILLS,
    SIGNAL_HANDLED,
    SIGNAL_STOPS,               /* the default of SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: kernel/jobctl.c */
};

#define SIGNAL_BIT(sig) (1ull << ((sig) - 1))

/*
 * Who sent a pending signal: what a SA_SIGINFO handler and sigtimedwait
 * find in siginfo.  One per pending signal: a standard signal sent again
 * while pending is not queued twice, and keeps its first sender (as Linux).
 */
struct sig_origin {
    int code;                   /* si_code: SI_USER (kill), SI_TKILL, SI_KERNEL, a fault's or SIGCHLD's code */
    int pid;                    /* si_pid: the sending process, 0 for the kernel */
    int status;                 /* SIGCHLD's si_status: the exit code, or the signal that killed, stopped, continued */
};

#define SIG_FROM_KERNEL ((struct sig_origin){ .code = SI_KERNEL, .pid = 0 })

/* Linux's siginfo_t (128 bytes), the fields we fill. */
struct siginfo {
    int32_t signo, errno_value, code, pad;
    union {
        struct { int32_t pid; uint32_t uid; } kill;
        struct { int32_t pid; uint32_t uid; int32_t status; } child;   /* SIGCHLD, waitid */
        uint64_t addr;          /* faults */
        uint8_t bytes[112];
    } fields;
};
_Static_assert(sizeof(struct siginfo) == 128, "Linux's siginfo_t");

/* A siginfo for sig from from (addr: a fault's address, for a fault's code). */
void siginfo_fill(struct siginfo *si, int sig, struct sig_origin from, uint64_t addr);

/* True for the codes of faults (SEGV_MAPERR...): positive and below SI_KERNEL, as Linux numbers them. */
static inline bool sig_code_is_fault(int code) { return code > 0 && code < SI_KERNEL; }

enum signal_effect signal_effect(const struct process *p, int sig);

/*
 * Send sig to p (thread NULL: to the process, as kill) or to one of its
 * threads (tkill).  A signal that no thread would act on now (every
 * thread blocks it, or the thread it is for does, or a thread waits for it
 * in sigtimedwait) is queued, whatever its action: it is taken later, by
 * sigtimedwait or by a delivery once unblocked.  Otherwise it is ignored,
 * queued for a handler, or ends the process now.  SIGKILL always ends it.
 * proc_tree_lock held.
 */
void signal_send(struct process *p, struct thread *thread, int sig, struct sig_origin from);

/* Queue sig for the process (or one thread) and wake a thread that takes it. proc_tree_lock held. */
void signal_queue(struct process *p, struct thread *t, int sig, struct sig_origin from);

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

/* The caller's mask from before such a wait, back now: the wait ended without a handler to run. */
void signal_restore_suspended_mask(void);

#endif
