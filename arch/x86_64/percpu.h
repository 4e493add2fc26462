/*
 * The per-CPU area, one per CPU, reached through GS in kernel mode (SWAPGS
 * exchanges the user's GS base with it on every entry from user mode).
 * The syscall entry uses it to find the kernel stack before it has one;
 * C code finds its CPU's number and running thread there with a single
 * GS-relative load.  Offsets are used by syscall_entry.S and by the
 * inline accessors of arch/percpu.h; percpu.c checks them.
 */
#ifndef ARCH_X86_64_PERCPU_H
#define ARCH_X86_64_PERCPU_H

#include <arch/percpu.h>        /* CPU_MAX, PERCPU_CURRENT, PERCPU_ID */

#define PERCPU_KERNEL_RSP 0
#define PERCPU_USER_RSP   8
#define PERCPU_TSS        32    /* the TSS, and its RSP0 four bytes in */
#define PERCPU_TSS_RSP0   (PERCPU_TSS + 4)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include "gdt.h"

struct thread;

struct percpu {
    uint64_t kernel_rsp;        /* top of the running thread's kernel stack */
    uint64_t user_rsp;          /* the user stack pointer, during syscall entry only */
    struct thread *current;     /* the thread this CPU runs */
    uint64_t id;                /* this CPU's number: 0 for the boot CPU */
    struct tss tss;             /* its task-state segment: RSP0 and the IST stacks */
};

/* The area of CPU id. */
struct percpu *percpu_of(unsigned id);

/* Make this CPU's GS base point at the area of CPU id (before anything reads it). */
void percpu_install(unsigned id);
#endif

#endif
