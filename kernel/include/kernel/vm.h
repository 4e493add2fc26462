/*
 * User address spaces.  A struct vm is a page-table root plus an ordered
 * tree of areas (ELF segments, heap, stack, mmap regions), each with its
 * permissions.  Pages are allocated on first touch (demand-zero), so an
 * 8 MiB stack or a large mmap costs only the pages used, and fork shares
 * the pages that exist, copying one only when either side writes it.
 *
 * User layout:
 *   USER_MIN .. : ELF segments (static binaries link at 0x400000), then the brk heap
 *   MMAP_BASE .. : anonymous mmap regions, first fit
 *   USER_STACK_TOP - USER_STACK_SIZE .. USER_STACK_TOP : the main stack; below it an
 *                   unmapped gap (the guard), above it the last page, never mapped
 *
 * Costs: finding, splitting, changing or removing areas is O(log n) plus
 * the areas and pages the call covers (n: the areas of the vm, at most
 * VM_MAX_AREAS).  Calls that walk many areas or pages (fork, munmap,
 * mprotect, exit) give up the CPU when their time slice is over
 * (sched_preempt_point); other threads of the process may then run and
 * change the areas, so such a call is not atomic for them (Linux's would
 * be: mmap_lock); it finds its place again by address.
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <arch/layout.h>
#include <arch/mmu.h>
#include <kernel/avl.h>
#include <kernel/spinlock.h>
#include <kernel/vm_object.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * User space ends one page below the canonical limit, at Linux's
 * TASK_SIZE_MAX: no area reaches into [TASK_SIZE, USER_TOP).  A SYSCALL in
 * the last bytes of that page would return to USER_TOP, the first
 * non-canonical address, where SYSRET and IRETQ fault in kernel mode on
 * Intel CPUs (CVE-2012-0217).  So every return from a system call lands on
 * a canonical address.
 */
#define TASK_SIZE       (USER_TOP - PAGE_SIZE)  /* 0x7ffffffff000 */
#define USER_MIN        0x10000ull              /* nothing below 64 KiB: NULL dereferences fault */
#define MMAP_BASE       0x100000000000ull       /* 16 TiB */
#define USER_STACK_TOP  TASK_SIZE
#define USER_STACK_SIZE (8ull << 20)
#define MMAP_LIMIT      (USER_STACK_TOP - USER_STACK_SIZE - PAGE_SIZE)  /* keeps the stack's guard */
/*
 * Areas a vm may hold: Linux's vm.max_map_count default (USHRT_MAX - 5,
 * which leaves room for ELF core dumps' 16-bit section count).  It bounds
 * the kernel memory one process can pin with areas (~128 bytes each: 8 MiB)
 * and the length of any walk over them.
 */
#define VM_MAX_AREAS    65530

#define VM_READ   (1u << 0)
#define VM_WRITE  (1u << 1)
#define VM_EXEC   (1u << 2)

/*
 * What a new area maps (NULL: private anonymous memory): the pages of obj
 * from its page first_page on, shared (MAP_SHARED: a write is everyone's)
 * or, with private_copy, copied on the first write (MAP_PRIVATE of a file).
 */
struct vm_backing {
    struct vm_object *obj;
    uint64_t first_page;
    bool private_copy;
    bool never_writable;        /* shared, from a file opened without write access */
};

struct vm_area {
    struct avl_node node;       /* in vm->areas, by address */
    uint64_t start, end;        /* page aligned, end exclusive */
    unsigned prot;              /* VM_*; 0 is PROT_NONE: no access at all */
    /*
     * A shared mapping's pages (NULL: private, copied on write after a
     * fork): page i of the area is page first_page + i of obj, in every
     * process that maps it.  The area holds a reference on obj.
     */
    struct vm_object *obj;
    uint64_t first_page;
    /*
     * MAP_PRIVATE of a file: obj's pages are mapped copy-on-write, never
     * writable; a write gives this process a copy of its own, which fork
     * shares copy-on-write as any private page.  Not a shared area.
     */
    bool private_obj;
    bool never_writable;        /* MAP_SHARED of a file not open for writing: mprotect cannot add write */
    /*
     * The pages ever populated lie in [touched_lo, touched_hi) (both 0: none).
     * Walks of the page tables (fork, munmap, mprotect) look only there: an
     * 8 MiB stack of which two pages were used costs two pages, not 2,048.
     */
    uint64_t touched_lo, touched_hi;
    /*
     * Of the areas in this one's subtree: the lowest start, the highest end
     * and the largest gap between two of them in address order (the tree
     * keeps these: area_augment).  vm_map_anywhere skips subtrees without room.
     */
    uint64_t sub_lo, sub_hi, sub_gap;
};

