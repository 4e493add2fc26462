/*
 * Unix domain sockets as Linux defines them, in cases that run both on the
 * Linux host (tests/host/libc/socket.c: our libc on Linux's kernel) and in
 * our kernel (tests/user/test_socket.c): stream pairs both ways, end of
 * file, EPIPE and SIGPIPE, ECONNRESET for data lost unread, datagram
 * boundaries and truncation, named stream servers (bind, listen, connect,
 * accept4, the names, the errors), named datagrams, descriptors passed
 * between processes (SCM_RIGHTS), shutdown, non-blocking calls and poll,
 * options, and hostile arguments.  Each case returns 1, or fails through
 * the includer's CHECK (check.h returns 0, utest.h ends the test).
 */
#ifndef TESTS_USER_SOCKET_CASES_H
#define TESTS_USER_SOCKET_CASES_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define SK_SERVER_PATH  "/tmp/sk_server"
#define SK_DGRAM_A      "/tmp/sk_dgram_a"
#define SK_DGRAM_B      "/tmp/sk_dgram_b"
#define SK_FILE_PATH    "/tmp/sk_plain_file"
#define SK_MISSING      "/tmp/sk_nobody_here"
#define SK_BAD_ADDR     0xffff800000000000UL    /* a kernel address: EFAULT */
#define SK_FILL_CHUNK   4096
#define SK_FILL_MAX     (64 * 1024 * 1024)      /* far past any socket buffer: a send must block first */
#define SK_UNSUPPORTED_TYPE 4                   /* SOCK_RDM: not for Unix sockets */

static struct sockaddr_un sk_addr(const char *path)
{
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    strcpy(a.sun_path, path);
    return a;
}

/* socketpair of type; fails the case if it fails. */
#define SK_PAIR(type, sv) CHECK(socketpair(AF_UNIX, (type), 0, (sv)) == 0, "socketpair: %s", strerror(errno))

/* Wait for pid; fails the case unless it exited 0. */
#define SK_REAP(pid)                                                                      \
    do {                                                                                  \
        int sk_status_;                                                                   \
        CHECK(waitpid((pid), &sk_status_, 0) == (pid), "waitpid: %s", strerror(errno));   \
        CHECK(WIFEXITED(sk_status_) && WEXITSTATUS(sk_status_) == 0,                      \
              "the child failed: status %#x", sk_status_);                                \
    } while (0)

/* sendmsg of one byte with an SCM_RIGHTS record carrying fd: sendmsg's result. */
static ssize_t sk_send_fd(int sock, int fd)
{
    union { struct cmsghdr h; char space[CMSG_SPACE(sizeof(int))]; } control;
    memset(&control, 0, sizeof control);
    struct iovec v = { "x", 1 };
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = &v;
    m.msg_iovlen = 1;
    m.msg_control = &control;
    m.msg_controllen = sizeof control;
    control.h.cmsg_level = SOL_SOCKET;
    control.h.cmsg_type = SCM_RIGHTS;
    control.h.cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(&control.h), &fd, sizeof fd);
    return sendmsg(sock, &m, 0);
}

/*
 * recvmsg of one byte with room for one descriptor (none if !room): its
 * result; *fd the descriptor received (-1: none, or not one SCM_RIGHTS
 * record of one), *flags its msg_flags.
 */
static ssize_t sk_recv_fd(int sock, bool room, int *fd, int *flags)
{
    union { struct cmsghdr h; char space[CMSG_SPACE(sizeof(int))]; } control;
    char byte;
    struct iovec v = { &byte, 1 };
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = &v;
    m.msg_iovlen = 1;
    m.msg_control = room ? &control : NULL;
    m.msg_controllen = room ? sizeof control : 0;
    ssize_t r = recvmsg(sock, &m, 0);
    struct cmsghdr *h = r >= 0 && room ? CMSG_FIRSTHDR(&m) : NULL;
    *fd = -1;
    *flags = m.msg_flags;
    if (h && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS && h->cmsg_len == CMSG_LEN(sizeof(int)))
        memcpy(fd, CMSG_DATA(h), sizeof *fd);
    return r;
}

