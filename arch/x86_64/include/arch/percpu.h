/*
 * This CPU: its number and the thread it runs, read from the per-CPU area
 * (arch/x86_64/percpu.h) through GS with one instruction, so that
 * thread_current() stays as cheap as a global.  Valid once the boot code
 * has installed the area (kmain does it first thing).
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

/* CPUs the kernel can run: `make run CPUS=N` takes 1 to 8. */
#define CPU_MAX         8

#define PERCPU_CURRENT  16      /* offsets in struct percpu, checked in arch/x86_64/percpu.c */
#define PERCPU_ID       24

#ifndef __ASSEMBLER__
#include <stdint.h>

struct thread;

/*
 * The number of the CPU this code runs on, 0 .. CPU_MAX - 1.  A thread
 * moves to another CPU only at a switch, so the answer holds while a lock
 * is held (interrupts off); otherwise it is a hint, as getcpu's is.
 */
static inline unsigned cpu_id(void)
{
    uint64_t id;
    __asm__ volatile("movq %%gs:%c1, %0" : "=r"(id) : "i"(PERCPU_ID));
    return (unsigned)id;
}

/* The thread this CPU runs (the scheduler sets it at every switch). */
static inline struct thread *cpu_current_thread(void)
{
    struct thread *t;
    __asm__ volatile("movq %%gs:%c1, %0" : "=r"(t) : "i"(PERCPU_CURRENT));
    return t;
}

static inline void cpu_set_current_thread(struct thread *t)
{
    __asm__ volatile("movq %0, %%gs:%c1" :: "r"(t), "i"(PERCPU_CURRENT) : "memory");
}
#endif

#endif
