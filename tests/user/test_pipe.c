/*
 * Pipes and descriptors: a 10,000-message ping-pong, 1 MiB with odd read
 * and write sizes, EOF once the last writer is gone (closed, exited or
 * killed), SIGPIPE and EPIPE, records of several writers never mixed,
 * readv and writev each one call (atomic writev, readv not waiting),
 * every descriptor error (EMFILE and ENFILE too), huge counts, dup2 and fcntl,
 * descriptors across execv and close-on-exec; and no page or kernel heap
 * byte lost to any of it.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include "utest.h"

#define PING_PONGS      10000
#define MIB             (1024 * 1024)
#define WRITERS         4
#define PIPE_CAPACITY   16384           /* kernel/pipe.c; to size buffers, tests measure it */
#define NOT_OPEN        50              /* a descriptor number no test opens */
#define FD_TABLE_GUESS  4096            /* more than any descriptor table we expect */
#define LEAK_ROUNDS     100
#define VEC_PART        32              /* bytes in each buffer of a readv or writev */
#define HOLDERS_MAX     48              /* table fillers: ENFILE needs ~17; each costs us one fd */

/* ---- helpers ---- */

static void pause_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000 * 1000 };
    nanosleep(&ts, NULL);
}

/* Read until n bytes or end of file; returns the count, or -1 on an error. */
static ssize_t read_full(int fd, void *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r = read(fd, (char *)buf + done, n - done);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        done += (size_t)r;
    }
    return (ssize_t)done;
}

static int wait_for(pid_t pid)
{
    int status = -1;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid(%d): %s", pid, strerror(errno));
    return status;
}

/* A wait status (evaluated once) is an exit with code, or a death by sig. */
#define CHECK_EXITED(wait_status, code) \
    do { int s_ = (wait_status); \
         CHECK(WIFEXITED(s_) && WEXITSTATUS(s_) == (code), "child status %#x, expected exit %d", s_, code); \
    } while (0)
#define CHECK_KILLED(wait_status, sig) \
    do { int s_ = (wait_status); \
         CHECK(WIFSIGNALED(s_) && WTERMSIG(s_) == (sig), "child status %#x, expected signal %d", s_, sig); \
    } while (0)
#define CHECK_ERRNO(call, err) \
    do { long r_ = (long)(call); \
         CHECK(r_ == -1 && errno == (err), "%s: %ld, errno %d, expected errno %d", #call, r_, errno, err); \
    } while (0)

static int is_open(int fd)
{
    return fcntl(fd, F_GETFD) >= 0;
}

/* Fill a non-blocking pipe to the brim; how many bytes it took. */
static size_t fill(int fd)
{
    static char big[4 * PIPE_CAPACITY];
    size_t total = 0;
    ssize_t n;
    while ((n = write(fd, big, sizeof big)) > 0)
        total += (size_t)n;
    while ((n = write(fd, big, 1)) > 0)         /* in case a big write stopped short of full */
        total += (size_t)n;
    CHECK(n == -1 && errno == EAGAIN, "filling: %zd, errno %d", n, errno);
    return total;
}

/* How many bytes a pipe holds. */
static size_t pipe_capacity(void)
{
    int fds[2];
    CHECK(pipe2(fds, O_NONBLOCK) == 0, "pipe2: %s", strerror(errno));
    size_t capacity = fill(fds[1]);
    close(fds[0]);
    close(fds[1]);
    return capacity;
}

/* The 1 MiB test's data: every byte differs from its neighbours and from the same byte one block on. */
static unsigned char pattern(size_t i)
{
    return (unsigned char)(i * 131 + (i >> 9));
}

/* ---- transfer ---- */

/* The first work of every kind, so that first-use allocations happen before the page count starts. */
static void warm_up(void)
{
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid == 0) {
        execv("/bin/helper_fdcheck", (char *[]){ "helper_fdcheck", "1", NULL });
        _exit(100);
    }
    CHECK_EXITED(wait_for(pid), 0);
    CHECK(write(fds[1], "w", 1) == 1 && close(fds[1]) == 0, "write");
    char c;
    CHECK(read(fds[0], &c, 1) == 1 && read(fds[0], &c, 1) == 0, "read");
    close(fds[0]);
}

/* 10,000 one-byte messages there and back: the child answers each with the byte plus one. */
static void ping_pong(void)
{
    int down[2], up[2];
    CHECK(pipe(down) == 0 && pipe(up) == 0, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        unsigned char c;
        ssize_t n;
        while ((n = read(down[0], &c, 1)) == 1) {
            c++;
            if (write(up[1], &c, 1) != 1)
                _exit(2);
        }
        _exit(n == 0 ? 0 : 3);
    }
    close(down[0]);
    close(up[1]);
    for (int i = 0; i < PING_PONGS; i++) {
        unsigned char c = (unsigned char)i, reply = 0;
        CHECK(write(down[1], &c, 1) == 1, "message %d: write: %s", i, strerror(errno));
        CHECK(read(up[0], &reply, 1) == 1, "message %d: no reply", i);
        CHECK(reply == (unsigned char)(c + 1), "message %d: reply %d to %d", i, reply, c);
    }
    close(down[1]);             /* the child sees end of file and exits */
    unsigned char extra;
    CHECK(read(up[0], &extra, 1) == 0, "no end of file after the child exited");
    CHECK_EXITED(wait_for(pid), 0);
    close(up[0]);
}

