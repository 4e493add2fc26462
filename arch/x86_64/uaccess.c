/*
 * The fast user copy (arch/x86_64/include/arch/uaccess.h).  Linux's way:
 * the kernel touches user memory at the user's addresses, and a page fault
 * at the one instruction that does (user_copy_access) is the user's
 * problem, not the kernel's: served like a user-mode fault, or the copy
 * stops at a fixup and the system call returns EFAULT.  It costs a range
 * check and a REP MOVSB, where the copy through the direct map takes the
 * address space's lock and looks each page up.
 *
 * A served fault resumes the copy.  The same page may fault again: on
 * several CPUs another thread of the process can take the page away
 * between the fault and the retry (a fork write-protects every page for
 * copy-on-write, and the copy's write faults anew; a waitpid that lost its
 * status copy that way returned EFAULT after reaping its child, and the
 * child was lost).  So only USER_COPY_PAGE_FAULTS faults in a row on one
 * page end the copy at the fixup: a fault handler that says "served" and
 * a page that still faults each time would otherwise loop for ever.  The
 * page and its count are kept per CPU (a copy never moves to another CPU:
 * the kernel is not preempted, and a copy does not sleep), in one word:
 * the page's address, its count in the bits below the page size.
 */
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <arch/uaccess.h>
#include <kernel/proc.h>
#include <kernel/vm.h>
#include "idt.h"
#include "x86.h"

#define PF_WRITE        (1u << 1)       /* page-fault error code: the access was a write */
#define NO_PAGE         UINT64_MAX      /* no fault yet in this copy */
#define PAGE_MASK_LOW   ((uint64_t)PAGE_SIZE - 1)
#define USER_COPY_PAGE_FAULTS 16        /* faults in a row on one page that end a copy (a fork per retry) */

/* user_copy.S: the copy with SMAP lifted around it, or without (no SMAP); each instruction that touches user memory, and its fixup. */
size_t user_copy_smap(void *dst, const void *src, size_t n);
size_t user_copy_plain(void *dst, const void *src, size_t n);
extern const char user_copy_smap_access8[], user_copy_smap_fixup8[], user_copy_smap_access1[], user_copy_smap_fixup1[];
extern const char user_copy_plain_access8[], user_copy_plain_fixup8[], user_copy_plain_access1[],
                  user_copy_plain_fixup1[];

/* The fixup of the instruction at rip if it is one of the copies' user accesses, or NULL: our exception table, four sites. */
static const char *fixup_of(uint64_t rip)
{
    static const struct { const char *access, *fixup; } sites[] = {
        { user_copy_smap_access8, user_copy_smap_fixup8 }, { user_copy_smap_access1, user_copy_smap_fixup1 },
        { user_copy_plain_access8, user_copy_plain_fixup8 }, { user_copy_plain_access1, user_copy_plain_fixup1 },
    };
    for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++)
        if (rip == (uint64_t)sites[i].access)
            return sites[i].fixup;
    return NULL;
}

/* [this CPU] the page of the last fault in its current copy, and in its low bits the faults there in a row */
static uint64_t faulted_page[CPU_MAX];

size_t user_copy(void *dst, const void *src, size_t n)
{
    faulted_page[cpu_id()] = NO_PAGE;
    return cpu_features.smap ? user_copy_smap(dst, src, n) : user_copy_plain(dst, src, n);
}

bool user_copy_fault(struct trap_frame *tf)
{
    const char *fixup = tf->vector == VECTOR_PAGE_FAULT ? fixup_of(tf->rip) : NULL;
    if (!fixup)
        return false;
    uint64_t addr = read_cr2(), page = addr & ~(uint64_t)(PAGE_SIZE - 1);
    if (addr >= TASK_SIZE)
        return false;           /* the kernel's side faulted: a bug, a panic */
    struct vm *vm = proc_current()->vm;
    unsigned access = (tf->error & PF_WRITE) ? VM_WRITE : VM_READ;
    uint64_t last = faulted_page[cpu_id()];
    uint64_t faults = last != NO_PAGE && (last & ~PAGE_MASK_LOW) == page ? (last & PAGE_MASK_LOW) + 1 : 1;
    faulted_page[cpu_id()] = page | faults;
    if (faults > USER_COPY_PAGE_FAULTS || !vm || vm_fault(vm, addr, access) != 0)
        tf->rip = (uint64_t)fixup;
    return true;
}
