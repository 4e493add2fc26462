/* Limits of the integer types (LP64) and of the system. */
#ifndef _LIMITS_H
#define _LIMITS_H

#define CHAR_BIT    8
#define SCHAR_MIN   (-SCHAR_MAX - 1)
#define SCHAR_MAX   __SCHAR_MAX__
#define UCHAR_MAX   (SCHAR_MAX * 2 + 1)
#ifdef __CHAR_UNSIGNED__
#define CHAR_MIN    0
#define CHAR_MAX    UCHAR_MAX
#else
#define CHAR_MIN    SCHAR_MIN
#define CHAR_MAX    SCHAR_MAX
#endif
#define SHRT_MIN    (-SHRT_MAX - 1)
#define SHRT_MAX    __SHRT_MAX__
#define USHRT_MAX   (SHRT_MAX * 2 + 1)
#define INT_MIN     (-INT_MAX - 1)
#define INT_MAX     __INT_MAX__
#define UINT_MAX    (INT_MAX * 2U + 1U)
#define LONG_MIN    (-LONG_MAX - 1L)
#define LONG_MAX    __LONG_MAX__
#define ULONG_MAX   (LONG_MAX * 2UL + 1UL)
#define LLONG_MIN   (-LLONG_MAX - 1LL)
#define LLONG_MAX   __LONG_LONG_MAX__
#define ULLONG_MAX  (LLONG_MAX * 2ULL + 1ULL)
#define SSIZE_MAX   LONG_MAX
#define MB_LEN_MAX  1               /* the C locale only */

/* Linux's values, which the kernel's checks use too. */
#define PATH_MAX    4096            /* bytes in a path, NUL included */
#define NAME_MAX    255             /* bytes in a file name */
#define PIPE_BUF    4096            /* pipe writes up to this size are atomic */
#define ARG_MAX     131072          /* bytes of exec arguments and environment */
#define NGROUPS_MAX 65536
#define HOST_NAME_MAX 64
#define IOV_MAX     1024

/* Threads (libc/thread/). */
#define PTHREAD_STACK_MIN             16384     /* smallest stack pthread_attr_setstacksize takes */
#define PTHREAD_KEYS_MAX              128       /* pthread_key_create's keys per process */
#define PTHREAD_DESTRUCTOR_ITERATIONS 4         /* rounds of key destructors at thread exit */
#define SEM_VALUE_MAX                 0x7fffffff

#endif
