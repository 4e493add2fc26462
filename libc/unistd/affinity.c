/*
 * CPUs: the affinity calls of <sched.h> (sched_setaffinity,
 * sched_getaffinity, sched_getcpu, getcpu), the functions behind
 * CPU_COUNT and CPU_ALLOC, and the count of online CPUs for sysconf.
 */
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "../internal/libc.h"
#include "../internal/syscall.h"

#define NO_CACHE 0              /* getcpu's third argument, unused since Linux 2.6.24 */

int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *set)
{
    return (int)SYSCALL3(SYS_sched_setaffinity, pid, size, set);
}

/*
 * The kernel writes its own mask's bytes and returns their count; the
 * rest of the caller's set is zeroed here (glibc, musl).  The kernel takes
 * an unsigned int size: a larger one asks for INT_MAX bytes, as glibc does.
 */
int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set)
{
    size_t asked = size < INT_MAX ? size : INT_MAX;
    long written = SYSCALL3(SYS_sched_getaffinity, pid, asked, set);
    if (written < 0)
        return -1;
    memset((char *)set + written, 0, size - (size_t)written);
    return 0;
}

int getcpu(unsigned int *cpu, unsigned int *node)
{
    return (int)SYSCALL3(SYS_getcpu, cpu, node, NO_CACHE);
}

int sched_getcpu(void)
{
    unsigned int cpu;
    return getcpu(&cpu, NULL) == 0 ? (int)cpu : -1;
}

int __sched_cpucount(size_t size, const cpu_set_t *set)
{
    int count = 0;
    for (size_t i = 0; i < size / sizeof(__cpu_mask); i++)
        for (__cpu_mask word = set->__bits[i]; word; word &= word - 1)
            count++;
    return count;
}

cpu_set_t *__sched_cpualloc(size_t count)
{
    return calloc(1, CPU_ALLOC_SIZE(count));
}

void __sched_cpufree(cpu_set_t *set)
{
    free(set);
}

/*
 * CPUs online, for sysconf: our kernel's own count (SYS_os_cpus), which no
 * affinity narrows, as glibc's reading of /sys is not narrowed.  Linux has
 * no such call (ENOSYS): there it is the count of CPUs the caller may run
 * on, as musl counts them (the same unless the caller was narrowed).
 */
long libc_cpus_online(void)
{
    long online = __syscall0(SYS_os_cpus);
    if (online > 0)
        return online;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return -1;
    return CPU_COUNT(&set);
}
