/*
 * The terminal's settings: struct termios as musl and glibc lay it out
 * (the kernel's 36 bytes, then more control characters and two speeds
 * that Linux's TCGETS leaves alone), the flags and c_cc indices (Linux's,
 * from abi/termios.h, shared with the kernel), and the POSIX functions.
 */
#ifndef _TERMIOS_H
#define _TERMIOS_H

#include <bits/types.h>
#include <abi/termios.h>

#define NCCS 32

typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned int tcflag_t;

struct termios {
    tcflag_t c_iflag;
    tcflag_t c_oflag;
    tcflag_t c_cflag;
    tcflag_t c_lflag;
    cc_t c_line;
    cc_t c_cc[NCCS];
    speed_t __c_ispeed;
    speed_t __c_ospeed;
};

int tcgetattr(int fd, struct termios *t);
int tcsetattr(int fd, int when, const struct termios *t);   /* when: TCSANOW, TCSADRAIN, TCSAFLUSH */
void cfmakeraw(struct termios *t);
speed_t cfgetospeed(const struct termios *t);
speed_t cfgetispeed(const struct termios *t);
int cfsetospeed(struct termios *t, speed_t speed);
int cfsetispeed(struct termios *t, speed_t speed);
int cfsetspeed(struct termios *t, speed_t speed);
int tcdrain(int fd);
int tcflush(int fd, int queue);         /* TCIFLUSH, TCOFLUSH, TCIOFLUSH */
int tcflow(int fd, int action);         /* TCOOFF, TCOON, TCIOFF, TCION */
int tcsendbreak(int fd, int duration);
pid_t tcgetsid(int fd);

#endif
