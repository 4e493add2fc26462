/*
 * Files as shared memory (issue 12): the cases of shm_file_cases.h, which
 * pass on the Linux host too (mmap of files shared and private,
 * ftruncate, SIGBUS past the end, link, shm_open, named semaphores between
 * processes), and what is our kernel's own: the read-only programs of
 * /bin stay read-only through every mapping, a written file still runs
 * (exec copies it), hostile arguments, siblings truncating and unmapping
 * while a write copies from a mapping of the same file, and every page
 * back once the names and mappings are gone.
 */
#include <stdint.h>
#include <sys/mman.h>
#include "utest.h"
#include "uthread.h"
#include "shm_file_cases.h"

#define BAD_ADDR        0xffff800000000000UL    /* a kernel address: EFAULT */
#define PROGRAM         "/bin/true"
#define RACE_PAGES      4
#define RACE_ROUNDS     300

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(sf_shared_mapping_is_the_file)
SHARED(sf_private_mapping_copies)
SHARED(sf_ftruncate)
SHARED(sf_sigbus_past_the_end)
SHARED(sf_mapping_errors)
SHARED(sf_link)
SHARED(sf_shm_open)
SHARED(sf_named_semaphores)

/* A /bin program mapped: private stores stay private, the file cannot be opened for writing. */
static void programs_stay_read_only(void)
{
    char first[4], again[4];
    int fd = open(PROGRAM, O_RDONLY);
    CHECK(fd >= 0 && read(fd, first, 4) == 4, "open " PROGRAM);
    CHECK(open(PROGRAM, O_RDWR) == -1 && errno == EACCES, "opened for writing: %s", strerror(errno));
    CHECK(truncate(PROGRAM, 0) == -1 && errno == EACCES, "truncate: %s", strerror(errno));
    char *p = mmap(NULL, SF_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(p != MAP_FAILED && memcmp(p, first, 4) == 0, "a private mapping reads the program");
    memset(p, 0xcc, SF_PAGE);
    char *q = mmap(NULL, SF_PAGE, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(q != MAP_FAILED && memcmp(q, first, 4) == 0, "a shared mapping does not see the private store");
    CHECK(mprotect(q, SF_PAGE, PROT_READ | PROT_WRITE) == -1 && errno == EACCES, "mprotect: %s", strerror(errno));
    CHECK(pread(fd, again, 4, 0) == 4 && memcmp(again, first, 4) == 0, "the file did not change");
    munmap(p, SF_PAGE);
    munmap(q, SF_PAGE);
    close(fd);
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        execv(PROGRAM, (char *[]){ "true", NULL });
        _exit(99);
    }
    CHECK(sf_child_signal(pid) == 0, PROGRAM " still runs after being mapped");
}

/* A program copied into /tmp runs: exec reads a written file's pages. */
static void written_program_runs(void)
{
    char path[64], buf[SF_PAGE];
    int in = open(PROGRAM, O_RDONLY), out = sf_file(path, sizeof path, "prog", 0);
    CHECK(in >= 0 && out >= 0, "the files");
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        CHECK(write(out, buf, (size_t)n) == n, "copy");
    close(in);
    close(out);
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        execv(path, (char *[]){ "true", NULL });
        _exit(99);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the copy ran: status %#x", status);
    unlink(path);
}

/* Bad pointers, lengths and offsets: error codes, nothing else. */
static void hostile_arguments(void)
{
    char path[64];
    int fd = sf_file(path, sizeof path, "hostile", SF_PAGE);
    CHECK(fd >= 0, "the file");
    CHECK(mmap(NULL, SF_PAGE, PROT_READ, MAP_SHARED, fd, INT64_MAX & ~(SF_PAGE - 1)) == MAP_FAILED &&
          errno == EOVERFLOW, "a mapping past the largest file: %s", strerror(errno));
    char buf[4];
    int pipes[2];
    CHECK(pipe(pipes) == 0, "pipe");
    CHECK(pread(pipes[0], buf, 1, 0) == -1 && errno == ESPIPE, "pread of a pipe: %s", strerror(errno));
    CHECK(pread(fd, buf, 1, -1) == -1 && errno == EINVAL, "a negative offset: %s", strerror(errno));
    CHECK(pread(fd, (void *)BAD_ADDR, 1, 0) == -1 && errno == EFAULT, "a bad buffer: %s", strerror(errno));
    close(pipes[0]);
    close(pipes[1]);
    char *far = mmap(NULL, SF_PAGE, PROT_READ, MAP_SHARED, fd, 1ul << 40);
    CHECK(far != MAP_FAILED, "a mapping far past the end is made: %s", strerror(errno));
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0)
        _exit(far[0]);
    CHECK(sf_child_signal(pid) == SIGBUS, "and touching it is SIGBUS");
    munmap(far, SF_PAGE);
    CHECK(ftruncate(fd, 1l << 40) == -1 && errno == EFBIG, "a size past the space limit: %s", strerror(errno));
    CHECK(ftruncate(fd, INT64_MAX) == -1 && errno == EFBIG, "the largest size: %s", strerror(errno));
    CHECK(truncate((const char *)BAD_ADDR, 0) == -1 && errno == EFAULT, "truncate of a bad path");
    CHECK(link((const char *)BAD_ADDR, "/tmp/x") == -1 && errno == EFAULT, "link from a bad path");
    CHECK(link(path, (const char *)BAD_ADDR) == -1 && errno == EFAULT, "link to a bad path");
    CHECK(linkat(12345, "x", AT_FDCWD, "/tmp/y", 0) == -1 && errno == EBADF, "linkat with a bad descriptor");
    CHECK(link(path, "/bin/linked") == -1 && errno == EACCES, "a name in /bin: %s", strerror(errno));
    CHECK(link(path, "/") == -1 && errno == EEXIST, "\"/\": %s", strerror(errno));
    char alias[64];
    sf_path(alias, sizeof alias, "alias");
    CHECK(link(PROGRAM, alias) == 0, "a link to a program: %s", strerror(errno));
    CHECK(open(alias, O_RDWR) == -1 && errno == EACCES, "the program stays read-only by its new name");
    CHECK(unlink(alias) == 0, "and the link goes: %s", strerror(errno));
    CHECK(unlink(PROGRAM) == -1 && errno == EACCES, "while the program's own name stays");
    close(fd);
    unlink(path);
}

