/*
 * Scheduling: sched_yield, clone() with its "what is shared" flags, and
 * CPU affinity: cpu_set_t, the CPU_* macros, sched_setaffinity,
 * sched_getaffinity, sched_getcpu (Linux's, as glibc and musl declare
 * them: a cpu_set_t of 1024 bits, CPU c in bit c % 64 of word c / 64).
 */
#ifndef _SCHED_H
#define _SCHED_H

#include <bits/types.h>

#include <abi/sched.h>      /* CLONE_* and SCHED_*, shared with the kernel */

struct sched_param {
    int sched_priority;
};

int sched_yield(void);

/* Linux's: fn(arg) in a new thread or process on stack (its top); optional parent_tid, tls, child_tid. */
int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...);

/* ---- CPU sets ---- */

#define CPU_SETSIZE     1024                            /* CPUs a cpu_set_t holds (glibc's, musl's) */
#define __NCPUBITS      (8 * sizeof(__cpu_mask))        /* CPUs per word */

typedef unsigned long __cpu_mask;
typedef struct {
    __cpu_mask __bits[CPU_SETSIZE / (8 * sizeof(__cpu_mask))];
} cpu_set_t;

/*
 * The _S forms take the set's size in bytes (CPU_ALLOC_SIZE for a set
 * from CPU_ALLOC); a CPU beyond it is ignored (set, clear) or absent
 * (test).  Functions, so each argument is evaluated once.  As glibc's:
 * zero and equal work on all the bytes, count and the logic on whole words.
 */
static inline __cpu_mask __cpu_bit(size_t __cpu) { return (__cpu_mask)1 << (__cpu % __NCPUBITS); }

static inline int __cpu_isset_s(size_t __cpu, size_t __size, const cpu_set_t *__set)
{
    return __cpu / 8 < __size && (__set->__bits[__cpu / __NCPUBITS] & __cpu_bit(__cpu)) != 0;
}

/* Set and clear give the CPU's word as it now is, or 0 (glibc's value). */
static inline __cpu_mask __cpu_set_s(size_t __cpu, size_t __size, cpu_set_t *__set)
{
    return __cpu / 8 < __size ? (__set->__bits[__cpu / __NCPUBITS] |= __cpu_bit(__cpu)) : 0;
}

static inline __cpu_mask __cpu_clr_s(size_t __cpu, size_t __size, cpu_set_t *__set)
{
    return __cpu / 8 < __size ? (__set->__bits[__cpu / __NCPUBITS] &= ~__cpu_bit(__cpu)) : 0;
}

/* __dest = __a OP __b, word by word: '&', '|' or '^'. */
static inline cpu_set_t *__cpu_logic_s(size_t __size, cpu_set_t *__dest, const cpu_set_t *__a,
                                       const cpu_set_t *__b, char __op)
{
    for (size_t __i = 0; __i < __size / sizeof(__cpu_mask); __i++)
        __dest->__bits[__i] = __op == '&' ? __a->__bits[__i] & __b->__bits[__i]
                            : __op == '|' ? __a->__bits[__i] | __b->__bits[__i]
                            : __a->__bits[__i] ^ __b->__bits[__i];
    return __dest;
}

int __sched_cpucount(size_t __size, const cpu_set_t *__set);
cpu_set_t *__sched_cpualloc(size_t __count);
void __sched_cpufree(cpu_set_t *__set);

#define CPU_SET_S(cpu, size, set)           __cpu_set_s((cpu), (size), (set))
#define CPU_CLR_S(cpu, size, set)           __cpu_clr_s((cpu), (size), (set))
#define CPU_ISSET_S(cpu, size, set)         __cpu_isset_s((cpu), (size), (set))
#define CPU_ZERO_S(size, set)               ((void)__builtin_memset((set), 0, (size)))
#define CPU_COUNT_S(size, set)              __sched_cpucount((size), (set))
#define CPU_EQUAL_S(size, a, b)             (__builtin_memcmp((a), (b), (size)) == 0)
#define CPU_AND_S(size, dest, a, b)         __cpu_logic_s((size), (dest), (a), (b), '&')
#define CPU_OR_S(size, dest, a, b)          __cpu_logic_s((size), (dest), (a), (b), '|')
#define CPU_XOR_S(size, dest, a, b)         __cpu_logic_s((size), (dest), (a), (b), '^')

#define CPU_SET(cpu, set)                   CPU_SET_S((cpu), sizeof(cpu_set_t), (set))
#define CPU_CLR(cpu, set)                   CPU_CLR_S((cpu), sizeof(cpu_set_t), (set))
#define CPU_ISSET(cpu, set)                 CPU_ISSET_S((cpu), sizeof(cpu_set_t), (set))
#define CPU_ZERO(set)                       CPU_ZERO_S(sizeof(cpu_set_t), (set))
#define CPU_COUNT(set)                      CPU_COUNT_S(sizeof(cpu_set_t), (set))
#define CPU_EQUAL(a, b)                     CPU_EQUAL_S(sizeof(cpu_set_t), (a), (b))
#define CPU_AND(dest, a, b)                 CPU_AND_S(sizeof(cpu_set_t), (dest), (a), (b))
#define CPU_OR(dest, a, b)                  CPU_OR_S(sizeof(cpu_set_t), (dest), (a), (b))
#define CPU_XOR(dest, a, b)                 CPU_XOR_S(sizeof(cpu_set_t), (dest), (a), (b))

/* A set for count CPUs on the heap: its size in bytes (whole words), allocation (zeroed), release. */
#define CPU_ALLOC_SIZE(count) \
    ((((size_t)(count) + __NCPUBITS - 1) / __NCPUBITS) * sizeof(__cpu_mask))
#define CPU_ALLOC(count)                    __sched_cpualloc(count)
#define CPU_FREE(set)                       __sched_cpufree(set)

/*
 * The CPUs thread pid (0: the caller) may run on.  0 or -1 with errno:
 * EINVAL (a set naming no online CPU; get: a size the kernel's mask does
 * not fit), ESRCH, EFAULT.  Get fills the bytes past the kernel's mask
 * with zeros.
 */
int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *set);
int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set);

/* The CPU the caller runs on (a hint: it may move at once), or -1. */
int sched_getcpu(void);

/* The same, and its NUMA node; either pointer may be NULL.  0 or -1. */
int getcpu(unsigned int *cpu, unsigned int *node);

#endif
