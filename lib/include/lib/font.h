/*
 * The console's bitmap font: 8x16 cells for the printable ASCII characters,
 * one byte per row with the leftmost pixel in the high bit.  The table is
 * made at build time by tools/pf2font from the font GRUB ships.
 */
#ifndef LIB_FONT_H
#define LIB_FONT_H

#include <stdint.h>

#define FONT_WIDTH  8
#define FONT_HEIGHT 16
#define FONT_FIRST  0x20                /* ' ' */
#define FONT_LAST   0x7e                /* '~' */
#define FONT_GLYPHS (FONT_LAST - FONT_FIRST + 1)

extern const uint8_t font_glyphs[FONT_GLYPHS][FONT_HEIGHT];

#endif
