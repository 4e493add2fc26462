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
 * present (MMU_NOACCESS); they are shared, freed and given back like any
 * other, and every user access to them faults.
 *
 * LAB cow BEGIN (docs/labs/cow.md)
 * Copy-on-write: fork shares every resident page between the two spaces
 * (a reference per space: struct page, kernel/pmm.c), read-only and marked
 * MMU_COW in both; the parent's entries that lost their write permission
 * are shot down once, on every CPU its threads may hold them, before the
 * parent's lock is let go.  A write to such a page (a fault, or a system
 * call writing user memory) copies it, or takes it back writable when no
 * other space maps it any more (break_cow).  Page tables are still copied.
 * LAB cow END
 * LAB cow STUB
 * Fork copies every resident page of a private area (copy_pages).  Shared
 * mappings keep their pages (a reference per space: struct page,
 * kernel/pmm.c), and a private mapping of a file maps the file's pages
 * read-only and MMU_COW until the first write copies them (break_cow).
 * LAB cow STUB END
 */
#include <arch/mmu.h>
#include <arch/uaccess.h>
#include <kernel/errno.h>
#include <kernel/futex.h>
#include <kernel/heap.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/vm.h>
#include <lib/string.h>

static uint64_t page_down(uint64_t a) { return a & ~(uint64_t)(PAGE_SIZE - 1); }
static uint64_t page_up(uint64_t a)   { return page_down(a + PAGE_SIZE - 1); }
static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* A cut [start, end) splits at most the two areas its ends fall inside. */
#define CUT_SPLITS_MAX 2

/* PROT_NONE (prot 0) keeps its pages but lets no access through: MMU_NOACCESS. */
static unsigned mmu_flags(unsigned prot)
{
    if (!prot)
        return MMU_USER | MMU_NOACCESS;
    return MMU_USER | ((prot & VM_WRITE) ? MMU_WRITE : 0) | ((prot & VM_EXEC) ? MMU_EXEC : 0);
}

/* Copy-on-write counters, all address spaces ([atomic]). */
static struct vm_cow_stats cow_stats;

#define COW_COUNT(field) __atomic_fetch_add(&cow_stats.field, 1, __ATOMIC_RELAXED)

void vm_get_cow_stats(struct vm_cow_stats *out)
{
    out->pages_shared = __atomic_load_n(&cow_stats.pages_shared, __ATOMIC_RELAXED);
    out->faults = __atomic_load_n(&cow_stats.faults, __ATOMIC_RELAXED);
    out->pages_copied = __atomic_load_n(&cow_stats.pages_copied, __ATOMIC_RELAXED);
    out->pages_reused = __atomic_load_n(&cow_stats.pages_reused, __ATOMIC_RELAXED);
}

static void copy_cache_clear(struct vm *vm)
{
    memset(vm->copy_cache, 0, sizeof vm->copy_cache);
}

/* ---- the tree of areas ---- */

static struct vm_area *area_of(const struct avl_node *n)
{
    return n ? container_of(n, struct vm_area, node) : NULL;
}

static struct vm_area *area_next(const struct vm_area *a)
{
    return area_of(avl_next(&a->node));
}

/* The tree's augment callback: a's subtree summary (sub_lo, sub_hi, sub_gap) from its children's. */
static void area_augment(struct avl_node *n)
{
    struct vm_area *a = area_of(n), *l = area_of(n->left), *r = area_of(n->right);
    uint64_t gap = 0;
    a->sub_lo = l ? l->sub_lo : a->start;
    a->sub_hi = r ? r->sub_hi : a->end;
    if (l)
        gap = max_u64(l->sub_gap, a->start - l->sub_hi);
    if (r)
        gap = max_u64(gap, max_u64(r->sub_gap, r->sub_lo - a->end));
    a->sub_gap = gap;
}

static bool addr_before(const void *addr, const struct avl_node *n)
{
    return *(const uint64_t *)addr < area_of(n)->start;
}

/* The last area starting at or below addr, or NULL. O(log n). */
static struct vm_area *area_floor(struct vm *vm, uint64_t addr)
{
    return area_of(avl_find_last(&vm->areas, &addr, addr_before));
}

/* The area containing addr, or NULL. */
static struct vm_area *find_area(struct vm *vm, uint64_t addr)
{
    struct vm_area *a = area_floor(vm, addr);
    return a && addr < a->end ? a : NULL;
}

/* The first area that ends above addr (the one containing it, or the next), or NULL. */
static struct vm_area *area_from(struct vm *vm, uint64_t addr)
{
    struct vm_area *a = area_floor(vm, addr);
    if (a && addr < a->end)
        return a;
    return a ? area_next(a) : area_of(avl_first(&vm->areas));
}

/*
 * A new area, not yet in a tree, with nothing touched, mapping obj from
 * its page first_page (obj NULL: private); it takes a reference on obj.
 * NULL when out of memory.
 */
static struct vm_area *area_new(uint64_t start, uint64_t end, unsigned prot, struct vm_object *obj,
                                uint64_t first_page)
{
    struct vm_area *a = kmalloc(sizeof *a);
    if (!a)
        return NULL;
    *a = (struct vm_area){ .start = start, .end = end, .prot = prot, .obj = obj, .first_page = first_page };
    if (obj)
        vm_object_get(obj);
    return a;
}

/* The object page that backs va in a, a shared area; the part of a from va on starts there. */
static uint64_t object_page_at(const struct vm_area *a, uint64_t va)
{
    return a->first_page + (va - a->start) / PAGE_SIZE;
}

/* Free an area out of any tree, and its reference on its object. */
static void area_free(struct vm_area *a)
{
    if (a->obj)
        vm_object_put(a->obj);
    kfree(a);
}

/*
 * Put a into vm's tree right after prev (NULL: first): the caller knows that
 * is its place.  Every area comes in here (add_area, split_at, clone_area),
 * its obj and private_obj set: the place to note a shared one.
 */
static void area_link(struct vm *vm, struct vm_area *prev, struct vm_area *a)
{
    avl_insert_after(&vm->areas, prev ? &prev->node : NULL, &a->node);
    vm->area_count++;
    if (a->obj && !a->private_obj)
        __atomic_store_n(&vm->has_shared_areas, true, __ATOMIC_RELAXED);
}

