/* The pages of a shared mapping: see kernel/include/kernel/vm_object.h. */
#include <kernel/heap.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/vm_object.h>

static uint64_t live_objects;           /* [atomic] */

struct vm_object *vm_object_create(uint64_t page_count)
{
    struct pmm_stats ram;
    pmm_get_stats(&ram);
    if (page_count > ram.managed_pages)
        return NULL;            /* it could never be filled; and its page list stays a sliver of RAM */
    struct vm_object *obj = kzalloc(sizeof *obj);
    if (!obj)
        return NULL;
    obj->pages = kzalloc(page_count * sizeof *obj->pages);
    if (!obj->pages) {
        kfree(obj);
        return NULL;
    }
    obj->refs = 1;
    obj->page_count = page_count;
    __atomic_fetch_add(&live_objects, 1, __ATOMIC_RELAXED);
    return obj;
}

void vm_object_get(struct vm_object *obj)
{
    uint64_t before = __atomic_fetch_add(&obj->refs, 1, __ATOMIC_RELAXED);
    KASSERT(before > 0);
}

void vm_object_put(struct vm_object *obj)
{
    if (__atomic_sub_fetch(&obj->refs, 1, __ATOMIC_ACQ_REL))
        return;
    for (uint64_t i = 0; i < obj->page_count; i++)
        if (obj->pages[i])
            pmm_page_release(obj->pages[i]);
    kfree(obj->pages);
    kfree(obj);
    __atomic_fetch_sub(&live_objects, 1, __ATOMIC_RELAXED);
}

/*
 * Two processes faulting the same new page at once (each under its own
 * address space's lock, not the other's) both make one; the first stored
 * wins and the other gives its page back.
 */
uint64_t vm_object_page(struct vm_object *obj, uint64_t index)
{
    KASSERT(index < obj->page_count);
    uint64_t pa = __atomic_load_n(&obj->pages[index], __ATOMIC_ACQUIRE);
    if (pa)
        return pa;
    uint64_t fresh = pmm_alloc_zeroed_page();
    if (!fresh)
        return 0;
    uint64_t empty = 0;
    if (__atomic_compare_exchange_n(&obj->pages[index], &empty, fresh, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        return fresh;
    pmm_free_page(fresh);
    return empty;               /* the other's */
}

uint64_t vm_object_count(void)
{
    return __atomic_load_n(&live_objects, __ATOMIC_RELAXED);
}
