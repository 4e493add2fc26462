/*
 * The framebuffer text console (lib/include/lib/fbcon.h): 8x16 cells of
 * the built-in font (lib/include/lib/font.h), light grey on black like the
 * VGA text screen.  A line wraps when a character comes past its end (a
 * line of exactly the screen's width and a newline take one row, as on a
 * terminal).  The characters on the screen are kept in cells[], and
 * scrolling redraws each cell whose character changes (a screen of short
 * lines changes little), without reading the framebuffer: a read of video
 * memory is uncached on a real machine, and moving a 1920x1080 screen's
 * 8 MB up would take a large part of a second per line.
 */
#include <lib/fbcon.h>
#include <lib/font.h>
#include <lib/string.h>

#define TAB_WIDTH       8
#define CURSOR_ROW      (FONT_HEIGHT - 1)       /* the cell's pixel row the cursor underlines */
#define FG_LEVEL        0xaa                    /* VGA's light grey */
#define ESC             '\033'
#define MAX_BYTES_PER_PIXEL 4

enum escape_state { TEXT, GOT_ESC, IN_CSI };    /* struct fbcon's escape */

uint32_t fbcon_pixel(const struct fb_format *f, uint8_t red, uint8_t green, uint8_t blue)
{
    return (uint32_t)(red >> (8 - f->red_bits)) << f->red_pos |
           (uint32_t)(green >> (8 - f->green_bits)) << f->green_pos |
           (uint32_t)(blue >> (8 - f->blue_bits)) << f->blue_pos;
}

static uint8_t *pixel_at(struct fbcon *c, int x, int y)
{
    return c->base + (uint32_t)y * c->pitch + (uint32_t)x * c->format.bytes_per_pixel;
}

/* Little-endian, as the framebuffer's memory is. */
static void put_pixel(struct fbcon *c, uint8_t *p, uint32_t value)
{
    for (int i = 0; i < c->format.bytes_per_pixel; i++)
        p[i] = (uint8_t)(value >> (8 * i));
}

static uint32_t get_pixel(struct fbcon *c, const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 0; i < c->format.bytes_per_pixel; i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}

static bool cell_on_screen(const struct fbcon *c, int row, int col)
{
    return row >= 0 && row < c->rows && col >= 0 && col < c->cols;
}

static char *cell(struct fbcon *c, int row, int col)
{
    return &c->cells[row * c->cols + col];
}

/* Draw ch (a box if the font has no glyph for it) in the cell at row, col. */
static void draw_cell(struct fbcon *c, int row, int col, unsigned char ch)
{
    static const uint8_t box[FONT_HEIGHT] = { 0, 0, 0x7e, 0x42, 0x42, 0x42, 0x42, 0x42,
                                              0x42, 0x42, 0x42, 0x42, 0x7e, 0, 0, 0 };
    static const uint8_t blank[FONT_HEIGHT];
    if (!cell_on_screen(c, row, col))
        return;
    *cell(c, row, col) = (char)ch;
    const uint8_t *glyph = ch == ' ' ? blank
                         : ch >= FONT_FIRST && ch <= FONT_LAST ? font_glyphs[ch - FONT_FIRST] : box;
    for (int y = 0; y < FONT_HEIGHT; y++) {
        uint8_t *p = pixel_at(c, col * FONT_WIDTH, row * FONT_HEIGHT + y);
        for (int x = 0; x < FONT_WIDTH; x++, p += c->format.bytes_per_pixel)
            put_pixel(c, p, glyph[y] & (0x80 >> x) ? c->fg : c->bg);
    }
}

/* Blank the cells of row from col to the end of the line. */
static void clear_to_end(struct fbcon *c, int row, int col)
{
    for (; col < c->cols; col++)
        draw_cell(c, row, col, ' ');
}

static void clear_screen(struct fbcon *c)
{
    for (int r = 0; r < c->rows; r++)
        clear_to_end(c, r, 0);
}

/* The cursor is an underline drawn by inverting pixels, so drawing it twice takes it away. */
static void toggle_cursor(struct fbcon *c)
{
    if (!cell_on_screen(c, c->row, c->col))
        return;
    uint8_t *p = pixel_at(c, c->col * FONT_WIDTH, c->row * FONT_HEIGHT + CURSOR_ROW);
    for (int x = 0; x < FONT_WIDTH; x++, p += c->format.bytes_per_pixel)
        put_pixel(c, p, get_pixel(c, p) ^ c->fg ^ c->bg);
    c->cursor_drawn = !c->cursor_drawn;
}

void fbcon_sync_cursor(struct fbcon *c)
{
    if (!c->cursor_drawn)
        toggle_cursor(c);
}

