/* poll's events and struct pollfd: Linux's (design contract 6). */
#ifndef ABI_POLL_H
#define ABI_POLL_H

#define POLLIN      0x001       /* there is data to read (or end of file) */
#define POLLPRI     0x002       /* urgent data */
#define POLLOUT     0x004       /* a write would not block */
#define POLLERR     0x008       /* an error (a pipe's write end with no reader); always reported */
#define POLLHUP     0x010       /* hung up (a pipe's read end with no writer); always reported */
#define POLLNVAL    0x020       /* the descriptor is not open; always reported */
#define POLLRDNORM  0x040
#define POLLRDBAND  0x080
#define POLLWRNORM  0x100
#define POLLWRBAND  0x200

struct pollfd {
    int fd;                     /* negative: ignored, revents 0 */
    short events;               /* asked */
    short revents;              /* found */
};

#endif
