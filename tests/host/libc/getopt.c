/* getopt and getopt_long on our libc. */
#include <getopt.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static void reset(void)
{
    optind = 1;
    opterr = 0;
}

static int short_options(void)
{
    char *argv[] = { "prog", "-ab", "-c", "value", "-dinline", "file", "-a", NULL };
    int argc = 7, a = 0, b = 0;
    const char *c = NULL, *d = NULL;
    reset();
    for (int opt; (opt = getopt(argc, argv, "abc:d:")) != -1; ) {
        if (opt == 'a') a++;
        else if (opt == 'b') b++;
        else if (opt == 'c') c = optarg;
        else if (opt == 'd') d = optarg;
        else CHECK(0, "unexpected option %c", opt);
    }
    CHECK(a == 1 && b == 1, "grouped flags: a=%d b=%d", a, b);
    CHECK(c && strcmp(c, "value") == 0 && d && strcmp(d, "inline") == 0, "arguments");
    CHECK(optind == 5 && strcmp(argv[optind], "file") == 0, "stops at the first operand: optind %d", optind);
    return 1;
}

static int errors_and_end_marker(void)
{
    char *argv[] = { "prog", "-x", "-c", NULL };
    reset();
    CHECK(getopt(3, argv, "c:") == '?' && optopt == 'x', "unknown option");
    CHECK(getopt(3, argv, "c:") == '?' && optopt == 'c', "missing argument gives '?'");
    reset();
    CHECK(getopt(3, argv, ":c:") == '?' && getopt(3, argv, ":c:") == ':', "leading ':' gives ':'");
    char *dashes[] = { "prog", "--", "-a", NULL };
    reset();
    CHECK(getopt(3, dashes, "a") == -1 && optind == 2, "\"--\" ends the options");
    char *lone[] = { "prog", "-", NULL };
    reset();
    CHECK(getopt(2, lone, "a") == -1 && optind == 1, "\"-\" is an operand");
    return 1;
}

static int long_options(void)
{
    int verbose = 0;
    const struct option options[] = {
        { "verbose", no_argument, &verbose, 1 },
        { "name", required_argument, NULL, 'n' },
        { NULL, 0, NULL, 0 },
    };
    char *argv[] = { "prog", "--verbose", "--name=x", "--name", "y", "-n", "z", "--bogus", NULL };
    const char *names[3];
    int count = 0, index = -1, opt, bogus = 0;
    reset();
    while ((opt = getopt_long(8, argv, "n:", options, &index)) != -1) {
        if (opt == 'n' && count < 3)
            names[count++] = optarg;
        else if (opt == '?')
            bogus++;
    }
    CHECK(verbose == 1, "flag option");
    CHECK(count == 3 && !strcmp(names[0], "x") && !strcmp(names[1], "y") && !strcmp(names[2], "z"),
          "--name forms: %d", count);
    CHECK(bogus == 1, "an unknown long option is '?'");
    return 1;
}

int main(void)
{
    RUN(short_options);
    RUN(errors_and_end_marker);
    RUN(long_options);
    return failures != 0;
}
