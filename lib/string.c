/*
 * Memory and string functions.  The bulk copies use the string
 * instructions, eight bytes at a time (REP MOVSQ/STOSQ) and the tail byte
 * by byte: never a byte-at-a-time C loop for large copies.  Quadwords also
 * matter to the benchmarks: under QEMU's -icount every repetition counts
 * as an instruction, so a page copy is 512 of them instead of 4,096.
 */
#include <lib/string.h>
#include <stdint.h>

#define WORD 8

void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;
    size_t words = n / WORD, tail = n % WORD;
    __asm__ volatile("rep movsq\n\tmovq %[tail], %%rcx\n\trep movsb"
                     : "+D"(d), "+S"(src), "+c"(words) : [tail] "r"(tail) : "memory");
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    if ((uintptr_t)dst - (uintptr_t)src >= n)      /* no harmful overlap: copy forwards */
        return memcpy(dst, src, n);
    /* dst overlaps the tail of src: copy backwards, with the direction flag set */
    void *d = (char *)dst + n - 1;
    const void *s = (const char *)src + n - 1;
    __asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) :: "memory");
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *d = dst;
    size_t words = n / WORD, tail = n % WORD;
    uint64_t pattern = 0x0101010101010101ull * (uint8_t)c;     /* the byte in all eight lanes */
    __asm__ volatile("rep stosq\n\tmovq %[tail], %%rcx\n\trep stosb"
                     : "+D"(d), "+c"(words) : "a"(pattern), [tail] "r"(tail) : "memory");
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (size_t i = 0; i < n; i++)
        if (p[i] != q[i])
            return p[i] - q[i];
    return 0;
}

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    for (size_t i = 0; i < n; i++)
        if (p[i] == (unsigned char)c)
            return (void *)(p + i);
    return NULL;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;
    for (;; s++) {
        if (*s == (char)c)
            last = s;
        if (!*s)
            return (char *)last;
    }
}

char *strcpy(char *dst, const char *src)
{
    return memcpy(dst, src, strlen(src) + 1);
}

char *strncpy(char *dst, const char *src, size_t n)
{
    size_t len = strnlen(src, n);
    memcpy(dst, src, len);
    memset(dst + len, 0, n - len);
    return dst;
}

char *strcat(char *dst, const char *src)
{
    strcpy(dst + strlen(dst), src);
    return dst;
}

char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);
    for (; *haystack; haystack++)
        if (strncmp(haystack, needle, n) == 0)
            return (char *)haystack;
    return n == 0 ? (char *)haystack : NULL;
}

/* The length of the prefix of s made only of bytes in accept (with reject: of bytes not in it). */
static size_t span(const char *s, const char *set, int in_set)
{
    size_t n = 0;
    while (s[n] && (strchr(set, s[n]) != NULL) == in_set)
        n++;
    return n;
}

size_t strspn(const char *s, const char *accept)
{
    return span(s, accept, 1);
}

size_t strcspn(const char *s, const char *reject)
{
    return span(s, reject, 0);
}
