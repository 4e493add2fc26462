/* Text to integers: the strtol family and the ato* shorthands. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

#define MAX_BASE 36
#define NOT_A_DIGIT 99

struct parsed {
    unsigned long long magnitude;   /* ULLONG_MAX when overflowed */
    bool negative;
    bool overflow;
};

static int digit_value(int c)
{
    if (isdigit(c))
        return c - '0';
    if (isalpha(c))
        return tolower(c) - 'a' + 10;
    return NOT_A_DIGIT;
}

/* Skip "0x"/"0X" when a hex digit follows; pick the base when it is 0. */
static const char *base_prefix(const char *s, int *base)
{
    bool hex_prefix = s[0] == '0' && (s[1] | 0x20) == 'x' && digit_value((unsigned char)s[2]) < 16;
    if ((*base == 0 || *base == 16) && hex_prefix) {
        *base = 16;
        return s + 2;
    }
    if (*base == 0)
        *base = s[0] == '0' ? 8 : 10;
    return s;
}

/*
 * Parse [space][sign][prefix]digits in base (0: decided by the prefix).
 * *end gets the first unparsed byte, or s itself when there are no digits.
 */
static struct parsed parse_integer(const char *s, char **end, int base)
{
    struct parsed r = { 0, false, false };
    const char *p = s;
    if (end)
        *end = (char *)s;
    if (base < 0 || base == 1 || base > MAX_BASE) {
        errno = EINVAL;
        return r;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '-' || *p == '+')
        r.negative = *p++ == '-';
    p = base_prefix(p, &base);
    const char *digits = p;
    for (int d; (d = digit_value((unsigned char)*p)) < base; p++) {
        if (r.magnitude > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
            r.overflow = true;
        r.magnitude = r.overflow ? ULLONG_MAX : r.magnitude * (unsigned)base + (unsigned)d;
    }
    if (end && p > digits)
        *end = (char *)p;
    return r;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
    struct parsed r = parse_integer(s, end, base);
    if (r.overflow) {
        errno = ERANGE;
        return ULLONG_MAX;
    }
    return r.negative ? -r.magnitude : r.magnitude;
}

long long strtoll(const char *s, char **end, int base)
{
    struct parsed r = parse_integer(s, end, base);
    unsigned long long limit = r.negative ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
    if (r.overflow || r.magnitude > limit) {
        errno = ERANGE;
        return r.negative ? LLONG_MIN : LLONG_MAX;
    }
    return r.negative ? (long long)-r.magnitude : (long long)r.magnitude;
}

/* long is long long on LP64 */
_Static_assert(sizeof(long) == sizeof(long long), "LP64");

unsigned long strtoul(const char *s, char **end, int base)
{
    return strtoull(s, end, base);
}

long strtol(const char *s, char **end, int base)
{
    return strtoll(s, end, base);
}

intmax_t strtoimax(const char *s, char **end, int base)
{
    return strtoll(s, end, base);
}

uintmax_t strtoumax(const char *s, char **end, int base)
{
    return strtoull(s, end, base);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
    return strtoll(s, NULL, 10);
}
