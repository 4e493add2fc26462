/*
 * memcpy, memmove and memset for x86-64: the string instructions, eight
 * bytes at a time (REP MOVSQ/STOSQ) and the tail byte by byte, never a
 * byte-at-a-time C loop for large copies.  Quadwords also matter to the
 * benchmarks: under QEMU's -icount every repetition counts as an
 * instruction, so a page copy is 512 of them instead of 4,096.
 *
 * Shared like lib/string.c (the rest of the string functions, portable C)
 * by the kernel, libc and the host tests: it needs nothing but the CPU.
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
