/*
 * The two legacy 8259 PICs, remapped so that lines 0..15 arrive at vectors
 * VECTOR_IRQ_BASE.. (the BIOS leaves them on top of the CPU exceptions).
 * All lines start masked; irq_set_handler() unmasks the ones in use.
 */
#include <stdint.h>
#include "idt.h"
#include "pic.h"
#include "x86.h"

#define PIC1_CMD    0x20
#define PIC1_DATA   0x21
#define PIC2_CMD    0xa0
#define PIC2_DATA   0xa1
#define ICW1_INIT_ICW4  0x11
#define ICW4_8086       0x01
#define PIC_CASCADE_LINE 2
#define PIC_EOI         0x20
#define OCW3_READ_ISR   0x0b
#define LINES_PER_PIC   8
#define SPURIOUS_LINE   7               /* each PIC reports spurious interrupts on its line 7 */

static uint16_t mask = 0xffff & ~(1u << PIC_CASCADE_LINE);     /* bit set = masked */

static void write_mask(void)
{
    outb(PIC1_DATA, mask & 0xff);
    outb(PIC2_DATA, mask >> 8);
}

void pic_init(void)
{
    outb(PIC1_CMD, ICW1_INIT_ICW4); io_wait();
    outb(PIC2_CMD, ICW1_INIT_ICW4); io_wait();
    outb(PIC1_DATA, VECTOR_IRQ_BASE); io_wait();
    outb(PIC2_DATA, VECTOR_IRQ_BASE + LINES_PER_PIC); io_wait();
    outb(PIC1_DATA, 1 << PIC_CASCADE_LINE); io_wait();     /* slave on line 2 */
    outb(PIC2_DATA, PIC_CASCADE_LINE); io_wait();          /* its cascade identity */
    outb(PIC1_DATA, ICW4_8086); io_wait();
    outb(PIC2_DATA, ICW4_8086); io_wait();
    write_mask();
}

void pic_unmask(unsigned line)
{
    mask &= ~(1u << line);
    write_mask();
}

void pic_eoi(unsigned line)
{
    if (line >= LINES_PER_PIC)
        outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
}

/* A spurious interrupt (line 7 or 15 with its in-service bit clear) gets no EOI from its own PIC. */
bool pic_is_spurious(unsigned line)
{
    if (line % LINES_PER_PIC != SPURIOUS_LINE)
        return false;
    uint16_t cmd = line < LINES_PER_PIC ? PIC1_CMD : PIC2_CMD;
    outb(cmd, OCW3_READ_ISR);
    if (inb(cmd) & (1u << SPURIOUS_LINE))
        return false;
    if (line >= LINES_PER_PIC)
        outb(PIC1_CMD, PIC_EOI);        /* the master did see the cascade line */
    return true;
}
