/*
 * poll, ppoll, select and pselect6: wait until one of several files is
 * ready (kernel/include/kernel/poll.h).  One core, do_poll, over a kernel
 * array of (descriptor, events asked, events found); select's bit sets
 * are turned into such an array and back.
 *
 * A call holds a reference on each file it found for its whole length
 * (fd_get), so a sibling thread closing a descriptor cannot free what it
 * watches.  It scans the files once registering itself on each pollable
 * object, then sleeps on its own wait queue until one of them notifies, a
 * signal comes (EINTR: never restarted, as Linux's poll and select), or
 * the deadline passes, and scans again, looking each descriptor up anew
 * as Linux does: one closed meanwhile is POLLNVAL, one replaced (dup2) is
 * asked about its new file.
 *
 * Locks: a poller's lock (rank poll) is taken under an object's lock (the
 * terminal's, a pipe's) by poll_notify, and guards only its flag and wait.
 */
#include <abi/time.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/heap.h>
#include <kernel/poll.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/vm.h>
#include <lib/string.h>

#define POLL_FDS_MAX    1024    /* entries one poll takes: Linux's default RLIMIT_NOFILE */
#define SELECT_FDS_MAX  1024    /* FD_SETSIZE: bits of an fd_set */
#define SELECT_WORD_BITS 64     /* an fd_set is an array of longs */
#define NO_DEADLINE     0       /* wait for ever */
#define MS_NS           1000000ull
#define ALWAYS_REPORTED (POLLERR | POLLHUP | POLLNVAL)
/* What select counts as readable, writable, exceptional (Linux's fs/select.c). */
#define SELECT_IN       (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define SELECT_OUT      (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define SELECT_EX       POLLPRI

/* One poll call. */
struct poller {
    struct spinlock lock;       /* rank poll: guards triggered; the call sleeps on wq under it */
    struct wait_queue wq;
    bool triggered;             /* [lock] a watched object notified since the last scan */
};

/* A poll call's place on one object's list. */
struct poll_watch {
    struct list_node link;      /* [*lock] in the object's poll_head */
    struct poller *poller;
    struct spinlock *lock;      /* the object's lock, which guards link; NULL: watching nothing */
};

struct poll_table {
    struct poller *poller;
    struct poll_watch *watch;   /* the slot of the file being scanned */
};

/* An entry of a call: the descriptor, what is asked, what was found; its file and its watch. */
struct poll_entry {
    int fd;
    short events, revents;
    struct file *file;          /* NULL: not open (POLLNVAL), or fd < 0 (ignored) */
    struct poll_watch watch;
};

void poll_watch(struct poll_table *pt, struct poll_head *head, struct spinlock *lock)
{
    spin_assert_held(lock);
    if (!pt || pt->watch->lock)
        return;                 /* a later scan, or a second head for one file: the first suffices */
    pt->watch->poller = pt->poller;
    pt->watch->lock = lock;
    list_push_back(&head->watches, &pt->watch->link);
}

void poll_notify(struct poll_head *head)
{
    list_for_each(pos, &head->watches) {
        struct poller *p = container_of(pos, struct poll_watch, link)->poller;
        spin_lock(&p->lock);
        p->triggered = true;
        wake_all(&p->wq);
        spin_unlock(&p->lock);
    }
}

/* What file f has ready of what e asks (and what is always reported); register if pt. */
static short scan_file(struct poll_entry *e, struct file *f, struct poll_table *pt)
{
    if (!f)
        return POLLNVAL;
    if (pt)
        pt->watch = &e->watch;
    unsigned ready = f->ops->poll ? f->ops->poll(f, pt) : POLL_ALWAYS_READY;
    return (short)(ready & ((unsigned short)e->events | ALWAYS_REPORTED));
}

/*
 * Scan every entry; how many have something.  The first scan (pt set)
 * asks the files just looked up and watches them; a later one looks each
 * descriptor up again.
 */
static long scan(struct poll_entry *entries, size_t n, struct poll_table *pt)
{
    long ready = 0;
    for (size_t i = 0; i < n; i++) {
        struct poll_entry *e = &entries[i];
        if (e->fd < 0) {
            e->revents = 0;
            continue;
        }
        struct file *now = pt ? e->file : fd_get(e->fd);
        e->revents = scan_file(e, now, pt);
        if (!pt)
            fd_put(now);
        ready += e->revents != 0;
    }
    return ready;
}

/* Sleep until a watched object notifies, a signal, or the deadline: 0, -EINTR or -ETIMEDOUT. */
static int wait_for_notify(struct poller *p, uint64_t deadline)
{
    spin_lock(&p->lock);
    int err = 0;
    if (!p->triggered)
        err = deadline == NO_DEADLINE ? sleep_on(&p->wq, &p->lock, "poll")
                                      : sleep_on_until(&p->wq, &p->lock, "poll", deadline);
    p->triggered = false;
    spin_unlock(&p->lock);
    return err;
}

