/*
 * The kernel command line: space-separated `key=value` options and bare
 * flags.  A value may be double-quoted to hold spaces
 * (init="/bin/prog a b"); a backslash escapes the next character.
 * The last occurrence of a key wins.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>

#define CMDLINE_MAX          1024   /* bytes: GRUB's own limit is about this */
#define CMDLINE_MAX_OPTIONS  32     /* a command line holds a handful */

/* Parse text (appending to what earlier calls parsed); returns false if it did not fit. */
bool cmdline_parse(const char *text);

/* The value of key: "" for a bare flag, NULL when absent. */
const char *cmdline_get(const char *key);

/*
 * The value of key as a decimal number: 0 with *value set; -ENOENT when
 * key is absent; -EINVAL when its value is not one (empty, a character
 * other than a digit, or more than an unsigned long holds).
 */
int cmdline_get_number(const char *key, unsigned long *value);

/* Print the parsed options on one line. */
void cmdline_print(void);

#endif
