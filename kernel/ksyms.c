/*
 * Symbol lookup in the table that tools/mksyms.sh generates: function start
 * addresses in ascending order, with the offset of each name in one string
 * block.  Binary search: the table has a few thousand entries.
 */
#include <kernel/ksyms.h>
#include <stddef.h>

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addresses[];
extern const uint32_t ksyms_name_offsets[];
extern const char ksyms_names[];

const char *ksyms_lookup(uint64_t addr, uint64_t *offset)
{
    size_t lo = 0, hi = ksyms_count;    /* answer in [lo, hi) */
    if (hi == 0 || addr < ksyms_addresses[0])
        return NULL;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ksyms_addresses[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    *offset = addr - ksyms_addresses[lo];
    return ksyms_names + ksyms_name_offsets[lo];
}
