/* poll and ppoll: wait until one of several descriptors is ready (Linux's ABI). */
#ifndef _POLL_H
#define _POLL_H

#include <bits/types.h>
#include <signal.h>
#include <time.h>
#include <abi/poll.h>       /* POLL* and struct pollfd, shared with the kernel */

typedef unsigned long nfds_t;

/* timeout in ms: negative waits for ever, 0 returns at once.  How many descriptors have events, or -1. */
int poll(struct pollfd *fds, nfds_t nfds, int timeout);

/* The same with a timespec (NULL: for ever) and, if mask is not NULL, that signal mask while it waits. */
int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *mask);

#endif
