/*
 * The system calls of Unix domain sockets: socket, socketpair, bind,
 * listen, connect, accept4, shutdown, the names, the options, and sendto,
 * recvfrom, sendmsg, recvmsg with their addresses and SCM_RIGHTS.  The
 * sockets themselves, their queues and their locking: kernel/socket.c.
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

#define MODE_SOCKET_NAME    0777    /* a bound name's bits before the umask, as Linux */

/* ---- making sockets ---- */

/* socket() and socketpair()'s checks: the type (less its flags) in *type, or -errno. */
static long check_kind(uint64_t domain, uint64_t type_and_flags, uint64_t protocol, int *type)
{
    *type = (int)(type_and_flags & SOCK_TYPE_MASK);
    if (domain != AF_UNIX)
        return -EAFNOSUPPORT;
    if (type_and_flags & ~(uint64_t)(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC))
        return -EINVAL;
    if (*type != SOCK_STREAM && *type != SOCK_DGRAM)
        return -ESOCKTNOSUPPORT;
    return protocol != 0 && protocol != PF_UNIX ? -EPROTONOSUPPORT : 0;
}

long sys_socket(const struct syscall_args *a)
{
    int type;
    long err = check_kind(a->arg[0], a->arg[1], a->arg[2], &type);
    if (err)
        return err;
    struct unix_sock *s = sock_new(type);
    struct file *f = s ? sock_file(s, (int)a->arg[1]) : NULL;
    if (!f) {
        kfree(s);
        return s ? -ENFILE : -ENOMEM;
    }
    long fd = fd_install(proc_current()->fds, f, 0, a->arg[1] & SOCK_CLOEXEC);
    if (fd < 0)
        file_put(f);
    return fd;
}

long sys_socketpair(const struct syscall_args *a)
{
    int type, fds[2];
    long err = check_kind(a->arg[0], a->arg[1], a->arg[2], &type);
    if (err)
        return err;
    struct unix_sock *s[2] = { sock_new(type), sock_new(type) };
    struct file *f[2] = { s[0] ? sock_file(s[0], (int)a->arg[1]) : NULL, s[1] ? sock_file(s[1], (int)a->arg[1]) : NULL };
    if (!f[0] || !f[1]) {
        for (int i = 0; i < 2; i++) {
            if (f[i])
                file_put(f[i]);
            else
                kfree(s[i]);
        }
        return -ENFILE;
    }
    s[0]->peer = s[1];          /* nobody else knows them yet */
    s[1]->peer = s[0];
    s[0]->state = s[1]->state = SOCK_CONNECTED;
    err = fd_install_pair(proc_current()->fds, f, a->arg[1] & SOCK_CLOEXEC, fds);
    if (!err && copy_to_user(a->arg[3], fds, sizeof fds) != 0) {
        fd_close(proc_current()->fds, fds[0]);
        fd_close(proc_current()->fds, fds[1]);
        return -EFAULT;
    }
    if (err) {
        file_put(f[0]);
        file_put(f[1]);
    }
    return err;
}

/* ---- names ---- */

/* A struct sockaddr_un from user memory: the path (NUL-terminated) in path, or -errno. */
static long path_from_user(uint64_t uaddr, uint64_t len, char path[UNIX_PATH_MAX + 1])
{
    struct sockaddr_un sun;
    if (len <= SUN_FAMILY_SIZE || len > sizeof sun)
        return -EINVAL;
    memset(&sun, 0, sizeof sun);
    if (copy_from_user(&sun, uaddr, len) != 0)
        return -EFAULT;
    if (sun.sun_family != AF_UNIX)
        return -EINVAL;
    size_t n = strnlen(sun.sun_path, len - SUN_FAMILY_SIZE);
    if (n == 0)
        return -EINVAL;         /* the abstract namespace (a leading NUL) is not supported */
    memcpy(path, sun.sun_path, n);
    path[n] = '\0';
    return 0;
}