/* Every row up one, the last one blank: only the cells whose character changes are drawn. */
static void scroll(struct fbcon *c)
{
    for (int r = 0; r < c->rows; r++)
        for (int col = 0; col < c->cols; col++) {
            char below = r + 1 < c->rows ? *cell(c, r + 1, col) : ' ';
            if (*cell(c, r, col) != below)
                draw_cell(c, r, col, (unsigned char)below);
        }
}

static void newline(struct fbcon *c)
{
    c->col = 0;
    if (++c->row < c->rows)
        return;
    c->row = c->rows - 1;
    scroll(c);
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The final byte of ESC [ params: act on the few sequences a shell's line editing sends. */
static void run_csi(struct fbcon *c, char final)
{
    int n = c->param_count > 0 && c->params[0] > 0 ? c->params[0] : 1;
    switch (final) {
    case 'C': c->col = clamp(c->col + n, 0, c->cols - 1); break;
    case 'D': c->col = clamp(c->col - n, 0, c->cols - 1); break;
    case 'K': if (c->param_count == 0 || c->params[0] == 0) clear_to_end(c, c->row, c->col); break;
    case 'J': if (c->param_count > 0 && c->params[0] == 2) clear_screen(c); break;
    case 'H':
        c->row = clamp(c->param_count > 0 ? c->params[0] - 1 : 0, 0, c->rows - 1);
        c->col = clamp(c->param_count > 1 ? c->params[1] - 1 : 0, 0, c->cols - 1);
        break;
    default: break;                             /* colours and the rest: read, not drawn */
    }
}

#define CSI_PARAM_MAX 9999                      /* larger numbers mean nothing on a screen */

/* One byte of an escape sequence: its parameters, then the final byte that ends it. */
static void escape_byte(struct fbcon *c, char ch)
{
    if (c->escape == GOT_ESC) {
        c->escape = ch == '[' ? IN_CSI : TEXT;
        c->param_count = 0;
        return;
    }
    if (ch >= '0' && ch <= '9') {
        if (c->param_count == 0)
            c->params[c->param_count++] = 0;
        int *p = &c->params[c->param_count - 1];
        *p = *p * 10 + (ch - '0') > CSI_PARAM_MAX ? CSI_PARAM_MAX : *p * 10 + (ch - '0');
    } else if (ch == ';') {
        if (c->param_count == 0)
            c->params[c->param_count++] = 0;
        if (c->param_count < FBCON_CSI_PARAMS)
            c->params[c->param_count++] = 0;
    } else if (ch >= '@' && ch <= '~') {        /* the final byte */
        run_csi(c, ch);
        c->escape = TEXT;
    }                                           /* '?' and other intermediates: skipped */
}

void fbcon_putc(struct fbcon *c, char ch)
{
    if (c->cursor_drawn)
        toggle_cursor(c);
    if (c->escape != TEXT) {
        escape_byte(c, ch);
        return;
    }
    switch (ch) {
    case ESC: c->escape = GOT_ESC; break;
    case '\n': newline(c); break;
    case '\r': c->col = 0; break;
    case '\b': if (c->col > 0) c->col--; break;
    case '\t': c->col = clamp((c->col + TAB_WIDTH) & ~(TAB_WIDTH - 1), 0, c->cols); break;
    default:
        if (c->col >= c->cols)                  /* the wrap waits for a character past the end */
            newline(c);
        draw_cell(c, c->row, c->col, (unsigned char)ch);
        c->col++;
        break;
    }
}

size_t fbcon_cells_size(uint32_t width, uint32_t height)
{
    return (size_t)(width / FONT_WIDTH) * (height / FONT_HEIGHT);
}

bool fbcon_init(struct fbcon *c, void *base, uint32_t pitch, uint32_t width, uint32_t height,
                const struct fb_format *format, char *cells)
{
    const struct fb_format *f = format;
    if (f->bytes_per_pixel < 2 || f->bytes_per_pixel > MAX_BYTES_PER_PIXEL || width < FONT_WIDTH ||
        height < FONT_HEIGHT || pitch < width * f->bytes_per_pixel ||
        !f->red_bits || f->red_bits > 8 || !f->green_bits || f->green_bits > 8 ||
        !f->blue_bits || f->blue_bits > 8)
        return false;
    *c = (struct fbcon){
        .base = base, .cells = cells, .pitch = pitch, .format = *f,
        .cols = (int)(width / FONT_WIDTH), .rows = (int)(height / FONT_HEIGHT),
        .escape = TEXT,
    };
    c->fg = fbcon_pixel(f, FG_LEVEL, FG_LEVEL, FG_LEVEL);
    c->bg = fbcon_pixel(f, 0, 0, 0);
    memset(cells, 0, fbcon_cells_size(width, height));     /* differs from ' ': all drawn */
    clear_screen(c);
    return true;
}
