/*
 * The switch between two green threads (libc/green/green.c): what C
 * cannot do, change stacks.
 */
/* LAB green BEGIN */
/*
 * void green_switch(uint64_t *save_rsp, uint64_t next_rsp)
 *
 * Save what the System V ABI says a callee must preserve (rbx, rbp,
 * r12-r15, and the control words of SSE and x87: rounding, exception
 * masks) on the current stack, store the stack pointer in *save_rsp, then
 * take next_rsp's and restore the same from it.  The caller-saved
 * registers need no saving: green_switch is a call.  A new thread's stack
 * is made to look as if it had called green_switch (green_create).
 *
 * The frame, from next_rsp up: r15 r14 r13 r12 rbx rbp, 8 bytes of
 * control words (MXCSR, then the x87 control word), the return address.
 */
    .text
    .globl green_switch
    .type green_switch, @function
green_switch:
    sub     $8, %rsp
    stmxcsr (%rsp)
    fnstcw  4(%rsp)
    push    %rbp
    push    %rbx
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, (%rdi)
    mov     %rsi, %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbx
    pop     %rbp
    ldmxcsr (%rsp)
    fldcw   4(%rsp)
    add     $8, %rsp
    ret
    .size green_switch, . - green_switch
/* LAB green END */

    .section .note.GNU-stack, "", @progbits
