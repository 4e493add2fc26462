/* The shared formatter (lib/format.c) against the host C library's snprintf. */
#include <lib/format.h>
#include <stdint.h>
#include <string.h>
#include "check.h"

#define BUF 256

/* Format the same arguments both ways and compare text and length. */
#define SAME(fmt, ...)                                                          \
    do {                                                                        \
        char ours[BUF], theirs[BUF];                                            \
        int n1 = format_buffer(ours, BUF, fmt, __VA_ARGS__);                    \
        int n2 = snprintf(theirs, BUF, fmt, __VA_ARGS__);                       \
        CHECK(n1 == n2 && strcmp(ours, theirs) == 0,                            \
              "format \"%s\": got \"%s\" (%d), libc \"%s\" (%d)", fmt, ours, n1, theirs, n2); \
    } while (0)

static int integers(void)
{
    SAME("%d %i %u", 42, -42, 42u);
    SAME("%d", INT32_MIN);
    SAME("%ld %lu", INT64_MIN, UINT64_MAX);
    SAME("%lld %llx", -1ll, 0xdeadbeefcafeull);
    SAME("%zu %zx", (size_t)12345, (size_t)0xabc);
    SAME("%hhd %hd %hhu", 300, 70000, 511);
    SAME("%o %#o %#o", 8, 8, 0);
    SAME("%x %X %#x %#X %#x", 255, 255, 255, 255, 0);
    return 1;
}

static int widths_and_flags(void)
{
    SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
    SAME("[%05d] [%+05d] [%-+5d]", -42, 42, 42);
    SAME("[%016lx] [%#018lx]", 0xffffffff80000000ul, 0x1234ul);
    SAME("[%.3d] [%8.3d] [%-8.3d] [%.0d]", 7, 7, 7, 0);
    SAME("[%*d] [%-*d] [%.*d]", 6, 1, 6, 1, 4, 1);
    SAME("[%*d]", -6, 1);
    return 1;
}

static int strings_and_chars(void)
{
    SAME("%s|%10s|%-10s|%.2s|%c|%3c", "hello", "hi", "hi", "hello", 'x', 'y');
    SAME("%%|%s", "");
    SAME("no conversions at all%s", "");
    return 1;
}

static int pointers(void)
{
    char ours[BUF], theirs[BUF];
    void *p = (void *)0xffff800000001000ul;
    format_buffer(ours, BUF, "%p", p);
    snprintf(theirs, BUF, "%p", p);
    CHECK(strcmp(ours, theirs) == 0, "%%p: got %s, libc %s", ours, theirs);
    format_buffer(ours, BUF, "%p", (void *)0);
    CHECK(strcmp(ours, "(nil)") == 0, "%%p of NULL: got %s", ours);
    return 1;
}

static int truncation(void)
{
    char buf[8];
    memset(buf, 'z', sizeof buf);
    int n = format_buffer(buf, 5, "%s", "abcdefgh");
    CHECK(n == 8, "returned %d, want the untruncated length 8", n);
    CHECK(strcmp(buf, "abcd") == 0, "got \"%s\", want \"abcd\"", buf);
    CHECK(buf[5] == 'z', "wrote past the given size");
    n = format_buffer(buf, 0, "%d", 12345);
    CHECK(n == 5 && buf[0] == 'a', "size 0: returned %d or wrote", n);
    return 1;
}

int main(void)
{
    RUN(integers);
    RUN(widths_and_flags);
    RUN(strings_and_chars);
    RUN(pointers);
    RUN(truncation);
    return failures != 0;
}
