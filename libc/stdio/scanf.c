/*
 * The scanf family.  Conversions: d i u o x X p c s [set] n and
 * f e g E G a; '*' suppresses assignment; field widths; length modifiers
 * hh h l ll L j z t.  Numbers are gathered as text and converted by
 * strtoll/strtoull/strtod.  Like most libcs we push back only one byte, so
 * input such as "0xg" for %x loses the "x".
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../internal/libc.h"
#include "../internal/stdio_impl.h"

#define NUMBER_MAX 128          /* longest number text we convert */
#define NO_WIDTH   INT32_MAX

enum length { LEN_CHAR, LEN_SHORT, LEN_INT, LEN_LONG, LEN_LONG_DOUBLE };

struct input {
    FILE *f;                    /* a stream, locked by the caller; or NULL ... */
    const char *s;              /* ... a string */
    int count;                  /* bytes consumed, for %n */
};

struct conversion {
    bool suppress;
    int width;
    enum length length;
    char type;
};

static int get(struct input *in)
{
    int c = in->f ? stream_getc_unlocked(in->f) : *in->s ? (unsigned char)*in->s++ : EOF;
    if (c != EOF)
        in->count++;
    return c;
}

static void unget(struct input *in, int c)
{
    if (c == EOF)
        return;
    in->count--;
    if (in->f)
        stream_ungetc_unlocked(c, in->f);
    else
        in->s--;
}

/* Skip white space; returns the next byte without consuming it (EOF at the end). */
static int skip_space(struct input *in)
{
    int c;
    while ((c = get(in)) != EOF && isspace(c))
        ;
    unget(in, c);
    return c;
}

/* Parse "*", width and length after '%'; returns the end of the conversion. */
static const char *parse_conversion(const char *fmt, struct conversion *cv)
{
    *cv = (struct conversion){ .width = NO_WIDTH, .length = LEN_INT };
    if (*fmt == '*')
        cv->suppress = true, fmt++;
    if (isdigit((unsigned char)*fmt))
        for (cv->width = 0; isdigit((unsigned char)*fmt); fmt++)
            cv->width = cv->width * 10 + (*fmt - '0');
    for (;; fmt++) {
        if (*fmt == 'h')
            cv->length = cv->length == LEN_SHORT ? LEN_CHAR : LEN_SHORT;
        else if (*fmt == 'l' || *fmt == 'j' || *fmt == 'z' || *fmt == 't' || *fmt == 'q')
            cv->length = cv->length == LEN_LONG ? LEN_LONG_DOUBLE : LEN_LONG;
        else if (*fmt == 'L')
            cv->length = LEN_LONG_DOUBLE;
        else
            break;
    }
    cv->type = *fmt;
    return fmt;
}

/* Take the next byte into text if accept(c); counts against *width. */
static bool take_if(struct input *in, char *text, int *len, int *width, bool accept_c(int, int), int arg)
{
    if (*width <= 0 || *len >= NUMBER_MAX - 1)
        return false;
    int c = get(in);
    if (c == EOF || !accept_c(c, arg)) {
        unget(in, c);
        return false;
    }
    text[(*len)++] = (char)c;
    (*width)--;
    return true;
}

static bool is_sign(int c, int unused) { (void)unused; return c == '-' || c == '+'; }
static bool is_char(int c, int want) { return c == want || (isalpha(want) && (c | 0x20) == want); }
static bool is_digit_in(int c, int base)
{
    int d = isdigit(c) ? c - '0' : isalpha(c) ? (c | 0x20) - 'a' + 10 : base;
    return d < base;
}

/* Gather an integer's text in base (0: C prefixes); returns the base to convert with, 0 if none. */
static int integer_text(struct input *in, char *text, int width, int base)
{
    int len = 0;
    take_if(in, text, &len, &width, is_sign, 0);
    int start = len;
    if ((base == 0 || base == 16) && take_if(in, text, &len, &width, is_char, '0')) {
        if (take_if(in, text, &len, &width, is_char, 'x'))
            base = 16;
        else if (base == 0)
            base = 8;
    }
    if (base == 0)
        base = 10;
    while (take_if(in, text, &len, &width, is_digit_in, base))
        ;
    text[len] = '\0';
    return len > start ? base : 0;
}

