/*
 * The kernel mapping area (KVMAP_BASE, see arch/layout.h): virtually
 * contiguous runs of fresh pages, each followed by an unmapped guard page
 * so that running off the end faults instead of corrupting a neighbour.
 * Large kmalloc objects and kernel stacks live here.
 */
#ifndef KERNEL_KVMAP_H
#define KERNEL_KVMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Map pages fresh pages (contents undefined); NULL when memory runs out. */
void *kvmap_alloc(size_t pages);

/* Unmap a run from kvmap_alloc and free its pages. */
void kvmap_free(void *start, size_t pages);

/*
 * Map the physical range [pa, pa + size), of any alignment (the pages that
 * cover it are mapped), with flags: MMU_WRITE, MMU_UNCACHED for device
 * registers.  Returns the address of pa itself, or NULL when address space
 * or page-table memory runs out.  For what the direct map may not cover
 * (firmware tables above the RAM) or covers with the wrong caching (device
 * registers).  The pages are not the page allocator's and stay so.
 */
void *kvmap_map_phys(uint64_t pa, size_t size, unsigned flags);

/* Undo kvmap_map_phys(pa, size), given the address it returned; frees no page. */
void kvmap_unmap_phys(void *va, size_t size);

/*
 * Every CPU's tick: if runs were freed since this CPU last flushed its
 * global TLB entries, flush them, and give back the ranges every CPU has
 * now flushed (see kernel/kvmap.c, "Several CPUs").  Interrupts off, no
 * lock held.
 */
void kvmap_tick(void);

/* True once no freed range waits for other CPUs' flushes (their heap nodes freed): for leak checks. */
bool kvmap_settled(void);

/* How many freed ranges wait for other CPUs' flushes now (reclaiming what it can first). */
uint64_t kvmap_lazy_frees(void);

/* Heap bytes of the area's own notes of free ranges: SYS_os_stats keeps them out of heap_bytes. */
uint64_t kvmap_note_bytes(void);

#endif
