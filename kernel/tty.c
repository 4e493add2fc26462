/*
 * The console as a terminal, in canonical mode like a Linux tty: the
 * serial interrupt feeds tty_input(), which echoes, handles erase (DEL or
 * backspace), kill-line (Ctrl-U) and end-of-file (Ctrl-D), and hands
 * complete lines to readers.  A read returns at most one line.
 */
#include <arch/console.h>
#include <abi/signal.h>
#include <kernel/errno.h>
#include <kernel/proc.h>
#include <kernel/file.h>
#include <kernel/poll.h>
#include <kernel/sched.h>
#include <kernel/vm.h>

#define TTY_LINE_MAX    1024    /* a line longer than this is cut */
#define TTY_RING_SIZE   4096    /* completed input waiting for readers */
#define WRITE_CHUNK     256     /* bytes copied from user space per console write */
#define CHAR_INTR       0x03    /* Ctrl-C: SIGINT to the foreground group */
#define CHAR_QUIT       0x1c    /* Ctrl-\: SIGQUIT to the foreground group */
#define CHAR_EOF        0x04    /* Ctrl-D */
#define INIT_GROUP      1       /* the foreground group until someone sets one: process 1's */
#define CHAR_KILL       0x15    /* Ctrl-U */
#define CHAR_ERASE      0x7f    /* DEL, what terminals send for Backspace */
#define CHAR_BACKSPACE  '\b'

static struct spinlock tty_lock = SPINLOCK_INIT("tty", LOCK_RANK_TTY);
static char line[TTY_LINE_MAX];         /* [tty_lock] the line being edited */
static size_t line_len;                 /* [tty_lock] */
static char ring[TTY_RING_SIZE];        /* [tty_lock] completed input */
static size_t ring_head, ring_count;    /* [tty_lock] */
static int eofs_pending;                /* [tty_lock] Ctrl-D on an empty line: reads of 0 owed */
static struct wait_queue readers = WAIT_QUEUE_INIT(readers);
static struct poll_head polls = { LIST_INIT(polls.watches) };   /* [tty_lock] poll calls watching input */
static int foreground = INIT_GROUP;     /* [tty_lock] the process group ^C and ^\ signal */

static void commit_line(void)
{
    for (size_t i = 0; i < line_len && ring_count < TTY_RING_SIZE; i++, ring_count++)
        ring[(ring_head + ring_count) % TTY_RING_SIZE] = line[i];
    line_len = 0;
    wake_all(&readers);
    poll_notify(&polls);
}

static void erase_chars(size_t n)
{
    for (; n && line_len; n--, line_len--)
        console_write("\b \b", 3);
}

/* One byte from the serial line (interrupt context) or from TIOCSTI. */
void tty_input(char c)
{
    spin_lock(&tty_lock);
    if (c == '\r')
        c = '\n';
    if (c == CHAR_INTR || c == CHAR_QUIT) {
        console_write(c == CHAR_INTR ? "^C\n" : "^\\\n", 3);
        line_len = 0;           /* the line being typed is dropped, as a Linux tty does */
        int group = foreground;
        spin_unlock(&tty_lock);
        proc_kill_group(group, c == CHAR_INTR ? SIGINT : SIGQUIT, SIG_FROM_KERNEL);
        return;
    }
    if (c == CHAR_ERASE || c == CHAR_BACKSPACE) {
        erase_chars(1);
    } else if (c == CHAR_KILL) {
        erase_chars(line_len);
    } else if (c == CHAR_EOF) {
        if (line_len == 0)
            eofs_pending++;
        commit_line();
    } else if (line_len < TTY_LINE_MAX) {
        line[line_len++] = c;
        console_write(&c, 1);
        if (c == '\n' || line_len == TTY_LINE_MAX)
            commit_line();
    }
    spin_unlock(&tty_lock);
}

/* The bytes a read takes: up to n, and no further than the first newline. */
static size_t readable(size_t n)
{
    size_t take = 0;
    while (take < n && take < ring_count) {
        if (ring[(ring_head + take++) % TTY_RING_SIZE] == '\n')
            break;
    }
    return take;
}

static long tty_read(struct file *f, struct uio *u)
{
    size_t n = u->left;
    (void)f;
    spin_lock(&tty_lock);
    while (ring_count == 0 && eofs_pending == 0) {
        if (sleep_on(&readers, &tty_lock, "tty") != 0) {
            spin_unlock(&tty_lock);
            return -EINTR;
        }
    }
    long result = 0;
    size_t take = readable(n);
    if (take == 0 && n > 0) {
        eofs_pending--;
    } else {
        char out[TTY_LINE_MAX];
        if (take > sizeof out)
            take = sizeof out;
        for (size_t i = 0; i < take; i++)
            out[i] = ring[(ring_head + i) % TTY_RING_SIZE];
        size_t copied = uio_copy_out(u, out, take);
        ring_head = (ring_head + copied) % TTY_RING_SIZE;      /* the rest stays for the next read */
        ring_count -= copied;
        result = copied || take == 0 ? (long)copied : -EFAULT;
    }
    spin_unlock(&tty_lock);
    return result;
}

/*
 * Write to the console a chunk at a time.  The console is slow (a serial
 * line: megabytes take seconds), so between chunks the writer gives up the
 * CPU when its time slice is over, and stops for a signal to handle or a
 * kill, as Linux's tty: the bytes written so far, or -EINTR if none.
 */
static long tty_write(struct file *f, struct uio *u)
{
    (void)f;
    char chunk[WRITE_CHUNK];
    size_t done = 0;
    while (u->left > 0) {
        if (sched_interrupted())
            return done ? (long)done : -EINTR;
        size_t step = u->left < sizeof chunk ? u->left : sizeof chunk;
        if (uio_copy_in(u, chunk, step) < step)     /* a chunk goes out whole or not at all, */
            return done ? (long)done : -EFAULT;     /* as Linux's tty */
        console_write(chunk, step);
        done += step;
        sched_preempt_point();
    }
    return (long)done;
}

/* Input is ready when a line (or an end of file) waits; output always is (console writes never block). */
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

/* TIOCSPGRP and TIOCGPGRP: the terminal's foreground process group. */
long tty_set_foreground(int pgid)
{
    if (pgid <= 0)
        return -EINVAL;
    spin_lock(&tty_lock);
    foreground = pgid;
    spin_unlock(&tty_lock);
    return 0;
}

int tty_foreground(void)
{
    return foreground;
}

struct file *tty_open(void)
{
    return file_alloc(&tty_ops, NULL, O_RDWR);
}

void tty_init(void)
{
    console_set_input_handler(tty_input);
}
