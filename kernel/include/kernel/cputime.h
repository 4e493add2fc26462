/*
 * CPU time: how long each thread ran, split into user and system time,
 * its context switches, and the sums of a process and of its reaped
 * children: what times, getrusage, wait4's rusage, the CPU-time clocks
 * and /proc report.
 *
 * How it is measured (Linux's way):
 *  - runtime: precise nanoseconds on a CPU, from the monotonic clock (the
 *    TSC), charged at every switch away from a thread (sched.c), plus the
 *    current stretch for a thread that runs now.  Linux's sum_exec_runtime.
 *  - user/system: the tick samples where it found the running thread:
 *    user mode (ring 3) or the kernel.  Ticks alone would miss a thread
 *    that runs less than a tick at a time and count whole ticks for one
 *    that ran a moment, so the ticks give only the ratio, and the runtime
 *    is split by it (Linux's cputime_adjust): user + system == runtime
 *    always, and neither goes backwards from one reading to the next.
 *  - voluntary switches: it slept, blocked or exited; involuntary: it was
 *    still runnable (preempted at the end of its slice, or sched_yield, as
 *    on Linux).
 *
 * Locks: a thread's raw figures are [s] (sched_lock: the switch and the
 * tick write them on its CPU, sched_cputime_read reads them from any);
 * everything summed per process is [t] (proc_tree_lock).
 */
#ifndef KERNEL_CPUTIME_H
#define KERNEL_CPUTIME_H

#include <stdint.h>

struct process;
struct thread;
struct vm;

/* A thread's raw figures, or the sum of several (a process's ended threads). */
struct cputime_raw {
    uint64_t runtime_ns;        /* time on a CPU (for a running thread, up to its last switch in) */
    uint64_t user_ticks;        /* ticks that found it in user mode */
    uint64_t system_ticks;      /* ticks that found it in the kernel */
    uint64_t nvcsw;             /* voluntary switches away */
    uint64_t nivcsw;            /* involuntary switches away */
};

/* The split last reported, so that neither part goes backwards (Linux's prev_cputime). */
struct cputime_split {
    uint64_t user_ns;
    uint64_t system_ns;
};

/* What the readers below return. */
struct cpu_usage {
    uint64_t user_ns;           /* user + system == the precise runtime */
    uint64_t system_ns;
    uint64_t nvcsw;             /* voluntary context switches */
    uint64_t nivcsw;            /* involuntary context switches */
    uint64_t maxrss_pages;      /* cputime_children: the largest peak resident set of the reaped; else 0 */
};

/*
 * For /proc (kernel/procfs.c) and the system calls.  Call each with
 * proc_tree_lock held (it keeps t and p alive and their thread lists
 * still); each takes sched_lock inside, which ranks below it.
 */

/* Thread t's user and system time and its switches. */
void cputime_thread(struct thread *t, struct cpu_usage *u);

/* The CPU thread t runs on now, or last ran on (or is queued for): a snapshot. */
unsigned cputime_thread_cpu(const struct thread *t);

/*
 * Process p's: its live threads' and those that have ended; maxrss_pages
 * is the peak resident set of the address spaces it is done with (exec,
 * exit: a zombie's is final), not of the one it has now.
 */
void cputime_process(struct process *p, struct cpu_usage *u);

/* Process p's reaped children's (each with its own reaped children's): Linux's cutime, cstime. */
void cputime_children(struct process *p, struct cpu_usage *u);

/* The precise runtime of thread t, and of process p (all of its threads): the CPU-time clocks. */
uint64_t cputime_thread_ns(struct thread *t);
uint64_t cputime_process_ns(struct process *p);

/*
 * Hooks of the process code.  cputime_thread_ended: thread t of p is
 * leaving (thread_exit, before it is unlinked): its figures go to p's
 * sum.  cputime_reaped: p reaps zombie (wait4): zombie's totals (its own
 * and its children's) go to p's children's sum and to *u.  Both with
 * proc_tree_lock held.  cputime_note_peak_rss: p is done with address
 * space vm (exec, exit): keep the largest resident set it reached, for
 * ru_maxrss; by p's own thread.
 */
void cputime_thread_ended(struct process *p, struct thread *t);
void cputime_reaped(struct process *p, struct process *zombie, struct cpu_usage *u);
void cputime_note_peak_rss(struct process *p, struct vm *vm);

/* For the system calls: u as a Linux struct rusage at user address uaddr (0 or -EFAULT). */
long cputime_rusage_to_user(uint64_t uaddr, const struct cpu_usage *u);

/*
 * A CPU-time clock's reading in *ns: CLOCK_PROCESS_CPUTIME_ID,
 * CLOCK_THREAD_CPUTIME_ID, or another process's or thread's (a negative
 * id: abi/time.h's CPUCLOCK_MAKE).  0, or -EINVAL for no such clock.
 */
long cputime_clock_read(int64_t clock, uint64_t *ns);

#endif
