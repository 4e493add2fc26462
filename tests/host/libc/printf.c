/* printf family on our libc: integers, strings, floating point, truncation, the stream forms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

#define BUF 512

/* snprintf(fmt, ...) must give want, and return its length. */
#define EXPECT(want, fmt, ...)                                                  \
    do {                                                                        \
        char got[BUF];                                                          \
        int n = snprintf(got, sizeof got, fmt, __VA_ARGS__);                    \
        CHECK(strcmp(got, want) == 0 && n == (int)strlen(want),                 \
              "\"%s\": got \"%s\" (%d), want \"%s\"", fmt, got, n, want);       \
    } while (0)

static int integers_and_strings(void)
{
    EXPECT("42 -42 ff 0x1f 017", "%d %i %x %#x %#o", 42, -42, 255, 31, 15);
    EXPECT("[   7] [7   ] [007] [+7]", "[%4d] [%-4d] [%03d] [%+d]", 7, 7, 7, 7);
    EXPECT("-9223372036854775808 18446744073709551615", "%ld %lu", (long)(-9223372036854775807L - 1),
           18446744073709551615UL);
    EXPECT("[hi   ] [  hi] [hel]", "[%-5s] [%4s] [%.3s]", "hi", "hi", "hello");
    EXPECT("(null) (nil) %", "%s %p %%", (char *)NULL, (void *)NULL);
    return 1;
}

static int fixed_point(void)
{
    EXPECT("3.141593", "%f", 3.14159265358979);
    EXPECT("3.14 3 3.", "%.2f %.0f %#.0f", 3.14159, 3.14159, 3.14159);
    EXPECT("0.10 0.01 1.00", "%.2f %.2f %.2f", 0.1, 0.006, 0.999);
    EXPECT("2 4 0.1", "%.0f %.0f %.1f", 2.5, 3.5, 0.05);       /* ties go to even, on the exact value */
    EXPECT("-0.000000 -1.500000", "%f %f", -0.0, -1.5);
    EXPECT("[   1.50] [1.50   ] [0001.50] [+1.50]", "[%7.2f] [%-7.2f] [%07.2f] [%+.2f]", 1.5, 1.5, 1.5, 1.5);
    EXPECT("1000000000000000000000.000000", "%f", 1e21);
    EXPECT("123456789012345677877719597056", "%.0f", 1.2345678901234568e29);
    EXPECT("inf -inf nan -NAN", "%f %f %f %F", 1.0 / 0.0, -1.0 / 0.0, __builtin_nan(""), -__builtin_nan(""));
    EXPECT("2.50", "%.2Lf", 2.5L);
    return 1;
}

static int exponent_and_general(void)
{
    EXPECT("1.234568e+03 1.2E-05 0.000000e+00", "%e %.1E %e", 1234.5678, 0.000012345, 0.0);
    EXPECT("1.000000e+100 9.9e-310", "%e %.1e", 1e100, 9.9e-310);
    EXPECT("100000 1e+06 0.0001 1e-05", "%g %g %g %g", 100000.0, 1000000.0, 0.0001, 0.00001);
    EXPECT("3.14159 3 3.00000 0.1", "%g %g %#g %g", 3.14159265, 3.0, 3.0, 0.1);
    EXPECT("1.2e+02 123 1e+02", "%.2g %.3g %.1g", 123.0, 123.0, 123.0);
    EXPECT("4.9406564584124654e-324", "%.17g", 4.9406564584124654e-324);
    EXPECT("1e+03 1.00e+03", "%.3g %#.3g", 999.9999999, 999.9999999);   /* C11 7.21.6.1; glibc says "1.e+03" */
    return 1;
}

static int truncation_and_helpers(void)
{
    char buf[8];
    memset(buf, 'z', sizeof buf);
    int n = snprintf(buf, 5, "%d-%s", 12345, "abc");
    CHECK(n == 9 && strcmp(buf, "1234") == 0 && buf[5] == 'z', "snprintf truncation: %d \"%s\"", n, buf);
    CHECK(snprintf(NULL, 0, "%f", 1.0) == 8, "snprintf(NULL, 0) must measure");
    char big[64];
    CHECK(sprintf(big, "%s=%d", "x", 5) == 3 && strcmp(big, "x=5") == 0, "sprintf: %s", big);
    char *s = NULL;
    CHECK(asprintf(&s, "%05.1f|%s", 2.25, "ok") == 8 && strcmp(s, "002.2|ok") == 0,
          "asprintf: \"%s\"", s ? s : "(null)");
    free(s);
    return 1;
}

/* fprintf into a pipe, and dprintf: what arrives at the other end. */
static int stream_forms(void)
{
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    FILE *f = fdopen(fds[1], "w");
    CHECK(f != NULL, "fdopen");
    CHECK(fprintf(f, "%s %d %.1f\n", "pi", 3, 3.14) == 9, "fprintf count");
    CHECK(fclose(f) == 0, "fclose");
    dprintf(fds[0] == 0 ? 1 : fds[0], "%s", "");        /* a no-op write of 0 bytes */
    char got[32] = { 0 };
    CHECK(read(fds[0], got, sizeof got - 1) == 9 && strcmp(got, "pi 3 3.1\n") == 0, "read \"%s\"", got);
    close(fds[0]);
    CHECK(pipe(fds) == 0, "pipe");
    CHECK(dprintf(fds[1], "[%4d]", 42) == 6, "dprintf count");
    memset(got, 0, sizeof got);
    CHECK(read(fds[0], got, sizeof got - 1) == 6 && strcmp(got, "[  42]") == 0, "dprintf wrote \"%s\"", got);
    close(fds[0]);
    close(fds[1]);
    return 1;
}

int main(void)
{
    RUN(integers_and_strings);
    RUN(fixed_point);
    RUN(exponent_and_general);
    RUN(truncation_and_helpers);
    RUN(stream_forms);
    return failures != 0;
}
