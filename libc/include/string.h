/*
 * Strings and memory.  The core (memcpy ... strstr, strspn, strcspn) is
 * lib/string.c, the same code the kernel uses; libc adds the rest.
 */
#ifndef _STRING_H
#define _STRING_H

#include <lib/string.h>
#include <stddef.h>

void *memccpy(void *dst, const void *src, int c, size_t n);
void *mempcpy(void *dst, const void *src, size_t n);
void *memrchr(const void *s, int c, size_t n);
void *memmem(const void *haystack, size_t len, const void *needle, size_t needle_len);
char *stpcpy(char *dst, const char *src);
char *stpncpy(char *dst, const char *src, size_t n);
char *strncat(char *dst, const char *src, size_t n);
size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcat(char *dst, const char *src, size_t size);
char *strdup(const char *s);
char *strndup(const char *s, size_t max);
char *strpbrk(const char *s, const char *accept);
char *strtok(char *s, const char *delim);
char *strtok_r(char *s, const char *delim, char **save);
char *strsep(char **s, const char *delim);
char *strchrnul(const char *s, int c);
char *strcasestr(const char *haystack, const char *needle);
int strcoll(const char *a, const char *b);
size_t strxfrm(char *dst, const char *src, size_t n);

char *strerror(int error);
int strerror_r(int error, char *buf, size_t size);
/* GNU: an error's name ("EPERM"), NULL if unknown. */
const char *strerrorname_np(int error);
char *strsignal(int signal);
/* GNU: a signal's abbreviation without "SIG" ("SEGV"), NULL if unknown. */
const char *sigabbrev_np(int signal);
const char *sigdescr_np(int signal);

#include <strings.h>

#endif
