/*
 * The GDT and the TSS.  In long mode segments are flat; what matters is
 * the privilege level of each selector and the TSS, which holds the kernel
 * stack for entries from user mode (RSP0) and the separate stacks for
 * double faults and NMIs (IST), so those work even on a broken stack.
 *
 * SYSRET takes the user selectors from one STAR base: SS = base + 8 and
 * CS = base + 16, hence user data before user code.
 */
#include <stdint.h>
#include "gdt.h"
#include "percpu.h"
#include "x86.h"

#define IST_STACK_SIZE 8192

/* Descriptor bits (Intel SDM vol. 3, 3.4.5). */
#define SEG_PRESENT     (1ull << 47)
#define SEG_DPL3        (3ull << 45)
#define SEG_CODE_DATA   (1ull << 44)    /* S bit: code or data, not system */
#define SEG_EXEC        (1ull << 43)
#define SEG_RW          (1ull << 41)    /* readable code / writable data */
#define SEG_LONG        (1ull << 53)    /* 64-bit code */
#define TSS_AVAILABLE   (9ull << 40)

#define KERNEL_CODE (SEG_PRESENT | SEG_CODE_DATA | SEG_EXEC | SEG_RW | SEG_LONG)
#define KERNEL_DATA (SEG_PRESENT | SEG_CODE_DATA | SEG_RW)

#define GDT_ENTRIES 7           /* null, 4 segments, 16-byte TSS descriptor */

/* Each CPU has its own GDT (its TSS descriptor points at its own TSS) and its own IST stacks. */
static uint64_t gdts[CPU_MAX][GDT_ENTRIES];
static uint8_t double_fault_stacks[CPU_MAX][IST_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t nmi_stacks[CPU_MAX][IST_STACK_SIZE] __attribute__((aligned(16)));

static void set_tss_descriptor(uint64_t *d, uint64_t base, uint32_t limit)
{
    d[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | TSS_AVAILABLE | SEG_PRESENT |
           ((uint64_t)(limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
    d[1] = base >> 32;
}

void gdt_init(unsigned cpu)
{
    uint64_t *gdt = gdts[cpu];
    struct tss *tss = &percpu_of(cpu)->tss;
    gdt[SEL_KERNEL_CODE / 8] = KERNEL_CODE;
    gdt[SEL_KERNEL_DATA / 8] = KERNEL_DATA;
    gdt[SEL_USER_DATA / 8] = KERNEL_DATA | SEG_DPL3;
    gdt[SEL_USER_CODE / 8] = KERNEL_CODE | SEG_DPL3;
    tss->ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(double_fault_stacks[cpu] + IST_STACK_SIZE);
    tss->ist[IST_NMI - 1] = (uint64_t)(nmi_stacks[cpu] + IST_STACK_SIZE);
    tss->iomap_base = sizeof *tss;      /* no I/O permission bitmap */
    set_tss_descriptor(&gdt[SEL_TSS / 8], (uint64_t)tss, sizeof *tss - 1);

    struct descriptor_pointer p = { sizeof gdts[cpu] - 1, (uint64_t)gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "pushq %1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"                       /* reload CS */
        "1:\n\t"
        "movw %w2, %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "ltr %w3"
        :: "m"(p), "i"((uint64_t)SEL_KERNEL_CODE), "r"(SEL_KERNEL_DATA), "r"(SEL_TSS)
        : "rax", "memory");
}