/* Gather a decimal floating-point number's text; false if there are no digits. */
static bool float_text(struct input *in, char *text, int width)
{
    int len = 0, digits = 0;
    take_if(in, text, &len, &width, is_sign, 0);
    while (take_if(in, text, &len, &width, is_digit_in, 10))
        digits++;
    if (take_if(in, text, &len, &width, is_char, '.'))
        while (take_if(in, text, &len, &width, is_digit_in, 10))
            digits++;
    if (digits && take_if(in, text, &len, &width, is_char, 'e')) {
        take_if(in, text, &len, &width, is_sign, 0);
        while (take_if(in, text, &len, &width, is_digit_in, 10))
            ;
    }
    text[len] = '\0';
    return digits > 0;
}

static void store_integer(va_list *ap, enum length length, unsigned long long v)
{
    switch (length) {
    case LEN_CHAR:  *va_arg(*ap, char *) = (char)v; break;
    case LEN_SHORT: *va_arg(*ap, short *) = (short)v; break;
    case LEN_INT:   *va_arg(*ap, int *) = (int)v; break;
    default:        *va_arg(*ap, long *) = (long)v; break;
    }
}

static bool scan_integer(struct input *in, const struct conversion *cv, va_list *ap)
{
    char text[NUMBER_MAX];
    int base = cv->type == 'd' || cv->type == 'u' ? 10 : cv->type == 'i' ? 0
             : cv->type == 'o' ? 8 : 16;
    base = integer_text(in, text, cv->width, base);
    if (!base)
        return false;
    if (cv->suppress)
        return true;
    if (cv->type == 'p')
        *va_arg(*ap, void **) = (void *)(uintptr_t)strtoull(text, NULL, base);
    else if (cv->type == 'd' || cv->type == 'i')
        store_integer(ap, cv->length, (unsigned long long)strtoll(text, NULL, base));
    else
        store_integer(ap, cv->length, strtoull(text, NULL, base));
    return true;
}

static bool scan_float(struct input *in, const struct conversion *cv, va_list *ap)
{
    char text[NUMBER_MAX];
    if (!float_text(in, text, cv->width))
        return false;
    if (cv->suppress)
        return true;
    double v = strtod(text, NULL);
    if (cv->length == LEN_LONG)
        *va_arg(*ap, double *) = v;
    else if (cv->length == LEN_LONG_DOUBLE)
        *va_arg(*ap, long double *) = v;
    else
        *va_arg(*ap, float *) = (float)v;
    return true;
}

/* Parse a %[...] set at fmt (just past '['); returns the closing ']'. */
static const char *parse_set(const char *fmt, bool member[256])
{
    bool invert = *fmt == '^';
    if (invert)
        fmt++;
    memset(member, 0, 256 * sizeof *member);
    const unsigned char *p = (const unsigned char *)fmt;
    if (*p == ']')
        member[*p++] = true;
    for (; *p && *p != ']'; p++) {
        if (p[1] == '-' && p[2] && p[2] != ']') {
            for (int c = p[0]; c <= p[2]; c++)
                member[c] = true;
            p += 2;
        } else {
            member[*p] = true;
        }
    }
    if (invert)
        for (int c = 0; c < 256; c++)
            member[c] = !member[c];
    return (const char *)p;
}

/* %c (count bytes, no terminator), %s (up to space), %[set]: all into a char array. */
static bool scan_chars(struct input *in, const struct conversion *cv, const bool member[256],
                       va_list *ap)
{
    char *out = cv->suppress ? NULL : va_arg(*ap, char *);
    int width = cv->width == NO_WIDTH ? (cv->type == 'c' ? 1 : NO_WIDTH) : cv->width;
    int n = 0, c = EOF;
    while (n < width && (c = get(in)) != EOF) {
        if (cv->type != 'c' && !member[c]) {
            unget(in, c);
            break;
        }
        if (out)
            out[n] = (char)c;
        n++;
    }
    if (n == 0 || (cv->type == 'c' && n < width))
        return false;
    if (out && cv->type != 'c')
        out[n] = '\0';
    return true;
}

