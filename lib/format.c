/*
 * The formatter behind kprintf and printf.  One pass over the format
 * string; each conversion is parsed into a struct spec, then emitted.
 */
#include <lib/format.h>
#include <stdbool.h>
#include <stdint.h>

struct spec {
    bool left;          /* '-': pad on the right */
    bool zero;          /* '0': pad numbers with zeros */
    bool plus;          /* '+': sign on positive numbers */
    bool space;         /* ' ': space on positive numbers */
    bool alt;           /* '#': 0x prefix for x, leading 0 for o */
    int width;          /* minimum field width, 0 if none */
    int precision;      /* minimum digits, or maximum string length; -1 if none */
    int length;         /* size of the integer argument in bytes */
};

struct output {
    format_sink sink;
    void *ctx;
    int count;
};

static void emit(struct output *out, const char *s, size_t n)
{
    if (n) {
        out->sink(out->ctx, s, n);
        out->count += (int)n;
    }
}

static void emit_repeated(struct output *out, char c, int n)
{
    char chunk[16];
    for (size_t i = 0; i < sizeof chunk; i++)
        chunk[i] = c;
    while (n > 0) {
        int step = n < (int)sizeof chunk ? n : (int)sizeof chunk;
        emit(out, chunk, (size_t)step);
        n -= step;
    }
}

/* Emit body (with its sign/prefix) padded to the spec's width. */
static void emit_padded(struct output *out, const struct spec *sp, const char *prefix,
                        int prefix_len, int zeros, const char *body, int body_len)
{
    int len = prefix_len + zeros + body_len;
    int pad = sp->width > len ? sp->width - len : 0;
    if (!sp->left)
        emit_repeated(out, ' ', pad);
    emit(out, prefix, (size_t)prefix_len);
    emit_repeated(out, '0', zeros);
    emit(out, body, (size_t)body_len);
    if (sp->left)
        emit_repeated(out, ' ', pad);
}

static void emit_integer(struct output *out, struct spec *sp, uint64_t value,
                         bool negative, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];                       /* 2^64 in octal is 22 digits */
    int n = 0;
    if (!(value == 0 && sp->precision == 0)) {
        do {
            buf[sizeof buf - 1 - n++] = digits[value % base];
            value /= base;
        } while (value);
    }
    char prefix[2];
    int prefix_len = 0;
    if (negative)
        prefix[prefix_len++] = '-';
    else if (sp->plus)
        prefix[prefix_len++] = '+';
    else if (sp->space)
        prefix[prefix_len++] = ' ';
    if (sp->alt && base == 16 && n > 0 && !(n == 1 && buf[sizeof buf - 1] == '0')) {
        prefix[prefix_len++] = '0';
        prefix[prefix_len++] = upper ? 'X' : 'x';
    }
    int zeros = 0;
    if (sp->precision >= 0) {
        zeros = sp->precision > n ? sp->precision - n : 0;
    } else if (sp->zero && !sp->left) {
        int len = prefix_len + n;
        zeros = sp->width > len ? sp->width - len : 0;
    }
    if (sp->alt && base == 8 && zeros == 0 && (n == 0 || buf[sizeof buf - n] != '0'))
        zeros = 1;
    emit_padded(out, sp, prefix, prefix_len, zeros, buf + sizeof buf - n, n);
}

static uint64_t unsigned_arg(va_list *ap, int length)
{
    switch (length) {
    case 1:  return (unsigned char)va_arg(*ap, unsigned int);
    case 2:  return (unsigned short)va_arg(*ap, unsigned int);
    case 8:  return va_arg(*ap, unsigned long long);
    default: return va_arg(*ap, unsigned int);
    }
}

static int64_t signed_arg(va_list *ap, int length)
{
    switch (length) {
    case 1:  return (signed char)va_arg(*ap, int);
    case 2:  return (short)va_arg(*ap, int);
    case 8:  return va_arg(*ap, long long);
    default: return va_arg(*ap, int);
    }
}

