/* The structures of our own system calls (numbers in abi/syscall.h). */
#ifndef ABI_OS_H
#define ABI_OS_H

#include <stdint.h>

/* SYS_os_stats: the machine at a glance; tests use it to prove nothing leaks. */
struct os_stats {
    uint64_t free_pages;        /* physical pages free now */
    uint64_t total_pages;       /* physical pages the allocator manages */
    uint64_t page_table_pages;  /* pages holding page tables, all address spaces */
    uint64_t heap_bytes;        /* kernel heap bytes in use (but for the kernel mapping area's notes of its
                                   free ranges, whose number follows its layout, not what is allocated) */
    uint64_t processes;         /* live processes, zombies included */
    uint64_t threads;           /* live threads, kernel threads included */
    uint64_t ticks;             /* timer ticks since boot */
    uint64_t tick_hz;
    uint64_t open_files;        /* open-file objects (struct file) in the system */
    uint64_t heap_pages;        /* pages the kernel heap holds (slabs and large objects) */
    uint64_t lazy_frees;        /* what the kernel frees a moment later: kernel ranges waiting for every
                                   CPU's flush (their notes are heap), and ended threads whose stacks
                                   go after the switch away from them (on another CPU, after their
                                   joiner or parent has been woken) */
    uint64_t caller_resident_pages; /* user pages the calling process holds now (its RSS) */
    /* Copy-on-write fork since boot (kernel/vm.c): */
    uint64_t cow_pages_shared;  /* page references a fork gave the child instead of a copy */
    uint64_t cow_faults;        /* writes that found a shared page (user faults and kernel copies) */
    uint64_t cow_pages_copied;  /* of those, the ones that copied it */
    uint64_t cow_pages_reused;  /* and the ones that took it back: no other process mapped it any more */
    /* The cache of kernel stacks (kernel/kstack.c): */
    uint64_t kstack_cache_pages;  /* pages of the freed stacks it holds now: not free, not leaked either
                                     (leak checks empty it first: SYS_os_drop_caches) */
    uint64_t kstack_cache_hits;   /* thread creations since boot that took a cached stack */
    uint64_t kstack_cache_misses; /* and those that mapped a fresh one */
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
    uint64_t migrations;            /* threads moved to another CPU (stolen, or by affinity) */
    uint64_t ipis_sent;             /* inter-processor interrupts of every kind */
    uint64_t shootdowns;            /* changes of an address space other CPUs had to hear of */
    uint64_t shootdowns_avoided;    /* changes of a space no other CPU held: no IPI */
    uint64_t shootdown_ipis;        /* IPIs the shootdowns sent, one per other CPU asked */
    uint64_t cpus;                  /* CPUs online: SYS_os_cpu_stats takes 0 .. cpus - 1 */
};

/*
 * SYS_os_cpu_stats(cpu, struct os_cpu_stats *): one CPU's share of the
 * counters above (EINVAL for a CPU that is not online), zeroed with them.
 */
struct os_cpu_stats {
    uint64_t switches;              /* context switches on this CPU */
    uint64_t same_process_switches; /* of those, between threads of one process */
    uint64_t cr3_writes;            /* address-space activations on this CPU */
    uint64_t cr3_flushes;           /* of those, writes that flushed the TLB's user entries */
    uint64_t migrations;            /* threads this CPU took from another (or moved in by affinity) */
    uint64_t ipis_sent;             /* IPIs of every kind this CPU sent ... */
    uint64_t ipis_received;         /* ... and took */
    uint64_t shootdowns;            /* changes made here that other CPUs had to hear of */
    uint64_t shootdowns_avoided;    /* changes made here that no other CPU held: no IPI */
    uint64_t shootdowns_done;       /* other CPUs' requests this CPU carried out */
    uint64_t ticks;                 /* timer ticks this CPU took */
    uint64_t idle_ticks;            /* of those, ticks that found it idle */
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
    uint32_t cpu;                   /* the CPU it runs on, is queued on, or last ran on */
    int64_t deadline_ms;            /* asleep with a deadline: ms until it (negative: passed); else 0 */
};

/*
 * SYS_os_trace(op, cpu, buf, max): the scheduler trace (docs/trace.md).  Each
 * CPU records its events into a ring of its own; recording is off until
 * OS_TRACE_ON.  op is one of:
 */
