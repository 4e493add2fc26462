/*
 * A text console drawn on a linear framebuffer: the screen under UEFI,
 * which has no VGA text mode.  Pure drawing into memory, no hardware: the
 * kernel points it at the framebuffer the boot loader set up
 * (arch/x86_64/console.c), the host tests and tools/fbcon-render.c at a
 * buffer of their own, so that a screenshot of the machine can be checked
 * against the same text drawn on the host.
 *
 * It knows \n, \r, \b, \t, and of the terminal's escape sequences the few
 * a shell's line editing sends: ESC [ n C / D (cursor right / left), K
 * (erase to the end of the line), J (2: the whole screen), H (home, or row;
 * col); others (colours: m) are read and ignored.  Writes from two CPUs at
 * once may interleave, as on the serial line; whatever the state, nothing
 * is drawn outside the framebuffer.
 */
#ifndef LIB_FBCON_H
#define LIB_FBCON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a pixel is laid out: the position and width of each colour's bits (multiboot2's RGB type). */
struct fb_format {
    uint8_t bytes_per_pixel;                    /* 2, 3 or 4 */
    uint8_t red_pos, red_bits, green_pos, green_bits, blue_pos, blue_bits;
};

#define FBCON_CSI_PARAMS 2                      /* ESC [ a ; b X: enough for H */

struct fbcon {
    uint8_t *base;                              /* the framebuffer's first pixel */
    char *cells;                                /* what each cell shows, rows x cols: scrolling
                                                   redraws what changed instead of reading the
                                                   framebuffer, which is slow on real hardware */
    uint32_t pitch;                             /* bytes from one line of pixels to the next */
    struct fb_format format;
    uint32_t fg, bg;                            /* the colours as pixel values */
    int cols, rows;                             /* text cells */
    int row, col;                               /* where the next character goes */
    bool cursor_drawn;                          /* the cursor is on the screen at row, col */
    int escape;                                 /* where in an escape sequence (fbcon.c) */
    int params[FBCON_CSI_PARAMS], param_count;
};

/* The bytes of cell memory fbcon_init needs for a screen of width x height pixels. */
size_t fbcon_cells_size(uint32_t width, uint32_t height);

/*
 * Take the framebuffer at base, width x height pixels of format, and cells
 * (fbcon_cells_size bytes), clear the screen and put the cursor top left.
 * False if the format is not one we draw.
 */
bool fbcon_init(struct fbcon *c, void *base, uint32_t pitch, uint32_t width, uint32_t height,
                const struct fb_format *format, char *cells);

void fbcon_putc(struct fbcon *c, char ch);

/* Draw the cursor (an underline) where the next character goes: once per write. */
void fbcon_sync_cursor(struct fbcon *c);

/* The pixel value of a colour given as 8-bit red, green, blue. */
uint32_t fbcon_pixel(const struct fb_format *f, uint8_t red, uint8_t green, uint8_t blue);

#endif
