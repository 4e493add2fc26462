/*
 * errno: the error numbers are Linux's (abi/errno.h, shared with the
 * kernel).  errno is per thread: a __thread variable inside libc, reached
 * through __errno_location() so that old code that says "extern int errno;"
 * still compiles (it then declares the function, harmlessly).
 */
#ifndef _ERRNO_H
#define _ERRNO_H

#include <abi/errno.h>

#define EWOULDBLOCK EAGAIN

int *__errno_location(void) __attribute__((const));
#define errno (*__errno_location())

/* The program's name (argv[0]), as glibc names it. */
extern char *program_invocation_name;

#endif
