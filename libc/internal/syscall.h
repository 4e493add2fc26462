/*
 * Raw system calls, Linux x86_64 convention (abi/syscall.h): number in rax,
 * arguments in rdi rsi rdx r10 r8 r9, result in rax (-errno on failure);
 * the syscall instruction clobbers rcx and r11.
 *
 * __syscallN return the raw result; syscall_result() turns it into the
 * POSIX convention (contract 4): -1 with errno set.
 */
#ifndef LIBC_INTERNAL_SYSCALL_H
#define LIBC_INTERNAL_SYSCALL_H

#include <abi/syscall.h>

/* Results in [-MAX_ERRNO, -1] are errors; anything else (addresses too) is a value. */
#define MAX_ERRNO 4095

static inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
    long ret;
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

static inline long __syscall3(long n, long a1, long a2, long a3)
{
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a1), "S"(a2), "d"(a3)
                     : "rcx", "r11", "memory");
    return ret;
}

#define __syscall0(n)                 __syscall3(n, 0, 0, 0)
#define __syscall1(n, a)              __syscall3(n, (long)(a), 0, 0)
#define __syscall2(n, a, b)           __syscall3(n, (long)(a), (long)(b), 0)
#define __syscall4(n, a, b, c, d)     __syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define __syscall5(n, a, b, c, d, e)  __syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/* -errno results become -1 with errno set; other results pass through. */
long syscall_result(long raw);

/* The common case: make the call and apply syscall_result. */
#define SYSCALL0(n)                 syscall_result(__syscall0(n))
#define SYSCALL1(n, a)              syscall_result(__syscall1(n, a))
#define SYSCALL2(n, a, b)           syscall_result(__syscall2(n, a, b))
#define SYSCALL3(n, a, b, c)        syscall_result(__syscall3(n, (long)(a), (long)(b), (long)(c)))
#define SYSCALL4(n, a, b, c, d)     syscall_result(__syscall4(n, a, b, c, d))
#define SYSCALL5(n, a, b, c, d, e)  syscall_result(__syscall5(n, a, b, c, d, e))
#define SYSCALL6(n, a, b, c, d, e, f) \
    syscall_result(__syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f)))

#endif
