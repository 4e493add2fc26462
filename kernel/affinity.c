/*
 * CPU affinity (see kernel/include/kernel/affinity.h): the set of online
 * CPUs, each thread's mask, and the system calls that show them to user
 * space with Linux's semantics: sched_setaffinity, sched_getaffinity and
 * getcpu; and our own os_cpus, the count of online CPUs for sysconf.  Affinity is per thread, as on Linux: a tid names one thread,
 * and 0 the caller.
 *
 * Locks: a thread's mask is written with proc_tree_lock (which keeps the
 * thread found by its tid alive) and sched_lock held, and read with
 * either (struct thread's [ps]).  The online set is atomic: the SMP
 * bring-up adds CPUs while others read it.
 */
#include <arch/cpu.h>
#include <kernel/affinity.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>

#define NUMA_NODE       0       /* getcpu's node: one memory node, no NUMA */

static cpumask_t online = (cpumask_t)1 << BOOT_CPU;    /* [atomic] */

cpumask_t cpus_online(void)
{
    return __atomic_load_n(&online, __ATOMIC_ACQUIRE);
}

/* (A loop, not __builtin_popcount: without POPCNT gcc calls libgcc, which the kernel does not link.) */
unsigned cpus_online_count(void)
{
    unsigned count = 0;
    for (cpumask_t m = cpus_online(); m; m &= m - 1)
        count++;
    return count;
}

void cpu_mark_online(unsigned cpu)
{
    KASSERT(cpu < CPUMASK_CPUS);
    __atomic_fetch_or(&online, cpumask_of(cpu), __ATOMIC_RELEASE);
}

bool thread_may_run_on(const struct thread *t, unsigned cpu)
{
    KASSERT(!irq_enabled());    /* so a lock is held: sched_lock or proc_tree_lock, as the contract says */
    return cpumask_has(t->affinity & cpus_online(), cpu);
}

void affinity_inherit(struct thread *child)
{
    proc_tree_lock_take();
    child->affinity = thread_current()->affinity;
    proc_tree_lock_drop();
}

/* The thread a tid names: 0 the caller, else a live thread; NULL if none.  Call with proc_tree_lock held. */
static struct thread *thread_of_tid(int tid)
{
    proc_tree_lock_assert_held();
    return tid == 0 ? thread_current() : thread_find(tid);
}

/*
 * A user mask of len bytes, as Linux reads it: bytes past the kernel's
 * mask are ignored, a shorter mask is zero-extended.  0 or -EFAULT.
 */
static int mask_from_user(uint64_t umask, unsigned len, cpumask_t *mask)
{
    *mask = 0;
    return copy_from_user(mask, umask, len < CPUMASK_BYTES ? len : CPUMASK_BYTES) ? -EFAULT : 0;
}

/*
 * sched_setaffinity(tid, len, mask): 0; -EFAULT for a bad mask, -ESRCH for
 * no such thread, -EINVAL when the mask names no online CPU (Linux's
 * checks, in Linux's order).
 */
long sys_sched_setaffinity(const struct syscall_args *a)
{
    cpumask_t mask;
    int err = mask_from_user(a->arg[2], (unsigned)a->arg[1], &mask);
    if (err)
        return err;
    proc_tree_lock_take();
    struct thread *t = thread_of_tid((int)a->arg[0]);
    if (!t)
        err = -ESRCH;
    else if (!(mask & cpus_online()))
        err = -EINVAL;
    else
        sched_set_affinity(t, mask);
    proc_tree_lock_drop();
    return err;
}

/*
 * sched_getaffinity(tid, len, mask): the online CPUs of the thread's mask,
 * CPUMASK_BYTES bytes of it, and that count; -EINVAL when len is shorter
 * or not a multiple of a long (Linux's rules), -ESRCH, -EFAULT.
 */
long sys_sched_getaffinity(const struct syscall_args *a)
{
    unsigned len = (unsigned)a->arg[1];
    if (len < CPUMASK_BYTES || len % sizeof(long) != 0)
        return -EINVAL;
    proc_tree_lock_take();
    struct thread *t = thread_of_tid((int)a->arg[0]);
    cpumask_t mask = t ? t->affinity & cpus_online() : 0;
    proc_tree_lock_drop();
    if (!t)
        return -ESRCH;
    return copy_to_user(a->arg[2], &mask, CPUMASK_BYTES) ? -EFAULT : (long)CPUMASK_BYTES;
}

/* os_cpus(): the number of CPUs online, which sysconf reports (our own call: Linux has /sys for it). */
long sys_os_cpus(const struct syscall_args *a)
{
    (void)a;
    return cpus_online_count();
}

/* getcpu(cpu, node, cache): the CPU the caller runs on, and its node; either pointer may be NULL. */
long sys_getcpu(const struct syscall_args *a)
{
    unsigned cpu = cpu_id(), node = NUMA_NODE;
    if (a->arg[0] && copy_to_user(a->arg[0], &cpu, sizeof cpu))
        return -EFAULT;
    if (a->arg[1] && copy_to_user(a->arg[1], &node, sizeof node))
        return -EFAULT;
    return 0;
}
