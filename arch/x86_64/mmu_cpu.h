/*
 * What each CPU's MMU holds, shared by the files that look after it:
 * mmu.c (activations, local flushes) and tlb.c (flushes on other CPUs).
 * Only that CPU writes its own entry, but for the counters' reads.
 */
#ifndef ARCH_X86_64_MMU_CPU_H
#define ARCH_X86_64_MMU_CPU_H

#include <arch/mmu.h>
#include <arch/pcid.h>
#include <arch/percpu.h>
#include <stdbool.h>
#include <stdint.h>

#define CR3_NOFLUSH     (1ull << 63)    /* with PCIDs: keep the TLB entries tagged with this PCID */
#define INVPCID_ADDRESS 0               /* INVPCID type: one address of one PCID */

struct mmu_cpu {
    struct mmu_space *active;           /* the space its CR3 holds: kernel_space when no process's */
    struct pcid_allocator pcids;        /* its tags (arch/pcid.h): a PCID means something per CPU only */
    struct mmu_stats stats;
};

extern struct mmu_cpu mmu_cpus[CPU_MAX];
extern bool pcid_on;
extern struct mmu_space kernel_space;

static inline struct mmu_cpu *this_mmu(void)
{
    return &mmu_cpus[cpu_id()];
}

/* Drop va's entry tagged pcid (a space not active here). */
void invpcid_address(uint16_t pcid, uint64_t va);

#endif
