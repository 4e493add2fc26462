/*
 * Unix domain sockets (issue 12): the cases of socket_cases.h, which pass
 * on the Linux host too, and what is our kernel's own: a stream ping-pong
 * between processes on two CPUs, a backlog that makes connect wait,
 * descriptors in flight when their receiver closes, a Unix socket refused
 * as SCM_RIGHTS cargo, a sibling thread closing a socket under a blocked
 * recv, and every page, heap byte and file back at the end.
 */
#include <pthread.h>
#include "utest.h"
#include "socket_cases.h"

#define PING_PONG_ROUNDS    2000
#define BACKLOG             2
#define BACKLOG_CLIENTS     6
#define NAP_NS              50000000L

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(sk_stream_pair)
SHARED(sk_eof_and_epipe)
SHARED(sk_reset_on_lost_data)
SHARED(sk_dgram_boundaries)
SHARED(sk_named_stream)
SHARED(sk_connect_errors)
SHARED(sk_named_dgram)
SHARED(sk_pass_descriptor)
SHARED(sk_descriptor_no_room)
SHARED(sk_shutdown)
SHARED(sk_nonblocking_and_poll)
SHARED(sk_options)
SHARED(sk_hostile_arguments)

static void nap(void)
{
    struct timespec t = { 0, NAP_NS };
    nanosleep(&t, NULL);
}

/* Two processes on two CPUs bounce a byte through a stream pair: nothing lost, nothing stuck. */
static void ping_pong_two_cpus(void)
{
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        utest_pin_to_cpu((int)sysconf(_SC_NPROCESSORS_ONLN) - 1);
        char c;
        for (int i = 0; i < PING_PONG_ROUNDS; i++)
            if (read(sv[1], &c, 1) != 1 || write(sv[1], &c, 1) != 1)
                _exit(1);
        _exit(0);
    }
    utest_pin_to_cpu(0);
    for (int i = 0; i < PING_PONG_ROUNDS; i++) {
        char c = (char)i;
        CHECK(write(sv[0], &c, 1) == 1 && read(sv[0], &c, 1) == 1 && c == (char)i, "round %d", i);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the partner");
}

/* More clients than the backlog: the extra connects wait until accept makes room, none is lost. */
static void backlog_makes_connect_wait(void)
{
    unlink(SK_SERVER_PATH);
    struct sockaddr_un a = sk_addr(SK_SERVER_PATH);
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(bind(srv, (struct sockaddr *)&a, sizeof a) == 0 && listen(srv, BACKLOG) == 0, "listen");
    pid_t pids[BACKLOG_CLIENTS];
    for (int i = 0; i < BACKLOG_CLIENTS; i++) {
        pids[i] = fork();
        CHECK(pids[i] >= 0, "fork");
        if (pids[i] == 0) {
            int c = socket(AF_UNIX, SOCK_STREAM, 0);
            char id = (char)i;
            _exit(connect(c, (struct sockaddr *)&a, sizeof a) == 0 && write(c, &id, 1) == 1 ? 0 : 1);
        }
    }
    nap();                              /* the clients past the backlog are asleep in connect */
    int seen = 0;
    for (int i = 0; i < BACKLOG_CLIENTS; i++) {
        int conn = accept(srv, NULL, NULL);
        char id;
        CHECK(conn >= 0 && read(conn, &id, 1) == 1 && id >= 0 && id < BACKLOG_CLIENTS, "connection %d", i);
        seen |= 1 << id;
        close(conn);
    }
    CHECK(seen == (1 << BACKLOG_CLIENTS) - 1, "clients seen: %#x", seen);
    for (int i = 0; i < BACKLOG_CLIENTS; i++) {
        int status;
        CHECK(waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "client %d", i);
    }
    close(srv);
    unlink(SK_SERVER_PATH);
}

/*
 * Descriptors in flight (sent, not yet received) when the receiving socket
 * closes: the files go with it (the leak check at the end counts them), and
 * a pipe whose only read end was in flight then has no reader.  A Unix
 * socket as cargo is refused: it could make a cycle nothing would free.
 */
static void files_in_flight_go_with_the_socket(void)
{
    int sv[2], p[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0 && pipe(p) == 0, "socketpair, pipe");
    CHECK(sk_send_fd(sv[0], p[0]) == 1, "sendmsg: %s", strerror(errno));
    close(p[0]);
    CHECK(sk_send_fd(sv[0], sv[1]) == -1 && errno == EINVAL, "a Unix socket as cargo: %s", strerror(errno));
    close(sv[1]);                       /* the receiver, with the read end in its queue */
    signal(SIGPIPE, SIG_IGN);
    CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE, "the read end in flight survived: %s", strerror(errno));
    close(p[1]);
    close(sv[0]);
}

static int blocked_fd;

static void *close_after_nap(void *arg)
{
    (void)arg;
    nap();
    close(blocked_fd);
    return NULL;
}

/* A sibling closes the socket a thread is blocked reading: the read keeps its file, the peer's data still comes. */
static void sibling_closes_under_recv(void)
{
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
    blocked_fd = sv[0];
    pthread_t t;
    CHECK(pthread_create(&t, NULL, close_after_nap, NULL) == 0, "pthread_create");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        nap();
        nap();
        _exit(write(sv[1], "late", 4) == 4 ? 0 : 1);
    }
    char buf[8];
    ssize_t r = recv(sv[0], buf, sizeof buf, 0);
    pthread_join(t, NULL);
    CHECK(r == 4 && !memcmp(buf, "late", 4), "recv: %zd (%s)", r, strerror(errno));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the writer");
    close(sv[1]);
}

static void warm_up(void)
{
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "socketpair");
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    printf("test_socket: Unix domain sockets, stream and datagram, named and paired, descriptors passed\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN_SHARED(sk_stream_pair);
    RUN_SHARED(sk_eof_and_epipe);
    RUN_SHARED(sk_reset_on_lost_data);
    RUN_SHARED(sk_dgram_boundaries);
    RUN_SHARED(sk_named_stream);
    RUN_SHARED(sk_connect_errors);
    RUN_SHARED(sk_named_dgram);
    RUN_SHARED(sk_pass_descriptor);
    RUN_SHARED(sk_descriptor_no_room);
    RUN_SHARED(sk_shutdown);
    RUN_SHARED(sk_nonblocking_and_poll);
    RUN_SHARED(sk_options);
    RUN_SHARED(sk_hostile_arguments);
    RUN(ping_pong_two_cpus);
    RUN(backlog_makes_connect_wait);
    RUN(files_in_flight_go_with_the_socket);
    RUN(sibling_closes_under_recv);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
