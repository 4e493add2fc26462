/* The console: every byte to the serial line and to the VGA screen. */
#include <arch/console.h>
#include <arch/trap.h>
#include "serial.h"
#include "vga.h"

void console_init(void)
{
    serial_init();
    vga_init();
}

static void write_bytes(const char *s, size_t n, bool crlf)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' && crlf)
            serial_putc('\r');
        serial_putc(s[i]);
        vga_putc(s[i]);
    }
    vga_sync_cursor();
}

void console_write(const char *s, size_t n)
{
    write_bytes(s, n, true);
}

void console_write_raw(const char *s, size_t n)
{
    write_bytes(s, n, false);
}

void console_flush(void)
{
    serial_drain();
}

int console_poll_char(void)
{
    return serial_getc();
}

static void (*input_handler)(char c);

static void serial_interrupt(struct trap_frame *tf)
{
    (void)tf;
    int c;
    while ((c = serial_getc()) >= 0)
        input_handler((char)c);
}

void console_set_input_handler(void (*fn)(char c))
{
    input_handler = fn;
    serial_enable_rx_interrupt();
    irq_set_handler(IRQ_COM1, serial_interrupt);
}
