/*
 * The scheduler trace: what each CPU did, event by event, stamped with its
 * time-stamp counter: switches, wakes, CR3 writes, new threads and execs,
 * and (once SMP brings them) migrations, IPIs and TLB shootdowns.  The
 * events' layout and types are the ABI's (abi/os.h, struct os_trace_event);
 * SYS_os_trace turns recording on and off and reads the events out;
 * /bin/trace and `make trace` make a timeline of them (docs/trace.md).
 *
 * Every CPU (CPU_MAX of them, arch/percpu.h) has a ring of its own (256
 * KiB, TRACE_RING_EVENTS in kernel/trace.c), written only by that CPU with
 * interrupts off, so recording takes no lock and may happen anywhere: in an
 * interrupt handler, under sched_lock, inside the MMU code.  Readers take no
 * lock either: they check the ring's counters after copying.
 *
 * Recording is off at boot (SYS_os_trace OS_TRACE_ON turns it on).  Off,
 * each hook below costs a load, a test and a branch not taken (and, where
 * it is the only call of a function, the frame it then needs): the call
 * to the recorder is out of line.  A hook goes last in its function where
 * it can, so that no value has to be kept across the call.
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include <abi/os.h>
#include <stdbool.h>
#include <stdint.h>

struct thread;
struct process;

/* [a] Whether events are recorded: set by SYS_os_trace, read by every hook (atomic, no lock). */
extern bool trace_enabled;

static inline bool trace_on(void)
{
    return __builtin_expect(__atomic_load_n(&trace_enabled, __ATOMIC_RELAXED), 0);
}

/*
 * Record an event of type (OS_TRACE_*) with flags and up to four ids on
 * this CPU's ring; the recorders below fill them in for each type.  Any
 * context, interrupts on or off.  Cold: the compiler moves their calls out
 * of line, off the hot path.
 */
#define TRACE_RECORDER __attribute__((cold)) void
TRACE_RECORDER trace_record(unsigned type, unsigned flags, int32_t a0, int32_t a1, int32_t a2, int32_t a3);
TRACE_RECORDER trace_record_switch(const struct thread *prev, const struct thread *next);
TRACE_RECORDER trace_record_wake(const struct thread *t, uint64_t deadline_ns);
TRACE_RECORDER trace_record_new(const struct thread *t);
TRACE_RECORDER trace_record_exec(const struct process *p);
TRACE_RECORDER trace_record_cr3(unsigned pcid, bool flush, uint64_t root);

/* The hooks: one line each where the event happens; nothing but a test when off. */

/* An event of a type that has no hook of its own (migrate, IPI, shootdown). */
static inline void trace_event(unsigned type, unsigned flags, int32_t a0, int32_t a1, int32_t a2,
                               int32_t a3)
{
    if (trace_on())
        trace_record(type, flags, a0, a1, a2, a3);
}

/* The scheduler switches from prev to next (prev->state says why prev stopped). */
static inline void trace_switch(const struct thread *prev, const struct thread *next)
{
    if (trace_on())
        trace_record_switch(prev, next);
}

/*
 * Sleeping thread t was made runnable; the waker is the running thread.
 * deadline_ns: the deadline its sleep had (0: none).  Last in the wake, so
 * that the compiler sets up a frame for the call only when tracing is on.
 */
static inline void trace_wake(const struct thread *t, uint64_t deadline_ns)
{
    if (trace_on())
        trace_record_wake(t, deadline_ns);
}

/* New thread t becomes runnable for the first time (sched_make_runnable); its creator is the running thread. */
static inline void trace_new_thread(const struct thread *t)
{
    if (trace_on())
        trace_record_new(t);
}

/* Process p now runs the program p->name. */
static inline void trace_exec(const struct process *p)
{
    if (trace_on())
        trace_record_exec(p);
}

/*
 * CR3 was written: the tables at root, tagged pcid (0: none); flush: the
 * TLB's user entries went.  Pass what the CR3 value says, computed in the
 * call: nothing but that value need live past the write.
 */
static inline void trace_cr3(unsigned pcid, bool flush, uint64_t root)
{
    if (trace_on())
        trace_record_cr3(pcid, flush, root);
}

#endif
