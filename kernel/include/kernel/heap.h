/*
 * The kernel heap: kmalloc/kfree for objects from a few bytes to many
 * pages.  Small objects come from per-size-class slabs (one page each);
 * large ones get their own pages in the kernel mapping area, with an
 * unmapped guard page after them.
 *
 * Every block has a header with a magic number, so kfree catches double
 * frees and pointers it never handed out.  With HEAP_DEBUG (the default
 * debug build), a canary after each block catches overruns at kfree, and
 * freed memory is poisoned.
 */
#ifndef KERNEL_HEAP_H
#define KERNEL_HEAP_H

#include <stddef.h>
#include <stdint.h>

void *kmalloc(size_t size);     /* 16-byte aligned, or NULL */
void *kzalloc(size_t size);     /* the same, zero-filled */
void kfree(void *p);            /* NULL is allowed */

/* Bytes of objects currently allocated (requested sizes), and their count. */
struct heap_stats {
    uint64_t live_bytes;
    uint64_t live_objects;
    uint64_t slab_pages;        /* pages held by small-object slabs */
    uint64_t large_pages;       /* pages held by large objects */
};
void heap_get_stats(struct heap_stats *s);

/*
 * Where the heap gets memory: the kernel's implementation is in
 * kernel/heap_backend.c; host unit tests supply their own.
 */
void *heap_backend_page_alloc(void);                    /* one page, or NULL */
void heap_backend_page_free(void *page);
void *heap_backend_range_alloc(size_t pages);           /* contiguous pages, or NULL */
void heap_backend_range_free(void *start, size_t pages);

#endif
