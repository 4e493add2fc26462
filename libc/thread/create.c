/*
 * Threads: creation, exit, join and detach, and the list of live threads
 * that lets join and detach tell a live thread from a number that names
 * nothing (see internal/pthread.h for the layout and the life cycle).
 *
 * A thread is clone() with everything shared (THREAD_CLONE_FLAGS) on a
 * fresh mapping that holds its stack, an inaccessible guard page below the
 * stack, its TLS block with the TCB (%fs:0) and its struct pthread.
 *
 * LAB kstack BEGIN (docs/labs/kstack.md)
 * Or on a joined thread's mapping, kept for it as glibc keeps them: the
 * stack cache.  A thread made on a cached stack costs no mmap, no mprotect
 * for the guard, no page faults for the pages its predecessor touched, and
 * its join no munmap.  Only a joiner caches a stack: it has seen the kernel
 * clear the thread's tid (CLONE_CHILD_CLEARTID), which it does after the
 * thread's last user-mode instruction, so nothing runs on it any more.  A
 * detached thread still unmaps its own stack as it exits (nobody could
 * tell when it has left it).  The stack's old contents stay, as in glibc
 * (a new stack's contents are undefined); the record is cleared and the
 * TLS block built again.  A fork child inherits the cache with the
 * mappings.  __libc_freeres empties it (leak checks).
 * LAB kstack END
 */
#include <abi/cputime.h>
#include <abi/sched.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../internal/futex.h"
#include "../internal/libc.h"
#include "../internal/pthread.h"
#include "../internal/syscall.h"
#include "../internal/tls.h"

#define PAGE_SIZE          4096
#define SIGSET_BYTES       sizeof(unsigned long)
#define STACK_ALIGN        16

/* The flag set of musl and glibc: a thread sharing everything, its TLS, tid published and cleared. */
#define THREAD_CLONE_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
                            CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

struct libc_lock thread_list_lock = LIBC_LOCK_INIT;
static struct pthread *threads;         /* [thread_list_lock] live threads, newest first */
static int live_threads = 1;            /* [thread_list_lock] threads that have not begun to exit */
static pthread_t last_id;               /* [thread_list_lock] ids count up from 1, the main thread */
static struct pthread main_thread;

static struct tcb *tcb_self(void)
{
    struct tcb *tcb;
    __asm__("mov %%fs:0, %0" : "=r"(tcb));
    return tcb;
}

/* Needs thread_list_lock. */
static void list_insert(struct pthread *t)
{
    t->prev = NULL;
    t->next = threads;
    if (threads)
        threads->prev = t;
    threads = t;
}

/* Needs thread_list_lock. */
static void list_remove(struct pthread *t)
{
    if (t->prev)
        t->prev->next = t->next;
    else
        threads = t->next;
    if (t->next)
        t->next->prev = t->prev;
    t->next = t->prev = NULL;
}

/* The live thread named id, or NULL.  Needs thread_list_lock. */
static struct pthread *list_find(pthread_t id)
{
    for (struct pthread *t = threads; t; t = t->next)
        if (t->id == id)
            return t;
    return NULL;
}

/*
 * Only the main thread can have no record yet (every created thread gets
 * one before it runs), and it gets one before it creates the first thread:
 * so this runs while the process has a single thread.
 */
struct pthread *thread_self(void)
{
    struct tcb *tcb = tcb_self();
    if (!tcb->thread) {
        main_thread.id = ++last_id;
        main_thread.state = THREAD_JOINABLE;
        /* so that the kernel clears tid when main calls pthread_exit, and it can be joined */
        main_thread.tid = (int)__syscall1(SYS_set_tid_address, &main_thread.tid);
        list_insert(&main_thread);
        tcb->thread = &main_thread;
    }
    return tcb->thread;
}

int thread_tid_of(pthread_t id, struct pthread **thread)
{
    libc_lock(&thread_list_lock);
    struct pthread *t = list_find(id);
    int tid = t && t->state != THREAD_EXITING ? t->tid : 0;
    libc_unlock(&thread_list_lock);
    *thread = t;
    return tid;
}

pthread_t pthread_self(void)
{
    return thread_self()->id;
}

int pthread_equal(pthread_t a, pthread_t b)
{
    return a == b;
}

/* The new thread's first C code: the creator's signal mask back, then start(arg). */
static int thread_start(void *arg)
{
    struct pthread *self = arg;
    __syscall4(SYS_rt_sigprocmask, SIG_SETMASK, &self->saved_mask, 0, SIGSET_BYTES);
    pthread_exit(self->start(self->arg));
}

