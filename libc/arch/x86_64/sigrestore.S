/*
 * The signal return trampoline (sa_restorer): a handler returns here, and
 * rt_sigreturn restores the interrupted context the kernel saved on the
 * stack.  sigaction() installs it with SA_RESTORER, as x86_64 requires.
 */
#include <abi/syscall.h>

    .text
    .globl libc_sigrestore
    .type libc_sigrestore, @function
libc_sigrestore:
    mov     $SYS_rt_sigreturn, %eax
    syscall
    ud2                         /* rt_sigreturn does not return here */
    .size libc_sigrestore, . - libc_sigrestore

    .section .note.GNU-stack, "", @progbits