static void area_delete(struct vm *vm, struct vm_area *a)
{
    avl_remove(&vm->areas, &a->node);
    vm->area_count--;
    area_free(a);
}

/* ---- long walks ---- */

/*
 * True if no other thread can use vm while this one gives up the CPU in
 * the middle of a walk over its pages: vm is being destroyed, or it is the
 * running process's and that has only this thread (only its own threads
 * could make another).
 */
static bool vm_private(struct vm *vm)
{
    if (vm->dying)
        return true;
    struct process *p = proc_current();
    return p->vm == vm && proc_single_threaded(p);
}

/*
 * A preemption point in a long walk over vm (sched_preempt_point): true if
 * the thread gave up the CPU; then other threads of the process may have
 * changed the areas, and the caller finds its place again by address.  A
 * dying vm, which the switch back made active again, is left again.
 */
static bool vm_preempt_point(struct vm *vm)
{
    if (!sched_should_yield())
        return false;
    bool locked = spin_held(&vm->lock);         /* the calls on areas hold it; exit does not */
    if (locked)
        spin_unlock(&vm->lock);
    bool yielded = sched_preempt_point();
    if (locked)
        spin_lock(&vm->lock);
    if (!yielded)
        return false;
    if (vm->dying)              /* the switch back made it active again here, or left it lazily elsewhere */
        mmu_leave_everywhere(&vm->space);
    return true;
}

/*
 * Pages unmapped but not yet freed: other CPUs may still hold TLB entries
 * for them until the shootdown.  A removal gathers up to GATHER_PAGES,
 * then shoots the range down once for all of them and frees them, with
 * vm->lock still held: so nobody maps the addresses again before every
 * CPU has dropped its old entries (a new page written through a stale
 * entry would land in the freed one).
 */
#define GATHER_PAGES 256        /* 2 KiB of kernel stack; a shootdown per 1 MiB unmapped at most */
struct page_gather {
    uint64_t pa[GATHER_PAGES];
    unsigned n;
    uint64_t lo, hi;            /* the addresses they were mapped at lie in [lo, hi) */
};

/* What the page callbacks of a walk over vm's page tables need. */
struct page_walk {
    struct vm *vm;
    bool may_yield;             /* vm_private(vm): the walk may give up the CPU between pages */
    unsigned flags;             /* protect: the new MMU flags */
    bool changed;               /* protect: an entry changed (other CPUs must hear of it) */
    struct page_gather *gather; /* remove: where unmapped pages wait */
    bool full;                  /* remove: the gather filled up; the walk left the rest mapped */
    struct vm *dst;             /* clone: the copy */
    int err;                    /* clone: the first failure */
    /* LAB cow BEGIN */
    uint64_t cow_lo, cow_hi;    /* clone: the source's pages made read-only lie in [cow_lo, cow_hi) */
    uint64_t cow_shared;        /* clone: pages shared copy-on-write */
    /* LAB cow END */
    bool shared;                /* clone: the area being copied is a shared mapping */
    unsigned pages_done;        /* pages seen: the walk looks whether to yield every YIELD_CHECK_PAGES */
};

/* Pages between two looks at whether to give up the CPU: a look costs more than a page's own work. */
#define YIELD_CHECK_PAGES 32

/* What a copy or release of pages does between two looks: a leaf table's worth. */
#define WALK_STEP LARGE_PAGE_SIZE

/* The end of every page callback: a preemption point if no other thread can see the walk. */
static void page_done(struct page_walk *w)
{
    if (w->may_yield && ++w->pages_done % YIELD_CHECK_PAGES == 0)
        vm_preempt_point(w->vm);
}

/* Walk the pages of area a that were ever populated (all of them live in that range). */
static void for_touched_pages(struct vm_area *a, mmu_page_fn fn, struct page_walk *w)
{
    if (a->touched_lo < a->touched_hi)
        mmu_for_each_page(w->vm->space.root, a->touched_lo, a->touched_hi, fn, w);
}

/* A page to remove: unmap it and gather it, unless the gather is full (then leave it for the next round). */
static void gather_page_cb(void *ctx, uint64_t va, uint64_t pa, unsigned flags)
{
    struct page_walk *w = ctx;
    struct page_gather *g = w->gather;
    (void)flags;
    if (g->n == GATHER_PAGES) {
        w->full = true;
        return;
    }
    mmu_unmap(w->vm->space.root, va);
    /* LAB shootdown STUB
    mmu_shootdown(&w->vm->space, va, va + PAGE_SIZE);   // lab shootdown: an IPI round for every page
       LAB shootdown STUB END */
    g->lo = g->n ? min_u64(g->lo, va) : va;
    g->hi = g->n ? max_u64(g->hi, va + PAGE_SIZE) : va + PAGE_SIZE;
    g->pa[g->n++] = pa;
    w->vm->resident_pages--;
}

/* vm holds pages more user pages now; keep its peak.  vm->lock held, or vm is being made. */
static void add_resident(struct vm *vm, uint64_t pages)
{
    vm->resident_pages += pages;
    if (vm->resident_pages > vm->peak_resident_pages)
        __atomic_store_n(&vm->peak_resident_pages, vm->resident_pages, __ATOMIC_RELAXED);  /* read unlocked */
}

uint64_t vm_peak_resident(struct vm *vm)
{
    return __atomic_load_n(&vm->peak_resident_pages, __ATOMIC_RELAXED);
}

/* Shoot the gathered pages' range down on every CPU holding vm, then free them.  vm->lock held. */
static void free_gathered(struct vm *vm, struct page_gather *g)
{
    spin_assert_held(&vm->lock);
    /* LAB shootdown BEGIN */
    mmu_shootdown(&vm->space, g->lo, g->hi);    /* one request for the whole batch: an IPI per CPU, not per page */
    /* LAB shootdown END */
    for (unsigned i = 0; i < g->n; i++)
        pmm_page_release(g->pa[i]);
    g->n = 0;
}

/* The flags a shared (copy-on-write) page gets for an area whose pages get flags: never writable. */
static unsigned cow_flags(unsigned flags)
{
    return (flags & ~MMU_WRITE) | MMU_COW;
}

