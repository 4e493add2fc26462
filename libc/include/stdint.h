/*
 * GCC's own <stdint.h> does #include_next <stdint.h> in a hosted build,
 * expecting the C library to supply the real one; its freestanding variant
 * is <stdint-gcc.h>.  We are that C library, and the compiler's types are
 * exactly what we want, so take them directly.  This lets user programs be
 * compiled hosted (builtins such as printf -> puts stay on) while
 * -nostdinc keeps every other header ours.
 */
#ifndef _STDINT_H
#define _STDINT_H
#include <stdint-gcc.h>
#endif
