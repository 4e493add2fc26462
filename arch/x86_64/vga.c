/*
 * The VGA text screen (80x25 at physical 0xb8000), written through the
 * direct map.  Output only; it scrolls, and knows \n, \r, \b and \t.
 * The hardware cursor moves once per write (vga_sync_cursor): port I/O is slow.
 */
#include <arch/layout.h>
#include <lib/string.h>
#include <stdint.h>
#include "vga.h"
#include "x86.h"

#define VGA_PHYS        0xb8000
#define VGA_COLS        80
#define VGA_ROWS        25
#define VGA_ATTR        0x0700          /* light grey on black */
#define TAB_WIDTH       8

#define CRTC_INDEX      0x3d4
#define CRTC_DATA       0x3d5
#define CRTC_CURSOR_HI  0x0e
#define CRTC_CURSOR_LO  0x0f

static volatile uint16_t *const screen = (uint16_t *)(DIRECT_MAP_BASE + VGA_PHYS);
static int row, col;

void vga_sync_cursor(void)
{
    uint16_t pos = (uint16_t)(row * VGA_COLS + col);
    outb(CRTC_INDEX, CRTC_CURSOR_HI);
    outb(CRTC_DATA, pos >> 8);
    outb(CRTC_INDEX, CRTC_CURSOR_LO);
    outb(CRTC_DATA, pos & 0xff);
}

static void clear_row(int r)
{
    for (int c = 0; c < VGA_COLS; c++)
        screen[r * VGA_COLS + c] = VGA_ATTR | ' ';
}

void vga_init(void)
{
    for (int r = 0; r < VGA_ROWS; r++)
        clear_row(r);
    row = col = 0;
    vga_sync_cursor();
}

static void newline(void)
{
    col = 0;
    if (++row < VGA_ROWS)
        return;
    memmove((void *)screen, (const void *)(screen + VGA_COLS),
            (VGA_ROWS - 1) * VGA_COLS * sizeof *screen);
    row = VGA_ROWS - 1;
    clear_row(row);
}

void vga_putc(char c)
{
    switch (c) {
    case '\n': newline(); break;
    case '\r': col = 0; break;
    case '\b': if (col > 0) col--; break;
    case '\t': col = (col + TAB_WIDTH) & ~(TAB_WIDTH - 1); break;
    default:
        screen[row * VGA_COLS + col] = VGA_ATTR | (uint8_t)c;
        col++;
        break;
    }
    if (col >= VGA_COLS)
        newline();
}
