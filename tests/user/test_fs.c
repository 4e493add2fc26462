/*
 * Files in memory: create, write, read, lseek, O_APPEND, O_TRUNC, O_EXCL,
 * unlink while open, mkdir and rmdir, stat sizes and types, directory
 * listings, working directories and the *at calls, the errors of each
 * (ENOENT EEXIST EISDIR ENOTDIR ENOTEMPTY ENOSPC), read-only /bin, stdio
 * streams on files; and every page given back once the files are gone.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include "utest.h"

#define MIB             (1024 * 1024)
#define LEAK_ROUNDS     20
#define SPACE_FILES_MAX 256             /* 1 MiB files: far more than the file system holds */
#define NOT_A_FD        50              /* a descriptor number no test opens */
#define LIST_MAX        16
#define LIST_NAME_MAX   32
#define ONE_RECORD      40              /* bytes: room for one short name's record, not two */
#define PIPES_TO_REUSE  8               /* kernel objects made to land on memory a bug freed */
#define MAX_RW_COUNT    0x7ffff000L     /* Linux's: the most one read or write moves */
#define FAR_OFFSET      (1LL << 40)     /* a legal offset far past what the file system holds */
#define SMALL_FILE      4096            /* the second fill: to within a few KiB of full */
#define SMALL_FILES_MAX 1024            /* more 4 KiB files than fit in the MiB of one big file */
#define SMALL_FREED     2               /* small files removed again: room for some names */
#define NAMES_MAX       2000            /* names in that room: far more than it holds */

/* ---- helpers ---- */

#define CHECK_ERRNO(call, err) \
    do { long r_ = (long)(call); \
         CHECK(r_ == -1 && errno == (err), "%s: %ld, errno %d, expected errno %d", #call, r_, errno, err); \
    } while (0)

/* Create (or truncate) path holding text; fails the test if it cannot. */
static void make_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "create %s: %s", path, strerror(errno));
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text), "write %s: %s", path, strerror(errno));
    close(fd);
}

/* The whole of path into buf (NUL-terminated); its length, or -1. */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    size_t used = 0;
    ssize_t n;
    while (used < size - 1 && (n = read(fd, buf + used, size - 1 - used)) > 0)
        used += (size_t)n;
    buf[used] = '\0';
    close(fd);
    return (ssize_t)used;
}

static off_t size_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

static unsigned char pattern(size_t i)
{
    return (unsigned char)(i * 131 + (i >> 9));
}

/* ---- files ---- */

static void warm_up(void)
{
    make_file("/tmp/fs_warm", "warm");
    char buf[8];
    CHECK(slurp("/tmp/fs_warm", buf, sizeof buf) == 4, "read back");
    CHECK(unlink("/tmp/fs_warm") == 0, "unlink: %s", strerror(errno));
    CHECK(mkdir("/tmp/fs_warm_dir", 0755) == 0 && rmdir("/tmp/fs_warm_dir") == 0, "mkdir and rmdir");
    DIR *d = opendir("/tmp");
    CHECK(d != NULL, "opendir: %s", strerror(errno));
    while (readdir(d))
        ;
    closedir(d);
}

static void create_write_read(void)
{
    const char *path = "/tmp/fs_a";
    char buf[64] = { 0 };
    struct stat st;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "create: %s", strerror(errno));
    CHECK(write(fd, "hello, world\n", 13) == 13, "write: %s", strerror(errno));
    CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 13, "fstat: mode %#o size %ld",
          st.st_mode, (long)st.st_size);
    close(fd);
    fd = open(path, O_RDONLY);
    CHECK(fd >= 0, "open: %s", strerror(errno));
    CHECK(read(fd, buf, sizeof buf) == 13 && memcmp(buf, "hello, world\n", 13) == 0, "read back \"%s\"", buf);
    CHECK(read(fd, buf, sizeof buf) == 0, "no end of file");
    close(fd);
    fd = open(path, O_RDWR);
    CHECK(fd >= 0, "open O_RDWR: %s", strerror(errno));
    CHECK(write(fd, "J", 1) == 1, "write: %s", strerror(errno));
    memset(buf, 0, sizeof buf);
    CHECK(read(fd, buf, sizeof buf) == 12 && strcmp(buf, "ello, world\n") == 0,
          "a read after a write goes on from the offset: \"%s\"", buf);
    close(fd);
    CHECK(slurp(path, buf, sizeof buf) == 13 && strcmp(buf, "Jello, world\n") == 0, "content \"%s\"", buf);
    CHECK(unlink(path) == 0, "unlink: %s", strerror(errno));
    CHECK_ERRNO(stat(path, &st), ENOENT);
    CHECK_ERRNO(open(path, O_RDONLY), ENOENT);
}

static void lseek_whence_and_holes(void)
{
    const char *path = "/tmp/fs_seek";
    char buf[128];
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "create: %s", strerror(errno));
    CHECK(write(fd, "0123456789", 10) == 10, "write");
    CHECK(lseek(fd, 0, SEEK_CUR) == 10, "SEEK_CUR after a write");
    CHECK(lseek(fd, 2, SEEK_SET) == 2 && read(fd, buf, 3) == 3 && memcmp(buf, "234", 3) == 0, "SEEK_SET");
    CHECK(lseek(fd, -1, SEEK_END) == 9 && read(fd, buf, 5) == 1 && buf[0] == '9', "SEEK_END");
    CHECK(lseek(fd, -2, SEEK_CUR) == 8, "SEEK_CUR back");
    CHECK_ERRNO(lseek(fd, -100, SEEK_SET), EINVAL);
    CHECK_ERRNO(lseek(fd, 0, 42), EINVAL);
    CHECK(lseek(fd, 0, SEEK_CUR) == 8, "a failed lseek moved the offset");
    CHECK(lseek(fd, 100, SEEK_SET) == 100, "seek past the end");
    CHECK(read(fd, buf, sizeof buf) == 0, "a read past the end is end of file");
    CHECK(size_of(path) == 10, "seeking changed the size");
    CHECK(write(fd, "X", 1) == 1 && size_of(path) == 101, "a write past the end: size %ld", (long)size_of(path));
    CHECK(lseek(fd, 10, SEEK_SET) == 10 && read(fd, buf, 91) == 91, "read the hole");
    for (int i = 0; i < 90; i++)
        CHECK(buf[i] == 0, "hole byte %d is %#x", 10 + i, buf[i]);
    CHECK(buf[90] == 'X', "the byte after the hole");
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    CHECK_ERRNO(lseek(fds[0], 0, SEEK_SET), ESPIPE);
    close(fds[0]);
    close(fds[1]);
    close(fd);
    unlink(path);
}

