/*
 * The fast user copy (arch/x86_64/include/arch/uaccess.h).  Linux's way:
 * the kernel touches user memory at the user's addresses, and a page fault
 * at the one instruction that does (user_copy_access) is the user's
 * problem, not the kernel's: served like a user-mode fault, or the copy
 * stops at a fixup and the system call returns EFAULT.  It costs a range
 * check and a REP MOVSB, where the copy through the direct map takes the
 * address space's lock and looks each page up.
 *
 * A served fault resumes the copy; a second fault on the same page in one
 * copy (a mapping the fault handler says is there, that still faults: it
 * never should) ends it at the fixup instead of looping.  The last page
 * that faulted is kept per CPU: a copy never moves to another CPU (the
 * kernel is not preempted, and a copy does not sleep).
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

static uint64_t faulted_page[CPU_MAX];  /* [this CPU] the page of the last fault in its current copy */

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
    bool again = faulted_page[cpu_id()] == page;
    faulted_page[cpu_id()] = page;
    if (again || !vm || vm_fault(vm, addr, access) != 0)
        tf->rip = (uint64_t)fixup;
    return true;
}
