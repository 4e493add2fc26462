/* Command-line parsing (kernel/cmdline.c): flags, values, quotes, escapes, overrides. */
#include <kernel/cmdline.h>
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
    RUN(overflow_is_reported);
    return failures != 0;
}
