/*
 * The framebuffer console (lib/fbcon.c) drawing into memory: glyphs from the
 * font, in every pixel format it takes; the cursor; wrapping, scrolling,
 * tabs, backspace; the escape sequences it knows and those it only skips;
 * and that nothing is ever drawn outside the framebuffer.
 */
#include <lib/fbcon.h>
#include <lib/font.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

#define COLS 10
#define ROWS 4
#define GUARD 64                        /* bytes around the framebuffer that must stay untouched */
#define GUARD_BYTE 0x5a

static const struct fb_format rgb32 = { 4, 16, 8, 8, 8, 0, 8 };
static const struct fb_format bgr24 = { 3, 0, 8, 8, 8, 16, 8 };
static const struct fb_format rgb565 = { 2, 11, 5, 5, 6, 0, 5 };

struct screen {
    struct fbcon c;
    uint8_t *memory;                    /* GUARD, the framebuffer, GUARD */
    size_t bytes;
    char *cells;
};

static int open_screen(struct screen *s, const struct fb_format *f, unsigned extra_pitch)
{
    unsigned width = COLS * FONT_WIDTH, height = ROWS * FONT_HEIGHT;
    unsigned pitch = width * f->bytes_per_pixel + extra_pitch;
    s->bytes = (size_t)pitch * height;
    s->memory = malloc(s->bytes + 2 * GUARD);
    memset(s->memory, GUARD_BYTE, s->bytes + 2 * GUARD);
    s->cells = malloc(fbcon_cells_size(width, height));
    return fbcon_init(&s->c, s->memory + GUARD, pitch, width, height, f, s->cells);
}

static void close_screen(struct screen *s)
{
    free(s->memory);
    free(s->cells);
}

static int guards_intact(const struct screen *s)
{
    for (size_t i = 0; i < GUARD; i++)
        if (s->memory[i] != GUARD_BYTE || s->memory[GUARD + s->bytes + i] != GUARD_BYTE)
            return 0;
    return 1;
}

static void write_text(struct screen *s, const char *text)
{
    while (*text)
        fbcon_putc(&s->c, *text++);
}

static uint32_t pixel(const struct screen *s, int x, int y)
{
    const uint8_t *p = s->c.base + (size_t)y * s->c.pitch + (size_t)x * s->c.format.bytes_per_pixel;
    uint32_t v = 0;
    for (int i = 0; i < s->c.format.bytes_per_pixel; i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}

/* Whether the cell at row, col shows ch's glyph (' ' for blank), the cursor's row left out. */
static int cell_shows(const struct screen *s, int row, int col, char ch)
{
    static const uint8_t blank[FONT_HEIGHT];
    const uint8_t *glyph = ch == ' ' ? blank : font_glyphs[ch - FONT_FIRST];
    for (int y = 0; y < FONT_HEIGHT - 1; y++)
        for (int x = 0; x < FONT_WIDTH; x++) {
            uint32_t want = glyph[y] & (0x80 >> x) ? s->c.fg : s->c.bg;
            if (pixel(s, col * FONT_WIDTH + x, row * FONT_HEIGHT + y) != want)
                return 0;
        }
    return 1;
}

static int row_shows(const struct screen *s, int row, const char *text)
{
    for (int col = 0; col < COLS; col++)
        if (!cell_shows(s, row, col, *text ? *text++ : ' '))
            return 0;
    return 1;
}

static int pixel_formats(void)
{
    const struct fb_format *formats[] = { &rgb32, &bgr24, &rgb565 };
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        struct screen s;
        CHECK(open_screen(&s, formats[i], 12), "format %zu refused", i);
        write_text(&s, "Ag~");
        CHECK(row_shows(&s, 0, "Ag~"), "format %zu: the glyphs are not drawn", i);
        CHECK(guards_intact(&s), "format %zu: drew outside the framebuffer", i);
        close_screen(&s);
    }
    CHECK(fbcon_pixel(&rgb32, 0xaa, 0xbb, 0xcc) == 0xaabbcc, "rgb32 pixel %#x", fbcon_pixel(&rgb32, 0xaa, 0xbb, 0xcc));
    CHECK(fbcon_pixel(&bgr24, 0xaa, 0xbb, 0xcc) == 0xccbbaa, "bgr24 pixel");
    CHECK(fbcon_pixel(&rgb565, 0xff, 0xff, 0xff) == 0xffff, "rgb565 white %#x", fbcon_pixel(&rgb565, 0xff, 0xff, 0xff));
    return 1;
}

static int refuses_what_it_cannot_draw(void)
{
    struct fbcon c;
    uint8_t memory[64];
    char cells[1];
    const struct fb_format one_byte = { 1, 5, 3, 2, 3, 0, 2 }, wide_channel = { 4, 0, 9, 8, 8, 16, 8 };
    CHECK(!fbcon_init(&c, memory, 64, 8, 16, &one_byte, cells), "took 1 byte a pixel");
    CHECK(!fbcon_init(&c, memory, 64, 8, 16, &wide_channel, cells), "took 9 bits a colour");
    CHECK(!fbcon_init(&c, memory, 4, 8, 16, &rgb32, cells), "took a pitch shorter than a line");
    CHECK(!fbcon_init(&c, memory, 64, 4, 16, &rgb32, cells), "took a screen narrower than a character");
    return 1;
}

