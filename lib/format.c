/*
 * The formatter behind kprintf and printf.  One pass over the format
 * string; each conversion is parsed into a struct spec, then emitted.
 *
 * Floating point (%f %e %g) is compiled only with FORMAT_FLOAT, which libc
 * defines: the kernel is built with -mgeneral-regs-only and has no doubles.
 */
#include <lib/format.h>
#include <lib/string.h>
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
    int length;         /* size of the argument in bytes (16: long double) */
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

/* Spaces before a field of len bytes unless it is left-justified; returns the padding due. */
static int pad_before(struct output *out, const struct spec *sp, int len)
{
    int pad = sp->width > len ? sp->width - len : 0;
    if (!sp->left)
        emit_repeated(out, ' ', pad);
    return pad;
}

/* The padding of a left-justified field, after it. */
static void pad_after(struct output *out, const struct spec *sp, int pad)
{
    if (sp->left)
        emit_repeated(out, ' ', pad);
}

/* Emit body (with its sign/prefix) padded to the spec's width. */
static void emit_padded(struct output *out, const struct spec *sp, const char *prefix,
                        int prefix_len, int zeros, const char *body, int body_len)
{
    int pad = pad_before(out, sp, prefix_len + zeros + body_len);
    emit(out, prefix, (size_t)prefix_len);
    emit_repeated(out, '0', zeros);
    emit(out, body, (size_t)body_len);
    pad_after(out, sp, pad);
}

/* The sign of a number: '-', or '+' / ' ' as the flags ask; 0 for none. */
static char sign_char(const struct spec *sp, bool negative)
{
    return negative ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
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
    char sign = sign_char(sp, negative);
    if (sign)
        prefix[prefix_len++] = sign;
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
        else if (*f == 'L') sp->length = 16;
        else break;
    }
    *fmt = f;
}

#ifdef FORMAT_FLOAT
/*
 * Floating point, digit for digit as glibc prints it.  A double is exactly
 * m * 2^e; to_decimal() writes out that exact value in decimal with a big
 * number in base 10^9 (m * 2^e when e >= 0, m * 5^-e / 10^-e when e < 0),
 * and round_decimal() rounds it half-to-even at the digit asked for.  The
 * longest exact expansion (of a subnormal) has 767 significant digits.
 */
#define LIMB_BASE        1000000000u
#define LIMB_DIGITS      9
#define MAX_LIMBS        90         /* 767 digits / 9, with room to spare */
#define MANTISSA_BITS    52
#define EXPONENT_MASK    0x7ff
#define EXPONENT_BIAS    1075       /* 1023, plus the 52 bits of the fraction */
#define SUBNORMAL_EXP    (-1074)
#define POW2_STEP        29         /* 2^29 * 10^9 < 2^64 */
#define POW5_STEP        13         /* 5^13 * 10^9 < 2^64 */
#define DEFAULT_PRECISION 6
#define G_LOWEST_EXP     (-4)       /* %g turns to %e style below 10^-4 */
#define EXP_TEXT_MAX     8          /* "e+308" and the like */

struct decimal {
    char digits[MAX_LIMBS * LIMB_DIGITS];
    int n;              /* the value is 0.d[0]d[1]...d[n-1] * 10^point */
    int point;
};

/* limbs (little-endian, base 10^9) *= factor, with factor * 10^9 < 2^64. */
static void limbs_multiply(uint32_t *limbs, int *count, uint64_t factor)
{
    uint64_t carry = 0;
    for (int i = 0; i < *count; i++) {
        uint64_t v = limbs[i] * factor + carry;
        limbs[i] = (uint32_t)(v % LIMB_BASE);
        carry = v / LIMB_BASE;
    }
    for (; carry; carry /= LIMB_BASE)
        limbs[(*count)++] = (uint32_t)(carry % LIMB_BASE);
}

