/*
 * POSIX message queues (Linux's system calls 240-245): named queues of
 * messages, each with a priority; a receive takes the oldest message of
 * the highest priority.  mq_open gives a descriptor (poll: POLLIN with a
 * message queued, POLLOUT with room); a send sleeps while the queue is full
 * and a receive while it is empty (EAGAIN with O_NONBLOCK, ETIMEDOUT past
 * an absolute deadline).  A name lives until mq_unlink, a queue until its
 * name and its last descriptor are gone.  mq_notify is not supported
 * (ENOSYS).
 *
 * Locking: one lock, mq_lock, over the names and every queue: user copies
 * (vm), the heap, wake-ups and poll notifications nest under it.
 */
#include <abi/poll.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/heap.h>
#include <kernel/list.h>
#include <kernel/poll.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/vm.h>
#include <lib/string.h>

#define MQ_DEFAULT_MAXMSG   10          /* Linux's defaults, when mq_open gets no attributes */
#define MQ_DEFAULT_MSGSIZE  8192
#define MQ_MAXMSG_MAX       1024        /* messages a queue may hold */
#define MQ_MSGSIZE_MAX      (1 << 20)   /* bytes a message may hold */
#define MQ_BYTES_MAX        (8u << 20)  /* maxmsg x msgsize: what one queue may pin */
#define MQ_PRIO_MAX         32768       /* priorities 0 .. MQ_PRIO_MAX - 1 (Linux's) */
#define MQ_NAME_MAX         NAME_MAX

/* struct mq_attr, as Linux's system calls take it. */
struct abi_mq_attr {
    int64_t flags;              /* O_NONBLOCK, or 0 */
    int64_t maxmsg, msgsize, curmsgs;
    int64_t reserved[4];
};

struct mq_msg {
    struct list_node link;      /* [mq_lock] in its queue: by priority, highest first, then by age */
    unsigned prio;
    size_t len;
    char data[];
};

struct mqueue {
    struct list_node link;      /* [mq_lock] in mq_names while it has its name */
    char name[MQ_NAME_MAX + 1];
    bool named;                 /* [mq_lock] not unlinked yet */
    int opens;                  /* [mq_lock] descriptors' files on it */
    int64_t maxmsg, msgsize;
    int64_t count;              /* [mq_lock] messages queued */
    struct list_node messages;  /* [mq_lock] struct mq_msg */
    struct wait_queue readable, writable;
    struct poll_head polls;     /* [mq_lock] */
};

static struct spinlock mq_lock = SPINLOCK_INIT("mqueue", LOCK_RANK_MQUEUE);
static struct list_node mq_names = LIST_INIT(mq_names);    /* [mq_lock] struct mqueue, by link */

/* The named queue called name, or NULL.  mq_lock held. */
static struct mqueue *find_queue(const char *name)
{
    list_for_each(pos, &mq_names) {
        struct mqueue *q = container_of(pos, struct mqueue, link);
        if (strcmp(q->name, name) == 0)
            return q;
    }
    return NULL;
}

/* Free q once it has neither a name nor a descriptor.  mq_lock held. */
static void maybe_free(struct mqueue *q)
{
    if (q->named || q->opens)
        return;
    list_for_each_safe(pos, tmp, &q->messages) {
        list_remove(pos);
        kfree(container_of(pos, struct mq_msg, link));
    }
    kfree(q);
}

static void mq_release(struct file *f)
{
    struct mqueue *q = f->priv;
    if (!q)
        return;                 /* a file mq_open made, then could not use */
    spin_lock(&mq_lock);
    q->opens--;
    maybe_free(q);
    spin_unlock(&mq_lock);
}

static unsigned mq_poll(struct file *f, struct poll_table *pt)
{
    struct mqueue *q = f->priv;
    spin_lock(&mq_lock);
    unsigned ready = (q->count ? POLLIN | POLLRDNORM : 0) | (q->count < q->maxmsg ? POLLOUT | POLLWRNORM : 0);
    poll_watch(pt, &q->polls, &mq_lock);
    spin_unlock(&mq_lock);
    return ready;
}

static const struct file_ops mq_ops = { .release = mq_release, .poll = mq_poll, .kind = FILE_MQUEUE };

/* The queue behind descriptor f, or NULL if it is not one. */
static struct mqueue *queue_of(struct file *f)
{
    return f->ops == &mq_ops ? f->priv : NULL;
}

/* ---- mq_open, mq_unlink ---- */