static void append_mode(void)
{
    const char *path = "/tmp/fs_append";
    char buf[32];
    int plain = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(plain >= 0 && write(plain, "abc", 3) == 3, "create: %s", strerror(errno));
    int app = open(path, O_WRONLY | O_APPEND);
    CHECK(app >= 0, "open O_APPEND: %s", strerror(errno));
    CHECK(fcntl(app, F_GETFL) & O_APPEND, "F_GETFL shows O_APPEND");
    CHECK(lseek(app, 0, SEEK_SET) == 0 && write(app, "def", 3) == 3, "write");
    CHECK(slurp(path, buf, sizeof buf) == 6 && strcmp(buf, "abcdef") == 0, "O_APPEND wrote at 0: \"%s\"", buf);
    CHECK(write(plain, "XYZ", 3) == 3, "write at the old offset");
    CHECK(write(app, "!", 1) == 1 && lseek(app, 0, SEEK_CUR) == 7, "the offset after an append");
    CHECK(slurp(path, buf, sizeof buf) == 7 && strcmp(buf, "abcXYZ!") == 0, "content \"%s\"", buf);
    close(plain);
    close(app);
    unlink(path);
}

static void truncate_on_open(void)
{
    const char *path = "/tmp/fs_trunc";
    char buf[32];
    struct stat st;
    make_file(path, "a longer content");
    int fd = open(path, O_WRONLY | O_TRUNC);
    CHECK(fd >= 0, "open O_TRUNC: %s", strerror(errno));
    CHECK(fstat(fd, &st) == 0 && st.st_size == 0, "size %ld after O_TRUNC", (long)st.st_size);
    CHECK(write(fd, "x", 1) == 1 && size_of(path) == 1, "size after a write");
    close(fd);
    CHECK(slurp(path, buf, sizeof buf) == 1 && strcmp(buf, "x") == 0, "the old bytes came back: \"%s\"", buf);
    fd = open(path, O_RDONLY);
    CHECK(fd >= 0 && size_of(path) == 1, "O_RDONLY without O_TRUNC keeps the file");
    close(fd);
    make_file(path, "old bytes");           /* cut, then written past the end: the gap reads as zeros */
    fd = open(path, O_RDWR | O_TRUNC);
    CHECK(fd >= 0 && lseek(fd, 6, SEEK_SET) == 6 && write(fd, "!", 1) == 1, "write: %s", strerror(errno));
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, sizeof buf) == 7, "read back");
    CHECK(memcmp(buf, "\0\0\0\0\0\0!", 7) == 0, "the truncated bytes came back: \"%.6s\"", buf);
    close(fd);
    unlink(path);
}

static void exclusive_create(void)
{
    const char *path = "/tmp/fs_excl";
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    CHECK(fd >= 0, "O_CREAT|O_EXCL of a new file: %s", strerror(errno));
    close(fd);
    CHECK_ERRNO(open(path, O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
    CHECK_ERRNO(open("/tmp", O_RDONLY | O_CREAT | O_EXCL, 0644), EEXIST);
    fd = open(path, O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0, "O_CREAT without O_EXCL opens an existing file: %s", strerror(errno));
    close(fd);
    unlink(path);
}

/* An unlinked file lives on while it is open: its data, its size, even writes. */
static void unlink_while_open(void)
{
    const char *path = "/tmp/fs_unlinked";
    static unsigned char data[10000], got[10001];
    struct stat st;
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = pattern(i);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && write(fd, data, sizeof data) == sizeof data, "create: %s", strerror(errno));
    int reader = open(path, O_RDONLY);
    CHECK(reader >= 0, "open: %s", strerror(errno));
    CHECK(unlink(path) == 0, "unlink: %s", strerror(errno));
    CHECK_ERRNO(stat(path, &st), ENOENT);
    CHECK_ERRNO(open(path, O_RDONLY), ENOENT);
    DIR *d = opendir("/tmp");
    struct dirent *e;
    CHECK(d, "opendir: %s", strerror(errno));
    while ((e = readdir(d)) != NULL)
        CHECK(strcmp(e->d_name, "fs_unlinked") != 0, "the unlinked name is still listed");
    closedir(d);
    CHECK(read(reader, got, sizeof got) == sizeof data && memcmp(got, data, sizeof data) == 0,
          "the data of an unlinked file is gone");
    CHECK(fstat(reader, &st) == 0 && st.st_size == sizeof data, "fstat size %ld", (long)st.st_size);
    CHECK(write(fd, "more", 4) == 4, "write to an unlinked file: %s", strerror(errno));
    CHECK(read(reader, got, sizeof got) == 4 && memcmp(got, "more", 4) == 0, "its new bytes");
    make_file(path, "new");     /* the name is free for a new file */
    CHECK(size_of(path) == 3, "the new file");
    CHECK(fstat(reader, &st) == 0 && st.st_size == sizeof data + 4, "the old file changed: size %ld",
          (long)st.st_size);
    close(fd);
    close(reader);
    unlink(path);
}

/* A file of 1 MiB written and read in odd sizes. */
static void large_file(void)
{
    const char *path = "/tmp/fs_large";
    unsigned char *data = malloc(MIB), *got = malloc(MIB);
    CHECK(data && got, "malloc");
    for (size_t i = 0; i < MIB; i++)
        data[i] = pattern(i);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "create: %s", strerror(errno));
    for (size_t done = 0, step = 1; done < MIB; step = step * 3 + 7) {
        size_t n = step % 70000 < MIB - done ? step % 70000 + 1 : MIB - done;
        CHECK(write(fd, data + done, n) == (ssize_t)n, "write at %zu: %s", done, strerror(errno));
        done += n;
    }
    CHECK(size_of(path) == MIB, "size %ld", (long)size_of(path));
    CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek");
    for (size_t done = 0, step = 5; done < MIB; step = step * 7 + 1) {
        ssize_t n = read(fd, got + done, step % 50000 + 1);
        CHECK(n > 0, "read at %zu: %zd", done, n);
        done += (size_t)n;
    }
    CHECK(memcmp(got, data, MIB) == 0, "the data came back changed");
    close(fd);
    unlink(path);
    free(data);
    free(got);
}

/* Parent and child share one open file, so one offset: their writes never overwrite each other. */
static void offset_shared_across_fork(void)
{
    const char *path = "/tmp/fs_shared";
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "create: %s", strerror(errno));
    pid_t pid = fork();
    for (int i = 0; i < 100; i++)
        if (write(fd, pid == 0 ? "child\n" : "parent\n", pid == 0 ? 6 : 7) < 0 && pid == 0)
            _exit(2);
    if (pid == 0)
        _exit(0);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "child");
    CHECK(size_of(path) == 100 * 6 + 100 * 7, "size %ld: writes overwrote each other", (long)size_of(path));
    close(fd);
    unlink(path);
}

/* ---- directories ---- */

