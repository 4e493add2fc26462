/* What libc's parts share inside the library: start-up state and helpers. */
#ifndef LIBC_INTERNAL_LIBC_H
#define LIBC_INTERNAL_LIBC_H

#include <stddef.h>

/* The body of a "..." function that forwards to its va_list twin: VARIADIC(vprintf(fmt, ap)). */
#define VARIADIC(call)              \
    va_list ap;                     \
    va_start(ap, fmt);              \
    int n = call;                   \
    va_end(ap);                     \
    return n

#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))

/* The auxiliary vector the kernel passed (AT_* entries), set by start-up. */
unsigned long libc_auxv(unsigned long type);

/* Run the atexit handlers and flush stdio: exit() minus the _exit. */
void libc_run_exit_handlers(void);

/* Flush every stream; called by exit and before fork/exec paths that need it. */
void libc_stdio_flush_all(void);

/* Set up the main thread's TLS block and thread pointer (tls.c). */
void libc_tls_init(void);

/* fork's locking (thread/fork.c): prepare before the system call, finish after it on both sides. */
void libc_fork_prepare(void);
void libc_fork_finish(int child);

/* Write a whole buffer to fd, retrying short writes; 0 or -1 with errno. */
int libc_write_all(int fd, const void *buf, size_t len);

/* CPUs online, for sysconf (unistd/affinity.c: where the count comes from); -1 with errno if unknown. */
long libc_cpus_online(void);

#endif
