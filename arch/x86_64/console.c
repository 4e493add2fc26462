/*
 * The console: every byte to the serial line and to the screen.  The
 * screen is what the boot loader left (kernel/boot.h): the VGA text screen
 * on a BIOS, a linear framebuffer under UEFI, which has no text mode and
 * gets the framebuffer console (lib/fbcon.c).  The framebuffer is mapped
 * through kvmap, so the screen starts once memory is up
 * (console_start_screen); the last EARLY_BYTES written before are kept and
 * drawn then, so the screen shows the boot as if it had been there from the
 * start (all of it on an emulator; a PC's long memory map may push the
 * first lines out, as they would have scrolled off anyway).  Input comes from the
 * serial line and the PS/2 keyboard (keyboard.c), both to one handler.
 */
#include <arch/console.h>
#include <arch/mmu.h>
#include <arch/trap.h>
#include <kernel/boot.h>
#include <kernel/heap.h>
#include <kernel/kvmap.h>
#include <kernel/printk.h>
#include <lib/fbcon.h>
#include "keyboard.h"
#include "serial.h"
#include "vga.h"

enum screen {
    SCREEN_EARLY,               /* not started: bytes go to early[] */
    SCREEN_VGA,                 /* the VGA text screen (vga.c) */
    SCREEN_FB,                  /* the framebuffer console */
    SCREEN_NONE,                /* none we can draw on: the serial line alone */
};

/* The boot messages before the screen starts: about 40 lines under QEMU, 2 KiB; more than a screenful. */
#define EARLY_BYTES 8192

/*
 * The screen's state, like the serial line's, has no lock: kprintf writes
 * with interrupts off, and two CPUs writing at once interleave their bytes
 * (the drawing never leaves the framebuffer whatever they do).  screen and
 * fb are set once, by CPU 0, before the other CPUs start.
 */
static enum screen screen = SCREEN_EARLY;
static char early[EARLY_BYTES];         /* a ring: byte i of the output at early[i % EARLY_BYTES] */
static size_t early_len;                /* bytes written before the screen started */
static struct fbcon fb;

void console_init(void)
{
    serial_init();
}

static void screen_putc(char c)
{
    switch (screen) {
    case SCREEN_EARLY:
        early[early_len++ % EARLY_BYTES] = c;
        break;
    case SCREEN_VGA: vga_putc(c); break;
    case SCREEN_FB: fbcon_putc(&fb, c); break;
    case SCREEN_NONE: break;
    }
}

static void screen_sync_cursor(void)
{
    if (screen == SCREEN_VGA)
        vga_sync_cursor();
    else if (screen == SCREEN_FB)
        fbcon_sync_cursor(&fb);
}

/* The framebuffer console on the framebuffer GRUB set up; false if it cannot be drawn on. */
static bool start_framebuffer(const struct boot_framebuffer *f)
{
    size_t bytes = (size_t)f->pitch * f->height;
    void *base = kvmap_map_phys(f->phys, bytes, MMU_WRITE);
    char *cells = kmalloc(fbcon_cells_size(f->width, f->height));
    if (!base || !cells) {
        kprintf("console: no memory to map the framebuffer\n");
    } else if (!fbcon_init(&fb, base, f->pitch, f->width, f->height, &f->format, cells)) {
        kprintf("console: a framebuffer of %u bits a pixel we cannot draw on\n", f->bits_per_pixel);
    } else {
        return true;
    }
    if (base)
        kvmap_unmap_phys(base, bytes);
    kfree(cells);
    return false;
}

void console_start_screen(void)
{
    const struct boot_framebuffer *f = &boot_info.framebuffer;
    enum screen chosen = SCREEN_NONE;
    switch (f->kind) {
    case BOOT_SCREEN_NONE:      /* a BIOS loader that did not say: text mode, as GRUB leaves it */
    case BOOT_SCREEN_TEXT:
        vga_init();
        chosen = SCREEN_VGA;
        break;
    case BOOT_SCREEN_RGB:
        if (start_framebuffer(f))
            chosen = SCREEN_FB;
        break;
    case BOOT_SCREEN_OTHER:
        break;
    }
    screen = chosen;
    size_t first = early_len > EARLY_BYTES ? early_len - EARLY_BYTES : 0;
    if (first)                          /* begin at a line: skip the rest of a cut one */
        while (first < early_len && early[first++ % EARLY_BYTES] != '\n')
            ;
    for (size_t i = first; i < early_len; i++)
        screen_putc(early[i % EARLY_BYTES]);
    screen_sync_cursor();
    if (chosen == SCREEN_FB)
        kprintf("console: framebuffer %ux%u, %u bits a pixel at %#lx: %d x %d characters\n",
                f->width, f->height, f->bits_per_pixel, f->phys, fb.cols, fb.rows);
    else if (chosen == SCREEN_NONE)
        kprintf("console: no screen we can draw on; the serial line only\n");
}

static void write_bytes(const char *s, size_t n, bool crlf)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' && crlf)
            serial_putc('\r');
        serial_putc(s[i]);
        screen_putc(s[i]);
    }
    screen_sync_cursor();
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

static void keyboard_interrupt(struct trap_frame *tf)
{
    (void)tf;
    keyboard_read(input_handler);
}

void console_set_input_handler(void (*fn)(char c))
{
    input_handler = fn;
    serial_enable_rx_interrupt();
    irq_set_handler(IRQ_COM1, serial_interrupt);
    if (keyboard_init())
        irq_set_handler(IRQ_KEYBOARD, keyboard_interrupt);
    else
        kprintf("console: no PS/2 keyboard controller; input from the serial line only\n");
}
