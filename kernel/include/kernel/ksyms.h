/*
 * The kernel's own symbol table, embedded at build time (tools/mksyms.sh
 * generates it from a first link; the second link includes it), so panics
 * print function names.
 */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stdint.h>

/* The name of the function containing addr and the offset into it, or NULL. */
const char *ksyms_lookup(uint64_t addr, uint64_t *offset);

#endif
