/* poll, ppoll, select and pselect: the system calls (kernel/poll.c). */
#include <poll.h>
#include <sys/select.h>
#include "../internal/syscall.h"

#define SIGSET_BYTES    sizeof(sigset_t)        /* the kernel's mask size: 8 bytes */

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
    return (int)SYSCALL3(SYS_poll, fds, nfds, timeout);
}

int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *mask)
{
    struct timespec copy, *t = timeout ? &copy : NULL;  /* the kernel writes no time back here, but may */
    if (timeout)
        copy = *timeout;
    return (int)SYSCALL5(SYS_ppoll, fds, nfds, t, mask, SIGSET_BYTES);
}

int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout)
{
    return (int)SYSCALL5(SYS_select, nfds, readfds, writefds, exceptfds, timeout);
}

/* pselect6's sixth argument: the mask and its size, in one struct (Linux's ABI). */
struct mask_arg {
    const sigset_t *mask;
    unsigned long size;
};

int pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const struct timespec *timeout,
            const sigset_t *mask)
{
    struct timespec copy, *t = timeout ? &copy : NULL;  /* POSIX: pselect leaves the caller's untouched */
    if (timeout)
        copy = *timeout;
    struct mask_arg m = { mask, SIGSET_BYTES };
    return (int)SYSCALL6(SYS_pselect6, nfds, readfds, writefds, exceptfds, t, mask ? &m : NULL);
}
