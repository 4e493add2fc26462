/*
 * Threads: what the scheduler runs.  Each has its own kernel stack (with a
 * guard page), saved registers, FPU state and TLS base, and belongs to one
 * process; a user thread also has a user stack in its process's address
 * space.  Kernel-only threads (idle) belong to the kernel process.
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <arch/context.h>
#include <arch/percpu.h>
#include <kernel/affinity.h>
#include <kernel/cputime.h>
#include <kernel/list.h>
#include <kernel/signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KSTACK_PAGES 4          /* 16 KiB: deep enough for our call chains, cheap to create */

enum thread_state {
    THREAD_NEW,                 /* made, not yet started (sched_make_runnable): no wake-up starts it */
    THREAD_RUNNABLE,            /* on the run queue */
    THREAD_RUNNING,             /* the current thread */
    THREAD_SLEEPING,            /* on a wait queue or the timer list, or both */
    THREAD_DEAD,                /* exited; its stack is freed after the next switch */
};

struct process;
struct wait_queue;

/*
 * Locks: [s] sched_lock (kernel/sched.c), [p] proc_tree_lock
 * (kernel/proc.c), [c] only the thread itself (or its creator before it
 * first runs), [ps] written with both proc_tree_lock and sched_lock held
 * (or by its creator before it first runs), read with either.
 */
struct thread {
    int tid;                    /* [c] */
    struct process *proc;       /* [c] owner; once the thread is dead, maybe freed (reaped on another CPU) */
    int pid;                    /* [c] its process's pid: what the switch away from a dead thread reports */
    enum thread_state state;    /* [s] */
    struct list_node run_link;  /* [s] run queue, a wait queue, or the dead list */
    struct list_node proc_link; /* [p] in proc->threads */
    struct list_node timer_link;/* [s] on the sleep timer list, sorted by wake_ns */
    struct wait_queue *waiting_on; /* [s] the wait queue it sleeps on, or NULL */
    uint64_t wake_ns;           /* [s] wake-up time when on the timer list */
    const char *wait_reason;    /* [s] why it sleeps ("wait4", "read", ...), for ps */
    bool interrupted;           /* [s] woken by a kill, not by its event */
    int slice_left;             /* [s] ticks left in its time slice */
    /* LAB sched BEGIN */
    uint64_t runq_key;          /* [s] its place in its CPU's run queue while queued (kernel/runq.c) */
    /* LAB sched END */
    uint64_t kstack_top;        /* [c] */
    uint64_t run_count;         /* [s] times it was switched to */
    struct cputime_raw cputime; /* [s] its time on CPUs, user and system ticks, switches (kernel/cputime.c) */
    uint64_t on_cpu_since;      /* [s] the monotonic clock when it was last switched to */
    struct cputime_split cputime_shown; /* [p] the user/system split last reported */
    cpumask_t affinity;         /* [ps] CPUs it may run on (sched_setaffinity; kernel/affinity.c) */
    unsigned cpu;               /* [s] the CPU it runs on, last ran on, or is queued for */
    bool ending;                /* [own] set by the thread itself: it counts in sched_ending_threads() */
    uint64_t sigmask;           /* [c] blocked signals (rt_sigprocmask) */
    uint64_t sig_pending;       /* [p] signals sent to this thread (tkill, faults), not yet taken */
    uint64_t sigwait_set;       /* [p] the signals it waits for in rt_sigtimedwait, blocked or not (0: none) */
    uint64_t fault_addr;        /* [c] si_addr for a pending fault signal */
    bool signal_wake;           /* [s] woken from a sleep to run a handler: the sleep says EINTR */
    /*
     * [s] Something may need doing before this thread returns to user mode: a
     * kill, an exit or exec elsewhere in its process, a signal to deliver.
     * Set by whoever causes it; the return path looks closer only when set,
     * so a plain system call pays one test.
     */
    bool work;
    bool suspended_mask;        /* [c] rt_sigsuspend: restore saved_mask after the handler */
    uint64_t saved_mask;        /* [c] */
    bool no_restart;            /* [c] the EINTR just returned must not restart (pause, sigsuspend, nanosleep) */
    bool stop_owed;             /* [p] its process is stopping: it must park on its way to user mode */
    bool was_stopped;           /* [c] it parked on this way out: an interrupted call restarts (jobctl.c) */

    uint64_t clear_child_tid;   /* [c] user word zeroed and futex-woken at exit (CLONE_CHILD_CLEARTID) */
    struct list_node tid_link;  /* [p] in the tid map (kernel/proc.c) */

    /*
     * Not zeroed for a thread that takes a dead one's structure from the
     * kstack cache (kstack_thread_alloc clears THREAD_CLEARED_SIZE bytes):
     * the stack that stays with it, and 1.3 KiB that every new thread
     * writes before it reads them, so clearing them would only cost.  (The
     * debug build fills a cached structure with a pattern: a read before
     * the write shows.)
     */
    void *kstack;               /* [c] lowest address of the kernel stack (kstack_thread_alloc) */
    struct arch_thread arch;    /* [c] registers, FPU, FS base: thread_create, clone's copy_registers */
    struct sig_origin sig_from[NSIG]; /* [p] the sender of each signal in sig_pending, written with its bit */
};

/* The bytes of struct thread a new thread starts with zeroed: all but the tail above. */
#define THREAD_CLEARED_SIZE offsetof(struct thread, kstack)

/* The thread running on this CPU (kernel/sched.c sets it at every switch). */
static inline struct thread *thread_current(void) { return cpu_current_thread(); }

/*
 * A new thread of proc, not yet runnable: a kernel thread starting in
 * entry(arg), or (entry NULL) a user thread that will return to user mode
 * through its frame (arch_user_frame(t->kstack_top)), which the caller sets.
 * NULL when memory runs out.
 */
struct thread *thread_create(struct process *proc, void (*entry)(void *), void *arg);

/* Free a thread that never ran (creation failed half-way). */
void thread_destroy_unstarted(struct thread *t);

/* End the running kernel thread. */
__attribute__((noreturn)) void thread_exit_kernel(void);

#endif
