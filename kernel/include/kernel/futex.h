/*
 * Futexes: wait queues keyed by a user address.  FUTEX_WAIT sleeps only
 * while the 32-bit word there still holds the expected value, so a wake
 * between the user's check and the sleep is never lost; FUTEX_WAKE wakes
 * up to n sleepers of that address.  A futex is known by its key: (address
 * space, address), private to a process and shared by its threads; but a
 * futex in a shared mapping that is not FUTEX_PRIVATE_FLAG is known by
 * the physical address of its word, the same in every process that maps
 * it (PTHREAD_PROCESS_SHARED mutexes, sem_init(s, 1, n)).
 */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include <stdint.h>

#include <stdbool.h>

struct vm;

struct futex_key {
    const struct vm *space;     /* NULL: addr is the physical address of a word in a shared mapping */
    uint64_t addr;
};

/*
 * Wait on uaddr of vm while *uaddr == val, until woken or deadline_ns (0:
 * none); private: FUTEX_PRIVATE_FLAG.  0 or -errno.
 */
long futex_wait(struct vm *vm, uint64_t uaddr, bool private, uint32_t val, uint64_t deadline_ns);

/* Wake up to n waiters on uaddr; how many, or -errno. */
long futex_wake(struct vm *vm, uint64_t uaddr, bool private, int n);

#endif
