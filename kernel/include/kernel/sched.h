/*
 * The scheduler: preemptive, a run queue per CPU ordered by priority with
 * aging (kernel/include/kernel/runq.h: round robin while every process
 * keeps nice 0; an O(1) pick either way), wait queues for everything that blocks, a sorted timer list for
 * sleeps, and an idle thread that halts the CPU.
 *
 * The kernel is not preempted: a thread in kernel mode runs until it
 * blocks, yields or returns to user mode, where an expired time slice
 * switches it out.  So the only code that runs concurrently with a thread
 * in the kernel is interrupt handlers, and sched_lock (interrupts off)
 * protects all scheduling state.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <stdint.h>

#define TIME_SLICE_TICKS 3      /* 30 ms at 100 Hz: a few ticks, as the textbooks have it */

struct wait_queue {
    struct list_node sleepers;  /* [sched_lock] threads, by run_link */
};

#define WAIT_QUEUE_INIT(wq) { LIST_INIT((wq).sleepers) }
static inline void wait_queue_init(struct wait_queue *wq) { list_init(&wq->sleepers); }

/*
 * Counters for `stat`, `bench` and the tests; reset with sched_reset_stats().
 * CR3 writes and flushes are the MMU's (struct mmu_stats).
 */
struct sched_stats {
    uint64_t switches;              /* context switches */
    uint64_t same_process_switches; /* of those, between threads of one process (no CR3 write) */
    uint64_t kernel_thread_switches;/* of those, to or from a kernel thread (lazy: no CR3 write) */
    uint64_t migrations;            /* threads taken from another CPU's queue, or moved by affinity */
    uint64_t ipis_sent;             /* reschedule IPIs this CPU sent */
    uint64_t ipis_received;         /* ... and those sent to it */
    uint64_t ticks;                 /* timer ticks this CPU took */
    uint64_t idle_ticks;            /* of those, ticks that found it running its idle thread */
    uint64_t system_ticks;          /* of those, ticks that interrupted a thread in the kernel (not idle) */
};

/*
 * A kernel timer: fn(arg) runs from the timer interrupt once the monotonic
 * clock passes deadline_ns (at tick resolution).  Timers sit on a list
 * sorted by deadline; the tick looks only at its head.
 */
struct ktimer {
    struct list_node link;      /* [sched_lock] */
    uint64_t deadline_ns;       /* [sched_lock] 0: not armed */
    bool running;               /* [sched_lock] fn is running now (on the timekeeping CPU) */
    void (*fn)(void *arg);
    void *arg;
};

/* Arm t for deadline_ns (re-arming moves it); cancel it; its deadline, 0 when not armed. */
void ktimer_arm(struct ktimer *t, uint64_t deadline_ns);
void ktimer_cancel(struct ktimer *t);

void sched_init(void);

/* Make a new or woken thread runnable. */
void sched_make_runnable(struct thread *t);

/* Give up the CPU to the next runnable thread, if any. */
void sched_yield(void);

/*
 * Sleep on wq until woken.  lock (may be NULL) protects the condition the
 * caller waits for: it is released while asleep and held again on return,
 * so the caller re-checks its condition in a loop.  reason shows in ps.
 * Returns 0, or -EINTR if the thread was woken to die (its process is
 * being killed): the caller must then unwind.
 */
int sleep_on(struct wait_queue *wq, struct spinlock *lock, const char *reason);

/*
 * The same, but a signal to handle does not end the sleep: only a kill
 * (-EINTR).  For waits that must not fail half-way because a handler is
 * due, such as exec waiting for its process's other threads to go.
 */
int sleep_on_killable(struct wait_queue *wq, struct spinlock *lock, const char *reason);

/* The same with a deadline on the monotonic clock; returns -ETIMEDOUT when it passes. */
int sleep_on_until(struct wait_queue *wq, struct spinlock *lock, const char *reason,
                   uint64_t deadline_ns);

/* Wake every thread on wq; returns how many. */
int wake_all(struct wait_queue *wq);
/* Wake the first thread on wq, if any. */
int wake_one(struct wait_queue *wq);

/* Wake t from any sleep with -EINTR, for good (kill: every later sleep fails too). */
void sched_interrupt(struct thread *t);

/* Wake t from its sleep with -EINTR to run a signal handler (until it next returns to user mode). */
void sched_signal_wake(struct thread *t);

