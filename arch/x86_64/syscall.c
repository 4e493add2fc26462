/* SYSCALL/SYSRET setup, on each CPU (the entry finds its stack in the per-CPU area). */
#include <arch/context.h>
#include "gdt.h"
#include "x86.h"

#define MSR_STAR            0xc0000081
#define MSR_LSTAR           0xc0000082
#define MSR_FMASK           0xc0000084

/* RFLAGS bits SYSCALL clears: TF, IF, DF, AC (so SMAP is on), NT. */
#define SYSCALL_FMASK (RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT)

/* SYSRET loads SS from STAR[63:48] + 8 and CS from STAR[63:48] + 16 (see gdt.h). */
#define STAR_SYSRET_BASE ((uint64_t)(SEL_USER_DATA & ~3) - 8)

extern void syscall_entry(void);

void syscall_init(void)
{
    wrmsr(MSR_STAR, ((uint64_t)SEL_KERNEL_CODE << 32) | (STAR_SYSRET_BASE << 48));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_FMASK, SYSCALL_FMASK);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