static void directories(void)
{
    struct stat st;
    CHECK(mkdir("/tmp/fs_d", 0755) == 0, "mkdir: %s", strerror(errno));
    CHECK(stat("/tmp/fs_d", &st) == 0 && S_ISDIR(st.st_mode), "stat: mode %#o", st.st_mode);
    CHECK_ERRNO(mkdir("/tmp/fs_d", 0755), EEXIST);
    CHECK(mkdir("/tmp/fs_d/sub", 0755) == 0, "mkdir sub: %s", strerror(errno));
    make_file("/tmp/fs_d/file", "f");
    CHECK_ERRNO(rmdir("/tmp/fs_d"), ENOTEMPTY);
    CHECK_ERRNO(mkdir("/tmp/fs_d/file", 0755), EEXIST);
    CHECK(rmdir("/tmp/fs_d/sub") == 0, "rmdir sub: %s", strerror(errno));
    CHECK_ERRNO(rmdir("/tmp/fs_d/sub"), ENOENT);
    CHECK(unlink("/tmp/fs_d/file") == 0, "unlink: %s", strerror(errno));
    CHECK(rmdir("/tmp/fs_d") == 0, "rmdir of the emptied directory: %s", strerror(errno));
    CHECK_ERRNO(stat("/tmp/fs_d", &st), ENOENT);
    CHECK_ERRNO(mkdir("/", 0755), EEXIST);
    CHECK_ERRNO(mkdir("/tmp", 0755), EEXIST);
}

/* Each error where it applies: ENOENT, EEXIST, EISDIR, ENOTDIR, ENOTEMPTY. */
static void path_errors(void)
{
    struct stat st;
    char c;
    CHECK(mkdir("/tmp/fs_e", 0755) == 0, "mkdir: %s", strerror(errno));
    make_file("/tmp/fs_e/file", "f");
    CHECK_ERRNO(open("/tmp/fs_nosuch", O_RDONLY), ENOENT);
    CHECK_ERRNO(open("/tmp/fs_nosuch/x", O_WRONLY | O_CREAT, 0644), ENOENT);
    CHECK_ERRNO(mkdir("/tmp/fs_nosuch/x", 0755), ENOENT);
    CHECK_ERRNO(rmdir("/tmp/fs_nosuch"), ENOENT);
    CHECK_ERRNO(unlink("/tmp/fs_nosuch"), ENOENT);
    CHECK_ERRNO(stat("/tmp/fs_nosuch", &st), ENOENT);
    CHECK_ERRNO(chdir("/tmp/fs_nosuch"), ENOENT);
    CHECK_ERRNO(stat("", &st), ENOENT);
    CHECK_ERRNO(open("", O_RDONLY), ENOENT);
    CHECK_ERRNO(open("/tmp/fs_e", O_WRONLY), EISDIR);
    CHECK_ERRNO(open("/tmp/fs_e", O_RDWR), EISDIR);
    CHECK_ERRNO(unlink("/tmp/fs_e"), EISDIR);
    int dir = open("/tmp/fs_e", O_RDONLY);
    CHECK(dir >= 0, "a directory opens for reading: %s", strerror(errno));
    CHECK_ERRNO(read(dir, &c, 1), EISDIR);
    close(dir);
    CHECK_ERRNO(open("/tmp/fs_e/file/x", O_RDONLY), ENOTDIR);
    CHECK_ERRNO(open("/tmp/fs_e/file/x", O_WRONLY | O_CREAT, 0644), ENOTDIR);
    CHECK_ERRNO(stat("/tmp/fs_e/file/x", &st), ENOTDIR);
    CHECK_ERRNO(mkdir("/tmp/fs_e/file/x", 0755), ENOTDIR);
    CHECK_ERRNO(open("/tmp/fs_e/file", O_RDONLY | O_DIRECTORY), ENOTDIR);
    CHECK_ERRNO(rmdir("/tmp/fs_e/file"), ENOTDIR);
    CHECK_ERRNO(chdir("/tmp/fs_e/file"), ENOTDIR);
    CHECK(opendir("/tmp/fs_e/file") == NULL && errno == ENOTDIR, "opendir of a file: errno %d", errno);
    CHECK_ERRNO(rmdir("/tmp"), ENOTEMPTY);
    unlink("/tmp/fs_e/file");
    rmdir("/tmp/fs_e");
}

/* Linux: a name ending in "/" must be a directory (stat, open, unlink, and O_CREAT). */
static void trailing_slash_means_directory(void)
{
    struct stat st;
    make_file("/tmp/fs_slash", "f");
    CHECK_ERRNO(stat("/tmp/fs_slash/", &st), ENOTDIR);
    CHECK_ERRNO(open("/tmp/fs_slash/", O_RDONLY), ENOTDIR);
    CHECK_ERRNO(unlink("/tmp/fs_slash/"), ENOTDIR);
    CHECK(size_of("/tmp/fs_slash") == 1, "unlink(\"file/\") removed the file");
    unlink("/tmp/fs_slash");
    CHECK_ERRNO(open("/tmp/fs_slash_new/", O_WRONLY | O_CREAT, 0644), EISDIR);
    CHECK(size_of("/tmp/fs_slash_new") < 0, "open(\"name/\", O_CREAT) made a regular file");
    unlink("/tmp/fs_slash_new");
    CHECK(mkdir("/tmp/fs_slash_dir/", 0755) == 0 && rmdir("/tmp/fs_slash_dir/") == 0,
          "mkdir and rmdir with a trailing slash: %s", strerror(errno));
}

/* Linux: O_CREAT on an existing directory is EISDIR, even for reading. */
static void open_directory_with_o_creat(void)
{
    CHECK_ERRNO(open("/tmp", O_RDONLY | O_CREAT, 0644), EISDIR);
}

/* rmdir of "dir/." is EINVAL (POSIX and Linux); neither it nor "dir/.." removes anything. */
static void rmdir_of_dot_entries(void)
{
    struct stat st;
    CHECK(mkdir("/tmp/fs_dot", 0755) == 0 && mkdir("/tmp/fs_dot/sub", 0755) == 0, "mkdir: %s", strerror(errno));
    CHECK(rmdir("/tmp/fs_dot/sub/..") == -1, "rmdir of \"..\" succeeded");
    CHECK(stat("/tmp/fs_dot", &st) == 0, "rmdir of \"..\" removed the parent");
    rmdir("/tmp/fs_dot/sub");
    long r = rmdir("/tmp/fs_dot/.");
    int err = errno;
    CHECK(stat("/tmp/fs_dot", &st) == 0, "rmdir of \".\" removed the directory");
    rmdir("/tmp/fs_dot");
    CHECK(r == -1 && err == EINVAL, "rmdir(\"dir/.\"): %ld, errno %d, expected EINVAL", r, err);
}