/* The caller's working directory, held, for a relative path. */
static struct inode *cwd_held(void)
{
    return inode_get_from(&proc_current()->cwd);
}

/* A name as struct sockaddr_un in *sun; its length (a name's NUL counts when it fits; unnamed: the family alone). */
static uint32_t sun_of(const char *name, size_t name_len, struct sockaddr_un *sun)
{
    *sun = (struct sockaddr_un){ .sun_family = AF_UNIX };
    memcpy(sun->sun_path, name, name_len);
    return (uint32_t)(SUN_FAMILY_SIZE + name_len + (name_len && name_len < UNIX_PATH_MAX));
}

/* Write a name back to uaddr (Linux's rules: cut to the room *ulen says, the full length written back). */
static long name_to_user(const char *name, size_t name_len, uint64_t uaddr, uint64_t ulen)
{
    if (!uaddr)
        return 0;
    uint32_t room;
    if (copy_from_user(&room, ulen, sizeof room) != 0)
        return -EFAULT;
    if ((int32_t)room < 0)
        return -EINVAL;
    struct sockaddr_un sun;
    uint32_t full = sun_of(name, name_len, &sun);
    if (copy_to_user(uaddr, &sun, room < full ? room : full) != 0 || copy_to_user(ulen, &full, sizeof full) != 0)
        return -EFAULT;
    return 0;
}

static long bind_call(struct file *f, const struct syscall_args *a)
{
    struct unix_sock *s = sock_of(f);
    char path[UNIX_PATH_MAX + 1], name[NAME_MAX + 1];
    if (!s)
        return -ENOTSOCK;
    long err = path_from_user(a->arg[1], a->arg[2], path);
    if (err)
        return err;
    struct inode *start = cwd_held(), *dir, *in;
    err = fs_resolve_parent(start, path, &dir, name);
    inode_put(start);
    if (err)
        return err;
    err = fs_create(dir, name, INODE_SOCKET, creation_mode(MODE_SOCKET_NAME), &in);
    if (err) {
        inode_put(dir);
        return err == -EEXIST ? -EADDRINUSE : err;
    }
    spin_lock(&unix_lock);
    if (s->name_inode || s->closed) {
        err = -EINVAL;          /* bound already (another thread may have just done it) */
    } else {
        in->sock = s;
        s->name_inode = in;     /* the reference fs_create gave */
        s->name_len = strlen(path);
        memcpy(s->name, path, s->name_len);
    }
    spin_unlock(&unix_lock);
    if (err) {
        fs_remove(dir, name, false);    /* the name just made goes again */
        inode_put(in);
    }
    inode_put(dir);
    return err;
}

long sys_bind(const struct syscall_args *a) { return fd_call(a, bind_call); }

static long listen_call(struct file *f, const struct syscall_args *a)
{
    struct unix_sock *s = sock_of(f);
    if (!s)
        return -ENOTSOCK;
    if (s->type != SOCK_STREAM)
        return -EOPNOTSUPP;
    int backlog = (int)a->arg[1];
    spin_lock(&unix_lock);
    long err = s->state == SOCK_CONNECTED ? -EINVAL : 0;
    if (!err) {
        s->state = SOCK_LISTENING;
        s->backlog = backlog < 0 ? 0 : backlog > SOMAXCONN ? SOMAXCONN : backlog;
        sock_changed(s);        /* connects waiting for room in a full backlog */
    }
    spin_unlock(&unix_lock);
    return err;
}

long sys_listen(const struct syscall_args *a) { return fd_call(a, listen_call); }

/* The socket inode at a sockaddr_un, held: 0, or -errno (ECONNREFUSED: not a socket). */
static long resolve_name(uint64_t uaddr, uint64_t len, struct inode **out)
{
    char path[UNIX_PATH_MAX + 1];
    long err = path_from_user(uaddr, len, path);
    if (err)
        return err;
    struct inode *start = cwd_held();
    err = fs_resolve(start, path, out);
    inode_put(start);
    if (!err && (*out)->type != INODE_SOCKET) {
        inode_put(*out);
        err = -ECONNREFUSED;
    }
    return err;
}