static void protect_page_cb(void *ctx, uint64_t va, uint64_t pa, unsigned flags)
{
    struct page_walk *w = ctx;
    (void)pa;
    mmu_protect(w->vm->space.root, va, (flags & MMU_COW) ? cow_flags(w->flags) : w->flags);
    w->changed = true;          /* flushed here and elsewhere by the shootdown after the walk */
    page_done(w);
}

/* ---- whole address spaces ---- */

struct vm *vm_create(void)
{
    struct vm *vm = kzalloc(sizeof *vm);
    if (!vm)
        return NULL;
    avl_init(&vm->areas, area_augment);
    vm->lock = (struct spinlock)SPINLOCK_INIT("vm", LOCK_RANK_VM);
    vm->space.root = mmu_new_root();
    if (!vm->space.root) {
        kfree(vm);
        return NULL;
    }
    return vm;
}

/* mmu_free_root's pause: a preemption point in the free of a dying space. */
static void destroy_pause(void *vm)
{
    vm_preempt_point(vm);
}

void vm_for_each_area(struct vm *vm, void (*fn)(void *arg, const struct vm_area *a), void *arg)
{
    spin_lock(&vm->lock);
    for (struct vm_area *a = area_of(avl_first(&vm->areas)); a; a = area_next(a))
        fn(arg, a);
    spin_unlock(&vm->lock);
}

void vm_destroy(struct vm *vm)
{
    mmu_leave_everywhere(&vm->space);   /* never free the tables a CPU is using, even lazily */
    vm->dying = true;
    struct avl_node *next;
    for (struct avl_node *n = avl_first_postorder(&vm->areas); n; n = next) {
        next = avl_next_postorder(n);
        area_free(area_of(n));
        vm_preempt_point(vm);
    }
    mmu_leave_everywhere(&vm->space);   /* again: the preemption points above may have made it active */
    vm->resident_pages -= mmu_free_root(vm->space.root, destroy_pause, vm);
    kfree(vm);
}

bool vm_activate(struct vm *vm)
{
    return mmu_activate(&vm->space);
}

/* ---- areas ---- */

static bool range_ok(uint64_t start, uint64_t end)
{
    return start < end && !((start | end) & (PAGE_SIZE - 1)) && start >= USER_MIN && end <= TASK_SIZE;
}

/* vm_add_area, for a private anonymous area (b NULL) or one mapping b; vm->lock held. */
static int add_area(struct vm *vm, uint64_t start, uint64_t end, unsigned prot, const struct vm_backing *b)
{
    spin_assert_held(&vm->lock);
    if (!range_ok(start, end))
        return -EINVAL;
    struct vm_area *prev = area_floor(vm, start);
    struct vm_area *next = prev ? area_next(prev) : area_of(avl_first(&vm->areas));
    if ((prev && prev->end > start) || (next && next->start < end))
        return -EINVAL;
    if (vm->area_count >= VM_MAX_AREAS)
        return -ENOMEM;
    struct vm_area *a = area_new(start, end, prot, b ? b->obj : NULL, b ? b->first_page : 0);
    if (!a)
        return -ENOMEM;
    a->private_obj = b && b->private_copy;
    a->never_writable = b && b->never_writable;
    area_link(vm, prev, a);
    return 0;
}

/* True if addr falls strictly inside an area (a cut there splits it). */
static bool splits_at(struct vm *vm, uint64_t addr)
{
    struct vm_area *a = find_area(vm, addr);
    return a && a->start < addr;
}

/*
 * May [start, end) be cut out of vm's areas (removing: the parts inside
 * go), and then adding areas added?  Only if the vm then holds at most
 * VM_MAX_AREAS: 0 or -ENOMEM.  The areas removed are counted only up to
 * one more than the splits can add: past that the count falls anyway.
 */
static int check_cut(struct vm *vm, uint64_t start, uint64_t end, bool removing, int adding)
{
    int64_t growth = adding + splits_at(vm, start) + splits_at(vm, end);
    if (removing) {
        int removed = 0;
        for (struct vm_area *a = area_from(vm, start); a && a->start < end && removed <= CUT_SPLITS_MAX;
             a = area_next(a))
            removed++;
        growth -= removed;
    }
    return (int64_t)vm->area_count + growth > VM_MAX_AREAS ? -ENOMEM : 0;
}

/* If addr falls strictly inside an area, cut it in two there. 0 or -ENOMEM. */
static int split_at(struct vm *vm, uint64_t addr)
{
    struct vm_area *a = find_area(vm, addr);
    if (!a || a->start == addr)
        return 0;
    struct vm_area *tail = area_new(addr, a->end, a->prot, a->obj, a->obj ? object_page_at(a, addr) : 0);
    if (!tail)
        return -ENOMEM;
    tail->private_obj = a->private_obj;
    tail->never_writable = a->never_writable;
    if (a->touched_hi > addr) {         /* each part keeps the touched pages that lie in it */
        tail->touched_lo = max_u64(a->touched_lo, addr);
        tail->touched_hi = a->touched_hi;
        a->touched_hi = addr;
        if (a->touched_lo >= addr)
            a->touched_lo = a->touched_hi = 0;
    }
    a->end = addr;
    avl_changed(&vm->areas, &a->node);
    area_link(vm, a, tail);
    return 0;
}

/* Cut the areas at start and end, once the limit allows it. 0 or -ENOMEM. */
static int cut_at(struct vm *vm, uint64_t start, uint64_t end, bool removing)
{
    copy_cache_clear(vm);
    int err = check_cut(vm, start, end, removing, 0);
    if (!err)
        err = split_at(vm, start);
    if (!err)
        err = split_at(vm, end);
    return err;
}

/*
 * Remove the areas of [start, end), which the cut left whole, and free
 * their pages.  Returns where it stopped: end, or, when it gave up the CPU
 * on the way, the address to go on from.
 */
