/*
 * Thread-local storage as crt0 sets it up: the TCB at %fs:0 points to
 * itself, initialized and zeroed __thread variables have their values, an
 * over-aligned one is aligned, and errno lives there too.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include "check.h"

static __thread int initialized = 1234;
static __thread long zeroed;
static __thread _Alignas(64) char aligned[3] = "ab";
static __thread char large[8192];       /* more than the static reserve: the block is mmap'ed */

static void *thread_pointer(void)
{
    void *tp;
    __asm__("mov %%fs:0, %0" : "=r"(tp));
    return tp;
}

static int tcb_points_to_itself(void)
{
    void *tp = thread_pointer();
    CHECK(tp && *(void **)tp == tp, "%%fs:0 is %p, which holds %p", tp, tp ? *(void **)tp : NULL);
    CHECK((char *)&initialized < (char *)tp && (char *)&zeroed < (char *)tp,
          "variant II: variables lie below the thread pointer");
    return 1;
}

static int variables_start_right(void)
{
    CHECK(initialized == 1234 && zeroed == 0, "initialized %d, zeroed %ld", initialized, zeroed);
    CHECK(aligned[0] == 'a' && aligned[1] == 'b' && (uintptr_t)aligned % 64 == 0, "aligned at %p",
          (void *)aligned);
    for (size_t i = 0; i < sizeof large; i++)
        CHECK(large[i] == 0, "large[%zu] is %d", i, large[i]);
    initialized++;
    large[sizeof large - 1] = 1;
    CHECK(initialized == 1235 && large[sizeof large - 1] == 1, "writes stick");
    return 1;
}

static int errno_is_thread_local(void)
{
    errno = 0;
    CHECK(close(-1) == -1 && errno == EBADF, "close(-1): errno %d", errno);
    int *where = &errno;
    CHECK((char *)where < (char *)thread_pointer() &&
          (char *)where > (char *)thread_pointer() - 16384, "errno at %p is not in the TLS block",
          (void *)where);
    CHECK(read(-1, NULL, 0) == -1 && *where == EBADF && getpid() > 0 && errno == EBADF,
          "errno is kept across a successful call");
    return 1;
}

int main(void)
{
    RUN(tcb_points_to_itself);
    RUN(variables_start_right);
    RUN(errno_is_thread_local);
    return failures != 0;
}
