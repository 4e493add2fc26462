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
    uint64_t open_files;        /* open-file objects (struct file) in the system */
    uint64_t heap_pages;        /* pages the kernel heap holds (slabs and large objects) */
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

/*
 * SYS_os_switch_stats: what the scheduler and the MMU counted since boot or
 * the last SYS_os_reset_stats.  The process/thread difference in numbers:
 * a switch between threads of one process writes no CR3.
 */
struct os_switch_stats {
    uint64_t switches;              /* context switches */
    uint64_t same_process_switches; /* of those, between threads of one process: no CR3 write */
    uint64_t kernel_thread_switches;/* of those, to or from a kernel thread: no CR3 write (lazy) */
    uint64_t cr3_writes;            /* address-space activations */
    uint64_t cr3_flushes;           /* CR3 writes that flushed the TLB's user entries */
    uint64_t cr3_noflush;           /* CR3 writes that kept them (PCID, no-flush bit) */
    uint64_t page_flushes;          /* single-page TLB invalidations (INVLPG, INVPCID) */
    uint64_t pcid_enabled;          /* 1 when address spaces are PCID-tagged */
    uint64_t pcid_kept;             /* no-flush CR3 writes that kept a process's own PCID */
    uint64_t pcid_rollovers;        /* times the PCID tags ran out: a new generation, fresh tags */
};

/* SYS_os_kbench: what the kernel times for user space (cycles per operation, TSC). */
#define OS_KBENCH_EMPTY        0    /* two TSC reads back to back: the cost of measuring */
#define OS_KBENCH_SWITCH       1    /* the bare context-switch routine (one switch) */
#define OS_KBENCH_CR3_FLUSH    2    /* a CR3 write that flushes the TLB's user entries */
#define OS_KBENCH_CR3_NOFLUSH  3    /* a CR3 write with the PCID no-flush bit (EOPNOTSUPP without PCID) */
#define OS_KBENCH_SAMPLES_MAX  100000

/* SYS_os_threads: one entry per thread, processes in pid order. */
struct os_threadinfo {
    int32_t tid;
    int32_t pid;
    char state;                     /* 'R' running, 'r' runnable, 'S' sleeping */
    char wait[15];                  /* why it sleeps ("futex", "piperd"...), NUL-terminated */
    uint64_t runs;                  /* times it was switched to */
    uint64_t cpu_ticks;             /* timer ticks that found it running */
    char name[OS_PROC_NAME_MAX];    /* its process's program */
};

#endif