/*
 * Set t's CPU mask (sched_setaffinity), which names an online CPU.  Call
 * with proc_tree_lock held (it keeps t alive); takes sched_lock, so the
 * scheduler may read the mask under its own lock alone.  One CPU: nothing
 * moves.  With several, a thread queued or running on a CPU outside the
 * mask must move to one inside it, before the call returns if t is the
 * caller (as on Linux): the SMP scheduler's part.
 */
void sched_set_affinity(struct thread *t, cpumask_t mask);

/*
 * Give p's threads nice value nice (-20..19): each takes its new level the
 * next time it is queued.  Call with proc_tree_lock held (p stays alive).
 */
void sched_set_nice(struct process *p, int nice);

/* Sleep for ns nanoseconds; 0, or -EINTR when killed. */
int sched_sleep_ns(uint64_t ns);

/*
 * The timer tick: account the running thread (a user or a system tick, as
 * from_user says: kernel/cputime.c), wake sleepers, end time slices.
 */
void sched_tick(bool from_user);

/*
 * Thread t's raw CPU-time figures, its current stretch on a CPU included if
 * it runs now.  Takes sched_lock; the caller keeps t alive (proc_tree_lock,
 * or t is the caller).
 */
void sched_cputime_read(const struct thread *t, struct cputime_raw *raw);

/* Called by the first code of every new thread, to finish the switch to it. */
void sched_thread_start(void);

/* True when the running thread should give up the CPU at the next chance. */
bool sched_should_yield(void);

/*
 * A preemption point for long work in the kernel (a loop over many areas,
 * pages or bytes): if the running thread's time slice is over, give up the
 * CPU now instead of at the return to user mode.  True if it did: other
 * threads ran meanwhile, so the caller must hold no pointer to what they
 * may have changed, and must have left its own work consistent.  Call
 * only with interrupts on: so with no spinlock held (a holder has them off,
 * and a switch away would leave the lock taken); asserted.
 */
bool sched_preempt_point(void);

/*
 * True if a sleep would end at once with -EINTR: the running thread has a
 * signal to handle, or its process is being killed.  Long work that does
 * not sleep asks this to stop early (with a short count, or -EINTR).
 */
bool sched_interrupted(void);

/* Count a thread that thread_create made, or one freed before it ever ran. */
void sched_thread_created(void);
void sched_thread_gone(void);

/* End the running thread: it never runs again, and its stack is freed by the next. */
__attribute__((noreturn)) void sched_exit_current(void);

/*
 * The last work before any return to user mode, with interrupts off: die
 * if the process was killed, deliver a signal, switch out if the time
 * slice is over; last, refuse (SIGSEGV) a frame whose RIP or RSP is not a
 * user address (arch_frame_user_ok).
 */
struct trap_frame;
void return_to_user(struct trap_frame *tf);

/* Run the idle loop on the boot thread; never returns. */
__attribute__((noreturn)) void sched_run_idle(void);

/*
 * A consistency check that os_threads makes for each thread it lists (ps,
 * the fuzzer's watchdog): a runnable thread is on the queue of the CPU it
 * names, or it would never run.  One that is not is reported on the console
 * with every CPU's queue.
 */
void sched_check_queued(const struct thread *t);

/* Every CPU's counters added up; and one CPU's. */
void sched_get_stats(struct sched_stats *s);
void sched_get_cpu_stats(unsigned cpu, struct sched_stats *s);

/* Hand every AP that smp_init started its idle loop: from now on they run threads too. */
void sched_start_cpus(void);
void sched_reset_stats(void);

/* Threads running (idle threads aside) or waiting to run, on all CPUs: /proc/loadavg, procs_running. */
unsigned long sched_runnable_count(void);

/*
 * The 1, 5 and 15 minute load averages (/proc/loadavg, sysinfo), in
 * fixed point: LOAD_SCALE is one thread always ready to run.
 */
#define LOAD_SCALE      2048ul          /* Linux's FIXED_1 */
void sched_load_averages(unsigned long load[3]);

/* Threads alive (not yet ended), kernel threads included. */
uint64_t sched_thread_count(void);

/*
 * The running thread begins to end (thread_exit calls it first, before it
 * wakes a joiner or a parent): from now until its stack and its struct are
 * freed, after the switch away from it, it counts in
 * sched_ending_threads(), which SYS_os_stats adds to lazy_frees, so that a
 * leak check that waited for its join or wait4 on another CPU knows to
 * wait a moment more.
 */
void sched_thread_ending(void);
uint64_t sched_ending_threads(void);

#endif
