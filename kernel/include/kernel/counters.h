/*
 * Counter structs: structs made only of uint64_t counters (struct
 * sched_stats, struct mmu_stats), kept per CPU and added up on demand.
 */
#ifndef KERNEL_COUNTERS_H
#define KERNEL_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

static inline void counters_add_words(uint64_t *sum, const uint64_t *add, size_t words)
{
    for (size_t i = 0; i < words; i++)
        sum[i] += add[i];
}

/* *sum += *add, counter by counter; both of one counter struct type. */
#define COUNTERS_ADD(sum, add)                                                            \
    do {                                                                                  \
        _Static_assert(sizeof *(sum) == sizeof *(add) && sizeof *(sum) % sizeof(uint64_t) == 0, \
                       "a counter struct holds uint64_t counters only");                  \
        counters_add_words((uint64_t *)(sum), (const uint64_t *)(add), sizeof *(sum) / sizeof(uint64_t)); \
    } while (0)

#endif
