#ifndef ARCH_X86_64_SERIAL_H
#define ARCH_X86_64_SERIAL_H

void serial_init(void);
void serial_putc(char c);
int serial_getc(void);          /* -1 if nothing is waiting */
void serial_enable_rx_interrupt(void);
void serial_drain(void);        /* wait for the transmitter to be empty */

#endif
