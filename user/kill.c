/*
 * kill [-SIGNAL | -NUMBER | -s SIGNAL] PID...: send a signal (SIGTERM by
 * default) to each process.  Names may omit "SIG" and any case goes.
 * kill -l lists the signal names.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SIG_PREFIX "SIG"
#define SIG_PREFIX_LEN 3

/* A signal from "9", "KILL" or "SIGKILL"; -1 if it names none. */
static int parse_signal(const char *s)
{
    if (isdigit((unsigned char)*s)) {
        char *end;
        long n = strtol(s, &end, 10);
        return *end || n < 0 || n >= NSIG ? -1 : (int)n;
    }
    if (strncasecmp(s, SIG_PREFIX, SIG_PREFIX_LEN) == 0)
        s += SIG_PREFIX_LEN;
    for (int sig = 1; sig < NSIG; sig++) {
        const char *name = sigabbrev_np(sig);
        if (name && strcasecmp(s, name) == 0)
            return sig;
    }
    return -1;
}

static void list_signals(void)
{
    for (int sig = 1; sig < NSIG; sig++)
        if (sigabbrev_np(sig))
            printf("%2d) SIG%s\n", sig, sigabbrev_np(sig));
}

static int usage(void)
{
    fprintf(stderr, "usage: kill [-SIGNAL | -s SIGNAL] PID...\n       kill -l\n");
    return 2;
}

int main(int argc, char **argv)
{
    int sig = SIGTERM, i = 1;
    if (i < argc && strcmp(argv[i], "-l") == 0) {
        list_signals();
        return 0;
    }
    if (i < argc && strcmp(argv[i], "-s") == 0 && i + 1 < argc)
        sig = parse_signal(argv[i + 1]), i += 2;
    else if (i < argc && argv[i][0] == '-' && argv[i][1])
        sig = parse_signal(argv[i++] + 1);
    if (sig < 0) {
        fprintf(stderr, "kill: unknown signal '%s'\n", argv[i - 1]);
        return 2;
    }
    if (i >= argc)
        return usage();
    int status = 0;
    for (; i < argc; i++) {
        char *end;
        long pid = strtol(argv[i], &end, 10);
        if (*end || end == argv[i]) {
            fprintf(stderr, "kill: bad process id '%s'\n", argv[i]);
            status = 1;
        } else if (kill((pid_t)pid, sig) < 0) {
            fprintf(stderr, "kill: (%ld): %s\n", pid, strerror(errno));
            status = 1;
        }
    }
    return status;
}
