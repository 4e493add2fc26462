/*
 * The processor, as the rest of the kernel sees it: interrupts on and off,
 * halting, the time-stamp counter, and the feature flags read with CPUID at
 * boot.  Port I/O and MSRs stay inside arch/ (see arch/x86_64/x86.h).
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdbool.h>
#include <stdint.h>

/* What CPUID reported, filled in by cpu_detect_features(). */
struct cpu_features {
    bool pcid;      /* process-context identifiers: TLB entries tagged per address space */
    bool invpcid;   /* the INVPCID instruction */
    bool pge;       /* global pages, kept across CR3 writes */
    bool nx;        /* no-execute page bit */
    bool syscall;   /* SYSCALL/SYSRET */
    bool rdtscp;
    bool x2apic;
    bool smep;
    bool smap;
    bool umip;      /* user-mode instruction prevention: SGDT/SIDT/SLDT/SMSW/STR are privileged */
    bool gbpages;   /* 1 GiB pages */
    char vendor[13];            /* "GenuineIntel", "AuthenticAMD", ... */
    char brand[49];             /* the processor's name (CPUID 0x80000002-4), or "" */
    unsigned family, model, stepping;   /* as Linux's /proc/cpuinfo shows them */
};

extern struct cpu_features cpu_features;

/* The boot CPU's per-CPU area (arch/percpu.h): first thing in kmain. */
void cpu_boot_init(void);

void cpu_detect_features(void);
void cpu_print_features(void);

/*
 * Turn on SMEP and SMAP when the CPU has them: the kernel then faults on
 * executing or touching user pages.  It never needs to, since its user-copy
 * helpers go through the direct map (kernel/vm.c).  And UMIP, so that user
 * code cannot read the descriptor-table addresses (SGDT, SIDT), which would
 * reveal where the kernel lies.
 */
void cpu_enable_protections(void);

static inline void irq_enable(void)  { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }

#define RFLAGS_IF_BIT (1 << 9)

/* Whether interrupts are on. */
static inline bool irq_enabled(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0" : "=r"(flags) :: "memory");
    return flags & RFLAGS_IF_BIT;
}

/* Disable interrupts and return whether they were on, for irq_restore(). */
static inline bool irq_save(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) :: "memory");
    return flags & RFLAGS_IF_BIT;
}

static inline void irq_restore(bool enabled)
{
    if (enabled)
        irq_enable();
}

/* Sleep until the next interrupt. */
static inline void cpu_idle(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

static inline void cpu_relax(void) { __asm__ volatile("pause"); }

/* Stop this CPU for good. */
static inline __attribute__((noreturn)) void cpu_halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* The time-stamp counter, ordered after earlier instructions (LFENCE). */
static inline uint64_t rdtsc_ordered(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

/*
 * The time-stamp counter, unordered: it may be read a few instructions early
 * or late.  Cheaper than rdtsc_ordered() (no LFENCE), for timestamps that
 * need no more precision than that (the scheduler trace).
 */
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* The current frame pointer, where backtraces start. */
static inline uint64_t cpu_frame_pointer(void)
{
    uint64_t rbp;
    __asm__ volatile("movq %%rbp, %0" : "=r"(rbp));
    return rbp;
}

#endif
