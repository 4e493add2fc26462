/* pthread_once: the first caller runs init; the others sleep until it is done. */
#include <limits.h>
#include <pthread.h>
#include "../internal/futex.h"

enum {
    ONCE_NEVER = PTHREAD_ONCE_INIT,
    ONCE_RUNNING,                       /* init runs, nobody waits */
    ONCE_WAITED,                        /* init runs, someone sleeps on the word */
    ONCE_DONE,
};

int pthread_once(pthread_once_t *once, void (*init)(void))
{
    volatile int *word = once;
    if (__atomic_load_n(word, __ATOMIC_ACQUIRE) == ONCE_DONE)
        return 0;
    if (__sync_bool_compare_and_swap(word, ONCE_NEVER, ONCE_RUNNING)) {
        init();
        if (__atomic_exchange_n(word, ONCE_DONE, __ATOMIC_RELEASE) == ONCE_WAITED)
            futex_wake(word, INT_MAX, FUTEX_WAKE_PRIVATE);
        return 0;
    }
    for (;;) {
        int state = __atomic_load_n(word, __ATOMIC_ACQUIRE);
        if (state == ONCE_DONE)
            return 0;
        if (state == ONCE_RUNNING && !__sync_bool_compare_and_swap(word, ONCE_RUNNING, ONCE_WAITED))
            continue;
        futex_wait(word, ONCE_WAITED, FUTEX_WAIT_PRIVATE);
    }
}
