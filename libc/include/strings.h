/* BSD-origin string functions; ASCII case rules (the C locale). */
#ifndef _STRINGS_H
#define _STRINGS_H

#include <stddef.h>

int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);
void bzero(void *s, size_t n);
int bcmp(const void *a, const void *b, size_t n);
int ffs(int value);
char *index(const char *s, int c);
char *rindex(const char *s, int c);

#endif
