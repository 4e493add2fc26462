/*
 * The string functions libc adds to lib/string.c (which the kernel shares).
 * Built on those: no second copy of memcpy or strlen here.
 */
#include <stdlib.h>
#include <string.h>

void *memccpy(void *dst, const void *src, int c, size_t n)
{
    const char *stop = memchr(src, c, n);
    if (!stop) {
        memcpy(dst, src, n);
        return NULL;
    }
    size_t len = (size_t)(stop - (const char *)src) + 1;
    memcpy(dst, src, len);
    return (char *)dst + len;
}

void *mempcpy(void *dst, const void *src, size_t n)
{
    return (char *)memcpy(dst, src, n) + n;
}

void *memrchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    while (n--)
        if (p[n] == (unsigned char)c)
            return (void *)(p + n);
    return NULL;
}

/* The first copy of needle (needle_len bytes) in haystack (len bytes); an empty needle is at the start. */
void *memmem(const void *haystack, size_t len, const void *needle, size_t needle_len)
{
    const unsigned char *h = haystack;
    if (needle_len == 0)
        return (void *)h;
    if (needle_len > len)
        return NULL;
    for (size_t i = 0; i <= len - needle_len; i++)
        if (h[i] == *(const unsigned char *)needle && memcmp(h + i, needle, needle_len) == 0)
            return (void *)(h + i);
    return NULL;
}

char *stpcpy(char *dst, const char *src)
{
    size_t len = strlen(src);
    memcpy(dst, src, len + 1);
    return dst + len;
}

/* Copies at most n bytes, zero-fills the rest; returns the end of the copied text. */
char *stpncpy(char *dst, const char *src, size_t n)
{
    size_t len = strnlen(src, n);
    strncpy(dst, src, n);
    return dst + len;
}

char *strncat(char *dst, const char *src, size_t n)
{
    char *end = dst + strlen(dst);
    size_t len = strnlen(src, n);
    memcpy(end, src, len);
    end[len] = '\0';
    return dst;
}

/* BSD: copy with truncation, always terminated; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

size_t strlcat(char *dst, const char *src, size_t size)
{
    size_t used = strnlen(dst, size);
    if (used == size)
        return size + strlen(src);
    return used + strlcpy(dst + used, src, size - used);
}

char *strdup(const char *s)
{
    return strndup(s, (size_t)-1);
}

char *strndup(const char *s, size_t max)
{
    size_t len = strnlen(s, max);
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

char *strchrnul(const char *s, int c)
{
    char *p = strchr(s, c);
    return p ? p : (char *)s + strlen(s);
}

char *strpbrk(const char *s, const char *accept)
{
    s += strcspn(s, accept);
    return *s ? (char *)s : NULL;
}

char *strtok_r(char *s, const char *delim, char **save)
{
    if (!s)
        s = *save;
    s += strspn(s, delim);
    if (!*s) {
        *save = s;
        return NULL;
    }
    char *end = s + strcspn(s, delim);
    *save = *end ? end + 1 : end;
    *end = '\0';
    return s;
}

char *strtok(char *s, const char *delim)
{
    static char *save;
    return strtok_r(s, delim, &save);
}

char *strsep(char **s, const char *delim)
{
    char *token = *s;
    if (!token)
        return NULL;
    char *end = token + strcspn(token, delim);
    *s = *end ? end + 1 : NULL;
    *end = '\0';
    return token;
}

char *strcasestr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);
    for (; *haystack; haystack++)
        if (strncasecmp(haystack, needle, n) == 0)
            return (char *)haystack;
    return n == 0 ? (char *)haystack : NULL;
}

/* The C locale collates by byte value. */
int strcoll(const char *a, const char *b)
{
    return strcmp(a, b);
}

size_t strxfrm(char *dst, const char *src, size_t n)
{
    size_t len = strlen(src);
    if (len < n)
        memcpy(dst, src, len + 1);
    return len;
}

/* strings.h */

void bzero(void *s, size_t n)
{
    memset(s, 0, n);
}

int bcmp(const void *a, const void *b, size_t n)
{
    return memcmp(a, b, n);
}

int ffs(int value)
{
    return __builtin_ffs(value);
}

char *index(const char *s, int c)
{
    return strchr(s, c);
}

char *rindex(const char *s, int c)
{
    return strrchr(s, c);
}
