/*
 * The SYSCALL entry.  The CPU arrives here in kernel mode with the user's
 * stack, RIP in RCX and RFLAGS in R11, interrupts off (FMASK).  We switch
 * to the thread's kernel stack, build the same struct trap_frame an
 * interrupt from user mode builds (so fork, exec and kill treat both
 * alike), and call syscall_dispatch(frame).  The way back is SYSRET when
 * the frame allows it, IRETQ otherwise.
 */
#include "frame.h"
#include "gdt.h"
#include "percpu.h"

#include <arch/trap.h>                  /* TRAP_SYSCALL_VECTOR */
#define FRAME_VECTOR     (15 * 8)       /* offsets in struct trap_frame */
#define FRAME_RIP        (17 * 8)
#define FRAME_CS         (18 * 8)
#define FRAME_RFLAGS     (19 * 8)
#define FRAME_RSP        (20 * 8)
#define USER_TOP_SHIFT   47             /* user addresses are below 1 << 47 */

        .text
        .global syscall_entry
syscall_entry:
        swapgs
        movq %rsp, %gs:PERCPU_USER_RSP
        movq %gs:PERCPU_KERNEL_RSP, %rsp
        pushq $SEL_USER_DATA            /* ss */
        pushq %gs:PERCPU_USER_RSP       /* rsp */
        pushq %r11                      /* rflags */
        pushq $SEL_USER_CODE            /* cs */
        pushq %rcx                      /* rip */
        pushq %rax                      /* "error code": the call's number, to restart it */
        pushq $TRAP_SYSCALL_VECTOR
        push_registers
        movq %rsp, %rdi
        call syscall_dispatch           /* returns with interrupts off */
        cmpq $TRAP_SYSCALL_VECTOR, FRAME_VECTOR(%rsp)
        jne 1f                          /* rt_sigreturn restored a frame: every register counts */

        /*
         * SYSRET needs a canonical user RIP (else it faults in kernel mode
         * on the user stack) and returns to the fixed user selectors.
         * Frames changed to anything else (none today) go back by IRETQ.
         */
        movq FRAME_RIP(%rsp), %rcx
        shrq $USER_TOP_SHIFT, %rcx
        jnz 1f
        cmpq $SEL_USER_CODE, FRAME_CS(%rsp)
        jne 1f
        pop_registers
        movq 16(%rsp), %rcx             /* rip (past vector and error code) */
        movq 32(%rsp), %r11             /* rflags */
        movq 40(%rsp), %rsp             /* the user stack: from here no interrupts until user mode */
        swapgs
        sysretq
1:      jmp trap_return

        .section .note.GNU-stack, "", @progbits
