/*
 * size_t user_copy_smap(void *dst, const void *src, size_t n)
 * size_t user_copy_plain(void *dst, const void *src, size_t n)
 *
 * Copy n bytes where one side is user memory of the active address space,
 * reached through its own addresses; return the bytes NOT copied, 0 when
 * all were.  Eight bytes at a time (REP MOVSQ), then the rest (REP MOVSB);
 * a fault the eight-byte copy cannot get past is retried a byte at a
 * time, so that a partial copy stops exactly where the reachable memory
 * does (read() into a buffer that runs off its mapping).  The first lifts SMAP for the one instruction with STAC/CLAC,
 * for CPUs that have it (the kernel turns it on); the second is for CPUs
 * without, where STAC would be an invalid opcode.  A page fault on the
 * user side lands in arch/x86_64/uaccess.c: served (a page not yet there,
 * copy-on-write), REP MOVSB resumes where it stopped (its registers say
 * how far it got); unservable, the fault handler sends it to the fixup,
 * which returns what was left.
 */
.macro USER_COPY name, open, close
    .globl \name, \name\()_access8, \name\()_fixup8, \name\()_access1, \name\()_fixup1
    .type \name, @function
\name:
    mov     %rdx, %rcx
    shr     $3, %rcx            /* qwords */
    and     $7, %edx            /* and the bytes after them */
    \open
\name\()_access8:
    rep movsq
    mov     %rdx, %rcx
\name\()_access1:
    rep movsb
    \close
    xor     %eax, %eax
    ret
\name\()_fixup8:                   /* the qwords stopped: the rest a byte at a time, to the exact edge */
    lea     (%rdx, %rcx, 8), %rcx
    jmp     \name\()_access1
\name\()_fixup1:
    \close
    mov     %rcx, %rax
    ret
    .size \name, . - \name
.endm

    .text
    USER_COPY user_copy_smap, stac, clac
    USER_COPY user_copy_plain, nop, nop

    .section .note.GNU-stack, "", @progbits
