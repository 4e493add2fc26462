/*
 * The local APIC of each CPU (arch/x86_64/lapic.c): its interrupts (IPIs,
 * its timer), its identity, and the INIT and start-up messages that wake
 * another CPU.  For arch/ code; the kernel sees arch/smp.h, and the timer
 * through arch/timer.h (timer_start_local).
 */
#ifndef ARCH_X86_64_LAPIC_H
#define ARCH_X86_64_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

struct trap_frame;

/*
 * On the boot CPU, after time_init: map the registers at physical address
 * phys (the MADT's; 0 for the address the CPU's APIC_BASE MSR holds),
 * enable this CPU's APIC and measure its timer against the TSC clock.
 */
void lapic_init(uint64_t phys);

/* True once lapic_init has run: IPIs and local timers work. */
bool lapic_ready(void);

/* On every other CPU: enable its APIC (the registers are mapped already). */
void lapic_cpu_init(void);

/* This CPU's APIC ID. */
uint32_t lapic_id(void);

/* Fixed interrupt vector to the CPU whose APIC ID is apic_id. */
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);

/* A non-maskable interrupt to that CPU: it arrives even with interrupts off. */
void lapic_send_nmi(uint32_t apic_id);

/* INIT, then a start-up IPI: the CPU starts in real mode at page_number << 12. */
void lapic_send_init(uint32_t apic_id);
void lapic_send_startup(uint32_t apic_id, uint8_t page_number);

/* The interrupts of vectors VECTOR_LAPIC_FIRST and up (arch/x86_64/idt.h). */
void lapic_interrupt(struct trap_frame *tf);

/* Busy-wait ns nanoseconds by the TSC clock (kernel/time.c): start-up delays, calibration. */
void delay_ns(uint64_t ns);

#endif
