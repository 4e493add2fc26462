/* The boot console: COM1 serial, mirrored to the screen (VGA text, or a framebuffer under UEFI). */
#ifndef ARCH_CONSOLE_H
#define ARCH_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

/* The serial line; what is written before console_start_screen is kept for the screen. */
void console_init(void);

/* The screen the boot loader left (boot_info.framebuffer), once memory (kvmap) is up. */
void console_start_screen(void);

/* Write n bytes to every console device; '\n' becomes CR LF on the serial line. */
void console_write(const char *s, size_t n);

/* The same without the CR: the terminal's output when its settings turn OPOST or ONLCR off. */
void console_write_raw(const char *s, size_t n);

/* Wait until every byte written has left the serial line (before a power-off). */
void console_flush(void);

/* The next byte received on the serial line, or -1 if none is waiting. */
int console_poll_char(void);

/* Deliver every byte received from now on to fn, from the serial or the keyboard interrupt. */
void console_set_input_handler(void (*fn)(char c));

#endif