static uint64_t remove_areas(struct vm *vm, uint64_t start, uint64_t end, struct page_gather *g)
{
    struct page_walk w = { .vm = vm, .gather = g };
    struct vm_area *a = area_from(vm, start);
    while (a && a->start < end) {
        KASSERT(a->start >= start && a->end <= end);
        struct vm_area *next = area_next(a);
        uint64_t done = a->end;
        for_touched_pages(a, gather_page_cb, &w);
        if (w.full)
            return a->start;    /* the pages gathered go first; then this area again */
        area_delete(vm, a);
        if (g->n)
            free_gathered(vm, g);       /* before a yield, which lets go of vm->lock */
        if (vm_preempt_point(vm))
            return done;
        a = next;
    }
    return end;
}

/* vm_remove_range, vm->lock held (given up and taken again at preemption points). */
static int remove_range(struct vm *vm, uint64_t start, uint64_t end)
{
    spin_assert_held(&vm->lock);
    struct page_gather g;
    g.n = 0;
    int err = 0;
    while (start < end && !err) {
        err = cut_at(vm, start, end, true);
        if (!err)
            start = remove_areas(vm, start, end, &g);
        if (g.n)
            free_gathered(vm, &g);
    }
    return err;
}

int vm_replace_range(struct vm *vm, uint64_t start, uint64_t end, unsigned prot, const struct vm_backing *b)
{
    if (!range_ok(start, end))
        return -EINVAL;
    spin_lock(&vm->lock);
    int err = check_cut(vm, start, end, true, 1);
    if (!err)
        err = remove_range(vm, start, end);
    if (!err)
        err = add_area(vm, start, end, prot, b);
    spin_unlock(&vm->lock);
    return err;
}

/* True if areas cover [start, end) without a gap. */
static bool fully_mapped(struct vm *vm, uint64_t start, uint64_t end)
{
    struct vm_area *a = find_area(vm, start);
    for (; a && a->end < end; a = area_next(a)) {
        struct vm_area *next = area_next(a);
        if (!next || next->start != a->end)
            return false;
    }
    return a != NULL;
}

/*
 * Give the areas of [start, end), which the cut left whole, the protection
 * prot, and shoot their changed pages down everywhere before a yield (the
 * lock goes there) or the end.  Returns as remove_areas.
 */
static uint64_t protect_areas(struct vm *vm, uint64_t start, uint64_t end, unsigned prot)
{
    struct page_walk w = { .vm = vm, .may_yield = false, .flags = mmu_flags(prot) };
    uint64_t stopped = end;
    for (struct vm_area *a = area_from(vm, start); a && a->start < end; a = area_next(a)) {
        KASSERT(a->start >= start && a->end <= end);
        a->prot = prot;
        for_touched_pages(a, protect_page_cb, &w);
        if (sched_should_yield()) {
            stopped = a->end;
            break;
        }
    }
    if (w.changed)              /* once, for the range done, here and on every CPU holding vm */
        mmu_shootdown(&vm->space, start, stopped);
    vm_preempt_point(vm);
    return stopped;
}

/* vm_protect_range, vm->lock held (given up and taken again at preemption points). */
static int protect_range(struct vm *vm, uint64_t start, uint64_t end, unsigned prot)
{
    spin_assert_held(&vm->lock);
    if (!fully_mapped(vm, start, end))
        return -ENOMEM;
    for (struct vm_area *a = area_from(vm, start); (prot & VM_WRITE) && a && a->start < end; a = area_next(a))
        if (a->never_writable)
            return -EACCES;     /* a shared file mapping opened read-only stays so, as Linux */
    while (start < end) {       /* more than one round only if it gave up the CPU */
        int err = cut_at(vm, start, end, false);
        if (err)
            return err;
        start = protect_areas(vm, start, end, prot);
    }
    return 0;
}

/* The lowest address of [from, to) ∩ [MMAP_BASE, MMAP_LIMIT) with len bytes of room, or 0. */
static uint64_t fit(uint64_t from, uint64_t to, uint64_t len)
{
    uint64_t lo = max_u64(from, MMAP_BASE), hi = min_u64(to, MMAP_LIMIT);
    return lo < hi && hi - lo >= len ? lo : 0;
}

/*
 * The lowest gap of len bytes between two areas of a's subtree, or 0.
 * Subtrees whose largest gap is too small, or that lie outside the mmap
 * range, are skipped, so only O(log n) of them are entered.
 */
static uint64_t gap_in(const struct vm_area *a, uint64_t len)
{
    if (!a || a->sub_gap < len || a->sub_hi <= MMAP_BASE || a->sub_lo >= MMAP_LIMIT)
        return 0;
    const struct vm_area *l = area_of(a->node.left), *r = area_of(a->node.right);
    uint64_t found = gap_in(l, len);
    if (!found && l)
        found = fit(l->sub_hi, a->start, len);
    if (!found && r)
        found = fit(a->end, r->sub_lo, len);
    return found ? found : gap_in(r, len);
}

/* The lowest free gap of len bytes at or above MMAP_BASE, or 0.  vm->lock held. */
static uint64_t find_gap(struct vm *vm, uint64_t len)
{
    spin_assert_held(&vm->lock);
    const struct vm_area *root = area_of(vm->areas.root);
    if (!root)
        return fit(MMAP_BASE, MMAP_LIMIT, len);
    uint64_t found = fit(MMAP_BASE, root->sub_lo, len);
    if (!found)
        found = gap_in(root, len);
    return found ? found : fit(root->sub_hi, MMAP_LIMIT, len);
}

/* vm_set_brk, vm->lock held. */
static uint64_t set_brk(struct vm *vm, uint64_t new_brk)
{
    spin_assert_held(&vm->lock);
    if (new_brk < vm->brk_start || new_brk >= MMAP_BASE)
        return vm->brk;
    uint64_t old_end = page_up(vm->brk), new_end = page_up(new_brk);
    if (new_end > old_end) {
        struct vm_area *heap = old_end > vm->brk_start ? find_area(vm, vm->brk_start) : NULL;
        struct vm_area *next = heap ? area_next(heap) : NULL;
        /* Only the heap itself grows: not a shared mapping (its object has no pages past its end) put there. */
        if (heap && (heap->obj || heap->end > new_end))
            return vm->brk;
        if (heap && (!next || next->start >= new_end)) {
            heap->end = new_end;
            avl_changed(&vm->areas, &heap->node);
        } else if (heap || add_area(vm, old_end, new_end, VM_READ | VM_WRITE, NULL) != 0) {
            return vm->brk;
        }
    } else if (new_end < old_end && remove_range(vm, new_end, old_end) != 0) {
        return vm->brk;
    }
    vm->brk = new_brk;
    return new_brk;
}

