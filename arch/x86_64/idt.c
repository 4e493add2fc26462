/* The interrupt descriptor table, one for all CPUs: every vector goes to its stub in trap_entry.S. */
#include <stdint.h>
#include "gdt.h"
#include "idt.h"
#include "x86.h"

#define IDT_VECTORS      256
#define GATE_INTERRUPT   0xe            /* clears IF on entry */
#define GATE_PRESENT     0x80
#define GATE_DPL_SHIFT   5              /* the ring that may raise the vector with INT n */
#define DPL_KERNEL       0
#define DPL_USER         3

struct __attribute__((packed)) gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
};

extern const uint64_t trap_stubs[IDT_VECTORS];
static struct gate idt[IDT_VECTORS];

/* Point vector at its stub; dpl is the least privileged ring whose INT n may raise it. */
static void set_gate(unsigned vector, uint8_t ist, uint8_t dpl)
{
    uint64_t handler = trap_stubs[vector];
    idt[vector] = (struct gate){
        .offset_low = handler & 0xffff,
        .selector = SEL_KERNEL_CODE,
        .ist = ist,
        .type_attr = GATE_PRESENT | GATE_INTERRUPT | (uint8_t)(dpl << GATE_DPL_SHIFT),
        .offset_mid = (handler >> 16) & 0xffff,
        .offset_high = handler >> 32,
    };
}

void idt_init(void)
{
    for (unsigned v = 0; v < IDT_VECTORS; v++)
        set_gate(v, 0, DPL_KERNEL);     /* INT n from user mode: #GP, SIGSEGV */
    set_gate(VECTOR_DOUBLE_FAULT, IST_DOUBLE_FAULT, DPL_KERNEL);
    set_gate(VECTOR_NMI, IST_NMI, DPL_KERNEL);
    set_gate(VECTOR_BREAKPOINT, 0, DPL_USER);   /* int3 is how debuggers stop: SIGTRAP, as Linux */
    idt_load();
}

void idt_load(void)
{
    struct descriptor_pointer p = { sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" :: "m"(p));
}
