/* Memory objects: see kernel/include/kernel/vm_object.h. */
#include <kernel/errno.h>
#include <kernel/heap.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/vm_object.h>
#include <lib/string.h>

static uint64_t live_objects;           /* [atomic] */

/* Whether a list of page_count pages is worth trying: at most one entry per page of RAM. */
static bool plausible(uint64_t page_count)
{
    struct pmm_stats ram;
    pmm_get_stats(&ram);
    return page_count <= ram.managed_pages;
}

struct vm_object *vm_object_create(uint64_t page_count)
{
    if (!plausible(page_count))
        return NULL;
    struct vm_object *obj = kzalloc(sizeof *obj);
    if (!obj)
        return NULL;
    obj->pages = page_count ? kzalloc(page_count * sizeof *obj->pages) : NULL;
    if (page_count && !obj->pages) {
        kfree(obj);
        return NULL;
    }
    obj->lock = (struct spinlock)SPINLOCK_INIT("vm_object", LOCK_RANK_VM_OBJECT);
    obj->refs = 1;
    obj->page_count = obj->slots = page_count;
    __atomic_fetch_add(&live_objects, 1, __ATOMIC_RELAXED);
    return obj;
}

struct vm_object *vm_object_of_bytes(const uint8_t *source, uint64_t size)
{
    struct vm_object *obj = vm_object_create(size / PAGE_SIZE + (size % PAGE_SIZE != 0));
    if (obj) {
        obj->source = source;
        obj->source_size = size;
    }
    return obj;
}

void vm_object_get(struct vm_object *obj)
{
    uint64_t before = __atomic_fetch_add(&obj->refs, 1, __ATOMIC_RELAXED);
    KASSERT(before > 0);
}

/* Give back the object's pages from index from on (they are cut off).  obj->lock held, or the object dead. */
static void release_from(struct vm_object *obj, uint64_t from)
{
    for (uint64_t i = from; i < obj->page_count; i++) {
        if (obj->pages[i])
            pmm_page_release(obj->pages[i]);
        obj->pages[i] = 0;
    }
}

void vm_object_put(struct vm_object *obj)
{
    if (__atomic_sub_fetch(&obj->refs, 1, __ATOMIC_ACQ_REL))
        return;
    release_from(obj, 0);
    kfree(obj->pages);
    kfree(obj);
    __atomic_fetch_sub(&live_objects, 1, __ATOMIC_RELAXED);
}

/* Page index's first contents: its source bytes, zeros past them. 0 if out of memory. */
static uint64_t make_page(const struct vm_object *obj, uint64_t index)
{
    uint64_t offset = index * PAGE_SIZE;
    if (!obj->source || offset >= obj->source_size)
        return pmm_alloc_zeroed_page();
    uint64_t pa = pmm_alloc_page(), n = obj->source_size - offset;
    if (pa && n < PAGE_SIZE)
        memset((uint8_t *)phys_to_virt(pa) + n, 0, PAGE_SIZE - n);
    if (pa)
        memcpy(phys_to_virt(pa), obj->source + offset, n < PAGE_SIZE ? n : PAGE_SIZE);
    return pa;
}

/*
 * A page is made under the object's lock: two processes faulting the same
 * new page at once (each under its own address space's lock, not the
 * other's) find one page.
 */
uint64_t vm_object_page(struct vm_object *obj, uint64_t index)
{
    spin_lock(&obj->lock);
    uint64_t pa = 0;
    if (index < obj->page_count) {
        if (!obj->pages[index])
            obj->pages[index] = make_page(obj, index);
        pa = obj->pages[index];
    }
    spin_unlock(&obj->lock);
    return pa;
}

uint64_t vm_object_peek(struct vm_object *obj, uint64_t index)
{
    spin_lock(&obj->lock);
    uint64_t pa = index < obj->page_count ? obj->pages[index] : 0;
    spin_unlock(&obj->lock);
    return pa;
}

/* Room for want entries in the list, doubling: appends cost O(1) a page.  obj->lock held. */
static int make_slots(struct vm_object *obj, uint64_t want)
{
    if (want <= obj->slots)
        return 0;
    uint64_t slots = obj->slots ? obj->slots : 1;
    while (slots < want)
        slots *= 2;
    uint64_t *pages = kzalloc(slots * sizeof *pages);
    if (!pages)
        return -ENOMEM;
    if (obj->page_count)
        memcpy(pages, obj->pages, obj->page_count * sizeof *pages);
    kfree(obj->pages);
    obj->pages = pages;
    obj->slots = slots;
    return 0;
}

/* vm_object_resize, and vm_object_grow (may_shrink false: a shorter page_count changes nothing). */
static int set_length(struct vm_object *obj, uint64_t page_count, bool may_shrink)
{
    if (!plausible(page_count))
        return -ENOMEM;
    spin_lock(&obj->lock);
    if (!may_shrink && page_count < obj->page_count)
        page_count = obj->page_count;
    int err = make_slots(obj, page_count);
    if (!err && page_count < obj->page_count)
        release_from(obj, page_count);
    if (!err)
        obj->page_count = page_count;
    spin_unlock(&obj->lock);
    return err;
}

int vm_object_resize(struct vm_object *obj, uint64_t page_count)
{
    return set_length(obj, page_count, true);
}

int vm_object_grow(struct vm_object *obj, uint64_t page_count)
{
    return set_length(obj, page_count, false);
}

uint64_t vm_object_count(void)
{
    return __atomic_load_n(&live_objects, __ATOMIC_RELAXED);
}
