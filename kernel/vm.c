/*
 * User address spaces: areas, demand-zero pages, fork copies, and the
 * user-copy helpers.  See kernel/include/kernel/vm.h.
 *
 * TLB: a page unmapped or restricted is flushed from the TLB alone
 * (mmu_flush_page: INVLPG, or INVPCID for a space that is not active),
 * never the whole TLB.
 *
 * PROT_NONE: x86 pages are readable whenever present, so the pages of an
 * area without access keep their frames behind entries that are not
 * present (MMU_NOACCESS); they are copied, freed and given back like any
 * other, and every user access to them faults.
 */
#include <arch/mmu.h>
#include <kernel/errno.h>
#include <kernel/heap.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/vm.h>
#include <lib/string.h>

static uint64_t page_down(uint64_t a) { return a & ~(uint64_t)(PAGE_SIZE - 1); }
static uint64_t page_up(uint64_t a)   { return page_down(a + PAGE_SIZE - 1); }

/* PROT_NONE (prot 0) keeps its pages but lets no access through: MMU_NOACCESS. */
static unsigned mmu_flags(unsigned prot)
{
    if (!prot)
        return MMU_USER | MMU_NOACCESS;
    return MMU_USER | ((prot & VM_WRITE) ? MMU_WRITE : 0) | ((prot & VM_EXEC) ? MMU_EXEC : 0);
}


static void copy_cache_clear(struct vm *vm)
{
    memset(vm->copy_cache, 0, sizeof vm->copy_cache);
}

static struct vm_area *area_of(struct list_node *n)
{
    return container_of(n, struct vm_area, link);
}

/* The area containing addr, or NULL. */
static struct vm_area *find_area(struct vm *vm, uint64_t addr)
{
    list_for_each(pos, &vm->areas) {
        struct vm_area *a = area_of(pos);
        if (addr < a->start)
            return NULL;
        if (addr < a->end)
            return a;
    }
    return NULL;
}

struct vm *vm_create(void)
{
    struct vm *vm = kzalloc(sizeof *vm);
    if (!vm)
        return NULL;
    list_init(&vm->areas);
    vm->space.root = mmu_new_root();
    if (!vm->space.root) {
        kfree(vm);
        return NULL;
    }
    return vm;
}

/* A page already unmapped by the walk: flush it (unless the space is dying) and free it. */
static void free_page_cb(void *ctx, uint64_t va, uint64_t pa, unsigned flags)
{
    struct vm *vm = ctx;
    (void)flags;
    if (!vm->dying)             /* a dead space is never activated again with these entries */
        mmu_flush_page(&vm->space, va);
    pmm_free_page(pa);
    vm->resident_pages--;
}

void vm_destroy(struct vm *vm)
{
    if (mmu_active_root() == vm->space.root)
        mmu_activate_kernel();          /* never free the tables the CPU is using */
    vm->dying = true;
    list_for_each_safe(pos, tmp, &vm->areas) {
        list_remove(pos);
        kfree(area_of(pos));
    }
    mmu_free_root(vm->space.root, free_page_cb, vm);
    kfree(vm);
}

bool vm_activate(struct vm *vm)
{
    return mmu_activate(&vm->space);
}

int vm_add_area(struct vm *vm, uint64_t start, uint64_t end, unsigned prot)
{
    if (start >= end || (start | end) & (PAGE_SIZE - 1) || start < USER_MIN || end > TASK_SIZE)
        return -EINVAL;
    struct list_node *pos = vm->areas.next;
    for (; pos != &vm->areas; pos = pos->next) {
        struct vm_area *a = area_of(pos);
        if (a->end > start && a->start < end)
            return -EINVAL;
        if (a->start >= end)
            break;
    }
    struct vm_area *n = kmalloc(sizeof *n);
    if (!n)
        return -ENOMEM;
    *n = (struct vm_area){ .start = start, .end = end, .prot = prot };     /* nothing touched yet */
    list_insert_before(pos, &n->link);
    return 0;
}

/* If addr falls strictly inside an area, cut it in two there. 0 or -ENOMEM. */
static int split_at(struct vm *vm, uint64_t addr)
{
    struct vm_area *a = find_area(vm, addr);
    if (!a || a->start == addr)
        return 0;
    struct vm_area *tail = kmalloc(sizeof *tail);
    if (!tail)
        return -ENOMEM;
    *tail = (struct vm_area){ .start = addr, .end = a->end, .prot = a->prot };
    a->end = addr;
    if (a->touched_hi > addr) {         /* each part keeps the touched pages that lie in it */
        tail->touched_lo = a->touched_lo > addr ? a->touched_lo : addr;
        tail->touched_hi = a->touched_hi;
        a->touched_hi = addr;
        if (a->touched_lo >= addr)
            a->touched_lo = a->touched_hi = 0;
    }
    list_insert_between(&tail->link, &a->link, a->link.next);
    return 0;
}

