/*
 * The environment: environ is a NULL-terminated array of "NAME=value".  It
 * starts as the kernel's array on the start-up stack; the first change
 * copies it into a malloc'ed array that libc then owns.  Strings made by
 * setenv are not freed when replaced: the program may still hold them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char **owned;        /* environ when it is our malloc'ed array */
static size_t capacity;     /* entries owned can hold, NULL included */

static size_t count_entries(void)
{
    size_t n = 0;
    while (environ && environ[n])
        n++;
    return n;
}

/* The slot of NAME (len bytes) in environ, or NULL. */
static char **find(const char *name, size_t len)
{
    for (char **e = environ; e && *e; e++)
        if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
            return e;
    return NULL;
}

/* Make environ ours with room for one more entry; -1 (ENOMEM) on failure. */
static int make_room(void)
{
    size_t n = count_entries();
    if (environ == owned && n + 2 <= capacity)
        return 0;
    size_t want = (n + 2) * 2;
    char **copy = malloc(want * sizeof *copy);
    if (!copy)
        return -1;
    if (n)
        memcpy(copy, environ, n * sizeof *copy);
    copy[n] = NULL;
    if (environ == owned)
        free(owned);
    environ = owned = copy;
    capacity = want;
    return 0;
}

/* Put entry ("NAME=value", name_len bytes of name) into environ. */
static int put(char *entry, size_t name_len, int overwrite)
{
    char **slot = find(entry, name_len);
    if (slot) {
        if (overwrite)
            *slot = entry;
        return 0;
    }
    if (make_room() < 0)
        return -1;
    size_t n = count_entries();
    environ[n] = entry;
    environ[n + 1] = NULL;
    return 0;
}

char *getenv(const char *name)
{
    size_t len = strlen(name);
    char **slot = find(name, len);
    return slot ? *slot + len + 1 : NULL;
}

static int valid_name(const char *name)
{
    if (name && *name && !strchr(name, '='))
        return 1;
    errno = EINVAL;
    return 0;
}

int setenv(const char *name, const char *value, int overwrite)
{
    if (!valid_name(name))
        return -1;
    size_t name_len = strlen(name), value_len = strlen(value);
    if (!overwrite && find(name, name_len))
        return 0;
    char *entry = malloc(name_len + value_len + 2);
    if (!entry)
        return -1;
    memcpy(entry, name, name_len);
    entry[name_len] = '=';
    memcpy(entry + name_len + 1, value, value_len + 1);
    if (put(entry, name_len, 1) < 0) {
        free(entry);
        return -1;
    }
    return 0;
}

/* The string itself becomes part of the environment (POSIX). */
int putenv(char *string)
{
    char *equals = strchr(string, '=');
    if (!equals)
        return unsetenv(string);
    return put(string, (size_t)(equals - string), 1);
}

int unsetenv(const char *name)
{
    if (!valid_name(name))
        return -1;
    size_t len = strlen(name);
    char **slot;
    while ((slot = find(name, len)) != NULL)
        memmove(slot, slot + 1, (count_entries() - (size_t)(slot - environ)) * sizeof *slot);
    return 0;
}

int clearenv(void)
{
    if (environ == owned)
        free(owned);
    environ = owned = NULL;
    capacity = 0;
    return 0;
}
