/*
 * fork with threads.  The child has one thread (the caller), so a lock
 * that another thread held at the fork would never be released there.
 * libc takes its global locks before the fork, which leaves the heap, the
 * stream list and the thread list consistent in the child, and frees them
 * after it on both sides.  Streams' own locks are not taken (a thread may
 * hold one for a long blocking read): the child resets them, as glibc does.
 * pthread_atfork handlers run around it as POSIX orders: prepare in
 * reverse order of registration, parent and child in order.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include "../internal/heap.h"
#include "../internal/libc.h"
#include "../internal/pthread.h"
#include "../internal/stdio_impl.h"

#define ATFORK_MAX 32

static struct libc_lock atfork_lock = LIBC_LOCK_INIT;  /* held from prepare to the end of fork */
static struct {
    void (*prepare)(void), (*parent)(void), (*child)(void);
} handlers[ATFORK_MAX];                                 /* [atfork_lock] */
static int handler_count;                               /* [atfork_lock] */

int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
    int err = ENOMEM;
    libc_lock(&atfork_lock);
    if (handler_count < ATFORK_MAX) {
        handlers[handler_count].prepare = prepare;
        handlers[handler_count].parent = parent;
        handlers[handler_count].child = child;
        handler_count++;
        err = 0;
    }
    libc_unlock(&atfork_lock);
    return err;
}

/* Before the fork system call: returns with every global lock of libc held. */
void libc_fork_prepare(void)
{
    libc_lock(&atfork_lock);
    for (int i = handler_count - 1; i >= 0; i--)
        if (handlers[i].prepare)
            handlers[i].prepare();
    libc_lock(&atexit_lock);
    libc_lock(&key_lock);
    libc_lock(&thread_list_lock);
    libc_lock(&open_lock);
    libc_lock(&heap_lock);
}

/* After it, on both sides (child: in the new process).  Keeps errno. */
void libc_fork_finish(int child)
{
    int saved = errno;
    if (child) {
        libc_lock_reset(&heap_lock);
        for (FILE *f = open_streams; f; f = f->next)
            libc_lock_reset(&f->lock);
        libc_lock_reset(&open_lock);
        thread_fork_child();            /* resets thread_list_lock */
        libc_lock_reset(&key_lock);
        libc_lock_reset(&atexit_lock);
    } else {
        libc_unlock(&heap_lock);
        libc_unlock(&open_lock);
        libc_unlock(&thread_list_lock);
        libc_unlock(&key_lock);
        libc_unlock(&atexit_lock);
    }
    for (int i = 0; i < handler_count; i++) {
        void (*handler)(void) = child ? handlers[i].child : handlers[i].parent;
        if (handler)
            handler();
    }
    if (child)
        libc_lock_reset(&atfork_lock);
    else
        libc_unlock(&atfork_lock);
    errno = saved;
}
