/* The terminal's settings (<termios.h>): ioctls on the terminal, as Linux's libcs make them. */
#include <errno.h>
#include <sys/ioctl.h>
#include <termios.h>
#include "../internal/syscall.h"

_Static_assert(sizeof(struct kernel_termios) == 36, "the kernel's struct termios");

/* TCGETS fills the kernel's 36 bytes, the start of struct termios; the rest stays as it was (as musl). */
int tcgetattr(int fd, struct termios *t)
{
    return (int)SYSCALL3(SYS_ioctl, fd, TCGETS, t);
}

int tcsetattr(int fd, int when, const struct termios *t)
{
    if (when < TCSANOW || when > TCSAFLUSH) {
        errno = EINVAL;
        return -1;
    }
    return (int)SYSCALL3(SYS_ioctl, fd, TCSETS + when, t);
}

/* Raw mode, as glibc's and musl's cfmakeraw: bytes as they come, no echo, no signals, no output changes. */
void cfmakeraw(struct termios *t)
{
    t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t->c_oflag &= ~(tcflag_t)OPOST;
    t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    t->c_cflag |= CS8;
    t->c_cc[VMIN] = 1;
    t->c_cc[VTIME] = 0;
}

/* The line speed lives in c_cflag's CBAUD bits, one for both directions (as Linux keeps it). */
speed_t cfgetospeed(const struct termios *t)
{
    return t->c_cflag & CBAUD;
}

speed_t cfgetispeed(const struct termios *t)
{
    return cfgetospeed(t);
}

int cfsetospeed(struct termios *t, speed_t speed)
{
    if (speed & ~(speed_t)CBAUD) {
        errno = EINVAL;
        return -1;
    }
    t->c_cflag = (t->c_cflag & ~(tcflag_t)CBAUD) | speed;
    return 0;
}

/* 0 means "the same as the output speed" (POSIX). */
int cfsetispeed(struct termios *t, speed_t speed)
{
    return speed ? cfsetospeed(t, speed) : 0;
}

int cfsetspeed(struct termios *t, speed_t speed)
{
    return cfsetospeed(t, speed);
}

/* TCSBRK with a non-zero argument only waits for the output to drain. */
int tcdrain(int fd)
{
    return (int)SYSCALL3(SYS_ioctl, fd, TCSBRK, 1);
}

int tcflush(int fd, int queue)
{
    return (int)SYSCALL3(SYS_ioctl, fd, TCFLSH, (long)queue);
}

int tcflow(int fd, int action)
{
    return (int)SYSCALL3(SYS_ioctl, fd, TCXONC, (long)action);
}

int tcsendbreak(int fd, int duration)
{
    (void)duration;             /* Linux ignores it too: a break of 0.25 s or so */
    return (int)SYSCALL3(SYS_ioctl, fd, TCSBRK, 0);
}

pid_t tcgetsid(int fd)
{
    int sid;
    return SYSCALL3(SYS_ioctl, fd, TIOCGSID, &sid) < 0 ? -1 : (pid_t)sid;
}