static void stat_sizes_and_types(void)
{
    struct stat st, st2;
    const char *dirs[] = { "/", "/tmp", "/bin", "/tmp/..", "/bin/." };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        CHECK(stat(dirs[i], &st) == 0 && S_ISDIR(st.st_mode), "%s: mode %#o", dirs[i], st.st_mode);
    CHECK(stat("/tmp/..", &st) == 0 && stat("/", &st2) == 0 && st.st_ino == st2.st_ino, "/tmp/.. is /");
    CHECK(stat("/bin/sh", &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0, "/bin/sh: mode %#o size %ld",
          st.st_mode, (long)st.st_size);
    static char program[4 * MIB];
    ssize_t n = slurp("/bin/sh", program, sizeof program);
    CHECK(n == st.st_size, "/bin/sh: %zd bytes read, st_size %ld", n, (long)st.st_size);
    CHECK(memcmp(program, "\177ELF", 4) == 0, "/bin/sh is not ELF");

    int fd = open("/tmp/fs_stat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "create: %s", strerror(errno));
    static const size_t sizes[] = { 0, 1, 4095, 4096, 4097, 10000, 70000 };
    static char zeros[70000];
    size_t size = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        CHECK(write(fd, zeros, sizes[i] - size) == (ssize_t)(sizes[i] - size), "write");
        size = sizes[i];
        CHECK(fstat(fd, &st) == 0 && st.st_size == (off_t)size && S_ISREG(st.st_mode),
              "fstat: size %ld, expected %zu", (long)st.st_size, size);
        CHECK(stat("/tmp/fs_stat", &st2) == 0 && st2.st_size == (off_t)size && st2.st_ino == st.st_ino,
              "stat: size %ld, expected %zu", (long)st2.st_size, size);
    }
    CHECK(st.st_nlink >= 1, "st_nlink %lu", (unsigned long)st.st_nlink);
    CHECK(fstatat(AT_FDCWD, "/tmp/fs_stat", &st2, 0) == 0 && st2.st_ino == st.st_ino, "fstatat AT_FDCWD");
    int tmp = open("/tmp", O_RDONLY | O_DIRECTORY);
    CHECK(tmp >= 0, "open /tmp: %s", strerror(errno));
    CHECK(fstatat(tmp, "fs_stat", &st2, 0) == 0 && st2.st_ino == st.st_ino, "fstatat from a directory fd");
    CHECK_ERRNO(fstatat(tmp, "fs_nosuch", &st2, 0), ENOENT);
    CHECK_ERRNO(fstatat(fd, "x", &st2, 0), ENOTDIR);
    CHECK(fstat(tmp, &st2) == 0 && S_ISDIR(st2.st_mode), "fstat of a directory fd");
    CHECK(stat("/tmp/fs_other", &st2) == -1, "leftover");
    make_file("/tmp/fs_other", "");
    CHECK(stat("/tmp/fs_other", &st2) == 0 && st2.st_ino != st.st_ino && st2.st_size == 0,
          "two files share inode number %lu", (unsigned long)st.st_ino);
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    CHECK(fstat(fds[0], &st) == 0 && S_ISFIFO(st.st_mode), "a pipe's read end: mode %#o", st.st_mode);
    CHECK(fstat(fds[1], &st) == 0 && S_ISFIFO(st.st_mode), "a pipe's write end: mode %#o", st.st_mode);
    close(fds[0]);
    close(fds[1]);
    close(tmp);
    close(fd);
    unlink("/tmp/fs_stat");
    unlink("/tmp/fs_other");
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Linux: fstatat(fd, "", AT_EMPTY_PATH) is fstat, for any descriptor (glibc's fstat is this call). */
static void fstatat_empty_path_on_any_descriptor(void)
{
    struct stat st, want;
    int fds[2];
    make_file("/tmp/fs_empty_path", "12345");
    int file = open("/tmp/fs_empty_path", O_RDONLY);
    unlink("/tmp/fs_empty_path");
    CHECK(file >= 0 && pipe(fds) == 0, "open and pipe: %s", strerror(errno));
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    CHECK(dir >= 0 && fstat(dir, &want) == 0, "open /tmp: %s", strerror(errno));
    CHECK(fstatat(dir, "", &st, AT_EMPTY_PATH) == 0 && st.st_ino == want.st_ino, "a directory: %s", strerror(errno));
    CHECK(fstat(file, &want) == 0, "fstat: %s", strerror(errno));
    CHECK(fstatat(file, "", &st, AT_EMPTY_PATH) == 0 && st.st_ino == want.st_ino && st.st_size == 5,
          "a regular file: %s", strerror(errno));
    CHECK(fstatat(fds[0], "", &st, AT_EMPTY_PATH) == 0 && S_ISFIFO(st.st_mode), "a pipe: %s", strerror(errno));
    CHECK_ERRNO(fstatat(file, "", &st, 0), ENOENT);
    close(dir);
    close(file);
    close(fds[0]);
    close(fds[1]);
}

/* The names of dir other than . and .., sorted into one string "a b c", with types checked. */
static void list_dir(const char *dir, char *out, size_t size)
{
    DIR *d = opendir(dir);
    CHECK(d, "opendir %s: %s", dir, strerror(errno));
    char names[LIST_MAX][LIST_NAME_MAX];
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        CHECK(count < LIST_MAX && strlen(e->d_name) < LIST_NAME_MAX, "too many or too long names");
        int is_dir = e->d_name[0] == 'd';   /* the tests name directories d... */
        CHECK(e->d_type == DT_UNKNOWN || e->d_type == (is_dir ? DT_DIR : DT_REG),
              "%s: d_type %d", e->d_name, e->d_type);
        strcpy(names[count++], e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)count, sizeof names[0], compare_names);
    out[0] = '\0';
    for (int i = 0; i < count; i++)
        snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? " " : "", names[i]);
}

static void directory_listing(void)
{
    char listing[256];
    CHECK(mkdir("/tmp/fs_list", 0755) == 0, "mkdir: %s", strerror(errno));
    list_dir("/tmp/fs_list", listing, sizeof listing);
    CHECK(strcmp(listing, "") == 0, "a new directory lists \"%s\"", listing);
    make_file("/tmp/fs_list/a", "1");
    make_file("/tmp/fs_list/bb", "22");
    make_file("/tmp/fs_list/ccc", "333");
    CHECK(mkdir("/tmp/fs_list/dsub", 0755) == 0, "mkdir: %s", strerror(errno));
    list_dir("/tmp/fs_list", listing, sizeof listing);
    CHECK(strcmp(listing, "a bb ccc dsub") == 0, "listing \"%s\"", listing);

    /* getdents64 itself: a buffer for one record at a time still lists all; too small is EINVAL. */
    int fd = open("/tmp/fs_list", O_RDONLY | O_DIRECTORY);
    CHECK(fd >= 0, "open: %s", strerror(errno));
    _Alignas(struct dirent) char buf[sizeof(struct dirent)];
    int records = 0;
    long n;
    CHECK_ERRNO(syscall(SYS_getdents64, fd, buf, 8), EINVAL);
    while ((n = syscall(SYS_getdents64, fd, buf, ONE_RECORD)) > 0) {
        struct dirent *e = (struct dirent *)buf;
        CHECK(e->d_reclen <= n && e->d_reclen >= 20, "d_reclen %d of %ld", e->d_reclen, n);
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            records++;
        CHECK(records <= 4, "more than 4 entries");
    }
    CHECK(n == 0 && records == 4, "getdents64: %ld, %d records", n, records);
    close(fd);
    int file = open("/tmp/fs_list/a", O_RDONLY);
    CHECK_ERRNO(syscall(SYS_getdents64, file, buf, ONE_RECORD), ENOTDIR);
    close(file);

    CHECK(unlink("/tmp/fs_list/bb") == 0, "unlink");
    list_dir("/tmp/fs_list", listing, sizeof listing);
    CHECK(strcmp(listing, "a ccc dsub") == 0, "after unlink: \"%s\"", listing);
    DIR *d = opendir("/tmp/fs_list");
    int first = 0, again = 0;
    while (readdir(d))
        first++;
    rewinddir(d);
    while (readdir(d))
        again++;
    closedir(d);
    CHECK(first == again && first >= 3, "rewinddir: %d entries, then %d", first, again);
    unlink("/tmp/fs_list/a");
    unlink("/tmp/fs_list/ccc");
    rmdir("/tmp/fs_list/dsub");
    CHECK(rmdir("/tmp/fs_list") == 0, "rmdir: %s", strerror(errno));
}

/* /bin holds the programs read-only: no writes, no new names, no removals. */
static void bin_is_read_only(void)
{
    struct stat before, after;
    CHECK(stat("/bin/sh", &before) == 0, "stat: %s", strerror(errno));
#define CHECK_REFUSED(call) \
    do { long r_ = (long)(call); \
         CHECK(r_ == -1 && (errno == EACCES || errno == EROFS || errno == EPERM), \
               "%s: %ld, errno %d", #call, r_, errno); \
    } while (0)
    CHECK_REFUSED(open("/bin/sh", O_WRONLY));
    CHECK_REFUSED(open("/bin/sh", O_RDWR));
    CHECK_REFUSED(open("/bin/sh", O_WRONLY | O_APPEND));
    CHECK_REFUSED(open("/bin/sh", O_RDONLY | O_TRUNC));
    CHECK_REFUSED(open("/bin/fs_new", O_WRONLY | O_CREAT, 0644));
    CHECK_REFUSED(creat("/bin/sh", 0644));
    CHECK_REFUSED(unlink("/bin/sh"));
    CHECK_REFUSED(mkdir("/bin/fs_dir", 0755));
    CHECK_REFUSED(access("/bin/sh", W_OK));
    long r = rmdir("/bin");
    CHECK(r == -1, "rmdir /bin succeeded");
    CHECK(access("/bin/sh", R_OK | X_OK) == 0, "access R_OK|X_OK: %s", strerror(errno));
    CHECK(stat("/bin/sh", &after) == 0 && after.st_size == before.st_size && after.st_ino == before.st_ino,
          "/bin/sh changed");
    CHECK_ERRNO(stat("/bin/fs_new", &after), ENOENT);
    CHECK_ERRNO(stat("/bin/fs_dir", &after), ENOENT);
}

static void working_directory_and_at_calls(void)
{
    char cwd[256];
    struct stat st;
    CHECK(mkdir("/tmp/fs_cwd", 0755) == 0, "mkdir: %s", strerror(errno));
    CHECK(chdir("/tmp/fs_cwd") == 0, "chdir: %s", strerror(errno));
    CHECK(getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp/fs_cwd") == 0, "getcwd \"%s\"", cwd);
    make_file("rel", "relative");
    CHECK(size_of("/tmp/fs_cwd/rel") == 8, "a relative name did not land in the working directory");
    CHECK(mkdir("sub", 0755) == 0 && chdir("sub") == 0, "mkdir and chdir sub: %s", strerror(errno));
    CHECK(getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp/fs_cwd/sub") == 0, "getcwd \"%s\"", cwd);
    CHECK(size_of("../rel") == 8, "../rel");
    CHECK(chdir("..") == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp/fs_cwd") == 0, "chdir ..: \"%s\"", cwd);
    CHECK(getcwd(cwd, 5) == NULL && errno == ERANGE, "getcwd with a small buffer: errno %d", errno);

    pid_t pid = fork();
    if (pid == 0) {             /* inherited, and the child's own */
        _exit(size_of("rel") == 8 && chdir("/") == 0 ? 0 : 1);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child's cwd");
    CHECK(getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp/fs_cwd") == 0, "the child's chdir moved us: \"%s\"", cwd);

    int dir = open("/tmp/fs_cwd/sub", O_RDONLY | O_DIRECTORY);
    CHECK(dir >= 0, "open: %s", strerror(errno));
    CHECK(mkdirat(dir, "m", 0755) == 0 && stat("/tmp/fs_cwd/sub/m", &st) == 0 && S_ISDIR(st.st_mode), "mkdirat");
    int fd = openat(dir, "f", O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0 && size_of("/tmp/fs_cwd/sub/f") == 0, "openat O_CREAT: %s", strerror(errno));
    CHECK_ERRNO(openat(fd, "x", O_RDONLY), ENOTDIR);
    CHECK_ERRNO(openat(NOT_A_FD, "x", O_RDONLY), EBADF);
    close(fd);
    CHECK_ERRNO(unlinkat(dir, "m", 0), EISDIR);
    CHECK(unlinkat(dir, "m", AT_REMOVEDIR) == 0, "unlinkat AT_REMOVEDIR: %s", strerror(errno));
    CHECK(unlinkat(dir, "f", 0) == 0 && size_of("/tmp/fs_cwd/sub/f") < 0, "unlinkat");
    fd = openat(AT_FDCWD, "rel", O_RDONLY);
    CHECK(fd >= 0, "openat AT_FDCWD: %s", strerror(errno));
    close(fd);
    close(dir);

    /* A working directory can be removed; then it has no path and takes no new names. */
    CHECK(chdir("sub") == 0 && rmdir("/tmp/fs_cwd/sub") == 0, "rmdir of the working directory: %s",
          strerror(errno));
    CHECK(getcwd(cwd, sizeof cwd) == NULL && errno == ENOENT, "getcwd of a removed directory: errno %d", errno);
    CHECK_ERRNO(open("new", O_WRONLY | O_CREAT, 0644), ENOENT);
    CHECK(chdir("/") == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, "/") == 0, "chdir /: \"%s\"", cwd);
    unlink("/tmp/fs_cwd/rel");
    CHECK(rmdir("/tmp/fs_cwd") == 0, "rmdir: %s", strerror(errno));
}

/*
 * A removed directory keeps its parent (issue 10: after mkdir a/b, chdir
 * a/b, rmdir b, rmdir a and a few pipe()s, stat("..") showed a regular
 * file sized like a kernel address and open("..") panicked).  As Linux:
 * ".." still leads to the removed parent (nlink 0, empty); any other name
 * in a removed directory is ENOENT, nothing can be made in it, getcwd is
 * ENOENT, and ".." again reaches the tree.  Everything goes once we leave.
 */
static void removed_directory_keeps_its_parent(void)
{
    struct stat st, tmp;
    char cwd[256];
    int pipes[PIPES_TO_REUSE][2];
    DIR *d = opendir("/tmp");                   /* warm-up: our heap gets its directory buffer */
    CHECK(d != NULL && mkdir("/tmp/fs_gone", 0755) == 0 && rmdir("/tmp/fs_gone") == 0, "warm-up");
    closedir(d);
    struct os_stats before = utest_settled();
    CHECK(mkdir("/tmp/fs_gone", 0755) == 0 && mkdir("/tmp/fs_gone/sub", 0755) == 0, "mkdir: %s", strerror(errno));
    CHECK(chdir("/tmp/fs_gone/sub") == 0, "chdir: %s", strerror(errno));
    CHECK(rmdir("/tmp/fs_gone/sub") == 0 && rmdir("/tmp/fs_gone") == 0, "rmdir: %s", strerror(errno));
    for (int i = 0; i < PIPES_TO_REUSE; i++)
        CHECK(pipe(pipes[i]) == 0, "pipe: %s", strerror(errno));
    CHECK(stat("..", &st) == 0 && S_ISDIR(st.st_mode) && st.st_nlink == 0 && st.st_size == 0,
          "stat(\"..\"): mode %#o nlink %lu size %ld", (unsigned)st.st_mode, (unsigned long)st.st_nlink, (long)st.st_size);
    CHECK(stat(".", &st) == 0 && S_ISDIR(st.st_mode) && st.st_nlink == 0, "stat(\".\")");
    d = opendir("..");
    CHECK(d != NULL, "opendir(\"..\"): %s", strerror(errno));
    CHECK(readdir(d) == NULL, "a removed directory lists entries");
    closedir(d);
    CHECK_ERRNO(stat("../sub", &st), ENOENT);
    CHECK_ERRNO(stat("x", &st), ENOENT);
    CHECK_ERRNO(open("x", O_WRONLY | O_CREAT, 0644), ENOENT);
    CHECK_ERRNO(mkdir("x", 0755), ENOENT);
    CHECK_ERRNO(mkdir("../x", 0755), ENOENT);
    CHECK_ERRNO(mkfifo("x", 0644), ENOENT);
    CHECK(getcwd(cwd, sizeof cwd) == NULL && errno == ENOENT, "getcwd: errno %d", errno);
    CHECK(stat("../..", &st) == 0 && stat("/tmp", &tmp) == 0 && st.st_ino == tmp.st_ino, "../.. is not /tmp");
    CHECK(chdir("..") == 0 && chdir("..") == 0, "chdir ..: %s", strerror(errno));
    CHECK(getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp") == 0, "getcwd \"%s\"", cwd);
    CHECK(chdir("/") == 0, "chdir /");
    for (int i = 0; i < PIPES_TO_REUSE; i++)
        close(pipes[i][0]), close(pipes[i][1]);
    utest_expect_back(before);
}

/*
 * Counts and offsets at their limits (issue 10: write(fd, buf, (size_t)-1)
 * or a write at lseek(INT64_MAX) spun forever in the capacity doubling,
 * interrupts off).  As Linux: a count is cut to MAX_RW_COUNT, so a huge
 * one moves what the buffer's mapped pages hold (or EFAULT); a write past
 * the largest offset is EFBIG; lseek past it or below 0 is EINVAL.
 */
static void huge_counts_and_offsets(void)
{
    const char *path = "/tmp/fs_huge";
    char small[64] = "sixty-four bytes of which the rest are zero";
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "create: %s", strerror(errno));
    ssize_t n = write(fd, small, (size_t)-1);
    CHECK((n >= (ssize_t)sizeof small && n <= MAX_RW_COUNT) || (n == -1 && errno == EFAULT),
          "write of (size_t)-1 bytes: %zd, errno %d", n, errno);
    if (n > 0) {
        CHECK(size_of(path) == n && lseek(fd, 0, SEEK_CUR) == n, "size %ld after a write of %zd", (long)size_of(path), n);
        char *back = malloc((size_t)n);
        CHECK(back && lseek(fd, 0, SEEK_SET) == 0, "malloc, lseek");
        CHECK(read(fd, back, (size_t)-1) == n && memcmp(back, small, sizeof small) == 0, "read of (size_t)-1 bytes");
        free(back);
    }
    CHECK(lseek(fd, INT64_MAX, SEEK_SET) == INT64_MAX, "lseek to INT64_MAX: %s", strerror(errno));
    CHECK_ERRNO(write(fd, "x", 1), EFBIG);
    CHECK(read(fd, small, sizeof small) == 0, "a read at INT64_MAX");
    CHECK_ERRNO(lseek(fd, 1, SEEK_CUR), EINVAL);
    CHECK_ERRNO(lseek(fd, INT64_MIN, SEEK_CUR), EINVAL);
    CHECK(lseek(fd, 0, SEEK_CUR) == INT64_MAX, "a failed lseek moved the offset");
    CHECK(lseek(fd, INT64_MAX - 5, SEEK_SET) == INT64_MAX - 5, "lseek");
    CHECK_ERRNO(write(fd, small, 10), EFBIG);               /* it would end past the largest offset */
    CHECK_ERRNO(write(fd, small, (size_t)-1), EFBIG);
    CHECK(write(fd, small, 0) == 0, "a write of nothing anywhere is 0");
    CHECK(lseek(fd, FAR_OFFSET, SEEK_SET) == FAR_OFFSET, "lseek far: %s", strerror(errno));
    CHECK_ERRNO(write(fd, "x", 1), ENOSPC);                 /* legal, but more than memory holds */
    CHECK(lseek(fd, 1, SEEK_SET) == 1 && write(fd, "y", 1) == 1, "a write after them: %s", strerror(errno));
    CHECK_ERRNO(lseek(fd, INT64_MAX, SEEK_END), EINVAL);    /* size + INT64_MAX overflows */
    close(fd);
    unlink(path);
}

/* readv and writev: lengths whose sum overflows ssize_t are EINVAL, as are bad counts; huge ones are cut. */
static void huge_iovec_lengths(void)
{
    const char *path = "/tmp/fs_iov";
    char a[16] = "abc", b[16];
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "create: %s", strerror(errno));
    struct iovec sum_overflows[2] = { { a, SSIZE_MAX }, { b, SSIZE_MAX } };
    struct iovec one_too_many[2] = { { a, SSIZE_MAX }, { b, 1 } };
    struct iovec negative[1] = { { a, (size_t)-1 } };
    CHECK_ERRNO(writev(fd, sum_overflows, 2), EINVAL);
    CHECK_ERRNO(readv(fd, sum_overflows, 2), EINVAL);
    CHECK_ERRNO(writev(fd, one_too_many, 2), EINVAL);
    CHECK_ERRNO(writev(fd, negative, 1), EINVAL);
    CHECK_ERRNO(readv(fd, negative, 1), EINVAL);
    CHECK_ERRNO(writev(fd, negative, -1), EINVAL);
    CHECK_ERRNO(writev(fd, negative, 1025), EINVAL);     /* more than IOV_MAX */
    CHECK(writev(fd, negative, 0) == 0, "writev of no buffers");
    CHECK(size_of(path) == 0, "a refused writev wrote %ld bytes", (long)size_of(path));
    struct iovec huge[1] = { { a, SSIZE_MAX } };
    ssize_t n = writev(fd, huge, 1);
    CHECK((n >= (ssize_t)sizeof a && n <= MAX_RW_COUNT) || (n == -1 && errno == EFAULT), "writev of SSIZE_MAX: %zd", n);
    close(fd);
    unlink(path);
}

/* The stdio streams of libc on files: fopen modes, fprintf, fgets, fseek, fread, fwrite. */
static void stdio_on_files(void)
{
    const char *path = "/tmp/fs_stdio";
    char line[64], want[64];
    FILE *f = fopen(path, "w");
    CHECK(f, "fopen w: %s", strerror(errno));
    for (int i = 1; i <= 100; i++)
        CHECK(fprintf(f, "line %d\n", i) > 0, "fprintf");
    CHECK(fclose(f) == 0, "fclose");
    off_t size = size_of(path);
    CHECK(size == 9 * 7 + 90 * 8 + 9, "size %ld", (long)size);
    f = fopen(path, "r");
    CHECK(f, "fopen r: %s", strerror(errno));
    for (int i = 1; i <= 100; i++) {
        snprintf(want, sizeof want, "line %d\n", i);
        CHECK(fgets(line, sizeof line, f) && strcmp(line, want) == 0, "line %d: \"%s\"", i, line);
    }
    CHECK(!fgets(line, sizeof line, f) && feof(f), "end of file");
    fclose(f);
    f = fopen(path, "a");
    CHECK(f && fputs("tail\n", f) >= 0 && fclose(f) == 0, "fopen a");
    CHECK(size_of(path) == size + 5, "append: size %ld", (long)size_of(path));
    f = fopen(path, "r+");
    CHECK(f, "fopen r+: %s", strerror(errno));
    CHECK(fseek(f, 5, SEEK_SET) == 0 && fputc('X', f) == 'X', "fseek and fputc");
    CHECK(fseek(f, 0, SEEK_SET) == 0 && fread(line, 1, 10, f) == 10 && memcmp(line, "line X\nlin", 10) == 0,
          "fread after fseek: \"%.10s\"", line);
    CHECK(ftell(f) == 10, "ftell %ld", ftell(f));
    CHECK(fseek(f, -5, SEEK_END) == 0 && fread(line, 1, sizeof line, f) == 5 && memcmp(line, "tail\n", 5) == 0,
          "SEEK_END");
    CHECK(fseek(f, 0, SEEK_END) == 0 && fwrite("end\n", 1, 4, f) == 4, "fwrite");
    CHECK(fclose(f) == 0 && size_of(path) == size + 9, "size %ld", (long)size_of(path));
    CHECK(fopen("/tmp/fs_nosuch", "r") == NULL && errno == ENOENT, "fopen of a missing file: errno %d", errno);
    CHECK(fopen("/bin/sh", "w") == NULL, "fopen of /bin/sh for writing");
    unlink(path);
}

/* Files of 1 MiB until the file system is full: ENOSPC, and all of it comes back. */
static void full_file_system(void)
{
    static char names[SPACE_FILES_MAX][32];
    char *data = malloc(MIB);
    CHECK(data, "malloc");
    memset(data, 'z', MIB);
    int count = 0;
    long r = 0;
    while (count < SPACE_FILES_MAX) {
        snprintf(names[count], sizeof names[count], "/tmp/fs_full_%d", count);
        int fd = open(names[count], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        CHECK(fd >= 0, "create file %d: %s", count, strerror(errno));
        count++;
        r = write(fd, data, MIB);
        if (r >= 0 && r < MIB)
            r = write(fd, data, 1);     /* after a short write, the next one must fail */
        int err = errno;
        close(fd);
        errno = err;
        if (r != MIB)
            break;
    }
    int err = errno;
    for (int i = 0; i < count; i++)
        CHECK(unlink(names[i]) == 0, "unlink %s: %s", names[i], strerror(errno));
    CHECK(count < SPACE_FILES_MAX, "%d MiB written and no ENOSPC", count);
    CHECK(r == -1 && err == ENOSPC, "write on a full file system: %ld, errno %d", r, err);
    int fd = open("/tmp/fs_full_again", O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0 && write(fd, data, MIB) == MIB, "writing after the removal: %s", strerror(errno));
    close(fd);
    unlink("/tmp/fs_full_again");
    free(data);
}

/* "/tmp/fs_fill_<what>_<i>" into name. */
static void fill_name(char *name, size_t size, const char *what, int i)
{
    snprintf(name, size, "/tmp/fs_fill_%s_%d", what, i);
}

/* Files of size bytes until one does not fit whole (or max): how many were made. */
static int fill_with_files(const char *what, const char *data, size_t size, int max)
{
    char name[64];
    int count = 0;
    while (count < max) {
        fill_name(name, sizeof name, what, count);
        int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0)
            break;
        count++;
        ssize_t r = write(fd, data, size);
        close(fd);
        if (r != (ssize_t)size)
            break;
    }
    return count;
}

/* Remove names first..end-1 of fill_with_files (or mkfifo) for what; false if one is missing. */
static int unfill(const char *what, int first, int end)
{
    char name[64];
    int ok = 1;
    for (int i = first; i < end; i++) {
        fill_name(name, sizeof name, what, i);
        ok &= unlink(name) == 0;
    }
    return ok;
}

/*
 * Names cost memory too (issue 10: each mkfifo took a 16 KiB pipe outside
 * the file system's limit, and 12,542 FIFOs left the kernel 2 free pages).
 * Now every inode, name and open FIFO's pipe is charged to the limit: on a
 * full file system mkfifo, mkdir and creat fail with ENOSPC, opening a FIFO
 * with ENOMEM (no room for its pipe), fork still works, and all of it comes
 * back once the names go.
 */
static void full_file_system_refuses_names(void)
{
    char *data = malloc(MIB);
    CHECK(data, "malloc");
    memset(data, 'n', MIB);
    char name[64];
    const char *fifo = "/tmp/fs_fill_fifo";
    struct os_stats before = utest_settled();
    CHECK(mkfifo(fifo, 0644) == 0, "mkfifo: %s", strerror(errno));
    int big = fill_with_files("big", data, MIB, SPACE_FILES_MAX);
    CHECK(big > 2 && big < SPACE_FILES_MAX && unfill("big", 0, 1), "%d files of 1 MiB", big);
    int small = fill_with_files("small", data, SMALL_FILE, SMALL_FILES_MAX);    /* in the MiB freed */
    CHECK(small > SMALL_FREED && small < SMALL_FILES_MAX, "%d files of 4 KiB", small);
    CHECK(unfill("small", small - SMALL_FREED, small), "unlink: %s", strerror(errno));
    small -= SMALL_FREED;                       /* room for some names, not for thousands */
    int fifos = 0;
    for (; fifos < NAMES_MAX; fifos++) {
        fill_name(name, sizeof name, "fifo", fifos);
        if (mkfifo(name, 0644) != 0)
            break;
    }
    CHECK(fifos > 0 && fifos < NAMES_MAX && errno == ENOSPC, "%d FIFOs made in a few KiB (errno %d)", fifos, errno);
    /* Names longer than the FIFOs': they cost more than the room left. */
    CHECK_ERRNO(mkdir("/tmp/fs_fill_a_longer_directory_name", 0755), ENOSPC);
    CHECK_ERRNO(open("/tmp/fs_fill_a_longer_regular_file_name", O_WRONLY | O_CREAT, 0644), ENOSPC);
    CHECK_ERRNO(open(fifo, O_RDWR), ENOMEM);
    pid_t pid = fork();
    if (pid == 0)
        _exit(7);
    int status;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7,
          "fork on a full file system: %s", strerror(errno));
    CHECK(unfill("big", 1, 2), "unlink a big file");
    int fd = open(fifo, O_RDWR);                /* room again: its pipe is made */
    char c = 0;
    CHECK(fd >= 0 && write(fd, "p", 1) == 1 && read(fd, &c, 1) == 1 && c == 'p', "the FIFO: %s", strerror(errno));
    close(fd);
    CHECK(unfill("fifo", 0, fifos) && unfill("small", 0, small) && unfill("big", 2, big) && unlink(fifo) == 0,
          "unlink: %s", strerror(errno));
    utest_expect_back(before);
    free(data);
}