/* A queue name from user memory (the kernel's: no leading '/'): 0 or -errno. */
static long name_from_user(uint64_t uname, char name[MQ_NAME_MAX + 1])
{
    long len = copy_string_from_user(name, uname, MQ_NAME_MAX + 1);
    if (len < 0)
        return len;
    return len == 0 || strchr(name, '/') ? -EINVAL : 0;     /* one name, no directories (as Linux) */
}

/* mq_open's attributes (uattr NULL: Linux's defaults), checked: 0 or -EINVAL / -EFAULT. */
static long attr_from_user(uint64_t uattr, int64_t *maxmsg, int64_t *msgsize)
{
    struct abi_mq_attr a = { .maxmsg = MQ_DEFAULT_MAXMSG, .msgsize = MQ_DEFAULT_MSGSIZE };
    if (uattr && copy_from_user(&a, uattr, sizeof a) != 0)
        return -EFAULT;
    if (a.maxmsg <= 0 || a.msgsize <= 0 || a.maxmsg > MQ_MAXMSG_MAX || a.msgsize > MQ_MSGSIZE_MAX ||
        (uint64_t)a.maxmsg * (uint64_t)a.msgsize > MQ_BYTES_MAX)
        return -EINVAL;
    *maxmsg = a.maxmsg;
    *msgsize = a.msgsize;
    return 0;
}

static struct mqueue *queue_new(const char *name, int64_t maxmsg, int64_t msgsize)
{
    struct mqueue *q = kzalloc(sizeof *q);
    if (!q)
        return NULL;
    strcpy(q->name, name);
    q->maxmsg = maxmsg;
    q->msgsize = msgsize;
    list_init(&q->messages);
    wait_queue_init(&q->readable);
    wait_queue_init(&q->writable);
    poll_head_init(&q->polls);
    return q;
}

long sys_mq_open(const struct syscall_args *a)
{
    char name[MQ_NAME_MAX + 1];
    int flags = (int)a->arg[1];
    int64_t maxmsg = 0, msgsize = 0;
    long err = name_from_user(a->arg[0], name);
    if (!err && (flags & O_CREAT))
        err = attr_from_user(a->arg[3], &maxmsg, &msgsize);
    if (err)
        return err;
    struct mqueue *fresh = (flags & O_CREAT) ? queue_new(name, maxmsg, msgsize) : NULL;
    struct file *f = file_alloc(&mq_ops, NULL, (flags & (O_ACCMODE | O_NONBLOCK)));
    spin_lock(&mq_lock);
    struct mqueue *q = find_queue(name);
    if (!f)
        err = -ENFILE;
    else if (q && (flags & O_CREAT) && (flags & O_EXCL))
        err = -EEXIST;
    else if (!q && !(flags & O_CREAT))
        err = -ENOENT;
    else if (!q && !fresh)
        err = -ENOMEM;
    else if (!q) {
        q = fresh;
        fresh = NULL;
        q->named = true;
        list_push_back(&mq_names, &q->link);
    }
    if (!err) {
        q->opens++;
        f->priv = q;
    }
    spin_unlock(&mq_lock);
    kfree(fresh);
    if (err) {
        if (f)
            file_put(f);        /* no queue yet: its release must not run */
        return err;
    }
    long fd = fd_install(proc_current()->fds, f, 0, flags & O_CLOEXEC);
    if (fd < 0)
        file_put(f);
    return fd;
}

long sys_mq_unlink(const struct syscall_args *a)
{
    char name[MQ_NAME_MAX + 1];
    long err = name_from_user(a->arg[0], name);
    if (err)
        return err;
    spin_lock(&mq_lock);
    struct mqueue *q = find_queue(name);
    if (q) {
        list_remove(&q->link);
        q->named = false;
        maybe_free(q);
    }
    spin_unlock(&mq_lock);
    return q ? 0 : -ENOENT;
}

/* ---- sending and receiving ---- */

/* An absolute CLOCK_REALTIME deadline, as the monotonic one the scheduler sleeps until: 0 for none. */
static long deadline_from_user(uint64_t uts, uint64_t *deadline)
{
    *deadline = 0;
    if (!uts)
        return 0;
    uint64_t realtime;
    long err = timespec_from_user(uts, &realtime);
    if (!err)
        *deadline = realtime_to_monotonic(realtime);    /* never 0: "none" to the scheduler */
    return err;
}

/* Sleep on wq for the condition the caller loops on: 0, -EAGAIN (non-blocking), -ETIMEDOUT, -EINTR. */
static int mq_wait(struct wait_queue *wq, bool nonblock, uint64_t deadline, const char *reason)
{
    if (nonblock)
        return -EAGAIN;
    return deadline ? sleep_on_until(wq, &mq_lock, reason, deadline) : sleep_on(wq, &mq_lock, reason);
}

