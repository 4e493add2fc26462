/*
 * The address space: the program break (brk/sbrk) and mappings.
 *
 * The brk system call does not return -errno: like Linux's, it returns the
 * new break, or the unchanged old one when it cannot move it; brk(0) asks
 * for the current break.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../internal/syscall.h"

static uintptr_t current_break;     /* 0 until first asked */

int brk(void *end)
{
    uintptr_t result = (uintptr_t)__syscall1(SYS_brk, end);
    current_break = result;
    if (result != (uintptr_t)end) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

/* Move the break by increment bytes (either way); returns the old break. */
void *sbrk(long increment)
{
    if (!current_break)
        current_break = (uintptr_t)__syscall1(SYS_brk, 0);
    uintptr_t old = current_break;
    if (increment == 0)
        return (void *)old;
    uintptr_t target = old + (uintptr_t)increment;
    if ((increment > 0 && target < old) || (increment < 0 && target > old)) {
        errno = ENOMEM;                 /* would wrap around */
        return (void *)-1;
    }
    if (brk((void *)target) < 0)
        return (void *)-1;
    return (void *)old;
}

void *mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset)
{
    return (void *)SYSCALL6(SYS_mmap, address, length, protection, flags, fd, offset);
}

int munmap(void *address, size_t length)
{
    return (int)SYSCALL2(SYS_munmap, address, length);
}

int mprotect(void *address, size_t length, int protection)
{
    return (int)SYSCALL3(SYS_mprotect, address, length, protection);
}

int madvise(void *address, size_t length, int advice)
{
    return (int)SYSCALL3(SYS_madvise, address, length, advice);
}

int msync(void *address, size_t length, int flags)
{
    return (int)SYSCALL3(SYS_msync, address, length, flags);
}

/* mremap(old, old_length, new_length, flags[, new_address with MREMAP_FIXED]). */
void *mremap(void *old, size_t old_length, size_t new_length, int flags, ...)
{
    void *new_address = NULL;
    if (flags & MREMAP_FIXED) {
        va_list ap;
        va_start(ap, flags);
        new_address = va_arg(ap, void *);
        va_end(ap);
    }
    return (void *)SYSCALL5(SYS_mremap, old, old_length, new_length, flags, new_address);
}
