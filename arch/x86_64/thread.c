/*
 * Thread state: new kernel stacks, the FPU/SSE registers and the FS base,
 * and the switch itself.  The kernel never uses SSE (-mgeneral-regs-only),
 * so the FPU registers always hold user state: saved on every switch away
 * from a thread, restored on every switch to one.
 */
#include <arch/context.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <kernel/printk.h>
#include <lib/string.h>
#include "gdt.h"
#include "percpu.h"
#include "x86.h"

#define CR0_MP          (1ull << 1)
#define CR0_EM          (1ull << 2)
#define CR0_TS          (1ull << 3)
#define CR4_OSFXSR      (1ull << 9)
#define CR4_OSXMMEXCPT  (1ull << 10)
#define MSR_FS_BASE     0xc0000100

/* The switch frame switch.S pops: r15 r14 r13 r12 rbx rbp, then the return address. */
struct switch_frame {
    uint64_t r15, r14, r13, r12, rbx, rbp;
    uint64_t rip;
};
#define SWITCH_SAVED_REGISTERS 6        /* the pushes and pops of switch_stacks */
_Static_assert(sizeof(struct switch_frame) == (SWITCH_SAVED_REGISTERS + 1) * sizeof(uint64_t),
               "switch.S's frame: six callee-saved registers and the return address");

extern void switch_stacks(uint64_t *save_rsp, uint64_t new_rsp);
extern void kernel_thread_start(void);
extern void user_thread_start(void);

static uint8_t clean_fpu[FPU_STATE_SIZE] __attribute__((aligned(16)));

void fpu_cpu_init(void)
{
    uint64_t cr0 = read_cr0();
    __asm__ volatile("mov %0, %%cr0" :: "r"((cr0 | CR0_MP) & ~(CR0_EM | CR0_TS)));
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    __asm__ volatile("fninit");
}

void fpu_init(void)
{
    fpu_cpu_init();
    __asm__ volatile("fxsave64 %0" : "=m"(clean_fpu));
}

void arch_thread_clean_state(struct arch_thread *t)
{
    memcpy(t->fpu, clean_fpu, FPU_STATE_SIZE);
    t->fs_base = 0;
}

static void push_switch_frame(struct arch_thread *t, uint64_t below, void (*start)(void),
                              uint64_t r12, uint64_t r13)
{
    struct switch_frame *f = (struct switch_frame *)below - 1;
    *f = (struct switch_frame){ .r12 = r12, .r13 = r13, .rip = (uint64_t)start };
    t->rsp = (uint64_t)f;
}

void arch_thread_init_kernel(struct arch_thread *t, uint64_t stack_top,
                             void (*entry)(void *), void *arg)
{
    arch_thread_clean_state(t);
    push_switch_frame(t, stack_top, kernel_thread_start, (uint64_t)entry, (uint64_t)arg);
}

void arch_thread_init_user(struct arch_thread *t, uint64_t stack_top)
{
    /* No clean state here: clone would copy its caller's over it (512 bytes each time: see context.h). */
    push_switch_frame(t, (uint64_t)arch_user_frame(stack_top), user_thread_start, 0, 0);
}

void arch_frame_init_user(struct trap_frame *tf, uint64_t rip, uint64_t rsp)
{
    *tf = (struct trap_frame){
        .rip = rip, .rsp = rsp, .cs = SEL_USER_CODE, .ss = SEL_USER_DATA,
        .rflags = RFLAGS_IF | RFLAGS_RESERVED,
    };
}

void arch_fpu_save(struct arch_thread *t)
{
    __asm__ volatile("fxsave64 %0" : "=m"(t->fpu));
}

void arch_fpu_restore(struct arch_thread *t)
{
    __asm__ volatile("fxrstor64 %0" :: "m"(t->fpu));
}

void arch_set_fs_base(struct arch_thread *t, uint64_t base)
{
    t->fs_base = base;
    wrmsr(MSR_FS_BASE, base);
}

void arch_switch(struct arch_thread *from, struct arch_thread *to)
{
    __asm__ volatile("fxsave64 %0" : "=m"(from->fpu));
    __asm__ volatile("fxrstor64 %0" :: "m"(to->fpu));
    if (to->fs_base != from->fs_base)
        wrmsr(MSR_FS_BASE, to->fs_base);
    switch_stacks(&from->rsp, to->rsp);
}

/* Where this CPU's entries from user mode start: the syscall entry's stack and the TSS's RSP0. */
void arch_set_kernel_stack(uint64_t stack_top)
{
    __asm__ volatile("movq %0, %%gs:%c1\n\tmovq %0, %%gs:%c2"
                     :: "r"(stack_top), "i"(PERCPU_KERNEL_RSP), "i"(PERCPU_TSS_RSP0) : "memory");
}
