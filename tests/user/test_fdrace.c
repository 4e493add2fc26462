/*
 * Descriptors pulled away from a thread asleep in a call on them (issue
 * 10): a sibling thread closes the descriptor, closes the other end too,
 * replaces it with dup2, or the process exits, while one thread sleeps in
 * a pipe read or write, readv or writev, a FIFO's open or a terminal read.
 * As on Linux the sleeper keeps its file until its call returns: data
 * written later reaches it, EOF comes when the last writer goes, a writer
 * gets no SIGPIPE while a sleeping reader holds the read end, and nothing
 * is used after it is freed.  Each race runs many rounds, each round in a
 * process of its own, and after them every page, heap byte, open file,
 * process and thread is back.  Last, names removed on one CPU while
 * another looks them up.
 */
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include "uthread.h"

#define ROUNDS          100             /* rounds of each race, after one warm-up */
#define TTY_ROUNDS      5               /* fewer: each types a line on the console */
#define ASLEEP_YIELDS   100             /* yields before falling back to polling naps */
#define ASLEEP_SECONDS  10              /* then how long to wait for the sleeper */
#define BUF_SIZE        64
#define PIPE_CAPACITY   16384           /* kernel/pipe.c: the drain buffer holds it and more */
#define FIFO_DIR        "/tmp/fdrace_dir"
#define FIFO_PATH       FIFO_DIR "/fifo"

/* A call one thread makes and sleeps in; what it got back. */
struct blocked {
    int fd;
    char buf[BUF_SIZE];
    ssize_t result;
    int err;
};

/* ---- helpers ---- */

/* Wait until a thread of ours sleeps for reason (a wait reason the kernel shows: "piperd"...). */
static void wait_asleep(const char *reason)
{
    for (int i = 0; i < ASLEEP_YIELDS; i++) {
        if (uthread_count(getpid(), 'S', reason) > 0)
            return;
        sched_yield();
    }
    CHECK(uthread_wait_for(getpid(), 1, reason, ASLEEP_SECONDS), "no thread asleep in \"%s\"", reason);
}

/* Run round in a child process; it must exit 0 (a CHECK in it has already said why not). */
static void run_round(void (*round)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        round();
        fflush(stdout);
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
        _exit(1);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a round ended with status %#x", status);
}

/* One warm-up round, then rounds more; then everything they used is back. */
static void repeat(void (*round)(void), int rounds)
{
    run_round(round);
    struct os_stats before = utest_settled();
    for (int i = 0; i < rounds; i++)
        run_round(round);
    struct os_stats after = utest_settled();   /* the last thread of a child ends a moment after wait4 */
    CHECK(after.open_files == before.open_files, "%lu open files, %lu before",
          (unsigned long)after.open_files, (unsigned long)before.open_files);
    CHECK(after.processes == before.processes && after.threads == before.threads,
          "%lu processes and %lu threads, %lu and %lu before", (unsigned long)after.processes,
          (unsigned long)after.threads, (unsigned long)before.processes, (unsigned long)before.threads);
    utest_expect_back(before);
}

static void *blocked_read(void *arg)
{
    struct blocked *b = arg;
    b->result = read(b->fd, b->buf, sizeof b->buf);
    b->err = errno;
    return NULL;
}

static void *blocked_write(void *arg)
{
    struct blocked *b = arg;
    b->result = write(b->fd, b->buf, sizeof b->buf);
    b->err = errno;
    return NULL;
}

/* readv into the two halves of b->buf. */
static void *blocked_readv(void *arg)
{
    struct blocked *b = arg;
    struct iovec v[2] = { { b->buf, BUF_SIZE / 2 }, { b->buf + BUF_SIZE / 2, BUF_SIZE / 2 } };
    b->result = readv(b->fd, v, 2);
    b->err = errno;
    return NULL;
}

static void *blocked_writev(void *arg)
{
    struct blocked *b = arg;
    struct iovec v[2] = { { b->buf, BUF_SIZE / 2 }, { b->buf + BUF_SIZE / 2, BUF_SIZE / 2 } };
    b->result = writev(b->fd, v, 2);
    b->err = errno;
    return NULL;
}

