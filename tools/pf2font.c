/*
 * pf2font: the console's built-in font, made at build time from the font
 * GRUB ships (/usr/share/grub/ascii.pf2: GNU Unifont's ASCII, 8x16), so
 * that no glyph table is typed into the tree by hand.
 *
 *   pf2font FONT.pf2 > font.c
 *
 * Writes a C file defining font_glyphs[FONT_GLYPHS][FONT_HEIGHT]
 * (lib/include/lib/font.h): one byte per row, the leftmost pixel in the
 * high bit, for the printable ASCII characters from FONT_FIRST.
 *
 * PF2 (GRUB's own format): "FILE" then sections of a 4-byte name and a
 * 4-byte big-endian length.  ASCE is the font's ascent; CHIX indexes the
 * glyphs (9 bytes each: code point, flags, offset of the glyph in the
 * file, all big-endian); a glyph is width, height, x offset, y offset (the
 * bitmap's bottom row against the baseline), advance (16 bits each), then
 * its bitmap: rows of width bits, one after the other, not byte-aligned.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lib/font.h>

#define SECTION_HEADER  8               /* name, length */
#define CHIX_ENTRY      9
#define GLYPH_HEADER    10

static uint8_t *file;
static size_t file_size;

static void die(const char *what)
{
    fprintf(stderr, "pf2font: %s\n", what);
    exit(1);
}

static uint32_t be(size_t at, int bytes)
{
    if (at + bytes > file_size)
        die("the font file is cut short");
    uint32_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | file[at + i];
    return v;
}

/* The offset and length of section name's contents, or 0 if there is none. */
static size_t section(const char *name, size_t *length)
{
    for (size_t at = 0; at + SECTION_HEADER <= file_size;) {
        uint32_t len = be(at + 4, 4);
        if (memcmp(file + at, name, 4) == 0) {
            *length = len;
            return at + SECTION_HEADER;
        }
        if (memcmp(file + at, "DATA", 4) == 0)      /* runs to the end of the file */
            break;
        at += SECTION_HEADER + (size_t)len;
    }
    return 0;
}

/* Draw code point cp into cell (FONT_HEIGHT rows of FONT_WIDTH bits); 0 if the font has none. */
static int glyph(uint32_t cp, int ascent, uint8_t cell[FONT_HEIGHT])
{
    size_t chix_len, chix = section("CHIX", &chix_len);
    for (size_t e = chix; e + CHIX_ENTRY <= chix + chix_len; e += CHIX_ENTRY) {
        if (be(e, 4) != cp)
            continue;
        size_t g = be(e + 5, 4);
        int width = (int)be(g, 2), height = (int)be(g + 2, 2);
        int xoff = (int16_t)be(g + 4, 2), yoff = (int16_t)be(g + 6, 2);
        int top = ascent - yoff - height;   /* the bitmap's first row in the cell */
        size_t bits = (g + GLYPH_HEADER) * 8;
        memset(cell, 0, FONT_HEIGHT);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++, bits++) {
                int row = top + y, col = xoff + x;
                if (!(be(bits / 8, 1) & (0x80 >> bits % 8)))
                    continue;
                if (row < 0 || row >= FONT_HEIGHT || col < 0 || col >= FONT_WIDTH)
                    die("a glyph does not fit the 8x16 cell");
                cell[row] |= (uint8_t)(0x80 >> col);
            }
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        die("usage: pf2font FONT.pf2 > font.c");
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        die("cannot open the font file");
    file = malloc(1 << 20);
    file_size = fread(file, 1, 1 << 20, f);
    fclose(f);
    if (file_size < SECTION_HEADER || memcmp(file, "FILE", 4) != 0)
        die("not a PF2 font");
    size_t len, asce = section("ASCE", &len);
    if (!asce || !section("CHIX", &len))
        die("the font has no ASCE or CHIX section");
    int ascent = (int)be(asce, 2);

    printf("/* Made by tools/pf2font from %s: do not edit. */\n", argv[1]);
    printf("#include <lib/font.h>\n\n");
    printf("const uint8_t font_glyphs[FONT_GLYPHS][FONT_HEIGHT] = {\n");
    for (uint32_t cp = FONT_FIRST; cp < FONT_FIRST + FONT_GLYPHS; cp++) {
        uint8_t cell[FONT_HEIGHT];
        if (!glyph(cp, ascent, cell))
            die("the font lacks a printable ASCII character");
        printf("    {");
        for (int r = 0; r < FONT_HEIGHT; r++)
            printf("%s0x%02x", r ? "," : "", cell[r]);
        printf("},  /* %c */\n", (int)cp);
    }
    printf("};\n");
    return 0;
}
