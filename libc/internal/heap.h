/*
 * The break heap behind malloc (stdlib/heap.c), for stdlib/malloc.c.
 *
 * Memory is handed out in chunks, each led by a 16-byte header; the caller's
 * bytes follow the header, 16-byte aligned.  Chunks of the break heap lie
 * back to back; chunks too big for it are mmap'ed one by one (CHUNK_MAPPED).
 * All heap_* functions need heap_lock held.
 */
#ifndef LIBC_INTERNAL_HEAP_H
#define LIBC_INTERNAL_HEAP_H

#include <stddef.h>
#include "lock.h"

#define CHUNK_ALIGN   16
#define CHUNK_HEADER  16
#define CHUNK_IN_USE  1UL           /* size flag: allocated */
#define CHUNK_MAPPED  2UL           /* size flag: its own mmap, not in the break heap */
#define CHUNK_FLAGS   (CHUNK_IN_USE | CHUNK_MAPPED)

struct chunk {
    size_t prev_size;   /* heap: size of the chunk before (0: first of its region);
                           mapped: bytes of the mapping before this header */
    size_t size;        /* bytes, header included, multiple of 16; | CHUNK_* flags */
    struct chunk *next; /* free heap chunks only: links of their bin */
    struct chunk *prev;
};

#define MIN_CHUNK sizeof(struct chunk)

extern struct libc_lock heap_lock;

static inline size_t chunk_size(const struct chunk *c)
{
    return c->size & ~CHUNK_FLAGS;
}

static inline void *chunk_payload(struct chunk *c)
{
    return (char *)c + CHUNK_HEADER;
}

static inline struct chunk *payload_chunk(void *p)
{
    return (struct chunk *)((char *)p - CHUNK_HEADER);
}

/* A free heap chunk of at least need bytes (a multiple of 16), marked in use; NULL if none. */
struct chunk *heap_take(size_t need);

/* Give back a heap chunk (in use), merging it with free neighbours. */
void heap_release(struct chunk *c);

/* Shrink in-use chunk c to need bytes, or grow it in place; 0 if it cannot. */
int heap_resize(struct chunk *c, size_t need);

/* Split in-use chunk c at offset lead: free the front part, return the back (in use). */
struct chunk *heap_split_front(struct chunk *c, size_t lead);

#endif