static void join(pthread_t t)
{
    CHECK(pthread_join(t, NULL) == 0, "pthread_join");
}

/* A pipe whose write end is full to the brim (it blocks again). */
static void full_pipe(int p[2])
{
    static char fill[PIPE_CAPACITY];
    CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
    CHECK(fcntl(p[1], F_SETFL, O_NONBLOCK) == 0, "O_NONBLOCK");
    while (write(p[1], fill, sizeof fill) > 0)
        ;
    while (write(p[1], fill, 1) > 0)
        ;
    CHECK(errno == EAGAIN, "filling the pipe: %s", strerror(errno));
    CHECK(fcntl(p[1], F_SETFL, 0) == 0, "blocking again");
}

/* Read fd to end of file; the byte count. */
static size_t drain(int fd)
{
    static char buf[2 * PIPE_CAPACITY];
    size_t total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        total += (size_t)n;
    CHECK(n == 0, "draining: %s", strerror(errno));
    return total;
}

/* The bytes a full pipe holds (measured, not assumed). */
static size_t capacity(void)
{
    int p[2];
    full_pipe(p);
    close(p[1]);
    size_t n = drain(p[0]);
    close(p[0]);
    return n;
}

/* ---- pipe reads and writes, readv and writev ---- */

/*
 * A reader (read or readv) asleep on an empty pipe loses its descriptor:
 * a later write reaches it and raises no SIGPIPE; once its call is over
 * there is no reader left, and a write gets EPIPE.
 */
static void reader_loses_its_fd(void *(*reader)(void *))
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
    struct blocked b = { .fd = p[0] };
    pthread_t t;
    SPAWN(&t, reader, &b);
    wait_asleep("piperd");
    CHECK(close(p[0]) == 0, "close: %s", strerror(errno));
    char out[BUF_SIZE];
    memset(out, 'r', sizeof out);
    struct iovec v[2] = { { out, BUF_SIZE / 2 }, { out + BUF_SIZE / 2, BUF_SIZE / 2 } };
    CHECK(writev(p[1], v, 2) == BUF_SIZE, "write with a reader asleep: %s", strerror(errno));
    join(t);
    /* One writev is one call: both halves are in the pipe before the sleeper runs. */
    CHECK(b.result == BUF_SIZE && memcmp(b.buf, out, BUF_SIZE) == 0, "the sleeper read %zd (%s)",
          b.result, strerror(b.err));
    signal(SIGPIPE, SIG_IGN);
    CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE, "write with no reader left: %s", strerror(errno));
    close(p[1]);
}

static void read_close_read_end_round(void)  { reader_loses_its_fd(blocked_read); }
static void readv_close_round(void)          { reader_loses_its_fd(blocked_readv); }

static void pipe_read_sibling_closes_read_fd(void)
{
    repeat(read_close_read_end_round, ROUNDS);
}

static void readv_sibling_closes_read_fd(void)
{
    repeat(readv_close_round, ROUNDS);
}

/* Both ends go: the sleeper sees end of file, on a pipe that still exists. */
static void read_close_both_round(void)
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
    struct blocked b = { .fd = p[0] };
    pthread_t t;
    SPAWN(&t, blocked_read, &b);
    wait_asleep("piperd");
    CHECK(close(p[0]) == 0 && close(p[1]) == 0, "close: %s", strerror(errno));
    join(t);
    CHECK(b.result == 0, "the sleeper got %zd (%s), not end of file", b.result, strerror(b.err));
}

static void pipe_read_sibling_closes_both_fds(void)
{
    repeat(read_close_both_round, ROUNDS);
}

/*
 * A writer (write or writev) asleep on a full pipe loses its descriptor;
 * the reader drains the pipe: the sleeper's bytes arrive, then EOF.
 */