/* ---- the calls on areas: each under vm->lock ---- */

int vm_add_area(struct vm *vm, uint64_t start, uint64_t end, unsigned prot)
{
    spin_lock(&vm->lock);
    int err = add_area(vm, start, end, prot, NULL);
    spin_unlock(&vm->lock);
    return err;
}

uint64_t vm_map_anywhere(struct vm *vm, uint64_t len, unsigned prot, const struct vm_backing *b)
{
    spin_lock(&vm->lock);               /* the gap and the area in one step: no sibling takes it between */
    uint64_t addr = find_gap(vm, len);
    if (addr && add_area(vm, addr, addr + len, prot, b) != 0)
        addr = 0;
    spin_unlock(&vm->lock);
    return addr;
}

/* ---- mremap ---- */

/* The object pages an area of len bytes from page first needs: its object must have them. */
static bool object_covers(const struct vm_area *a, uint64_t len)
{
    return !a->obj || a->private_obj || !a->obj->anonymous ||
           vm_object_grow(a->obj, a->first_page + len / PAGE_SIZE) == 0;
}

/*
 * Make area a (ending at end) reach new_end if nothing lies between: 0,
 * or -ENOMEM.  A file's area may reach past the file (a touch there is
 * SIGBUS); a shared anonymous object grows with it.  vm->lock held.
 */
static int grow_in_place(struct vm *vm, struct vm_area *a, uint64_t new_end)
{
    struct vm_area *next = area_next(a);
    bool heap = a == find_area(vm, vm->brk_start);     /* brk's own: it moves only with brk */
    if (heap || !range_ok(a->start, new_end) || (next && next->start < new_end))
        return -ENOMEM;
    if (!object_covers(a, new_end - a->start))
        return -ENOMEM;
    a->end = new_end;
    avl_changed(&vm->areas, &a->node);
    return 0;
}

struct page_move {
    struct vm *vm;
    int64_t delta;              /* new address minus old */
    int err;
};

/* Move one page from va to va + delta, with its flags; nothing changes if the new entry cannot be made. */
static void move_page_cb(void *ctx, uint64_t va, uint64_t pa, unsigned flags)
{
    struct page_move *m = ctx;
    if (m->err)
        return;
    m->err = mmu_map(m->vm->space.root, va + (uint64_t)m->delta, pa, flags);
    if (!m->err)
        mmu_unmap(m->vm->space.root, va);
}

/*
 * Move area a's pages and the area itself to [to, to + len), a gap the
 * caller found or made: the new area maps what a mapped (object, offset,
 * flags), the pages keep their references, and every CPU holding the space
 * drops the old addresses before the lock goes.  a ends up deleted.  0, or
 * -ENOMEM (then the pages moved so far are moved back, and a stays).
 */
static int move_area(struct vm *vm, struct vm_area *a, uint64_t to, uint64_t len)
{
    struct vm_backing b = { a->obj, a->first_page, a->private_obj, a->never_writable };
    if (!object_covers(a, len) || add_area(vm, to, to + len, a->prot, &b) != 0)
        return -ENOMEM;
    struct vm_area *moved = find_area(vm, to);
    struct page_move m = { vm, (int64_t)(to - a->start), 0 };
    if (a->touched_lo < a->touched_hi)
        mmu_for_each_page(vm->space.root, a->touched_lo, a->touched_hi, move_page_cb, &m);
    if (m.err) {                /* back where they were: the old tables have room, they held them */
        struct page_move back = { vm, -m.delta, 0 };
        mmu_for_each_page(vm->space.root, to, to + len, move_page_cb, &back);
        KASSERT(!back.err);
        area_delete(vm, moved);
        return -ENOMEM;
    }
    if (a->touched_lo < a->touched_hi) {
        moved->touched_lo = a->touched_lo + (uint64_t)m.delta;
        moved->touched_hi = a->touched_hi + (uint64_t)m.delta;
        mmu_shootdown(&vm->space, a->touched_lo, a->touched_hi);
    }
    a->touched_lo = a->touched_hi = 0;  /* its pages are the new area's now */
    area_delete(vm, a);
    return 0;
}

/* vm_remap, vm->lock held (given up and taken again where remove_range yields). */
static int remap(struct vm *vm, uint64_t old, uint64_t old_len, uint64_t new_len, bool may_move,
                 uint64_t fixed_at, uint64_t *out)
{
    struct vm_area *a = find_area(vm, old);
    if (!a || old + old_len > a->end)
        return -EFAULT;
    if (!fixed_at && new_len == old_len) {
        *out = old;
        return 0;
    }
    copy_cache_clear(vm);
    uint64_t keep = min_u64(old_len, new_len);
    if (new_len < old_len || fixed_at) {        /* what is not kept goes first */
        int err = old_len > keep ? remove_range(vm, old + keep, old + old_len) : 0;
        if (err)
            return err;
        if (!fixed_at) {
            *out = old;
            return 0;
        }
    }
    if (!fixed_at && new_len > old_len) {
        int err = cut_at(vm, old, old + old_len, false);
        a = find_area(vm, old);
        if (!err && a->end == old + old_len && grow_in_place(vm, a, old + new_len) == 0) {
            *out = old;
            return 0;
        }
        if (err || !may_move)
            return -ENOMEM;
    }
    if (fixed_at && remove_range(vm, fixed_at, fixed_at + new_len) != 0)
        return -ENOMEM;
    int err = cut_at(vm, old, old + keep, false);
    uint64_t to = fixed_at ? fixed_at : find_gap(vm, new_len);
    if (err || !to)
        return -ENOMEM;
    err = move_area(vm, find_area(vm, old), to, new_len);
    if (!err)
        *out = to;
    return err;
}