/* ---- connections ---- */

/*
 * A stream connect to the listener named by in: a new socket joins its
 * pending list, connected to s, and accept4 hands it out.  A full backlog
 * makes the caller wait (EAGAIN if it may not).
 */
static long stream_connect(struct unix_sock *s, struct inode *in, bool nonblock)
{
    struct unix_sock *embryo = sock_new(SOCK_STREAM);
    if (!embryo)
        return -ENOMEM;
    long err = 0;
    spin_lock(&unix_lock);
    for (;;) {
        struct unix_sock *l = in->sock;
        if (s->state != SOCK_UNCONNECTED)
            err = s->state == SOCK_CONNECTED ? -EISCONN : -EINVAL;
        else if (!l)
            err = -ECONNREFUSED;
        else if (l->type != SOCK_STREAM)
            err = -EPROTOTYPE;
        else if (l->state != SOCK_LISTENING)
            err = -ECONNREFUSED;
        else if (l->npending > l->backlog)
            err = wait_for_room(l, nonblock);
        else {
            embryo->peer = s;
            embryo->state = SOCK_CONNECTED;
            embryo->owner_pid = l->owner_pid;   /* what the client's SO_PEERCRED says: the server */
            embryo->name_len = l->name_len;     /* getsockname of the accepted socket: the listener's */
            memcpy(embryo->name, l->name, l->name_len);
            s->peer = embryo;
            s->state = SOCK_CONNECTED;
            list_push_back(&l->pending, &embryo->pending_link);
            l->npending++;
            sock_changed(l);
            embryo = NULL;
            break;
        }
        if (err)
            break;
    }
    spin_unlock(&unix_lock);
    kfree(embryo);
    return err;
}

/* A datagram socket's connect: the name its sends go to from now on (AF_UNSPEC: none). */
static long dgram_connect(struct unix_sock *s, struct inode *in)
{
    long err = 0;
    spin_lock(&unix_lock);
    struct unix_sock *r = in ? in->sock : NULL;
    if (in && !r)
        err = -ECONNREFUSED;
    else if (r && r->type != SOCK_DGRAM)
        err = -EPROTOTYPE;
    struct inode *old = NULL;
    if (!err) {
        old = s->dgram_target;
        s->dgram_target = in;   /* the caller's reference */
        s->state = in ? SOCK_CONNECTED : SOCK_UNCONNECTED;
        in = NULL;
    }
    spin_unlock(&unix_lock);
    if (old)
        inode_put(old);
    if (in)
        inode_put(in);
    return err;
}

static long connect_call(struct file *f, const struct syscall_args *a)
{
    struct unix_sock *s = sock_of(f);
    if (!s)
        return -ENOTSOCK;
    uint16_t family;
    if (a->arg[2] < sizeof family || copy_from_user(&family, a->arg[1], sizeof family) != 0)
        return a->arg[2] < sizeof family ? -EINVAL : -EFAULT;
    if (family == AF_UNSPEC && s->type == SOCK_DGRAM)
        return dgram_connect(s, NULL);
    struct inode *in;
    long err = resolve_name(a->arg[1], a->arg[2], &in);
    if (err)
        return err;
    if (s->type == SOCK_DGRAM)
        return dgram_connect(s, in);
    err = stream_connect(s, in, f->flags & O_NONBLOCK);
    inode_put(in);
    return err;
}

long sys_connect(const struct syscall_args *a) { return fd_call(a, connect_call); }

/* Take a pending connection of listener s, waiting for one unless nonblock: it, or NULL with *err. */
static struct unix_sock *next_pending(struct unix_sock *s, bool nonblock, long *err)
{
    struct unix_sock *embryo = NULL;
    spin_lock(&unix_lock);
    while (!*err && s->state == SOCK_LISTENING && list_empty(&s->pending))
        *err = nonblock ? -EAGAIN : sleep_on(&s->readable, &unix_lock, "accept");
    if (!*err && s->state != SOCK_LISTENING)
        *err = -EINVAL;
    if (!*err) {
        embryo = container_of(s->pending.next, struct unix_sock, pending_link);
        list_remove(&embryo->pending_link);
        s->npending--;
        sock_changed(s);        /* a connect waiting for room in the backlog */
    }
    spin_unlock(&unix_lock);
    return embryo;
}

