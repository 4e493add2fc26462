/* getrandom's flags: Linux's, shared by the kernel and libc's <sys/random.h>. */
#ifndef ABI_RANDOM_H
#define ABI_RANDOM_H

#define GRND_NONBLOCK   0x0001  /* do not block (ours never does) */
#define GRND_RANDOM     0x0002  /* the "random" pool (ours has one source) */
#define GRND_INSECURE   0x0004  /* no need for entropy (ours never waits for it) */

#endif
