/*
 * The 8254 PIT: channel 0 drives the periodic tick on IRQ 0; channel 2
 * (gated through port 0x61, the old speaker port) times the TSC
 * calibration, polled, before interrupts are on.
 */
#include <arch/timer.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/printk.h>
#include "x86.h"

#define PIT_HZ              1193182     /* the PIT's input clock */
#define PIT_CH0             0x40
#define PIT_CH2             0x42
#define PIT_CMD             0x43
#define PIT_CH0_RATE        0x34        /* channel 0, lo/hi byte, mode 2 (rate generator) */
#define PIT_CH2_ONESHOT     0xb0        /* channel 2, lo/hi byte, mode 0 (count down once) */
#define PORT_B              0x61
#define PORT_B_GATE2        0x01
#define PORT_B_SPEAKER      0x02
#define PORT_B_OUT2         0x20
#define CALIBRATION_HZ      100         /* a 10 ms window */

static timer_tick_fn tick_fn;

uint64_t timer_calibrate_tsc(void)
{
    uint16_t count = PIT_HZ / CALIBRATION_HZ;
    uint8_t b = (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2;
    outb(PORT_B, b & ~PORT_B_GATE2);    /* gate low: the count loads on the rising edge */
    outb(PIT_CMD, PIT_CH2_ONESHOT);
    outb(PIT_CH2, count & 0xff);
    outb(PIT_CH2, count >> 8);
    outb(PORT_B, b);
    uint64_t start = rdtsc_ordered();
    while (!(inb(PORT_B) & PORT_B_OUT2))
        ;
    uint64_t cycles = rdtsc_ordered() - start;
    outb(PORT_B, b & ~PORT_B_GATE2);
    return cycles * CALIBRATION_HZ;
}

static void timer_interrupt(struct trap_frame *tf)
{
    tick_fn(trap_from_user(tf));
}

void timer_start(unsigned hz, timer_tick_fn tick)
{
    uint32_t divisor = PIT_HZ / hz;
    KASSERT(divisor > 0 && divisor <= 0xffff);
    tick_fn = tick;
    outb(PIT_CMD, PIT_CH0_RATE);
    outb(PIT_CH0, divisor & 0xff);
    outb(PIT_CH0, divisor >> 8);
    irq_set_handler(IRQ_TIMER, timer_interrupt);
}
