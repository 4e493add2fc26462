/*
 * Text to floating point.  Decimal digits are gathered into a 64-bit
 * integer (19 significant digits) and scaled by a power of ten.  When both
 * fit exactly in a double (<= 2^53, power <= 10^22) one IEEE operation gives
 * the correctly rounded result; otherwise the scaling is done in x87 long
 * double (64-bit mantissa), which is within an ulp of correct rounding.
 * Also "inf", "infinity", "nan" in any case.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>

#define MAX_DIGITS       19         /* decimal digits that fit a uint64_t */
#define EXACT_MANTISSA   (1ULL << 53)
#define EXACT_POWER      22         /* 10^22 is the largest exact double power of ten */
#define EXPONENT_LIMIT   100000     /* beyond this the result is 0 or infinity anyway */

struct decimal {
    uint64_t digits;    /* the first MAX_DIGITS significant digits */
    long exponent;      /* value = digits * 10^exponent */
    bool any;           /* saw at least one digit */
};

static long double power_of_ten(long n)
{
    long double result = 1, base = 10;
    for (unsigned long e = (unsigned long)(n < 0 ? -n : n); e; e >>= 1, base *= base)
        if (e & 1)
            result *= base;
    return result;
}

/* Digits, optional point and fraction; returns the end. */
static const char *parse_mantissa(const char *p, struct decimal *d)
{
    int kept = 0;
    bool point = false;
    for (;; p++) {
        if (*p == '.' && !point) {
            point = true;
            continue;
        }
        if (!isdigit((unsigned char)*p))
            return p;
        d->any = true;
        if (kept < MAX_DIGITS && (d->digits || *p != '0')) {
            d->digits = d->digits * 10 + (uint64_t)(*p - '0');
            kept++;
            d->exponent -= point;
        } else if (kept >= MAX_DIGITS) {
            d->exponent += !point;      /* a dropped digit before the point */
        } else {
            d->exponent -= point;       /* a leading zero after the point */
        }
    }
}

/* "e[sign]digits" if present and well formed; returns the end. */
static const char *parse_exponent(const char *p, struct decimal *d)
{
    if ((*p | 0x20) != 'e')
        return p;
    const char *q = p + 1;
    bool negative = *q == '-';
    if (*q == '-' || *q == '+')
        q++;
    if (!isdigit((unsigned char)*q))
        return p;
    long e = 0;
    for (; isdigit((unsigned char)*q); q++)
        if (e < EXPONENT_LIMIT)
            e = e * 10 + (*q - '0');
    d->exponent += negative ? -e : e;
    return q;
}

static double scale(const struct decimal *d)
{
    if (d->digits == 0)
        return 0;
    if (d->digits <= EXACT_MANTISSA && d->exponent >= -EXACT_POWER && d->exponent <= EXACT_POWER) {
        double power = (double)power_of_ten(d->exponent);
        return d->exponent < 0 ? (double)d->digits / power : (double)d->digits * power;
    }
    long double power = power_of_ten(d->exponent);
    long double x = d->exponent < 0 ? (long double)d->digits / power
                                    : (long double)d->digits * power;
    double result = (double)x;
    if (result == 0 || result == __builtin_inf())
        errno = ERANGE;
    return result;
}

/* "inf", "infinity" or "nan" at p: sets *value and returns the end, or NULL. */
static const char *parse_special(const char *p, double *value)
{
    if (strncasecmp(p, "infinity", 8) == 0) {
        *value = __builtin_inf();
        return p + 8;
    }
    if (strncasecmp(p, "inf", 3) == 0) {
        *value = __builtin_inf();
        return p + 3;
    }
    if (strncasecmp(p, "nan", 3) == 0) {
        *value = __builtin_nan("");
        return p + 3;
    }
    return NULL;
}

double strtod(const char *s, char **end)
{
    const char *p = s;
    while (isspace((unsigned char)*p))
        p++;
    bool negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    double value = 0;
    const char *after = parse_special(p, &value);
    if (!after) {
        struct decimal d = { 0, 0, false };
        after = parse_mantissa(p, &d);
        if (!d.any) {
            if (end)
                *end = (char *)s;
            return 0;
        }
        after = parse_exponent(after, &d);
        value = scale(&d);
    }
    if (end)
        *end = (char *)after;
    return negative ? -value : value;
}

float strtof(const char *s, char **end)
{
    return (float)strtod(s, end);
}

long double strtold(const char *s, char **end)
{
    return strtod(s, end);
}

double atof(const char *s)
{
    return strtod(s, NULL);
}
