/*
 * The printf family, all on format_v (lib/format.c, shared with the
 * kernel).  Output to an unbuffered stream or a bare descriptor is staged
 * in a local buffer for the duration of the call, so a message is one
 * write, not one per conversion.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <lib/format.h>
#include "../internal/libc.h"
#include "../internal/stdio_impl.h"

#define STAGE_SIZE 512

struct stage {
    char buf[STAGE_SIZE];
    size_t len;
    void (*drain)(void *target, const char *s, size_t n);
    void *target;
};

static void stage_flush(struct stage *st)
{
    if (st->len)
        st->drain(st->target, st->buf, st->len);
    st->len = 0;
}

static void stage_sink(void *ctx, const char *s, size_t n)
{
    struct stage *st = ctx;
    if (st->len + n > sizeof st->buf)
        stage_flush(st);
    if (n >= sizeof st->buf) {
        st->drain(st->target, s, n);
        return;
    }
    memcpy(st->buf + st->len, s, n);
    st->len += n;
}

/* Format through a stage into drain(target, ...). */
static int staged(void (*drain)(void *, const char *, size_t), void *target,
                  const char *fmt, va_list ap)
{
    struct stage st = { .len = 0, .drain = drain, .target = target };
    int n = format_v(stage_sink, &st, fmt, ap);
    stage_flush(&st);
    return n;
}

static void stream_sink(void *ctx, const char *s, size_t n)
{
    stream_write_unlocked(ctx, s, n);
}

static void fd_sink(void *ctx, const char *s, size_t n)
{
    libc_write_all((int)(intptr_t)ctx, s, n);
}

/* Returns the number of bytes formatted, or -1 if the stream had an error. */
int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    libc_lock(&f->lock);
    int had_error = f->flags & STREAM_ERROR;
    f->flags &= ~STREAM_ERROR;
    int n = f->buffering == _IONBF ? staged(stream_sink, f, fmt, ap)
                                   : format_v(stream_sink, f, fmt, ap);
    if (f->flags & STREAM_ERROR)
        n = -1;
    f->flags |= had_error;
    libc_unlock(&f->lock);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
    return staged(fd_sink, (void *)(intptr_t)fd, fmt, ap);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    return format_buffer_v(buf, size, fmt, ap);
}

/* No size: the caller promises the buffer is big enough. */
int vsprintf(char *buf, const char *fmt, va_list ap)
{
    return format_buffer_v(buf, SIZE_MAX, fmt, ap);
}

/* A malloc'ed result; -1 (and *result undefined) when memory runs out. */
int vasprintf(char **result, const char *fmt, va_list ap)
{
    va_list measure;
    va_copy(measure, ap);
    int n = format_buffer_v(NULL, 0, fmt, measure);
    va_end(measure);
    *result = malloc((size_t)n + 1);
    if (!*result)
        return -1;
    return format_buffer_v(*result, (size_t)n + 1, fmt, ap);
}

int printf(const char *fmt, ...) { VARIADIC(vfprintf(stdout, fmt, ap)); }
int fprintf(FILE *f, const char *fmt, ...) { VARIADIC(vfprintf(f, fmt, ap)); }
int dprintf(int fd, const char *fmt, ...) { VARIADIC(vdprintf(fd, fmt, ap)); }
int sprintf(char *buf, const char *fmt, ...) { VARIADIC(vsprintf(buf, fmt, ap)); }
int snprintf(char *buf, size_t size, const char *fmt, ...) { VARIADIC(vsnprintf(buf, size, fmt, ap)); }
int asprintf(char **result, const char *fmt, ...) { VARIADIC(vasprintf(result, fmt, ap)); }
