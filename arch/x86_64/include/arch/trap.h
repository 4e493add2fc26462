/* What an interrupt or exception saved: the layout trap_entry.S builds. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

/* Not a CPU vector: marks the frames the SYSCALL entry builds. */
#define TRAP_SYSCALL_VECTOR 0x100

/*
 * Offsets in struct trap_frame, for the assembly that builds and reads it
 * (trap_entry.S, syscall_entry.S); arch/x86_64/trap.c checks each against
 * the struct.  TRAP_HW(x) is the offset counted from the vector, where the
 * stack pointer is before the general registers are pushed or after they
 * are popped.
 */
#define TRAP_FRAME_GPRS     15          /* general registers saved by push_registers */
#define TRAP_FRAME_VECTOR   (TRAP_FRAME_GPRS * 8)
#define TRAP_FRAME_ERROR    (TRAP_FRAME_VECTOR + 8)
#define TRAP_FRAME_RIP      (TRAP_FRAME_VECTOR + 16)
#define TRAP_FRAME_CS       (TRAP_FRAME_VECTOR + 24)
#define TRAP_FRAME_RFLAGS   (TRAP_FRAME_VECTOR + 32)
#define TRAP_FRAME_RSP      (TRAP_FRAME_VECTOR + 40)
#define TRAP_FRAME_SS       (TRAP_FRAME_VECTOR + 48)
#define TRAP_FRAME_SIZE     (TRAP_FRAME_VECTOR + 56)
#define TRAP_HW(offset)     ((offset) - TRAP_FRAME_VECTOR)

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

/* Where the frame returns to: the user's program counter and stack pointer (for log lines). */
static inline uint64_t trap_user_pc(const struct trap_frame *tf) { return tf->rip; }
static inline uint64_t trap_user_sp(const struct trap_frame *tf) { return tf->rsp; }

/* A syscall frame keeps the call's number where exceptions keep their error code. */
static inline uint64_t trap_syscall_number(const struct trap_frame *tf) { return tf->error; }

/* The system-call ABI (Linux x86-64): the number in rax, arguments in rdi rsi rdx r10 r8 r9. */
#define SYSCALL_ARGS 6
static inline void trap_syscall_args(const struct trap_frame *tf, uint64_t arg[SYSCALL_ARGS])
{
    arg[0] = tf->rdi, arg[1] = tf->rsi, arg[2] = tf->rdx;
    arg[3] = tf->r10, arg[4] = tf->r8, arg[5] = tf->r9;
}

/* A system call's result, in rax: what the frame returns to user mode. */
static inline int64_t trap_syscall_result(const struct trap_frame *tf) { return (int64_t)tf->rax; }

#define SYSCALL_INSN_LEN 2      /* SYSCALL is 0f 05 */

/* Make the frame run its system call again: the number back in rax, RIP back over SYSCALL. */
static inline void trap_syscall_restart(struct trap_frame *tf)
{
    tf->rax = trap_syscall_number(tf);
    tf->rip -= SYSCALL_INSN_LEN;
}

/* The frame was rewritten whole (rt_sigreturn): it must go back by IRETQ, which restores every register. */
static inline void trap_mark_restored(struct trap_frame *tf) { tf->vector = 0; }

void trap_init(void);

/* Hardware interrupt lines (the legacy PIC's 16). */
#define IRQ_TIMER   0
#define IRQ_KEYBOARD 1
#define IRQ_COM1    4
#define IRQ_LINES   16

typedef void (*irq_handler_t)(struct trap_frame *tf);

/* Route interrupt line to handler and unmask it. */
void irq_set_handler(unsigned line, irq_handler_t handler);

#endif /* __ASSEMBLER__ */

#endif