/*
 * The core: files looked up, scanned until something is ready (or at once
 * if no_wait), given back.  The number of entries with events, or -EINTR.
 */
static long do_poll(struct poll_entry *entries, size_t n, bool no_wait, uint64_t deadline)
{
    struct poller p = { .lock = SPINLOCK_INIT("poll", LOCK_RANK_POLL), .triggered = false };
    wait_queue_init(&p.wq);
    struct poll_table pt = { .poller = &p };
    for (size_t i = 0; i < n; i++) {
        entries[i].file = entries[i].fd >= 0 ? fd_get(entries[i].fd) : NULL;
        entries[i].watch.lock = NULL;
    }
    long ready = scan(entries, n, &pt);     /* watching even with no_wait: cheap, and one path */
    while (!ready && !no_wait) {
        int err = wait_for_notify(&p, deadline);
        if (err) {
            ready = err == -ETIMEDOUT ? 0 : -EINTR;
            break;
        }
        ready = scan(entries, n, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        struct poll_watch *w = &entries[i].watch;
        if (w->lock) {
            spin_lock(w->lock);
            list_remove(&w->link);
            spin_unlock(w->lock);
        }
        fd_put(entries[i].file);
    }
    if (ready == -EINTR)
        thread_current()->no_restart = true;
    return ready;
}

/* ---- poll and ppoll ---- */

/* poll's array in and out of user memory around do_poll. */
static long poll_user(uint64_t ufds, uint64_t nfds, bool no_wait, uint64_t deadline)
{
    if (nfds > POLL_FDS_MAX)
        return -EINVAL;
    size_t slots = nfds ? nfds : 1;     /* no descriptor at all: a sleep, which still needs a buffer */
    struct pollfd *fds = kmalloc(slots * sizeof *fds);
    struct poll_entry *entries = kmalloc(slots * sizeof *entries);
    long r = fds && entries ? 0 : -ENOMEM;
    if (!r && copy_from_user(fds, ufds, nfds * sizeof *fds) != 0)
        r = -EFAULT;
    for (size_t i = 0; !r && i < nfds; i++)
        entries[i] = (struct poll_entry){ .fd = fds[i].fd, .events = fds[i].events };
    if (!r)
        r = do_poll(entries, nfds, no_wait, deadline);
    for (size_t i = 0; r >= 0 && i < nfds; i++)
        fds[i].revents = entries[i].revents;
    if (r >= 0 && copy_to_user(ufds, fds, nfds * sizeof *fds) != 0)
        r = -EFAULT;
    kfree(fds);
    kfree(entries);
    return r;
}

long sys_poll(const struct syscall_args *a)
{
    int timeout_ms = (int)a->arg[2];
    uint64_t deadline = timeout_ms > 0 ? deadline_after_ns((uint64_t)timeout_ms * MS_NS) : NO_DEADLINE;
    return poll_user(a->arg[0], a->arg[1], timeout_ms == 0, deadline);
}

long sys_ppoll(const struct syscall_args *a)
{
    bool no_wait;
    uint64_t deadline;
    long r = timeout_from_user(a->arg[2], &no_wait, &deadline);
    if (!r && a->arg[3])
        r = signal_mask_for_wait(a->arg[3], a->arg[4]);
    if (r)
        return r;
    r = poll_user(a->arg[0], a->arg[1], no_wait, deadline);
    if (a->arg[3])
        signal_mask_after_wait(r);
    return r;
}

/* ---- select and pselect6 ---- */

struct fd_sets {
    uint64_t in[SELECT_FDS_MAX / SELECT_WORD_BITS], out[SELECT_FDS_MAX / SELECT_WORD_BITS],
             ex[SELECT_FDS_MAX / SELECT_WORD_BITS];
};

static bool bit_set(const uint64_t *set, int fd)
{
    return (set[fd / SELECT_WORD_BITS] >> (fd % SELECT_WORD_BITS)) & 1;
}

/* Read a user fd_set of nfds bits (NULL: empty). */
static long set_from_user(uint64_t *set, uint64_t uset, int nfds)
{
    size_t bytes = (size_t)(nfds + SELECT_WORD_BITS - 1) / SELECT_WORD_BITS * sizeof *set;
    memset(set, 0, SELECT_FDS_MAX / 8);
    return uset && copy_from_user(set, uset, bytes) != 0 ? -EFAULT : 0;
}

static long set_to_user(uint64_t uset, const uint64_t *set, int nfds)
{
    size_t bytes = (size_t)(nfds + SELECT_WORD_BITS - 1) / SELECT_WORD_BITS * sizeof *set;
    return uset && copy_to_user(uset, set, bytes) != 0 ? -EFAULT : 0;
}

/*
 * select over the user sets at uin, uout, uex of nfds bits: each
 * descriptor named becomes a poll entry (at most POLL_FDS_MAX: more cannot
 * be open), its events found become the bits left set.  The number of bits
 * set, or -errno (-EBADF for a descriptor that is not open).
 */
static long select_user(int nfds, uint64_t uin, uint64_t uout, uint64_t uex, bool no_wait, uint64_t deadline)
{
    if (nfds < 0)
        return -EINVAL;
    if (nfds > SELECT_FDS_MAX)
        nfds = SELECT_FDS_MAX;  /* Linux caps it at the descriptors that can exist */
    struct fd_sets *s = kmalloc(sizeof *s);
    struct poll_entry *entries = kmalloc(FD_MAX * sizeof *entries);
    long r = s && entries ? 0 : -ENOMEM;
    if (!r)
        r = set_from_user(s->in, uin, nfds) ?: set_from_user(s->out, uout, nfds) ?: set_from_user(s->ex, uex, nfds);
    size_t n = 0;
    for (int fd = 0; !r && fd < nfds; fd++) {
        short events = (bit_set(s->in, fd) ? SELECT_IN : 0) | (bit_set(s->out, fd) ? SELECT_OUT : 0) |
                       (bit_set(s->ex, fd) ? SELECT_EX : 0);
        if (events && fd >= FD_MAX)
            r = -EBADF;
        else if (events)
            entries[n++] = (struct poll_entry){ .fd = fd, .events = events };
    }
    if (!r)
        r = do_poll(entries, n, no_wait, deadline);
    for (size_t i = 0; r > 0 && i < n; i++)
        if (entries[i].revents & POLLNVAL)
            r = -EBADF;         /* select's answer for a descriptor that is not open */
    if (r >= 0) {
        memset(s, 0, sizeof *s);
        r = 0;
        for (size_t i = 0; i < n; i++) {
            int fd = entries[i].fd;
            uint64_t bit = 1ull << (fd % SELECT_WORD_BITS);
            short found = entries[i].revents;
            bool in = (found & SELECT_IN) && (entries[i].events & POLLIN), out = (found & SELECT_OUT) &&
                      (entries[i].events & POLLOUT), ex = (found & SELECT_EX) && (entries[i].events & POLLPRI);
            s->in[fd / SELECT_WORD_BITS] |= in ? bit : 0;
            s->out[fd / SELECT_WORD_BITS] |= out ? bit : 0;
            s->ex[fd / SELECT_WORD_BITS] |= ex ? bit : 0;
            r += in + out + ex;
        }
        long err = set_to_user(uin, s->in, nfds) ?: set_to_user(uout, s->out, nfds) ?: set_to_user(uex, s->ex, nfds);
        r = err ? err : r;
    }
    kfree(s);
    kfree(entries);
    return r;
}

/* What select and pselect6 write back: the time left of the timeout, as Linux does. */
static uint64_t time_left(uint64_t deadline)
{
    uint64_t now = clock_monotonic_ns();
    return deadline > now ? deadline - now : 0;
}

long sys_select(const struct syscall_args *a)
{
    uint64_t utv = a->arg[4], deadline = NO_DEADLINE;
    bool no_wait = false;
    struct abi_timeval tv;
    if (utv) {
        uint64_t ns;
        if (copy_from_user(&tv, utv, sizeof tv) != 0)
            return -EFAULT;
        if (!time_to_ns(tv.sec, tv.usec, NSEC_PER_USEC, &ns))
            return -EINVAL;
        no_wait = ns == 0;
        deadline = deadline_after_ns(ns);
    }
    long r = select_user((int)a->arg[0], a->arg[1], a->arg[2], a->arg[3], no_wait, deadline);
    if (utv && !no_wait && r >= 0) {
        uint64_t left = time_left(deadline);
        tv = (struct abi_timeval){ (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC / NSEC_PER_USEC) };
        copy_to_user(utv, &tv, sizeof tv);
    }
    return r;
}

/* pselect6's sixth argument: Linux's { const sigset_t *mask; size_t size; }. */
struct pselect_mask {
    uint64_t mask;
    uint64_t size;
};

long sys_pselect6(const struct syscall_args *a)
{
    bool no_wait;
    uint64_t deadline;
    struct pselect_mask m = { 0, 0 };
    long r = timeout_from_user(a->arg[4], &no_wait, &deadline);
    if (!r && a->arg[5] && copy_from_user(&m, a->arg[5], sizeof m) != 0)
        r = -EFAULT;
    if (!r && m.mask)
        r = signal_mask_for_wait(m.mask, m.size);
    if (r)
        return r;
    r = select_user((int)a->arg[0], a->arg[1], a->arg[2], a->arg[3], no_wait, deadline);
    if (m.mask)
        signal_mask_after_wait(r);
    if (a->arg[4] && !no_wait && r >= 0) {
        uint64_t left = time_left(deadline);
        struct abi_timespec ts = { (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };
        copy_to_user(a->arg[4], &ts, sizeof ts);
    }
    return r;
}
