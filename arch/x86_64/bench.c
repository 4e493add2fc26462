/*
 * In-kernel micro-benchmarks (see arch/bench.h).  The switch benchmark
 * bounces between the caller and a tiny context on a stack of its own,
 * with the same switch_stacks routine the scheduler uses: a round trip is
 * two switches.  Interrupts are off while timing.
 */
#include <arch/bench.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include "x86.h"

#define BOUNCE_STACK_SIZE 4096
#define CR3_NOFLUSH      (1ull << 63)
#define CR3_PCID_MASK    0xfffull

extern void switch_stacks(uint64_t *save_rsp, uint64_t new_rsp);

static uint64_t caller_rsp, bounce_rsp;
static uint8_t bounce_stack[BOUNCE_STACK_SIZE] __attribute__((aligned(16)));

/* The other context: forever switch straight back to the caller. */
static void bounce(void)
{
    for (;;)
        switch_stacks(&bounce_rsp, caller_rsp);
}

/* A first switch frame for bounce (layout of struct switch_frame in thread.c). */
static void bounce_init(void)
{
    uint64_t *sp = (uint64_t *)(bounce_stack + BOUNCE_STACK_SIZE);
    *--sp = 0;                          /* alignment: bounce starts as if called */
    *--sp = (uint64_t)bounce;           /* return address of the first switch */
    for (int i = 0; i < 6; i++)         /* rbp rbx r12 r13 r14 r15 */
        *--sp = 0;
    bounce_rsp = (uint64_t)sp;
}

int arch_bench_sample(enum arch_bench what, uint64_t *cycles)
{
    if (what == ARCH_BENCH_CR3_NOFLUSH && !mmu_pcid_enabled())
        return -1;              /* decided before timing: no call inside the measurement */
    bool irq = irq_save();
    uint64_t cr3 = read_cr3(), start, end;
    int result = 0;
    if (what == ARCH_BENCH_SWITCH && !bounce_rsp)
        bounce_init();
    start = rdtsc_ordered();
    switch (what) {
    case ARCH_BENCH_EMPTY:
        break;
    case ARCH_BENCH_SWITCH:
        switch_stacks(&caller_rsp, bounce_rsp);
        break;
    case ARCH_BENCH_CR3_FLUSH:
        write_cr3(cr3 & ~CR3_NOFLUSH);
        break;
    case ARCH_BENCH_CR3_NOFLUSH:
        write_cr3(cr3 | CR3_NOFLUSH);
        break;
    }
    end = rdtsc_ordered();
    irq_restore(irq);
    *cycles = what == ARCH_BENCH_SWITCH ? (end - start) / 2 : end - start;
    return result;
}