static const size_t write_sizes[] = { 1, 3, 4095, 4096, 4097, 7, 16384, 16385, 65537, 513, 333, 100000 };
static const size_t read_sizes[] = { 13, 4093, 1, 65536, 777, 16383, 5, 4097, 200000 };

/* 1 MiB written and read in odd sizes arrives whole and in order. */
static void one_mib_odd_sizes(void)
{
    unsigned char *data = malloc(MIB), *got = malloc(MIB + 1);
    CHECK(data && got, "malloc");
    for (size_t i = 0; i < MIB; i++)
        data[i] = pattern(i);
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        for (size_t done = 0, k = 0; done < MIB; k++) {
            size_t n = write_sizes[k % (sizeof write_sizes / sizeof write_sizes[0])];
            ssize_t w = write(fds[1], data + done, n < MIB - done ? n : MIB - done);
            if (w <= 0)
                _exit(2);
            done += (size_t)w;
        }
        _exit(0);
    }
    close(fds[1]);
    size_t total = 0;
    for (size_t k = 0;; k++) {
        size_t n = read_sizes[k % (sizeof read_sizes / sizeof read_sizes[0])];
        ssize_t r = read(fds[0], got + total, n < MIB + 1 - total ? n : MIB + 1 - total);
        CHECK(r >= 0, "read: %s", strerror(errno));
        if (r == 0)
            break;
        total += (size_t)r;
        CHECK(total <= MIB, "more than 1 MiB came out");
    }
    CHECK(total == MIB, "%zu bytes arrived, not %d", total, MIB);
    for (size_t i = 0; i < MIB; i++)
        CHECK(got[i] == data[i], "byte %zu is %#x, expected %#x", i, got[i], data[i]);
    CHECK_EXITED(wait_for(pid), 0);
    close(fds[0]);
    free(data);
    free(got);
}

/*
 * A read waits while any writer is left, and returns 0 once the last one is
 * gone: also when the reader is asleep at the time (it must be woken).
 */
static void eof_after_last_writer(void)
{
    int fds[2];
    char buf[8];
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    int extra = dup(fds[1]);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        close(extra);
        pause_ms(50);
        if (write(fds[1], "late", 4) != 4)
            _exit(2);
        pause_ms(50);           /* the reader is asleep again when we exit */
        _exit(0);
    }
    close(fds[1]);
    CHECK(write(extra, "a", 1) == 1, "write through a dup: %s", strerror(errno));
    close(extra);               /* our last write end; the child still has one */
    CHECK(read(fds[0], buf, 1) == 1 && buf[0] == 'a', "the byte written before the close");
    CHECK(read_full(fds[0], buf, 4) == 4 && memcmp(buf, "late", 4) == 0,
          "read returned end of file while a writer was left");
    CHECK(read(fds[0], buf, sizeof buf) == 0, "no end of file after the last writer exited");
    CHECK(read(fds[0], buf, sizeof buf) == 0, "end of file is not sticky");
    CHECK_EXITED(wait_for(pid), 0);
    close(fds[0]);
}

/*
 * A killed writer closes its end like any other.  One sleeps (holding the
 * write end) while we are asleep in read; a third process kills it, and
 * our read must end with EOF.  The other is blocked in a write on a full
 * pipe when we kill it; we must get the bytes it wrote, then EOF.
 */
static void eof_when_writer_killed(void)
{
    size_t capacity = pipe_capacity();
    CHECK(capacity < 2 * PIPE_CAPACITY, "a pipe holds %zu bytes: the buffers here are too small", capacity);
    for (int blocked = 0; blocked <= 1; blocked++) {
        int fds[2];
        CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
        pid_t writer = fork();
        if (writer == 0) {
            static char big[4 * PIPE_CAPACITY];
            close(fds[0]);
            if (blocked)
                write(fds[1], big, capacity + 2);   /* fills the pipe, then sleeps in the write */
            else if (write(fds[1], "x", 1) == 1)
                sleep(100);
            _exit(0);
        }
        close(fds[1]);
        char c;
        CHECK(read(fds[0], &c, 1) == 1, "the writer's first byte");
        pid_t killer = -1;
        if (blocked) {
            pause_ms(50);       /* it is back asleep in its write */
            CHECK(kill(writer, SIGKILL) == 0, "kill: %s", strerror(errno));
        } else {
            killer = fork();
            if (killer == 0) {
                pause_ms(100);  /* we are asleep in read by then */
                _exit(kill(writer, SIGKILL) == 0 ? 0 : 2);
            }
        }
        static char rest[2 * PIPE_CAPACITY];
        ssize_t n = read_full(fds[0], rest, sizeof rest);
        CHECK(n >= 0 && (size_t)n < sizeof rest, "read after the writer was killed: %zd", n);
        CHECK((size_t)n == (blocked ? capacity : 0), "%zd bytes after the kill, expected %zu", n,
              blocked ? capacity : 0);
        CHECK(read(fds[0], &c, 1) == 0, "no end of file after the %s writer was killed",
              blocked ? "blocked" : "sleeping");
        if (killer > 0)
            CHECK_EXITED(wait_for(killer), 0);
        int status = wait_for(writer);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the %s writer: status %#x after SIGKILL",
              blocked ? "blocked" : "sleeping", status);
        close(fds[0]);
    }
}

