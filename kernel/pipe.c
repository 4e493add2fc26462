/*
 * Pipes: a ring buffer between a read end and a write end, with POSIX
 * semantics.  Reads block while the pipe is empty and return 0 once every
 * write end is closed.  Writes block while it is full; a write of at most
 * PIPE_BUF bytes goes in whole or not at all (so records from several
 * writers never interleave), a larger one in pieces.  Writing with no
 * reader left raises SIGPIPE, which ends the writer unless it ignores the
 * signal; then the write fails with EPIPE.  Sleeping is on wait queues: no
 * polling.  The pipe is freed when its last end is closed, whatever the
 * order.  An end is closed when its file's last reference goes, and a
 * system call sleeping in a read or write holds one (fd_get): a reader
 * asleep while another thread closes its descriptor still counts.
 *
 * A FIFO's pipe is made at its first open and freed at its last close,
 * its memory charged to the file system's limit (fs_charge): a FIFO
 * nobody has open costs no more than its inode.
 */
#include <abi/signal.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/poll.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/vm.h>

#define PIPE_CAPACITY   (16 * 1024)     /* ring bytes: four pages, like a small Linux pipe */
#define PIPE_BUF        4096            /* atomic write limit: Linux's, and libc's limits.h */

/*
 * fifo_lock makes a FIFO's first open (which makes its pipe) and last
 * close (which frees it) one step each.  Lock order (lock_order.h):
 * fifo_lock, then a pipe's lock or fs_lock (charging the pipe).
 */
static struct spinlock fifo_lock = SPINLOCK_INIT("fifo", LOCK_RANK_FIFO);

struct pipe {
    struct spinlock lock;
    char *ring;                 /* [lock] PIPE_CAPACITY bytes */
    size_t head, count;         /* [lock] the oldest byte and how many are buffered */
    int readers, writers;       /* [lock] open read and write ends */
    struct wait_queue readable; /* readers wait here for data or EOF */
    struct wait_queue writable; /* writers wait here for room or for the readers to go */
    struct wait_queue opened;   /* a FIFO's open waits here for the other side */
    struct poll_head polls;     /* [lock] poll calls watching either end */
    uint64_t reader_opens;      /* [lock] opens for reading ever: a waiting writer needs one more */
    uint64_t writer_opens;      /* [lock] opens for writing ever (the other side may close before we run) */
    struct inode *inode;        /* a FIFO's (its fifo field points back here while open); NULL: anonymous */
};

/* What a FIFO's open pipe costs the file system: the ring and the pipe. */
#define FIFO_CHARGE (PIPE_CAPACITY + sizeof(struct pipe))

/*
 * Copy n bytes between u's user buffers and the ring at position pos
 * (wrapping): the bytes copied, fewer if a user page is bad.
 */
static size_t ring_copy(struct pipe *p, size_t pos, struct uio *u, size_t n, bool to_user)
{
    size_t first = PIPE_CAPACITY - pos < n ? PIPE_CAPACITY - pos : n;
    size_t done = to_user ? uio_copy_out(u, p->ring + pos, first) : uio_copy_in(u, p->ring + pos, first);
    if (done == first && n > first)
        done += to_user ? uio_copy_out(u, p->ring, n - first) : uio_copy_in(u, p->ring, n - first);
    return done;
}

static long pipe_read(struct file *f, struct uio *u)
{
    struct pipe *p = f->priv;
    size_t n = u->left;
    if (n == 0)
        return 0;               /* as Linux: even on an empty pipe, without waiting */
    spin_lock(&p->lock);
    while (p->count == 0) {
        int err = p->writers == 0 ? 0 : (f->flags & O_NONBLOCK) ? -EAGAIN :
                  sleep_on(&p->readable, &p->lock, "piperd");
        if (err || p->writers == 0) {
            if (p->count)
                break;
            spin_unlock(&p->lock);
            return err;         /* 0 at end of file */
        }
    }
    if (n > p->count)
        n = p->count;
    /* A bad user page: EFAULT, and all of it stays in the pipe (as Linux's). */
    bool whole = ring_copy(p, p->head, u, n, true) == n;
    if (whole) {
        p->head = (p->head + n) % PIPE_CAPACITY;
        p->count -= n;
        wake_all(&p->writable);
        poll_notify(&p->polls);
    }
    spin_unlock(&p->lock);
    return whole ? (long)n : -EFAULT;
}

