/*
 * Unix domain sockets on the Linux host: the cases of
 * tests/user/socket_cases.h with our libc on Linux's kernel, the reference
 * our kernel (tests/user/test_socket.c) must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/socket_cases.h"

int main(void)
{
    RUN(sk_stream_pair);
    RUN(sk_eof_and_epipe);
    RUN(sk_reset_on_lost_data);
    RUN(sk_dgram_boundaries);
    RUN(sk_named_stream);
    RUN(sk_connect_errors);
    RUN(sk_named_dgram);
    RUN(sk_pass_descriptor);
    RUN(sk_descriptor_no_room);
    RUN(sk_shutdown);
    RUN(sk_nonblocking_and_poll);
    RUN(sk_options);
    RUN(sk_hostile_arguments);
    return failures != 0;
}
