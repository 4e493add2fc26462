/*
 * fbcon-render: draw text with the kernel's framebuffer console (lib/fbcon.c)
 * on the host, as a PPM image: what the machine's screen must show after
 * writing that text.  tests/screen.sh compares it with QEMU's screendump.
 *
 *   fbcon-render WIDTH HEIGHT < TEXT > IMAGE.ppm
 */
#include <lib/fbcon.h>
#include <stdio.h>
#include <stdlib.h>

#define BYTES_PER_PIXEL 4
#define RED_POS   16                    /* 0x00RRGGBB, as a UEFI framebuffer usually is */
#define GREEN_POS 8
#define BLUE_POS  0
#define CHANNEL_MAX 255

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: fbcon-render WIDTH HEIGHT < TEXT > IMAGE.ppm\n");
        return 2;
    }
    unsigned width = (unsigned)atoi(argv[1]), height = (unsigned)atoi(argv[2]);
    const struct fb_format format = { BYTES_PER_PIXEL, RED_POS, 8, GREEN_POS, 8, BLUE_POS, 8 };
    uint8_t *pixels = calloc((size_t)width * height, BYTES_PER_PIXEL);
    char *cells = malloc(fbcon_cells_size(width, height));
    struct fbcon c;
    if (!pixels || !cells || !fbcon_init(&c, pixels, width * BYTES_PER_PIXEL, width, height, &format, cells)) {
        fprintf(stderr, "fbcon-render: cannot draw on %ux%u\n", width, height);
        return 1;
    }
    int ch;
    while ((ch = getchar()) != EOF)
        fbcon_putc(&c, (char)ch);
    fbcon_sync_cursor(&c);
    printf("P6\n%u %u\n%d\n", width, height, CHANNEL_MAX);
    for (size_t i = 0; i < (size_t)width * height; i++) {
        const uint8_t *p = &pixels[i * BYTES_PER_PIXEL];
        putchar(p[RED_POS / 8]);
        putchar(p[GREEN_POS / 8]);
        putchar(p[BLUE_POS / 8]);
    }
    free(pixels);
    free(cells);
    return 0;
}
