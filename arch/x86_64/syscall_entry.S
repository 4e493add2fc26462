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

#include <arch/trap.h>                  /* TRAP_SYSCALL_VECTOR, TRAP_FRAME_* offsets */
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
        cmpq $TRAP_SYSCALL_VECTOR, TRAP_FRAME_VECTOR(%rsp)
        jne 1f                          /* rt_sigreturn restored a frame: every register counts */

        /*
         * SYSRET needs a canonical user RIP (else it faults in kernel mode
         * on the user stack) and returns to the fixed user selectors.
         * Frames changed to anything else (none today) go back by IRETQ.
         */
        movq TRAP_FRAME_RIP(%rsp), %rcx
        shrq $USER_TOP_SHIFT, %rcx
        jnz 1f
        cmpq $SEL_USER_CODE, TRAP_FRAME_CS(%rsp)
        jne 1f
        pop_registers
        movq TRAP_HW(TRAP_FRAME_RIP)(%rsp), %rcx
        movq TRAP_HW(TRAP_FRAME_RFLAGS)(%rsp), %r11
        movq TRAP_HW(TRAP_FRAME_RSP)(%rsp), %rsp    /* the user stack: no interrupts until user mode */
        swapgs
        sysretq
1:      jmp trap_return

        .section .note.GNU-stack, "", @progbits