/* Bytes both ways through a stream pair, with write/read, send/recv and writev/readv. */
static int sk_stream_pair(void)
{
    int sv[2];
    char buf[32];
    SK_PAIR(SOCK_STREAM, sv);
    CHECK(write(sv[0], "hello", 5) == 5 && read(sv[1], buf, sizeof buf) == 5 && !memcmp(buf, "hello", 5),
          "0 to 1");
    CHECK(send(sv[1], "back", 4, 0) == 4 && recv(sv[0], buf, sizeof buf, 0) == 4 && !memcmp(buf, "back", 4),
          "1 to 0");
    struct iovec out[2] = { { "ab", 2 }, { "cde", 3 } }, in[2] = { { buf, 1 }, { buf + 1, 10 } };
    CHECK(writev(sv[0], out, 2) == 5 && readv(sv[1], in, 2) == 5 && !memcmp(buf, "abcde", 5), "vectors");
    CHECK(send(sv[0], "xy", 2, 0) == 2 && recv(sv[1], buf, 1, MSG_PEEK) == 1 && buf[0] == 'x' &&
          recv(sv[1], buf, sizeof buf, 0) == 2, "MSG_PEEK leaves the bytes");
    struct stat st;
    CHECK(fstat(sv[0], &st) == 0 && S_ISSOCK(st.st_mode), "fstat: mode %#o", (unsigned)st.st_mode);
    close(sv[0]);
    close(sv[1]);
    return 1;
}

/* The peer's close: end of file for reads; EPIPE for writes, SIGPIPE unless MSG_NOSIGNAL. */
static int sk_eof_and_epipe(void)
{
    int sv[2];
    char c;
    SK_PAIR(SOCK_STREAM, sv);
    close(sv[1]);
    CHECK(read(sv[0], &c, 1) == 0, "read after the peer's close: not end of file");
    CHECK(send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE, "send: %s", strerror(errno));
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        write(sv[0], "x", 1);
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE,
          "a write to a closed peer: status %#x", status);
    close(sv[0]);
    return 1;
}

/* Closing with data unread: the peer's next read says ECONNRESET, then end of file. */
static int sk_reset_on_lost_data(void)
{
    int sv[2];
    char c;
    SK_PAIR(SOCK_STREAM, sv);
    CHECK(write(sv[0], "lost", 4) == 4, "write");
    close(sv[1]);
    CHECK(read(sv[0], &c, 1) == -1 && errno == ECONNRESET, "read: %s", strerror(errno));
    CHECK(read(sv[0], &c, 1) == 0, "the read after the reset");
    close(sv[0]);
    return 1;
}

/* Datagrams keep their boundaries; a short buffer truncates (MSG_TRUNC). */
static int sk_dgram_boundaries(void)
{
    int sv[2];
    char buf[64];
    SK_PAIR(SOCK_DGRAM, sv);
    CHECK(send(sv[0], "one", 3, 0) == 3 && send(sv[0], "second", 6, 0) == 6 && send(sv[0], "", 0, 0) == 0 &&
          send(sv[0], "truncated", 9, 0) == 9, "send");
    CHECK(recv(sv[1], buf, sizeof buf, 0) == 3 && recv(sv[1], buf, sizeof buf, 0) == 6 &&
          recv(sv[1], buf, sizeof buf, 0) == 0, "boundaries");
    struct iovec v = { buf, 4 };
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = &v;
    m.msg_iovlen = 1;
    CHECK(recvmsg(sv[1], &m, 0) == 4 && (m.msg_flags & MSG_TRUNC) && !memcmp(buf, "trun", 4),
          "a short read: flags %#x", m.msg_flags);
    CHECK(send(sv[0], "again", 5, 0) == 5 && recv(sv[1], buf, 2, MSG_TRUNC) == 5, "MSG_TRUNC gives the length");
    close(sv[0]);
    close(sv[1]);
    return 1;
}

