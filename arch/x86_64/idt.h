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

void idt_init(void);

#endif