/* Write limbs out as decimal digits, without leading zeros. */
static void limbs_to_digits(const uint32_t *limbs, int count, struct decimal *d)
{
    d->n = 0;
    for (int i = count - 1; i >= 0; i--) {
        char group[LIMB_DIGITS];
        uint32_t v = limbs[i];
        for (int k = LIMB_DIGITS - 1; k >= 0; k--, v /= 10)
            group[k] = (char)('0' + v % 10);
        int skip = 0;
        while (d->n == 0 && skip < LIMB_DIGITS - 1 && group[skip] == '0')
            skip++;
        for (int k = skip; k < LIMB_DIGITS; k++)
            d->digits[d->n++] = group[k];
    }
}

/* The exact decimal expansion of finite x >= 0. */
static void to_decimal(double x, struct decimal *d)
{
    union { double d; uint64_t u; } bits = { .d = x };
    uint64_t m = bits.u & ((1ULL << MANTISSA_BITS) - 1);
    int biased = (int)(bits.u >> MANTISSA_BITS) & EXPONENT_MASK;
    int e = biased ? biased - EXPONENT_BIAS : SUBNORMAL_EXP;
    if (biased)
        m |= 1ULL << MANTISSA_BITS;
    if (m == 0)
        e = 0;                          /* zero: the digit "0", point after it */
    while (m && e < 0 && !(m & 1))     /* fewer 5s to multiply by */
        m >>= 1, e++;
    uint32_t limbs[MAX_LIMBS];
    int count = 0;
    for (; m; m /= LIMB_BASE)
        limbs[count++] = (uint32_t)(m % LIMB_BASE);
    for (int k = e; k > 0; k -= POW2_STEP)
        limbs_multiply(limbs, &count, 1ULL << (k < POW2_STEP ? k : POW2_STEP));
    for (int k = -e; k > 0; k -= POW5_STEP) {
        uint64_t power = 1;
        for (int i = 0; i < k && i < POW5_STEP; i++)
            power *= 5;
        limbs_multiply(limbs, &count, power);
    }
    if (count == 0)
        limbs[count++] = 0;
    limbs_to_digits(limbs, count, d);
    d->point = d->n + (e < 0 ? e : 0);
}

static char digit_at(const struct decimal *d, int i)
{
    return i >= 0 && i < d->n ? d->digits[i] : '0';
}

/* Keep the first keep digits, rounding half to even on the exact value. */
static void round_decimal(struct decimal *d, int keep)
{
    if (keep >= d->n)
        return;
    bool up = false;
    if (keep >= 0) {
        char r = d->digits[keep];
        bool rest = false;
        for (int i = keep + 1; i < d->n && !rest; i++)
            rest = d->digits[i] != '0';
        bool odd = keep > 0 && ((d->digits[keep - 1] - '0') & 1);
        up = r > '5' || (r == '5' && (rest || odd));
    }
    d->n = keep > 0 ? keep : 0;
    if (!up)
        return;
    int i = keep - 1;
    while (i >= 0 && d->digits[i] == '9')   /* the 9s become zeros: drop them */
        i--;
    if (i < 0) {
        d->digits[0] = '1';
        d->n = 1;
        d->point++;
    } else {
        d->digits[i]++;
        d->n = i + 1;
    }
}

/* count digits of d starting at index from; zeros outside the expansion. */
static void emit_digits(struct output *out, const struct decimal *d, int from, int count)
{
    int lead = from < 0 ? (-from < count ? -from : count) : 0;
    emit_repeated(out, '0', lead);
    from += lead;
    count -= lead;
    int run = from < d->n ? (d->n - from < count ? d->n - from : count) : 0;
    emit(out, d->digits + from, (size_t)run);
    emit_repeated(out, '0', count - run);
}

/* What a float conversion prints after its sign. */
struct float_layout {
    int int_count;      /* digits before the point, from d[0]; 0 prints "0" */
    bool point;
    int frac_from, frac_count;
    char exp[EXP_TEXT_MAX];
    int exp_len;
};

static void layout_fixed(struct decimal *d, int precision, struct float_layout *l)
{
    round_decimal(d, d->point + precision);
    l->int_count = d->point > 0 ? d->point : 0;
    l->frac_from = d->point;
    l->frac_count = precision;
}

