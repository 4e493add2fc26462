/*
 * The FILE structure and the unlocked stream primitives the stdio files
 * share.  A stream is either reading (buf[rpos..rend) holds bytes read
 * ahead from fd) or writing (buf[0..wlen) waits to be written), never both
 * at once: switching flushes.  Locking: the public functions take f->lock
 * and call the *_unlocked primitives; open_lock guards the stream list and
 * comes before any stream's lock.
 */
#ifndef LIBC_INTERNAL_STDIO_IMPL_H
#define LIBC_INTERNAL_STDIO_IMPL_H

#include <stdio.h>
#include "lock.h"

#define STREAM_READ      0x01   /* opened for reading */
#define STREAM_WRITE     0x02   /* opened for writing */
#define STREAM_EOF       0x04
#define STREAM_ERROR     0x08
#define STREAM_OWN_BUF   0x10   /* buf is malloc'ed by us */
#define STREAM_STATIC    0x20   /* stdin, stdout, stderr: not malloc'ed */
#define BUFFERING_UNSET  (-1)   /* decide at first use: line-buffered on a terminal */

struct __file {
    int fd;
    int flags;                  /* [lock] STREAM_* */
    int buffering;              /* [lock] _IOFBF, _IOLBF, _IONBF or BUFFERING_UNSET */
    unsigned char *buf;         /* [lock] */
    size_t size;                /* [lock] bytes of buf */
    size_t rpos, rend;          /* [lock] unread bytes: buf[rpos..rend) */
    size_t wlen;                /* [lock] unwritten bytes: buf[0..wlen) */
    struct libc_lock lock;
    int popen_pid;              /* the command of a popen stream, for pclose; 0 otherwise */
    struct __file *next;        /* [open_lock] all open streams */
};

extern struct libc_lock open_lock;
extern FILE *open_streams;      /* [open_lock] */

/* Write out pending output (and drop read-ahead, moving fd back to the stream's position). */
int stream_flush_unlocked(FILE *f);

/* Buffered write of n bytes; n or fewer on error (STREAM_ERROR set). */
size_t stream_write_unlocked(FILE *f, const void *data, size_t n);

/* Buffered read of up to n bytes; fewer at end of file or on error (flags tell which). */
size_t stream_read_unlocked(FILE *f, void *data, size_t n);

/* Next byte, or EOF. */
int stream_getc_unlocked(FILE *f);

/* Push c back; EOF if there is no room. */
int stream_ungetc_unlocked(int c, FILE *f);

/* Parse an fopen mode ("r", "w+", "ae" ...) into open(2) flags and STREAM_* bits; -1 if bad. */
int stream_mode_flags(const char *mode, int *open_flags, int *stream_flags);

#endif
