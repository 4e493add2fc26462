/*
 * The threads of a process, as libc sees them (libc/thread/).
 *
 * Every thread has a struct pthread, reachable from its TCB (%fs:0 ->
 * struct tcb -> thread).  The main thread's is static and set up on first
 * use; a created thread's lies at the top of its own mapping:
 *
 *   map                                                          map + map_size
 *   | guard (PROT_NONE) | stack, growing down ->| TLS block, TCB | struct pthread |
 *
 * (with pthread_attr_setstack, TLS and record sit at the top of the
 * caller's stack instead, and map is NULL: nothing to unmap).
 * LAB kstack BEGIN
 * A joined thread's mapping may be kept for the next thread: the stack
 * cache of thread/create.c, [l], its records linked by next.
 * LAB kstack END
 *
 * Locking: thread_list_lock guards the list of live threads and each
 * thread's [l] fields.  Lock order: atexit_lock, key_lock,
 * thread_list_lock, then stdio's and the heap's (thread/fork.c takes them
 * in that order).
 *
 * A thread's life, in its state field:
 *   JOINABLE --pthread_detach--> DETACHED --exit--> (frees itself, leaves the list)
 *   JOINABLE --pthread_exit----> EXITING  --join/detach--> (joiner frees it)
 *   JOINABLE or EXITING --pthread_join--> JOINING --tid cleared--> (joiner frees it)
 * The joiner knows the thread is gone from user space when the kernel has
 * cleared tid (CLONE_CHILD_CLEARTID) and woken the futex on it.
 */
#ifndef LIBC_INTERNAL_PTHREAD_H
#define LIBC_INTERNAL_PTHREAD_H

#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include "lock.h"

/* Linux's default stack (its RLIMIT_STACK): mappings are demand-zero, so only touched pages cost. */
#define THREAD_DEFAULT_STACK (8ul << 20)
#define THREAD_DEFAULT_GUARD 4096ul     /* one page */

enum thread_state {
    THREAD_JOINABLE,        /* running; someone may join it */
    THREAD_DETACHED,        /* running; frees itself when it ends */
    THREAD_EXITING,         /* ended or ending; waits for a join */
    THREAD_JOINING,         /* a joiner has claimed it: no other join or detach */
};

struct pthread {
    struct pthread *next, *prev;    /* [l] the list of live threads */
    pthread_t id;                   /* never reused; what pthread_t holds */
    volatile int tid;               /* kernel thread id; zeroed by the kernel when it ends */
    enum thread_state state;        /* [l] */
    struct pthread *joining;        /* [l] the thread this one waits in pthread_join for */
    void *(*start)(void *);
    void *arg;
    void *result;                   /* pthread_exit's value, for the joiner */
    void *map;                      /* its mapping (NULL: the main thread, or a stack of the caller's) */
    size_t map_size;
    size_t guard_size;              /* the PROT_NONE bytes at map's start */
    unsigned long saved_mask;       /* the creator's signal mask, restored in the new thread */
    struct __pthread_cleanup *cleanup;      /* pthread_cleanup_push frames, innermost first */
    _Bool has_specific;                     /* a value was ever set in specific: the exit runs destructors */
    /* cancellation (thread/cancel.c) */
    volatile int cancel_requested;          /* pthread_cancel was called on it */
    volatile int in_cancel_point;           /* blocked in (or entering) a cancellation point */
    int cancel_disabled;                    /* PTHREAD_CANCEL_DISABLE */
    int cancel_async;                       /* PTHREAD_CANCEL_ASYNCHRONOUS */
    void *cancel_mutex;                     /* in pthread_cond_wait: the mutex to take back first */
    void *specific[PTHREAD_KEYS_MAX];       /* pthread_setspecific values (last: most of the record) */
};

/* The signal pthread_cancel sends (a real-time signal libc keeps for itself, as musl does). */
#define SIGCANCEL 33

/* The live thread named id, or NULL (thread/create.c); its tid, for pthread_cancel. */
int thread_tid_of(pthread_t id, struct pthread **thread);

/*
 * Around a blocking call that is a cancellation point: begin acts on a
 * pending cancel (the thread exits), and a cancel that arrives while it
 * blocks interrupts it and ends the thread; end returns to normal.
 */
void cancel_point_begin(void);
void cancel_point_end(void);

extern struct libc_lock key_lock;           /* pthread_key_create's table (thread/key.c) */
extern struct libc_lock thread_list_lock;

/* The calling thread (sets up the main thread's record on first use). */
struct pthread *thread_self(void);

/* Run every key's destructor on the calling thread's values (thread/key.c). */
void thread_run_key_destructors(struct pthread *self);

/* Clear slot key of every live thread, under thread_list_lock (thread/create.c). */
void thread_clear_key(pthread_key_t key);

/* In a fork child: the caller is the only thread (thread/create.c). */
void thread_fork_child(void);

/* Give back what libc caches: the stacks of joined threads (thread/create.c; glibc's name). */
void __libc_freeres(void);

/*
 * Start fn(arg) in a new thread on stack with the given clone flags
 * (arch/x86_64/clone.S); returns the new tid or -errno.  When fn returns,
 * the thread exits with its value.
 */
long libc_clone(int (*fn)(void *), void *stack, unsigned long flags, void *arg,
                volatile int *parent_tid, void *tls, volatile int *child_tid);

/* Unmap [base, base + size) and exit the thread, touching no stack in between. */
__attribute__((__noreturn__)) void libc_unmap_and_exit(void *base, size_t size);

#endif
