/*
 * The kernel heap.  See kernel/heap.h for the contract.
 *
 * A slab is one page: a struct slab at its start, then equal blocks of its
 * size class.  Each class keeps a list of slabs with free blocks
 * ("partial"); a slab whose last block is freed goes back to the page
 * allocator at once, so the heap holds no memory that no object uses.
 *
 * Every block starts with a struct block_header; the caller's object
 * follows it.  A large object's header is at the start of its pages.
 */
#include <arch/layout.h>
#include <kernel/heap.h>
#include <kernel/list.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <lib/string.h>
#include <stdbool.h>

#define MAGIC_LIVE      0x4556494c      /* "LIVE" */
#define MAGIC_FREE      0x45455246      /* "FREE" */
#define MAGIC_SLAB      0x42414c53      /* "SLAB" */
#define LARGE_CLASS     0xffff          /* block_header.size_class of a large object */
#define CANARY          0x5a5a5a5acafef00dull
#define POISON_FREED    0x6b
/*
 * Fresh blocks (debug build): each 8-byte word holds POISON_NEW_TAG in its
 * top 16 bits and its own address below.  So two uninitialised fields are
 * never equal (a fixed byte pattern once made two uninitialised bounds
 * agree and hid the bug), an uninitialised pointer is non-canonical and
 * faults at once, and an uninitialised size or count is huge.
 */
#define POISON_NEW_TAG  0xa5a5000000000000ull
#define POISON_NEW_ADDR 0x0000ffffffffffffull
#define POISON_NEW_BYTE 0xa5            /* a tail shorter than a word */

#ifdef HEAP_DEBUG
#define CANARY_SIZE     sizeof(uint64_t)
#else
#define CANARY_SIZE     0
#endif

/* Block sizes, header and canary included; each a multiple of 16 for alignment. */
static const uint32_t class_sizes[] = { 32, 48, 64, 96, 128, 192, 256, 384, 512, 1024, 2016 };
#define CLASS_COUNT (sizeof class_sizes / sizeof class_sizes[0])
#define SLAB_HEADER_SIZE 64

struct block_header {
    uint32_t magic;
    uint16_t size_class;        /* index into class_sizes, or LARGE_CLASS */
    uint16_t pad;
    uint64_t size;              /* bytes the caller asked for */
};

struct free_block {
    struct block_header header; /* magic is MAGIC_FREE */
    struct free_block *next;
};

struct slab {
    struct list_node link;      /* in its class's partial list while it has free blocks */
    struct free_block *free;    /* free blocks of this slab */
    uint32_t magic;
    uint16_t in_use;
    uint16_t capacity;
    uint16_t size_class;
};

_Static_assert(sizeof(struct slab) <= SLAB_HEADER_SIZE, "slab header too big");
_Static_assert(sizeof(struct block_header) == 16, "header keeps objects 16-byte aligned");

/*
 * Lock order: kvmap's lock, then heap_lock, then the page allocator's lock.
 * Large objects are mapped and unmapped outside heap_lock for that reason.
 */
static struct spinlock heap_lock = SPINLOCK_INIT("heap", LOCK_RANK_HEAP);
static struct list_node partial[CLASS_COUNT];   /* [heap_lock] */
static struct heap_stats stats;                 /* [heap_lock] */
static bool initialized;                        /* [heap_lock] */

static void heap_init_locked(void)
{
    for (size_t i = 0; i < CLASS_COUNT; i++)
        list_init(&partial[i]);
    initialized = true;
}

static int class_for(size_t total)
{
    for (size_t i = 0; i < CLASS_COUNT; i++)    /* eleven entries: cheaper than any index */
        if (total <= class_sizes[i])
            return (int)i;
    return -1;
}

static struct slab *slab_new(int cls)
{
    struct slab *s = heap_backend_page_alloc();
    if (!s)
        return NULL;
    uint32_t size = class_sizes[cls];
    *s = (struct slab){ .magic = MAGIC_SLAB, .size_class = (uint16_t)cls,
                        .capacity = (uint16_t)((PAGE_SIZE - SLAB_HEADER_SIZE) / size) };
    char *first = (char *)s + SLAB_HEADER_SIZE;
    for (int i = s->capacity - 1; i >= 0; i--) {
        struct free_block *b = (struct free_block *)(first + (size_t)i * size);
        b->header.magic = MAGIC_FREE;
        b->next = s->free;
        s->free = b;
    }
    list_push_front(&partial[cls], &s->link);
    stats.slab_pages++;
    return s;
}

