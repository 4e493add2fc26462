/* The structures of our own system calls (numbers in abi/syscall.h). */
#ifndef ABI_OS_H
#define ABI_OS_H

#include <stdint.h>

/* SYS_os_stats: the machine at a glance; tests use it to prove nothing leaks. */
struct os_stats {
    uint64_t free_pages;        /* physical pages free now */
    uint64_t total_pages;       /* physical pages the allocator manages */
    uint64_t page_table_pages;  /* pages holding page tables, all address spaces */
    uint64_t heap_bytes;        /* kernel heap bytes in use */
    uint64_t processes;         /* live processes, zombies included */
    uint64_t threads;           /* live threads, kernel threads included */
    uint64_t ticks;             /* timer ticks since boot */
    uint64_t tick_hz;
};

#define OS_PROC_NAME_MAX 32

/* SYS_os_procs: one entry per process, in pid order. */
struct os_procinfo {
    int32_t pid;
    int32_t ppid;
    uint32_t threads;           /* live threads */
    char state;                 /* 'R' running or runnable, 'S' sleeping, 'Z' zombie */
    char name[OS_PROC_NAME_MAX];/* program name, NUL-terminated */
    uint64_t cpu_ticks;         /* ticks its threads have run */
};

#endif
