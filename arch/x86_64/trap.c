/*
 * Trap dispatch: exceptions and hardware interrupts arrive here from
 * trap_entry.S.  An exception in kernel mode is a kernel bug: print
 * everything we know and stop.  An exception in user mode is the process's
 * problem: a page fault in a demand-zero area is served, anything else
 * goes to proc_user_fault() (a handler runs, or the process dies).
 */
#include <abi/signal.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <arch/uaccess.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/vm.h>
#include "gdt.h"
#include "idt.h"
#include "lapic.h"
#include "pic.h"
#include "smp.h"
#include "x86.h"

static const char *const exception_names[VECTOR_EXCEPTIONS] = {
    [0] = "divide error", [1] = "debug", [2] = "non-maskable interrupt",
    [3] = "breakpoint", [4] = "overflow", [5] = "bound range exceeded",
    [6] = "invalid opcode", [7] = "device not available", [8] = "double fault",
    [9] = "coprocessor segment overrun", [10] = "invalid TSS", [11] = "segment not present",
    [12] = "stack-segment fault", [13] = "general protection fault", [14] = "page fault",
    [16] = "x87 floating-point error", [17] = "alignment check", [18] = "machine check",
    [19] = "SIMD floating-point error", [20] = "virtualization exception",
    [21] = "control protection exception", [28] = "hypervisor injection exception",
    [29] = "VMM communication exception", [30] = "security exception",
};

static irq_handler_t irq_handlers[IRQ_LINES];

/* The offsets trap_entry.S and syscall_entry.S use (arch/trap.h), against the struct. */
#define FRAME_AT(field, offset) \
    _Static_assert(__builtin_offsetof(struct trap_frame, field) == (offset), "trap frame: " #field)
FRAME_AT(r15, 0);
FRAME_AT(rax, TRAP_FRAME_VECTOR - 8);
FRAME_AT(vector, TRAP_FRAME_VECTOR);
FRAME_AT(error, TRAP_FRAME_ERROR);
FRAME_AT(rip, TRAP_FRAME_RIP);
FRAME_AT(cs, TRAP_FRAME_CS);
FRAME_AT(rflags, TRAP_FRAME_RFLAGS);
FRAME_AT(rsp, TRAP_FRAME_RSP);
FRAME_AT(ss, TRAP_FRAME_SS);
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "trap frame size");

const char *exception_name(uint64_t vector)
{
    if (vector < VECTOR_EXCEPTIONS && exception_names[vector])
        return exception_names[vector];
    return "reserved exception";
}

void trap_init(void)
{
    gdt_init(cpu_id());
    idt_init();
    pic_init();
}

void irq_set_handler(unsigned line, irq_handler_t handler)
{
    KASSERT(line < IRQ_LINES);
    irq_handlers[line] = handler;
    pic_unmask(line);
}

/* The register dump of a kernel-mode exception, then the backtrace and the stop. */
static __attribute__((noreturn)) void kernel_exception(struct trap_frame *tf)
{
    uint64_t cr2 = read_cr2(), cr3 = read_cr3();
    if (panic_begin()) {
        kprintf("panic: nested exception %lu at rip %016lx\n", tf->vector, tf->rip);
        panic_stop();
    }
    kprintf("\npanic: %s (vector %lu) in kernel mode, error code %#lx\n",
            exception_name(tf->vector), tf->vector, tf->error);
    kprintf("  RIP=%016lx  CS=%04lx  RFLAGS=%016lx\n", tf->rip, tf->cs, tf->rflags);
    kprintf("  RSP=%016lx  SS=%04lx\n", tf->rsp, tf->ss);
    kprintf("  RAX=%016lx  RBX=%016lx  RCX=%016lx\n", tf->rax, tf->rbx, tf->rcx);
    kprintf("  RDX=%016lx  RSI=%016lx  RDI=%016lx\n", tf->rdx, tf->rsi, tf->rdi);
    kprintf("  RBP=%016lx  R8 =%016lx  R9 =%016lx\n", tf->rbp, tf->r8, tf->r9);
    kprintf("  R10=%016lx  R11=%016lx  R12=%016lx\n", tf->r10, tf->r11, tf->r12);
    kprintf("  R13=%016lx  R14=%016lx  R15=%016lx\n", tf->r13, tf->r14, tf->r15);
    kprintf("  CR2=%016lx  CR3=%016lx\n", cr2, cr3);
    backtrace_print(tf->rip, tf->rbp);
    panic_stop();
}

#define PF_WRITE        (1u << 1)       /* page-fault error code: the access was a write */
#define PF_INSTRUCTION  (1u << 4)       /* ... an instruction fetch */
#define VECTOR_X87      16
#define VECTOR_ALIGNMENT 17
#define VECTOR_SIMD     19

/* The signal a user-mode exception ends the process with (Linux's choices). */
static int exception_signal(uint64_t vector)
{
    switch (vector) {
    case VECTOR_DIVIDE: case VECTOR_X87: case VECTOR_SIMD: return SIGFPE;
    case VECTOR_INVALID_OPCODE: return SIGILL;
    case VECTOR_DEBUG: case VECTOR_BREAKPOINT: return SIGTRAP;
    case VECTOR_ALIGNMENT: return SIGBUS;
    default: return SIGSEGV;            /* page faults, #GP and the rest */
    }
}

/* An exception in user mode: a demand-zero page fault is served; anything else kills. */
static void user_exception(struct trap_frame *tf)
{
    uint64_t addr = 0;
    int signal = exception_signal(tf->vector);
    if (tf->vector == VECTOR_PAGE_FAULT) {
        addr = read_cr2();
        unsigned access = (tf->error & PF_WRITE) ? VM_WRITE :
                          (tf->error & PF_INSTRUCTION) ? VM_EXEC : VM_READ;
        int err = vm_fault(proc_current()->vm, addr, access);
        if (err == 0)
            return;
        if (err == -ENXIO)
            signal = SIGBUS;    /* past the end of a mapped file, as Linux */
        proc_user_fault(signal, err == -EACCES ? "page fault (not allowed there)" :
                                err == -ENOMEM ? "page fault (no page left for it)" : "page fault",
                        tf->rip, addr);
        return;
    }
    proc_user_fault(signal, exception_name(tf->vector), tf->rip, addr);
}

void trap_dispatch(struct trap_frame *tf)
{
    KASSERT(!(read_rflags() & RFLAGS_AC));      /* trap_entry.S cleared it: SMAP is in force */
    uint64_t line = tf->vector - VECTOR_IRQ_BASE;
    if (tf->vector < VECTOR_EXCEPTIONS) {
        if (tf->vector == VECTOR_NMI)
            smp_nmi_check_stop(tf);     /* another CPU's panic stops this one */
        if (!trap_from_user(tf) && user_copy_fault(tf))
            return;                     /* a copy to or from user memory: the user's fault (uaccess.c) */
        if (!trap_from_user(tf))
            kernel_exception(tf);
        user_exception(tf);
    } else if (line < IRQ_LINES) {
        if (pic_is_spurious(line))
            return;
        pic_eoi(line);
        if (irq_handlers[line])
            irq_handlers[line](tf);
    } else if (tf->vector >= VECTOR_LAPIC_FIRST) {
        lapic_interrupt(tf);
    } else {
        kprintf("trap: unexpected vector %lu\n", tf->vector);
    }
    if (trap_from_user(tf))
        return_to_user(tf);
}
