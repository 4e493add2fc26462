/* ioctl and the terminal requests libc uses (Linux's numbers). */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#include <abi/ioctl.h>      /* TCGETS, TIOCGWINSZ ..., struct winsize: shared with the kernel */

int ioctl(int fd, unsigned long request, ...);

#endif
