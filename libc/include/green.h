/*
 * Green threads: the many-to-one model, a thread library in user space on
 * one kernel thread (libc/green/green.c).  Next to pthreads (one-to-one:
 * each thread is a kernel thread the scheduler sees), it shows what the
 * textbook says of the model: a switch is a function call (no system
 * call, no kernel), but the kernel sees one thread, so
 *   - the green threads of a kernel thread never run at the same instant,
 *     on any number of CPUs;
 *   - a green thread that blocks in the kernel (sleep, read) blocks them
 *     all;
 *   - switches happen only where a green thread yields, joins or ends
 *     (cooperative: nothing preempts one).
 * They share everything the kernel thread has, errno included.  Each
 * kernel thread has its own set of green threads: the calling thread's
 * first call makes it green thread 0.
 */
#ifndef _GREEN_H
#define _GREEN_H

#define GREEN_STACK_SIZE (64 * 1024)   /* each green thread's stack (malloc'ed) */

typedef struct green_thread green_t;

/* Start fn(arg) as a new green thread, queued behind the others; 0, or ENOMEM (or ENOSYS). */
int green_create(green_t **thread, void *(*fn)(void *), void *arg);

/* Let the next runnable green thread of this kernel thread run; back here in turn. */
void green_yield(void);

/* Wait for thread to end (running the others meanwhile), store its result, free it; 0 or EDEADLK, EINVAL. */
int green_join(green_t *thread, void **result);

/* End the calling green thread with result (green thread 0, the kernel thread's own flow, may not). */
__attribute__((noreturn)) void green_exit(void *result);

/* The calling green thread. */
green_t *green_self(void);

#endif