/* A writer without readers dies of SIGPIPE: at once, and when the reader leaves during its write. */
static void sigpipe_ends_writer(void)
{
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    close(fds[0]);
    pid_t pid = fork();
    if (pid == 0) {
        write(fds[1], "x", 1);
        _exit(0);
    }
    CHECK_KILLED(wait_for(pid), SIGPIPE);
    close(fds[1]);

    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    pid = fork();
    if (pid == 0) {
        static char big[4 * PIPE_CAPACITY];
        close(fds[0]);
        write(fds[1], big, sizeof big);     /* blocks on the full pipe until the reader goes */
        _exit(0);
    }
    close(fds[1]);
    char buf[100];
    CHECK(read_full(fds[0], buf, sizeof buf) == sizeof buf, "read");
    pause_ms(50);
    close(fds[0]);
    CHECK_KILLED(wait_for(pid), SIGPIPE);
}

/* With SIGPIPE ignored the write fails with EPIPE instead; a write cut short returns its count. */
static void sigpipe_ignored_gives_epipe(void)
{
    CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR, "signal: %s", strerror(errno));
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    close(fds[0]);
    CHECK_ERRNO(write(fds[1], "x", 1), EPIPE);
    CHECK_ERRNO(write(fds[1], "x", 1), EPIPE);
    close(fds[1]);

    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid == 0) {             /* inherits SIG_IGN */
        static char big[4 * PIPE_CAPACITY];
        close(fds[0]);
        ssize_t n = write(fds[1], big, sizeof big);
        if (n <= 0 || n >= (ssize_t)sizeof big)
            _exit(2);           /* the bytes that went in before the reader left are reported */
        if (write(fds[1], big, 1) != -1 || errno != EPIPE)
            _exit(3);
        _exit(0);
    }
    close(fds[1]);
    char buf[100];
    CHECK(read_full(fds[0], buf, sizeof buf) == sizeof buf, "read");
    pause_ms(50);
    close(fds[0]);
    int status = wait_for(pid);
    CHECK(WIFEXITED(status), "the writer with SIGPIPE ignored was killed: status %#x", status);
    CHECK(WEXITSTATUS(status) == 0, "the writer %s", WEXITSTATUS(status) == 2 ?
          "did not get the count of a cut-short write" : "did not get EPIPE after it");

    /* Ignoring survives execv: yes then sees EPIPE and exits 1 instead of dying. */
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        int null_err = open("/tmp/yes_stderr", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(null_err, STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv("/bin/yes", (char *[]){ "yes", NULL });
        _exit(100);
    }
    close(fds[1]);
    CHECK(read_full(fds[0], buf, 4) == 4 && memcmp(buf, "y\ny\n", 4) == 0, "yes's output");
    close(fds[0]);
    status = wait_for(pid);
    CHECK_EXITED(status, 1);
    unlink("/tmp/yes_stderr");
}

/* One writer's record: id, sequence number, then bytes that depend on both. */
static void make_record(unsigned char *r, size_t size, int id, uint32_t seq)
{
    r[0] = (unsigned char)id;
    memcpy(r + 1, &seq, sizeof seq);
    for (size_t k = 1 + sizeof seq; k < size; k++)
        r[k] = (unsigned char)(id * 37 + seq * 11 + k);
}

/* Four writers write count records of size bytes; the reader must get each whole, in order per writer. */
static void records_never_interleave(size_t size, uint32_t count)
{
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    pid_t pids[WRITERS];
    for (int id = 0; id < WRITERS; id++) {
        pids[id] = fork();
        CHECK(pids[id] >= 0, "fork: %s", strerror(errno));
        if (pids[id] == 0) {
            unsigned char *r = malloc(size);
            close(fds[0]);
            for (uint32_t seq = 0; seq < count; seq++) {
                make_record(r, size, id, seq);
                if (write(fds[1], r, size) != (ssize_t)size)
                    _exit(2);
            }
            _exit(0);
        }
    }
    close(fds[1]);
    unsigned char *got = malloc(size), *want = malloc(size);
    uint32_t next[WRITERS] = { 0 };
    size_t have = 0;
    CHECK(got && want, "malloc");
    for (unsigned reads = 0;; reads++) {
        size_t n = 100 + reads * 333 % 1000;        /* odd sizes: records straddle reads */
        if (n > size - have)
            n = size - have;
        ssize_t r = read(fds[0], got + have, n);
        CHECK(r >= 0, "read: %s", strerror(errno));
        if (r == 0)
            break;
        have += (size_t)r;
        if (have < size)
            continue;
        have = 0;
        int id = got[0];
        CHECK(id < WRITERS, "a record with writer id %d", id);
        uint32_t seq;
        memcpy(&seq, got + 1, sizeof seq);
        CHECK(seq == next[id], "writer %d: record %u after %u", id, seq, next[id]);
        make_record(want, size, id, seq);
        CHECK(memcmp(got, want, size) == 0, "writer %d's record %u is mixed with another", id, seq);
        next[id]++;
    }
    CHECK(have == 0, "%zu bytes of a partial record at the end", have);
    for (int id = 0; id < WRITERS; id++) {
        CHECK(next[id] == count, "writer %d: %u of %u records", id, next[id], count);
        CHECK_EXITED(wait_for(pids[id]), 0);
    }
    close(fds[0]);
    free(got);
    free(want);
}

