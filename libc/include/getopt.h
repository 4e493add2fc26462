/* Command-line option parsing: POSIX getopt and GNU getopt_long. */
#ifndef _GETOPT_H
#define _GETOPT_H

int getopt(int argc, char *const argv[], const char *optstring);
extern char *optarg;
extern int optind, opterr, optopt;

#define no_argument       0
#define required_argument 1
#define optional_argument 2

struct option {
    const char *name;
    int has_arg;
    int *flag;      /* if not NULL, *flag = val and getopt_long returns 0 */
    int val;
};

int getopt_long(int argc, char *const argv[], const char *optstring,
                const struct option *options, int *index);

#endif
