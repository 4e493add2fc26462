/* Memory mappings: Linux's flags.  The kernel maps anonymous memory and files, private or shared. */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H

#include <bits/types.h>

#include <abi/mman.h>       /* PROT_* and MAP_*, shared with the kernel */

#define MAP_ANON      MAP_ANONYMOUS
#define MAP_FAILED    ((void *)-1)

void *mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset);
int munmap(void *address, size_t length);
int mprotect(void *address, size_t length, int protection);
int madvise(void *address, size_t length, int advice);
int msync(void *address, size_t length, int flags);
/* mremap(old, old_length, new_length, flags) or, with MREMAP_FIXED, (..., void *new_address). */
void *mremap(void *old, size_t old_length, size_t new_length, int flags, ...);

/* POSIX shared memory objects: files in /dev/shm (libc/unistd/shm.c). */
int shm_open(const char *name, int flags, mode_t mode);
int shm_unlink(const char *name);

#endif
