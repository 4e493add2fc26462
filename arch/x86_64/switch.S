/*
 * switch_stacks(uint64_t *save_rsp, uint64_t new_rsp): the bare context
 * switch.  Pushes the callee-saved registers (the System V ABI says the
 * caller saved the rest), saves the stack pointer in *save_rsp, loads
 * new_rsp and pops the next thread's callee-saved registers; its `ret`
 * continues wherever that thread called switch_stacks, or, for a new
 * thread, in the start routine arch/x86_64/thread.c put there.
 */
        .text
        .global switch_stacks
switch_stacks:
        pushq %rbp
        pushq %rbx
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        movq %rsp, (%rdi)
        movq %rsi, %rsp
        popq %r15
        popq %r14
        popq %r13
        popq %r12
        popq %rbx
        popq %rbp
        ret

/* A new kernel thread: entry in r12, its argument in r13 (set by arch_thread_init_kernel). */
        .global kernel_thread_start
kernel_thread_start:
        call sched_thread_start         /* finish the switch that brought us here */
        sti
        movq %r13, %rdi
        xorl %ebp, %ebp                 /* the end of the backtrace */
        call *%r12
        call thread_exit_kernel         /* an entry function that returns ends its thread */
        ud2

/* A new user thread: the trap frame is right above the switch frame. */
        .global user_thread_start
user_thread_start:
        call sched_thread_start
        cli
        movq %rsp, %rdi
        call return_to_user             /* pending work (a kill) before the first instruction */
        jmp trap_return

        .section .note.GNU-stack, "", @progbits
