/*
 * The per-CPU area, reached through GS in kernel mode (SWAPGS exchanges the
 * user's GS base with it on every entry from user mode).  The syscall entry
 * uses it to find the kernel stack before it has one.  Offsets are used by
 * syscall_entry.S.
 */
#ifndef ARCH_X86_64_PERCPU_H
#define ARCH_X86_64_PERCPU_H

#define PERCPU_KERNEL_RSP 0
#define PERCPU_USER_RSP   8

#ifndef __ASSEMBLER__
#include <stdint.h>

struct percpu {
    uint64_t kernel_rsp;        /* top of the running thread's kernel stack */
    uint64_t user_rsp;          /* the user stack pointer, during syscall entry only */
};
#endif

#endif
