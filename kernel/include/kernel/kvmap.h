/*
 * The kernel mapping area (KVMAP_BASE, see arch/layout.h): virtually
 * contiguous runs of fresh pages, each followed by an unmapped guard page
 * so that running off the end faults instead of corrupting a neighbour.
 * Large kmalloc objects and kernel stacks live here.
 */
#ifndef KERNEL_KVMAP_H
#define KERNEL_KVMAP_H

#include <stddef.h>

/* Map pages fresh pages (contents undefined); NULL when memory runs out. */
void *kvmap_alloc(size_t pages);

/* Unmap a run from kvmap_alloc and free its pages. */
void kvmap_free(void *start, size_t pages);

#endif
