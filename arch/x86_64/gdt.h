/* Segment selectors and the TSS.  The order suits SYSCALL/SYSRET (see gdt.c). */
#ifndef ARCH_X86_64_GDT_H
#define ARCH_X86_64_GDT_H

#define SEL_KERNEL_CODE 0x08
#define SEL_KERNEL_DATA 0x10
#define SEL_USER_DATA   (0x18 | 3)
#define SEL_USER_CODE   (0x20 | 3)
#define SEL_TSS         0x28

/* Interrupt stack table slots (1-based, as the IDT names them). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI          2

#ifndef __ASSEMBLER__
#include <stdint.h>

void gdt_init(void);

/* The stack the CPU switches to on an interrupt from user mode. */
void tss_set_kernel_stack(uint64_t rsp0);
#endif

#endif
