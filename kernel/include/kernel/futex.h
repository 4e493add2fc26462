/*
 * Futexes: wait queues keyed by a user address.  FUTEX_WAIT sleeps only
 * while the 32-bit word there still holds the expected value, so a wake
 * between the user's check and the sleep is never lost; FUTEX_WAKE wakes
 * up to n sleepers of that address.  Keys are (address space, address):
 * futexes are private to a process, shared by its threads.
 */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include <stdint.h>

struct vm;

/* Wait on uaddr while *uaddr == val, until woken or deadline_ns (0: none). 0 or -errno. */
long futex_wait(struct vm *vm, uint64_t uaddr, uint32_t val, uint64_t deadline_ns);

/* Wake up to n waiters on uaddr; returns how many. */
long futex_wake(struct vm *vm, uint64_t uaddr, int n);

#endif
