/*
 * Unix domain sockets (AF_UNIX): SOCK_STREAM and SOCK_DGRAM, made in
 * connected pairs (socketpair) or by name (bind puts a socket inode in the
 * file system; listen, connect and accept4 make stream connections;
 * sendto and connect name a datagram's receiver).  Each socket has a
 * receive queue of messages (one per send: a datagram, or a piece of a
 * stream), which senders fill and its reader empties; a message may carry
 * open files (SCM_RIGHTS), which recvmsg installs in the receiver's
 * descriptor table.
 *
 * Semantics are Linux's: a stream read returns what is there (MSG_WAITALL:
 * all asked) and 0 once the peer has closed or shut down its writing
 * side; writing to a stream whose peer has gone raises SIGPIPE and fails
 * with EPIPE (MSG_NOSIGNAL: only EPIPE); datagrams keep their boundaries
 * (a short read truncates, MSG_TRUNC); a full receive queue makes the
 * sender sleep (EAGAIN with O_NONBLOCK or MSG_DONTWAIT).  Descriptors of
 * Unix sockets themselves are not passed (EINVAL): a socket in flight in
 * a socket can make a cycle that nothing frees, which Linux collects with
 * a garbage collector this kernel does not have.
 *
 * Locking: one lock, unix_lock, over every socket's state and queue: a
 * send touches two sockets (its own and the receiver's), and one lock
 * needs no order between them.  Under it: user copies (vm), the heap,
 * wake-ups, poll notifications.  Not under it: file references that may
 * be the last (a Unix socket's release takes unix_lock), descriptor
 * tables (fd_install), the file system (bind, connect).
 *
 * Lifetime: a socket has references [unix_lock]: its file's (or, before
 * accept, its listener's queue's), and one per thread asleep waiting for
 * room in its queue.  Pointers between peers are cleared when either
 * closes, under unix_lock: a socket never points at a freed one.
 */
#include <abi/signal.h>
#include <abi/socket.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/poll.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/socket.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>
#include <lib/string.h>

struct spinlock unix_lock = SPINLOCK_INIT("unix", LOCK_RANK_SOCKET);

/* ---- sockets and messages ---- */

struct unix_sock *sock_new(int type)
{
    struct unix_sock *s = kzalloc(sizeof *s);
    if (!s)
        return NULL;
    s->refs = 1;
    s->type = type;
    s->state = SOCK_UNCONNECTED;
    list_init(&s->queue);
    list_init(&s->pending);
    list_init(&s->pending_link);
    wait_queue_init(&s->readable);
    wait_queue_init(&s->writable);
    poll_head_init(&s->polls);
    s->owner_pid = proc_current()->pid;
    s->rcvbuf = s->sndbuf = UNIX_QUEUE_BYTES;
    return s;
}

/* Drop a reference; the last frees s, whose queue and names are gone by then.  unix_lock held. */
void sock_put_locked(struct unix_sock *s)
{
    spin_assert_held(&unix_lock);
    KASSERT(s->refs > 0);
    if (--s->refs == 0) {
        KASSERT(list_empty(&s->queue) && !s->name_inode && !s->dgram_target);
        kfree(s);
    }
}

/* Something changed for s's reader or for those waiting to send to it. */
void sock_changed(struct unix_sock *s)
{
    wake_all(&s->readable);
    wake_all(&s->writable);
    poll_notify(&s->polls);
}

/* Free a message and drop the files it carries: without unix_lock (a file's release takes other locks). */
static void msg_free(struct unix_msg *m)
{
    for (int i = 0; i < m->nfiles; i++)
        file_put(m->files[i]);
    kfree(m->files);
    kfree(m);
}

void free_dropped(struct list_node *dropped)
{
    list_for_each_safe(pos, tmp, dropped) {
        list_remove(pos);
        msg_free(container_of(pos, struct unix_msg, link));
    }
}

/* ---- closing ---- */

/*
 * Cut s's ties: its queue moves to dropped (freed after unix_lock), its
 * peer learns it has gone (with ECONNRESET, as on Linux, if data it sent
 * was lost unread or s was never accepted), its pending connections are
 * refused.
 */
