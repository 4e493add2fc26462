/* The interrupt descriptor table: every vector goes to its stub in trap_entry.S. */
#include <stdint.h>
#include "gdt.h"
#include "idt.h"
#include "x86.h"

#define IDT_VECTORS      256
#define GATE_INTERRUPT   0xe            /* clears IF on entry */
#define GATE_PRESENT     0x80

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

static void set_gate(unsigned vector, uint8_t ist)
{
    uint64_t handler = trap_stubs[vector];
    idt[vector] = (struct gate){
        .offset_low = handler & 0xffff,
        .selector = SEL_KERNEL_CODE,
        .ist = ist,
        .type_attr = GATE_PRESENT | GATE_INTERRUPT,
        .offset_mid = (handler >> 16) & 0xffff,
        .offset_high = handler >> 32,
    };
}

void idt_init(void)
{
    for (unsigned v = 0; v < IDT_VECTORS; v++)
        set_gate(v, 0);
    set_gate(VECTOR_DOUBLE_FAULT, IST_DOUBLE_FAULT);
    set_gate(VECTOR_NMI, IST_NMI);
    struct descriptor_pointer p = { sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" :: "m"(p));
}