int vm_remap(struct vm *vm, uint64_t old, uint64_t old_len, uint64_t new_len, bool may_move,
             uint64_t fixed_at, uint64_t *out)
{
    if (!range_ok(old, old + old_len) || !new_len || (fixed_at && !range_ok(fixed_at, fixed_at + new_len)))
        return -EINVAL;
    if (fixed_at && fixed_at < old + old_len && old < fixed_at + new_len)
        return -EINVAL;         /* as Linux: the new place may not overlap the old */
    spin_lock(&vm->lock);
    int err = remap(vm, old, old_len, new_len, may_move, fixed_at, out);
    spin_unlock(&vm->lock);
    return err;
}

int vm_remove_range(struct vm *vm, uint64_t start, uint64_t end)
{
    spin_lock(&vm->lock);
    int err = remove_range(vm, start, end);
    spin_unlock(&vm->lock);
    return err;
}

bool vm_range_mapped(struct vm *vm, uint64_t start, uint64_t end)
{
    spin_lock(&vm->lock);
    bool mapped = fully_mapped(vm, start, end);
    spin_unlock(&vm->lock);
    return mapped;
}

int vm_discard_range(struct vm *vm, uint64_t start, uint64_t end)
{
    struct page_gather g;
    g.n = 0;
    struct page_walk w = { .vm = vm, .gather = &g };
    spin_lock(&vm->lock);
    int err = fully_mapped(vm, start, end) ? 0 : -ENOMEM;
    copy_cache_clear(vm);
    for (struct vm_area *a = err ? NULL : area_from(vm, start); a && a->start < end; a = area_next(a)) {
        uint64_t lo = max_u64(start, a->touched_lo), hi = min_u64(end, a->touched_hi);
        do {                    /* again while the gather filled up: the pages unmapped are not seen twice */
            w.full = false;
            if (lo < hi)
                mmu_for_each_page(vm->space.root, lo, hi, gather_page_cb, &w);
            if (g.n)
                free_gathered(vm, &g);
        } while (w.full);
    }
    spin_unlock(&vm->lock);
    return err;
}

int vm_protect_range(struct vm *vm, uint64_t start, uint64_t end, unsigned prot)
{
    spin_lock(&vm->lock);
    int err = protect_range(vm, start, end, prot);
    spin_unlock(&vm->lock);
    return err;
}

uint64_t vm_set_brk(struct vm *vm, uint64_t new_brk)
{
    spin_lock(&vm->lock);
    uint64_t brk = set_brk(vm, new_brk);
    spin_unlock(&vm->lock);
    return brk;
}

/*
 * Map a page at the page-aligned va of area a: a zeroed one of its own
 * for a private area; for one mapping an object, its object's page there
 * (made on the first use in any process), with a reference for this
 * mapping, copy-on-write if the area is private.  -ENOMEM, or -ENXIO past
 * the object's end (a file mapped beyond its last page: SIGBUS).
 */
