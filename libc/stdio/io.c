/* Reading and writing streams: the locked public face of stream.c. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../internal/stdio_impl.h"

#define GETLINE_MIN_CAPACITY 128

size_t fwrite(const void *ptr, size_t size, size_t count, FILE *f)
{
    size_t total;
    if (__builtin_mul_overflow(size, count, &total) || total == 0)
        return 0;
    libc_lock(&f->lock);
    size_t done = stream_write_unlocked(f, ptr, total);
    libc_unlock(&f->lock);
    return done / size;
}

size_t fread(void *ptr, size_t size, size_t count, FILE *f)
{
    size_t total;
    if (__builtin_mul_overflow(size, count, &total) || total == 0)
        return 0;
    libc_lock(&f->lock);
    size_t done = stream_read_unlocked(f, ptr, total);
    libc_unlock(&f->lock);
    return done / size;
}

int fgetc(FILE *f)
{
    libc_lock(&f->lock);
    int c = stream_getc_unlocked(f);
    libc_unlock(&f->lock);
    return c;
}

int getc(FILE *f)
{
    return fgetc(f);
}

int getchar(void)
{
    return fgetc(stdin);
}

int ungetc(int c, FILE *f)
{
    libc_lock(&f->lock);
    c = stream_ungetc_unlocked(c, f);
    libc_unlock(&f->lock);
    return c;
}

/* Up to size - 1 bytes, through the first newline; NULL if nothing was read. */
char *fgets(char *s, int size, FILE *f)
{
    if (size <= 0)
        return NULL;
    int n = 0;
    libc_lock(&f->lock);
    while (n < size - 1) {
        int c = stream_getc_unlocked(f);
        if (c == EOF)
            break;
        s[n++] = (char)c;
        if (c == '\n')
            break;
    }
    libc_unlock(&f->lock);
    if (n == 0)
        return NULL;
    s[n] = '\0';
    return s;
}

/* Make room for at least want bytes in a getline buffer. */
static int reserve(char **line, size_t *capacity, size_t want)
{
    if (want <= *capacity)
        return 0;
    size_t grown = *capacity * 2 > want ? *capacity * 2 : want;
    if (grown < GETLINE_MIN_CAPACITY)
        grown = GETLINE_MIN_CAPACITY;
    char *p = realloc(*line, grown);
    if (!p)
        return -1;
    *line = p;
    *capacity = grown;
    return 0;
}

/* Read through delim into a buffer grown with realloc; -1 at end of file or on error. */
ssize_t getdelim(char **line, size_t *capacity, int delim, FILE *f)
{
    if (!line || !capacity) {
        errno = EINVAL;
        return -1;
    }
    if (!*line)
        *capacity = 0;
    size_t n = 0;
    libc_lock(&f->lock);
    for (int c; (c = stream_getc_unlocked(f)) != EOF; ) {
        if (reserve(line, capacity, n + 2) < 0) {
            f->flags |= STREAM_ERROR;
            break;
        }
        (*line)[n++] = (char)c;
        if (c == delim)
            break;
    }
    libc_unlock(&f->lock);
    if (n == 0 || reserve(line, capacity, n + 1) < 0)
        return -1;
    (*line)[n] = '\0';
    return (ssize_t)n;
}

ssize_t getline(char **line, size_t *capacity, FILE *f)
{
    return getdelim(line, capacity, '\n', f);
}

int fputc(int c, FILE *f)
{
    unsigned char byte = (unsigned char)c;
    return fwrite(&byte, 1, 1, f) == 1 ? byte : EOF;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
    size_t len = strlen(s);
    if (len == 0)
        return 0;
    return fwrite(s, 1, len, f) == len ? 0 : EOF;
}

/* s and a newline under one lock, so that another thread's output cannot split them. */
int puts(const char *s)
{
    size_t len = strlen(s);
    int result = 0;
    libc_lock(&stdout->lock);
    if (stream_write_unlocked(stdout, s, len) != len || stream_write_unlocked(stdout, "\n", 1) != 1)
        result = EOF;
    libc_unlock(&stdout->lock);
    return result;
}