/* LAB kstack BEGIN */
/*
 * Mappings (their map_size) the stack cache holds at most: glibc's bound,
 * five stacks of the default size.  Only the pages their threads touched
 * are memory, and they stay with the cached stack (glibc gives most of
 * them back at the thread's exit with MADV_DONTNEED, a system call per
 * thread; we do not): this bounds what the cache can hold.
 */
#define STACK_CACHE_BYTES (40ul << 20)

static struct pthread *stack_cache;     /* [thread_list_lock] records of cached mappings, last cached first */
static size_t stack_cache_bytes;        /* [thread_list_lock] their map_size, summed */

/* A cached mapping of size bytes with guard_size bytes of guard, its record cleared; NULL if none. */
static struct pthread *stack_cache_take(size_t size, size_t guard_size)
{
    libc_lock(&thread_list_lock);
    struct pthread **link = &stack_cache, *t;
    while ((t = *link) && (t->map_size != size || t->guard_size != guard_size))
        link = &t->next;
    if (t) {
        *link = t->next;
        stack_cache_bytes -= size;
    }
    libc_unlock(&thread_list_lock);
    if (t) {
        void *map = t->map;
        bool had_specific = t->has_specific;
        memset(t, 0, offsetof(struct pthread, specific));
        if (had_specific)       /* otherwise every value is still NULL: a thread's record is 1 KiB of them */
            memset(t->specific, 0, sizeof t->specific);
        t->map = map;
        t->map_size = size;
        t->guard_size = guard_size;
    }
    return t;
}

/*
 * Keep joined thread t's mapping for the next thread; false if it has none
 * or the cache no room.  Needs thread_list_lock.
 */
static bool stack_cache_put(struct pthread *t)
{
    if (!t->map || stack_cache_bytes + t->map_size > STACK_CACHE_BYTES)
        return false;
    t->next = stack_cache;
    stack_cache = t;
    stack_cache_bytes += t->map_size;
    return true;
}
/* LAB kstack END */

/*
 * glibc's one call for memory checkers (valgrind makes it before it reports
 * leaks): give back what libc keeps in caches, which for us are the stacks
 * of joined threads.  The tests' leak checks call it (tests/user/utest.h).
 */
void __libc_freeres(void)
{
    /* LAB kstack BEGIN */
    for (;;) {
        libc_lock(&thread_list_lock);
        struct pthread *t = stack_cache;
        if (t) {
            stack_cache = t->next;
            stack_cache_bytes -= t->map_size;
        }
        libc_unlock(&thread_list_lock);
        if (!t)
            return;
        __syscall2(SYS_munmap, t->map, t->map_size);   /* the record goes with it */
    }
    /* LAB kstack END */
}