/* Parse flags, width, precision and length at *fmt; advance *fmt past them. */
static void parse_spec(const char **fmt, va_list *ap, struct spec *sp)
{
    const char *f = *fmt;
    *sp = (struct spec){ .precision = -1, .length = 4 };
    for (;; f++) {
        if (*f == '-') sp->left = true;
        else if (*f == '0') sp->zero = true;
        else if (*f == '+') sp->plus = true;
        else if (*f == ' ') sp->space = true;
        else if (*f == '#') sp->alt = true;
        else break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) {
            sp->left = true;
            sp->width = -sp->width;
        }
        f++;
    } else {
        while (*f >= '0' && *f <= '9')
            sp->width = sp->width * 10 + (*f++ - '0');
    }
    if (*f == '.') {
        f++;
        sp->precision = 0;
        if (*f == '*') {
            sp->precision = va_arg(*ap, int);
            if (sp->precision < 0)
                sp->precision = -1;
            f++;
        } else {
            while (*f >= '0' && *f <= '9')
                sp->precision = sp->precision * 10 + (*f++ - '0');
        }
    }
    for (;; f++) {
        if (*f == 'h') sp->length = sp->length == 2 ? 1 : 2;
        else if (*f == 'l' || *f == 'z' || *f == 'j' || *f == 't') sp->length = 8;
        else break;
    }
    *fmt = f;
}

int format_v(format_sink sink, void *ctx, const char *fmt, va_list ap_in)
{
    struct output out = { sink, ctx, 0 };
    va_list ap;
    va_copy(ap, ap_in);
    while (*fmt) {
        const char *start = fmt;
        while (*fmt && *fmt != '%')
            fmt++;
        emit(&out, start, (size_t)(fmt - start));
        if (!*fmt)
            break;
        fmt++;
        struct spec sp;
        parse_spec(&fmt, &ap, &sp);
        char c = *fmt ? *fmt++ : '\0';
        switch (c) {
        case 'd':
        case 'i': {
            int64_t v = signed_arg(&ap, sp.length);
            uint64_t magnitude = v < 0 ? -(uint64_t)v : (uint64_t)v;
            emit_integer(&out, &sp, magnitude, v < 0, 10, false);
            break;
        }
        case 'u': emit_integer(&out, &sp, unsigned_arg(&ap, sp.length), false, 10, false); break;
        case 'o': emit_integer(&out, &sp, unsigned_arg(&ap, sp.length), false, 8, false); break;
        case 'x': emit_integer(&out, &sp, unsigned_arg(&ap, sp.length), false, 16, false); break;
        case 'X': emit_integer(&out, &sp, unsigned_arg(&ap, sp.length), false, 16, true); break;
        case 'p': {
            void *p = va_arg(ap, void *);
            if (!p) {
                emit_padded(&out, &sp, "", 0, 0, "(nil)", 5);
                break;
            }
            sp.alt = true;
            emit_integer(&out, &sp, (uint64_t)(uintptr_t)p, false, 16, false);
            break;
        }
        case 'c': {
            char ch = (char)va_arg(ap, int);
            emit_padded(&out, &sp, "", 0, 0, &ch, 1);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int n = 0;
            while (s[n] && (sp.precision < 0 || n < sp.precision))
                n++;
            emit_padded(&out, &sp, "", 0, 0, s, n);
            break;
        }
        case '%': emit(&out, "%", 1); break;
        case '\0': break;       /* a lone '%' at the end: print nothing */
        default:                /* unknown conversion: show it as written */
            emit(&out, "%", 1);
            emit(&out, &c, 1);
            break;
        }
    }
    va_end(ap);
    return out.count;
}

struct buffer {
    char *buf;
    size_t size;        /* bytes available, including the final NUL */
    size_t used;
};

static void buffer_sink(void *ctx, const char *s, size_t n)
{
    struct buffer *b = ctx;
    for (size_t i = 0; i < n; i++, b->used++)
        if (b->used + 1 < b->size)
            b->buf[b->used] = s[i];
}

int format_buffer_v(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer b = { buf, size, 0 };
    int n = format_v(buffer_sink, &b, fmt, ap);
    if (size)
        buf[b.used < size ? b.used : size - 1] = '\0';
    return n;
}

int format_buffer(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = format_buffer_v(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
