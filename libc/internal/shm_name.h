/* Names of POSIX shared memory objects and named semaphores: files in /dev/shm. */
#ifndef LIBC_INTERNAL_SHM_NAME_H
#define LIBC_INTERNAL_SHM_NAME_H

#include <limits.h>

#define SHM_DIR         "/dev/shm/"
#define SHM_PATH_MAX    (sizeof SHM_DIR + NAME_MAX)

/*
 * The file for name ("/name", as POSIX asks; more leading slashes are
 * skipped, as glibc does) with prefix before it ("sem." for semaphores,
 * as glibc names them): into path, 0; or -1 with errno EINVAL (an empty
 * name, ".", "..", or a '/' inside) or ENAMETOOLONG.
 */
int __shm_path(const char *name, const char *prefix, char path[SHM_PATH_MAX]);

#endif
