/*
 * The per-CPU areas (arch/x86_64/percpu.h): one per CPU the kernel can
 * run, each found through its CPU's GS base.
 */
#include <kernel/printk.h>
#include "percpu.h"
#include "x86.h"

#define MSR_GS_BASE         0xc0000101
#define MSR_KERNEL_GS_BASE  0xc0000102

_Static_assert(__builtin_offsetof(struct percpu, kernel_rsp) == PERCPU_KERNEL_RSP, "percpu layout");
_Static_assert(__builtin_offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP, "percpu layout");
_Static_assert(__builtin_offsetof(struct percpu, current) == PERCPU_CURRENT, "percpu layout");
_Static_assert(__builtin_offsetof(struct percpu, id) == PERCPU_ID, "percpu layout");
_Static_assert(__builtin_offsetof(struct percpu, tss) == PERCPU_TSS, "percpu layout");
_Static_assert(__builtin_offsetof(struct percpu, tss.rsp) == PERCPU_TSS_RSP0, "percpu layout");

static struct percpu areas[CPU_MAX];

struct percpu *percpu_of(unsigned id)
{
    KASSERT(id < CPU_MAX);
    return &areas[id];
}

void cpu_boot_init(void)
{
    percpu_install(0);
}

void percpu_install(unsigned id)
{
    struct percpu *p = percpu_of(id);
    p->id = id;
    wrmsr(MSR_GS_BASE, (uint64_t)p);
    wrmsr(MSR_KERNEL_GS_BASE, 0);       /* the user's GS base: SWAPGS brings it in on the way out */
}
