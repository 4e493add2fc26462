/*
 * Green threads, the many-to-one model (see <green.h>): a run queue of
 * green threads per kernel thread, and a switch that is a function call
 * (libc/arch/x86_64/green_switch.S).  Nothing here enters the kernel but
 * malloc's own calls for a new thread's stack.
 *
 * Per kernel thread (thread-local): the running green thread, the queue
 * of the runnable others (FIFO: round robin at each yield), and green
 * thread 0, the kernel thread's own flow, made on the first call.
 */
#include <errno.h>
#include <green.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct green_thread {
    uint64_t rsp;               /* its stack pointer while switched away (green_switch's frame on top) */
    void *stack;                /* malloc'ed, GREEN_STACK_SIZE; NULL for green thread 0 */
    void *(*fn)(void *);
    void *arg;
    void *result;               /* what fn returned or green_exit was given */
    bool done;                  /* it ended: its joiner frees it */
    green_t *joiner;            /* the green thread waiting for it in green_join, or NULL */
    green_t *next, *prev;       /* in the run queue while runnable and not running */
};

static __thread green_t thread0;        /* the kernel thread's own flow */
static __thread green_t *running;       /* NULL until this kernel thread's first call */

/* LAB green BEGIN */
static __thread green_t queue;          /* the run queue's head: runnable, not running, FIFO */

void green_switch(uint64_t *save_rsp, uint64_t next_rsp);

#define DEFAULT_MXCSR   0x1f80          /* all SSE exceptions masked, round to nearest */
#define DEFAULT_FPUCW   0x037f          /* the same for x87, 64-bit precision */

/* green_switch's frame on a new stack, lowest address first: it "returns" into green_start. */
struct start_frame {
    uint64_t r15, r14, r13, r12, rbx, rbp;
    uint32_t mxcsr;
    uint16_t fpucw, unused;
    void (*ret)(void);          /* 16-byte aligned: green_start enters as if called */
    uint64_t outermost;         /* green_start's own return address: 0 ends a backtrace */
};

static void first_call(void)
{
    if (queue.next)
        return;
    queue.next = queue.prev = &queue;
    if (!running)
        running = &thread0;     /* green_self may have named it already */
}

static void enqueue(green_t *t)
{
    t->prev = queue.prev;
    t->next = &queue;
    queue.prev->next = t;
    queue.prev = t;
}

/* The first runnable green thread, taken off the queue; NULL if none. */
static green_t *dequeue(void)
{
    green_t *t = queue.next;
    if (t == &queue)
        return NULL;
    queue.next = t->next;
    t->next->prev = &queue;
    t->next = t->prev = NULL;
    return t;
}

static void switch_to(green_t *next)
{
    green_t *prev = running;
    running = next;
    if (next != prev)
        green_switch(&prev->rsp, next->rsp);
}

/* Run something else: every green thread of this kernel thread waits on another (a join cycle). */
static green_t *next_or_die(void)
{
    green_t *next = dequeue();
    if (!next) {
        fputs("green: every green thread is blocked\n", stderr);
        abort();
    }
    return next;
}

/* A new green thread's first code, on its own stack (green_switch returns here). */
static __attribute__((noreturn)) void green_start(void)
{
    green_exit(running->fn(running->arg));
}

int green_create(green_t **thread, void *(*fn)(void *), void *arg)
{
    first_call();
    green_t *t = calloc(1, sizeof *t);
    void *stack = malloc(GREEN_STACK_SIZE);
    if (!t || !stack) {
        free(t);
        free(stack);
        return ENOMEM;
    }
    uintptr_t top = ((uintptr_t)stack + GREEN_STACK_SIZE) & ~(uintptr_t)15;
    struct start_frame *f = (struct start_frame *)(top - sizeof *f);
    _Static_assert(sizeof *f - offsetof(struct start_frame, ret) == 16, "ret lands 16-byte aligned below top");
    *f = (struct start_frame){ .mxcsr = DEFAULT_MXCSR, .fpucw = DEFAULT_FPUCW, .ret = green_start };
    __asm__ volatile("stmxcsr %0; fnstcw %1" : "=m"(f->mxcsr), "=m"(f->fpucw));  /* the creator's, as pthreads */
    t->rsp = (uint64_t)f;
    t->stack = stack;
    t->fn = fn;
    t->arg = arg;
    enqueue(t);
    *thread = t;
    return 0;
}

void green_yield(void)
{
    first_call();
    if (queue.next == &queue)
        return;                         /* nobody else to run */
    enqueue(running);
    switch_to(dequeue());
}

int green_join(green_t *t, void **result)
{
    first_call();
    if (t == running)
        return EDEADLK;
    if (!t || t == &thread0 || (t->joiner && t->joiner != running))
        return EINVAL;
    while (!t->done) {
        t->joiner = running;            /* t's exit queues us again */
        switch_to(next_or_die());
    }
    if (result)
        *result = t->result;
    free(t->stack);                     /* it ran on it until its last switch: now it is ours to free */
    free(t);
    return 0;
}

void green_exit(void *result)
{
    first_call();
    if (running == &thread0) {
        fputs("green: green thread 0 cannot end (return from main, or exit)\n", stderr);
        abort();
    }
    running->result = result;
    running->done = true;
    if (running->joiner)
        enqueue(running->joiner);
    switch_to(next_or_die());
    __builtin_unreachable();            /* nothing switches back to an ended thread */
}
/* LAB green END */
/* LAB green STUB
// The library to write: until then no green thread can be made.
int green_create(green_t **thread, void *(*fn)(void *), void *arg)
{
    (void)thread, (void)fn, (void)arg;
    return ENOSYS;
}

void green_yield(void)
{
}

int green_join(green_t *t, void **result)
{
    (void)t, (void)result;
    return EINVAL;
}

void green_exit(void *result)
{
    (void)result;
    abort();
}
   LAB green STUB END */

green_t *green_self(void)
{
    if (!running)
        running = &thread0;     /* green thread 0 until the first green call */
    return running;
}
