/* errno, one per thread (TLS), and the syscall result convention. */
#include <errno.h>
#include "../internal/syscall.h"

static __thread int thread_errno;

int *__errno_location(void)
{
    return &thread_errno;
}

long syscall_result(long raw)
{
    if (raw < 0 && raw >= -MAX_ERRNO) {
        thread_errno = (int)-raw;
        return -1;
    }
    return raw;
}
