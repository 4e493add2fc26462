/*
 * ioctl request numbers for terminals and descriptors: Linux x86_64's
 * values (design contract 6), shared by the kernel and libc.
 */
#ifndef ABI_IOCTL_H
#define ABI_IOCTL_H

#define TCGETS     0x5401   /* read the terminal's struct termios */
#define TCSETS     0x5402   /* set it now */
#define TCSETSW    0x5403   /* set it once the output has drained */
#define TCSETSF    0x5404   /* set it after draining output and discarding input */
#define TCSBRK     0x5409   /* send a break; with a non-zero argument only drain (tcdrain) */
#define TCXONC     0x540A   /* suspend or restart output or input (tcflow) */
#define TCFLSH     0x540B   /* discard input or output not yet taken (tcflush) */
#define TIOCSCTTY  0x540E   /* make the terminal the caller's session's controlling terminal */
#define TIOCGPGRP  0x540F   /* the terminal's foreground process group */
#define TIOCSPGRP  0x5410   /* set the foreground process group */
#define TIOCSTI     0x5412      /* push one byte into the terminal's input, as if typed */
#define TIOCGWINSZ 0x5413   /* read the terminal's size (struct winsize) */
#define TIOCSWINSZ 0x5414   /* set the terminal's size */
#define FIONREAD   0x541B   /* bytes ready to read */
#define TIOCNOTTY  0x5422   /* give up the controlling terminal */
#define TIOCGSID   0x5429   /* the session the terminal controls */
#define FIONBIO    0x5421   /* set or clear O_NONBLOCK */
#define FIOCLEX    0x5451   /* set FD_CLOEXEC */
#define FIONCLEX   0x5450   /* clear FD_CLOEXEC */

/* The terminal's size: TIOCGWINSZ and TIOCSWINSZ. */
struct winsize {
    unsigned short ws_row, ws_col;
    unsigned short ws_xpixel, ws_ypixel;
};

#endif