/* A named stream server and a client process: bind, listen, connect, accept4, the names. */
static int sk_named_stream(void)
{
    unlink(SK_SERVER_PATH);
    struct sockaddr_un a = sk_addr(SK_SERVER_PATH);
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(srv >= 0, "socket: %s", strerror(errno));
    CHECK(bind(srv, (struct sockaddr *)&a, sizeof a) == 0, "bind: %s", strerror(errno));
    struct stat st;
    CHECK(stat(SK_SERVER_PATH, &st) == 0 && S_ISSOCK(st.st_mode), "the name is a socket");
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(bind(other, (struct sockaddr *)&a, sizeof a) == -1 && errno == EADDRINUSE, "second bind: %s",
          strerror(errno));
    close(other);
    CHECK(listen(srv, 4) == 0, "listen: %s", strerror(errno));
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        char buf[16];
        if (connect(c, (struct sockaddr *)&a, sizeof a) != 0 || write(c, "ping", 4) != 4 ||
            read(c, buf, sizeof buf) != 4 || memcmp(buf, "pong", 4))
            _exit(1);
        struct sockaddr_un peer;
        socklen_t len = sizeof peer;
        _exit(getpeername(c, (struct sockaddr *)&peer, &len) == 0 && !strcmp(peer.sun_path, SK_SERVER_PATH) ? 0 : 2);
    }
    struct sockaddr_un from;
    socklen_t len = sizeof from;
    int conn = accept4(srv, (struct sockaddr *)&from, &len, SOCK_CLOEXEC);
    CHECK(conn >= 0, "accept4: %s", strerror(errno));
    CHECK(len == sizeof(sa_family_t) && from.sun_family == AF_UNIX, "an unnamed client's address: len %u", len);
    CHECK(fcntl(conn, F_GETFD) == FD_CLOEXEC, "SOCK_CLOEXEC");
    char buf[16];
    CHECK(read(conn, buf, sizeof buf) == 4 && !memcmp(buf, "ping", 4) && write(conn, "pong", 4) == 4, "exchange");
    SK_REAP(pid);
    len = sizeof from;
    CHECK(getsockname(conn, (struct sockaddr *)&from, &len) == 0 && !strcmp(from.sun_path, SK_SERVER_PATH),
          "getsockname of an accepted socket");
    close(conn);
    close(srv);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(connect(c, (struct sockaddr *)&a, sizeof a) == -1 && errno == ECONNREFUSED, "a closed server: %s",
          strerror(errno));
    close(c);
    unlink(SK_SERVER_PATH);
    return 1;
}

/* What connect finds at a name: nothing (ENOENT), a plain file (ECONNREFUSED), a socket of another type. */
static int sk_connect_errors(void)
{
    int fd = open(SK_FILE_PATH, O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0, "open");
    close(fd);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un missing = sk_addr(SK_MISSING), file = sk_addr(SK_FILE_PATH);
    CHECK(connect(c, (struct sockaddr *)&missing, sizeof missing) == -1 && errno == ENOENT, "missing: %s",
          strerror(errno));
    CHECK(connect(c, (struct sockaddr *)&file, sizeof file) == -1 && errno == ECONNREFUSED, "a file: %s",
          strerror(errno));
    unlink(SK_DGRAM_A);
    struct sockaddr_un d = sk_addr(SK_DGRAM_A);
    int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK(bind(dg, (struct sockaddr *)&d, sizeof d) == 0, "bind");
    CHECK(connect(c, (struct sockaddr *)&d, sizeof d) == -1 && errno == EPROTOTYPE, "a datagram socket: %s",
          strerror(errno));
    char buf[4];
    CHECK(read(c, buf, sizeof buf) == -1 && errno == EINVAL, "read of an unconnected stream: %s", strerror(errno));
    close(dg);
    close(c);
    unlink(SK_DGRAM_A);
    unlink(SK_FILE_PATH);
    return 1;
}

/* Named datagram sockets: sendto by name, recvfrom says who sent; connect fixes the receiver. */
static int sk_named_dgram(void)
{
    unlink(SK_DGRAM_A);
    unlink(SK_DGRAM_B);
    struct sockaddr_un a = sk_addr(SK_DGRAM_A), b = sk_addr(SK_DGRAM_B), from;
    int sa = socket(AF_UNIX, SOCK_DGRAM, 0), sb = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK(bind(sa, (struct sockaddr *)&a, sizeof a) == 0 && bind(sb, (struct sockaddr *)&b, sizeof b) == 0, "bind");
    CHECK(sendto(sa, "to b", 4, 0, (struct sockaddr *)&b, sizeof b) == 4, "sendto: %s", strerror(errno));
    char buf[16];
    socklen_t len = sizeof from;
    CHECK(recvfrom(sb, buf, sizeof buf, 0, (struct sockaddr *)&from, &len) == 4 && !strcmp(from.sun_path, SK_DGRAM_A),
          "recvfrom: from %s", from.sun_path);
    CHECK(connect(sb, (struct sockaddr *)&a, sizeof a) == 0 && send(sb, "to a", 4, 0) == 4 &&
          recv(sa, buf, sizeof buf, 0) == 4 && !memcmp(buf, "to a", 4), "connected datagrams");
    close(sa);
    CHECK(send(sb, "x", 1, 0) == -1 && errno == ECONNREFUSED, "the receiver closed: %s", strerror(errno));
    close(sb);
    unlink(SK_DGRAM_A);
    unlink(SK_DGRAM_B);
    return 1;
}

