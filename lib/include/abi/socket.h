/*
 * Sockets: Linux's constants and structures (design contract 6), for the
 * Unix domain sockets of kernel/socket.c and libc's <sys/socket.h>.
 */
#ifndef ABI_SOCKET_H
#define ABI_SOCKET_H

#include <stdint.h>

#define AF_UNSPEC       0
#define AF_UNIX         1
#define AF_LOCAL        AF_UNIX
#define PF_UNIX         AF_UNIX
#define PF_LOCAL        AF_UNIX
#define AF_INET         2               /* not supported: EAFNOSUPPORT */

#define SOCK_STREAM     1
#define SOCK_DGRAM      2
#define SOCK_SEQPACKET  5               /* not supported: ESOCKTNOSUPPORT */
#define SOCK_TYPE_MASK  0xf
#define SOCK_NONBLOCK   00004000        /* = O_NONBLOCK */
#define SOCK_CLOEXEC    02000000        /* = O_CLOEXEC */

#define SOMAXCONN       128

#define SHUT_RD         0
#define SHUT_WR         1
#define SHUT_RDWR       2

#define MSG_OOB         0x01
#define MSG_PEEK        0x02
#define MSG_CTRUNC      0x08
#define MSG_TRUNC       0x20
#define MSG_DONTWAIT    0x40
#define MSG_EOR         0x80
#define MSG_WAITALL     0x100
#define MSG_NOSIGNAL    0x4000
#define MSG_CMSG_CLOEXEC 0x40000000

#define SOL_SOCKET      1
#define SO_REUSEADDR    2
#define SO_TYPE         3
#define SO_ERROR        4
#define SO_SNDBUF       7
#define SO_RCVBUF       8
#define SO_KEEPALIVE    9
#define SO_PASSCRED     16
#define SO_PEERCRED     17
#define SO_PROTOCOL     38
#define SO_DOMAIN       39
#define SO_ACCEPTCONN   30

#define SCM_RIGHTS      1               /* a control message carrying descriptors */

#define UNIX_PATH_MAX   108             /* sun_path's size */

struct sockaddr_un {
    uint16_t sun_family;                /* AF_UNIX */
    char sun_path[UNIX_PATH_MAX];       /* a path; not NUL-terminated when it fills the array */
};

/* SO_PEERCRED: who made the socket at the other end. */
struct ucred {
    int32_t pid;
    uint32_t uid, gid;
};

/* sendmsg and recvmsg: Linux x86_64's struct msghdr and struct cmsghdr. */
struct abi_msghdr {
    uint64_t name;                      /* struct sockaddr_un * */
    uint32_t namelen;
    uint32_t pad0;
    uint64_t iov;                       /* struct iovec * */
    uint64_t iovlen;
    uint64_t control;                   /* cmsghdr records, each 8-byte aligned */
    uint64_t controllen;
    int32_t flags;                      /* recvmsg: MSG_TRUNC, MSG_CTRUNC */
    uint32_t pad1;
};

struct abi_cmsghdr {
    uint64_t len;                       /* header and data, not the padding after */
    int32_t level;                      /* SOL_SOCKET */
    int32_t type;                       /* SCM_RIGHTS */
};

#endif
