/*
 * The console as a terminal, like a Linux tty with its n_tty line
 * discipline, as far as a serial console needs: the settings of struct
 * termios (TCGETS, TCSETS), canonical input (a line at a time, with erase,
 * kill and end-of-file) or non-canonical input (bytes as they come, with
 * VMIN and VTIME), echo, the signal characters (^C, ^\, ^Z) for the
 * foreground process group, CR/NL mapping both ways, the window size,
 * and the controlling terminal's session and foreground group, which the
 * job-control rules of reads and writes use (kernel/jobctl.c).
 *
 * The serial interrupt (or TIOCSTI) feeds tty_input().  In canonical mode
 * a line is edited in line[] and moves to the ring once complete; in
 * non-canonical mode every byte goes straight to the ring.  Readers take
 * from the ring.
 *
 * Locking: tty_lock guards everything tagged [l]; it is taken in the
 * serial interrupt, and a holder signals processes (proc_tree_lock,
 * a higher rank) only after letting go, so the interrupt never waits on
 * a process lock.  Reads copy to user memory under it (vm: a higher rank).
 */
#include <abi/ioctl.h>
#include <abi/signal.h>
#include <abi/termios.h>
#include <arch/console.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/jobctl.h>
#include <kernel/poll.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <kernel/vm.h>
#include <lib/string.h>

#define TTY_LINE_MAX    1024    /* a line longer than this is cut */
#define TTY_RING_SIZE   4096    /* input waiting for readers */
#define WRITE_CHUNK     256     /* bytes copied from user space per console write */
#define INIT_SESSION    1       /* process 1's session: the console is its controlling terminal from boot */
#define DEFAULT_ROWS    24      /* the window size until TIOCSWINSZ says otherwise: a VT100's */
#define DEFAULT_COLS    80
#define VTIME_NS        (100 * NSEC_PER_MSEC)   /* VTIME counts tenths of a second */
#define CTRL(c)         ((c) & 0x1f)
#define CHAR_DEL        0x7f
#define CTRL_ECHO_OFFSET 0x40   /* ECHOCTL shows byte c as '^' and c + 0x40: ^C for 3 */

