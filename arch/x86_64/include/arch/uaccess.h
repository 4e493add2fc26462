/*
 * Copies to and from user memory through the user's own addresses
 * (arch/x86_64/uaccess.c, user_copy.S): the fast way for the address space
 * that is active on this CPU; kernel/vm.c falls back to the page-by-page
 * copy through the direct map for any other.
 */
#ifndef ARCH_UACCESS_H
#define ARCH_UACCESS_H

#include <arch/trap.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Copy n bytes, one side user memory of the active address space (an
 * address below TASK_SIZE that the caller has checked, with the length);
 * the bytes not copied, 0 when all were.  Page faults on the way are served
 * as a user's would be (vm_fault); one that cannot be ends the copy there.
 * Call with no vm lock held (the fault takes it); it never sleeps.
 */
size_t user_copy(void *dst, const void *src, size_t n);

/* For trap_dispatch: true if a kernel-mode page fault was user_copy's, now dealt with. */
bool user_copy_fault(struct trap_frame *tf);

#endif
