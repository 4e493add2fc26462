/*
 * Pseudo-random numbers: a 64-bit linear congruential generator (Knuth's
 * MMIX constants) whose top 31 bits are the result; rand_r mixes its
 * caller-held 32-bit state the same way.  Not for cryptography.
 */
#include <stdint.h>
#include <stdlib.h>

#define LCG_MULTIPLIER 6364136223846793005ULL
#define LCG_INCREMENT  1442695040888963407ULL
#define RESULT_SHIFT   33           /* 64 - 31 bits of RAND_MAX */

static uint64_t state = 1;          /* as if srand(1), as C requires */

static int next(uint64_t *s)
{
    *s = *s * LCG_MULTIPLIER + LCG_INCREMENT;
    return (int)(*s >> RESULT_SHIFT);
}

int rand(void)
{
    return next(&state);
}

void srand(unsigned int seed)
{
    state = seed;
}

int rand_r(unsigned int *seed)
{
    uint64_t s = *seed;
    int result = next(&s);
    *seed = (unsigned int)(s >> 32);
    return result;
}

long random(void)
{
    return rand();
}

void srandom(unsigned int seed)
{
    srand(seed);
}