static int wraps_and_scrolls(void)
{
    struct screen s;
    CHECK(open_screen(&s, &rgb32, 0), "refused");
    write_text(&s, "0123456789");               /* exactly a line: the wrap waits */
    CHECK(s.c.row == 0 && s.c.col == COLS, "after a full line at %d,%d", s.c.row, s.c.col);
    write_text(&s, "\nab\ncd\nef\ngh");          /* a newline right after takes no extra row */
    CHECK(row_shows(&s, 0, "ab") && row_shows(&s, 1, "cd") && row_shows(&s, 2, "ef") &&
          row_shows(&s, 3, "gh"), "the screen did not scroll one row");
    write_text(&s, "ijklmnopqrs");              /* a line and one: wraps, scrolls */
    CHECK(row_shows(&s, 2, "ghijklmnop") && row_shows(&s, 3, "qrs"), "no wrap to a new row");
    CHECK(guards_intact(&s), "drew outside the framebuffer");
    close_screen(&s);
    return 1;
}

static int tabs_backspace_return(void)
{
    struct screen s;
    CHECK(open_screen(&s, &rgb32, 0), "refused");
    write_text(&s, "a\tb");
    CHECK(cell_shows(&s, 0, 8, 'b'), "a tab does not go to column 8");
    write_text(&s, "\tc");                      /* from column 9, a tab goes to the end */
    CHECK(s.c.row == 1 && s.c.col == 1 && cell_shows(&s, 1, 0, 'c'), "a tab past the end: %d,%d",
          s.c.row, s.c.col);
    write_text(&s, "xy\b\bZ\rQ");
    CHECK(row_shows(&s, 1, "QZy"), "backspace or return misplaced");
    CHECK(guards_intact(&s), "drew outside the framebuffer");
    close_screen(&s);
    return 1;
}

static int escape_sequences(void)
{
    struct screen s;
    CHECK(open_screen(&s, &rgb32, 0), "refused");
    write_text(&s, "abcdef\033[3D\033[K");      /* three back, erase to the end */
    CHECK(row_shows(&s, 0, "abc") && s.c.col == 3, "ESC [ 3 D, ESC [ K");
    write_text(&s, "\033[2C!\033[1;31mred\033[0m"); /* colours are read and not drawn */
    CHECK(row_shows(&s, 0, "abc  !red"), "ESC [ 2 C or a colour sequence shown");
    write_text(&s, "\033[3;5HX");
    CHECK(cell_shows(&s, 2, 4, 'X'), "ESC [ 3 ; 5 H did not move to row 3, column 5");
    write_text(&s, "\033[99999;99999HY");       /* clamped to the screen */
    CHECK(cell_shows(&s, ROWS - 1, COLS - 1, 'Y'), "a far position is not clamped");
    write_text(&s, "\033[?25l\033[2J");         /* a private sequence skipped; the screen cleared */
    for (int r = 0; r < ROWS; r++)
        CHECK(row_shows(&s, r, ""), "ESC [ 2 J left row %d", r);
    write_text(&s, "\033[H\033;;;;;;;;Hok");      /* ESC then not [: the sequence ends */
    CHECK(guards_intact(&s), "drew outside the framebuffer");
    close_screen(&s);
    return 1;
}

static int cursor_comes_and_goes(void)
{
    struct screen s;
    CHECK(open_screen(&s, &rgb32, 0), "refused");
    write_text(&s, "hi");
    fbcon_sync_cursor(&s.c);
    fbcon_sync_cursor(&s.c);                    /* twice: still one cursor */
    int y = FONT_HEIGHT - 1;
    for (int x = 0; x < FONT_WIDTH; x++)
        CHECK(pixel(&s, 2 * FONT_WIDTH + x, y) == s.c.fg, "no underline under the next cell");
    write_text(&s, "!");
    CHECK(cell_shows(&s, 0, 2, '!'), "the cursor left a mark under the character");
    uint32_t below = pixel(&s, 2 * FONT_WIDTH, y);
    CHECK(below == (font_glyphs['!' - FONT_FIRST][y] & 0x80 ? s.c.fg : s.c.bg), "the cursor is not gone");
    close_screen(&s);
    return 1;
}

/*
 * Whatever bytes come, in whatever order, nothing is drawn outside the
 * framebuffer, and every cell shows the character the console keeps for it
 * (scrolling redraws only the cells whose character changes).
 */
static int random_bytes_stay_inside(void)
{
    struct screen s;
    CHECK(open_screen(&s, &bgr24, 5), "refused");
    static const char special[] = "\033[;0123456789HJKCD\n\r\b\t";
    srand(15);
    for (int i = 0; i < 200000; i++) {
        fbcon_putc(&s.c, (char)(rand() % 4 == 0 ? special[rand() % (sizeof special - 1)] : rand()));
        if (i % 97 == 0)
            fbcon_sync_cursor(&s.c);
    }
    CHECK(guards_intact(&s), "drew outside the framebuffer");
    CHECK(s.c.row >= 0 && s.c.row < ROWS && s.c.col >= 0 && s.c.col <= COLS, "cursor at %d,%d",
          s.c.row, s.c.col);
    int printable = 0;
    for (int r = 0; r < ROWS; r++)
        for (int col = 0; col < COLS; col++) {
            unsigned char ch = (unsigned char)s.cells[r * COLS + col];
            if (ch < FONT_FIRST || ch > FONT_LAST)
                continue;               /* a box */
            printable++;
            CHECK(cell_shows(&s, r, col, (char)ch), "cell %d,%d does not show '%c'", r, col, ch);
        }
    CHECK(printable > 0, "no printable character left on the screen to check");
    close_screen(&s);
    return 1;
}

int main(void)
{
    RUN(pixel_formats);
    RUN(refuses_what_it_cannot_draw);
    RUN(wraps_and_scrolls);
    RUN(tabs_backspace_return);
    RUN(escape_sequences);
    RUN(cursor_comes_and_goes);
    RUN(random_bytes_stay_inside);
    return failures != 0;
}