/* Close a connection nobody will accept now: its client sees the end. */
static void refuse(struct unix_sock *embryo)
{
    struct list_node dropped = LIST_INIT(dropped);
    spin_lock(&unix_lock);
    embryo->closed = true;
    sock_disconnect_locked(embryo, &dropped, true);
    sock_put_locked(embryo);
    spin_unlock(&unix_lock);
    free_dropped(&dropped);
}

static long accept_call(struct file *f, const struct syscall_args *a)
{
    struct unix_sock *s = sock_of(f);
    int flags = (int)a->arg[3];
    if (!s)
        return -ENOTSOCK;
    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return -EINVAL;
    if (s->type != SOCK_STREAM)
        return -EOPNOTSUPP;
    long err = 0;
    struct unix_sock *embryo = next_pending(s, f->flags & O_NONBLOCK, &err);
    if (!embryo)
        return err;
    struct file *nf = sock_file(embryo, flags);
    if (!nf) {
        refuse(embryo);
        return -ENFILE;
    }
    char peer_name[UNIX_PATH_MAX];
    spin_lock(&unix_lock);
    size_t peer_len = embryo->peer ? embryo->peer->name_len : 0;
    memcpy(peer_name, embryo->peer ? embryo->peer->name : "", peer_len);
    spin_unlock(&unix_lock);
    err = name_to_user(peer_name, peer_len, a->arg[1], a->arg[2]);
    long fd = err ? err : fd_install(proc_current()->fds, nf, 0, flags & SOCK_CLOEXEC);
    if (fd < 0)
        file_put(nf);           /* closes it: the client sees the end */
    return fd;
}

long sys_accept4(const struct syscall_args *a) { return fd_call(a, accept_call); }

long sys_accept(const struct syscall_args *a)
{
    struct syscall_args with_flags = *a;
    with_flags.arg[3] = 0;
    return fd_call(&with_flags, accept_call);
}

static long shutdown_call(struct file *f, const struct syscall_args *a)
{
    struct unix_sock *s = sock_of(f);
    uint64_t how = a->arg[1];
    if (!s)
        return -ENOTSOCK;
    if (how > SHUT_RDWR)
        return -EINVAL;
    spin_lock(&unix_lock);      /* unconnected too: Linux accepts it */
    s->shut_rd |= how != SHUT_WR;
    s->shut_wr |= how != SHUT_RD;
    sock_changed(s);
    if (s->peer)
        sock_changed(s->peer);  /* its reads reach the end, its writes EPIPE */
    spin_unlock(&unix_lock);
    return 0;
}

long sys_shutdown(const struct syscall_args *a) { return fd_call(a, shutdown_call); }

/* getsockname (peer false) and getpeername (peer true). */
static long name_call(struct file *f, const struct syscall_args *a, bool peer)
{
    struct unix_sock *s = sock_of(f);
    if (!s)
        return -ENOTSOCK;
    char name[UNIX_PATH_MAX];
    size_t len = 0;
    long err = 0;
    spin_lock(&unix_lock);
    struct unix_sock *of = !peer ? s : s->peer ? s->peer : s->dgram_target ? s->dgram_target->sock : NULL;
    if (peer && s->state != SOCK_CONNECTED)
        err = -ENOTCONN;
    else if (of) {
        len = of->name_len;
        memcpy(name, of->name, len);
    }
    spin_unlock(&unix_lock);
    return err ? err : name_to_user(name, len, a->arg[1], a->arg[2]);
}

