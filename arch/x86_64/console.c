/* The console: every byte to the serial line and to the VGA screen. */
#include <arch/console.h>
#include "serial.h"
#include "vga.h"

void console_init(void)
{
    serial_init();
    vga_init();
}

void console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
        vga_putc(s[i]);
    }
    vga_sync_cursor();
}

int console_poll_char(void)
{
    return serial_getc();
}
