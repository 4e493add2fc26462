/* getrandom: bytes from the kernel's generator (kernel/device.c: not for cryptography). */
#ifndef _SYS_RANDOM_H
#define _SYS_RANDOM_H

#include <bits/types.h>
#include <abi/random.h>

ssize_t getrandom(void *buf, size_t length, unsigned int flags);

#endif
