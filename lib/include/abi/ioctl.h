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
#define TIOCGPGRP  0x540F   /* the terminal's foreground process group */
#define TIOCSPGRP  0x5410   /* set the foreground process group */
#define TIOCSTI     0x5412      /* push one byte into the terminal's input, as if typed */
#define TIOCGWINSZ 0x5413   /* read the terminal's size (struct winsize) */
#define TIOCSWINSZ 0x5414   /* set the terminal's size */
#define FIONREAD   0x541B   /* bytes ready to read */
#define FIONBIO    0x5421   /* set or clear O_NONBLOCK */
#define FIOCLEX    0x5451   /* set FD_CLOEXEC */
#define FIONCLEX   0x5450   /* clear FD_CLOEXEC */

#endif
