/*
 * Process entry.  The kernel (ours or Linux) starts us with the SysV
 * start-up stack at %rsp: argc, argv[0..argc-1], NULL, envp[...], NULL,
 * then the auxiliary vector.  Everything else is done in C (start/start.c).
 */
    .text
    .globl _start
    .type _start, @function
_start:
    xor     %ebp, %ebp          /* the outermost frame: backtraces stop here */
    mov     %rsp, %rdi          /* libc_start(stack) */
    and     $-16, %rsp          /* the ABI wants %rsp 16-byte aligned at a call */
    call    libc_start
    ud2                         /* libc_start does not return */
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