void sock_disconnect_locked(struct unix_sock *s, struct list_node *dropped, bool unaccepted)
{
    spin_assert_held(&unix_lock);
    bool had_data = !list_empty(&s->queue);
    list_for_each_safe(pos, tmp, &s->queue) {
        list_remove(pos);
        list_push_back(dropped, pos);
    }
    s->queued = 0;
    if (s->peer) {
        s->peer->peer = NULL;   /* its reads find end of file, its writes EPIPE */
        if (had_data || unaccepted)
            s->peer->error = ECONNRESET;        /* as Linux: data lost, or never accepted */
        sock_changed(s->peer);
        s->peer = NULL;
    }
    list_for_each_safe(pos, tmp, &s->pending) {
        struct unix_sock *embryo = container_of(pos, struct unix_sock, pending_link);
        list_remove(pos);
        embryo->closed = true;
        sock_disconnect_locked(embryo, dropped, true);
        sock_put_locked(embryo);
    }
    s->npending = 0;
}

/* The file's last reference: the socket closes. */
static void sock_release(struct file *f)
{
    struct unix_sock *s = f->priv;
    struct list_node dropped = LIST_INIT(dropped);
    spin_lock(&unix_lock);
    s->closed = true;
    sock_disconnect_locked(s, &dropped, false);
    if (s->name_inode)
        s->name_inode->sock = NULL;     /* the name stays until unlinked; connect finds nobody */
    struct inode *names[2] = { s->name_inode, s->dgram_target };
    s->name_inode = s->dgram_target = NULL;
    sock_changed(s);            /* senders asleep on its queue see it closed */
    sock_put_locked(s);
    spin_unlock(&unix_lock);
    free_dropped(&dropped);
    for (int i = 0; i < 2; i++)
        if (names[i])
            inode_put(names[i]);
}

/* ---- sending ---- */

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/*
 * A new message of n bytes copied from u, from socket from, taking the
 * request's files; NULL with *err -ENOMEM or -EFAULT (u's bytes past a bad
 * page).  unix_lock held.
 */
static struct unix_msg *msg_from_user(struct unix_sock *from, struct send_req *req, size_t n, long *err)
{
    struct unix_msg *m = kmalloc(sizeof *m + n);
    if (!m) {
        *err = -ENOMEM;
        return NULL;
    }
    if (uio_copy_in(req->u, m->data, n) < n) {
        kfree(m);
        *err = -EFAULT;
        return NULL;
    }
    m->len = n;
    m->off = 0;
    m->files = req->files;
    m->nfiles = req->nfiles;
    req->files = NULL;
    req->nfiles = 0;
    m->from_len = from->name_len;
    memcpy(m->from, from->name, from->name_len);
    return m;
}

static void enqueue(struct unix_sock *r, struct unix_msg *m)
{
    list_push_back(&r->queue, &m->link);
    r->queued += m->len;
    sock_changed(r);
}

/*
 * Sleep until r may have room (it read, or closed), holding a reference
 * on r meanwhile: 0 (the caller looks again: r may be gone), -EAGAIN if
 * the caller may not wait, -EINTR.  unix_lock held.
 */
int wait_for_room(struct unix_sock *r, bool nonblock)
{
    if (nonblock)
        return -EAGAIN;
    r->refs++;
    int err = sleep_on(&r->writable, &unix_lock, "unixwr");
    sock_put_locked(r);
    return err;
}

/* A stream send: in pieces as the peer's queue has room; the bytes sent, or -errno. */
static long stream_send(struct unix_sock *s, struct send_req *req, bool nonblock)
{
    size_t total = req->u->left, done = 0;
    long err = 0;
    spin_lock(&unix_lock);
    while (!err && done < total) {
        struct unix_sock *r = s->peer;
        if (s->shut_wr || (r && r->shut_rd) || (!r && s->state == SOCK_CONNECTED))
            err = -EPIPE;
        else if (!r)
            err = -ENOTCONN;
        else if (r->queued >= UNIX_QUEUE_BYTES)
            err = wait_for_room(r, nonblock || done);     /* a partial send returns what went */
        else {
            struct unix_msg *m = msg_from_user(s, req, min_size(total - done, UNIX_QUEUE_BYTES - r->queued), &err);
            if (m) {
                done += m->len;
                enqueue(r, m);
            }
        }
    }
    spin_unlock(&unix_lock);
    if (err == -EAGAIN && done)
        err = 0;
    return done ? (long)done : err;
}

