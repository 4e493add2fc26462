/*
 * Buffered I/O.  stdout is line-buffered on a terminal and fully buffered
 * otherwise, stderr is unbuffered, and every stream is flushed at exit.
 * printf and friends use the formatter shared with the kernel (lib/format.c):
 * d i u o x X p s c f F e E g G, flags - 0 + space #, width, precision.
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <bits/types.h>
#include <stdarg.h>
#include <stddef.h>

typedef struct __file FILE;
typedef off_t fpos_t;

#define EOF         (-1)
#define BUFSIZ      4096
#define FILENAME_MAX 4096
#define FOPEN_MAX   1024
#define L_tmpnam    20

#include <abi/unistd.h>     /* SEEK_SET SEEK_CUR SEEK_END (and access()'s modes) */

#define _IOFBF      0
#define _IOLBF      1
#define _IONBF      2

extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;
#define stdin  stdin
#define stdout stdout
#define stderr stderr

#define __printf_like(f, a) __attribute__((format(printf, f, a)))

FILE *fopen(const char *path, const char *mode);
FILE *fdopen(int fd, const char *mode);
FILE *freopen(const char *path, const char *mode, FILE *stream);
int fclose(FILE *stream);
FILE *popen(const char *command, const char *mode);     /* /bin/sh -c command, "r" or "w" */
int pclose(FILE *stream);                               /* its wait status */
FILE *tmpfile(void);
int fflush(FILE *stream);
int setvbuf(FILE *stream, char *buf, int mode, size_t size);
void setbuf(FILE *stream, char *buf);
int fileno(FILE *stream);

size_t fread(void *ptr, size_t size, size_t count, FILE *stream);
size_t fwrite(const void *ptr, size_t size, size_t count, FILE *stream);
int fgetc(FILE *stream);
int getc(FILE *stream);
int getchar(void);
int ungetc(int c, FILE *stream);
char *fgets(char *s, int size, FILE *stream);
ssize_t getline(char **line, size_t *capacity, FILE *stream);
ssize_t getdelim(char **line, size_t *capacity, int delim, FILE *stream);
int fputc(int c, FILE *stream);
int putc(int c, FILE *stream);
int putchar(int c);
int fputs(const char *s, FILE *stream);
int puts(const char *s);

int fseek(FILE *stream, long offset, int whence);
int fseeko(FILE *stream, off_t offset, int whence);
long ftell(FILE *stream);
off_t ftello(FILE *stream);
void rewind(FILE *stream);
int fgetpos(FILE *stream, fpos_t *pos);
int fsetpos(FILE *stream, const fpos_t *pos);
int feof(FILE *stream);
int ferror(FILE *stream);
void clearerr(FILE *stream);

int printf(const char *fmt, ...) __printf_like(1, 2);
int fprintf(FILE *stream, const char *fmt, ...) __printf_like(2, 3);
int dprintf(int fd, const char *fmt, ...) __printf_like(2, 3);
int sprintf(char *buf, const char *fmt, ...) __printf_like(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf_like(3, 4);
int asprintf(char **result, const char *fmt, ...) __printf_like(2, 3);
int vprintf(const char *fmt, va_list ap) __printf_like(1, 0);
int vfprintf(FILE *stream, const char *fmt, va_list ap) __printf_like(2, 0);
int vdprintf(int fd, const char *fmt, va_list ap) __printf_like(2, 0);
int vsprintf(char *buf, const char *fmt, va_list ap) __printf_like(2, 0);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) __printf_like(3, 0);
int vasprintf(char **result, const char *fmt, va_list ap) __printf_like(2, 0);

int scanf(const char *fmt, ...) __attribute__((format(scanf, 1, 2)));
int fscanf(FILE *stream, const char *fmt, ...) __attribute__((format(scanf, 2, 3)));
int sscanf(const char *s, const char *fmt, ...) __attribute__((format(scanf, 2, 3)));
int vscanf(const char *fmt, va_list ap) __attribute__((format(scanf, 1, 0)));
int vfscanf(FILE *stream, const char *fmt, va_list ap) __attribute__((format(scanf, 2, 0)));
int vsscanf(const char *s, const char *fmt, va_list ap) __attribute__((format(scanf, 2, 0)));

void perror(const char *message);
int remove(const char *path);
int rename(const char *from, const char *to);

#endif
