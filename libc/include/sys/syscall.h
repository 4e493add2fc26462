/* System call numbers (SYS_*), for syscall(): the kernel's own list. */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H
#include <abi/syscall.h>
#endif