static void writer_loses_its_fd(void *(*writer)(void *))
{
    size_t full = capacity();
    int p[2];
    full_pipe(p);
    struct blocked b = { .fd = p[1] };
    memset(b.buf, 'w', sizeof b.buf);
    pthread_t t;
    SPAWN(&t, writer, &b);
    wait_asleep("pipewr");
    CHECK(close(p[1]) == 0, "close: %s", strerror(errno));
    size_t got = drain(p[0]);
    join(t);
    CHECK(b.result == BUF_SIZE, "the sleeper wrote %zd (%s)", b.result, strerror(b.err));
    CHECK(got == full + BUF_SIZE, "drained %zu bytes, expected %zu", got, full + BUF_SIZE);
    close(p[0]);
}

static void write_close_write_end_round(void) { writer_loses_its_fd(blocked_write); }
static void writev_close_round(void)          { writer_loses_its_fd(blocked_writev); }

static void pipe_write_sibling_closes_write_fd(void)
{
    repeat(write_close_write_end_round, ROUNDS);
}

static void writev_sibling_closes_write_fd(void)
{
    repeat(writev_close_round, ROUNDS);
}

/* ---- FIFO opens ---- */

struct fifo_opener {
    int dirfd;
    int fd;                     /* what openat returned */
    int err;
    char buf[BUF_SIZE];
    ssize_t got;                /* bytes read until end of file */
};

/* openat(dirfd, "fifo") for reading (it waits for a writer), then read to end of file. */
static void *open_fifo_and_read(void *arg)
{
    struct fifo_opener *o = arg;
    o->fd = openat(o->dirfd, "fifo", O_RDONLY);
    o->err = errno;
    ssize_t n = 0;
    o->got = 0;
    while (o->fd >= 0 && (n = read(o->fd, o->buf + o->got, sizeof o->buf - (size_t)o->got)) > 0)
        o->got += n;
    if (n < 0)
        o->got = -1;
    if (o->fd >= 0)
        close(o->fd);
    return NULL;
}

/* A fresh directory with a FIFO in it, and a descriptor for the directory. */
static int make_fifo_dir(void)
{
    unlink(FIFO_PATH);
    rmdir(FIFO_DIR);
    CHECK(mkdir(FIFO_DIR, 0755) == 0 && mkfifo(FIFO_PATH, 0644) == 0, "mkdir, mkfifo: %s", strerror(errno));
    int dirfd = open(FIFO_DIR, O_RDONLY | O_DIRECTORY);
    CHECK(dirfd >= 0, "open the directory: %s", strerror(errno));
    return dirfd;
}

/*
 * A reader waits in openat(dirfd, "fifo"); a sibling closes the dirfd and
 * unrelated descriptors, opens the writer, then removes the FIFO and its
 * directory: the reader's open completes and it reads what was written.
 */
static void fifo_open_close_dirfd_round(void)
{
    int unrelated[2];
    CHECK(pipe(unrelated) == 0, "pipe: %s", strerror(errno));
    struct fifo_opener o = { .dirfd = make_fifo_dir() };
    pthread_t t;
    SPAWN(&t, open_fifo_and_read, &o);
    wait_asleep("fifo");
    CHECK(close(o.dirfd) == 0 && close(unrelated[0]) == 0 && close(unrelated[1]) == 0, "close");
    int w = open(FIFO_PATH, O_WRONLY);
    CHECK(w >= 0, "open the writer: %s", strerror(errno));
    CHECK(unlink(FIFO_PATH) == 0 && rmdir(FIFO_DIR) == 0, "remove: %s", strerror(errno));
    CHECK(write(w, "fifo", 4) == 4, "write: %s", strerror(errno));
    close(w);
    join(t);
    CHECK(o.fd >= 0, "openat: %s", strerror(o.err));
    CHECK(o.got == 4 && memcmp(o.buf, "fifo", 4) == 0, "the reader got %zd bytes", o.got);
}

static void fifo_open_sibling_closes_dirfd(void)
{
    repeat(fifo_open_close_dirfd_round, ROUNDS);
}

/* ---- the terminal ---- */

/*
 * A thread reads the terminal at fd 0; a sibling closes fd 0 and types a
 * line with TIOCSTI: the sleeper reads it.  The line is whole, so the
 * terminal is left as it was (and fd 0 is closed in this round's process
 * only).
 */
