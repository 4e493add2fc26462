/*
 * POSIX shared memory, as Linux libcs do it: an object is a file in
 * /dev/shm (a directory of the RAM file system), sized with ftruncate and
 * mapped with mmap(MAP_SHARED) in each process that opens it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../internal/shm_name.h"

int __shm_path(const char *name, const char *prefix, char path[SHM_PATH_MAX])
{
    while (*name == '/')
        name++;
    size_t len = strlen(name), prefix_len = strlen(prefix);
    if (!len || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        errno = EINVAL;
        return -1;
    }
    if (prefix_len + len > NAME_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(path, SHM_DIR, sizeof SHM_DIR - 1);
    memcpy(path + sizeof SHM_DIR - 1, prefix, prefix_len);
    memcpy(path + sizeof SHM_DIR - 1 + prefix_len, name, len + 1);
    return 0;
}

int shm_open(const char *name, int flags, mode_t mode)
{
    char path[SHM_PATH_MAX];
    if (__shm_path(name, "", path) != 0)
        return -1;
    return open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, mode);
}

int shm_unlink(const char *name)
{
    char path[SHM_PATH_MAX];
    return __shm_path(name, "", path) == 0 ? unlink(path) : -1;
}