static long sockname_call(struct file *f, const struct syscall_args *a) { return name_call(f, a, false); }
static long peername_call(struct file *f, const struct syscall_args *a) { return name_call(f, a, true); }
long sys_getsockname(const struct syscall_args *a) { return fd_call(a, sockname_call); }
long sys_getpeername(const struct syscall_args *a) { return fd_call(a, peername_call); }

/* ---- options ---- */

static long getsockopt_call(struct file *f, const struct syscall_args *a)
{
    struct unix_sock *s = sock_of(f);
    int level = (int)a->arg[1], opt = (int)a->arg[2];
    uint64_t uval = a->arg[3], ulen = a->arg[4];
    if (!s)
        return -ENOTSOCK;
    if (level != SOL_SOCKET)
        return -ENOPROTOOPT;
    uint32_t room;
    if (copy_from_user(&room, ulen, sizeof room) != 0)
        return -EFAULT;
    if ((int32_t)room < 0)
        return -EINVAL;
    int value = 0;
    struct ucred cred = { 0, 0, 0 };
    const void *out = &value;
    uint32_t size = sizeof value;
    long err = 0;
    spin_lock(&unix_lock);
    switch (opt) {
    case SO_TYPE:       value = s->type; break;
    case SO_ERROR:      value = s->error; s->error = 0; break;
    case SO_DOMAIN:     value = AF_UNIX; break;
    case SO_PROTOCOL:   value = 0; break;
    case SO_ACCEPTCONN: value = s->state == SOCK_LISTENING; break;
    case SO_RCVBUF:     value = s->rcvbuf; break;
    case SO_SNDBUF:     value = s->sndbuf; break;
    case SO_REUSEADDR: case SO_KEEPALIVE: case SO_PASSCRED: value = 0; break;
    case SO_PEERCRED:
        cred.pid = s->peer ? s->peer->owner_pid : 0;
        out = &cred;
        size = sizeof cred;
        break;
    default:            err = -ENOPROTOOPT;
    }
    spin_unlock(&unix_lock);
    if (err)
        return err;
    size = room < size ? room : size;
    return copy_to_user(uval, out, size) != 0 || copy_to_user(ulen, &size, sizeof size) != 0 ? -EFAULT : 0;
}

long sys_getsockopt(const struct syscall_args *a) { return fd_call(a, getsockopt_call); }

static long setsockopt_call(struct file *f, const struct syscall_args *a)
{
    struct unix_sock *s = sock_of(f);
    int level = (int)a->arg[1], opt = (int)a->arg[2], value;
    if (!s)
        return -ENOTSOCK;
    if (level != SOL_SOCKET)
        return -ENOPROTOOPT;
    if (a->arg[4] < sizeof value)
        return -EINVAL;
    if (copy_from_user(&value, a->arg[3], sizeof value) != 0)
        return -EFAULT;
    long err = 0;
    spin_lock(&unix_lock);
    switch (opt) {
    case SO_RCVBUF:     s->rcvbuf = value; break;      /* reported back; the queue keeps its size */
    case SO_SNDBUF:     s->sndbuf = value; break;
    case SO_REUSEADDR: case SO_KEEPALIVE: case SO_PASSCRED: break;
    default:            err = -ENOPROTOOPT;
    }
    spin_unlock(&unix_lock);
    return err;
}

long sys_setsockopt(const struct syscall_args *a) { return fd_call(a, setsockopt_call); }

/* ---- sendto, recvfrom, sendmsg, recvmsg ---- */

/* A send's destination from a user address (datagrams only; streams refuse one: EISCONN, EOPNOTSUPP). */
static long send_target(struct unix_sock *s, uint64_t uaddr, uint64_t len, struct send_req *req)
{
    if (!uaddr)
        return 0;
    if (s->type == SOCK_STREAM)
        return s->state == SOCK_CONNECTED ? -EISCONN : -EOPNOTSUPP;
    return resolve_name(uaddr, len, &req->target);
}

/* The end of every send: the request's leftovers (files no message took, the name) go. */
static void send_done(struct send_req *req)
{
    drop_files(req->files, req->nfiles);
    if (req->target)
        inode_put(req->target);
}