/* Walk the pages of area a that were ever populated (all of them live in that range). */
static void for_touched_pages(struct vm *vm, struct vm_area *a, bool unmap, mmu_page_fn fn, void *ctx)
{
    if (a->touched_lo < a->touched_hi)
        mmu_for_each_page(vm->space.root, a->touched_lo, a->touched_hi, unmap, fn, ctx);
}

int vm_remove_range(struct vm *vm, uint64_t start, uint64_t end)
{
    copy_cache_clear(vm);
    int err = split_at(vm, start);
    if (!err)
        err = split_at(vm, end);
    if (err)
        return err;
    list_for_each_safe(pos, tmp, &vm->areas) {
        struct vm_area *a = area_of(pos);
        if (a->start >= start && a->end <= end) {
            for_touched_pages(vm, a, true, free_page_cb, vm);
            list_remove(pos);
            kfree(a);
        }
    }
    return 0;
}

struct protect_ctx { struct vm *vm; unsigned flags; };

static void protect_page_cb(void *ctx, uint64_t va, uint64_t pa, unsigned flags)
{
    struct protect_ctx *c = ctx;
    (void)pa, (void)flags;
    mmu_protect(c->vm->space.root, va, c->flags);
    mmu_flush_page(&c->vm->space, va);
}

/* True if areas cover [start, end) without a gap. */
static bool fully_mapped(struct vm *vm, uint64_t start, uint64_t end)
{
    while (start < end) {
        struct vm_area *a = find_area(vm, start);
        if (!a)
            return false;
        start = a->end;
    }
    return true;
}

int vm_protect_range(struct vm *vm, uint64_t start, uint64_t end, unsigned prot)
{
    copy_cache_clear(vm);
    if (!fully_mapped(vm, start, end))
        return -ENOMEM;
    int err = split_at(vm, start);
    if (!err)
        err = split_at(vm, end);
    if (err)
        return err;
    struct protect_ctx c = { vm, mmu_flags(prot) };
    list_for_each(pos, &vm->areas) {
        struct vm_area *a = area_of(pos);
        if (a->start >= start && a->end <= end) {
            a->prot = prot;
            for_touched_pages(vm, a, false, protect_page_cb, &c);
        }
    }
    return 0;
}

uint64_t vm_find_gap(struct vm *vm, uint64_t len)
{
    uint64_t candidate = MMAP_BASE;
    list_for_each(pos, &vm->areas) {
        struct vm_area *a = area_of(pos);
        if (a->end <= candidate)
            continue;
        if (a->start >= candidate + len)
            break;
        candidate = a->end;
    }
    return candidate + len <= MMAP_LIMIT && candidate + len > candidate ? candidate : 0;
}

uint64_t vm_set_brk(struct vm *vm, uint64_t new_brk)
{
    if (new_brk < vm->brk_start || new_brk >= MMAP_BASE)
        return vm->brk;
    uint64_t old_end = page_up(vm->brk), new_end = page_up(new_brk);
    if (new_end > old_end) {
        struct vm_area *heap = old_end > vm->brk_start ? find_area(vm, vm->brk_start) : NULL;
        struct vm_area *next = heap && heap->link.next != &vm->areas ? area_of(heap->link.next) : NULL;
        if (heap && (!next || next->start >= new_end))
            heap->end = new_end;
        else if (heap || vm_add_area(vm, old_end, new_end, VM_READ | VM_WRITE) != 0)
            return vm->brk;
    } else if (new_end < old_end && vm_remove_range(vm, new_end, old_end) != 0) {
        return vm->brk;
    }
    vm->brk = new_brk;
    return new_brk;
}

/* Allocate and map a zeroed page at the page-aligned va of area a. */
static int populate(struct vm *vm, struct vm_area *a, uint64_t va)
{
    uint64_t pa = pmm_alloc_zeroed_page();
    if (!pa)
        return -ENOMEM;
    int err = mmu_map(vm->space.root, va, pa, mmu_flags(a->prot));
    if (err) {
        pmm_free_page(pa);
        return err;
    }
    vm->resident_pages++;
    if (a->touched_lo == a->touched_hi) {
        a->touched_lo = va;
        a->touched_hi = va + PAGE_SIZE;
    } else if (va < a->touched_lo) {
        a->touched_lo = va;
    } else if (va + PAGE_SIZE > a->touched_hi) {
        a->touched_hi = va + PAGE_SIZE;
    }
    return 0;
}

int vm_fault(struct vm *vm, uint64_t addr, unsigned access)
{
    struct vm_area *a = find_area(vm, addr);
    if (!a || (a->prot & access) != access)
        return -EFAULT;
    uint64_t pa;
    unsigned flags;
    if (mmu_translate(vm->space.root, page_down(addr), &pa, &flags)) {
        KASSERT(!(flags & MMU_NOACCESS));               /* mprotect keeps every page as its area says */
        mmu_flush_page(&vm->space, page_down(addr));    /* a stale entry from before an mprotect */
        return 0;
    }
    return populate(vm, a, page_down(addr)) == 0 ? 0 : -EFAULT;
}

