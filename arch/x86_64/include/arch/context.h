/*
 * A thread's machine state, as the scheduler sees it: the saved kernel
 * stack pointer (everything else of the kernel side is on that stack), the
 * user TLS base (FS) and the FPU/SSE registers.  struct arch_thread is
 * embedded in struct thread (kernel/include/kernel/thread.h).
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <arch/layout.h>
#include <arch/trap.h>
#include <stdint.h>

#define FPU_STATE_SIZE 512      /* the FXSAVE area */

struct arch_thread {
    uint64_t rsp;               /* kernel stack pointer while switched out */
    uint64_t fs_base;           /* user thread pointer (arch_prctl ARCH_SET_FS) */
    uint8_t fpu[FPU_STATE_SIZE] __attribute__((aligned(16)));
};

/* On the boot CPU: enable the FPU/SSE and capture the clean state new threads start with. */
void fpu_init(void);

/* On every other CPU: enable the FPU/SSE (the control-register bits are each CPU's own). */
void fpu_cpu_init(void);

/*
 * Prepare a new thread whose kernel stack ends at stack_top.  A kernel
 * thread starts in entry(arg) with interrupts on, a clean FPU and no TLS.
 * A user thread returns to user mode through the trap frame at the top of
 * its stack (arch_user_frame), which the caller fills in, and so its FPU
 * state and FS base: a copy of its creator's (clone: arch_fpu_save into
 * it), or arch_thread_clean_state (process 1).
 */
void arch_thread_init_kernel(struct arch_thread *t, uint64_t stack_top,
                             void (*entry)(void *), void *arg);
void arch_thread_init_user(struct arch_thread *t, uint64_t stack_top);

/* The trap frame at the top of a kernel stack: what user mode gets back on return. */
static inline struct trap_frame *arch_user_frame(uint64_t stack_top)
{
    return (struct trap_frame *)stack_top - 1;
}

/* Set up a frame that starts user code at rip with stack pointer rsp. */
void arch_frame_init_user(struct trap_frame *tf, uint64_t rip, uint64_t rsp);

/*
 * True if the frame may go back to user mode: its RIP and RSP are user
 * addresses (canonical, below USER_TOP).  IRETQ to a non-canonical RIP
 * faults in kernel mode on Intel CPUs; return_to_user checks this last.
 */
static inline bool arch_frame_user_ok(const struct trap_frame *tf)
{
    return tf->rip < USER_TOP && tf->rsp < USER_TOP;
}

/* Set a frame's system-call return value. */
static inline void arch_frame_set_return(struct trap_frame *tf, uint64_t v) { tf->rax = v; }

/* Set the user stack pointer a frame returns to (a new thread's own stack). */
static inline void arch_frame_set_stack(struct trap_frame *tf, uint64_t sp) { tf->rsp = sp; }

/* Store the running thread's live FPU registers into t: its own save area, or a new thread's (clone). */
void arch_fpu_save(struct arch_thread *t);

/* Load t's saved FPU state into the registers (after exec reset it). */
void arch_fpu_restore(struct arch_thread *t);

/* The copy a new thread starts with: a clean FPU, no TLS. */
void arch_thread_clean_state(struct arch_thread *t);

/* Set the user FS base of the running thread (t is it) and remember it. */
void arch_set_fs_base(struct arch_thread *t, uint64_t base);

/*
 * Switch from the running thread to another: save the FPU state of from,
 * load that of to and its FS base, switch kernel stacks.  Returns when
 * from runs again.  Interrupts must be off.
 */
void arch_switch(struct arch_thread *from, struct arch_thread *to);

/* The kernel stack the CPU enters on from user mode (TSS RSP0 and the syscall path). */
void arch_set_kernel_stack(uint64_t stack_top);

/* Set up SYSCALL/SYSRET on this CPU (each has its own MSRs). */
void syscall_init(void);

#endif
