/*
 * getopt (POSIX) and getopt_long (GNU, "--name" and "--name=value").
 * Options stop at the first non-option or at "--"; arguments are not
 * permuted.  A leading ':' in optstring reports a missing argument as ':'
 * instead of printing an error.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt;
static int next_char;       /* position inside a group like "-abc"; 0 = start a new word */

static int complain(const char *optstring, const char *argv0, const char *what, int c)
{
    if (opterr && optstring[0] != ':')
        fprintf(stderr, "%s: %s -- '%c'\n", argv0, what, c);
    return '?';
}

/* Is argv[optind] an option word?  Consumes "--" (and then says no). */
static int at_option(int argc, char *const argv[])
{
    if (optind >= argc || !argv[optind] || argv[optind][0] != '-' || !argv[optind][1])
        return 0;
    if (strcmp(argv[optind], "--") == 0) {
        optind++;
        return 0;
    }
    return 1;
}

/* The option character at argv[optind][next_char], with its argument if it takes one. */
static int short_option(int argc, char *const argv[], const char *optstring)
{
    const char *word = argv[optind];
    int c = (unsigned char)word[next_char++];
    const char *spec = c == ':' ? NULL : strchr(optstring, c);
    int word_done = word[next_char] == '\0';
    optopt = c;
    if (!spec) {
        if (word_done)
            optind++, next_char = 0;
        return complain(optstring, argv[0], "invalid option", c);
    }
    if (spec[1] != ':') {
        if (word_done)
            optind++, next_char = 0;
        return c;
    }
    optind++;
    optarg = word_done ? argv[optind++] : (char *)word + next_char;
    next_char = 0;
    if (optind > argc) {
        optind = argc;
        optarg = NULL;
        if (optstring[0] == ':')
            return ':';
        return complain(optstring, argv[0], "option requires an argument", c);
    }
    return c;
}

/* Match argv[optind] ("--name[=value]") against options. */
static int long_option(int argc, char *const argv[], const struct option *options, int *index)
{
    const char *name = argv[optind++] + 2;
    size_t len = strcspn(name, "=");
    for (int i = 0; options[i].name; i++) {
        const struct option *o = &options[i];
        if (strncmp(o->name, name, len) != 0 || o->name[len] != '\0')
            continue;
        if (index)
            *index = i;
        if (name[len] == '=') {
            if (o->has_arg == no_argument)
                goto bad;
            optarg = (char *)name + len + 1;
        } else if (o->has_arg == required_argument) {
            if (optind >= argc)
                goto bad;
            optarg = argv[optind++];
        }
        if (o->flag) {
            *o->flag = o->val;
            return 0;
        }
        return o->val;
    }
bad:
    if (opterr)
        fprintf(stderr, "%s: bad option '%s'\n", argv[0], argv[optind - 1]);
    return '?';
}

/* getopt and getopt_long; options is NULL for plain getopt. */
static int scan(int argc, char *const argv[], const char *optstring,
                const struct option *options, int *index)
{
    optarg = NULL;
    if (*optstring == '+' || *optstring == '-')
        optstring++;                /* GNU ordering flags: we never permute anyway */
    if (optind == 0)                /* GNU: 0 restarts the scan */
        optind = 1, next_char = 0;
    if (next_char == 0) {
        if (!at_option(argc, argv))
            return -1;
        if (options && argv[optind][1] == '-')
            return long_option(argc, argv, options, index);
        next_char = 1;
    }
    return short_option(argc, argv, optstring);
}

int getopt(int argc, char *const argv[], const char *optstring)
{
    return scan(argc, argv, optstring, NULL, NULL);
}

int getopt_long(int argc, char *const argv[], const char *optstring,
                const struct option *options, int *index)
{
    return scan(argc, argv, optstring, options, index);
}
