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

/* Load CPU cpu's GDT and task register (its TSS is in its per-CPU area). */
void gdt_init(unsigned cpu);

/* The task-state segment: in long mode only stack pointers (Intel SDM vol. 3, 8.7). */
struct __attribute__((packed)) tss {
    uint32_t reserved0;
    uint64_t rsp[3];            /* rsp[0]: the stack an interrupt from user mode starts on */
    uint64_t reserved1;
    uint64_t ist[7];            /* the interrupt stack table */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};
#endif

#endif