static void tty_read_close_round(void)
{
    static const char line[] = "fdrace tty line\n";
    struct blocked b = { .fd = STDIN_FILENO };
    pthread_t t;
    SPAWN(&t, blocked_read, &b);
    wait_asleep("tty");
    CHECK(close(STDIN_FILENO) == 0, "close(0): %s", strerror(errno));
    for (size_t i = 0; i < sizeof line - 1; i++)
        CHECK(ioctl(STDOUT_FILENO, TIOCSTI, &line[i]) == 0, "TIOCSTI: %s", strerror(errno));
    join(t);
    CHECK(b.result == (ssize_t)sizeof line - 1 && memcmp(b.buf, line, sizeof line - 1) == 0,
          "the sleeper read %zd (%s)", b.result, strerror(b.err));
}

/* Are fds 0 and 1 the terminal (TCGETS answers only there)? */
static int on_terminal(void)
{
    char termios[64];
    return ioctl(STDIN_FILENO, TCGETS, termios) == 0 && ioctl(STDOUT_FILENO, TCGETS, termios) == 0;
}

static void tty_read_sibling_closes_fd0(void)
{
    if (!on_terminal()) {
        printf("test_fdrace: stdin or stdout is not the terminal; nothing to test\n");
        return;
    }
    repeat(tty_read_close_round, TTY_ROUNDS);
}

/* ---- dup2 ---- */

/* dup2 puts another pipe at the descriptor a reader sleeps on: the sleeper keeps the old pipe. */
static void dup2_round(void)
{
    int p[2], q[2];
    CHECK(pipe(p) == 0 && pipe(q) == 0, "pipe: %s", strerror(errno));
    struct blocked b = { .fd = p[0] };
    pthread_t t;
    SPAWN(&t, blocked_read, &b);
    wait_asleep("piperd");
    CHECK(dup2(q[0], p[0]) == p[0], "dup2: %s", strerror(errno));
    CHECK(write(p[1], "old", 3) == 3, "write to the sleeper's pipe: %s", strerror(errno));
    join(t);
    CHECK(b.result == 3 && memcmp(b.buf, "old", 3) == 0, "the sleeper read %zd (%s)", b.result, strerror(b.err));
    char c[4] = "";
    CHECK(write(q[1], "new", 3) == 3 && read(p[0], c, 3) == 3 && memcmp(c, "new", 3) == 0,
          "the descriptor now reads the other pipe");
    signal(SIGPIPE, SIG_IGN);
    CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE, "the old read end outlived its sleeper");
    close(p[0]), close(p[1]), close(q[0]), close(q[1]);
}

static void dup2_onto_a_blocked_fd(void)
{
    repeat(dup2_round, ROUNDS);
}

/* ---- exit_group ---- */

/*
 * The process exits while its threads sleep: a reader whose pipe a
 * sibling closed (both ends), a writer on a full pipe, and a FIFO opener
 * whose FIFO, directory and dirfd are gone.  Everything comes back.
 */
static void exit_group_round(void)
{
    static struct blocked reader, writer;
    static struct fifo_opener opener;
    int p[2], q[2];
    CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
    full_pipe(q);
    reader.fd = p[0];
    writer.fd = q[1];
    opener.dirfd = make_fifo_dir();
    pthread_t t;
    SPAWN(&t, blocked_read, &reader);
    SPAWN(&t, blocked_write, &writer);
    SPAWN(&t, open_fifo_and_read, &opener);
    wait_asleep("piperd");
    wait_asleep("pipewr");
    wait_asleep("fifo");
    close(p[0]), close(p[1]), close(opener.dirfd);
    CHECK(unlink(FIFO_PATH) == 0 && rmdir(FIFO_DIR) == 0, "remove: %s", strerror(errno));
    _exit(0);                   /* exit_group, with three threads asleep */
}

static void exit_group_while_siblings_sleep(void)
{
    repeat(exit_group_round, ROUNDS);
}

