/*
 * In-kernel micro-benchmarks of what user space cannot time by itself:
 * the bare context-switch routine and a CR3 write with and without the
 * PCID no-flush bit.  Each call times one operation with the TSC.
 */
#ifndef ARCH_BENCH_H
#define ARCH_BENCH_H

#include <stdint.h>

enum arch_bench {
    ARCH_BENCH_EMPTY,           /* nothing between the two TSC reads: the measurement's own cost */
    ARCH_BENCH_SWITCH,          /* switch_stacks to another context and back, halved */
    ARCH_BENCH_CR3_FLUSH,       /* rewrite CR3 so that it flushes the TLB's user entries */
    ARCH_BENCH_CR3_NOFLUSH,     /* rewrite CR3 with the PCID no-flush bit (PCIDs only) */
};

/* Cycles one operation took; 0 on success, -1 if the CPU cannot do it. */
int arch_bench_sample(enum arch_bench what, uint64_t *cycles);

#endif