#define OS_TRACE_OFF    0   /* () -> 0: stop recording; the rings keep what they hold */
#define OS_TRACE_ON     1   /* () -> 0: record from now on */
#define OS_TRACE_RESET  2   /* () -> 0: empty every CPU's ring */
#define OS_TRACE_INFO   3   /* (cpu, struct os_trace_info *) -> 0; EINVAL for a CPU without a ring */
/*
 * (cpu, struct os_trace_event *buf, size_t max) -> how many events went to
 * buf: the newest min(max, held) of that CPU, oldest first.  Each is whole.
 * The CPU may record while the call copies: events it overwrites meanwhile
 * (the oldest) are left out, and seq shows the gap; events recorded after
 * the call began are not returned.
 */
#define OS_TRACE_READ   4

/* What happened: an event's type. */
#define OS_TRACE_SWITCH     1   /* arg: prev tid, prev pid, next tid, next pid; SAME_PROCESS, PREV_* */
#define OS_TRACE_WAKE       2   /* arg: tid, pid woken; tid, pid running then (the waker); DEADLINE */
#define OS_TRACE_CR3        3   /* arg: PCID (0: none), root page-table page number; FLUSH */
#define OS_TRACE_NEW        4   /* a thread made runnable for the first time: arg tid, pid, creator
                                   tid, creator pid; NEW_PROCESS */
#define OS_TRACE_EXEC       5   /* exec.pid now runs exec.name */
/* Kept for SMP, recorded through trace_event() by whoever brings them: */
#define OS_TRACE_MIGRATE    6   /* arg: tid, pid, from CPU, to CPU */
#define OS_TRACE_IPI_SEND   7   /* arg: target CPU, vector */
#define OS_TRACE_IPI_RECV   8   /* arg: source CPU (-1: not known), vector */
#define OS_TRACE_SHOOTDOWN  9   /* arg: pid of the address space, pages (0: all), CPUs asked (mask) */
#define OS_TRACE_TYPES      10  /* types are below this */

/* Flags of an event, by type. */
#define OS_TRACE_SAME_PROCESS (1u << 0) /* switch: prev and next share an address space */
#define OS_TRACE_PREV_SLEEPS  (1u << 1) /* switch: prev went to sleep (else it yielded or was preempted) */
#define OS_TRACE_PREV_EXITED  (1u << 2) /* switch: prev ended */
#define OS_TRACE_DEADLINE     (1u << 3) /* wake: its sleep's deadline had passed (the timer woke it) */
#define OS_TRACE_FLUSH        (1u << 4) /* cr3: the write flushed the TLB's user entries */
#define OS_TRACE_NEW_PROCESS  (1u << 5) /* new: the first thread of a new process (fork) */

#define OS_TRACE_ARGS       4
#define OS_TRACE_NAME_MAX   12  /* bytes of an exec event's program name (not NUL-terminated if full) */

/* One event: 32 bytes, two to a cache line. */
struct os_trace_event {
    uint64_t tsc;               /* the recording CPU's time-stamp counter */
    uint32_t seq;               /* the CPU's event number since boot (low 32 bits): a gap is a loss */
    uint8_t type;               /* OS_TRACE_SWITCH ... */
    uint8_t cpu;                /* the CPU that recorded it */
    uint16_t flags;             /* OS_TRACE_SAME_PROCESS ... */
    union {
        int32_t arg[OS_TRACE_ARGS];             /* ids, as the type says */
        struct {
            int32_t pid;
            char name[OS_TRACE_NAME_MAX];
        } exec;                                 /* OS_TRACE_EXEC */
    };
};

/* OS_TRACE_INFO: the trace as a whole, and one CPU's ring. */
struct os_trace_info {
    uint64_t enabled;           /* 1 while recording */
    uint64_t cpus;              /* CPUs with a ring: numbers 0 .. cpus - 1 */
    uint64_t capacity;          /* events a ring holds; the oldest are overwritten */
    uint64_t tsc_hz;            /* the events' clock: TSC ticks per second */
    uint64_t recorded;          /* events this CPU recorded since the last reset */
    uint64_t held;              /* of those, the ring holds the newest min(recorded, capacity) */
};

#endif
