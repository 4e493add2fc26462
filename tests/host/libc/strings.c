/* string.h, strings.h, ctype.h and the number parsers on our libc, edge cases first. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "check.h"

static int string_functions(void)
{
    char buf[64];
    char *dup = strdup("hello");
    CHECK(dup && strcmp(dup, "hello") == 0, "strdup");
    free(dup);
    dup = strndup("hello", 3);
    CHECK(dup && strcmp(dup, "hel") == 0, "strndup");
    free(dup);
    CHECK(strspn("abcde", "cba") == 3 && strcspn("abcde", "dx") == 3 && strcspn("abc", "") == 3,
          "strspn/strcspn");
    CHECK(strpbrk("hello", "ol") == strchr("hello", 'l') && !strpbrk("abc", "xyz"), "strpbrk");
    strcpy(buf, "ab");
    volatile size_t two = 2;        /* volatile: gcc warns about a constant short strncat */
    CHECK(strcmp(strncat(buf, "cdef", two), "abcd") == 0, "strncat");
    CHECK(strlcpy(buf, "truncated", 5) == 9 && strcmp(buf, "trun") == 0, "strlcpy");
    CHECK(stpcpy(buf, "xyz") == buf + 3, "stpcpy");
    CHECK(strcasecmp("HeLLo", "hello") == 0 && strcasecmp("a", "B") < 0 && strncasecmp("abX", "ABy", 2) == 0,
          "strcasecmp");
    const char *hw = "Hello World", *abca = "abca";
    CHECK(strcasestr(hw, "WORLD") == hw + 6 && !strcasestr(hw, "xyz"), "strcasestr");
    CHECK(memrchr(abca, 'a', 4) == abca + 3 && memrchr(abca, 'z', 4) == NULL, "memrchr");
    CHECK(ffs(0) == 0 && ffs(8) == 4, "ffs");
    return 1;
}

static int tokenizing(void)
{
    char text[] = "  one, two,,three ";
    char *save, *t1 = strtok_r(text, " ,", &save), *t2 = strtok_r(NULL, " ,", &save);
    char *t3 = strtok_r(NULL, " ,", &save), *t4 = strtok_r(NULL, " ,", &save);
    CHECK(t1 && t2 && t3 && !t4 && !strcmp(t1, "one") && !strcmp(t2, "two") && !strcmp(t3, "three"),
          "strtok_r");
    char again[] = "a:b";
    CHECK(!strcmp(strtok(again, ":"), "a") && !strcmp(strtok(NULL, ":"), "b") && !strtok(NULL, ":"),
          "strtok");
    char fields[] = "x,,y", *p = fields;
    CHECK(!strcmp(strsep(&p, ","), "x") && !strcmp(strsep(&p, ","), "") && !strcmp(strsep(&p, ","), "y")
          && p == NULL, "strsep keeps empty fields");
    return 1;
}

static int messages(void)
{
    CHECK(strcmp(strerror(ENOENT), "No such file or directory") == 0, "strerror(ENOENT)");
    CHECK(strcmp(strerror(9999), "Unknown error 9999") == 0, "unknown error: %s", strerror(9999));
    CHECK(strcmp(strsignal(SIGSEGV), "Segmentation fault") == 0, "strsignal");
    CHECK(strcmp(sigabbrev_np(SIGKILL), "KILL") == 0 && sigabbrev_np(0) == NULL, "sigabbrev_np");
    CHECK(strcmp(strerrorname_np(EBADF), "EBADF") == 0 && strerrorname_np(0) == NULL &&
          strerrorname_np(9999) == NULL, "strerrorname_np");
    char small[8];
    CHECK(strerror_r(EINVAL, small, sizeof small) == ERANGE && strlen(small) == 7, "strerror_r truncation");
    return 1;
}

static int character_classes(void)
{
    for (int c = -1; c < 256; c++) {
        int ascii = c >= 0 && c < 128;
        CHECK(!!isdigit(c) == (ascii && c >= '0' && c <= '9'), "isdigit(%d)", c);
        CHECK(!!isalpha(c) == (ascii && ((c | 32) >= 'a' && (c | 32) <= 'z')), "isalpha(%d)", c);
        CHECK(!!isspace(c) == (c == ' ' || (c >= '\t' && c <= '\r')), "isspace(%d)", c);
        CHECK(!!isprint(c) == (c >= 32 && c < 127), "isprint(%d)", c);
        CHECK(!!ispunct(c) == (c > 32 && c < 127 && !isalnum(c)), "ispunct(%d)", c);
        CHECK(!!isxdigit(c) == (isdigit(c) || (ascii && (c | 32) >= 'a' && (c | 32) <= 'f')), "isxdigit(%d)", c);
    }
    CHECK(toupper('a') == 'A' && toupper('A') == 'A' && tolower('Z') == 'z' && toupper('1') == '1' &&
          toupper(EOF) == EOF, "case mapping");
    return 1;
}