static long sendto_call(struct file *f, const struct syscall_args *a)
{
    struct unix_sock *s = sock_of(f);
    if (!s)
        return -ENOTSOCK;
    struct user_iovec one = { a->arg[1], a->arg[2] };
    struct uio u;
    uio_init(&u, &one, 1, uio_capped(one.len));
    struct send_req req = { .u = &u, .flags = (int)a->arg[3] };
    long r = send_target(s, a->arg[4], a->arg[5], &req);
    if (!r)
        r = sock_send(f, &req);
    send_done(&req);
    return r;
}

long sys_sendto(const struct syscall_args *a) { return fd_call(a, sendto_call); }

static long recvfrom_call(struct file *f, const struct syscall_args *a)
{
    if (!sock_of(f))
        return -ENOTSOCK;
    struct user_iovec one = { a->arg[1], a->arg[2] };
    struct uio u;
    uio_init(&u, &one, 1, uio_capped(one.len));
    struct recv_req q = { .u = &u, .flags = (int)a->arg[3] };
    long r = sock_recv(f, &q);
    drop_files(q.files, q.nfiles);  /* no room for descriptors: closed, as Linux does */
    long err = r >= 0 ? name_to_user(q.from, q.from_len, a->arg[4], a->arg[5]) : 0;
    return err ? err : r;
}

long sys_recvfrom(const struct syscall_args *a) { return fd_call(a, recvfrom_call); }

/*
 * sendmsg's control data: SCM_RIGHTS records become file references in
 * req (at most UNIX_FDS_MAX in all; not Unix sockets, see above); other
 * records are refused (EINVAL).
 */
static long rights_from_user(uint64_t ucontrol, uint64_t len, struct send_req *req)
{
    if (!ucontrol || !len)
        return 0;
    if (len > UNIX_CONTROL_MAX)
        return -ENOBUFS;
    uint8_t *buf = kmalloc(len);
    if (!buf)
        return -ENOMEM;
    long err = copy_from_user(buf, ucontrol, len) ? -EFAULT : 0;
    req->files = kmalloc(UNIX_FDS_MAX * sizeof *req->files);
    err = err ? err : req->files ? 0 : -ENOMEM;
    for (uint64_t at = 0; !err && at + sizeof(struct abi_cmsghdr) <= len;) {
        struct abi_cmsghdr h;
        memcpy(&h, buf + at, sizeof h);
        if (h.len < sizeof h || h.len > len - at || h.level != SOL_SOCKET || h.type != SCM_RIGHTS) {
            err = -EINVAL;
            break;
        }
        size_t n = (h.len - sizeof h) / sizeof(int);
        for (size_t i = 0; !err && i < n; i++) {
            int fd;
            memcpy(&fd, buf + at + sizeof h + i * sizeof fd, sizeof fd);
            struct file *file = req->nfiles < UNIX_FDS_MAX ? fd_get(fd) : NULL;
            if (!file)
                err = req->nfiles < UNIX_FDS_MAX ? -EBADF : -EINVAL;
            else if (sock_of(file)) {
                fd_put(file);
                err = -EINVAL;  /* a Unix socket in flight could make a cycle nothing frees */
            } else
                req->files[req->nfiles++] = file;
        }
        at += CMSG_ALIGN8(h.len);
    }
    kfree(buf);
    return err;
}

/* sendmsg's and recvmsg's struct msghdr at umsg, and u over its buffers (*iov, to kfree). 0 or -errno. */
static long msghdr_from_user(uint64_t umsg, struct abi_msghdr *m, struct user_iovec **iov, struct uio *u)
{
    if (copy_from_user(m, umsg, sizeof *m) != 0)
        return -EFAULT;
    if (m->iovlen > IOV_MAX)
        return -EMSGSIZE;       /* Linux's answer here (readv's is EINVAL) */
    uint64_t total;
    long err = uio_copy_iovecs(m->iov, (int64_t)m->iovlen, iov, &total);
    if (!err)
        uio_init(u, *iov, (int64_t)m->iovlen, uio_capped(total));
    return err;
}