/* Files made, grown, unlinked while open, and removed give back every page and heap byte. */
static void files_free_their_memory(void)
{
    static char data[100000];
    memset(data, 'd', sizeof data);     /* our own pages, before the count */
    make_file("/tmp/fs_leak_warm", "w");
    unlink("/tmp/fs_leak_warm");
    struct os_stats before = utest_settled();
    for (int i = 0; i < LEAK_ROUNDS; i++) {
        int fd = open("/tmp/fs_leak", O_RDWR | O_CREAT | O_TRUNC, 0644);
        CHECK(fd >= 0 && write(fd, data, sizeof data) == sizeof data, "write: %s", strerror(errno));
        CHECK(mkdir("/tmp/fs_leak_dir", 0755) == 0, "mkdir: %s", strerror(errno));
        make_file("/tmp/fs_leak_dir/inner", "inner");
        CHECK(unlink("/tmp/fs_leak") == 0, "unlink");
        CHECK(write(fd, data, 1000) == 1000, "write to the unlinked file");
        close(fd);
        CHECK(unlink("/tmp/fs_leak_dir/inner") == 0 && rmdir("/tmp/fs_leak_dir") == 0, "remove the directory");
    }
    utest_expect_back(before);
}

/* Remove path and, for a directory, everything in it (what a failed test left behind). */
static void remove_tree(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        char child[PATH_MAX];
        while (d && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            remove_tree(child);
            rewinddir(d);       /* the listing shifted */
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Remove every /tmp/fs_... entry.  Not inlined: its frame must not grow our stack. */
static __attribute__((noinline)) void remove_fs_entries(void)
{
    DIR *d = opendir("/tmp");
    struct dirent *e;
    char path[PATH_MAX];
    while (d && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "fs_", 3) != 0)
            continue;
        snprintf(path, sizeof path, "/tmp/%s", e->d_name);
        printf("test_fs: removing %s, left by a failed test\n", path);
        remove_tree(path);
        rewinddir(d);
    }
}