static void records_of_64_bytes(void)
{
    records_never_interleave(64, 2000);
}

static void records_of_pipe_buf_bytes(void)
{
    records_never_interleave(PIPE_BUF, 100);
}

/*
 * A write of at most PIPE_BUF bytes goes in whole or not at all: without
 * room it fails with EAGAIN (O_NONBLOCK) or sleeps, and in both cases it
 * leaves no part of itself in the pipe for another writer to follow.
 */
static void small_writes_all_or_nothing(void)
{
    static char record[PIPE_BUF], filler[4 * PIPE_CAPACITY];
    int fds[2];
    CHECK(pipe2(fds, O_NONBLOCK) == 0, "pipe2: %s", strerror(errno));
    size_t capacity = fill(fds[1]);
    CHECK(capacity >= PIPE_BUF, "a pipe holds only %zu bytes", capacity);
    CHECK(read(fds[0], filler, 100) == 100, "read");
    CHECK_ERRNO(write(fds[1], record, PIPE_BUF), EAGAIN);
    CHECK_ERRNO(write(fds[1], record, 101), EAGAIN);
    CHECK(read(fds[0], filler, PIPE_BUF) == PIPE_BUF, "read");
    CHECK(write(fds[1], record, PIPE_BUF) == PIPE_BUF, "a PIPE_BUF write with room for it: %s", strerror(errno));

    /* A blocked writer of PIPE_BUF bytes must leave the 100 bytes of room to others. */
    CHECK(read(fds[0], filler, 100) == 100, "read");
    CHECK(fcntl(fds[1], F_SETFL, 0) == 0, "F_SETFL");
    pid_t pid = fork();
    if (pid == 0) {
        memset(record, 'A', sizeof record);
        _exit(write(fds[1], record, sizeof record) == sizeof record ? 0 : 2);
    }
    pause_ms(50);               /* the child sleeps in its write */
    CHECK(fcntl(fds[1], F_SETFL, O_NONBLOCK) == 0, "F_SETFL");
    CHECK(write(fds[1], "BBBB", 4) == 4, "the room was taken by a write that blocked: %s", strerror(errno));
    CHECK(fcntl(fds[0], F_SETFL, 0) == 0, "F_SETFL");
    close(fds[1]);
    size_t before = capacity - 200;     /* what was in the pipe when the writer blocked */
    static char rest[4 * PIPE_CAPACITY];
    CHECK(read_full(fds[0], rest, before) == (ssize_t)before, "read");
    char b[4];
    CHECK(read_full(fds[0], b, 4) == 4 && memcmp(b, "BBBB", 4) == 0, "the blocked writer's bytes came first");
    CHECK(read_full(fds[0], record, sizeof record) == sizeof record, "the blocked writer's record");
    for (size_t i = 0; i < sizeof record; i++)
        CHECK(record[i] == 'A', "byte %zu of the blocked record is %#x", i, record[i]);
    CHECK_EXITED(wait_for(pid), 0);
    CHECK(read(fds[0], b, 1) == 0, "end of file");
    close(fds[0]);
}

/*
 * readv and writev are one read or one write each, whatever the number of
 * buffers: a writev of at most PIPE_BUF bytes goes in whole or not at all
 * (on several CPUs a reader woken after the first buffer would otherwise
 * see half a record), and a readv takes what the pipe holds instead of
 * sleeping on its next buffer.
 */