static int populate(struct vm *vm, struct vm_area *a, uint64_t va)
{
    uint64_t pa = a->obj ? vm_object_page(a->obj, object_page_at(a, va)) : pmm_alloc_zeroed_page();
    if (!pa)
        return a->obj && object_page_at(a, va) >= __atomic_load_n(&a->obj->page_count, __ATOMIC_RELAXED) ?
               -ENXIO : -ENOMEM;
    if (a->obj)
        pmm_page_share(pa);
    unsigned flags = a->private_obj ? cow_flags(mmu_flags(a->prot)) : mmu_flags(a->prot);
    int err = mmu_map(vm->space.root, va, pa, flags);
    if (err) {
        pmm_page_release(pa);
        return err;
    }
    add_resident(vm, 1);
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

/*
 * A write to the copy-on-write page pa at va (area a): the page becomes
 * this space's own, with a's permissions.  If no other space maps it any
 * more, it is taken back as it is; otherwise a copy replaces it, and the
 * other CPUs running this space drop their entries for the old one before
 * its reference goes (a sibling thread reading through one would not see
 * the writes).  0, or -ENOMEM.  vm->lock held: no fork of this space can
 * add a reference meanwhile, so a count of 1 stays 1.
 */
static int break_cow(struct vm *vm, struct vm_area *a, uint64_t va, uint64_t pa)
{
    COW_COUNT(faults);
    /* LAB cow BEGIN */
    if (pmm_page_refs(pa) == 1) {       /* a copy-cache entry for it stays right: same page, read-only */
        mmu_protect(vm->space.root, va, mmu_flags(a->prot));
        mmu_flush_page(&vm->space, va); /* more permission: other CPUs' old entries just fault again */
        COW_COUNT(pages_reused);
        return 0;
    }
    /* LAB cow END */
    uint64_t copy = pmm_alloc_page();
    if (!copy)
        return -ENOMEM;
    copy_cache_clear(vm);               /* an entry may point at the shared page, which goes */
    memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
    mmu_unmap(vm->space.root, va);
    int err = mmu_map(vm->space.root, va, copy, mmu_flags(a->prot));
    KASSERT(err == 0);                  /* the entry just emptied, in tables that exist */
    mmu_shootdown(&vm->space, va, va + PAGE_SIZE);
    pmm_page_release(pa);
    COW_COUNT(pages_copied);
    return 0;
}

/* vm_fault, vm->lock held. */
static int fault(struct vm *vm, uint64_t addr, unsigned access)
{
    spin_assert_held(&vm->lock);
    struct vm_area *a = find_area(vm, addr);
    if (!a || (a->prot & access) != access)
        return a ? -EACCES : -EFAULT;
    uint64_t pa, va = page_down(addr);
    unsigned flags;
    if (mmu_translate(vm->space.root, va, &pa, &flags)) {
        KASSERT(!(flags & MMU_NOACCESS));       /* mprotect keeps every page as its area says */
        if ((access & VM_WRITE) && (flags & MMU_COW))
            return break_cow(vm, a, va, pa) == 0 ? 0 : -ENOMEM;
        mmu_flush_page(&vm->space, va);         /* a stale entry from before an mprotect */
        return 0;                       /* or a sibling on another CPU populated it first */
    }
    int err = populate(vm, a, va);
    return err == -ENXIO ? err : err ? -ENOMEM : 0;
}

int vm_fault(struct vm *vm, uint64_t addr, unsigned access)
{
    spin_lock(&vm->lock);
    int err = fault(vm, addr, access);
    spin_unlock(&vm->lock);
    return err;
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
    spin_assert_held(&vm->lock);
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
    if ((flags & MMU_COW) && access == VM_WRITE) {     /* the kernel writes for the user: as a fault would */
        if (break_cow(vm, a, page, pa) != 0 || !mmu_translate(vm->space.root, page, &pa, &flags))
            return NULL;
    }
    /* Only what a user could reach is remembered (not forced writes); a shared page as read-only. */
    if (a->prot & VM_READ)
        *c = (struct copy_cache_entry){ page, phys_to_virt(pa), (a->prot & VM_WRITE) && !(flags & MMU_COW) };
    return (char *)phys_to_virt(pa) + offset;
}

/*
 * vm_futex_key for a space that has a shared area: the key is the word's
 * physical address if an area maps it shared.  Out of line: most spaces
 * never get here, and its lock and lookup would give every call a frame.
 */
static __attribute__((noinline)) int shared_futex_key(struct vm *vm, uint64_t uaddr, struct futex_key *key)
{
    spin_lock(&vm->lock);
    struct vm_area *a = find_area(vm, uaddr);
    /* LAB shm BEGIN */
    bool shared = a && a->obj && !a->private_obj;      /* a file's pages, or a shared anonymous object's */
    /* LAB shm END */
    /* LAB shm STUB
    bool shared = a && a->obj && !a->private_obj && !a->obj->anonymous;   // lab shm: a file's pages only
       LAB shm STUB END */
    const char *word = shared ? user_page(vm, uaddr, VM_READ, false) : NULL;
    if (word)
        *key = (struct futex_key){ NULL, virt_to_phys(word) };
    spin_unlock(&vm->lock);
    return shared && !word ? -EFAULT : 0;
}

int vm_futex_key(struct vm *vm, uint64_t uaddr, bool private, struct futex_key *key)
{
    *key = (struct futex_key){ vm, uaddr };
    if (private || uaddr >= TASK_SIZE)
        return 0;               /* an address outside user space fails when its word is read */
    if (!__atomic_load_n(&vm->has_shared_areas, __ATOMIC_RELAXED))
        return 0;               /* no area could be shared: the lookup would say so */
    return shared_futex_key(vm, uaddr, key);
}

static bool user_range_ok(uint64_t va, size_t n)
{
    return va + n >= va && va + n <= TASK_SIZE;
}

/*
 * vm_copy through the direct map, page by page: for a space that is not
 * the caller's active one, and for forced writes (exec's segments into
 * read-only pages).  Kept out of line so that the usual copy, the caller's
 * own space, pays none of its frame.
 */
static __attribute__((noinline)) size_t vm_copy_direct(struct vm *vm, uint64_t va, char *k, size_t n, bool out,
                                                       bool force)
{
    size_t done = 0;
    while (done < n) {
        size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        if (chunk > n - done)
            chunk = n - done;
        spin_lock(&vm->lock);           /* the page cannot be unmapped and freed under the copy */
        char *u = user_page(vm, va, out ? VM_WRITE : VM_READ, force);
        if (u && out)
            memcpy(u, k, chunk);
        else if (u)
            memcpy(k, u, chunk);
        spin_unlock(&vm->lock);
        if (!u)
            break;
        va += chunk, k += chunk, done += chunk;
    }
    return done;
}

/* The caller's own address space, active on this CPU: its user addresses work, the fast way (arch uaccess). */
static bool own_active_space(struct vm *vm)
{
    return vm && vm == proc_current()->vm && mmu_space_active(&vm->space);
}

/*
 * Copy up to n bytes between the kernel buffer kbuf and user address va of
 * vm: out (to user memory) or in.  Returns how many bytes were copied:
 * fewer than n when a page on the way cannot be reached (what came before
 * it is copied).
 */
static size_t vm_copy(struct vm *vm, uint64_t va, void *kbuf, size_t n, bool out, bool force)
{
    if (!vm || va >= TASK_SIZE)
        return 0;
    if (n > TASK_SIZE - va)
        n = TASK_SIZE - va;     /* what lies below the end of user space can be copied */
    if (!force && own_active_space(vm))
        return n - (out ? user_copy((void *)va, kbuf, n) : user_copy(kbuf, (const void *)va, n));
    return vm_copy_direct(vm, va, kbuf, n, out, force);
}

/*
 * The whole-or-nothing copies test the fast case before anything else:
 * most system calls copy a few bytes of their caller's memory, and what
 * vm_copy adds (its frame, the partial count) would be a good part of it.
 */
int vm_copy_out(struct vm *vm, uint64_t va, const void *src, size_t n, bool force)
{
    if (!user_range_ok(va, n))
        return -EFAULT;
    if (!force && own_active_space(vm))
        return user_copy((void *)va, src, n) ? -EFAULT : 0;
    return vm_copy(vm, va, (void *)src, n, true, force) == n ? 0 : -EFAULT;
}

int vm_copy_in(struct vm *vm, void *dst, uint64_t va, size_t n)
{
    if (!user_range_ok(va, n))
        return -EFAULT;
    if (own_active_space(vm))
        return user_copy(dst, (const void *)va, n) ? -EFAULT : 0;
    return vm_copy(vm, va, dst, n, false, false) == n ? 0 : -EFAULT;
}

int copy_to_user(uint64_t udst, const void *src, size_t n)
{
    return vm_copy_out(proc_current()->vm, udst, src, n, false);
}

int copy_from_user(void *dst, uint64_t usrc, size_t n)
{
    return vm_copy_in(proc_current()->vm, dst, usrc, n);
}

size_t copy_to_user_partial(uint64_t udst, const void *src, size_t n)
{
    return vm_copy(proc_current()->vm, udst, (void *)src, n, true, false);
}

size_t copy_from_user_partial(void *dst, uint64_t usrc, size_t n)
{
    return vm_copy(proc_current()->vm, usrc, dst, n, false, false);
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
        spin_lock(&vm->lock);
        const char *k = user_page(vm, va, VM_READ, false);
        const char *nul = k ? memchr(k, 0, chunk) : NULL;
        size_t take = nul ? (size_t)(nul - k) + 1 : chunk;
        if (k)
            memcpy(dst + done, k, take);
        spin_unlock(&vm->lock);
        if (!k)
            return -EFAULT;
        done += take;
        if (nul)
            return (long)done - 1;
    }
    return -ENAMETOOLONG;
}