/* A round of each kind, so that first-use allocations happen before the count starts. */
/*
 * Both ends of a pipe closed at the same instant on two CPUs.  The close of
 * the write end used to wake the readers after dropping the pipe's lock,
 * when the close of the read end on the other CPU could already have
 * freed the pipe (a page fault or #GP in wake_all, found by test_thread's
 * watchdog pipes).  CLOSE_RACE_ROUNDS pipes, a sibling closing the write
 * end while we close the read end, with a varying head start.
 */
#define CLOSE_RACE_ROUNDS   100000
#define CLOSE_RACE_JITTER   64          /* spins of head start, round % this */

static int race_pipe[2];
static volatile int race_go, race_done;     /* [atomic] rounds started and finished */

static void jitter(int round)
{
    for (volatile int spin = 0; spin < round % CLOSE_RACE_JITTER; spin++)
        ;
}

static void *close_write_ends(void *arg)
{
    (void)arg;
    utest_pin_to_cpu(1 % (int)sysconf(_SC_NPROCESSORS_ONLN));
    for (int round = 1; round <= CLOSE_RACE_ROUNDS; round++) {
        while (__atomic_load_n(&race_go, __ATOMIC_ACQUIRE) != round)
            sched_yield();
        jitter(round / CLOSE_RACE_JITTER);
        close(race_pipe[1]);
        __atomic_store_n(&race_done, round, __ATOMIC_RELEASE);
    }
    return NULL;
}

static void pipe_both_ends_closed_at_once(void)
{
    struct os_stats before = utest_settled();
    utest_pin_to_cpu(0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, close_write_ends, NULL) == 0, "pthread_create");
    for (int round = 1; round <= CLOSE_RACE_ROUNDS; round++) {
        CHECK(pipe(race_pipe) == 0, "pipe: %s", strerror(errno));
        __atomic_store_n(&race_go, round, __ATOMIC_RELEASE);
        jitter(round);
        close(race_pipe[0]);
        while (__atomic_load_n(&race_done, __ATOMIC_ACQUIRE) != round)
            sched_yield();
    }
    join(t);
    struct os_stats after = utest_settled();
    CHECK(after.open_files == before.open_files, "%lu open files, %lu before", (unsigned long)after.open_files,
          (unsigned long)before.open_files);
}

/*
 * Names looked up on one CPU while another removes them.  The lookup gave
 * back an inode without a reference and took one after letting go of the
 * file system's lock: an unlink on the other CPU could free the inode in
 * between, and the open's own put freed it again (the 2-CPU fuzzer: a
 * page fault in kfree of the file's data, under open).  One thread makes a
 * directory, a file with data in it, removes both, again and again; the
 * other opens, stats and checks the file and creates beside it.
 */
#define NAME_RACE_ROUNDS    20000           /* at most: about 25 s in the debug build on 2 CPUs ... */
#define NAME_RACE_SECONDS   12              /* ... so the rounds stop here, well inside UTEST_TIME_LIMIT */
#define NAME_RACE_MIN_ROUNDS 1000           /* fewer would race too little to mean anything */
#define NAME_RACE_DIR       "/tmp/name_race"
#define NAME_RACE_FILE      NAME_RACE_DIR "/file"
#define NAME_RACE_OTHER     NAME_RACE_DIR "/other"

static volatile int name_race_over;     /* [atomic] the remover is done */

static void *look_up_names(void *arg)
{
    (void)arg;
    utest_pin_to_cpu(1 % (int)sysconf(_SC_NPROCESSORS_ONLN));
    struct stat st;
    while (!__atomic_load_n(&name_race_over, __ATOMIC_ACQUIRE)) {
        int fd = open(NAME_RACE_FILE, O_RDONLY);
        if (fd >= 0)
            close(fd);
        stat(NAME_RACE_FILE, &st);
        access(NAME_RACE_FILE, W_OK);
        fd = open(NAME_RACE_OTHER, O_WRONLY | O_CREAT, 0644);      /* into a directory being removed */
        if (fd >= 0) {
            close(fd);
            unlink(NAME_RACE_OTHER);
        }
    }
    return NULL;
}