/*
 * The files of failed tests are theirs, not leaks: remove them before the
 * count, in a child, so that our own memory stays as it was.
 */
static void remove_leftovers(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        remove_fs_entries();
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

/* A named pipe: a writer and a reader meet through its name; the opens wait for each other. */
static void fifo_between_processes(void)
{
    const char *path = "/tmp/fs_fifo";
    CHECK(mkfifo(path, 0644) == 0, "mkfifo: %s", strerror(errno));
    struct stat st;
    CHECK(stat(path, &st) == 0 && S_ISFIFO(st.st_mode), "stat: mode %#o", (unsigned)st.st_mode);
    CHECK(mkfifo(path, 0644) == -1 && errno == EEXIST, "a second mkfifo");
    CHECK(open(path, O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO, "a writer with no reader, O_NONBLOCK");
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(path, O_WRONLY);          /* waits for the reader */
        _exit(fd >= 0 && write(fd, "through the fifo", 16) == 16 ? 0 : 1);
    }
    int fd = open(path, O_RDONLY);              /* waits for the writer */
    CHECK(fd >= 0, "open for reading: %s", strerror(errno));
    CHECK(lseek(fd, 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek on a FIFO");
    char buf[32] = "";
    size_t got = 0;
    ssize_t n;
    while ((n = read(fd, buf + got, sizeof buf - 1 - got)) > 0)
        got += (size_t)n;
    CHECK(n == 0 && got == 16 && memcmp(buf, "through the fifo", 16) == 0, "read \"%s\" (%zd)", buf, n);
    close(fd);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %#x", status);
    int both = open(path, O_RDWR);              /* both ends: no waiting */
    CHECK(both >= 0 && write(both, "x", 1) == 1 && read(both, buf, 1) == 1 && buf[0] == 'x', "O_RDWR");
    close(both);
    CHECK(unlink(path) == 0, "unlink");
}

int main(void)
{
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN(create_write_read);
    RUN(fifo_between_processes);
    RUN(lseek_whence_and_holes);
    RUN(append_mode);
    RUN(truncate_on_open);
    RUN(exclusive_create);
    RUN(unlink_while_open);
    RUN(large_file);
    RUN(offset_shared_across_fork);
    RUN(directories);
    RUN(path_errors);
    RUN(trailing_slash_means_directory);
    RUN(open_directory_with_o_creat);
    RUN(rmdir_of_dot_entries);
    RUN(stat_sizes_and_types);
    RUN(fstatat_empty_path_on_any_descriptor);
    RUN(directory_listing);
    RUN(bin_is_read_only);
    RUN(working_directory_and_at_calls);
    RUN(removed_directory_keeps_its_parent);
    RUN(huge_counts_and_offsets);
    RUN(huge_iovec_lengths);
    RUN(stdio_on_files);
    RUN(full_file_system);
    RUN(full_file_system_refuses_names);
    RUN(files_free_their_memory);
    remove_leftovers();
    utest_pages_back("pages_back_after_all_tests", start);
    return utest_finish();
}