/* The receiver of a datagram from s: sendto's name, connect's, or the pair's peer; NULL with *err. */
static struct unix_sock *dgram_receiver(struct unix_sock *s, struct send_req *req, long *err)
{
    struct inode *name = req->target ? req->target : s->dgram_target;
    struct unix_sock *r = name ? name->sock : s->peer;
    if (!r)
        *err = name || s->state == SOCK_CONNECTED ? -ECONNREFUSED : -ENOTCONN;
    else if (r->type != SOCK_DGRAM)
        *err = -EPROTOTYPE;
    else if (r->shut_rd || s->shut_wr)
        *err = -EPIPE;
    return *err ? NULL : r;
}

/* A datagram: all of it in one message, or nothing; its size, or -errno. */
static long dgram_send(struct unix_sock *s, struct send_req *req, bool nonblock)
{
    size_t n = req->u->left;
    if (n > UNIX_DGRAM_MAX)
        return -EMSGSIZE;
    long err = 0;
    spin_lock(&unix_lock);
    for (;;) {
        struct unix_sock *r = dgram_receiver(s, req, &err);
        if (!r)
            break;
        if (r->queued + n <= UNIX_QUEUE_BYTES) {
            struct unix_msg *m = msg_from_user(s, req, n, &err);
            if (m)
                enqueue(r, m);
            break;
        }
        err = wait_for_room(r, nonblock);
        if (err)
            break;
    }
    spin_unlock(&unix_lock);
    return err ? err : (long)n;
}

/* Send for a socket file: EPIPE also raises SIGPIPE unless MSG_NOSIGNAL (Linux's rule for streams). */
long sock_send(struct file *f, struct send_req *req)
{
    struct unix_sock *s = f->priv;
    bool nonblock = (f->flags & O_NONBLOCK) || (req->flags & MSG_DONTWAIT);
    if (req->flags & MSG_OOB)
        return -EOPNOTSUPP;
    long r = s->type == SOCK_STREAM ? stream_send(s, req, nonblock) : dgram_send(s, req, nonblock);
    return r == -EPIPE && !(req->flags & MSG_NOSIGNAL) ? proc_broken_pipe() : r;
}

/* ---- receiving ---- */

/* The message's files go to the receive (they come with its first byte).  unix_lock held. */
static void take_files(struct unix_msg *m, struct recv_req *q)
{
    if (!m->nfiles || (q->flags & MSG_PEEK))
        return;
    q->files = m->files;
    q->nfiles = m->nfiles;
    m->files = NULL;
    m->nfiles = 0;
}

/* True when a stream read with nothing queued returns 0: shut down, or the peer gone or done writing. */
static bool stream_at_eof(const struct unix_sock *s)
{
    return s->shut_rd || (s->state == SOCK_CONNECTED && (!s->peer || s->peer->shut_wr));
}

/*
 * Copy from s's queue what is there, up to what q asks, consuming it
 * unless MSG_PEEK; a message with files starts a read of its own.  0 or
 * -EFAULT.  unix_lock held.
 */
static long stream_copy(struct unix_sock *s, struct recv_req *q, size_t *done)
{
    struct list_node *pos = s->queue.next;
    while (q->u->left && pos != &s->queue) {
        struct unix_msg *m = container_of(pos, struct unix_msg, link);
        if (*done && m->nfiles)
            break;
        size_t take = min_size(q->u->left, m->len - m->off);
        if (uio_copy_out(q->u, m->data + m->off, take) < take)
            return -EFAULT;
        *done += take;
        take_files(m, q);
        pos = pos->next;
        if (q->flags & MSG_PEEK)
            continue;
        m->off += take;
        s->queued -= take;
        if (m->off == m->len) {
            list_remove(&m->link);
            kfree(m->files);
            kfree(m);
        }
    }
    return 0;
}

static long stream_recv(struct unix_sock *s, struct recv_req *q, bool nonblock)
{
    size_t want = q->u->left, done = 0;
    long err = 0;
    spin_lock(&unix_lock);
    for (;;) {
        err = stream_copy(s, q, &done);
        bool all_or_none = (q->flags & MSG_WAITALL) && !(q->flags & MSG_PEEK);  /* a peek sees no more later */
        if (err || done == want || (done && !all_or_none) || q->nfiles)
            break;
        if (s->error) {
            err = -s->error;    /* once, then end of file */
            s->error = 0;
            break;
        }
        if (stream_at_eof(s))
            break;
        if (s->state != SOCK_CONNECTED) {
            err = -EINVAL;      /* Linux: a stream socket never connected */
            break;
        }
        if (nonblock) {
            err = -EAGAIN;
            break;
        }
        err = sleep_on(&s->readable, &unix_lock, "unixrd");
        if (err)
            break;
    }
    if (done && !(q->flags & MSG_PEEK)) {
        sock_changed(s);        /* room for its senders */
        if (s->peer)
            poll_notify(&s->peer->polls);       /* the peer's POLLOUT */
    }
    spin_unlock(&unix_lock);
    return done ? (long)done : err;
}

