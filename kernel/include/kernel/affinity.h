/*
 * CPU affinity: the CPUs that are online, and the CPUs each thread may run
 * on.  User space sees it through sched_setaffinity, sched_getaffinity and
 * getcpu, with Linux's semantics (design contract 7; kernel/affinity.c);
 * the scheduler asks cpus_online() and thread_may_run_on().
 *
 * A mask has one bit per CPU, CPU c in bit c: the layout of Linux's
 * cpumask and of the user's cpu_set_t (byte c / 8, bit c % 8 on this
 * little-endian machine), so a mask goes to and from user memory as bytes.
 *
 * A thread's mask may name CPUs that are not online (a new thread's names
 * all CPUMASK_CPUS): it runs only on the online ones among them, and
 * sched_getaffinity reports only those, as on Linux.
 */
#ifndef KERNEL_AFFINITY_H
#define KERNEL_AFFINITY_H

#include <stdbool.h>
#include <arch/percpu.h>
#include <stdint.h>

/*
 * The CPUs a mask can name: a mask is one 64-bit word, which copies and
 * tests in one instruction, wider than the CPU_MAX the kernel runs
 * (arch/percpu.h).  sched_getaffinity writes CPUMASK_BYTES bytes and wants
 * at least as many.
 */
#define CPUMASK_CPUS    64
typedef uint64_t cpumask_t;
#define CPUMASK_BYTES   sizeof(cpumask_t)
_Static_assert(CPUMASK_BYTES * 8 == CPUMASK_CPUS, "a cpumask_t has one bit per CPU");
_Static_assert(CPU_MAX <= CPUMASK_CPUS, "every CPU the kernel runs has a bit");

#define CPUMASK_ALL     (~(cpumask_t)0)     /* every CPU, online or not: a new thread's mask */
#define BOOT_CPU        0                   /* the CPU that boots the kernel, online from the start */

static inline cpumask_t cpumask_of(unsigned cpu) { return (cpumask_t)1 << cpu; }
static inline bool cpumask_has(cpumask_t mask, unsigned cpu) { return cpu < CPUMASK_CPUS && (mask >> cpu) & 1; }

/* The CPUs online now, and how many they are.  Any context, no lock. */
cpumask_t cpus_online(void);
unsigned cpus_online_count(void);

/* The SMP bring-up: cpu (< CPUMASK_CPUS) runs the scheduler from now on. */
void cpu_mark_online(unsigned cpu);

struct thread;

/*
 * Whether t may run on cpu: cpu is online and in t's mask.  Call with
 * sched_lock or proc_tree_lock held (t->affinity is written under both).
 */
bool thread_may_run_on(const struct thread *t, unsigned cpu);

/*
 * A new thread's mask, before it first runs: that of the thread creating
 * it (clone, fork: Linux's rule for threads and new processes alike).
 * Takes proc_tree_lock.
 */
void affinity_inherit(struct thread *child);

#endif
