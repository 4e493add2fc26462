/*
 * Command-line options.  Parsed once at boot into a small array (the
 * command line has a handful of options, read a few times at boot), with
 * keys and unquoted values stored in one buffer.
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <lib/string.h>
#include <stddef.h>

struct option {
    const char *key;
    const char *value;
};

static char storage[CMDLINE_MAX];
static size_t storage_used;
static struct option options[CMDLINE_MAX_OPTIONS];
static int option_count;

/* Copy one space-separated word from *text into storage, unquoting and unescaping. */
static char *take_word(const char **text, bool *ok)
{
    const char *s = *text;
    char *start = storage + storage_used;
    bool quoted = false;
    for (; *s; s++) {
        if (!quoted && (*s == ' ' || *s == '\t'))
            break;
        if (*s == '"') {
            quoted = !quoted;
            continue;
        }
        if (*s == '\\' && s[1])
            s++;
        if (storage_used + 1 >= CMDLINE_MAX) {
            *ok = false;
            break;
        }
        storage[storage_used++] = *s;
    }
    storage[storage_used++] = '\0';
    *text = s;
    return start;
}

/*
 * Words are split at their first '=' after unquoting, so init="/bin/a b"
 * and "init=/bin/a b" (how GRUB passes on an argument with spaces) agree.
 */
bool cmdline_parse(const char *text)
{
    bool ok = true;
    while (ok) {
        while (*text == ' ' || *text == '\t')
            text++;
        if (!*text)
            break;
        if (option_count == CMDLINE_MAX_OPTIONS || storage_used + 2 >= CMDLINE_MAX)
            return false;
        struct option *opt = &options[option_count++];
        opt->key = take_word(&text, &ok);
        char *equals = strchr(opt->key, '=');
        opt->value = "";
        if (equals) {
            *equals = '\0';
            opt->value = equals + 1;
        }
    }
    return ok;
}

const char *cmdline_get(const char *key)
{
    for (int i = option_count - 1; i >= 0; i--)
        if (strcmp(options[i].key, key) == 0)
            return options[i].value;
    return NULL;
}

#define DECIMAL_BASE 10

int cmdline_get_number(const char *key, unsigned long *value)
{
    const char *s = cmdline_get(key);
    if (!s)
        return -ENOENT;
    if (!*s)
        return -EINVAL;
    unsigned long n = 0;
    for (; *s; s++) {
        unsigned digit = (unsigned)(*s - '0');
        if (digit >= DECIMAL_BASE || n > (~0ul - digit) / DECIMAL_BASE)
            return -EINVAL;
        n = n * DECIMAL_BASE + digit;
    }
    *value = n;
    return 0;
}

void cmdline_print(void)
{
    kprintf("command line:");
    for (int i = 0; i < option_count; i++)
        kprintf(*options[i].value ? " %s=\"%s\"" : " %s", options[i].key, options[i].value);
    kprintf("\n");
}
