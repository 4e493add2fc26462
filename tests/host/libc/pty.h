/* A pseudo-terminal pair on the Linux host, for the host tests that need a terminal (sh.c, jobctl.c). */
#ifndef TESTS_HOST_LIBC_PTY_H
#define TESTS_HOST_LIBC_PTY_H

#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define TIOCGPTN    0x80045430      /* Linux: the pty's number */
#define TIOCSPTLCK  0x40045431      /* Linux: (un)lock the pty's slave */

/* Open a pseudo-terminal pair; the slave's fd (-1 on failure), the master's in *master. */
static int pty_open(int *master)
{
    int unlock = 0, n;
    char path[32];
    *master = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    if (*master < 0 || ioctl(*master, TIOCSPTLCK, &unlock) < 0 || ioctl(*master, TIOCGPTN, &n) < 0)
        return -1;
    snprintf(path, sizeof path, "/dev/pts/%d", n);
    return open(path, O_RDWR | O_NOCTTY);
}

#endif
