/*
 * The terminal's settings as Linux x86_64's kernel takes them (TCGETS,
 * TCSETS: struct termios of 36 bytes), its flag values and c_cc indices,
 * (struct winsize is in abi/ioctl.h): design contract 6, shared by the
 * kernel (kernel/tty.c) and libc (<termios.h>, whose struct termios is
 * musl's and glibc's larger one: the kernel fills its first 36 bytes).
 */
#ifndef ABI_TERMIOS_H
#define ABI_TERMIOS_H

#include <stdint.h>

#define KERNEL_NCCS 19          /* control characters the kernel's struct has */

struct kernel_termios {
    uint32_t c_iflag;           /* input modes */
    uint32_t c_oflag;           /* output modes */
    uint32_t c_cflag;           /* control modes (line speed, character size) */
    uint32_t c_lflag;           /* local modes: canonical input, echo, signals */
    uint8_t c_line;             /* line discipline: 0, N_TTY */
    uint8_t c_cc[KERNEL_NCCS];  /* control characters, by the V* indices */
};

/* c_cc indices */
#define VINTR    0
#define VQUIT    1
#define VERASE   2
#define VKILL    3
#define VEOF     4
#define VTIME    5
#define VMIN     6
#define VSWTC    7
#define VSTART   8
#define VSTOP    9
#define VSUSP    10
#define VEOL     11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE  14
#define VLNEXT   15
#define VEOL2    16
#define _POSIX_VDISABLE 0       /* a c_cc entry of 0 is no character */

/* c_iflag */
#define IGNBRK  0000001
#define BRKINT  0000002
#define IGNPAR  0000004
#define PARMRK  0000010
#define INPCK   0000020
#define ISTRIP  0000040
#define INLCR   0000100
#define IGNCR   0000200
#define ICRNL   0000400
#define IUCLC   0001000
#define IXON    0002000
#define IXANY   0004000
#define IXOFF   0010000
#define IMAXBEL 0020000
#define IUTF8   0040000

/* c_oflag */
#define OPOST   0000001
#define OLCUC   0000002
#define ONLCR   0000004
#define OCRNL   0000010
#define ONOCR   0000020
#define ONLRET  0000040
#define OFILL   0000100
#define OFDEL   0000200

/* c_cflag */
#define CBAUD   0010017
#define B0      0000000
#define B9600   0000015
#define B19200  0000016
#define B38400  0000017
#define B57600  0010001
#define B115200 0010002
#define CSIZE   0000060
#define CS5     0000000
#define CS6     0000020
#define CS7     0000040
#define CS8     0000060
#define CSTOPB  0000100
#define CREAD   0000200
#define PARENB  0000400
#define PARODD  0001000
#define HUPCL   0002000
#define CLOCAL  0004000

/* c_lflag */
#define ISIG    0000001
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHONL  0000100
#define NOFLSH  0000200
#define TOSTOP  0000400
#define ECHOCTL 0001000
#define ECHOPRT 0002000
#define ECHOKE  0004000
#define FLUSHO  0010000
#define PENDIN  0040000
#define IEXTEN  0100000

/* TCFLSH's queue, TCXONC's action, tcsetattr's when (TCSETS + when) */
#define TCIFLUSH  0
#define TCOFLUSH  1
#define TCIOFLUSH 2
#define TCOOFF    0
#define TCOON     1
#define TCIOFF    2
#define TCION     3
#define TCSANOW   0
#define TCSADRAIN 1
#define TCSAFLUSH 2

#endif
