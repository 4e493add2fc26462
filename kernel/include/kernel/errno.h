/* Kernel functions return -E... with Linux's numbers, shared with libc. */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#include <abi/errno.h>

#endif
