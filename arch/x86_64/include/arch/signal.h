/*
 * Signal frames: how a user handler is entered and how rt_sigreturn comes
 * back.  The frame is Linux's x86-64 rt_sigframe (return address, ucontext
 * with the saved registers, siginfo, and the FPU state below it), so libc
 * and static Linux binaries find what they expect.
 */
#ifndef ARCH_SIGNAL_H
#define ARCH_SIGNAL_H

#include <arch/context.h>
#include <arch/trap.h>
#include <kernel/signal.h>
#include <stdint.h>

struct signal_delivery {
    int sig;
    struct sig_origin from;     /* si_code and si_pid */
    uint64_t addr;              /* si_addr for faults */
    uint64_t handler;
    uint64_t restorer;          /* the code that calls rt_sigreturn (SA_RESTORER) */
    uint64_t saved_mask;        /* the blocked set to restore when the handler returns */
};

/*
 * Push a signal frame on the user stack of the thread whose registers are
 * tf and make it enter the handler.  0, or -EFAULT if the stack cannot
 * take the frame (then the process must die of SIGSEGV).
 */
int arch_signal_setup(struct trap_frame *tf, struct arch_thread *t, const struct signal_delivery *d);

/*
 * rt_sigreturn: restore the registers, FPU state and blocked set saved by
 * arch_signal_setup (the frame is just above the user stack pointer).  0,
 * or -EFAULT for a frame that is unreadable or would return to a kernel or
 * non-canonical address.
 */
int arch_signal_return(struct trap_frame *tf, struct arch_thread *t, uint64_t *mask);

#endif