static void vectors_are_one_call(void)
{
    static char filler[4 * PIPE_CAPACITY];
    char a[VEC_PART], b[VEC_PART], x[VEC_PART], y[VEC_PART];
    memset(a, 'a', sizeof a);
    memset(b, 'b', sizeof b);
    struct iovec out[2] = { { a, sizeof a }, { b, sizeof b } };
    struct iovec in[2] = { { x, sizeof x }, { y, sizeof y } };
    int fds[2];
    CHECK(pipe2(fds, O_NONBLOCK) == 0, "pipe2: %s", strerror(errno));
    size_t capacity = fill(fds[1]);
    CHECK(read(fds[0], filler, sizeof a) == sizeof a, "read");
    CHECK_ERRNO(writev(fds[1], out, 2), EAGAIN);        /* room for its first buffer only */
    CHECK(read_full(fds[0], filler, capacity - sizeof a) == (ssize_t)(capacity - sizeof a), "drain");
    CHECK_ERRNO(read(fds[0], filler, 1), EAGAIN);       /* nothing of the writev went in */

    CHECK(write(fds[1], a, sizeof a) == sizeof a, "write");
    CHECK(fcntl(fds[0], F_SETFL, 0) == 0, "F_SETFL");   /* a readv waiting for more would hang */
    CHECK(readv(fds[0], in, 2) == sizeof a && memcmp(x, a, sizeof a) == 0, "readv of a pipe holding one buffer's bytes");
    CHECK(writev(fds[1], out, 2) == sizeof a + sizeof b, "writev: %s", strerror(errno));
    memset(x, 0, sizeof x);
    CHECK(readv(fds[0], in, 2) == sizeof a + sizeof b && memcmp(x, a, sizeof a) == 0 && memcmp(y, b, sizeof b) == 0,
          "readv of both buffers");
    close(fds[0]);
    close(fds[1]);
}

/*
 * Counts past anything a pipe holds: write(fd, small, (size_t)-1) moves
 * what fits and what the buffer's mapped pages hold (or fails with
 * EFAULT), never waiting for the rest; read with such a count takes what
 * is there.
 */
static void huge_counts(void)
{
    static char small[64] = "a small buffer", back[2 * PIPE_CAPACITY];
    int fds[2];
    CHECK(pipe2(fds, O_NONBLOCK) == 0, "pipe2: %s", strerror(errno));
    ssize_t n = write(fds[1], small, (size_t)-1);
    CHECK((n >= (ssize_t)sizeof small && n <= PIPE_CAPACITY) || (n == -1 && errno == EFAULT),
          "write of (size_t)-1 bytes: %zd, errno %d", n, errno);
    if (n > 0)
        CHECK(read(fds[0], back, (size_t)-1) == n && memcmp(back, small, sizeof small) == 0,
              "read of (size_t)-1 bytes");
    CHECK_ERRNO(read(fds[0], back, (size_t)-1), EAGAIN);
    close(fds[0]);
    close(fds[1]);
}

/*
 * A buffer that runs into an unmapped page: as on Linux, a write of it
 * puts nothing in (so a small write stays all or nothing) and fails with
 * EFAULT; a read into it fails with EFAULT and leaves the bytes in the pipe.
 */
static void bad_page_moves_nothing(void)
{
    enum { GOOD = 4, ASKED = 16, PAGE_BYTES = 4096 };
    char *p = mmap(NULL, 2 * PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED && munmap(p + PAGE_BYTES, PAGE_BYTES) == 0, "mmap, munmap");
    char *edge = p + PAGE_BYTES - GOOD, back[ASKED];
    memset(edge, 'x', GOOD);
    int fds[2];
    CHECK(pipe2(fds, O_NONBLOCK) == 0, "pipe2: %s", strerror(errno));
    CHECK_ERRNO(write(fds[1], edge, ASKED), EFAULT);
    CHECK_ERRNO(read(fds[0], back, sizeof back), EAGAIN);
    CHECK(write(fds[1], "abcdefgh", 8) == 8, "write");
    CHECK_ERRNO(read(fds[0], edge, ASKED), EFAULT);
    CHECK(read(fds[0], back, sizeof back) == 8 && memcmp(back, "abcdefgh", 8) == 0,
          "the bytes a bad read did not take are still there");
    close(fds[0]);
    close(fds[1]);
    munmap(p, PAGE_BYTES);
}

/* ---- descriptors ---- */

