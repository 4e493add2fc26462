/*
 * Thread-specific data: a key is an index into every thread's specific[]
 * (internal/pthread.h), with a destructor run at thread exit on the values
 * that are not NULL.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include "../internal/pthread.h"

struct libc_lock key_lock = LIBC_LOCK_INIT;    /* before thread_list_lock */
static struct {
    bool used;
    void (*destructor)(void *);
} keys[PTHREAD_KEYS_MAX];                       /* [key_lock] */

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
    int err = EAGAIN;
    libc_lock(&key_lock);
    for (pthread_key_t k = 0; k < PTHREAD_KEYS_MAX; k++) {
        if (!keys[k].used) {
            keys[k].used = true;
            keys[k].destructor = destructor;
            *key = k;
            err = 0;
            break;
        }
    }
    libc_unlock(&key_lock);
    return err;
}

/* Every thread's value goes, so that the next key on this slot starts at NULL everywhere. */
int pthread_key_delete(pthread_key_t key)
{
    int err = 0;
    libc_lock(&key_lock);
    if (key >= PTHREAD_KEYS_MAX || !keys[key].used) {
        err = EINVAL;
    } else {
        keys[key].used = false;
        keys[key].destructor = NULL;
        thread_clear_key(key);
    }
    libc_unlock(&key_lock);
    return err;
}

void *pthread_getspecific(pthread_key_t key)
{
    return key < PTHREAD_KEYS_MAX ? thread_self()->specific[key] : NULL;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
    if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
        return EINVAL;
    struct pthread *self = thread_self();
    self->specific[key] = (void *)value;
    self->has_specific |= value != NULL;
    return 0;
}

/* The destructor of key for a value the exiting thread holds; NULL if none (anymore). */
static void (*destructor_of(pthread_key_t key))(void *)
{
    libc_lock(&key_lock);
    void (*destructor)(void *) = keys[key].used ? keys[key].destructor : NULL;
    libc_unlock(&key_lock);
    return destructor;
}

/* POSIX: a destructor may set values again; give up after PTHREAD_DESTRUCTOR_ITERATIONS rounds. */
void thread_run_key_destructors(struct pthread *self)
{
    if (!self->has_specific)
        return;                 /* the common thread: no scan of every key at each exit */
    for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
        bool ran = false;
        for (pthread_key_t k = 0; k < PTHREAD_KEYS_MAX; k++) {
            void *value = self->specific[k];
            if (!value)
                continue;
            self->specific[k] = NULL;
            void (*destructor)(void *) = destructor_of(k);
            if (destructor) {
                destructor(value);
                ran = true;
            }
        }
        if (!ran)
            break;
    }
}
