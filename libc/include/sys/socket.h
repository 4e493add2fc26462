/*
 * Sockets: Linux's ABI (design contract 6).  The kernel has Unix domain
 * sockets (AF_UNIX, <sys/un.h>), stream and datagram; no networking.
 */
#ifndef _SYS_SOCKET_H
#define _SYS_SOCKET_H

#include <bits/types.h>
#include <sys/uio.h>
#include <abi/socket.h>     /* AF_*, SOCK_*, MSG_*, SOL_SOCKET, SO_*, SCM_RIGHTS, SHUT_*: shared with the kernel */

typedef unsigned int socklen_t;
typedef unsigned short sa_family_t;

struct sockaddr {
    sa_family_t sa_family;
    char sa_data[14];
};

struct sockaddr_storage {
    sa_family_t ss_family;
    char __ss_data[126];
};

struct msghdr {
    void *msg_name;             /* the peer's address: sendmsg's destination, recvmsg's source */
    socklen_t msg_namelen;
    struct iovec *msg_iov;
    size_t msg_iovlen;
    void *msg_control;          /* ancillary data: struct cmsghdr records (SCM_RIGHTS) */
    size_t msg_controllen;
    int msg_flags;              /* recvmsg: MSG_TRUNC, MSG_CTRUNC */
};

struct cmsghdr {
    size_t cmsg_len;            /* header and data */
    int cmsg_level;
    int cmsg_type;
};

#define CMSG_ALIGN(len)     (((len) + sizeof(size_t) - 1) & ~(sizeof(size_t) - 1))
#define CMSG_SPACE(len)     (CMSG_ALIGN(sizeof(struct cmsghdr)) + CMSG_ALIGN(len))
#define CMSG_LEN(len)       (CMSG_ALIGN(sizeof(struct cmsghdr)) + (len))
#define CMSG_DATA(cmsg)     ((unsigned char *)((struct cmsghdr *)(cmsg) + 1))
#define CMSG_FIRSTHDR(mhdr) ((size_t)(mhdr)->msg_controllen >= sizeof(struct cmsghdr) ? \
                             (struct cmsghdr *)(mhdr)->msg_control : (struct cmsghdr *)0)
#define CMSG_NXTHDR(mhdr, cmsg) __cmsg_nxthdr((mhdr), (cmsg))

/* The record after cmsg in mhdr's control buffer, or NULL. */
static inline struct cmsghdr *__cmsg_nxthdr(struct msghdr *mhdr, struct cmsghdr *cmsg)
{
    if (cmsg->cmsg_len < sizeof(struct cmsghdr))
        return (struct cmsghdr *)0;
    unsigned char *next = (unsigned char *)cmsg + CMSG_ALIGN(cmsg->cmsg_len);
    unsigned char *end = (unsigned char *)mhdr->msg_control + mhdr->msg_controllen;
    if (next + sizeof(struct cmsghdr) > end || next + CMSG_ALIGN(((struct cmsghdr *)next)->cmsg_len) > end)
        return (struct cmsghdr *)0;
    return (struct cmsghdr *)next;
}

int socket(int domain, int type, int protocol);
int socketpair(int domain, int type, int protocol, int sv[2]);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *addr, socklen_t *len);
int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t send(int fd, const void *buf, size_t n, int flags);
ssize_t recv(int fd, void *buf, size_t n, int flags);
ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr, socklen_t len);
ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *addr, socklen_t *len);
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t recvmsg(int fd, struct msghdr *msg, int flags);
int shutdown(int fd, int how);
int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int getpeername(int fd, struct sockaddr *addr, socklen_t *len);
int getsockopt(int fd, int level, int name, void *value, socklen_t *len);
int setsockopt(int fd, int level, int name, const void *value, socklen_t len);

#endif