static long send_call(struct file *f, const struct syscall_args *a)
{
    struct mqueue *q = queue_of(f);
    uint64_t ubuf = a->arg[1], len = a->arg[2], deadline;
    unsigned prio = (unsigned)a->arg[3];
    if (!q)
        return -EBADF;
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (prio >= MQ_PRIO_MAX)
        return -EINVAL;
    if (len > (uint64_t)q->msgsize)
        return -EMSGSIZE;
    long err = deadline_from_user(a->arg[4], &deadline);
    struct mq_msg *m = err ? NULL : kmalloc(sizeof *m + len);
    if (!err && !m)
        err = -ENOMEM;
    if (!err && copy_from_user(m->data, ubuf, len) != 0)
        err = -EFAULT;
    if (err) {
        kfree(m);
        return err;
    }
    m->prio = prio;
    m->len = len;
    spin_lock(&mq_lock);
    while (!err && q->count >= q->maxmsg)
        err = mq_wait(&q->writable, f->flags & O_NONBLOCK, deadline, "mqsend");
    if (!err) {
        struct list_node *pos = q->messages.next;   /* after every message of this priority or higher */
        while (pos != &q->messages && container_of(pos, struct mq_msg, link)->prio >= prio)
            pos = pos->next;
        list_insert_before(pos, &m->link);
        q->count++;
        m = NULL;
        wake_all(&q->readable);    /* all: one woken may leave for a signal, the message must not wait */
        poll_notify(&q->polls);
    }
    spin_unlock(&mq_lock);
    kfree(m);
    return err;
}

long sys_mq_timedsend(const struct syscall_args *a) { return fd_call(a, send_call); }

static long receive_call(struct file *f, const struct syscall_args *a)
{
    struct mqueue *q = queue_of(f);
    uint64_t ubuf = a->arg[1], len = a->arg[2], uprio = a->arg[3], deadline;
    if (!q)
        return -EBADF;
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (len < (uint64_t)q->msgsize)
        return -EMSGSIZE;       /* as Linux: the buffer must hold the largest message */
    long err = deadline_from_user(a->arg[4], &deadline);
    if (err)
        return err;
    spin_lock(&mq_lock);
    while (!err && q->count == 0)
        err = mq_wait(&q->readable, f->flags & O_NONBLOCK, deadline, "mqrecv");
    struct mq_msg *m = err ? NULL : list_first(&q->messages, struct mq_msg, link);
    if (m && copy_to_user(ubuf, m->data, m->len) != 0)
        err = -EFAULT;          /* the message stays queued */
    if (m && !err) {
        list_remove(&m->link);
        q->count--;
        wake_all(&q->writable);
        poll_notify(&q->polls);
    }
    spin_unlock(&mq_lock);
    if (err)
        return err;
    long r = (long)m->len;
    if (uprio && copy_to_user(uprio, &m->prio, sizeof m->prio) != 0)
        r = -EFAULT;            /* the message is taken, as on Linux */
    kfree(m);
    return r;
}

long sys_mq_timedreceive(const struct syscall_args *a) { return fd_call(a, receive_call); }

long sys_mq_notify(const struct syscall_args *a)
{
    (void)a;
    return -ENOSYS;
}

/* mq_getsetattr(mqd, new, old): O_NONBLOCK is the one flag a descriptor may change. */
static long getsetattr_call(struct file *f, const struct syscall_args *a)
{
    struct mqueue *q = queue_of(f);
    struct abi_mq_attr set, old;
    if (!q)
        return -EBADF;
    if (a->arg[1] && copy_from_user(&set, a->arg[1], sizeof set) != 0)
        return -EFAULT;
    if (a->arg[1] && (set.flags & ~(int64_t)O_NONBLOCK))
        return -EINVAL;
    spin_lock(&mq_lock);
    old = (struct abi_mq_attr){ .flags = f->flags & O_NONBLOCK, .maxmsg = q->maxmsg, .msgsize = q->msgsize,
                                .curmsgs = q->count };
    spin_unlock(&mq_lock);
    if (a->arg[1])
        __atomic_store_n(&f->flags, (f->flags & ~O_NONBLOCK) | (int)set.flags, __ATOMIC_RELAXED);
    return a->arg[2] && copy_to_user(a->arg[2], &old, sizeof old) != 0 ? -EFAULT : 0;
}

long sys_mq_getsetattr(const struct syscall_args *a) { return fd_call(a, getsetattr_call); }
