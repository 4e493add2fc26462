/* Command-line parsing (kernel/cmdline.c): flags, values, quotes, escapes, overrides. */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <stdarg.h>
#include <string.h>
#include "check.h"

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

static int value_is(const char *key, const char *want)
{
    const char *v = cmdline_get(key);
    return v && strcmp(v, want) == 0;
}

static int options_and_flags(void)
{
    CHECK(cmdline_parse("  test=kernel nopcid  quiet=1 "), "parse failed");
    CHECK(value_is("test", "kernel"), "test=%s", cmdline_get("test"));
    CHECK(value_is("nopcid", ""), "a bare flag should read as \"\"");
    CHECK(value_is("quiet", "1"), "quiet=%s", cmdline_get("quiet"));
    CHECK(cmdline_get("absent") == NULL, "absent key found");
    CHECK(cmdline_get("test=kernel") == NULL, "matched a whole word as a key");
    return 1;
}

static int quotes_and_escapes(void)
{
    CHECK(cmdline_parse("init=\"/bin/prog a  b\" x=\\\"q\\\" y=\"\""), "parse failed");
    CHECK(value_is("init", "/bin/prog a  b"), "init=%s", cmdline_get("init"));
    CHECK(value_is("x", "\"q\""), "x=%s", cmdline_get("x"));
    CHECK(value_is("y", ""), "y=%s", cmdline_get("y"));
    return 1;
}

/* GRUB quotes a whole argument that holds a space: "init=/bin/prog a b". */
static int grub_style_quoting(void)
{
    CHECK(cmdline_parse("\"init=/bin/prog a b\" \"k=v\\\"q\""), "parse failed");
    CHECK(value_is("init", "/bin/prog a b"), "init=%s", cmdline_get("init"));
    CHECK(value_is("k", "v\"q"), "k=%s", cmdline_get("k"));
    return 1;
}

static int later_options_win(void)
{
    CHECK(cmdline_parse("test=other"), "parse failed");
    CHECK(value_is("test", "other"), "test=%s: the later value should win", cmdline_get("test"));
    return 1;
}

static int numbers(void)
{
    unsigned long n = 7;
    CHECK(cmdline_parse("n=4095 zero=0 big=18446744073709551615 huge=18446744073709551616 "
                        "neg=-1 hex=0x10 tail=12a empty= flag"), "parse failed");
    CHECK(cmdline_get_number("n", &n) == 0 && n == 4095, "n=%lu", n);
    CHECK(cmdline_get_number("zero", &n) == 0 && n == 0, "zero=%lu", n);
    CHECK(cmdline_get_number("big", &n) == 0 && n == ~0ul, "big=%lu", n);
    const char *bad[] = { "huge", "neg", "hex", "tail", "empty", "flag" };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = 7;
        CHECK(cmdline_get_number(bad[i], &n) == -EINVAL, "%s= read as a number", bad[i]);
        CHECK(n == 7, "%s= changed the value on failure", bad[i]);
    }
    CHECK(cmdline_get_number("absent", &n) == -ENOENT, "an absent key is not -ENOENT");
    return 1;
}

static int overflow_is_reported(void)
{
    char big[CMDLINE_MAX * 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK(!cmdline_parse(big), "a too-long command line was accepted silently");
    return 1;
}

int main(void)
{
    RUN(options_and_flags);
    RUN(quotes_and_escapes);
    RUN(grub_style_quoting);
    RUN(later_options_win);
    RUN(numbers);
    RUN(overflow_is_reported);
    return failures != 0;
}