/* A pipe's read end passed to another process: it reads what the sender writes after closing its copy. */
static int sk_pass_descriptor(void)
{
    int sv[2], p[2];
    SK_PAIR(SOCK_STREAM, sv);
    CHECK(pipe(p) == 0, "pipe");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        close(p[0]);
        close(p[1]);
        int fd, flags;
        char data[8];
        if (sk_recv_fd(sv[1], true, &fd, &flags) != 1 || fd < 0)
            _exit(1);
        _exit(read(fd, data, sizeof data) == 5 && !memcmp(data, "piped", 5) ? 0 : 2);
    }
    CHECK(sk_send_fd(sv[0], p[0]) == 1, "sendmsg: %s", strerror(errno));
    close(p[0]);
    CHECK(write(p[1], "piped", 5) == 5, "write");
    SK_REAP(pid);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
    return 1;
}

/* A descriptor sent to a receiver with no room for it is closed, and the receiver told (MSG_CTRUNC). */
static int sk_descriptor_no_room(void)
{
    int sv[2], p[2], fd, flags;
    SK_PAIR(SOCK_DGRAM, sv);
    CHECK(pipe(p) == 0, "pipe");
    CHECK(sk_send_fd(sv[0], p[0]) == 1, "sendmsg: %s", strerror(errno));
    close(p[0]);                        /* the message's is the last read end */
    CHECK(sk_recv_fd(sv[1], false, &fd, &flags) == 1 && (flags & MSG_CTRUNC) && fd < 0, "flags %#x", flags);
    struct sigaction ignore, old;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &old);
    ssize_t w = write(p[1], "x", 1);
    int err = errno;
    sigaction(SIGPIPE, &old, NULL);
    CHECK(w == -1 && err == EPIPE, "the passed read end was not closed: %s", strerror(err));
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
    return 1;
}

/* shutdown(SHUT_WR): the peer reads to end of file and can still answer. */
static int sk_shutdown(void)
{
    int sv[2];
    char buf[8];
    SK_PAIR(SOCK_STREAM, sv);
    CHECK(write(sv[0], "last", 4) == 4 && shutdown(sv[0], SHUT_WR) == 0, "shutdown: %s", strerror(errno));
    CHECK(read(sv[1], buf, sizeof buf) == 4 && read(sv[1], buf, sizeof buf) == 0, "end of file after the data");
    CHECK(send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE, "a write after SHUT_WR: %s", strerror(errno));
    CHECK(write(sv[1], "ok", 2) == 2 && read(sv[0], buf, sizeof buf) == 2, "the other direction");
    CHECK(shutdown(sv[0], 7) == -1 && errno == EINVAL, "shutdown(7)");
    close(sv[0]);
    close(sv[1]);
    int lone = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(shutdown(lone, SHUT_RDWR) == 0, "an unconnected socket (Linux accepts it): %s", strerror(errno));
    close(lone);
    return 1;
}

/* Non-blocking: EAGAIN on empty and on full; poll says which way is open. */
static int sk_nonblocking_and_poll(void)
{
    int sv[2];
    char chunk[SK_FILL_CHUNK];
    SK_PAIR(SOCK_STREAM | SOCK_NONBLOCK, sv);
    CHECK(recv(sv[1], chunk, 1, 0) == -1 && errno == EAGAIN, "an empty socket: %s", strerror(errno));
    struct pollfd p[2] = { { sv[0], POLLIN | POLLOUT, 0 }, { sv[1], POLLIN | POLLOUT, 0 } };
    CHECK(poll(p, 2, 0) == 2 && p[0].revents == POLLOUT && p[1].revents == POLLOUT, "idle: %#x %#x",
          p[0].revents, p[1].revents);
    memset(chunk, 'z', sizeof chunk);
    long sent = 0;
    while (sent < SK_FILL_MAX && send(sv[0], chunk, sizeof chunk, 0) > 0)
        sent += SK_FILL_CHUNK;
    CHECK(errno == EAGAIN && sent < SK_FILL_MAX, "filling: %s after %ld bytes", strerror(errno), sent);
    CHECK(poll(p, 2, 0) >= 1 && !(p[0].revents & POLLOUT) && (p[1].revents & POLLIN), "full: %#x %#x",
          p[0].revents, p[1].revents);
    while (recv(sv[1], chunk, sizeof chunk, 0) > 0)
        ;
    CHECK(poll(p, 1, 0) == 1 && (p[0].revents & POLLOUT), "drained: %#x", p[0].revents);
    int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    unlink(SK_SERVER_PATH);
    struct sockaddr_un a = sk_addr(SK_SERVER_PATH);
    CHECK(bind(srv, (struct sockaddr *)&a, sizeof a) == 0 && listen(srv, 1) == 0, "listen");
    CHECK(accept(srv, NULL, NULL) == -1 && errno == EAGAIN, "accept with nobody: %s", strerror(errno));
    close(srv);
    unlink(SK_SERVER_PATH);
    close(sv[0]);
    close(sv[1]);
    return 1;
}

