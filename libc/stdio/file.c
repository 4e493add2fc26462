/* Opening, closing, buffering modes and positioning of streams. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "../internal/libc.h"
#include "../internal/stdio_impl.h"

#define NEW_FILE_MODE 0666      /* before the umask, as fopen must */

int stream_mode_flags(const char *mode, int *open_flags, int *stream_flags)
{
    switch (*mode) {
    case 'r': *open_flags = O_RDONLY; *stream_flags = STREAM_READ; break;
    case 'w': *open_flags = O_WRONLY | O_CREAT | O_TRUNC; *stream_flags = STREAM_WRITE; break;
    case 'a': *open_flags = O_WRONLY | O_CREAT | O_APPEND; *stream_flags = STREAM_WRITE; break;
    default: errno = EINVAL; return -1;
    }
    for (mode++; *mode; mode++) {
        if (*mode == '+') {
            *open_flags = (*open_flags & ~O_ACCMODE) | O_RDWR;
            *stream_flags = STREAM_READ | STREAM_WRITE;
        } else if (*mode == 'x') {
            *open_flags |= O_EXCL;
        } else if (*mode == 'e') {
            *open_flags |= O_CLOEXEC;
        }                       /* 'b' and anything else: no meaning here */
    }
    return 0;
}

/* A new stream on fd with a malloc'ed buffer, linked into the stream list. */
static FILE *new_stream(int fd, int stream_flags)
{
    FILE *f = calloc(1, sizeof *f);
    unsigned char *buf = malloc(BUFSIZ);
    if (!f || !buf) {
        free(f);
        free(buf);
        return NULL;
    }
    f->fd = fd;
    f->flags = stream_flags | STREAM_OWN_BUF;
    f->buffering = BUFFERING_UNSET;
    f->buf = buf;
    f->size = BUFSIZ;
    libc_lock(&open_lock);
    f->next = open_streams;
    open_streams = f;
    libc_unlock(&open_lock);
    return f;
}

FILE *fopen(const char *path, const char *mode)
{
    int open_flags, stream_flags;
    if (stream_mode_flags(mode, &open_flags, &stream_flags) < 0)
        return NULL;
    int fd = open(path, open_flags, NEW_FILE_MODE);
    if (fd < 0)
        return NULL;
    FILE *f = new_stream(fd, stream_flags);
    if (!f)
        close(fd);
    return f;
}

FILE *fdopen(int fd, const char *mode)
{
    int open_flags, stream_flags;
    if (stream_mode_flags(mode, &open_flags, &stream_flags) < 0)
        return NULL;
    if (fcntl(fd, F_GETFL) < 0)
        return NULL;
    return new_stream(fd, stream_flags);
}

static void unlink_stream(FILE *f)
{
    libc_lock(&open_lock);
    for (FILE **p = &open_streams; *p; p = &(*p)->next) {
        if (*p == f) {
            *p = f->next;
            break;
        }
    }
    libc_unlock(&open_lock);
}

/* Flush and close; the standard streams stay allocated (but closed). */
int fclose(FILE *f)
{
    libc_lock(&f->lock);
    int result = stream_flush_unlocked(f);
    if (close(f->fd) < 0)
        result = EOF;
    f->fd = -1;
    libc_unlock(&f->lock);
    if (f->flags & STREAM_STATIC)
        return result;
    unlink_stream(f);
    if (f->flags & STREAM_OWN_BUF)
        free(f->buf);
    free(f);
    return result;
}

/* Reopen f's descriptor on path (the usual use: freopen("file", "w", stdout)). */
FILE *freopen(const char *path, const char *mode, FILE *f)
{
    int open_flags, stream_flags;
    if (!path || stream_mode_flags(mode, &open_flags, &stream_flags) < 0) {
        errno = EINVAL;
        return NULL;
    }
    libc_lock(&f->lock);
    stream_flush_unlocked(f);
    int fd = open(path, open_flags, NEW_FILE_MODE);
    if (fd >= 0 && f->fd >= 0) {        /* keep the number: stdout stays fd 1 */
        int moved = dup2(fd, f->fd);
        close(fd);
        fd = moved;
    }
    FILE *result = NULL;
    if (fd >= 0) {
        f->fd = fd;
        f->flags = (f->flags & (STREAM_OWN_BUF | STREAM_STATIC)) | stream_flags;
        f->buffering = BUFFERING_UNSET;
        result = f;
    }
    libc_unlock(&f->lock);
    return result;
}

int fflush(FILE *f)
{
    if (!f) {
        libc_stdio_flush_all();
        return 0;
    }
    libc_lock(&f->lock);
    int result = stream_flush_unlocked(f);
    libc_unlock(&f->lock);
    return result;
}

/* Before any I/O only.  A caller's buf replaces ours (size bytes). */
int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
    if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF)
        return EOF;
    libc_lock(&f->lock);
    if (buf && size) {
        if (f->flags & STREAM_OWN_BUF)
            free(f->buf);
        f->flags &= ~STREAM_OWN_BUF;
        f->buf = (unsigned char *)buf;
        f->size = size;
    }
    f->buffering = mode;
    libc_unlock(&f->lock);
    return 0;
}

void setbuf(FILE *f, char *buf)
{
    setvbuf(f, buf, buf ? _IOFBF : _IONBF, BUFSIZ);
}

int fileno(FILE *f)
{
    if (f->fd < 0)
        errno = EBADF;
    return f->fd;
}