/*
 * The user-copy helpers' memory of recent translations: page -> kernel
 * address through the direct map.  Emptied whenever a mapping of the vm is
 * removed or restricted, so an entry is never stale; a system call that
 * copies from the same buffer again (a pipe ping-pong) skips the area
 * lookup and the page-table walk.
 */
#define COPY_CACHE_SLOTS 4
struct copy_cache_entry {
    uint64_t page;              /* user page address */
    char *kaddr;                /* its direct-map address; NULL: empty */
    bool writable;
};

/*
 * The threads of the owning process use a vm, from several CPUs at once:
 * its lock [v] covers the areas, the page tables' user half, the copy
 * cache and the counters.  Every call below takes it (a user copy page by
 * page, so a page cannot be unmapped and freed under the copy); a walk
 * that yields (see above) lets go of it and leaves the areas and page
 * tables consistent first, holding no pointer into them across it.  A
 * vm being made (exec, fork's copy) or destroyed is one thread's alone.
 */
struct vm {
    struct spinlock lock;       /* rank vm in lock_order.h: under pipe, fs, futex and proc_tree locks */
    struct mmu_space space;     /* [v] page-table root and PCID tags */
    struct avl_tree areas;      /* [v] struct vm_area, by address */
    uint64_t area_count;        /* [v] at most VM_MAX_AREAS */
    uint64_t brk_start;         /* [v] the heap area starts here (after the ELF segments) */
    uint64_t brk;               /* [v] the current break (not page aligned) */
    uint64_t resident_pages;    /* [v] user pages allocated */
    uint64_t peak_resident_pages; /* [v] the most resident_pages has been: ru_maxrss (kernel/cputime.c) */
    bool dying;                 /* being destroyed: its pages need no TLB flushes */
    /*
     * [v, read without it] Set when an area that maps shared pages (a file's,
     * or a shared anonymous object's) is first linked in, never cleared: while
     * it is false, every futex of the space is keyed by (vm, address) with no
     * area lookup (vm_futex_key).  A relaxed load will do: a futex call that
     * must find the area comes after the call that made it returned (in its
     * thread, or one told through memory), and that call set the flag.
     */
    bool has_shared_areas;
    struct copy_cache_entry copy_cache[COPY_CACHE_SLOTS];   /* [v] */
};

struct vm *vm_create(void);
void vm_destroy(struct vm *vm);

/*
 * Call fn(arg, area) for each area of vm in address order, under the vm's
 * lock (/proc's maps and status): fn must not sleep, copy user memory or
 * take a lock ranked above vm.
 */
void vm_for_each_area(struct vm *vm, void (*fn)(void *arg, const struct vm_area *a), void *arg);

/*
 * A copy of src for fork: the same areas, every resident page shared
 * copy-on-write (see kernel/vm.c), the page tables copied.  NULL on ENOMEM.
 */
struct vm *vm_clone(struct vm *src);

/*
 * The futex key of the word at uaddr (kernel/futex.h): the physical address
 * of the word if it lies in a shared mapping and the futex is not private
 * (the page is made if it was not yet), else (vm, uaddr).  0 or -EFAULT.
 */
struct futex_key;
int vm_futex_key(struct vm *vm, uint64_t uaddr, bool private, struct futex_key *key);

/* Copy-on-write since boot, all address spaces. */
struct vm_cow_stats {
    uint64_t pages_shared;      /* page references fork handed to a child instead of a copy */
    uint64_t faults;            /* writes that found a shared page (user faults and kernel copies) */
    uint64_t pages_copied;      /* of those, the ones that copied it */
    uint64_t pages_reused;      /* and the ones that took it back: no other space mapped it any more */
};
void vm_get_cow_stats(struct vm_cow_stats *s);

/* The largest number of user pages vm has held at once (a snapshot: no lock). */
uint64_t vm_peak_resident(struct vm *vm);

/* Make vm the CPU's address space; true if that wrote CR3. */
bool vm_activate(struct vm *vm);