/*
 * The kernel address of user address va, faulting its page in for access.
 * With force, only the area's existence counts (the ELF loader).
 */
static struct copy_cache_entry *copy_cache_slot(struct vm *vm, uint64_t page)
{
    return &vm->copy_cache[(page >> PAGE_SHIFT) % COPY_CACHE_SLOTS];
}

static void *user_page(struct vm *vm, uint64_t va, unsigned access, bool force)
{
    uint64_t page = page_down(va), offset = va & (PAGE_SIZE - 1);
    struct copy_cache_entry *c = copy_cache_slot(vm, page);
    if (c->kaddr && c->page == page && (access != VM_WRITE || c->writable))
        return c->kaddr + offset;
    struct vm_area *a = find_area(vm, va);
    if (!a || (!force && (a->prot & access) != access))
        return NULL;
    uint64_t pa;
    unsigned flags;
    if (!mmu_translate(vm->space.root, page, &pa, &flags)) {
        if (populate(vm, a, page) != 0 || !mmu_translate(vm->space.root, page, &pa, &flags))
            return NULL;
    }
    if (a->prot & VM_READ)      /* only what a user could reach is remembered (not forced writes) */
        *c = (struct copy_cache_entry){ page, phys_to_virt(pa), (a->prot & VM_WRITE) != 0 };
    return (char *)phys_to_virt(pa) + offset;
}

static bool user_range_ok(uint64_t va, size_t n)
{
    return va + n >= va && va + n <= TASK_SIZE;
}

/*
 * Copy n bytes between the kernel buffer kbuf and user address va of vm,
 * page by page through the direct map: out (to user memory) or in.
 */
static int vm_copy(struct vm *vm, uint64_t va, void *kbuf, size_t n, bool out, bool force)
{
    if (!vm || !user_range_ok(va, n))
        return -EFAULT;
    char *k = kbuf;
    while (n) {
        size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        if (chunk > n)
            chunk = n;
        char *u = user_page(vm, va, out ? VM_WRITE : VM_READ, force);
        if (!u)
            return -EFAULT;
        if (out)
            memcpy(u, k, chunk);
        else
            memcpy(k, u, chunk);
        va += chunk, k += chunk, n -= chunk;
    }
    return 0;
}

int vm_copy_out(struct vm *vm, uint64_t va, const void *src, size_t n, bool force)
{
    return vm_copy(vm, va, (void *)src, n, true, force);
}

int vm_copy_in(struct vm *vm, void *dst, uint64_t va, size_t n)
{
    return vm_copy(vm, va, dst, n, false, false);
}

int copy_to_user(uint64_t udst, const void *src, size_t n)
{
    return vm_copy_out(proc_current()->vm, udst, src, n, false);
}

int copy_from_user(void *dst, uint64_t usrc, size_t n)
{
    return vm_copy_in(proc_current()->vm, dst, usrc, n);
}

long copy_string_from_user(char *dst, uint64_t usrc, size_t max)
{
    struct vm *vm = proc_current()->vm;
    size_t done = 0;
    while (done < max) {
        uint64_t va = usrc + done;
        if (!vm || !user_range_ok(va, 1))
            return -EFAULT;
        size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        if (chunk > max - done)
            chunk = max - done;
        const char *k = user_page(vm, va, VM_READ, false);
        if (!k)
            return -EFAULT;
        const char *nul = memchr(k, 0, chunk);
        size_t take = nul ? (size_t)(nul - k) + 1 : chunk;
        memcpy(dst + done, k, take);
        done += take;
        if (nul)
            return (long)done - 1;
    }
    return -ENAMETOOLONG;
}

struct clone_ctx { struct vm *dst; int err; };

static void clone_page_cb(void *ctx, uint64_t va, uint64_t pa, unsigned flags)
{
    struct clone_ctx *c = ctx;
    if (c->err)
        return;
    uint64_t copy = pmm_alloc_page();
    if (!copy) {
        c->err = -ENOMEM;
        return;
    }
    memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
    c->err = mmu_map(c->dst->space.root, va, copy, flags);
    if (c->err)
        pmm_free_page(copy);
    else
        c->dst->resident_pages++;
}

struct vm *vm_clone(struct vm *src)
{
    struct vm *dst = vm_create();
    if (!dst)
        return NULL;
    dst->brk_start = src->brk_start;
    dst->brk = src->brk;
    struct clone_ctx c = { dst, 0 };
    list_for_each(pos, &src->areas) {
        struct vm_area *a = area_of(pos);
        if (vm_add_area(dst, a->start, a->end, a->prot) != 0) {
            vm_destroy(dst);
            return NULL;
        }
        struct vm_area *copy = area_of(dst->areas.prev);     /* areas come in order: it is the last */
        copy->touched_lo = a->touched_lo;
        copy->touched_hi = a->touched_hi;
        for_touched_pages(src, a, false, clone_page_cb, &c);
        if (c.err) {
            vm_destroy(dst);
            return NULL;
        }
    }
    return dst;
}