static long pipe_write(struct file *f, struct uio *u)
{
    struct pipe *p = f->priv;
    size_t n = u->left;
    size_t done = 0;
    spin_lock(&p->lock);
    while (done < n) {
        size_t room = PIPE_CAPACITY - p->count;
        size_t need = n <= PIPE_BUF ? n : 1;    /* small writes are atomic */
        long err = p->readers == 0 ? proc_broken_pipe() : 0;
        if (!err && room < need)
            err = (f->flags & O_NONBLOCK) ? -EAGAIN : sleep_on(&p->writable, &p->lock, "pipewr");
        if (err) {
            spin_unlock(&p->lock);
            return done ? (long)done : err;
        }
        if (room < need)
            continue;
        size_t step = n - done < room ? n - done : room;
        /* A bad user page: none of this step goes in (so an atomic write stays all or nothing). */
        if (ring_copy(p, (p->head + p->count) % PIPE_CAPACITY, u, step, false) < step) {
            spin_unlock(&p->lock);
            return done ? (long)done : -EFAULT;
        }
        p->count += step;
        done += step;
        wake_all(&p->readable);
        poll_notify(&p->polls);
    }
    spin_unlock(&p->lock);
    return (long)done;
}

/* Free p, which no end holds any more; a FIFO's gives back its charge. */
static void pipe_free(struct pipe *p)
{
    if (p->inode)
        fs_uncharge(FIFO_CHARGE);
    kfree(p->ring);
    kfree(p);
}

/*
 * Close ends of pipe p.  The last close frees it: nothing can sleep on it
 * then, as every sleeper holds an end (readers, writers, FIFO openers).
 * The wake-ups of the others happen under p->lock: once it is dropped, the
 * close of the other end on another CPU may be the last and free p.
 */
static void release_ends(struct pipe *p, bool read_end, bool write_end)
{
    struct inode *fifo = p->inode;
    if (fifo)
        spin_lock(&fifo_lock);
    spin_lock(&p->lock);
    p->readers -= read_end;
    p->writers -= write_end;
    bool last = p->readers == 0 && p->writers == 0;
    if (last && fifo)
        fifo->fifo = NULL;      /* as on Linux: a FIFO's data goes with its last opener */
    if (!last && write_end)
        wake_all(&p->readable);         /* EOF */
    if (!last && read_end)
        wake_all(&p->writable);         /* EPIPE */
    if (!last)
        poll_notify(&p->polls);
    spin_unlock(&p->lock);
    if (fifo)
        spin_unlock(&fifo_lock);
    if (last)
        pipe_free(p);
}

static void pipe_release_ends(struct file *f, bool read_end, bool write_end)
{
    release_ends(f->priv, read_end, write_end);
}

/*
 * What an end has ready: the read end data (POLLIN) or no writer left
 * (POLLHUP: what follows is end of file); the write end room for an atomic
 * write of PIPE_BUF (POLLOUT) or no reader left (POLLERR: a write raises
 * SIGPIPE); a FIFO opened O_RDWR both.
 */
static unsigned pipe_poll(struct file *f, struct poll_table *pt)
{
    struct pipe *p = f->priv;
    int mode = f->flags & O_ACCMODE;
    unsigned ready = 0;
    spin_lock(&p->lock);
    if (mode != O_WRONLY) {
        ready |= p->count ? POLLIN | POLLRDNORM : 0;
        ready |= p->writers == 0 ? POLLHUP : 0;
    }
    if (mode != O_RDONLY) {
        ready |= PIPE_CAPACITY - p->count >= PIPE_BUF ? POLLOUT | POLLWRNORM : 0;
        ready |= p->readers == 0 ? POLLERR : 0;
    }
    poll_watch(pt, &p->polls, &p->lock);
    spin_unlock(&p->lock);
    return ready;
}

static void pipe_release_read(struct file *f)  { pipe_release_ends(f, true, false); }
static void pipe_release_write(struct file *f) { pipe_release_ends(f, false, true); }
static void pipe_release_both(struct file *f)  { pipe_release_ends(f, true, true); }

static const struct file_ops pipe_read_ops = {
    .read = pipe_read, .release = pipe_release_read, .poll = pipe_poll, .kind = FILE_PIPE,
};
static const struct file_ops pipe_write_ops = {
    .write = pipe_write, .release = pipe_release_write, .poll = pipe_poll, .kind = FILE_PIPE,
};
static const struct file_ops pipe_both_ops = {     /* a FIFO opened O_RDWR */
    .read = pipe_read, .write = pipe_write, .release = pipe_release_both, .poll = pipe_poll,
    .kind = FILE_PIPE,
};

static struct pipe *pipe_new(void)
{
    struct pipe *p = kzalloc(sizeof *p);
    char *ring = kmalloc(PIPE_CAPACITY);
    if (!p || !ring) {
        kfree(p);
        kfree(ring);
        return NULL;
    }
    p->lock = (struct spinlock)SPINLOCK_INIT("pipe", LOCK_RANK_PIPE);
    p->ring = ring;
    wait_queue_init(&p->readable);
    wait_queue_init(&p->writable);
    wait_queue_init(&p->opened);
    poll_head_init(&p->polls);
    return p;
}