/*
 * Add the area [start, end) (page aligned, inside [USER_MIN, TASK_SIZE)).
 * 0, -EINVAL (overlap, outside user space) or -ENOMEM (out of memory, or
 * the vm holds VM_MAX_AREAS areas).
 */
int vm_add_area(struct vm *vm, uint64_t start, uint64_t end, unsigned prot);

/*
 * Remove [start, end) from every area, freeing its pages.  0, or -ENOMEM
 * (out of memory, or the cut would leave more than VM_MAX_AREAS areas: then
 * nothing changed).
 */
int vm_remove_range(struct vm *vm, uint64_t start, uint64_t end);

/*
 * MAP_FIXED: replace whatever is in [start, end) by a new area mapping
 * b (NULL: private anonymous memory; the area takes a reference of its
 * own on b->obj).  0, -EINVAL or -ENOMEM as above.
 */
int vm_replace_range(struct vm *vm, uint64_t start, uint64_t end, unsigned prot, const struct vm_backing *b);

/*
 * Set the permissions of [start, end), which must be all mapped: 0, or
 * -ENOMEM (a hole, out of memory, or more than VM_MAX_AREAS areas after
 * the splits: then nothing changed).
 */
int vm_protect_range(struct vm *vm, uint64_t start, uint64_t end, unsigned prot);

/*
 * madvise(MADV_DONTNEED): the pages of [start, end), which must be all
 * mapped (-ENOMEM), go; the areas stay: a private page reads as zeros
 * next time, a shared one as its object still holds it.  0 or -ENOMEM.
 */
int vm_discard_range(struct vm *vm, uint64_t start, uint64_t end);

/*
 * mremap: the mapping at [old, old + old_len), which must lie in one area
 * (-EFAULT), made new_len long: shorter in place; longer in place if the
 * addresses after it are free; else, with may_move, moved to the lowest
 * gap, or to fixed_at (when not 0: what is there is unmapped first) with
 * its pages, which keep their contents and sharing.  The new address into
 * *out; 0, -ENOMEM (no room and no move allowed, or out of memory),
 * -EINVAL (a fixed place overlapping the old one).
 */
int vm_remap(struct vm *vm, uint64_t old, uint64_t old_len, uint64_t new_len, bool may_move,
             uint64_t fixed_at, uint64_t *out);

/* True if areas cover [start, end) without a hole (msync). */
bool vm_range_mapped(struct vm *vm, uint64_t start, uint64_t end);

/* Add an area of len bytes (page aligned), as above, at the lowest free gap at or above MMAP_BASE: its address, or 0. */
uint64_t vm_map_anywhere(struct vm *vm, uint64_t len, unsigned prot, const struct vm_backing *b);

/* brk: move the break; returns the (possibly unchanged) break. */
uint64_t vm_set_brk(struct vm *vm, uint64_t new_brk);

/*
 * Resolve a user page fault at addr needing access (VM_READ/WRITE/EXEC):
 * 0 if a page is now there; -EFAULT if nothing is mapped there, -EACCES if
 * the area does not allow the access, -ENOMEM if no page could be had (a
 * copy-on-write copy, a new page), -ENXIO past the end of a mapped file
 * (SIGBUS).
 */
int vm_fault(struct vm *vm, uint64_t addr, unsigned access);

/*
 * Copy between kernel memory and the user range [va, va + n) of vm, page
 * by page through the direct map, faulting pages in as needed.  Checks the
 * areas' permissions unless force (the ELF loader writes read-only text).
 */
int vm_copy_out(struct vm *vm, uint64_t va, const void *src, size_t n, bool force);
int vm_copy_in(struct vm *vm, void *dst, uint64_t va, size_t n);

/* The same for the running process: 0 or -EFAULT, never a kernel fault. */
int copy_to_user(uint64_t udst, const void *src, size_t n);
int copy_from_user(void *dst, uint64_t usrc, size_t n);

/* As much as can be copied, up to the first page that cannot be reached: bytes copied. */
size_t copy_to_user_partial(uint64_t udst, const void *src, size_t n);
size_t copy_from_user_partial(void *dst, uint64_t usrc, size_t n);

/* Copy a NUL-terminated string of at most max bytes (NUL included): its length, -EFAULT or -ENAMETOOLONG. */
long copy_string_from_user(char *dst, uint64_t usrc, size_t max);

#endif