static void layout_exponent(struct decimal *d, int precision, bool upper, struct float_layout *l)
{
    round_decimal(d, precision + 1);
    int x = d->point - 1;
    l->int_count = 1;
    l->frac_from = 1;
    l->frac_count = precision;
    char *p = l->exp;
    *p++ = upper ? 'E' : 'e';
    *p++ = x < 0 ? '-' : '+';
    unsigned magnitude = (unsigned)(x < 0 ? -x : x);
    if (magnitude >= 100)
        *p++ = (char)('0' + magnitude / 100);
    *p++ = (char)('0' + magnitude / 10 % 10);
    *p++ = (char)('0' + magnitude % 10);
    l->exp_len = (int)(p - l->exp);
}

/* %g: precision significant digits, fixed or exponent style by the exponent. */
static void layout_general(struct decimal *d, int precision, const struct spec *sp, bool upper,
                           struct float_layout *l)
{
    if (precision == 0)
        precision = 1;
    round_decimal(d, precision);
    int x = d->point - 1;
    if (x < precision && x >= G_LOWEST_EXP)
        layout_fixed(d, precision - 1 - x, l);
    else
        layout_exponent(d, precision - 1, upper, l);
    if (!sp->alt)
        while (l->frac_count > 0 && digit_at(d, l->frac_from + l->frac_count - 1) == '0')
            l->frac_count--;
}

/* Round d for the conversion (f, e or g, either case) and lay it out. */
static void layout_float(struct decimal *d, const struct spec *sp, char conversion,
                         struct float_layout *l)
{
    bool upper = conversion >= 'A' && conversion <= 'Z';
    int precision = sp->precision < 0 ? DEFAULT_PRECISION : sp->precision;
    char style = (char)(conversion | 0x20);
    *l = (struct float_layout){ .exp_len = 0 };
    if (style == 'f')
        layout_fixed(d, precision, l);
    else if (style == 'e')
        layout_exponent(d, precision, upper, l);
    else
        layout_general(d, precision, sp, upper, l);
    l->point = l->frac_count > 0 || sp->alt;
}

static void emit_special(struct output *out, const struct spec *sp, char sign, const char *text)
{
    int pad = pad_before(out, sp, (sign != 0) + 3);
    emit(out, &sign, sign != 0);
    emit(out, text, 3);
    pad_after(out, sp, pad);
}

static void emit_float(struct output *out, const struct spec *sp, double v, char conversion)
{
    bool upper = conversion >= 'A' && conversion <= 'Z';
    char sign = sign_char(sp, __builtin_signbit(v));
    if (__builtin_isnan(v) || __builtin_isinf(v)) {
        const char *text = __builtin_isnan(v) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        emit_special(out, sp, sign, text);
        return;
    }
    struct decimal d;
    struct float_layout l;
    to_decimal(__builtin_fabs(v), &d);
    layout_float(&d, sp, conversion, &l);
    int len = (sign != 0) + (l.int_count ? l.int_count : 1) + l.point + l.frac_count + l.exp_len;
    int zeros = sp->zero && !sp->left && sp->width > len ? sp->width - len : 0;
    int pad = pad_before(out, sp, len + zeros);
    emit(out, &sign, sign != 0);
    emit_repeated(out, '0', zeros);
    if (l.int_count)
        emit_digits(out, &d, 0, l.int_count);
    else
        emit(out, "0", 1);
    emit(out, ".", l.point);
    emit_digits(out, &d, l.frac_from, l.frac_count);
    emit(out, l.exp, (size_t)l.exp_len);
    pad_after(out, sp, pad);
}
#endif /* FORMAT_FLOAT */

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
#ifdef FORMAT_FLOAT
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': {
            double v = sp.length == 16 ? (double)va_arg(ap, long double) : va_arg(ap, double);
            emit_float(&out, &sp, v, c);
            break;
        }
#endif
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

/* Copies what fits (keeping a byte for the NUL) and counts the rest. */
static void buffer_sink(void *ctx, const char *s, size_t n)
{
    struct buffer *b = ctx;
    if (b->used + 1 < b->size) {
        size_t room = b->size - 1 - b->used;
        memcpy(b->buf + b->used, s, n < room ? n : room);
    }
    b->used += n;
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
