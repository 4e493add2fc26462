/*
 * The CPU_* macros of <sched.h> worked through into a list of numbers,
 * compiled twice: with our libc (tests/host/libc/affinity.c) and with the
 * host's glibc (tests/host/libc/glibc/cpu_macros_glibc.c, which prints the
 * list).  The lists must be equal: our macros give what glibc's give, edge
 * cases included (CPUs past a set's size, sizes that are not whole words).
 */
#ifndef TESTS_HOST_LIBC_CPU_MACROS_H
#define TESTS_HOST_LIBC_CPU_MACROS_H

#include <sched.h>

#define CPU_MACRO_RESULTS_MAX 96

/* Record expression e (as a long) and its text. */
#define R(e) (out[n] = (long)(e), names[n] = #e, n++)

/* A cpu_set_t and a CPU_ALLOC'd set put through every macro; how many results. */
static int cpu_macro_results(long *out, const char **names)
{
    int n = 0;
    cpu_set_t a, b, c;
    R(CPU_SETSIZE);
    R(sizeof(cpu_set_t));
    CPU_ZERO(&a);
    R(CPU_COUNT(&a));
    R(CPU_SET(0, &a));
    R(CPU_SET(63, &a));
    R(CPU_SET(64, &a));
    R(CPU_SET(CPU_SETSIZE - 1, &a));
    R(CPU_SET(CPU_SETSIZE, &a));
    R(CPU_SET(-1, &a));
    R(CPU_COUNT(&a));
    R(CPU_ISSET(0, &a));
    R(CPU_ISSET(1, &a));
    R(CPU_ISSET(63, &a));
    R(CPU_ISSET(CPU_SETSIZE - 1, &a));
    R(CPU_ISSET(CPU_SETSIZE, &a));
    R(CPU_CLR(63, &a));
    R(CPU_CLR(CPU_SETSIZE, &a));
    R(CPU_COUNT(&a));
    CPU_ZERO(&b);
    CPU_SET(0, &b);
    CPU_SET(1, &b);
    CPU_SET(500, &b);
    CPU_AND(&c, &a, &b);
    R(CPU_COUNT(&c));
    R(CPU_ISSET(0, &c));
    CPU_OR(&c, &a, &b);
    R(CPU_COUNT(&c));
    R(CPU_ISSET(500, &c));
    CPU_XOR(&c, &a, &b);
    R(CPU_COUNT(&c));
    R(CPU_ISSET(0, &c));
    R(CPU_EQUAL(&a, &a));
    R(CPU_EQUAL(&a, &b));
    R(CPU_EQUAL(&c, &c));
    R(CPU_COUNT_S(8, &a));
    R(CPU_ISSET_S(64, 8, &a));
    R(CPU_SET_S(70, 8, &a));
    R(CPU_EQUAL_S(8, &a, &b));
    CPU_SET(65, &b);
    R(CPU_EQUAL_S(8, &a, &b));
    R(CPU_EQUAL_S(12, &a, &b));
    R(CPU_ALLOC_SIZE(0));
    R(CPU_ALLOC_SIZE(1));
    R(CPU_ALLOC_SIZE(64));
    R(CPU_ALLOC_SIZE(65));
    R(CPU_ALLOC_SIZE(1024));
    R(CPU_ALLOC_SIZE(1025));
    R(CPU_ALLOC_SIZE(200));
    size_t size = CPU_ALLOC_SIZE(200);
    cpu_set_t *d = CPU_ALLOC(200), *e = CPU_ALLOC(200);
    if (!d || !e)
        return 0;
    CPU_ZERO_S(size, d);
    CPU_ZERO_S(size, e);
    R(CPU_COUNT_S(size, d));
    R(CPU_SET_S(199, size, d));
    R(CPU_SET_S(255, size, d));
    R(CPU_SET_S(256, size, d));
    R(CPU_SET_S(3, size, d));
    R(CPU_COUNT_S(size, d));
    R(CPU_ISSET_S(255, size, d));
    R(CPU_ISSET_S(256, size, d));
    R(CPU_CLR_S(3, size, d));
    R(CPU_SET_S(3, size, e));
    R(CPU_SET_S(199, size, e));
    CPU_AND_S(size, e, d, e);
    R(CPU_COUNT_S(size, e));
    CPU_OR_S(size, e, d, e);
    R(CPU_COUNT_S(size, e));
    R(CPU_EQUAL_S(size, d, e));
    CPU_XOR_S(size, e, d, e);
    R(CPU_COUNT_S(size, e));
    R(CPU_EQUAL_S(size, d, e));
    CPU_FREE(d);
    CPU_FREE(e);
    return n;
}

#undef R

#endif
