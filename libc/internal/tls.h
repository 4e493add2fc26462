/* Thread-local storage layout (start/tls.c); pthread_create uses it for new threads. */
#ifndef LIBC_INTERNAL_TLS_H
#define LIBC_INTERNAL_TLS_H

#include <stddef.h>

/* The thread control block at the thread pointer (%fs:0 holds its address). */
struct tcb {
    struct tcb *self;       /* %fs:0, as the x86_64 TLS ABI requires */
    void *thread;           /* the struct pthread of this thread */
};

/* The PT_TLS segment: the template every thread's block is copied from. */
struct tls_image {
    const void *init;       /* .tdata contents */
    size_t init_size;       /* bytes of .tdata; the rest (.tbss) starts zeroed */
    size_t size;            /* whole block */
    size_t align;
    size_t offset;          /* distance from the block's start to the thread pointer */
};

/* Bytes an area must have for tls_build (block, TCB, alignment slack). */
size_t tls_area_size(void);

/* Lay out a fresh TLS block and TCB in area; returns the thread pointer. */
struct tcb *tls_build(void *area);

#endif