/* The options libcs ask about. */
static int sk_options(void)
{
    int sv[2], v = 0;
    socklen_t len = sizeof v;
    SK_PAIR(SOCK_DGRAM, sv);
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &len) == 0 && v == SOCK_DGRAM && len == sizeof v, "SO_TYPE");
    len = sizeof v;
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &v, &len) == 0 && v == 0, "SO_ERROR");
    len = sizeof v;
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, &len) == 0 && v > 0, "SO_RCVBUF");
    v = 1;
    CHECK(setsockopt(sv[0], SOL_SOCKET, SO_REUSEADDR, &v, sizeof v) == 0, "SO_REUSEADDR");
    struct ucred cred;
    len = sizeof cred;
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.pid == getpid(), "SO_PEERCRED: %d",
          (int)cred.pid);
    CHECK(getsockopt(sv[0], SOL_SOCKET, 12345, &v, &len) == -1 && errno == ENOPROTOOPT, "an unknown option");
    close(sv[0]);
    close(sv[1]);
    return 1;
}

/* Bad addresses, lengths, types and descriptors: error codes, nothing else. */
static int sk_hostile_arguments(void)
{
    int sv[2], pfd[2];
    SK_PAIR(SOCK_STREAM, sv);
    CHECK(pipe(pfd) == 0, "pipe");
    CHECK(socket(AF_UNIX, SK_UNSUPPORTED_TYPE, 0) == -1 && errno == ESOCKTNOSUPPORT, "SOCK_RDM: %s", strerror(errno));
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, (int *)SK_BAD_ADDR) == -1 && errno == EFAULT, "socketpair: %s",
          strerror(errno));
    struct sockaddr_un a = sk_addr("/tmp/x");
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK(bind(s, (struct sockaddr *)&a, 1) == -1 && errno == EINVAL, "a length of 1: %s", strerror(errno));
    CHECK(bind(s, (struct sockaddr *)&a, sizeof a + 1) == -1 && errno == EINVAL, "too long: %s", strerror(errno));
    CHECK(bind(s, (struct sockaddr *)SK_BAD_ADDR, sizeof a) == -1 && errno == EFAULT, "a bad address: %s",
          strerror(errno));
    CHECK(bind(pfd[0], (struct sockaddr *)&a, sizeof a) == -1 && errno == ENOTSOCK, "a pipe: %s", strerror(errno));
    CHECK(sendmsg(sv[0], (struct msghdr *)SK_BAD_ADDR, 0) == -1 && errno == EFAULT, "sendmsg: %s", strerror(errno));
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iovlen = 1 << 20;
    CHECK(sendmsg(sv[0], &m, 0) == -1 && errno == EMSGSIZE, "a huge iovlen: %s", strerror(errno));
    CHECK(sk_send_fd(sv[0], 999) == -1 && errno == EBADF, "a bad descriptor to pass: %s", strerror(errno));
    struct cmsghdr long_record = { (size_t)1 << 30, SOL_SOCKET, SCM_RIGHTS };
    struct iovec v = { "x", 1 };
    m.msg_iov = &v;
    m.msg_iovlen = 1;
    m.msg_control = &long_record;
    m.msg_controllen = sizeof long_record;
    CHECK(sendmsg(sv[0], &m, 0) == -1 && errno == EINVAL, "a control record longer than its buffer: %s",
          strerror(errno));
    close(s);
    close(pfd[0]);
    close(pfd[1]);
    close(sv[0]);
    close(sv[1]);
    return 1;
}

#endif
