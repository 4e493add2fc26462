/*
 * A minimal harness for host unit tests.  Each test is a function run by
 * RUN(); it prints "host NAME: OK" or "host NAME: FAILED (why)", which
 * tests/run.sh counts.  main() returns failures != 0.
 */
#ifndef TESTS_HOST_CHECK_H
#define TESTS_HOST_CHECK_H

#include <stdio.h>

static int failures;
static char why[256];

#define CHECK(cond, ...)                                                \
    do {                                                                \
        if (!(cond)) {                                                  \
            snprintf(why, sizeof why, __VA_ARGS__);                     \
            return 0;                                                   \
        }                                                               \
    } while (0)

#define RUN(test)                                                       \
    do {                                                                \
        if (test())                                                     \
            printf("host %s: OK\n", #test);                             \
        else {                                                          \
            printf("host %s: FAILED (%s)\n", #test, why);               \
            failures++;                                                 \
        }                                                               \
        fflush(stdout);                                                 \
    } while (0)

#endif
