#ifndef ARCH_X86_64_IDT_H
#define ARCH_X86_64_IDT_H

/* Exception vectors (Intel SDM vol. 3, table 6-1). */
#define VECTOR_DIVIDE           0
#define VECTOR_DEBUG            1
#define VECTOR_NMI              2
#define VECTOR_BREAKPOINT       3
#define VECTOR_INVALID_OPCODE   6
#define VECTOR_DOUBLE_FAULT     8
#define VECTOR_GENERAL_PROTECTION 13
#define VECTOR_PAGE_FAULT       14
#define VECTOR_EXCEPTIONS       32      /* 0..31 are the CPU's */

/* Hardware interrupts: the PIC is programmed to deliver lines 0..15 here. */
#define VECTOR_IRQ_BASE         32

/*
 * Local APIC vectors, at the top of the table.  The APIC ranks a pending
 * interrupt by its vector's high nibble (its priority class), so these
 * outrank the PIC's lines.  The IPIs (0xf0 up, named in arch/smp.h) sit
 * between the timer and the error vector.  The spurious vector's low four
 * bits must be 1 on P6-era APICs (SDM vol. 3A, "Spurious Interrupt"): 0xff.
 */
#define VECTOR_LAPIC_FIRST      0xe0
#define VECTOR_LAPIC_TIMER      0xe0
#define VECTOR_LAPIC_ERROR      0xfe
#define VECTOR_SPURIOUS         0xff

/* Fill in the table and load it (the boot CPU). */
void idt_init(void);

/* Load the table idt_init filled in (every other CPU). */
void idt_load(void);

#endif