struct race {
    int fd;
    char *map;                  /* RACE_PAGES of the file, shared */
    volatile int stop;
};

/* Write the file from its own mapping: the copy takes the file's lock, then the mapping's pages. */
static void *write_from_the_mapping(void *arg)
{
    struct race *r = arg;
    for (int i = 0; i < RACE_ROUNDS; i++) {
        if (pwrite(r->fd, r->map + (i % RACE_PAGES) * SF_PAGE, SF_PAGE, ((i + 1) % RACE_PAGES) * SF_PAGE) < 0 &&
            errno != EFAULT)
            break;
    }
    r->stop = 1;
    return NULL;
}

static void *truncate_back_and_forth(void *arg)
{
    struct race *r = arg;
    for (int i = 0; !r->stop; i++)
        ftruncate(r->fd, (off_t)(i % (RACE_PAGES + 1)) * SF_PAGE);
    return NULL;
}

/* A sibling truncating the file and others writing it from its own mapping: no deadlock, no panic, no leak. */
static void siblings_truncate_under_a_write(void)
{
    char path[64];
    struct race r = { .fd = sf_file(path, sizeof path, "race", RACE_PAGES * SF_PAGE) };
    CHECK(r.fd >= 0, "the file");
    r.map = mmap(NULL, RACE_PAGES * SF_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd, 0);
    CHECK(r.map != MAP_FAILED, "mmap: %s", strerror(errno));
    pid_t pid = fork();         /* in a child: a touch past a truncated end is SIGBUS */
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        pthread_t writer, cutter;
        pthread_create(&writer, NULL, write_from_the_mapping, &r);
        pthread_create(&cutter, NULL, truncate_back_and_forth, &r);
        pthread_join(writer, NULL);
        pthread_join(cutter, NULL);
        _exit(0);
    }
    int sig = sf_child_signal(pid);
    CHECK(sig == 0 || sig == SIGBUS, "the racing child: signal %d", sig);
    munmap(r.map, RACE_PAGES * SF_PAGE);
    close(r.fd);
    unlink(path);
}

/* What stays after the first use (/dev/shm's first names), so that the leak check counts only leaks. */
static void warm_up(void)
{
    (void)sf_shm_open();
    (void)sf_named_semaphores();
}

int main(void)
{
    printf("test_filemap: files as shared memory: mmap of files, ftruncate, link, shm_open, sem_open\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN_SHARED(sf_shared_mapping_is_the_file);
    RUN_SHARED(sf_private_mapping_copies);
    RUN_SHARED(sf_ftruncate);
    RUN_SHARED(sf_sigbus_past_the_end);
    RUN_SHARED(sf_mapping_errors);
    RUN_SHARED(sf_link);
    RUN_SHARED(sf_shm_open);
    RUN_SHARED(sf_named_semaphores);
    RUN(programs_stay_read_only);
    RUN(written_program_runs);
    RUN(hostile_arguments);
    RUN(siblings_truncate_under_a_write);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