int pipe_create(struct file **read_end, struct file **write_end, int flags)
{
    struct pipe *p = pipe_new();
    if (!p)
        return -ENOMEM;
    p->readers = p->writers = 1;
    struct file *r = file_alloc(&pipe_read_ops, NULL, O_RDONLY | (flags & O_NONBLOCK));
    if (!r) {
        pipe_free(p);
        return -ENFILE;
    }
    r->priv = p;
    struct file *w = file_alloc(&pipe_write_ops, NULL, O_WRONLY | (flags & O_NONBLOCK));
    if (!w) {
        p->writers = 0;
        file_put(r);            /* the last end: frees the pipe */
        return -ENFILE;
    }
    w->priv = p;
    *read_end = r;
    *write_end = w;
    return 0;
}

/* ---- FIFOs (named pipes): a pipe that an inode holds while it is open ---- */

/* What an opener must see before its open returns: the other side there, or opened since. */
struct fifo_wait {
    uint64_t other_seen;        /* the other side's opens when we came */
    bool other_present;         /* it had an end open then */
};

/* A new pipe for the FIFO in, charged to the file system.  fifo_lock held. */
static struct pipe *fifo_pipe_new(struct inode *in)
{
    spin_assert_held(&fifo_lock);
    if (fs_charge(FIFO_CHARGE) != 0)
        return NULL;
    struct pipe *p = pipe_new();
    if (!p) {
        fs_uncharge(FIFO_CHARGE);
        return NULL;
    }
    p->inode = in;
    return p;
}

/*
 * The pipe of FIFO in, made at its first open, with this opener's ends
 * counted in (release_ends gives them back): 0, -ENXIO (O_NONBLOCK writer,
 * no reader) or -ENOMEM (no room for the pipe).
 */
static long fifo_attach(struct inode *in, bool reads, bool writes, bool nonblock,
                        struct pipe **out, struct fifo_wait *w)
{
    long err = 0;
    spin_lock(&fifo_lock);
    struct pipe *p = in->fifo;
    if (writes && !reads && nonblock && (!p || p->readers == 0))
        err = -ENXIO;
    else if (!p && !(p = fifo_pipe_new(in)))
        err = -ENOMEM;
    if (!err) {
        in->fifo = p;
        spin_lock(&p->lock);
        p->readers += reads;
        p->writers += writes;
        p->reader_opens += reads;
        p->writer_opens += writes;
        w->other_seen = reads ? p->writer_opens : p->reader_opens;
        w->other_present = reads ? p->writers > 0 : p->readers > 0;
        spin_unlock(&p->lock);
        *out = p;
    }
    spin_unlock(&fifo_lock);
    return err;
}

/* Sleep until the other side of p has been there since w was taken: 0, or -EINTR. */
static long fifo_wait_other(struct pipe *p, bool reads, const struct fifo_wait *w)
{
    long err = 0;
    spin_lock(&p->lock);
    while (!err && !w->other_present && (reads ? p->writer_opens : p->reader_opens) == w->other_seen)
        err = sleep_on(&p->opened, &p->lock, "fifo");
    spin_unlock(&p->lock);
    return err;
}

/*
 * As POSIX says: a reader waits for a writer and a writer for a reader,
 * unless O_NONBLOCK (then a writer with no reader gets ENXIO); O_RDWR
 * opens both ends and never waits.  A side that came and went before the
 * waiting one ran still counts.
 */
long fifo_open(struct inode *in, int flags, struct file **out)
{
    int mode = flags & O_ACCMODE;
    bool nonblock = flags & O_NONBLOCK, reads = mode != O_WRONLY, writes = mode != O_RDONLY;
    const struct file_ops *ops = mode == O_RDONLY ? &pipe_read_ops :
                                 mode == O_WRONLY ? &pipe_write_ops : &pipe_both_ops;
    struct pipe *p;
    struct fifo_wait w;
    long err = fifo_attach(in, reads, writes, nonblock, &p, &w);
    if (err)
        return err;
    wake_all(&p->opened);
    struct file *f = file_alloc(ops, in, mode | (flags & O_NONBLOCK));
    if (!f) {
        release_ends(p, reads, writes);
        return -ENFILE;
    }
    f->priv = p;
    err = nonblock || reads == writes ? 0 : fifo_wait_other(p, reads, &w);
    if (err) {
        file_put(f);                    /* gives back the ends it counted */
        return err;
    }
    *out = f;
    return 0;
}
