/*
 * kprintf: the formatter (lib/format.c) writing to the console.  Output of
 * one call is collected in a small buffer and written in pieces, with
 * interrupts off so that lines from an interrupt handler do not cut into it.
 */
#include <arch/console.h>
#include <arch/cpu.h>
#include <kernel/printk.h>
#include <lib/format.h>

#define PRINTK_CHUNK 128        /* bytes gathered before a console write */

struct chunk {
    char buf[PRINTK_CHUNK];
    size_t used;
};

static void flush_chunk(struct chunk *c)
{
    console_write(c->buf, c->used);
    c->used = 0;
}

static void chunk_sink(void *ctx, const char *s, size_t n)
{
    struct chunk *c = ctx;
    for (size_t i = 0; i < n; i++) {
        if (c->used == PRINTK_CHUNK)
            flush_chunk(c);
        c->buf[c->used++] = s[i];
    }
}

int kvprintf(const char *fmt, va_list ap)
{
    struct chunk c = { .used = 0 };
    bool irq = irq_save();
    int n = format_v(chunk_sink, &c, fmt, ap);
    flush_chunk(&c);
    irq_restore(irq);
    return n;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}
