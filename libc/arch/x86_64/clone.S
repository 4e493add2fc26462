/*
 * The two moments of a thread's life that C cannot express: starting on a
 * stack that is not the caller's, and freeing the stack it runs on.
 */
#include <abi/syscall.h>

/*
 * long libc_clone(int (*fn)(void *), void *stack, unsigned long flags, void *arg,
 *                 volatile int *parent_tid, void *tls, volatile int *child_tid)
 *
 * clone(flags, stack, parent_tid, child_tid, tls) with fn and arg carried
 * across: the new thread starts with our registers (rax 0) on stack, where
 * arg waits; it calls fn(arg) and exits the thread with fn's result.  The
 * caller gets the new tid or -errno.  r9 carries fn because the syscall
 * instruction clobbers rcx and r11.
 */
    .text
    .globl libc_clone
    .type libc_clone, @function
libc_clone:
    mov     %rdi, %r11          /* fn */
    mov     %rdx, %rdi          /* flags */
    mov     %r8, %rdx           /* parent_tid */
    mov     %r9, %r8            /* tls */
    mov     8(%rsp), %r10       /* child_tid */
    mov     %r11, %r9           /* fn, kept in the new thread */
    and     $-16, %rsi
    sub     $8, %rsi
    mov     %rcx, (%rsi)        /* arg, on the new stack */
    mov     $SYS_clone, %eax
    syscall
    test    %rax, %rax
    jnz     1f                  /* the caller: tid or -errno */
    xor     %ebp, %ebp          /* the new thread's outermost frame */
    pop     %rdi                /* arg; %rsp is 16-byte aligned again */
    call    *%r9
    mov     %eax, %edi
    mov     $SYS_exit, %eax
    syscall
    ud2
1:  ret
    .size libc_clone, . - libc_clone

/*
 * void libc_unmap_and_exit(void *base, size_t size): a detached thread's
 * last act.  After munmap the stack is gone, so nothing here may push,
 * call or take a signal (the caller has blocked them).
 */
    .globl libc_unmap_and_exit
    .type libc_unmap_and_exit, @function
libc_unmap_and_exit:
    mov     $SYS_munmap, %eax
    syscall
    xor     %edi, %edi
    mov     $SYS_exit, %eax
    syscall
    ud2
    .size libc_unmap_and_exit, . - libc_unmap_and_exit

    .section .note.GNU-stack, "", @progbits
