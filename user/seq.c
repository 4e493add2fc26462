/*
 * seq [FIRST [INCR]] LAST: print the integers from FIRST (default 1) to
 * LAST, INCR (default 1) apart, one per line.  A negative INCR counts
 * down; nothing is printed if LAST lies the other way.  Integers only;
 * a first argument "--" is skipped, as getopt would.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole decimal number with an optional sign; false if s is none. */
static int parse(const char *s, long long *out)
{
    char *end;
    errno = 0;
    *out = strtoll(s, &end, 10);
    if (end == s || *end || errno) {
        fprintf(stderr, "seq: invalid integer argument: '%s'\n", s);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    long long first = 1, incr = 1, last;
    int ok;
    if (argc > 1 && strcmp(argv[1], "--") == 0) {     /* the end of (no) options */
        argv++;
        argc--;
    }
    switch (argc) {
    case 2: ok = parse(argv[1], &last); break;
    case 3: ok = parse(argv[1], &first) && parse(argv[2], &last); break;
    case 4: ok = parse(argv[1], &first) && parse(argv[2], &incr) && parse(argv[3], &last); break;
    default:
        fprintf(stderr, "usage: seq [FIRST [INCR]] LAST\n");
        return 1;
    }
    if (!ok)
        return 1;
    if (incr == 0) {
        fprintf(stderr, "seq: invalid Zero increment value: '%s'\n", argv[2]);
        return 1;
    }
    for (long long n = first; incr > 0 ? n <= last : n >= last; n += incr) {
        printf("%lld\n", n);
        if (incr > 0 ? n > LLONG_MAX - incr : n < LLONG_MIN - incr)
            break;              /* the next one would overflow */
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
