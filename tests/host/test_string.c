/* lib/string.c, linked in place of the host's own functions. */
#include <lib/string.h>
#include "check.h"

static int copies(void)
{
    char buf[64] = "0123456789";
    memmove(buf + 2, buf, 8);
    CHECK(memcmp(buf, "0101234567", 10) == 0, "forward-overlapping memmove: %.10s", buf);
    memmove(buf, buf + 2, 8);
    CHECK(memcmp(buf, "01234567", 8) == 0, "backward-overlapping memmove: %.8s", buf);
    memset(buf, 'x', 5);
    CHECK(memcmp(buf, "xxxxx", 5) == 0 && buf[5] == '5', "memset: %.6s", buf);
    char dst[16];
    strncpy(dst, "ab", sizeof dst);
    CHECK(dst[0] == 'a' && dst[2] == 0 && dst[15] == 0, "strncpy does not pad");
    return 1;
}

static int comparisons(void)
{
    CHECK(strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0 && strcmp("", "") == 0, "strcmp");
    CHECK(strncmp("abcx", "abcy", 3) == 0 && strncmp("ab", "abc", 3) < 0, "strncmp");
    CHECK(strcmp("\xff", "a") > 0, "strcmp must compare unsigned chars");
    CHECK(strlen("hello") == 5 && strnlen("hello", 3) == 3, "strlen/strnlen");
    return 1;
}

static int searches(void)
{
    const char *s = "a/b/c";
    CHECK(strchr(s, '/') == s + 1 && strrchr(s, '/') == s + 3, "strchr/strrchr");
    CHECK(strchr(s, 0) == s + 5 && strchr(s, 'z') == NULL, "strchr end cases");
    CHECK(strstr(s, "b/c") == s + 2 && strstr(s, "x") == NULL && strstr(s, "") == s, "strstr");
    CHECK(memchr(s, 'c', 5) == s + 4 && memchr(s, 'c', 4) == NULL, "memchr");
    return 1;
}

int main(void)
{
    RUN(copies);
    RUN(comparisons);
    RUN(searches);
    return failures != 0;
}
