/* What an interrupt or exception saved: the layout trap_entry.S builds. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

/* Not a CPU vector: marks the frames the SYSCALL entry builds. */
#define TRAP_SYSCALL_VECTOR 0x100

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct trap_frame {
    /* pushed by trap_entry.S */
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error;     /* the CPU's error code, or 0 for vectors without one */
    /* pushed by the CPU */
    uint64_t rip, cs, rflags, rsp, ss;
};

static inline bool trap_from_user(const struct trap_frame *tf) { return (tf->cs & 3) == 3; }
static inline bool trap_is_syscall(const struct trap_frame *tf) { return tf->vector == TRAP_SYSCALL_VECTOR; }

/* A syscall frame keeps the call's number where exceptions keep their error code. */
static inline uint64_t trap_syscall_number(const struct trap_frame *tf) { return tf->error; }

/* The frame was rewritten whole (rt_sigreturn): it must go back by IRETQ, which restores every register. */
static inline void trap_mark_restored(struct trap_frame *tf) { tf->vector = 0; }

void trap_init(void);

/* Hardware interrupt lines (the legacy PIC's 16). */
#define IRQ_TIMER   0
#define IRQ_COM1    4
#define IRQ_LINES   16

typedef void (*irq_handler_t)(struct trap_frame *tf);

/* Route interrupt line to handler and unmask it. */
void irq_set_handler(unsigned line, irq_handler_t handler);

#endif /* __ASSEMBLER__ */

#endif
