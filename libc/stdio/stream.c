/*
 * The buffered stream core: the three standard streams and the unlocked
 * read/write/flush primitives of internal/stdio_impl.h.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "../internal/libc.h"
#include "../internal/stdio_impl.h"

/* stderr is unbuffered for output; its buffer only serves reads and ungetc. */
#define STDERR_BUFFER_SIZE 64

static unsigned char stdin_buf[BUFSIZ], stdout_buf[BUFSIZ], stderr_buf[STDERR_BUFFER_SIZE];

static FILE stderr_file = {
    .fd = STDERR_FILENO, .flags = STREAM_READ | STREAM_WRITE | STREAM_STATIC,
    .buffering = _IONBF, .buf = stderr_buf, .size = sizeof stderr_buf,
    .lock = LIBC_LOCK_INIT, .next = NULL,
};
static FILE stdout_file = {
    .fd = STDOUT_FILENO, .flags = STREAM_WRITE | STREAM_STATIC,
    .buffering = BUFFERING_UNSET, .buf = stdout_buf, .size = sizeof stdout_buf,
    .lock = LIBC_LOCK_INIT, .next = &stderr_file,
};
static FILE stdin_file = {
    .fd = STDIN_FILENO, .flags = STREAM_READ | STREAM_STATIC,
    .buffering = BUFFERING_UNSET, .buf = stdin_buf, .size = sizeof stdin_buf,
    .lock = LIBC_LOCK_INIT, .next = &stdout_file,
};

FILE *const stdin = &stdin_file;
FILE *const stdout = &stdout_file;
FILE *const stderr = &stderr_file;

struct libc_lock open_lock = LIBC_LOCK_INIT;
FILE *open_streams = &stdin_file;

/* Line-buffered on a terminal, fully buffered otherwise (decided at first use). */
static int buffering(FILE *f)
{
    if (f->buffering == BUFFERING_UNSET) {
        int saved = errno;
        f->buffering = isatty(f->fd) ? _IOLBF : _IOFBF;
        errno = saved;
    }
    return f->buffering;
}

static int write_out(FILE *f, const void *data, size_t n)
{
    if (libc_write_all(f->fd, data, n) < 0) {
        f->flags |= STREAM_ERROR;
        return -1;
    }
    return 0;
}

/* Forget read-ahead, moving fd back so its offset is the stream's position. */
static void drop_read_ahead(FILE *f)
{
    if (f->rend > f->rpos) {
        int saved = errno;
        lseek(f->fd, -(off_t)(f->rend - f->rpos), SEEK_CUR);    /* fails harmlessly on pipes */
        errno = saved;
    }
    f->rpos = f->rend = 0;
}

int stream_flush_unlocked(FILE *f)
{
    drop_read_ahead(f);
    size_t n = f->wlen;
    f->wlen = 0;
    if (n && write_out(f, f->buf, n) < 0)
        return EOF;
    return 0;
}

/* Can f be used for this access (STREAM_READ or STREAM_WRITE)?  EBADF if not. */
static int allowed(FILE *f, int access)
{
    if ((f->flags & access) && f->fd >= 0)
        return 1;
    errno = EBADF;
    f->flags |= STREAM_ERROR;
    return 0;
}

size_t stream_write_unlocked(FILE *f, const void *data, size_t n)
{
    if (!allowed(f, STREAM_WRITE))
        return 0;
    drop_read_ahead(f);
    int mode = buffering(f);
    if (f->wlen + n > f->size || mode == _IONBF) {
        if (stream_flush_unlocked(f) < 0)
            return 0;
        if (n >= f->size || mode == _IONBF)
            return write_out(f, data, n) < 0 ? 0 : n;
    }
    memcpy(f->buf + f->wlen, data, n);
    f->wlen += n;
    if (mode == _IOLBF && memchr(data, '\n', n) && stream_flush_unlocked(f) < 0)
        return 0;
    return n;
}

/* Reading from a terminal shows what was written so far (a prompt, say). */
static int refill(FILE *f)
{
    if (stream_flush_unlocked(f) < 0)
        return -1;
    if (f != stdout && buffering(stdout) == _IOLBF) {
        libc_lock(&stdout->lock);
        stream_flush_unlocked(stdout);
        libc_unlock(&stdout->lock);
    }
    ssize_t n = read(f->fd, f->buf, f->size);
    if (n <= 0) {
        f->flags |= n == 0 ? STREAM_EOF : STREAM_ERROR;
        return -1;
    }
    f->rend = (size_t)n;
    return 0;
}

size_t stream_read_unlocked(FILE *f, void *data, size_t n)
{
    if (!allowed(f, STREAM_READ))
        return 0;
    char *out = data;
    size_t done = 0;
    while (done < n) {
        if (f->rpos == f->rend && refill(f) < 0)
            break;
        size_t step = f->rend - f->rpos;
        if (step > n - done)
            step = n - done;
        memcpy(out + done, f->buf + f->rpos, step);
        f->rpos += step;
        done += step;
    }
    return done;
}

int stream_getc_unlocked(FILE *f)
{
    if (f->rpos < f->rend)
        return f->buf[f->rpos++];
    unsigned char c;
    return stream_read_unlocked(f, &c, 1) == 1 ? c : EOF;
}

/* Room at the front of the read-ahead, shifting it if need be. */
int stream_ungetc_unlocked(int c, FILE *f)
{
    if (c == EOF || !(f->flags & STREAM_READ))
        return EOF;
    if (f->wlen && stream_flush_unlocked(f) < 0)
        return EOF;
    if (f->rpos == 0) {
        if (f->rend >= f->size)
            return EOF;
        memmove(f->buf + 1, f->buf, f->rend);
        f->rpos++, f->rend++;
    }
    f->buf[--f->rpos] = (unsigned char)c;
    f->flags &= ~STREAM_EOF;
    return (unsigned char)c;
}

/* At exit: write out every stream's output.  Read-ahead is left alone:
 * a forked child's exit must not move a file offset it shares with its parent. */
void libc_stdio_flush_all(void)
{
    libc_lock(&open_lock);
    for (FILE *f = open_streams; f; f = f->next) {
        if (!(f->flags & STREAM_WRITE))
            continue;   /* nothing to write; and a thread blocked reading it holds its lock */
        libc_lock(&f->lock);
        if (f->wlen && write_out(f, f->buf, f->wlen) == 0)
            f->wlen = 0;
        libc_unlock(&f->lock);
    }
    libc_unlock(&open_lock);
}
