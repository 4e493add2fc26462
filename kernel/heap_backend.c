/* Where the kernel heap's memory comes from: single pages by the direct map, runs from kvmap. */
#include <kernel/heap.h>
#include <kernel/kvmap.h>
#include <kernel/mm.h>

void *heap_backend_page_alloc(void)
{
    uint64_t pa = pmm_alloc_page();
    return pa ? phys_to_virt(pa) : NULL;
}

void heap_backend_page_free(void *page)
{
    pmm_free_page(virt_to_phys(page));
}

void *heap_backend_range_alloc(size_t pages)
{
    return kvmap_alloc(pages);
}

void heap_backend_range_free(void *start, size_t pages)
{
    kvmap_free(start, pages);
}
