/*
 * The break heap (see internal/heap.h).
 *
 * A region is a contiguous run of break memory: chunks back to back, ended
 * by a fence, a bare header of size 0 marked in use, so that merging stops
 * there.  The heap normally grows in place (the old fence becomes the new
 * free chunk's header); if someone else moved the break in between, the new
 * memory starts a region of its own.  Every chunk's prev_size holds the size
 * of the chunk before it, so a freed chunk finds both neighbours.
 *
 * Free chunks wait in bins by size class, a power of two each: bin i holds
 * sizes in [2^(i+5), 2^(i+6)), the last bin everything larger.  A request
 * takes the first chunk that fits, from its own class upwards.  When the
 * free chunk at the top of the break grows beyond TRIM_THRESHOLD, the break
 * is lowered and the memory goes back to the kernel.
 */
#include <stdint.h>
#include <unistd.h>
#include "../internal/heap.h"
#include "../internal/libc.h"

#define BIN_COUNT       16
#define MIN_CHUNK_SHIFT 5               /* log2(MIN_CHUNK) */
#define HEAP_GROW       (128 * 1024)    /* ask the kernel for at least this much at a time */
#define TRIM_THRESHOLD  (256 * 1024)    /* free top memory beyond this is returned ... */
#define TRIM_KEEP       (128 * 1024)    /* ... keeping this much for the next requests */
#define PAGE_SIZE       4096

_Static_assert(MIN_CHUNK == 1 << MIN_CHUNK_SHIFT, "bin 0 starts at MIN_CHUNK");

struct libc_lock heap_lock = LIBC_LOCK_INIT;
static struct chunk *bins[BIN_COUNT];   /* [heap_lock] */
static char *region_end;                /* [heap_lock] end of the newest region, after its fence */

static struct chunk *next_chunk(struct chunk *c)
{
    return (struct chunk *)((char *)c + chunk_size(c));
}

/* Set c's size and flags, and tell the next chunk (so prev_size stays true). */
static void set_chunk(struct chunk *c, size_t size, size_t flags)
{
    c->size = size | flags;
    next_chunk(c)->prev_size = size;
}

static int bin_index(size_t size)
{
    int i = (int)(63 - __builtin_clzl(size)) - MIN_CHUNK_SHIFT;
    return i < BIN_COUNT ? i : BIN_COUNT - 1;
}

static void bin_insert(struct chunk *c)
{
    struct chunk **bin = &bins[bin_index(chunk_size(c))];
    c->prev = NULL;
    c->next = *bin;
    if (*bin)
        (*bin)->prev = c;
    *bin = c;
}

static void bin_remove(struct chunk *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        bins[bin_index(chunk_size(c))] = c->next;
    if (c->next)
        c->next->prev = c->prev;
}

/* Is free chunk c the last of the newest region, ending at the current break? */
static int at_break_top(struct chunk *c)
{
    char *end = (char *)next_chunk(c) + CHUNK_HEADER;
    return end == region_end && end == sbrk(0);
}

/* Lower the break under a large free top chunk, keeping TRIM_KEEP of it. */
static void trim(struct chunk *c)
{
    size_t size = chunk_size(c);
    if (size < TRIM_THRESHOLD || !at_break_top(c))
        return;
    size_t release = (size - TRIM_KEEP) & ~(size_t)(PAGE_SIZE - 1);
    if (sbrk(-(long)release) == (void *)-1)
        return;
    region_end -= release;
    struct chunk *fence = (struct chunk *)(region_end - CHUNK_HEADER);
    fence->size = CHUNK_IN_USE;
    set_chunk(c, size - release, 0);
}

/*
 * Mark c free, merge it with free neighbours, and file it in a bin.  Only
 * frees the program asked for may trim: memory just added by grow() or cut
 * off by a split is about to be used.
 */
static void make_free(struct chunk *c, int may_trim)
{
    size_t size = chunk_size(c);
    struct chunk *next = next_chunk(c);
    if (!(next->size & CHUNK_IN_USE)) {
        bin_remove(next);
        size += chunk_size(next);
    }
    if (c->prev_size) {
        struct chunk *prev = (struct chunk *)((char *)c - c->prev_size);
        if (!(prev->size & CHUNK_IN_USE)) {
            bin_remove(prev);
            size += chunk_size(prev);
            c = prev;
        }
    }
    set_chunk(c, size, 0);
    if (may_trim)
        trim(c);
    bin_insert(c);
}

/* Cut in-use chunk c down to need bytes; the rest, if big enough, becomes free. */
static void shrink(struct chunk *c, size_t need)
{
    size_t size = chunk_size(c);
    if (size - need < MIN_CHUNK)
        return;
    set_chunk(c, need, CHUNK_IN_USE);
    struct chunk *rest = next_chunk(c);
    set_chunk(rest, size - need, CHUNK_IN_USE);
    make_free(rest, 0);
}

/* Add at least need bytes of break memory as a free chunk; -1 if the kernel refuses. */
static int grow(size_t need)
{
    size_t increment = ALIGN_UP(need + CHUNK_HEADER + CHUNK_ALIGN, (size_t)PAGE_SIZE);
    if (increment < HEAP_GROW)
        increment = HEAP_GROW;
    char *start = sbrk((long)increment);
    if (start == (void *)-1)
        return -1;
    struct chunk *c;
    if (start == region_end) {          /* extend: the old fence heads the new chunk */
        c = (struct chunk *)(start - CHUNK_HEADER);
    } else {                            /* a new region, its first chunk aligned */
        c = (struct chunk *)ALIGN_UP((uintptr_t)start, CHUNK_ALIGN);
        c->prev_size = 0;
    }
    /* The break is page-aligned unless the program moved it by odd amounts itself. */
    region_end = (char *)((uintptr_t)(start + increment) & ~(uintptr_t)(CHUNK_ALIGN - 1));
    struct chunk *fence = (struct chunk *)(region_end - CHUNK_HEADER);
    fence->size = CHUNK_IN_USE;
    set_chunk(c, (size_t)((char *)fence - (char *)c), CHUNK_IN_USE);
    make_free(c, 0);
    return 0;
}

/* First fit from need's size class upwards. */
static struct chunk *find_free(size_t need)
{
    for (int i = bin_index(need); i < BIN_COUNT; i++)
        for (struct chunk *c = bins[i]; c; c = c->next)
            if (chunk_size(c) >= need)
                return c;
    return NULL;
}

struct chunk *heap_take(size_t need)
{
    struct chunk *c = find_free(need);
    if (!c) {
        if (grow(need) < 0)
            return NULL;
        c = find_free(need);
    }
    bin_remove(c);
    set_chunk(c, chunk_size(c), CHUNK_IN_USE);
    shrink(c, need);
    return c;
}

void heap_release(struct chunk *c)
{
    make_free(c, 1);
}

int heap_resize(struct chunk *c, size_t need)
{
    size_t size = chunk_size(c);
    struct chunk *next = next_chunk(c);
    if (size < need) {
        if ((next->size & CHUNK_IN_USE) || size + chunk_size(next) < need)
            return 0;
        bin_remove(next);
        set_chunk(c, size + chunk_size(next), CHUNK_IN_USE);
    }
    shrink(c, need);
    return 1;
}

struct chunk *heap_split_front(struct chunk *c, size_t lead)
{
    size_t size = chunk_size(c);
    set_chunk(c, lead, CHUNK_IN_USE);
    struct chunk *back = next_chunk(c);
    set_chunk(back, size - lead, CHUNK_IN_USE);
    make_free(c, 0);
    return back;
}
