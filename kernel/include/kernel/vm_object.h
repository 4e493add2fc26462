/*
 * The pages of a shared mapping (mmap MAP_SHARED | MAP_ANONYMOUS): one
 * object per mmap call, which every area mapping it refers to, in every
 * process that inherited it through fork.  Page i of the object is made
 * (zeroed) by the first fault at that offset in any of them, and every
 * later fault anywhere maps the same page: that is what makes a write in
 * one process visible in the others.  The object holds one reference on
 * each of its pages (struct page, kernel/pmm.c) and each page-table entry
 * mapping one holds another, so a page goes when both its object and its
 * last mapping have.  Lock-free: references and page slots are atomic.
 */
#ifndef KERNEL_VM_OBJECT_H
#define KERNEL_VM_OBJECT_H

#include <stdint.h>

struct vm_object {
    uint64_t refs;              /* [atomic] areas that map it, plus the creator's while it maps it */
    uint64_t page_count;
    uint64_t *pages;            /* [atomic] page_count physical addresses; 0: not made yet */
};

/*
 * A new object of page_count pages (none made yet), with one reference;
 * NULL when out of memory, or when page_count exceeds the pages of RAM
 * (its list of pages, 8 bytes a page, stays a sliver of RAM).
 */
struct vm_object *vm_object_create(uint64_t page_count);

void vm_object_get(struct vm_object *obj);

/* Drop a reference; the last one gives back the object's pages (freed unless still mapped). */
void vm_object_put(struct vm_object *obj);

/* The physical address of page index (< page_count), made zeroed if it is the first use; 0 if out of memory. */
uint64_t vm_object_page(struct vm_object *obj, uint64_t index);

/* Objects alive now (for leak checks). */
uint64_t vm_object_count(void);

#endif
