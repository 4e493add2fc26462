/*
 * The 16550 UART at COM1, polled.  QEMU's -serial and Bochs's com1 both
 * emulate it; the test runner reads everything the kernel says from here.
 */
#include "x86.h"
#include "serial.h"

#define COM1            0x3f8
#define REG_DATA        0       /* with DLAB=1: divisor low byte */
#define REG_IER         1       /* with DLAB=1: divisor high byte */
#define REG_FCR         2
#define REG_LCR         3
#define REG_MCR         4
#define REG_LSR         5

#define LCR_8N1         0x03
#define LCR_DLAB        0x80
#define FCR_ENABLE_CLEAR 0x07   /* enable FIFOs, clear both */
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_DATA_READY  0x01
#define IER_RX_AVAILABLE 0x01
#define LSR_THR_EMPTY   0x20
#define LSR_TX_IDLE     0x40    /* holding and shift registers both empty */

#define UART_CLOCK      115200
#define BAUD            115200

void serial_init(void)
{
    outb(COM1 + REG_IER, 0);                    /* no interrupts: we poll */
    outb(COM1 + REG_LCR, LCR_DLAB);
    outb(COM1 + REG_DATA, UART_CLOCK / BAUD);
    outb(COM1 + REG_IER, 0);
    outb(COM1 + REG_LCR, LCR_8N1);
    outb(COM1 + REG_FCR, FCR_ENABLE_CLEAR);
    outb(COM1 + REG_MCR, MCR_DTR_RTS_OUT2);
}

void serial_putc(char c)
{
    while (!(inb(COM1 + REG_LSR) & LSR_THR_EMPTY))
        ;
    outb(COM1 + REG_DATA, (uint8_t)c);
}

int serial_getc(void)
{
    if (!(inb(COM1 + REG_LSR) & LSR_DATA_READY))
        return -1;
    return inb(COM1 + REG_DATA);
}

/* Interrupt (IRQ 4) when a byte arrives; OUT2 in MCR, set in serial_init, gates it to the PIC. */
void serial_enable_rx_interrupt(void)
{
    outb(COM1 + REG_IER, IER_RX_AVAILABLE);
}

void serial_drain(void)
{
    while (!(inb(COM1 + REG_LSR) & LSR_TX_IDLE))
        ;
}
