/*
 * Files as shared memory, as Linux defines it, in cases that run both on
 * the Linux host (tests/host/libc/shm_file.c: our libc on Linux's kernel)
 * and in our kernel (tests/user/test_filemap.c): mmap of files, shared
 * (a write through the mapping is what read sees, and the reverse) and
 * private (copied on write), ftruncate, SIGBUS past the end, link,
 * shm_open and named semaphores between processes.  Each case returns 1,
 * or fails through the includer's CHECK (check.h returns 0, utest.h ends
 * the test).
 */
#ifndef TESTS_USER_SHM_FILE_CASES_H
#define TESTS_USER_SHM_FILE_CASES_H

#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SF_PAGE         4096
#define SF_DIR          "/tmp"
#define SF_SHM_NAME     "/utest_shm"
#define SF_SEM_NAME     "/utest_sem"
#define SF_ROUNDS       100             /* posts from one process to the other */

/* A path of its own for this process: SF_DIR/sf_TAG_PID. */
static const char *sf_path(char *buf, size_t size, const char *tag)
{
    snprintf(buf, size, SF_DIR "/sf_%s_%d", tag, (int)getpid());
    return buf;
}

/* A new file of size bytes, open read-write; its path in path. */
static int sf_file(char *path, size_t size_of_path, const char *tag, off_t size)
{
    sf_path(path, size_of_path, tag);
    unlink(path);
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd >= 0 && ftruncate(fd, size) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* How the child ended: its signal, or 0 if it exited. */
static int sf_child_signal(pid_t pid)
{
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

/* MAP_SHARED: a store through the mapping is what read returns, and a write is what the mapping shows. */
static int sf_shared_mapping_is_the_file(void)
{
    char path[64], buf[16];
    int fd = sf_file(path, sizeof path, "shared", 2 * SF_PAGE);
    CHECK(fd >= 0, "the file: %s", strerror(errno));
    char *p = mmap(NULL, 2 * SF_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
    CHECK(p[0] == 0 && p[2 * SF_PAGE - 1] == 0, "a new file's pages read as zeros");
    memcpy(p + SF_PAGE + 10, "mapped", 6);
    CHECK(pread(fd, buf, 6, SF_PAGE + 10) == 6 && memcmp(buf, "mapped", 6) == 0, "read sees the store");
    CHECK(pwrite(fd, "written", 7, 100) == 7, "pwrite: %s", strerror(errno));
    CHECK(memcmp(p + 100, "written", 7) == 0, "the mapping sees the write");
    CHECK(msync(p, 2 * SF_PAGE, MS_SYNC) == 0, "msync: %s", strerror(errno));
    CHECK(munmap(p, 2 * SF_PAGE) == 0, "munmap");
    p = mmap(NULL, SF_PAGE, PROT_READ, MAP_SHARED, fd, SF_PAGE);
    CHECK(p != MAP_FAILED && memcmp(p + 10, "mapped", 6) == 0, "a second mapping at an offset sees the store");
    munmap(p, SF_PAGE);
    close(fd);
    unlink(path);
    return 1;
}

/* MAP_PRIVATE: the mapping reads the file; a store makes a copy that neither the file nor a sibling sees. */
static int sf_private_mapping_copies(void)
{
    char path[64], buf[8];
    int fd = sf_file(path, sizeof path, "private", SF_PAGE);
    CHECK(fd >= 0, "the file: %s", strerror(errno));
    CHECK(pwrite(fd, "file", 4, 0) == 4, "pwrite");
    char *p = mmap(NULL, SF_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    char *q = mmap(NULL, SF_PAGE, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED && q != MAP_FAILED, "mmap: %s", strerror(errno));
    CHECK(memcmp(p, "file", 4) == 0, "the private mapping reads the file");
    memcpy(p, "mine", 4);
    CHECK(memcmp(p, "mine", 4) == 0, "the store stays in the private mapping");
    CHECK(pread(fd, buf, 4, 0) == 4 && memcmp(buf, "file", 4) == 0, "the file did not change");
    CHECK(memcmp(q, "file", 4) == 0, "a shared mapping of the file did not change");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        p[0] = 'M';             /* the child's copy of the copy */
        _exit(memcmp(q, "file", 4) == 0 ? 0 : 1);
    }
    CHECK(sf_child_signal(pid) == 0, "the child");
    CHECK(p[0] == 'm', "the child's store stayed in the child");
    munmap(p, SF_PAGE);
    munmap(q, SF_PAGE);
    close(fd);
    unlink(path);
    return 1;
}

/* ftruncate grows with zeros, shrinks (the cut tail reads as zeros after growing again); bad lengths fail. */
static int sf_ftruncate(void)
{
    char path[64], buf[8];
    struct stat st;
    int fd = sf_file(path, sizeof path, "trunc", 0);
    CHECK(fd >= 0, "the file: %s", strerror(errno));
    CHECK(write(fd, "abcdefgh", 8) == 8, "write");
    CHECK(ftruncate(fd, 3 * SF_PAGE) == 0 && fstat(fd, &st) == 0 && st.st_size == 3 * SF_PAGE, "grow");
    CHECK(pread(fd, buf, 8, 2 * SF_PAGE) == 8 && memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0, "zeros past the old end");
    CHECK(ftruncate(fd, 4) == 0 && fstat(fd, &st) == 0 && st.st_size == 4, "shrink");
    CHECK(ftruncate(fd, 8) == 0 && pread(fd, buf, 8, 0) == 8 && memcmp(buf, "abcd\0\0\0\0", 8) == 0,
          "the cut bytes read as zeros after growing again");
    CHECK(truncate(path, 2) == 0 && stat(path, &st) == 0 && st.st_size == 2, "truncate by path");
    CHECK(ftruncate(fd, -1) == -1 && errno == EINVAL, "a negative length: %s", strerror(errno));
    int ro = open(path, O_RDONLY);
    CHECK(ro >= 0 && ftruncate(ro, 0) == -1 && errno == EINVAL, "a read-only descriptor: %s", strerror(errno));
    close(ro);
    CHECK(ftruncate(-1, 0) == -1 && errno == EBADF, "a bad descriptor");
    CHECK(truncate(SF_DIR, 0) == -1 && errno == EISDIR, "a directory: %s", strerror(errno));
    close(fd);
    unlink(path);
    return 1;
}

/* A touch past the file's last page kills with SIGBUS, as Linux; inside the last page is fine. */
static int sf_sigbus_past_the_end(void)
{
    char path[64];
    int fd = sf_file(path, sizeof path, "bus", SF_PAGE / 2);
    CHECK(fd >= 0, "the file: %s", strerror(errno));
    char *p = mmap(NULL, 2 * SF_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
    p[SF_PAGE - 1] = 1;         /* the last page, past the size: still the file's page */
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        p[SF_PAGE] = 1;
        _exit(0);
    }
    CHECK(sf_child_signal(pid) == SIGBUS, "the child's touch past the end");
    munmap(p, 2 * SF_PAGE);
    close(fd);
    unlink(path);
    return 1;
}

/* What mmap of a file refuses, as Linux. */
static int sf_mapping_errors(void)
{
    char path[64];
    int fd = sf_file(path, sizeof path, "errors", SF_PAGE);
    CHECK(fd >= 0, "the file: %s", strerror(errno));
    int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY), dir = open(SF_DIR, O_RDONLY), pipes[2];
    CHECK(ro >= 0 && wo >= 0 && dir >= 0 && pipe(pipes) == 0, "the descriptors");
    CHECK(mmap(NULL, SF_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED && errno == EACCES,
          "shared and writable through a read-only descriptor: %s", strerror(errno));
    CHECK(mmap(NULL, SF_PAGE, PROT_READ, MAP_SHARED, wo, 0) == MAP_FAILED && errno == EACCES,
          "a write-only descriptor: %s", strerror(errno));
    CHECK(mmap(NULL, SF_PAGE, PROT_READ, MAP_SHARED, fd, 100) == MAP_FAILED && errno == EINVAL,
          "an unaligned offset: %s", strerror(errno));
    CHECK(mmap(NULL, SF_PAGE, PROT_READ, MAP_SHARED, -1, 0) == MAP_FAILED && errno == EBADF, "a bad descriptor");
    CHECK(mmap(NULL, SF_PAGE, PROT_READ, MAP_SHARED, dir, 0) == MAP_FAILED && errno == ENODEV,
          "a directory: %s", strerror(errno));
    CHECK(mmap(NULL, SF_PAGE, PROT_READ, MAP_SHARED, pipes[0], 0) == MAP_FAILED && errno == ENODEV,
          "a pipe: %s", strerror(errno));
    char *p = mmap(NULL, SF_PAGE, PROT_READ, MAP_SHARED, ro, 0);
    CHECK(p != MAP_FAILED, "read-only and shared: %s", strerror(errno));
    CHECK(mprotect(p, SF_PAGE, PROT_READ | PROT_WRITE) == -1 && errno == EACCES,
          "mprotect cannot make it writable: %s", strerror(errno));
    munmap(p, SF_PAGE);
    p = mmap(NULL, SF_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
    CHECK(p != MAP_FAILED, "private and writable through a read-only descriptor: %s", strerror(errno));
    p[0] = 1;
    munmap(p, SF_PAGE);
    close(ro), close(wo), close(dir), close(pipes[0]), close(pipes[1]), close(fd);
    unlink(path);
    return 1;
}

/* link: a second name for one file (one inode, two links); errors as Linux. */
static int sf_link(void)
{
    char path[64], other[64], buf[4];
    struct stat a, b;
    int fd = sf_file(path, sizeof path, "link", 0);
    CHECK(fd >= 0, "the file: %s", strerror(errno));
    CHECK(write(fd, "data", 4) == 4, "write");
    sf_path(other, sizeof other, "link2");
    unlink(other);
    CHECK(link(path, other) == 0, "link: %s", strerror(errno));
    CHECK(stat(path, &a) == 0 && stat(other, &b) == 0 && a.st_ino == b.st_ino && a.st_nlink == 2,
          "one inode, two links: %lu %lu, %lu", (unsigned long)a.st_ino, (unsigned long)b.st_ino,
          (unsigned long)a.st_nlink);
    CHECK(link(path, other) == -1 && errno == EEXIST, "an existing name: %s", strerror(errno));
    char fresh[64];
    sf_path(fresh, sizeof fresh, "link3");
    CHECK(link(SF_DIR, fresh) == -1 && errno == EPERM, "a directory: %s", strerror(errno));
    CHECK(link(path, SF_DIR "/no_such_dir/x") == -1 && errno == ENOENT, "a missing directory: %s",
          strerror(errno));
    CHECK(linkat(AT_FDCWD, path, AT_FDCWD, other, 0x12345) == -1 && errno == EINVAL, "bad flags");
    CHECK(unlink(path) == 0 && stat(other, &b) == 0 && b.st_nlink == 1, "the other name stays");
    int again = open(other, O_RDONLY);
    CHECK(again >= 0 && read(again, buf, 4) == 4 && memcmp(buf, "data", 4) == 0, "the data by the other name");
    close(again);
    CHECK(fstat(fd, &a) == 0 && a.st_nlink == 1, "the descriptor's file has one link left");
    close(fd);
    unlink(other);
    return 1;
}

/* shm_open: O_CREAT, O_EXCL, ENOENT, a bad name; sized with ftruncate, shared across fork. */
static int sf_shm_open(void)
{
    shm_unlink(SF_SHM_NAME);
    int fd = shm_open(SF_SHM_NAME, O_RDWR | O_CREAT | O_EXCL, 0600);
    CHECK(fd >= 0, "shm_open: %s", strerror(errno));
    CHECK(shm_open(SF_SHM_NAME, O_RDWR | O_CREAT | O_EXCL, 0600) == -1 && errno == EEXIST, "O_EXCL");
    CHECK(shm_open("/utest_no_such_shm", O_RDWR, 0) == -1 && errno == ENOENT, "a missing name");
    CHECK(shm_open("/a/b", O_RDWR | O_CREAT, 0600) == -1 && errno == EINVAL, "a '/' inside: %s",
          strerror(errno));
    CHECK(ftruncate(fd, SF_PAGE) == 0, "ftruncate: %s", strerror(errno));
    volatile int *word = mmap(NULL, SF_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(word != MAP_FAILED, "mmap: %s", strerror(errno));
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        int mine = shm_open(SF_SHM_NAME, O_RDWR, 0);
        volatile int *w = mine >= 0 ? mmap(NULL, SF_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, mine, 0) : MAP_FAILED;
        if (w == MAP_FAILED)
            _exit(1);
        *w = 42;                /* through a mapping of its own open */
        _exit(0);
    }
    CHECK(sf_child_signal(pid) == 0, "the child");
    CHECK(*word == 42, "the parent sees the child's store: %d", *word);
    CHECK(shm_unlink(SF_SHM_NAME) == 0 && shm_unlink(SF_SHM_NAME) == -1 && errno == ENOENT, "shm_unlink");
    CHECK(*word == 42, "the mapping outlives the name");
    munmap((void *)word, SF_PAGE);
    close(fd);
    return 1;
}

/* sem_open: creation, O_EXCL, ENOENT, bad names and values; a semaphore between two processes. */
static int sf_named_semaphores(void)
{
    sem_unlink(SF_SEM_NAME);
    CHECK(sem_open(SF_SEM_NAME, 0) == SEM_FAILED && errno == ENOENT, "a missing name: %s", strerror(errno));
    sem_t *s = sem_open(SF_SEM_NAME, O_CREAT | O_EXCL, 0600, 0);
    CHECK(s != SEM_FAILED, "sem_open: %s", strerror(errno));
    CHECK(sem_open(SF_SEM_NAME, O_CREAT | O_EXCL, 0600, 0) == SEM_FAILED && errno == EEXIST, "O_EXCL");
    CHECK(sem_open("/utest_big_sem", O_CREAT, 0600, (unsigned)SEM_VALUE_MAX + 1) == SEM_FAILED && errno == EINVAL,
          "a value past SEM_VALUE_MAX");
    CHECK(sem_open("/", O_CREAT, 0600, 0) == SEM_FAILED && errno == EINVAL, "an empty name");
    sem_t *again = sem_open(SF_SEM_NAME, O_CREAT, 0600, 5);
    CHECK(again != SEM_FAILED, "an existing name with O_CREAT: %s", strerror(errno));
    int value = -1;
    CHECK(sem_getvalue(again, &value) == 0 && value == 0, "the first creator's value stays: %d", value);
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        sem_t *c = sem_open(SF_SEM_NAME, 0);
        for (int i = 0; c != SEM_FAILED && i < SF_ROUNDS; i++)
            sem_post(c);
        _exit(c == SEM_FAILED);
    }
    for (int i = 0; i < SF_ROUNDS; i++)
        CHECK(sem_wait(s) == 0, "sem_wait %d: %s", i, strerror(errno));
    CHECK(sf_child_signal(pid) == 0, "the child");
    CHECK(sem_trywait(again) == -1 && errno == EAGAIN, "every post taken once");
    CHECK(sem_close(again) == 0 && sem_close(s) == 0, "sem_close");
    CHECK(sem_unlink(SF_SEM_NAME) == 0, "sem_unlink: %s", strerror(errno));
    CHECK(sem_unlink(SF_SEM_NAME) == -1 && errno == ENOENT, "a second unlink");
    return 1;
}

#endif
