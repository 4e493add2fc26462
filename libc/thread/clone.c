/*
 * clone(): Linux's <sched.h> wrapper of the system call that makes both
 * threads and processes.  fn(arg) runs in the new thread or process, on
 * stack (its highest address), and its result is the thread's exit code.
 * The optional arguments are, in order, parent_tid, tls and child_tid,
 * read as musl reads them: always, whether the flags use them or not.
 *
 * The new thread shares the caller's TLS unless CLONE_SETTLS says
 * otherwise: without its own errno, it should make no call of this libc
 * that can fail (pthread_create is the way to a full thread).
 */
#include <sched.h>
#include <stdarg.h>
#include "../internal/pthread.h"
#include "../internal/syscall.h"

int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    volatile int *parent_tid = va_arg(ap, volatile int *);
    void *tls = va_arg(ap, void *);
    volatile int *child_tid = va_arg(ap, volatile int *);
    va_end(ap);
    return (int)syscall_result(libc_clone(fn, stack, (unsigned long)(unsigned)flags, arg,
                                          parent_tid, tls, child_tid));
}
