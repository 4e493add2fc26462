/*
 * Named semaphores, as glibc and musl make them: the semaphore lives in a
 * file, /dev/shm/sem.NAME, that each process maps shared (a process-shared
 * sem_t: its futex is keyed by the physical page, so every mapping of it
 * meets the same waiters).
 *
 * Creation must never show a half-made semaphore to another sem_open: the
 * creator writes a ready sem_t into a file of its own, maps it, then
 * gives it the name with link(), which fails with EEXIST if the name
 * exists already; the loser of a race opens the winner's instead (unless
 * O_EXCL).  Each sem_open maps the file anew (two opens in one process
 * give two addresses of one semaphore); sem_close unmaps it.
 */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../internal/shm_name.h"

#define SEM_PREFIX "sem."

/* Map the semaphore open at fd, then close fd: the semaphore, or SEM_FAILED. */
static sem_t *map_semaphore(int fd)
{
    struct stat st;
    void *p = MAP_FAILED;
    if (fstat(fd, &st) != 0)
        ;
    else if (st.st_size < (off_t)sizeof(sem_t))
        errno = EINVAL;         /* not a semaphore's file */
    else
        p = mmap(NULL, sizeof(sem_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int saved = errno;
    close(fd);
    errno = saved;
    return p == MAP_FAILED ? SEM_FAILED : p;
}

/* A new semaphore of value named path, mapped: it, or SEM_FAILED with errno (EEXIST: the name is taken). */
static sem_t *create(const char *path, mode_t mode, unsigned value)
{
    static unsigned attempt;
    char tmp[SHM_PATH_MAX];
    sem_t ready;
    sem_init(&ready, 1, value);
    int fd = -1;
    while (fd < 0) {
        snprintf(tmp, sizeof tmp, SHM_DIR SEM_PREFIX "tmp-%d-%u", (int)getpid(),
                 __atomic_add_fetch(&attempt, 1, __ATOMIC_RELAXED));
        fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd < 0 && errno != EEXIST)
            return SEM_FAILED;
    }
    if (write(fd, &ready, sizeof ready) != (ssize_t)sizeof ready) {
        close(fd);
        unlink(tmp);
        return SEM_FAILED;
    }
    sem_t *sem = map_semaphore(fd);
    int err = sem == SEM_FAILED ? errno : link(tmp, path) == 0 ? 0 : errno;
    unlink(tmp);
    if (err && sem != SEM_FAILED)
        munmap(sem, sizeof *sem);
    errno = err;
    return err ? SEM_FAILED : sem;
}

sem_t *sem_open(const char *name, int flags, ...)
{
    char path[SHM_PATH_MAX];
    mode_t mode = 0;
    unsigned value = 0;
    if (__shm_path(name, SEM_PREFIX, path) != 0)
        return SEM_FAILED;
    if (flags & ~(O_CREAT | O_EXCL)) {
        errno = EINVAL;
        return SEM_FAILED;
    }
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        value = va_arg(ap, unsigned);
        va_end(ap);
        if (value > SEM_VALUE_MAX) {
            errno = EINVAL;
            return SEM_FAILED;
        }
    }
    for (;;) {
        if (flags != (O_CREAT | O_EXCL)) {
            int fd = open(path, O_RDWR | O_CLOEXEC);
            if (fd >= 0)
                return map_semaphore(fd);
            if (errno != ENOENT || !(flags & O_CREAT))
                return SEM_FAILED;
        }
        sem_t *sem = create(path, mode, value);
        if (sem != SEM_FAILED || errno != EEXIST || (flags & O_EXCL))
            return sem;
        /* another process made it between our open and our link: open theirs */
    }
}

int sem_close(sem_t *sem)
{
    return munmap(sem, sizeof *sem);
}

int sem_unlink(const char *name)
{
    char path[SHM_PATH_MAX];
    return __shm_path(name, SEM_PREFIX, path) == 0 ? unlink(path) : -1;
}