/* LAB cow BEGIN */
/*
 * Enter src's pages of [lo, hi) in the copy (mmu_copy_range: a reference
 * each; copy-on-write on both sides unless the area is shared), a step
 * at a time; the entries made read-only are shot down in src once, at the
 * end of vm_clone.  0 or -ENOMEM.
 */
static int copy_pages(struct page_walk *w, uint64_t lo, uint64_t hi)
{
    for (uint64_t at = lo; at < hi;) {
        uint64_t next = min_u64(hi, (at + WALK_STEP) & ~(uint64_t)(WALK_STEP - 1));
        struct mmu_copy_result r;
        int err = mmu_copy_range(w->vm->space.root, w->dst->space.root, at, next, !w->shared, &r);
        add_resident(w->dst, r.pages);
        w->cow_shared += w->shared ? 0 : r.pages;
        if (r.cow_lo < r.cow_hi) {
            w->cow_lo = w->cow_hi > w->cow_lo ? min_u64(w->cow_lo, r.cow_lo) : r.cow_lo;
            w->cow_hi = max_u64(w->cow_hi, r.cow_hi);
        }
        if (err)
            return err;
        at = next;
        if (w->may_yield)
            vm_preempt_point(w->vm);
    }
    return 0;
}
/* LAB cow END */
/* LAB cow STUB
// Enter src's page pa at va in the copy: a copy of it, with the same flags.
static void copy_page_cb(void *ctx, uint64_t va, uint64_t pa, unsigned flags)
{
    struct page_walk *w = ctx;
    if (w->err)
        return;
    bool file_page = flags & MMU_COW;   // a private file mapping's page, not yet written: shared as it is
    uint64_t copy = file_page ? pa : pmm_alloc_page();
    if (!copy) {
        w->err = -ENOMEM;
        return;
    }
    if (file_page)
        pmm_page_share(pa);
    else
        memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
    w->err = mmu_map(w->dst->space.root, va, copy, flags);
    if (w->err) {
        pmm_page_release(copy);
        return;
    }
    add_resident(w->dst, 1);
    page_done(w);
}

// Enter src's pages of [lo, hi) in the copy: a private area's as copies, a shared mapping's
// themselves (mmu_copy_range: a reference each).  0 or -ENOMEM.
static int copy_pages(struct page_walk *w, uint64_t lo, uint64_t hi)
{
    if (!w->shared) {
        mmu_for_each_page(w->vm->space.root, lo, hi, copy_page_cb, w);
        return w->err;
    }
    struct mmu_copy_result r;
    int err = mmu_copy_range(w->vm->space.root, w->dst->space.root, lo, hi, false, &r);
    add_resident(w->dst, r.pages);
    return err;
}
   LAB cow STUB END */

/*
 * Append to w->dst, after its last area (NULL: none yet), a copy of src's
 * area a from lo on, with its pages.  lo is past a->start only when other
 * threads changed src while the clone gave up the CPU.  The copy, or NULL.
 */
static struct vm_area *clone_area(struct page_walk *w, struct vm_area *last, const struct vm_area *a,
                                  uint64_t lo)
{
    struct vm *dst = w->dst;
    struct vm_area *copy = dst->area_count < VM_MAX_AREAS ?
                           area_new(lo, a->end, a->prot, a->obj, a->obj ? object_page_at(a, lo) : 0) : NULL;
    if (!copy)
        return NULL;
    copy->private_obj = a->private_obj;
    copy->never_writable = a->never_writable;
    w->shared = a->obj && !a->private_obj;
    area_link(dst, last, copy);             /* areas come in order: no search */
    if (max_u64(a->touched_lo, lo) < a->touched_hi) {
        copy->touched_lo = max_u64(a->touched_lo, lo);
        copy->touched_hi = a->touched_hi;
        w->err = copy_pages(w, copy->touched_lo, copy->touched_hi);
    }
    return w->err ? NULL : copy;
}

/*
 * Copy-on-write promises memory it does not take: a write may need a page
 * when none is left, and the writer then dies (SIGSEGV, as any fault that
 * finds no page).  So a fork goes ahead only while the free pages could
 * hold a full copy of the parent, as the eager copy needed: the forker
 * keeps getting ENOMEM, not a kill, when memory runs out (test_limits
 * processes_run_out).  Linux's default heuristic promises more and kills
 * later (the OOM killer).  A snapshot, without a lock: a heuristic.
 */
static bool room_for_a_copy(const struct vm *src)
{
    return pmm_free_count() >= __atomic_load_n(&src->resident_pages, __ATOMIC_RELAXED);
}

struct vm *vm_clone(struct vm *src)
{
    if (!room_for_a_copy(src))
        return NULL;
    struct vm *dst = vm_create();
    if (!dst)
        return NULL;
    dst->brk_start = src->brk_start;
    dst->brk = src->brk;
    struct page_walk w = { .vm = src, .may_yield = vm_private(src), .dst = dst };
    struct vm_area *last = NULL;
    bool failed = false;
    spin_lock(&src->lock);              /* dst is nobody else's yet: no lock of its own */
    for (struct vm_area *a = area_of(avl_first(&src->areas)); a && !failed;) {
        struct vm_area *copy = clone_area(&w, last, a, last ? max_u64(last->end, a->start) : a->start);
        failed = !copy;
        last = copy;
        if (!failed)
            a = vm_preempt_point(src) ? area_from(src, last->end) : area_next(a);
    }
    /* LAB cow BEGIN */
    /* Before any thread of src runs on: none may write through an entry from before the fork. */
    copy_cache_clear(src);
    __atomic_fetch_add(&cow_stats.pages_shared, w.cow_shared, __ATOMIC_RELAXED);
    if (w.cow_lo < w.cow_hi)
        mmu_shootdown(&src->space, w.cow_lo, w.cow_hi);
    /* LAB cow END */
    spin_unlock(&src->lock);
    if (failed) {
        vm_destroy(dst);
        return NULL;
    }
    return dst;
}
