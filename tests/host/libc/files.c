/* Files and directories on our libc: open/read/write/lseek, dup, stat, directories, uname. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "check.h"

#define DIR_PATH "/tmp/libc-files-test"
#define FILE_COUNT 300              /* more entries than one getdents64 buffer holds */

static int file_descriptors(void)
{
    int fd = open(DIR_PATH ".f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0, "open: %s", strerror(errno));
    struct iovec iov[2] = { { "hello ", 6 }, { "world", 5 } };
    CHECK(writev(fd, iov, 2) == 11, "writev");
    CHECK(lseek(fd, 0, SEEK_CUR) == 11 && lseek(fd, 6, SEEK_SET) == 6, "lseek");
    char buf[16] = { 0 };
    CHECK(read(fd, buf, sizeof buf) == 5 && strcmp(buf, "world") == 0, "read \"%s\"", buf);
    int copy = dup(fd);
    CHECK(copy > fd && lseek(copy, 0, SEEK_CUR) == 11, "dup shares the offset");
    CHECK(dup2(fd, 50) == 50 && close(50) == 0, "dup2");
    struct stat st;
    CHECK(fstat(copy, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 11 && (st.st_mode & 0777) == 0600,
          "fstat: mode %o size %ld", st.st_mode, (long)st.st_size);
    CHECK(close(fd) == 0 && close(copy) == 0 && close(copy) == -1 && errno == EBADF, "close twice: EBADF");
    CHECK(access(DIR_PATH ".f", R_OK) == 0 && unlink(DIR_PATH ".f") == 0 && access(DIR_PATH ".f", F_OK) == -1
          && errno == ENOENT, "access/unlink");
    CHECK(open(DIR_PATH ".f", O_RDONLY) == -1 && errno == ENOENT, "open of a removed file");
    int fds[2];
    CHECK(pipe(fds) == 0 && write(fds[1], "p", 1) == 1 && read(fds[0], buf, 1) == 1 && buf[0] == 'p', "pipe");
    CHECK(!isatty(fds[0]) && errno == ENOTTY, "a pipe is no terminal");
    char two[2][8];             /* a readv takes what a pipe holds: it does not wait to fill its second buffer */
    struct iovec in[2] = { { two[0], sizeof two[0] }, { two[1], sizeof two[1] } };
    CHECK(write(fds[1], "12345678", 8) == 8 && readv(fds[0], in, 2) == 8 && memcmp(two[0], "12345678", 8) == 0,
          "readv of a pipe holding one buffer's bytes");
    /* A buffer running into an unmapped page: EFAULT both ways, and the pipe keeps its bytes. */
    enum { PAGE_BYTES = 4096, GOOD = 4 };
    char *page = mmap(NULL, 2 * PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page != MAP_FAILED && munmap(page + PAGE_BYTES, PAGE_BYTES) == 0, "mmap, munmap");
    char *edge = page + PAGE_BYTES - GOOD;
    memset(edge, 'x', GOOD);
    CHECK(write(fds[1], edge, 16) == -1 && errno == EFAULT, "pipe write running into a hole");
    CHECK(write(fds[1], "abcdefgh", 8) == 8 && read(fds[0], edge, 16) == -1 && errno == EFAULT,
          "pipe read running into a hole");
    CHECK(read(fds[0], two[0], 8) == 8 && memcmp(two[0], "abcdefgh", 8) == 0, "the pipe kept its bytes");
    munmap(page, PAGE_BYTES);
    close(fds[0]);
    close(fds[1]);
    return 1;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* scandir filter: the files whose number ends in 7. */
static int ends_in_seven(const struct dirent *entry)
{
    size_t len = strlen(entry->d_name);
    return len > 0 && entry->d_name[len - 1] == '7';
}

/* Make FILE_COUNT files, then find each exactly once with readdir, and a filtered,
 * sorted subset with scandir. */
static int directories(void)
{
    static char *names[FILE_COUNT + 2];
    char path[64];
    CHECK(mkdir(DIR_PATH, 0700) == 0 || errno == EEXIST, "mkdir: %s", strerror(errno));
    for (int i = 0; i < FILE_COUNT; i++) {
        snprintf(path, sizeof path, DIR_PATH "/file-%03d", i);
        int fd = open(path, O_CREAT | O_WRONLY, 0600);
        CHECK(fd >= 0, "create %s", path);
        close(fd);
    }
    DIR *dir = opendir(DIR_PATH);
    CHECK(dir != NULL, "opendir");
    int count = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL && count < FILE_COUNT + 2; )
        names[count++] = strdup(e->d_name);
    closedir(dir);
    CHECK(count == FILE_COUNT + 2, "readdir saw %d entries", count);
    qsort(names, (size_t)count, sizeof names[0], compare_names);
    CHECK(!strcmp(names[0], ".") && !strcmp(names[1], "..") && !strcmp(names[2], "file-000") &&
          !strcmp(names[count - 1], "file-299"), "names: %s %s %s", names[0], names[2], names[count - 1]);
    for (int i = 0; i < count; i++)
        free(names[i]);
    struct dirent **entries;
    int matched = scandir(DIR_PATH, &entries, ends_in_seven, alphasort);
    CHECK(matched == FILE_COUNT / 10, "scandir matched %d", matched);
    CHECK(!strcmp(entries[0]->d_name, "file-007") && !strcmp(entries[1]->d_name, "file-017") &&
          !strcmp(entries[matched - 1]->d_name, "file-297"), "scandir order: %s %s",
          entries[0]->d_name, entries[matched - 1]->d_name);
    for (int i = 0; i < matched; i++)
        free(entries[i]);
    free(entries);
    CHECK(scandir(DIR_PATH "/none", &entries, NULL, NULL) == -1 && errno == ENOENT, "scandir of no directory");
    CHECK(rmdir(DIR_PATH) == -1 && errno == ENOTEMPTY, "rmdir of a full directory");
    for (int i = 0; i < FILE_COUNT; i++) {
        snprintf(path, sizeof path, DIR_PATH "/file-%03d", i);
        unlink(path);
    }
    char cwd[256], back[256];
    CHECK(getcwd(back, sizeof back) && chdir(DIR_PATH) == 0 && getcwd(cwd, sizeof cwd) &&
          strcmp(cwd, DIR_PATH) == 0 && chdir(back) == 0, "chdir/getcwd: %s", cwd);
    CHECK(rmdir(DIR_PATH) == 0 && opendir(DIR_PATH) == NULL && errno == ENOENT, "rmdir");
    struct stat st;
    CHECK(stat("/", &st) == 0 && S_ISDIR(st.st_mode), "stat /");
    return 1;
}

static int system_name(void)
{
    struct utsname u;
    CHECK(uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0 && u.machine[0], "uname: %s %s",
          u.sysname, u.machine);
    CHECK(sysconf(_SC_PAGESIZE) == 4096 && getpagesize() == 4096, "page size");
    return 1;
}

int main(void)
{
    RUN(file_descriptors);
    RUN(directories);
    RUN(system_name);
    return failures != 0;
}