static int integer_parsing(void)
{
    char *end;
    CHECK(strtol("  -123xyz", &end, 10) == -123 && *end == 'x', "strtol basic");
    CHECK(strtol("0x1A", &end, 0) == 26 && strtol("017", NULL, 0) == 15 && strtol("z", NULL, 36) == 35,
          "strtol bases");
    CHECK(strtol("0x", &end, 16) == 0 && *end == 'x', "0x without digits parses the 0");
    const char *junk = "junk";
    CHECK(strtol(junk, &end, 10) == 0 && end == junk, "no digits: end is the start");
    errno = 0;
    CHECK(strtol("9223372036854775808", NULL, 10) == LONG_MAX && errno == ERANGE, "strtol overflow");
    errno = 0;
    CHECK(strtol("-9223372036854775808", NULL, 10) == LONG_MIN && errno == 0, "LONG_MIN exactly");
    errno = 0;
    CHECK(strtoul("18446744073709551616", NULL, 10) == ULONG_MAX && errno == ERANGE, "strtoul overflow");
    CHECK(strtoul("-1", NULL, 10) == ULONG_MAX, "strtoul of -1");
    errno = 0;
    CHECK(strtol("5", NULL, 1) == 0 && errno == EINVAL, "base 1 is invalid");
    CHECK(atoi(" 42 ") == 42 && atol("-7") == -7 && atoll("123456789012") == 123456789012LL, "ato*");
    CHECK(abs(-5) == 5 && labs(-5L) == 5 && div(7, 2).quot == 3 && div(7, 2).rem == 1, "abs/div");
    return 1;
}

static int float_parsing(void)
{
    char *end;
    CHECK(strtod("3.25", NULL) == 3.25 && strtod("-0.5e1x", &end) == -5.0 && *end == 'x', "strtod basic");
    CHECK(strtod("1e23", NULL) == 1e23 && strtod("0.1", NULL) == 0.1 && strtod(".5", NULL) == 0.5,
          "strtod rounding");
    CHECK(strtod("123456789012345678901234567890", NULL) == 123456789012345678901234567890.0,
          "many digits");
    CHECK(strtod("2.2250738585072014e-308", NULL) == 2.2250738585072014e-308, "smallest normal");
    CHECK(strtod("inf", NULL) == __builtin_inf() && strtod("-Infinity", NULL) == -__builtin_inf(), "inf");
    double nan = strtod("nan", NULL);
    CHECK(nan != nan, "nan");
    errno = 0;
    CHECK(strtod("1e999", NULL) == __builtin_inf() && errno == ERANGE, "overflow");
    CHECK(strtod("e5", &end) == 0 && *end == 'e' && atof("2.5") == 2.5, "no digits");
    return 1;
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int sorting(void)
{
    enum { N = 1000 };
    static int v[N];
    for (int i = 0; i < N; i++)
        v[i] = (i * 7919) % 1009 - 500;
    qsort(v, N, sizeof v[0], compare_ints);
    for (int i = 1; i < N; i++)
        CHECK(v[i - 1] <= v[i], "not sorted at %d", i);
    int key = v[321];
    int *found = bsearch(&key, v, N, sizeof v[0], compare_ints);
    CHECK(found && *found == key, "bsearch");
    key = 10000;
    CHECK(!bsearch(&key, v, N, sizeof v[0], compare_ints), "bsearch of a missing key");
    int same[50];
    for (int i = 0; i < 50; i++)
        same[i] = 3;
    qsort(same, 50, sizeof same[0], compare_ints);
    srand(1);
    int r1 = rand();
    srand(1);
    CHECK(rand() == r1 && r1 >= 0 && r1 <= RAND_MAX, "rand is repeatable");
    return 1;
}

int main(void)
{
    RUN(string_functions);
    RUN(tokenizing);
    RUN(messages);
    RUN(character_classes);
    RUN(integer_parsing);
    RUN(float_parsing);
    RUN(sorting);
    return failures != 0;
}
