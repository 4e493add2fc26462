/*
 * Unix domain sockets, shared by kernel/socket.c (the sockets: queues,
 * sending, receiving, closing, poll) and kernel/socket_calls.c (the system
 * calls).  See kernel/socket.c for the semantics, the lock and lifetimes.
 */
#ifndef KERNEL_SOCKET_H
#define KERNEL_SOCKET_H

#include <abi/socket.h>
#include <kernel/list.h>
#include <kernel/poll.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/uio.h>
#include <stdbool.h>
#include <stddef.h>

struct file;
struct inode;

#define UNIX_QUEUE_BYTES    (64 * 1024)     /* what a receive queue holds (SO_RCVBUF reports it) */
#define UNIX_DGRAM_MAX      UNIX_QUEUE_BYTES /* the largest datagram: EMSGSIZE past it */
#define UNIX_FDS_MAX        253             /* SCM_MAX_FD: descriptors one message carries */
#define UNIX_CONTROL_MAX    20480           /* sendmsg's control bytes: Linux's optmem_max default */
#define SUN_FAMILY_SIZE     sizeof(uint16_t)
#define CMSG_ALIGN8(n)      (((n) + 7) & ~(uint64_t)7)

enum sock_state {
    SOCK_UNCONNECTED,
    SOCK_LISTENING,
    SOCK_CONNECTED,             /* has, or had, a peer (peer NULL: it has gone) */
};

struct unix_msg {
    struct list_node link;      /* [unix_lock] in the receiver's queue, oldest first */
    size_t len, off;            /* bytes, and bytes already read (streams read a message in parts) */
    int nfiles;
    struct file **files;        /* SCM_RIGHTS: a reference each, handed over at recvmsg */
    char from[UNIX_PATH_MAX];   /* a datagram's sender's name (from_len 0: unnamed) */
    size_t from_len;
    char data[];
};

struct unix_sock {
    int refs;                   /* [unix_lock] see above */
    int type;                   /* SOCK_STREAM or SOCK_DGRAM */
    enum sock_state state;      /* [unix_lock] */
    bool closed;                /* [unix_lock] its file has gone: sends to it fail */
    bool shut_rd, shut_wr;      /* [unix_lock] shutdown() of its own sides */
    int error;                  /* [unix_lock] a pending error (ECONNRESET), reported once by a read or SO_ERROR */
    struct unix_sock *peer;     /* [unix_lock] the other end of a connection, or a pair's; NULL: none, or gone */
    struct inode *dgram_target; /* [unix_lock] a datagram socket's connect(): the name it sends to (a reference) */
    struct list_node queue;     /* [unix_lock] struct unix_msg */
    size_t queued;              /* [unix_lock] bytes in queue */
    struct wait_queue readable; /* its reader (or accept) waits here */
    struct wait_queue writable; /* senders to it wait here for room (or for its listener's room) */
    struct poll_head polls;     /* [unix_lock] */
    struct list_node pending;   /* [unix_lock] listening: connections not yet accepted */
    struct list_node pending_link; /* [unix_lock] in its listener's pending list */
    int npending, backlog;      /* [unix_lock] */
    struct inode *name_inode;   /* [unix_lock] bind()'s inode (a reference), NULL: unnamed */
    char name[UNIX_PATH_MAX];   /* [unix_lock] bind()'s path; name_len 0: unnamed */
    size_t name_len;
    int owner_pid;              /* SO_PEERCRED: the process that made it (or connected it) */
    int rcvbuf, sndbuf;         /* [unix_lock] setsockopt's values, reported back */
};

/* Every socket's state and queue (kernel/socket.c). */
extern struct spinlock unix_lock;

/* What a send carries besides its bytes: files (SCM_RIGHTS), and a datagram's named receiver. */
struct send_req {
    struct uio *u;
    int flags;                  /* MSG_* */
    struct file **files;        /* references the request owns until a message takes them */
    int nfiles;
    struct inode *target;       /* sendto's name (a reference), NULL: the connected receiver */
};

/* What a receive found besides its bytes. */
struct recv_req {
    struct uio *u;
    int flags;                  /* MSG_* asked */
    int out_flags;              /* MSG_TRUNC: a datagram was longer than the buffers */
    size_t full_len;            /* a datagram's whole length */
    struct file **files;        /* files that came with the bytes (references), nfiles of them */
    int nfiles;
    char from[UNIX_PATH_MAX];   /* a datagram's sender's name */
    size_t from_len;
};

/* A new socket of type with one reference (its file's, once it has one); NULL when out of memory. */
struct unix_sock *sock_new(int type);

/* A file for socket s (which it takes over), with O_NONBLOCK from flags; NULL: ENFILE. */
struct file *sock_file(struct unix_sock *s, int flags);

/* The socket behind file f, or NULL if f is not one. */
struct unix_sock *sock_of(struct file *f);

/* Drop a reference (the last frees s); s changed for its waiters; unix_lock held. */
void sock_put_locked(struct unix_sock *s);
void sock_changed(struct unix_sock *s);

/* Cut s's ties, its queue onto dropped (free_dropped after unix_lock); unaccepted: an embryo.  unix_lock held. */
void sock_disconnect_locked(struct unix_sock *s, struct list_node *dropped, bool unaccepted);
void free_dropped(struct list_node *dropped);

/* Sleep until r may have room (holding a reference on it): 0, -EAGAIN (nonblock), -EINTR.  unix_lock held. */
int wait_for_room(struct unix_sock *r, bool nonblock);

/* Send and receive on a socket file, as its flags and the request's say: bytes, or -errno. */
long sock_send(struct file *f, struct send_req *req);
long sock_recv(struct file *f, struct recv_req *q);

/* Drop files that came with a receive and have nowhere to go (and the array). */
void drop_files(struct file **files, int n);

#endif
