/*
 * crash [segv|fpe|ill|abort]: dies on purpose, to show what the kernel and
 * the shell report.  Default: a NULL write (SIGSEGV).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int zero;

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "segv";
    fflush(stdout);
    if (strcmp(how, "segv") == 0) {
        *(volatile int *)0 = 1;
    } else if (strcmp(how, "fpe") == 0) {
        int quotient;           /* in assembly: gcc folds 1 / x into a compare */
        __asm__ volatile("cltd; idivl %1" : "=a"(quotient) : "r"(zero), "a"(1) : "edx");
        (void)quotient;
    } else if (strcmp(how, "ill") == 0) {
        __asm__ volatile("ud2");
    } else if (strcmp(how, "abort") == 0) {
        abort();
    } else {
        fprintf(stderr, "usage: crash [segv|fpe|ill|abort]\n");
        return 2;
    }
    return 1;                   /* not reached */
}
