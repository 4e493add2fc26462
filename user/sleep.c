/* sleep SECONDS...: pause for the sum of the arguments; each may have a fraction ("0.5"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NSEC_PER_SEC 1000000000.0

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: sleep SECONDS...\n");
        return 1;
    }
    double total = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        double seconds = strtod(argv[i], &end);
        if (end == argv[i] || *end || !(seconds >= 0)) {
            fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[i]);
            return 1;
        }
        total += seconds;
    }
    struct timespec left = { (time_t)total, (long)((total - (double)(time_t)total) * NSEC_PER_SEC) };
    while (nanosleep(&left, &left) < 0) {
        if (errno != EINTR) {
            perror("sleep");
            return 1;
        }
    }
    return 0;
}
