/* Kernel console output, panics and assertions. */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include <stdint.h>

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);

/*
 * Print "panic: <message>" and a backtrace, then power the machine off with
 * POWEROFF_STATUS_PANIC, so a test runner never waits on a dead kernel.
 * Messages read "function: reason".
 */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* Print a backtrace: pc, then the return addresses up the frame-pointer chain from fp. */
void backtrace_print(uint64_t pc, uint64_t fp);

/* Stop after a panic report has been printed (power off in test mode). */
__attribute__((noreturn)) void panic_stop(void);

/*
 * Begin a panic: interrupts off and, the first time, every other CPU
 * stopped.  Nonzero when this CPU's panic has begun already (a nested one
 * stops at once).  A CPU that panics during another CPU's panic halts here.
 */
int panic_begin(void);

#define KASSERT(cond)                                                          \
    do {                                                                       \
        if (!(cond))                                                           \
            panic("%s: assertion failed: %s (%s:%d)", __func__, #cond,         \
                  __FILE__, __LINE__);                                         \
    } while (0)

#endif
