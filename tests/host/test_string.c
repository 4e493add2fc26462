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

/* memcpy and memset against a byte loop, for every small size and alignment (word + tail paths). */
static int sizes_and_alignments(void)
{
    enum { MAX = 80, SLACK = 16 };
    unsigned char src[MAX + SLACK], dst[MAX + SLACK], ref[MAX + SLACK];
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (unsigned char)(i * 7 + 1);
    for (size_t off = 0; off < 8; off++) {
        for (size_t n = 0; n <= MAX; n++) {
            for (size_t i = 0; i < sizeof dst; i++)
                dst[i] = ref[i] = 0xee;
            for (size_t i = 0; i < n; i++)
                ref[off + i] = src[i];
            memcpy(dst + off, src, n);
            CHECK(memcmp(dst, ref, sizeof dst) == 0, "memcpy of %zu bytes at offset %zu", n, off);
            for (size_t i = 0; i < n; i++)
                ref[off + i] = 0x5a;
            memset(dst + off, 0x5a, n);
            CHECK(memcmp(dst, ref, sizeof dst) == 0, "memset of %zu bytes at offset %zu", n, off);
        }
    }
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
    RUN(sizes_and_alignments);
    RUN(comparisons);
    RUN(searches);
    return failures != 0;
}
