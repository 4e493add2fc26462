/* select and pselect: poll's older interface, with bit sets of descriptors (Linux's ABI). */
#ifndef _SYS_SELECT_H
#define _SYS_SELECT_H

#include <bits/types.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>

#define FD_SETSIZE      1024
#define __FD_WORD_BITS  (8 * (int)sizeof(unsigned long))

typedef struct {
    unsigned long fds_bits[FD_SETSIZE / (8 * sizeof(unsigned long))];
} fd_set;

#define FD_ZERO(set)    __builtin_memset((set), 0, sizeof(fd_set))
#define FD_SET(fd, set) ((set)->fds_bits[(fd) / __FD_WORD_BITS] |= 1ul << ((fd) % __FD_WORD_BITS))
#define FD_CLR(fd, set) ((set)->fds_bits[(fd) / __FD_WORD_BITS] &= ~(1ul << ((fd) % __FD_WORD_BITS)))
#define FD_ISSET(fd, set) (((set)->fds_bits[(fd) / __FD_WORD_BITS] >> ((fd) % __FD_WORD_BITS)) & 1)

/*
 * Wait until a descriptor of the first nfds in readfds is readable, in
 * writefds writable, in exceptfds has an exception; the sets keep only
 * those.  How many bits are left set, 0 on timeout (NULL: for ever), or -1.
 * As Linux, select writes the time left back into timeout.
 */
int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout);

/* The same with a timespec left untouched and, if mask is not NULL, that signal mask while it waits. */
int pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const struct timespec *timeout,
            const sigset_t *mask);

#endif