/* A mapping for a thread with stack_size bytes of stack, its record at the top; NULL if none. */
static struct pthread *map_thread(size_t stack_size, size_t guard_size)
{
    size_t size = ALIGN_UP(guard_size + stack_size + tls_area_size() + sizeof(struct pthread) + STACK_ALIGN,
                           (size_t)PAGE_SIZE);
    /* LAB kstack BEGIN */
    struct pthread *cached = stack_cache_take(size, guard_size);
    if (cached)
        return cached;
    /* LAB kstack END */
    /* LAB kstack STUB
    // Lab kstack: a cached mapping of this size and guard would do (no mmap, no mprotect, no faults).
       LAB kstack STUB END */
    long map = __syscall6(SYS_mmap, 0, (long)size, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (map < 0 && map >= -MAX_ERRNO)
        return NULL;
    if (guard_size && __syscall3(SYS_mprotect, map, (long)guard_size, PROT_NONE) != 0) {
        __syscall2(SYS_munmap, map, size);
        return NULL;
    }
    uintptr_t top = (uintptr_t)map + size;
    struct pthread *t = (struct pthread *)((top - sizeof *t) & ~(uintptr_t)(STACK_ALIGN - 1));
    t->map = (void *)map;               /* the rest of *t is zero: a fresh mapping */
    t->map_size = size;
    t->guard_size = guard_size;
    return t;
}

/* A thread on the caller's stack (pthread_attr_setstack): its record and TLS at the top; NULL if too small. */
static struct pthread *place_thread(void *stack, size_t size)
{
    uintptr_t top = (uintptr_t)stack + size;
    struct pthread *t = (struct pthread *)((top - sizeof *t) & ~(uintptr_t)(STACK_ALIGN - 1));
    if ((uintptr_t)t < (uintptr_t)stack + tls_area_size() + PTHREAD_STACK_MIN / 2)
        return NULL;
    memset(t, 0, sizeof *t);            /* t->map stays NULL: the stack is not ours to unmap */
    return t;
}

/* The record, stack and guard that attr asks for; NULL with *err set if there are none. */
static struct pthread *new_thread(const pthread_attr_t *attr, int *err)
{
    struct pthread *t;
    if (attr && attr->__stackaddr) {
        t = place_thread(attr->__stackaddr, attr->__stacksize);
        *err = EINVAL;
    } else {
        size_t stack_size = attr ? attr->__stacksize : THREAD_DEFAULT_STACK;
        size_t guard_size = ALIGN_UP(attr ? attr->__guardsize : THREAD_DEFAULT_GUARD, (size_t)PAGE_SIZE);
        t = map_thread(stack_size, guard_size);
        *err = EAGAIN;
    }
    return t;
}

/*
 * Build t's TLS below its record, list it and clone it onto its stack,
 * which starts below the TLS block.  0, or EAGAIN with t freed.
 */
static int launch(struct pthread *t, pthread_t *result)
{
    char *tls_area = (char *)t - tls_area_size();
    struct tcb *tcb = tls_build(tls_area);
    tcb->thread = t;
    char *stack_top = (char *)((uintptr_t)tls_area & ~(uintptr_t)(STACK_ALIGN - 1));

    /* No signal until the new thread has its record; it restores saved_mask itself. */
    unsigned long all = ~0ul, mask;
    __syscall4(SYS_rt_sigprocmask, SIG_BLOCK, &all, &mask, SIGSET_BYTES);
    t->saved_mask = mask;
    libc_lock(&thread_list_lock);       /* held across clone: the list never shows a tid of 0 early */
    *result = t->id = ++last_id;        /* before it runs: it may read the variable its creator fills */
    list_insert(t);
    live_threads++;
    long tid = libc_clone(thread_start, stack_top, THREAD_CLONE_FLAGS, t, &t->tid, tcb, &t->tid);
    if (tid < 0) {
        list_remove(t);
        live_threads--;
    }
    libc_unlock(&thread_list_lock);
    /* From here on a detached t may be gone: only locals. */
    __syscall4(SYS_rt_sigprocmask, SIG_SETMASK, &mask, 0, SIGSET_BYTES);
    if (tid < 0) {
        if (t->map)
            __syscall2(SYS_munmap, t->map, t->map_size);
        return EAGAIN;
    }
    return 0;
}

int pthread_create(pthread_t *result, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
    thread_self();                      /* the main thread's record comes first */
    int err;
    struct pthread *t = new_thread(attr, &err);
    if (!t)
        return err;
    t->start = start;
    t->arg = arg;
    t->state = attr && attr->__detachstate == PTHREAD_CREATE_DETACHED ? THREAD_DETACHED : THREAD_JOINABLE;
    return launch(t, result);
}

/*
 * Wait until t has left user space (the kernel cleared its tid), collect
 * its result and free it.  The caller has claimed t (THREAD_JOINING).
 */
static void reap(struct pthread *t, void **result)
{
    int tid;
    while ((tid = t->tid) != 0)
        futex_wait(&t->tid, tid, FUTEX_WAIT);   /* not _PRIVATE: the kernel's exit wake is plain */
    if (result)
        *result = t->result;
    void *map = t->map;                 /* once cached, t is the next creator's */
    size_t map_size = t->map_size;
    bool cached = false;
    libc_lock(&thread_list_lock);
    list_remove(t);
    thread_self()->joining = NULL;
    /* LAB kstack BEGIN */
    cached = stack_cache_put(t);
    /* LAB kstack END */
    /* LAB kstack STUB
    // Lab kstack: keep the mapping for the next thread here (cached = true) if the cache has room.
       LAB kstack STUB END */
    libc_unlock(&thread_list_lock);
    if (map && !cached)
        __syscall2(SYS_munmap, map, map_size);
}

int pthread_join(pthread_t id, void **result)
{
    struct pthread *self = thread_self();
    int err = 0;
    libc_lock(&thread_list_lock);
    struct pthread *t = list_find(id);
    if (!t)
        err = ESRCH;
    else if (t == self || t->joining == self)
        err = EDEADLK;                  /* itself, or a thread that is joining us */
    else if (t->state == THREAD_DETACHED || t->state == THREAD_JOINING)
        err = EINVAL;
    else {
        t->state = THREAD_JOINING;
        self->joining = t;
    }
    libc_unlock(&thread_list_lock);
    if (err)
        return err;
    reap(t, result);
    return 0;
}

int pthread_detach(pthread_t id)
{
    int err = 0;
    bool ended = false;
    libc_lock(&thread_list_lock);
    struct pthread *t = list_find(id);
    if (!t)
        err = ESRCH;
    else if (t->state == THREAD_DETACHED || t->state == THREAD_JOINING)
        err = EINVAL;
    else if (t->state == THREAD_JOINABLE)
        t->state = THREAD_DETACHED;
    else {
        t->state = THREAD_JOINING;      /* it has ended already: free it now */
        ended = true;
    }
    libc_unlock(&thread_list_lock);
    if (ended)
        reap(t, NULL);
    return err;
}

_Noreturn void pthread_exit(void *result)
{
    struct pthread *self = thread_self();
    while (self->cleanup) {
        struct __pthread_cleanup *frame = self->cleanup;
        self->cleanup = frame->__next;
        frame->__routine(frame->__arg);
    }
    thread_run_key_destructors(self);
    self->result = result;

    libc_lock(&thread_list_lock);
    if (--live_threads == 0) {          /* the last thread: the process ends as if by exit(0) */
        libc_unlock(&thread_list_lock);
        exit(0);
    }
    bool detached = self->state == THREAD_DETACHED;
    if (detached)
        list_remove(self);
    else if (self->state == THREAD_JOINABLE)
        self->state = THREAD_EXITING;
    libc_unlock(&thread_list_lock);

    if (detached) {
        /* Nobody will join: no tid write into memory that may be reused once we are gone. */
        __syscall1(SYS_set_tid_address, 0);
    }
    if (detached && self->map) {
        /* Free the stack we stand on, with no signal in between. */
        unsigned long all = ~0ul;
        __syscall4(SYS_rt_sigprocmask, SIG_BLOCK, &all, 0, SIGSET_BYTES);
        libc_unmap_and_exit(self->map, self->map_size);
    }
    for (;;)
        __syscall1(SYS_exit, 0);        /* this thread only (exit() would end them all) */
}

int pthread_kill(pthread_t id, int signal)
{
    libc_lock(&thread_list_lock);
    struct pthread *t = list_find(id);
    int tid = t ? t->tid : 0;
    libc_unlock(&thread_list_lock);
    if (!tid)
        return ESRCH;
    return (int)-__syscall3(SYS_tgkill, getpid(), tid, signal);
}

/* The thread's CPU-time clock: Linux's encoding of its tid (abi/cputime.h). */
int pthread_getcpuclockid(pthread_t id, clockid_t *clock)
{
    struct pthread *t;
    int tid = thread_tid_of(id, &t);
    if (!tid)
        return ESRCH;
    *clock = CPUCLOCK_MAKE(tid, CPUCLOCK_SCHED | CPUCLOCK_PERTHREAD);
    return 0;
}

/* As in musl and glibc, SIGCANCEL cannot be blocked: pthread_cancel must reach the thread. */
int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
    sigset_t allowed;
    if (set && how != SIG_UNBLOCK) {
        allowed = *set;
        sigdelset(&allowed, SIGCANCEL);
        set = &allowed;
    }
    return (int)-__syscall4(SYS_rt_sigprocmask, how, set, old, SIGSET_BYTES);
}

