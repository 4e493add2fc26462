/*
 * A memory object: a list of pages that several mappings share.  Two
 * kinds use it:
 *   - a shared anonymous mapping (mmap MAP_SHARED | MAP_ANONYMOUS): one
 *     object per mmap call, of a fixed size, which every area mapping it
 *     refers to, in every process that inherited it through fork;
 *   - a file of the RAM file system (kernel/fs.c): its contents, which
 *     read and write copy and mmap maps; it grows and shrinks with the
 *     file (vm_object_resize).
 * Page i is made (zeroed) by its first use, by a fault at that offset in
 * any process or by a write, and every later use anywhere finds the same
 * page: that is what makes a write in one process visible in the others
 * and to read.  The object holds one reference on each of its pages
 * (struct page, kernel/pmm.c) and each page-table entry mapping one holds
 * another, so a page goes when both its object and its last mapping have.
 */
#ifndef KERNEL_VM_OBJECT_H
#define KERNEL_VM_OBJECT_H

#include <kernel/spinlock.h>
#include <stdint.h>

struct vm_object {
    uint64_t refs;              /* [atomic] areas that map it, plus its owner's (mmap's, or the file's) */
    bool anonymous;             /* mmap(MAP_SHARED | MAP_ANONYMOUS)'s: mremap may make it longer */
    struct spinlock lock;       /* protects page_count, slots and pages (the list, and its entries) */
    uint64_t page_count;        /* pages in use: index page_count and above is past the end */
    uint64_t slots;             /* room in pages: page_count <= slots */
    uint64_t *pages;            /* physical addresses; 0: not made yet (reads as zeros) */
    /*
     * Bytes a page starts with when it is made (NULL: zeros): a program
     * of the initrd mapped from where GRUB left it; past source_size, zeros.
     */
    const uint8_t *source;
    uint64_t source_size;
};

/*
 * A new object of page_count pages (none made yet), with one reference;
 * NULL when out of memory, or when page_count exceeds the pages of RAM
 * (its list of pages, 8 bytes a page, stays a sliver of RAM).
 */
struct vm_object *vm_object_create(uint64_t page_count);

/* An object of the pages that hold size bytes copied from source (read-only bytes that never change). */
struct vm_object *vm_object_of_bytes(const uint8_t *source, uint64_t size);

void vm_object_get(struct vm_object *obj);

/* Drop a reference; the last one gives back the object's pages (freed unless still mapped). */
void vm_object_put(struct vm_object *obj);

/*
 * The physical address of page index, made (zeroed, or from the source
 * bytes) if it is the first use; 0 if index is past the end or memory is out.  The page stays while
 * the caller holds the object and the page is not cut off (a mapping
 * takes a reference of its own with pmm_page_share before letting go).
 */
uint64_t vm_object_page(struct vm_object *obj, uint64_t index);

/* Page index if it was made, else 0 (a hole, or past the end): nothing is made. */
uint64_t vm_object_peek(struct vm_object *obj, uint64_t index);

/*
 * Make the object page_count pages long: 0, or -ENOMEM (then nothing
 * changed).  Pages cut off lose the object's reference (a mapping that
 * still maps one keeps it: it no longer belongs to the object).
 */
int vm_object_resize(struct vm_object *obj, uint64_t page_count);

/* Make the object at least page_count pages long (never shorter): 0, or -ENOMEM. */
int vm_object_grow(struct vm_object *obj, uint64_t page_count);

/* Objects alive now (for leak checks). */
uint64_t vm_object_count(void);

#endif
