/*
 * malloc on our libc: many random sizes that never overlap and keep their
 * contents, realloc, calloc, big blocks from mmap (the break stays put),
 * memory given back to the kernel, alignment.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

#define SLOTS        512
#define ROUNDS       20000
#define MAX_SMALL    4096
#define BIG          (4 << 20)
#define ALIGNMENT    16

static uint64_t state = 88172645463325252ULL;

static uint64_t next_random(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

struct block {
    unsigned char *p;
    size_t size;
    unsigned char fill;
};

static int intact(const struct block *b)
{
    for (size_t i = 0; i < b->size; i++)
        if (b->p[i] != b->fill)
            return 0;
    return 1;
}

/* Random malloc/realloc/free; every live block keeps its own fill byte. */
static int random_sizes(void)
{
    static struct block blocks[SLOTS];
    for (int round = 0; round < ROUNDS; round++) {
        struct block *b = &blocks[next_random() % SLOTS];
        size_t size = next_random() % (next_random() % 8 == 0 ? MAX_SMALL * 64 : MAX_SMALL);
        if (b->p) {
            CHECK(intact(b), "block of %zu bytes was overwritten (round %d)", b->size, round);
            if (next_random() % 2) {
                free(b->p);
                b->p = NULL;
                continue;
            }
            b->p = realloc(b->p, size);
            CHECK(b->p || size == 0, "realloc(%zu) failed", size);
            size_t kept = size < b->size ? size : b->size;
            for (size_t i = 0; i < kept; i++)
                CHECK(b->p[i] == b->fill, "realloc lost byte %zu of %zu", i, kept);
        } else {
            b->p = malloc(size);
            CHECK(b->p, "malloc(%zu) failed", size);
        }
        CHECK((uintptr_t)b->p % ALIGNMENT == 0, "%p is not 16-byte aligned", (void *)b->p);
        b->size = size;
        b->fill = (unsigned char)(round % 255 + 1);
        memset(b->p, b->fill, size);
    }
    for (int i = 0; i < SLOTS; i++) {
        CHECK(!blocks[i].p || intact(&blocks[i]), "final check of block %d", i);
        free(blocks[i].p);
    }
    return 1;
}

/* A big block is its own mapping: the program break does not move for it. */
static int big_blocks_use_mmap(void)
{
    void *brk_before = sbrk(0);
    char *big = malloc(BIG);
    CHECK(big, "malloc(%d)", BIG);
    CHECK(sbrk(0) == brk_before, "the break moved for a big block");
    CHECK(big < (char *)brk_before || big > (char *)brk_before + BIG, "big block inside the heap?");
    memset(big, 0xab, BIG);
    big = realloc(big, 2 * BIG);
    CHECK(big && (unsigned char)big[BIG - 1] == 0xab, "realloc of a mapped block lost data");
    free(big);
    int *zeros = calloc(BIG / sizeof(int), sizeof(int));
    CHECK(zeros && zeros[0] == 0 && zeros[BIG / sizeof(int) - 1] == 0, "calloc of a big block");
    free(zeros);
    return 1;
}

/* Freed heap memory goes back: after a burst of small blocks the break comes down again. */
static int heap_shrinks(void)
{
    enum { COUNT = 4000, SIZE = 1000 };
    static void *p[COUNT];
    char *start = sbrk(0);
    for (int i = 0; i < COUNT; i++)
        CHECK((p[i] = malloc(SIZE)) != NULL, "malloc %d", i);
    char *peak = sbrk(0);
    CHECK(peak - start >= COUNT * SIZE, "the heap did not grow (%ld bytes)", (long)(peak - start));
    for (int i = COUNT - 1; i >= 0; i--)
        free(p[i]);
    char *end = sbrk(0);
    CHECK(end < peak && end - start < (peak - start) / 4, "break %p after freeing all, peak %p, start %p",
          (void *)end, (void *)peak, (void *)start);
    return 1;
}

static int calloc_realloc_edges(void)
{
    unsigned char *p = malloc(100);
    memset(p, 0xff, 100);
    free(p);
    unsigned char *z = calloc(25, 4);
    for (int i = 0; i < 100; i++)
        CHECK(z[i] == 0, "calloc byte %d is %d", i, z[i]);
    free(z);
    volatile size_t huge = (size_t)1 << 40;     /* volatile: gcc would warn at compile time */
    errno = 0;
    CHECK(calloc(huge, huge) == NULL && errno == ENOMEM, "calloc overflow");
    huge = SIZE_MAX - 8;
    CHECK(malloc(huge) == NULL && errno == ENOMEM, "a huge malloc must fail with ENOMEM");
    char *r = realloc(NULL, 10);
    CHECK(r != NULL, "realloc(NULL) is malloc");
    strcpy(r, "123456789");
    r = realloc(r, 5);
    CHECK(r && memcmp(r, "12345", 5) == 0, "shrinking realloc");
    free(r);
    free(NULL);
    void *a;
    CHECK(posix_memalign(&a, 4096, 100) == 0 && (uintptr_t)a % 4096 == 0, "posix_memalign 4096");
    free(a);
    CHECK(posix_memalign(&a, 3, 100) == EINVAL, "posix_memalign needs a power of two");
    a = aligned_alloc(1 << 20, 1 << 20);
    CHECK(a && (uintptr_t)a % (1 << 20) == 0, "aligned_alloc of a mapped block");
    free(a);
    return 1;
}

int main(void)
{
    RUN(random_sizes);
    RUN(big_blocks_use_mmap);
    RUN(heap_shrinks);
    RUN(calloc_realloc_edges);
    return failures != 0;
}