/* One conversion; false on a matching or input failure. */
static bool convert(struct input *in, const struct conversion *cv, const bool set[256], va_list *ap)
{
    switch (cv->type) {
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': case 'p':
        return scan_integer(in, cv, ap);
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
        return scan_float(in, cv, ap);
    case 'c': case 's': case '[':
        return scan_chars(in, cv, set, ap);
    default:
        return false;
    }
}

enum outcome { CONVERTED, NOTHING_TO_CONVERT, MATCHING_FAILURE, INPUT_FAILURE };

/* Match the literal at *fmt ("%%" included, advancing past it) against the input. */
static enum outcome match_literal(struct input *in, const char **fmt)
{
    if (**fmt == '%') {
        (*fmt)++;
        skip_space(in);
    }
    int c = get(in);
    if (c == (unsigned char)**fmt)
        return NOTHING_TO_CONVERT;
    unget(in, c);
    return c == EOF ? INPUT_FAILURE : MATCHING_FAILURE;
}

/* The conversion at *fmt (just past its '%'); leaves *fmt on its last byte. */
static enum outcome scan_conversion(struct input *in, const char **fmt, struct conversion *cv,
                                    va_list *ap)
{
    bool set[256];
    *fmt = parse_conversion(*fmt, cv);
    if (cv->type == 'n') {
        if (!cv->suppress)
            store_integer(ap, cv->length, (unsigned long long)in->count);
        return NOTHING_TO_CONVERT;
    }
    if (cv->type == '[')
        *fmt = parse_set(*fmt + 1, set);
    else if (cv->type == 's')
        for (int c = 0; c < 256; c++)
            set[c] = !isspace(c);
    if (cv->type != 'c' && cv->type != '[' && skip_space(in) == EOF)
        return INPUT_FAILURE;
    if (convert(in, cv, set, ap))
        return CONVERTED;
    return skip_space(in) == EOF ? INPUT_FAILURE : MATCHING_FAILURE;
}

/* Returns the assignments made, or EOF if input ended before the first conversion. */
static int scan(struct input *in, const char *fmt, va_list ap_in)
{
    va_list ap;
    va_copy(ap, ap_in);
    int assigned = 0, converted = 0;
    enum outcome outcome = NOTHING_TO_CONVERT;
    for (; *fmt && outcome < MATCHING_FAILURE; fmt++) {
        struct conversion cv = { .suppress = true };
        if (isspace((unsigned char)*fmt))
            skip_space(in);
        else if (*fmt != '%' || fmt[1] == '%')
            outcome = match_literal(in, &fmt);
        else if (*++fmt)
            outcome = scan_conversion(in, &fmt, &cv, &ap);
        else
            outcome = MATCHING_FAILURE;     /* a lone '%' ends the format */
        if (outcome == CONVERTED) {
            converted++;
            assigned += !cv.suppress;
        }
        if (!*fmt)
            break;
    }
    va_end(ap);
    return outcome == INPUT_FAILURE && converted == 0 ? EOF : assigned;
}

int vfscanf(FILE *f, const char *fmt, va_list ap)
{
    struct input in = { .f = f };
    libc_lock(&f->lock);
    int n = scan(&in, fmt, ap);
    libc_unlock(&f->lock);
    return n;
}

int vsscanf(const char *s, const char *fmt, va_list ap)
{
    struct input in = { .s = s };
    return scan(&in, fmt, ap);
}

int vscanf(const char *fmt, va_list ap)
{
    return vfscanf(stdin, fmt, ap);
}

int scanf(const char *fmt, ...) { VARIADIC(vfscanf(stdin, fmt, ap)); }
int fscanf(FILE *f, const char *fmt, ...) { VARIADIC(vfscanf(f, fmt, ap)); }
int sscanf(const char *s, const char *fmt, ...) { VARIADIC(vsscanf(s, fmt, ap)); }
