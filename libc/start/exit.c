/*
 * Ending the process: exit runs the atexit handlers (last registered
 * first), then the destructors, flushes every stream and calls exit_group.
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "../internal/libc.h"
#include "../internal/lock.h"
#include "../internal/syscall.h"

#define ATEXIT_MAX 64   /* POSIX asks for at least 32 */

/* Exit status when abort() cannot kill the process with SIGABRT. */
#define ABORT_FALLBACK_STATUS 127

struct libc_lock atexit_lock = LIBC_LOCK_INIT;     /* first in lock order (internal/lock.h) */
static void (*handlers[ATEXIT_MAX])(void);     /* [atexit_lock] */
static int handler_count;                       /* [atexit_lock] */

typedef void (*fini_function)(void);
extern fini_function __fini_array_start[] __attribute__((weak));
extern fini_function __fini_array_end[] __attribute__((weak));

/* Register function to run at exit; -1 when the table is full. */
int atexit(void (*function)(void))
{
    int result = -1;
    libc_lock(&atexit_lock);
    if (handler_count < ATEXIT_MAX) {
        handlers[handler_count++] = function;
        result = 0;
    }
    libc_unlock(&atexit_lock);
    return result;
}

/* Each handler runs once, even if one of them calls exit() again. */
void libc_run_exit_handlers(void)
{
    for (;;) {
        libc_lock(&atexit_lock);
        void (*function)(void) = handler_count ? handlers[--handler_count] : NULL;
        libc_unlock(&atexit_lock);
        if (!function)
            break;
        function();
    }
    for (fini_function *f = __fini_array_end; f > __fini_array_start; )
        (*--f)();
    libc_stdio_flush_all();
}

_Noreturn void exit(int status)
{
    libc_run_exit_handlers();
    _exit(status);
}

_Noreturn void _exit(int status)
{
    for (;;)
        __syscall1(SYS_exit_group, status);
}

_Noreturn void _Exit(int status)
{
    _exit(status);
}

/* SIGABRT even if the program catches or ignores it; streams are not flushed. */
_Noreturn void abort(void)
{
    raise(SIGABRT);
    signal(SIGABRT, SIG_DFL);
    raise(SIGABRT);
    raise(SIGKILL);
    _exit(ABORT_FALLBACK_STATUS);
}