static long sendmsg_call(struct file *f, const struct syscall_args *a)
{
    struct unix_sock *s = sock_of(f);
    if (!s)
        return -ENOTSOCK;
    struct abi_msghdr m;
    struct user_iovec *iov;
    struct uio u;
    long r = msghdr_from_user(a->arg[1], &m, &iov, &u);
    if (r)
        return r;
    struct send_req req = { .u = &u, .flags = (int)a->arg[2] };
    r = send_target(s, m.name, m.namelen, &req);
    if (!r)
        r = rights_from_user(m.control, m.controllen, &req);
    if (!r)
        r = sock_send(f, &req);
    send_done(&req);
    kfree(iov);
    return r;
}

long sys_sendmsg(const struct syscall_args *a) { return fd_call(a, sendmsg_call); }

/*
 * Install the files a receive brought (each is installed or closed) and
 * write one SCM_RIGHTS record with their descriptors into the control
 * buffer of *m: as many as fit (MSG_CTRUNC for the rest).  The control
 * length used goes back in *m.
 */
static long rights_to_user(struct recv_req *q, struct abi_msghdr *m, int flags)
{
    uint64_t room = m->controllen;
    m->controllen = 0;
    if (!q->nfiles)
        return 0;
    size_t fit = room >= sizeof(struct abi_cmsghdr) ? (room - sizeof(struct abi_cmsghdr)) / sizeof(int) : 0;
    int *fds = kmalloc((size_t)q->nfiles * sizeof *fds);
    int installed = 0;
    for (int i = 0; i < q->nfiles; i++) {
        int fd = fds && (size_t)installed < fit ?
                 fd_install(proc_current()->fds, q->files[i], 0, flags & MSG_CMSG_CLOEXEC) : -1;
        if (fd < 0)
            file_put(q->files[i]);      /* no room in the buffer or the table: closed, MSG_CTRUNC */
        else
            fds[installed++] = fd;
    }
    kfree(q->files);
    m->flags |= installed < q->nfiles ? MSG_CTRUNC : 0;
    q->files = NULL;
    q->nfiles = 0;
    if (!installed) {
        kfree(fds);
        return 0;
    }
    struct abi_cmsghdr h = { sizeof h + (uint64_t)installed * sizeof(int), SOL_SOCKET, SCM_RIGHTS };
    long err = copy_to_user(m->control, &h, sizeof h) || copy_to_user(m->control + sizeof h, fds,
                                                                       (size_t)installed * sizeof(int)) ? -EFAULT : 0;
    m->controllen = CMSG_ALIGN8(h.len) <= room ? CMSG_ALIGN8(h.len) : h.len;
    kfree(fds);
    return err;
}

static long recvmsg_call(struct file *f, const struct syscall_args *a)
{
    if (!sock_of(f))
        return -ENOTSOCK;
    struct abi_msghdr m;
    struct user_iovec *iov;
    struct uio u;
    long r = msghdr_from_user(a->arg[1], &m, &iov, &u);
    if (r)
        return r;
    struct recv_req q = { .u = &u, .flags = (int)a->arg[2] };
    r = sock_recv(f, &q);
    kfree(iov);
    m.flags = q.out_flags;
    long err = r >= 0 ? rights_to_user(&q, &m, q.flags) : 0;
    drop_files(q.files, q.nfiles);
    if (!err && r >= 0 && m.name) {
        struct sockaddr_un sun;
        uint32_t full = sun_of(q.from, q.from_len, &sun);
        err = copy_to_user(m.name, &sun, m.namelen < full ? m.namelen : full) ? -EFAULT : 0;
        m.namelen = full;
    }
    if (!err && r >= 0 && copy_to_user(a->arg[1], &m, sizeof m) != 0)
        err = -EFAULT;
    return err ? err : r;
}

long sys_recvmsg(const struct syscall_args *a) { return fd_call(a, recvmsg_call); }