static void names_removed_while_looked_up(void)
{
    struct os_stats before = utest_settled();
    utest_pin_to_cpu(0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, look_up_names, NULL) == 0, "pthread_create");
    static const char data[BUF_SIZE] = "data that makes the file hold a buffer of its own";
    uint64_t deadline = utest_now_ns() + NAME_RACE_SECONDS * UTEST_NS_PER_S;
    int round;
    for (round = 0; round < NAME_RACE_ROUNDS && utest_now_ns() < deadline; round++) {
        mkdir(NAME_RACE_DIR, 0755);
        int fd = open(NAME_RACE_FILE, O_WRONLY | O_CREAT, 0644);
        if (fd >= 0) {
            CHECK(write(fd, data, sizeof data) == (ssize_t)sizeof data, "write: %s", strerror(errno));
            close(fd);
        }
        unlink(NAME_RACE_FILE);
        unlink(NAME_RACE_OTHER);
        rmdir(NAME_RACE_DIR);
    }
    __atomic_store_n(&name_race_over, 1, __ATOMIC_RELEASE);
    join(t);
    unlink(NAME_RACE_OTHER);
    unlink(NAME_RACE_FILE);
    CHECK(rmdir(NAME_RACE_DIR) == 0 || errno == ENOENT, "rmdir: %s", strerror(errno));
    struct os_stats after = utest_settled();
    CHECK(after.heap_bytes == before.heap_bytes, "kernel heap %lu bytes, %lu before",
          (unsigned long)after.heap_bytes, (unsigned long)before.heap_bytes);
    CHECK(round >= NAME_RACE_MIN_ROUNDS, "only %d rounds in %d s", round, NAME_RACE_SECONDS);
}

static void warm_up(void)
{
    run_round(read_close_both_round);
    run_round(write_close_write_end_round);
    run_round(readv_close_round);
    run_round(fifo_open_close_dirfd_round);
    run_round(dup2_round);
    run_round(exit_group_round);
    if (on_terminal())
        run_round(tty_read_close_round);
}

static const struct { const char *name; void (*fn)(void); } tests[] = {
    { "pipe_read_sibling_closes_read_fd", pipe_read_sibling_closes_read_fd },
    { "pipe_read_sibling_closes_both_fds", pipe_read_sibling_closes_both_fds },
    { "pipe_write_sibling_closes_write_fd", pipe_write_sibling_closes_write_fd },
    { "readv_sibling_closes_read_fd", readv_sibling_closes_read_fd },
    { "writev_sibling_closes_write_fd", writev_sibling_closes_write_fd },
    { "fifo_open_sibling_closes_dirfd", fifo_open_sibling_closes_dirfd },
    { "tty_read_sibling_closes_fd0", tty_read_sibling_closes_fd0 },
    { "dup2_onto_a_blocked_fd", dup2_onto_a_blocked_fd },
    { "exit_group_while_siblings_sleep", exit_group_while_siblings_sleep },
    { "pipe_both_ends_closed_at_once", pipe_both_ends_closed_at_once },
    { "names_removed_while_looked_up", names_removed_while_looked_up },
};

/* test_fdrace [NAME...]: every test, or the named ones alone (no warm-up, no final count). */
int main(int argc, char **argv)
{
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            for (size_t t = 0; t < sizeof tests / sizeof tests[0]; t++)
                if (strcmp(argv[i], tests[t].name) == 0)
                    utest_run(tests[t].name, tests[t].fn);
        return utest_finish();
    }
    /* A line as long as any test's, so our stdout buffer's pages are in use before the count. */
    printf("test_fdrace: threads asleep in calls on descriptors that a sibling closes, dup2s or exits under\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    for (size_t t = 0; t < sizeof tests / sizeof tests[0]; t++)
        utest_run(tests[t].name, tests[t].fn);
    unlink(FIFO_PATH);
    rmdir(FIFO_DIR);
    utest_pages_back("pages_back_after_all_tests", start);
    return utest_finish();
}
