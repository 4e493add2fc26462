/* ioctl and the terminal requests libc uses (Linux's numbers). */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#include <abi/ioctl.h>      /* TCGETS, TIOCGWINSZ ..., shared with the kernel */

struct winsize {
    unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

int ioctl(int fd, unsigned long request, ...);

#endif