static void bad_descriptors(void)
{
    int fds[2];
    char c = 'x';
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    int bad[] = { -1, NOT_OPEN, 1000000 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int fd = bad[i];
        struct stat st;
        CHECK_ERRNO(read(fd, &c, 1), EBADF);
        CHECK_ERRNO(write(fd, &c, 1), EBADF);
        CHECK_ERRNO(close(fd), EBADF);
        CHECK_ERRNO(dup(fd), EBADF);
        CHECK_ERRNO(dup2(fd, NOT_OPEN + 1), EBADF);
        CHECK_ERRNO(dup2(fd, fd), EBADF);
        CHECK_ERRNO(fcntl(fd, F_GETFD), EBADF);
        CHECK_ERRNO(fstat(fd, &st), EBADF);
        CHECK_ERRNO(lseek(fd, 0, SEEK_SET), EBADF);
        CHECK_ERRNO(syscall(SYS_getdents64, fd, &st, sizeof st), EBADF);
    }
    CHECK(!is_open(NOT_OPEN + 1), "dup2 of a bad descriptor opened its target");
    CHECK_ERRNO(dup2(fds[0], -1), EBADF);
    CHECK_ERRNO(dup2(fds[0], 1000000), EBADF);
    CHECK_ERRNO(read(fds[1], &c, 1), EBADF);        /* the write end */
    CHECK_ERRNO(write(fds[0], &c, 1), EBADF);       /* the read end */
    CHECK(close(fds[0]) == 0, "close: %s", strerror(errno));
    CHECK_ERRNO(close(fds[0]), EBADF);              /* twice */
    CHECK_ERRNO(read(fds[0], &c, 1), EBADF);        /* after the close */
    close(fds[1]);

    int ro = open("/bin/sh", O_RDONLY);
    CHECK(ro >= 0, "open: %s", strerror(errno));
    CHECK_ERRNO(write(ro, &c, 1), EBADF);
    close(ro);
    int wo = open("/tmp/pipe_wo", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(wo >= 0, "open: %s", strerror(errno));
    CHECK_ERRNO(read(wo, &c, 1), EBADF);
    close(wo);
    unlink("/tmp/pipe_wo");
}

/* A full table gives EMFILE everywhere, loses nothing, and the lowest free number is reused. */
static void emfile_when_full(void)
{
    static int opened[FD_TABLE_GUESS];
    int fds[2], extra[2], n = 0, fd;
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    while ((fd = dup(fds[0])) >= 0) {
        CHECK(n < FD_TABLE_GUESS, "no limit after %d descriptors", n);
        opened[n++] = fd;
    }
    CHECK(errno == EMFILE, "dup on a full table: errno %d", errno);
    CHECK_ERRNO(pipe(extra), EMFILE);
    CHECK_ERRNO(open("/bin/sh", O_RDONLY), EMFILE);
    CHECK_ERRNO(fcntl(fds[0], F_DUPFD, 0), EMFILE);
    int hole = opened[n / 2];
    CHECK(close(hole) == 0, "close");
    CHECK_ERRNO(pipe(extra), EMFILE);               /* one free slot; a pipe needs two */
    CHECK(dup(fds[1]) == hole, "the freed descriptor %d was not reused (or pipe() kept it)", hole);
    CHECK((fcntl(hole, F_GETFL) & O_ACCMODE) == O_WRONLY, "it refers to the write end");
    for (int i = 0; i < n; i++)
        CHECK(close(opened[i]) == 0, "close %d: %s", opened[i], strerror(errno));
    CHECK(pipe(extra) == 0, "pipe after closing: %s", strerror(errno));
    close(extra[0]);
    close(extra[1]);
    close(fds[0]);
    close(fds[1]);
}

/*
 * One process after another opens files until it cannot: EMFILE while the
 * system has room, then ENFILE once the system-wide table is full.  While
 * it is, our own open and pipe fail with ENFILE; once the holders exit, they
 * work again.
 */
static void enfile_when_the_system_is_full(void)
{
    pid_t holders[HOLDERS_MAX];
    int reports[HOLDERS_MAX];   /* kept open, like every file here, while the system is full */
    int go[2], count = 0, full = 0, fds[2];
    CHECK(pipe(go) == 0, "pipe: %s", strerror(errno));
    while (!full && count < HOLDERS_MAX) {
        int report[2], err = 0;
        if (pipe(report) < 0) {
            CHECK(errno == ENFILE, "pipe: errno %d", errno);
            full = 1;           /* the two files of a pipe did not fit */
            break;
        }
        pid_t pid = fork();
        CHECK(pid >= 0, "fork: %s", strerror(errno));
        if (pid == 0) {
            close(go[1]);
            close(report[0]);
            while (open("/bin/sh", O_RDONLY) >= 0)
                ;
            err = errno;
            write(report[1], &err, sizeof err);
            char c;
            read(go[0], &c, 1);         /* hold the files until go closes */
            _exit(0);
        }
        holders[count] = pid;
        reports[count++] = report[0];
        close(report[1]);
        CHECK(read(report[0], &err, sizeof err) == sizeof err, "holder %d did not report", count);
        CHECK(err == EMFILE || err == ENFILE, "holder %d stopped with errno %d", count, err);
        full = err == ENFILE;
    }
    CHECK(full, "%d processes filled their tables, and no ENFILE", count);
    CHECK_ERRNO(open("/bin/sh", O_RDONLY), ENFILE);
    CHECK_ERRNO(pipe(fds), ENFILE);
    close(go[0]);
    close(go[1]);
    for (int i = 0; i < count; i++) {
        CHECK_EXITED(wait_for(holders[i]), 0);
        close(reports[i]);
    }
    int fd = open("/bin/sh", O_RDONLY);
    CHECK(fd >= 0, "open after the holders exited: %s", strerror(errno));
    close(fd);
}

static void dup_takes_lowest_and_shares_the_file(void)
{
    int fd = open("/tmp/pipe_dup", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "open: %s", strerror(errno));
    int low = dup(fd);
    CHECK(low > fd, "dup gave %d", low);
    close(fd);
    CHECK(dup(low) == fd, "dup did not take the lowest free descriptor %d", fd);
    CHECK(write(fd, "abc", 3) == 3, "write");
    CHECK(lseek(low, 0, SEEK_CUR) == 3, "the offset is not shared with the dup");
    CHECK(lseek(low, 1, SEEK_SET) == 1 && lseek(fd, 0, SEEK_CUR) == 1, "lseek through the dup");
    close(fd);
    close(low);
    unlink("/tmp/pipe_dup");
}

static void dup2_onto_open_descriptor(void)
{
    int a[2], b[2];
    char c = 0;
    CHECK(pipe(a) == 0 && pipe(b) == 0, "pipe: %s", strerror(errno));
    CHECK(dup2(a[1], b[1]) == b[1], "dup2: %s", strerror(errno));
    CHECK(read(b[0], &c, 1) == 0, "the write end that dup2 replaced was not closed");
    CHECK(write(b[1], "z", 1) == 1 && read(a[0], &c, 1) == 1 && c == 'z',
          "the target does not write into the other pipe");
    CHECK(dup2(a[0], a[0]) == a[0] && is_open(a[0]), "dup2(fd, fd) must leave fd open");
    CHECK(fcntl(a[1], F_SETFD, FD_CLOEXEC) == 0, "F_SETFD");
    CHECK(dup2(a[1], a[1]) == a[1] && fcntl(a[1], F_GETFD) == FD_CLOEXEC,
          "dup2(fd, fd) must change nothing");
    CHECK(dup2(a[1], NOT_OPEN) == NOT_OPEN && fcntl(NOT_OPEN, F_GETFD) == 0,
          "the copy made by dup2 must not be close-on-exec");
    CHECK(dup3(a[1], NOT_OPEN + 1, O_CLOEXEC) == NOT_OPEN + 1 && fcntl(NOT_OPEN + 1, F_GETFD) == FD_CLOEXEC,
          "dup3 with O_CLOEXEC");
    CHECK_ERRNO(dup3(a[1], a[1], 0), EINVAL);
    CHECK_ERRNO(dup3(a[1], NOT_OPEN + 2, O_APPEND), EINVAL);
    CHECK(!is_open(NOT_OPEN + 2), "a failed dup3 opened its target");
    close(NOT_OPEN);
    close(NOT_OPEN + 1);
    close(a[0]);
    close(a[1]);
    close(b[0]);
    close(b[1]);
}

static void fcntl_commands(void)
{
    int fds[2];
    char c;
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    CHECK(fcntl(fds[0], F_GETFD) == 0, "a new descriptor is not close-on-exec");
    CHECK(fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0 && fcntl(fds[0], F_GETFD) == FD_CLOEXEC, "F_SETFD");
    CHECK(fcntl(fds[0], F_SETFD, 0) == 0 && fcntl(fds[0], F_GETFD) == 0, "F_SETFD 0");
    CHECK(fcntl(fds[0], F_DUPFD, NOT_OPEN) == NOT_OPEN, "F_DUPFD takes the lowest free >= its argument");
    CHECK(fcntl(fds[0], F_DUPFD, NOT_OPEN) == NOT_OPEN + 1, "F_DUPFD again");
    CHECK(fcntl(NOT_OPEN, F_GETFD) == 0, "F_DUPFD's copy is not close-on-exec");
    CHECK(fcntl(fds[0], F_DUPFD_CLOEXEC, NOT_OPEN) == NOT_OPEN + 2 && fcntl(NOT_OPEN + 2, F_GETFD) == FD_CLOEXEC,
          "F_DUPFD_CLOEXEC");
    CHECK_ERRNO(fcntl(fds[0], F_DUPFD, -1), EINVAL);
    CHECK_ERRNO(fcntl(fds[0], 9999), EINVAL);
    CHECK((fcntl(fds[0], F_GETFL) & O_ACCMODE) == O_RDONLY, "F_GETFL of the read end");
    CHECK((fcntl(fds[1], F_GETFL) & O_ACCMODE) == O_WRONLY, "F_GETFL of the write end");
    CHECK(fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0, "F_SETFL");
    CHECK(fcntl(NOT_OPEN, F_GETFL) & O_NONBLOCK, "status flags belong to the open file, shared by its copies");
    CHECK_ERRNO(read(fds[0], &c, 1), EAGAIN);
    CHECK(fcntl(fds[0], F_SETFL, 0) == 0 && !(fcntl(fds[0], F_GETFL) & O_NONBLOCK), "clearing O_NONBLOCK");
    for (int fd = NOT_OPEN; fd <= NOT_OPEN + 2; fd++)
        close(fd);
    close(fds[0]);
    close(fds[1]);

    CHECK(pipe2(fds, O_CLOEXEC) == 0, "pipe2: %s", strerror(errno));
    CHECK(fcntl(fds[0], F_GETFD) == FD_CLOEXEC && fcntl(fds[1], F_GETFD) == FD_CLOEXEC, "pipe2(O_CLOEXEC)");
    close(fds[0]);
    close(fds[1]);
    CHECK(pipe2(fds, O_NONBLOCK) == 0, "pipe2: %s", strerror(errno));
    CHECK_ERRNO(read(fds[0], &c, 1), EAGAIN);
    static char big[4 * PIPE_CAPACITY];
    ssize_t n = write(fds[1], big, sizeof big);
    CHECK(n > 0 && n < (ssize_t)sizeof big, "a non-blocking write to a pipe with room: %zd", n);
    CHECK_ERRNO(write(fds[1], big, 1), EAGAIN);
    close(fds[0]);
    close(fds[1]);
    CHECK_ERRNO(pipe2(fds, O_APPEND), EINVAL);
}

/* Run helper_fdcheck on fd (writing text into it if open); its exit status. */
static int fdcheck(int fd, const char *text)
{
    char number[16];
    snprintf(number, sizeof number, "%d", fd);
    pid_t pid = fork();
    if (pid == 0) {
        execv("/bin/helper_fdcheck", (char *[]){ "helper_fdcheck", number, (char *)text, NULL });
        _exit(100);
    }
    int status = wait_for(pid);
    CHECK(WIFEXITED(status), "helper_fdcheck: status %#x", status);
    return WEXITSTATUS(status);
}

static void descriptors_across_exec(void)
{
    int fds[2], cloexec_pipe[2];
    char buf[8] = { 0 };
    CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
    CHECK(fdcheck(fds[1], "kept") == 0, "a plain descriptor did not survive execv");
    CHECK(read(fds[0], buf, 4) == 4 && memcmp(buf, "kept", 4) == 0, "the program wrote elsewhere: \"%s\"", buf);
    CHECK(fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0, "F_SETFD");
    CHECK(fdcheck(fds[1], NULL) == 1, "an FD_CLOEXEC descriptor survived execv");
    int copy = dup(fds[1]);
    CHECK(fdcheck(copy, "dup") == 0, "a dup of a close-on-exec descriptor did not survive execv");
    int cloexec_copy = fcntl(fds[1], F_DUPFD_CLOEXEC, 0);
    CHECK(fdcheck(cloexec_copy, NULL) == 1, "an F_DUPFD_CLOEXEC copy survived execv");
    CHECK(pipe2(cloexec_pipe, O_CLOEXEC) == 0, "pipe2: %s", strerror(errno));
    CHECK(fdcheck(cloexec_pipe[1], NULL) == 1, "a pipe2(O_CLOEXEC) descriptor survived execv");
    int file = open("/bin/sh", O_RDONLY | O_CLOEXEC);
    CHECK(file >= 0 && fdcheck(file, NULL) == 1, "an O_CLOEXEC file survived execv");
    close(file);
    close(cloexec_pipe[0]);
    close(cloexec_pipe[1]);
    close(cloexec_copy);
    close(copy);
    close(fds[1]);
    CHECK(read(fds[0], buf, 3) == 3 && memcmp(buf, "dup", 3) == 0, "the dup's text");
    CHECK(read(fds[0], buf, 1) == 0, "the helpers left a write end open");
    close(fds[0]);
}

/* Pipes closed in every order, by one process or two, give back every page and heap byte. */
static void pipes_free_their_memory(void)
{
    int fds[2];
    signal(SIGPIPE, SIG_IGN);   /* a child may write after every reader left */
    CHECK(pipe(fds) == 0, "pipe");
    close(fds[0]);
    close(fds[1]);
    struct os_stats before = utest_settled();
    for (int i = 0; i < LEAK_ROUNDS; i++) {
        CHECK(pipe(fds) == 0, "pipe %d: %s", i, strerror(errno));
        int first = i % 2, second = !first;         /* which end the child closes first */
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[first]);
            if (i % 3 == 0)
                write(fds[1], "data", 4);           /* left unread when the pipe goes */
            close(fds[second]);
            _exit(0);
        }
        if (i % 4 < 2) {                            /* we close before or after the child */
            close(fds[second]);
            close(fds[first]);
        }
        wait_for(pid);
        close(fds[0]);          /* EBADF if already closed: harmless */
        close(fds[1]);
    }
    utest_expect_back(before);
}

int main(void)
{
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN(ping_pong);
    RUN(one_mib_odd_sizes);
    RUN(eof_after_last_writer);
    RUN(eof_when_writer_killed);
    RUN(sigpipe_ends_writer);
    RUN(sigpipe_ignored_gives_epipe);
    RUN(records_of_64_bytes);
    RUN(records_of_pipe_buf_bytes);
    RUN(small_writes_all_or_nothing);
    RUN(vectors_are_one_call);
    RUN(huge_counts);
    RUN(bad_page_moves_nothing);
    RUN(bad_descriptors);
    RUN(emfile_when_full);
    RUN(enfile_when_the_system_is_full);
    RUN(dup_takes_lowest_and_shares_the_file);
    RUN(dup2_onto_open_descriptor);
    RUN(fcntl_commands);
    RUN(descriptors_across_exec);
    RUN(pipes_free_their_memory);
    utest_pages_back("pages_back_after_all_tests", start);
    return utest_finish();
}