static long dgram_recv(struct unix_sock *s, struct recv_req *q, bool nonblock)
{
    long err = 0;
    spin_lock(&unix_lock);
    while (list_empty(&s->queue) && !s->shut_rd) {
        err = nonblock ? -EAGAIN : sleep_on(&s->readable, &unix_lock, "unixrd");
        if (err)
            break;
    }
    struct unix_msg *m = err ? NULL : list_first(&s->queue, struct unix_msg, link);
    size_t take = 0;
    if (m) {
        take = min_size(q->u->left, m->len);
        if (uio_copy_out(q->u, m->data, take) < take)
            err = -EFAULT;
    }
    if (m && !err) {
        q->full_len = m->len;
        q->out_flags |= m->len > take ? MSG_TRUNC : 0;
        q->from_len = m->from_len;
        memcpy(q->from, m->from, m->from_len);
        take_files(m, q);
        if (!(q->flags & MSG_PEEK)) {
            list_remove(&m->link);
            s->queued -= m->len;
            kfree(m->files);
            kfree(m);
            sock_changed(s);
        }
    }
    spin_unlock(&unix_lock);
    if (err)
        return err;
    return (q->flags & MSG_TRUNC) && m ? (long)q->full_len : (long)take;
}

long sock_recv(struct file *f, struct recv_req *q)
{
    struct unix_sock *s = f->priv;
    bool nonblock = (f->flags & O_NONBLOCK) || (q->flags & MSG_DONTWAIT);
    if (q->flags & MSG_OOB)
        return -EOPNOTSUPP;
    return s->type == SOCK_STREAM ? stream_recv(s, q, nonblock) : dgram_recv(s, q, nonblock);
}

/* Files that came with a receive but have nowhere to go (read, recv, no room for them). */
void drop_files(struct file **files, int n)
{
    for (int i = 0; i < n; i++)
        file_put(files[i]);
    kfree(files);
}

/* ---- the file operations: read, write, poll ---- */

static long sock_read(struct file *f, struct uio *u)
{
    struct recv_req q = { .u = u };
    long r = sock_recv(f, &q);
    drop_files(q.files, q.nfiles);
    return r;
}

static long sock_write(struct file *f, struct uio *u)
{
    struct send_req req = { .u = u };
    return sock_send(f, &req);
}

/*
 * Readable with something queued, at end of file, or (listening) with a
 * connection to accept; writable while the receiver has room (a datagram
 * socket without a fixed receiver: always).  POLLHUP once both directions
 * are done.
 */
static unsigned sock_poll(struct file *f, struct poll_table *pt)
{
    struct unix_sock *s = f->priv;
    unsigned ready = 0;
    spin_lock(&unix_lock);
    bool stream = s->type == SOCK_STREAM, eof = stream && stream_at_eof(s);
    if (!list_empty(&s->queue) || !list_empty(&s->pending) || eof)
        ready |= POLLIN | POLLRDNORM;
    struct unix_sock *r = s->peer ? s->peer : s->dgram_target ? s->dgram_target->sock : NULL;
    if ((r && r->queued < UNIX_QUEUE_BYTES && !s->shut_wr) || (!stream && !r && !s->dgram_target))
        ready |= POLLOUT | POLLWRNORM;
    if (stream && s->state == SOCK_CONNECTED && (!s->peer || (s->shut_wr && eof)))
        ready |= POLLHUP;
    poll_watch(pt, &s->polls, &unix_lock);
    spin_unlock(&unix_lock);
    return ready;
}

static const struct file_ops socket_ops = {
    .read = sock_read, .write = sock_write, .release = sock_release, .poll = sock_poll, .kind = FILE_SOCKET,
};

/* The socket behind descriptor f, or NULL if f is not one. */
struct unix_sock *sock_of(struct file *f)
{
    return f->ops == &socket_ops ? f->priv : NULL;
}

/* A file for socket s (which it takes over), with O_NONBLOCK from flags; NULL: ENFILE. */
struct file *sock_file(struct unix_sock *s, int flags)
{
    struct file *f = file_alloc(&socket_ops, NULL, O_RDWR | (flags & O_NONBLOCK));
    if (f)
        f->priv = s;
    return f;
}