/* Linux's defaults (tty_std_termios): a cooked, echoing terminal whose ^C, ^\ and ^Z signal. */
static const struct kernel_termios default_termios = {
    .c_iflag = ICRNL | IXON,
    .c_oflag = OPOST | ONLCR,
    .c_cflag = B38400 | CS8 | CREAD | HUPCL,
    .c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    .c_cc = {
        [VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = CHAR_DEL, [VKILL] = CTRL('U'),
        [VEOF] = CTRL('D'), [VTIME] = 0, [VMIN] = 1, [VSTART] = CTRL('Q'), [VSTOP] = CTRL('S'),
        [VSUSP] = CTRL('Z'), [VREPRINT] = CTRL('R'), [VDISCARD] = CTRL('O'),
        [VWERASE] = CTRL('W'), [VLNEXT] = CTRL('V'),
    },
};

static struct spinlock tty_lock = SPINLOCK_INIT("tty", LOCK_RANK_TTY);
static struct kernel_termios termios = default_termios;    /* [l] */
static struct winsize winsize = { DEFAULT_ROWS, DEFAULT_COLS, 0, 0 };  /* [l] */
static char line[TTY_LINE_MAX];         /* [l] canonical mode: the line being edited */
static size_t line_len;                 /* [l] */
static char ring[TTY_RING_SIZE];        /* [l] input readers may take */
static size_t ring_head, ring_count;    /* [l] */
static int eofs_pending;                /* [l] Ctrl-D on an empty line: reads of 0 owed */
static struct wait_queue readers = WAIT_QUEUE_INIT(readers);
static struct poll_head polls = { LIST_INIT(polls.watches) };   /* [l] poll calls watching input */
static int session = INIT_SESSION;      /* [l] the session it is the controlling terminal of, 0: none */
static int foreground = INIT_SESSION;   /* [l] the process group ^C, ^\ and ^Z signal (process 1's) */

static bool lflag(uint32_t f) { return (termios.c_lflag & f) != 0; }

/* Is c the control character at index i (a c_cc entry of 0 is none)? */
static bool is_cc(char c, int i)
{
    return termios.c_cc[i] != _POSIX_VDISABLE && (unsigned char)c == termios.c_cc[i];
}

/* Echo c as the settings say: control characters as ^X with ECHOCTL (but tab and newline). */
static void echo_char(char c)
{
    if (lflag(ECHOCTL) && ((unsigned char)c < ' ' || c == CHAR_DEL) && c != '\t' && c != '\n') {
        char shown[2] = { '^', (char)((c + CTRL_ECHO_OFFSET) & 0x7f) };
        console_write(shown, sizeof shown);
    } else {
        console_write(&c, 1);
    }
}

/* Input readers may take: wake them and the polls. */
static void input_ready(void)
{
    wake_all(&readers);
    poll_notify(&polls);
}

static void ring_put(const char *s, size_t n)
{
    for (size_t i = 0; i < n && ring_count < TTY_RING_SIZE; i++, ring_count++)
        ring[(ring_head + ring_count) % TTY_RING_SIZE] = s[i];
}

static void commit_line(void)
{
    ring_put(line, line_len);
    line_len = 0;
    input_ready();
}

/* Discard all input not yet read: the line being typed and the ring. */
static void flush_input(void)
{
    line_len = 0;
    ring_head = ring_count = 0;
    eofs_pending = 0;
}

static void erase_chars(size_t n)
{
    for (; n && line_len; n--, line_len--)
        if (lflag(ECHO) && lflag(ECHOE))
            console_write("\b \b", 3);
}

/* The signal a character sends to the foreground group with ISIG, or 0. */
static int signal_char(char c)
{
    if (!lflag(ISIG))
        return 0;
    return is_cc(c, VINTR) ? SIGINT : is_cc(c, VQUIT) ? SIGQUIT : is_cc(c, VSUSP) ? SIGTSTP : 0;
}

/* Canonical mode: edit the line; a newline, VEOL or VEOF makes it readable. */
static void canonical_input(char c)
{
    if (is_cc(c, VERASE) || c == '\b') {       /* backspace too, whatever VERASE is: what users type */
        erase_chars(1);
    } else if (is_cc(c, VKILL)) {
        erase_chars(line_len);
        if (lflag(ECHO) && lflag(ECHOK) && !lflag(ECHOE))
            console_write("\n", 1);
    } else if (is_cc(c, VEOF)) {
        if (line_len == 0)
            eofs_pending++;
        commit_line();
    } else if (line_len < TTY_LINE_MAX) {
        bool end = c == '\n' || is_cc(c, VEOL) || is_cc(c, VEOL2);
        line[line_len++] = c;
        if (lflag(ECHO) || (c == '\n' && lflag(ECHONL)))
            echo_char(c);
        if (end || line_len == TTY_LINE_MAX)
            commit_line();
    }
}

/* Non-canonical mode: every byte is input at once. */
static void raw_input(char c)
{
    ring_put(&c, 1);
    if (lflag(ECHO) || (c == '\n' && lflag(ECHONL)))
        echo_char(c);
    input_ready();
}

/* One byte from the serial line (interrupt context) or from TIOCSTI. */
static void tty_input(char c)
{
    spin_lock(&tty_lock);
    uint32_t iflag = termios.c_iflag;
    if (iflag & ISTRIP)
        c &= 0x7f;
    if (c == '\r' && (iflag & IGNCR)) {
        spin_unlock(&tty_lock);
        return;
    }
    if (c == '\r' && (iflag & ICRNL))
        c = '\n';
    else if (c == '\n' && (iflag & INLCR))
        c = '\r';
    int sig = signal_char(c);
    if (sig) {
        if (lflag(ECHO)) {
            echo_char(c);
            console_write("\n", 1);
        }
        if (!lflag(NOFLSH))
            flush_input();      /* typed-ahead input goes, as a Linux tty does */
        int group = foreground;
        spin_unlock(&tty_lock);
        if (group > 0)
            proc_kill_group(group, sig, SIG_FROM_KERNEL);
        return;
    }
    if (lflag(ICANON))
        canonical_input(c);
    else
        raw_input(c);
    spin_unlock(&tty_lock);
}

/* The bytes a read may take now: up to n, in canonical mode no further than the first newline. */
static size_t readable(size_t n)
{
    size_t take = 0;
    while (take < n && take < ring_count) {
        char c = ring[(ring_head + take++) % TTY_RING_SIZE];
        if (lflag(ICANON) && (c == '\n' || is_cc(c, VEOL) || is_cc(c, VEOL2)))
            break;
    }
    return take;
}

/* Move up to take bytes from the ring to u: the bytes moved, or -EFAULT if none could be. tty_lock held. */
static long take_input(struct uio *u, size_t take)
{
    char out[TTY_LINE_MAX];
    if (take == 0)
        return 0;
    if (take > sizeof out)
        take = sizeof out;
    for (size_t i = 0; i < take; i++)
        out[i] = ring[(ring_head + i) % TTY_RING_SIZE];
    size_t copied = uio_copy_out(u, out, take);
    ring_head = (ring_head + copied) % TTY_RING_SIZE;      /* the rest stays for the next read */
    ring_count -= copied;
    return copied ? (long)copied : -EFAULT;
}

/* Canonical read: one line (or what fits), or 0 for an end of file.  tty_lock held. */
static long read_line(struct file *f, struct uio *u)
{
    while (ring_count == 0 && eofs_pending == 0) {
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (sleep_on(&readers, &tty_lock, "tty") != 0)
            return -EINTR;
    }
    size_t take = readable(u->left);
    if (take == 0 && u->left > 0) {
        eofs_pending--;
        return 0;
    }
    return take_input(u, take);
}

/*
 * Non-canonical read, POSIX's four cases of VMIN and VTIME: MIN 0 TIME 0
 * returns what is there at once; MIN 0 TIME t waits up to t for a byte;
 * MIN m TIME 0 waits for m bytes (or as many as asked); MIN m TIME t also
 * returns once t passes between two bytes, after the first.  tty_lock held.
 */
static long read_raw(struct file *f, struct uio *u)
{
    if (u->left == 0)
        return 0;
    size_t want = termios.c_cc[VMIN] < u->left ? termios.c_cc[VMIN] : u->left;
    uint64_t gap = termios.c_cc[VTIME] * VTIME_NS;
    uint64_t deadline = want == 0 && gap ? deadline_after_ns(gap) : 0;
    long done = 0;
    for (;;) {
        long got = take_input(u, readable(u->left));
        if (got < 0)
            return done ? done : got;
        done += got;
        if ((size_t)done >= want && (done > 0 || want > 0 || !gap))
            return done;        /* MIN reached; with MIN 0, a byte or no timer */
        if (f->flags & O_NONBLOCK)
            return done ? done : -EAGAIN;
        if (got > 0 && gap)
            deadline = deadline_after_ns(gap);      /* the timer between bytes starts again */
        int err = sleep_on_until(&readers, &tty_lock, "tty", done || !want ? deadline : 0);
        if (err == -ETIMEDOUT)
            return done;
        if (err)
            return done ? done : -EINTR;
    }
}

/* The session and foreground group, for the job-control rule (jobctl_tty_access). */
static long tty_access(int sig)
{
    spin_lock(&tty_lock);
    int s = session, fg = foreground;
    spin_unlock(&tty_lock);
    return jobctl_tty_access(s, fg, sig);
}

static long tty_read(struct file *f, struct uio *u)
{
    long err = tty_access(SIGTTIN);
    if (err)
        return err;
    spin_lock(&tty_lock);
    long result = lflag(ICANON) ? read_line(f, u) : read_raw(f, u);
    spin_unlock(&tty_lock);
    return result;
}

/* Write one chunk as the output settings say: OPOST with ONLCR turns NL into CR NL. */
static void output(const char *s, size_t n)
{
    spin_lock(&tty_lock);
    bool crlf = (termios.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR);
    spin_unlock(&tty_lock);
    if (crlf)
        console_write(s, n);
    else
        console_write_raw(s, n);
}

/*
 * Write to the console a chunk at a time.  The console is slow (a serial
 * line: megabytes take seconds), so between chunks the writer gives up the
 * CPU when its time slice is over, and stops for a signal to handle or a
 * kill, as Linux's tty: the bytes written so far, or -EINTR if none.
 * With TOSTOP, a background process is stopped first (SIGTTOU).
 */
static long tty_write(struct file *f, struct uio *u)
{
    (void)f;
    spin_lock(&tty_lock);
    bool tostop = lflag(TOSTOP);
    spin_unlock(&tty_lock);
    long err = tostop ? tty_access(SIGTTOU) : 0;
    if (err)
        return err;
    char chunk[WRITE_CHUNK];
    size_t done = 0;
    while (u->left > 0) {
        if (sched_interrupted())
            return done ? (long)done : -EINTR;
        size_t step = u->left < sizeof chunk ? u->left : sizeof chunk;
        if (uio_copy_in(u, chunk, step) < step)     /* a chunk goes out whole or not at all, */
            return done ? (long)done : -EFAULT;     /* as Linux's tty */
        output(chunk, step);
        done += step;
        sched_preempt_point();
    }
    return (long)done;
}

/* Input is ready when a line (canonical), a byte (not), or an end of file waits; output always is. */
static unsigned tty_poll(struct file *f, struct poll_table *pt)
{
    (void)f;
    spin_lock(&tty_lock);
    unsigned ready = POLLOUT | POLLWRNORM | (ring_count || eofs_pending ? POLLIN | POLLRDNORM : 0);
    poll_watch(pt, &polls, &tty_lock);
    spin_unlock(&tty_lock);
    return ready;
}

static const struct file_ops tty_ops = {
    .read = tty_read, .write = tty_write, .poll = tty_poll, .kind = FILE_TTY,
};

/* ---- ioctl ---- */

/* New settings (TCSETS, and TCSETSF which flushes input first).  Leaving canonical mode makes the partial line input. */
static void set_termios(const struct kernel_termios *t, bool flush)
{
    spin_lock(&tty_lock);
    if (flush)
        flush_input();
    bool was_canonical = lflag(ICANON);
    termios = *t;
    if (was_canonical && !lflag(ICANON) && line_len)
        commit_line();
    input_ready();              /* a reader's VMIN or mode may be met now */
    spin_unlock(&tty_lock);
}

/* TIOCSWINSZ: the new size; SIGWINCH to the foreground group when it changed. */
static void set_winsize(const struct winsize *ws)
{
    spin_lock(&tty_lock);
    bool changed = memcmp(ws, &winsize, sizeof winsize) != 0;
    winsize = *ws;
    int group = foreground;
    spin_unlock(&tty_lock);
    if (changed && group > 0)
        proc_kill_group(group, SIGWINCH, SIG_FROM_KERNEL);
}

/* Is the terminal the caller's controlling terminal (the session's)? */
static bool is_ctty(void)
{
    int sid = __atomic_load_n(&proc_current()->sid, __ATOMIC_RELAXED);    /* only its own setsid changes it */
    spin_lock(&tty_lock);
    bool mine = session && session == sid;
    spin_unlock(&tty_lock);
    return mine;
}

/*
 * TIOCSPGRP, as Linux: the caller's controlling terminal only (ENOTTY),
 * not from the background (SIGTTOU), a group of its own session (ESRCH
 * if there is no such group, EPERM if it is another session's).
 */
static long set_foreground(int pgid)
{
    if (!is_ctty())
        return -ENOTTY;
    long err = tty_access(SIGTTOU);
    if (err)
        return err;
    if (pgid < 0)
        return -EINVAL;
    int sid = proc_current()->sid;
    spin_lock(&tty_lock);
    proc_tree_lock_take();      /* nested in tty_lock (lock_order.h): the group cannot empty meanwhile */
    int group_sid = proc_group_session(pgid);
    if (group_sid == sid)
        foreground = pgid;
    proc_tree_lock_drop();
    spin_unlock(&tty_lock);
    return group_sid == sid ? 0 : group_sid < 0 ? -ESRCH : -EPERM;
}

/*
 * TIOCSCTTY: a session leader with no terminal makes this its session's,
 * with its group in the foreground; one that another session has is
 * taken only with steal (arg 1: every process here is root), as Linux.
 */
static long set_ctty(int steal)
{
    struct process *p = proc_current();
    proc_tree_lock_take();
    int sid = p->sid, pgid = p->pgid, pid = p->pid;
    proc_tree_lock_drop();
    if (pid != sid)
        return -EPERM;
    spin_lock(&tty_lock);
    long err = 0;
    if (session && session != sid && steal != 1)
        err = -EPERM;
    else if (session != sid) {
        session = sid;
        foreground = pgid;
    }
    spin_unlock(&tty_lock);
    return err;
}

/*
 * The session lets go of the terminal (its leader's TIOCNOTTY, or its
 * end): the foreground group is sent SIGHUP and SIGCONT, as Linux's
 * disassociate_ctty.  Nothing if sid does not hold it.
 */
void tty_session_gone(int sid)
{
    spin_lock(&tty_lock);
    int group = session == sid ? foreground : 0;
    if (session == sid)
        session = foreground = 0;
    spin_unlock(&tty_lock);
    if (group > 0) {
        proc_kill_group(group, SIGHUP, SIG_FROM_KERNEL);
        proc_kill_group(group, SIGCONT, SIG_FROM_KERNEL);
    }
}

/* TIOCNOTTY: only the session leader's lets go (the terminal is the session's, not each process's). */
static long give_up_ctty(void)
{
    struct process *p = proc_current();
    if (!is_ctty())
        return -ENOTTY;
    if (p->pid == p->sid)
        tty_session_gone(p->sid);
    return 0;
}

/* TCFLSH: discard unread input (TCIFLUSH, TCIOFLUSH); output is never queued. */
static long flush(uint64_t queue)
{
    if (queue > TCIOFLUSH)
        return -EINVAL;
    long err = tty_access(SIGTTOU);
    if (err)
        return err;
    spin_lock(&tty_lock);
    if (queue != TCOFLUSH)
        flush_input();
    spin_unlock(&tty_lock);
    return 0;
}

/* Copy the value of a getter's request to user memory: 0 or -EFAULT. */
static long put(uint64_t uarg, const void *value, size_t size)
{
    return copy_to_user(uarg, value, size) ? -EFAULT : 0;
}

/* The requests that change settings: TCSETS, TCSETSW (nothing to drain), TCSETSF, TIOCSWINSZ. */
static long set_request(uint64_t request, uint64_t uarg)
{
    struct kernel_termios t;
    struct winsize ws;
    if (request == TIOCSWINSZ) {
        if (copy_from_user(&ws, uarg, sizeof ws) != 0)
            return -EFAULT;
        set_winsize(&ws);
        return 0;
    }
    long err = tty_access(SIGTTOU);
    if (err)
        return err;
    if (copy_from_user(&t, uarg, sizeof t) != 0)
        return -EFAULT;
    set_termios(&t, request == TCSETSF);
    return 0;
}

/* The requests that read state: settings, size, bytes ready, foreground group, session. */
static long get_request(uint64_t request, uint64_t uarg)
{
    spin_lock(&tty_lock);
    struct kernel_termios t = termios;
    struct winsize ws = winsize;
    int32_t ready = (int32_t)ring_count, fg = foreground, sid = session;
    spin_unlock(&tty_lock);
    switch (request) {
    case TCGETS:     return put(uarg, &t, sizeof t);
    case TIOCGWINSZ: return put(uarg, &ws, sizeof ws);
    case FIONREAD:   return put(uarg, &ready, sizeof ready);
    case TIOCGPGRP:  return is_ctty() ? put(uarg, &fg, sizeof fg) : -ENOTTY;
    default:         return is_ctty() ? put(uarg, &sid, sizeof sid) : -ENOTTY;   /* TIOCGSID */
    }
}

long tty_ioctl(struct file *f, uint64_t request, uint64_t uarg)
{
    (void)f;
    int32_t pgid;
    char c;
    switch (request) {
    case TCGETS: case TIOCGWINSZ: case FIONREAD: case TIOCGPGRP: case TIOCGSID:
        return get_request(request, uarg);
    case TCSETS: case TCSETSW: case TCSETSF: case TIOCSWINSZ:
        return set_request(request, uarg);
    case TIOCSPGRP:
        if (copy_from_user(&pgid, uarg, sizeof pgid) != 0)
            return -EFAULT;
        return set_foreground(pgid);
    case TIOCSTI:
        if (copy_from_user(&c, uarg, sizeof c) != 0)
            return -EFAULT;
        tty_input(c);
        return 0;
    case TIOCSCTTY:  return set_ctty((int)uarg);
    case TIOCNOTTY:  return give_up_ctty();
    case TCFLSH:     return flush(uarg);
    case TCXONC:     return uarg <= TCION ? 0 : -EINVAL;   /* no flow control on this line: accepted */
    case TCSBRK:     return 0;                              /* writes are synchronous: drained already */
    default:         return -ENOTTY;
    }
}

struct file *tty_open(void)
{
    return file_alloc(&tty_ops, NULL, O_RDWR);
}

void tty_init(void)
{
    console_set_input_handler(tty_input);
}
