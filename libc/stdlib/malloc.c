/*
 * malloc and friends.  Small and medium blocks come from the break heap
 * (heap.c); a block of MMAP_THRESHOLD or more gets its own anonymous
 * mapping, which free() returns to the kernel at once.  Every block is
 * 16-byte aligned.  Thread safety: heap_lock (a futex lock, see
 * internal/lock.h) around the heap.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "../internal/heap.h"
#include "../internal/libc.h"

#define MMAP_THRESHOLD (128 * 1024)
#define PAGE_SIZE      4096
#define MAX_REQUEST    (SIZE_MAX / 2)   /* beyond this the size arithmetic could wrap */

/* Chunk bytes for a request of n bytes. */
static size_t chunk_need(size_t n)
{
    size_t need = ALIGN_UP(n + CHUNK_HEADER, (size_t)CHUNK_ALIGN);
    return need < MIN_CHUNK ? MIN_CHUNK : need;
}

static struct chunk *map_chunk(size_t need)
{
    size_t length = ALIGN_UP(need, (size_t)PAGE_SIZE);
    void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    struct chunk *c = p;
    c->prev_size = 0;
    c->size = length | CHUNK_MAPPED | CHUNK_IN_USE;
    return c;
}

static void unmap_chunk(struct chunk *c)
{
    munmap((char *)c - c->prev_size, c->prev_size + chunk_size(c));
}

void *malloc(size_t n)
{
    if (n > MAX_REQUEST) {
        errno = ENOMEM;
        return NULL;
    }
    size_t need = chunk_need(n);
    struct chunk *c;
    if (need >= MMAP_THRESHOLD) {
        c = map_chunk(need);
    } else {
        libc_lock(&heap_lock);
        c = heap_take(need);
        libc_unlock(&heap_lock);
    }
    if (!c) {
        errno = ENOMEM;
        return NULL;
    }
    return chunk_payload(c);
}

void free(void *p)
{
    if (!p)
        return;
    struct chunk *c = payload_chunk(p);
    if (c->size & CHUNK_MAPPED) {
        unmap_chunk(c);
        return;
    }
    libc_lock(&heap_lock);
    heap_release(c);
    libc_unlock(&heap_lock);
}

/* Fresh mappings are already zero; heap memory may be reused. */
void *calloc(size_t count, size_t size)
{
    size_t n;
    if (__builtin_mul_overflow(count, size, &n)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = malloc(n);
    if (p && !(payload_chunk(p)->size & CHUNK_MAPPED))
        memset(p, 0, n);
    return p;
}

/* Resize in place when the chunk or its free neighbour allows; else move. */
void *realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);
    if (n > MAX_REQUEST) {
        errno = ENOMEM;
        return NULL;
    }
    struct chunk *c = payload_chunk(p);
    size_t need = chunk_need(n), have = chunk_size(c);
    if (c->size & CHUNK_MAPPED) {
        if (need <= have && need > have / 2)
            return p;                   /* still a fair use of the mapping */
    } else if (need < MMAP_THRESHOLD) {
        libc_lock(&heap_lock);
        int resized = heap_resize(c, need);
        libc_unlock(&heap_lock);
        if (resized)
            return p;
    }
    void *q = malloc(n);
    if (!q)
        return NULL;
    size_t keep = have - CHUNK_HEADER;
    memcpy(q, p, keep < n ? keep : n);
    free(p);
    return q;
}

void *reallocarray(void *p, size_t count, size_t size)
{
    size_t n;
    if (__builtin_mul_overflow(count, size, &n)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, n);
}

/*
 * Over-allocate, then move the header forward to an aligned payload: in
 * the heap the skipped front becomes a free chunk; in a mapping it is
 * recorded in prev_size so free() unmaps the whole mapping.
 */
static void *aligned_block(size_t alignment, size_t n)
{
    if (alignment <= CHUNK_ALIGN)
        return malloc(n);
    if (n > MAX_REQUEST - alignment)
        return NULL;
    char *p = malloc(n + alignment + MIN_CHUNK);
    if (!p || (uintptr_t)p % alignment == 0)
        return p;
    struct chunk *c = payload_chunk(p);
    char *aligned = (char *)ALIGN_UP((uintptr_t)p + MIN_CHUNK, alignment);
    size_t lead = (size_t)(aligned - p);
    if (c->size & CHUNK_MAPPED) {
        struct chunk *moved = payload_chunk(aligned);
        moved->prev_size = c->prev_size + lead;
        moved->size = (chunk_size(c) - lead) | CHUNK_MAPPED | CHUNK_IN_USE;
        return aligned;
    }
    libc_lock(&heap_lock);
    heap_split_front(c, lead);
    libc_unlock(&heap_lock);
    return aligned;
}

/* POSIX: alignment a power of two multiple of sizeof(void *); EINVAL otherwise. */
int posix_memalign(void **result, size_t alignment, size_t size)
{
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)))
        return EINVAL;
    void *p = aligned_block(alignment, size);
    if (!p)
        return ENOMEM;
    *result = p;
    return 0;
}

void *aligned_alloc(size_t alignment, size_t size)
{
    if (alignment == 0 || (alignment & (alignment - 1))) {
        errno = EINVAL;
        return NULL;
    }
    void *p = aligned_block(alignment, size);
    if (!p)
        errno = ENOMEM;
    return p;
}
