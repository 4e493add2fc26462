/* ioctl and the terminal requests libc uses (Linux's numbers). */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#define TCGETS     0x5401       /* read the terminal's struct termios */
#define TIOCGWINSZ 0x5413       /* read the terminal's size */

struct winsize {
    unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

int ioctl(int fd, unsigned long request, ...);

#endif
