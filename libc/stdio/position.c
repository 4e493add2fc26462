/* Stream position and status: fseek, ftell, rewind, feof, ferror, clearerr. */
#include <errno.h>
#include <unistd.h>
#include "../internal/stdio_impl.h"

int fseeko(FILE *f, off_t offset, int whence)
{
    libc_lock(&f->lock);
    int result = -1;
    if (stream_flush_unlocked(f) == 0 && lseek(f->fd, offset, whence) >= 0) {
        f->flags &= ~STREAM_EOF;
        result = 0;
    }
    libc_unlock(&f->lock);
    return result;
}

int fseek(FILE *f, long offset, int whence)
{
    return fseeko(f, offset, whence);
}

/* The kernel's offset, less what we read ahead, plus what we have not written yet. */
off_t ftello(FILE *f)
{
    libc_lock(&f->lock);
    off_t pos = lseek(f->fd, 0, SEEK_CUR);
    if (pos >= 0)
        pos = pos - (off_t)(f->rend - f->rpos) + (off_t)f->wlen;
    libc_unlock(&f->lock);
    return pos;
}

long ftell(FILE *f)
{
    return ftello(f);
}

void rewind(FILE *f)
{
    fseeko(f, 0, SEEK_SET);
    clearerr(f);
}

int fgetpos(FILE *f, fpos_t *pos)
{
    off_t p = ftello(f);
    if (p < 0)
        return -1;
    *pos = p;
    return 0;
}

int fsetpos(FILE *f, const fpos_t *pos)
{
    return fseeko(f, *pos, SEEK_SET);
}

int feof(FILE *f)
{
    return (f->flags & STREAM_EOF) != 0;
}

int ferror(FILE *f)
{
    return (f->flags & STREAM_ERROR) != 0;
}

void clearerr(FILE *f)
{
    libc_lock(&f->lock);
    f->flags &= ~(STREAM_EOF | STREAM_ERROR);
    libc_unlock(&f->lock);
}