void __pthread_cleanup_push(struct __pthread_cleanup *frame, void (*routine)(void *), void *arg)
{
    struct pthread *self = thread_self();
    frame->__routine = routine;
    frame->__arg = arg;
    frame->__next = self->cleanup;
    self->cleanup = frame;
}

void __pthread_cleanup_pop(struct __pthread_cleanup *frame, int execute)
{
    thread_self()->cleanup = frame->__next;
    if (execute)
        frame->__routine(frame->__arg);
}

void thread_clear_key(pthread_key_t key)
{
    libc_lock(&thread_list_lock);
    for (struct pthread *t = threads; t; t = t->next)
        t->specific[key] = NULL;
    libc_unlock(&thread_list_lock);
}

/*
 * In a fork child, with thread_list_lock taken before the fork: the caller
 * is the only thread.  The others' records and stacks stay (a copy of the
 * parent's memory may point into them), but they are no longer threads.
 */
void thread_fork_child(void)
{
    struct pthread *self = tcb_self()->thread;
    live_threads = 1;
    if (self) {
        self->tid = (int)__syscall1(SYS_set_tid_address, &self->tid);
        threads = NULL;
        list_insert(self);
        if (self->state == THREAD_EXITING || self->state == THREAD_JOINING)
            self->state = THREAD_JOINABLE;
    }
    libc_lock_reset(&thread_list_lock);
}