static struct block_header *small_alloc(int cls)
{
    struct slab *s = list_first(&partial[cls], struct slab, link);
    if (!s && !(s = slab_new(cls)))
        return NULL;
    struct free_block *b = s->free;
    s->free = b->next;
    if (++s->in_use == s->capacity)
        list_remove(&s->link);
    b->header.size_class = (uint16_t)cls;
    return &b->header;
}

static void small_free(struct block_header *h)
{
    struct slab *s = (struct slab *)((uint64_t)h & ~(uint64_t)(PAGE_SIZE - 1));
    if (s->magic != MAGIC_SLAB || s->size_class != h->size_class)
        panic("kfree: %p is not in a slab of its size class", (void *)(h + 1));
    struct free_block *b = (struct free_block *)h;
    b->next = s->free;
    s->free = b;
    if (s->in_use-- == s->capacity)
        list_push_front(&partial[s->size_class], &s->link);
    if (s->in_use == 0) {
        list_remove(&s->link);
        s->magic = 0;
        stats.slab_pages--;
        heap_backend_page_free(s);
    }
}

static size_t large_pages_for(size_t total)
{
    return (total + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* A large object: its own pages, taken without heap_lock (the backend allocates too). */
static struct block_header *large_alloc(size_t total)
{
    struct block_header *h = heap_backend_range_alloc(large_pages_for(total));
    if (h)
        h->size_class = LARGE_CLASS;
    return h;
}

#ifdef HEAP_DEBUG
/* Fill a fresh block with the POISON_NEW pattern. */
static void poison_new(void *p, size_t size)
{
    uint64_t *w = p;
    size_t words = size / sizeof *w;
    for (size_t i = 0; i < words; i++)
        w[i] = POISON_NEW_TAG | ((uint64_t)&w[i] & POISON_NEW_ADDR);
    memset(w + words, POISON_NEW_BYTE, size % sizeof *w);
}
#endif

void *kmalloc(size_t size)
{
    size_t total = sizeof(struct block_header) + size + CANARY_SIZE;
    if (size == 0 || total < size)
        return NULL;
    int cls = class_for(total);
    struct block_header *h = cls < 0 ? large_alloc(total) : NULL;
    spin_lock(&heap_lock);
    if (!initialized)
        heap_init_locked();
    if (cls >= 0)
        h = small_alloc(cls);
    else if (h)
        stats.large_pages += large_pages_for(total);
    if (h) {
        h->magic = MAGIC_LIVE;
        h->size = size;
        stats.live_bytes += size;
        stats.live_objects++;
    }
    spin_unlock(&heap_lock);
    if (!h)
        return NULL;
#ifdef HEAP_DEBUG
    poison_new(h + 1, size);
    uint64_t canary = CANARY;
    memcpy((char *)(h + 1) + size, &canary, sizeof canary);
#endif
    return h + 1;
}

void *kzalloc(size_t size)
{
    void *p = kmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

static void check_block(struct block_header *h, void *p)
{
    if (h->magic == MAGIC_FREE)
        panic("kfree: double free of %p", p);
    if (h->magic != MAGIC_LIVE)
        panic("kfree: %p was not allocated by kmalloc (or its header was overwritten)", p);
#ifdef HEAP_DEBUG
    uint64_t canary;
    memcpy(&canary, (char *)p + h->size, sizeof canary);
    if (canary != CANARY)
        panic("kfree: overrun past the end of the %lu-byte block %p", (unsigned long)h->size, p);
#endif
}

void kfree(void *p)
{
    if (!p)
        return;
    struct block_header *h = (struct block_header *)p - 1;
    size_t large_pages = 0;
    spin_lock(&heap_lock);
    check_block(h, p);
    size_t size = h->size;
#ifdef HEAP_DEBUG
    memset(p, POISON_FREED, size + CANARY_SIZE);
#endif
    h->magic = MAGIC_FREE;
    stats.live_bytes -= size;
    stats.live_objects--;
    if (h->size_class == LARGE_CLASS) {
        large_pages = large_pages_for(sizeof *h + size + CANARY_SIZE);
        stats.large_pages -= large_pages;
    } else {
        small_free(h);
    }
    spin_unlock(&heap_lock);
    if (large_pages)
        heap_backend_range_free(h, large_pages);
}

void heap_get_stats(struct heap_stats *s)
{
    spin_lock(&heap_lock);
    *s = stats;
    spin_unlock(&heap_lock);
}
