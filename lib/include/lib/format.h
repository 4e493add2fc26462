/*
 * printf-style formatting, shared by the kernel's kprintf and libc's printf
 * family.  Pure code: no allocation, no I/O; output goes to a sink.
 *
 * Conversions: d i u o x X p s c %, and f F e E g G where FORMAT_FLOAT is
 * defined (libc; not the kernel, which has no floating point).  Flags:
 * - 0 + space #.  Width and precision, also as *.  Length modifiers:
 * hh h l ll z j t, and L for long double.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives formatted output, n bytes at a time (s is not NUL-terminated). */
typedef void (*format_sink)(void *ctx, const char *s, size_t n);

/* Format into sink; returns the number of bytes produced. */
int format_v(format_sink sink, void *ctx, const char *fmt, va_list ap);

/*
 * Format into buf of the given size, always NUL-terminated when size > 0;
 * returns the length the whole output would have had (vsnprintf's contract).
 */
int format_buffer_v(char *buf, size_t size, const char *fmt, va_list ap);
int format_buffer(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
