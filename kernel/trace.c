/*
 * The scheduler trace (kernel/include/kernel/trace.h for the model,
 * docs/trace.md for its use): one ring of events per CPU, and
 * SYS_os_trace, which turns recording on and off and copies a ring out.
 *
 * A ring is written by its own CPU only, with interrupts off, so no lock
 * guards it: nothing else can write it meanwhile.  A reader (any CPU, any
 * time) guards itself, seqlock-fashion: the writer announces an event
 * (claimed) before it fills the slot and publishes it (committed) after;
 * the reader copies the slots of committed events, then looks at claimed
 * again and drops any slot the writer may have begun to overwrite meanwhile.
 */
#include <abi/os.h>
#include <abi/syscall.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/percpu.h>
#include <kernel/errno.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/trace.h>
#include <kernel/vm.h>
#include <lib/string.h>

/*
 * Events a ring holds: 8192 of 32 bytes, 256 KiB a CPU.  A yield takes a
 * microsecond or so, so that is a few milliseconds of a busy ping-pong, or
 * the last few thousand switches of anything slower: plenty for a picture.
 * A power of two, so that an event's slot is its number masked.
 */
#define TRACE_RING_EVENTS 8192
#define TRACE_SLOT_MASK   (TRACE_RING_EVENTS - 1)
#define TRACE_READ_CHUNK  16    /* events a read copies at once, on the kernel stack: 512 bytes */

_Static_assert((TRACE_RING_EVENTS & TRACE_SLOT_MASK) == 0, "TRACE_RING_EVENTS: a power of two");
_Static_assert(sizeof(struct os_trace_event) == 32, "struct os_trace_event: the ABI's 32 bytes");
_Static_assert(CPU_MAX <= UINT8_MAX + 1, "an event's cpu field is 8 bits");

/*
 * [c] the ring's CPU, with interrupts off (the only writer); readers copy
 * without a lock and check claimed afterwards.  [r] SYS_os_trace's reset.
 * Event number n (counted since boot) is in slot n & TRACE_SLOT_MASK.
 */
struct trace_ring {
    uint64_t claimed;       /* [c] events whose slot the writer has begun to fill */
    uint64_t committed;     /* [c] events whose slot is filled: claimed, or claimed - 1 */
    uint64_t base;          /* [r] committed at the last reset: older events are not read */
    struct os_trace_event events[TRACE_RING_EVENTS];   /* [c] */
};

bool trace_enabled;                                 /* [a] */
static struct trace_ring rings[CPU_MAX];

void trace_record(unsigned type, unsigned flags, int32_t a0, int32_t a1, int32_t a2, int32_t a3)
{
    bool irq = irq_save();              /* stay on this CPU, and let no handler record halfway */
    unsigned cpu = cpu_id();
    struct trace_ring *r = &rings[cpu];
    uint64_t n = r->claimed;
    __atomic_store_n(&r->claimed, n + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);           /* claimed is seen before the slot changes */
    r->events[n & TRACE_SLOT_MASK] = (struct os_trace_event){
        .tsc = rdtsc(), .seq = (uint32_t)n, .type = (uint8_t)type, .cpu = (uint8_t)cpu,
        .flags = (uint16_t)flags, .arg = { a0, a1, a2, a3 },
    };
    __atomic_store_n(&r->committed, n + 1, __ATOMIC_RELEASE);
    irq_restore(irq);
}

void trace_record_switch(const struct thread *prev, const struct thread *next)
{
    unsigned flags = prev->proc == next->proc ? OS_TRACE_SAME_PROCESS : 0;
    if (prev->state == THREAD_SLEEPING)
        flags |= OS_TRACE_PREV_SLEEPS;
    else if (prev->state == THREAD_DEAD)
        flags |= OS_TRACE_PREV_EXITED;
    trace_record(OS_TRACE_SWITCH, flags, prev->tid, prev->pid, next->tid, next->pid);   /* prev->proc may be gone */
}

void trace_record_wake(const struct thread *t, uint64_t deadline_ns)
{
    const struct thread *by = thread_current();
    bool deadline = deadline_ns && deadline_ns <= clock_monotonic_ns();
    trace_record(OS_TRACE_WAKE, deadline ? OS_TRACE_DEADLINE : 0, t->tid, t->proc->pid,
                 by->tid, by->proc->pid);
}

/* sched_make_runnable is for new threads; a thread that has run before would be a wake. */
void trace_record_new(const struct thread *t)
{
    if (t->run_count != 0) {
        trace_record_wake(t, 0);
        return;
    }
    const struct thread *by = thread_current();
    unsigned flags = t->proc != by->proc ? OS_TRACE_NEW_PROCESS : 0;
    trace_record(OS_TRACE_NEW, flags, t->tid, t->proc->pid, by->tid, by->proc->pid);
}

void trace_record_exec(const struct process *p)
{
    int32_t words[OS_TRACE_ARGS] = { p->pid };
    memcpy(&words[1], p->name, OS_TRACE_NAME_MAX);     /* the name's first bytes: it is longer */
    trace_record(OS_TRACE_EXEC, 0, words[0], words[1], words[2], words[3]);
}

void trace_record_cr3(unsigned pcid, bool flush, uint64_t root)
{
    trace_record(OS_TRACE_CR3, flush ? OS_TRACE_FLUSH : 0, (int32_t)pcid,
                 (int32_t)(root >> PAGE_SHIFT), 0, 0);
}

/* Forget what every ring holds (the writers go on: a reset only moves where reads begin). */
static void trace_reset(void)
{
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++)
        __atomic_store_n(&rings[cpu].base, __atomic_load_n(&rings[cpu].committed, __ATOMIC_ACQUIRE),
                         __ATOMIC_RELAXED);
}

/* The events of ring r a reader may take now: [*first, *end). */
static void readable(const struct trace_ring *r, uint64_t *first, uint64_t *end)
{
    *end = __atomic_load_n(&r->committed, __ATOMIC_ACQUIRE);
    uint64_t base = __atomic_load_n(&r->base, __ATOMIC_RELAXED);
    uint64_t oldest = *end > TRACE_RING_EVENTS ? *end - TRACE_RING_EVENTS : 0;
    *first = base > oldest ? base : oldest;
    if (*first > *end)
        *first = *end;          /* a reset raced with the load of committed */
}

static long trace_info(unsigned cpu, uint64_t ubuf)
{
    uint64_t first, end;
    readable(&rings[cpu], &first, &end);
    struct os_trace_info info = {
        .enabled = trace_on(),
        .cpus = CPU_MAX,
        .capacity = TRACE_RING_EVENTS,
        .tsc_hz = tsc_frequency(),
        .recorded = end - __atomic_load_n(&rings[cpu].base, __ATOMIC_RELAXED),
        .held = end - first,
    };
    if (info.recorded < info.held)
        info.recorded = info.held;      /* a reset came between the two loads */
    return copy_to_user(ubuf, &info, sizeof info) ? -EFAULT : 0;
}

/*
 * Copy events [n, n + count) of ring r (count <= TRACE_READ_CHUNK) to out,
 * leaving out those the writer may have overwritten meanwhile (the oldest).
 * Returns how many went out; they are the last of the range.
 */
static size_t copy_chunk(const struct trace_ring *r, uint64_t n, size_t count,
                         struct os_trace_event *out)
{
    for (size_t i = 0; i < count; i++)
        out[i] = r->events[(n + i) & TRACE_SLOT_MASK];
    __atomic_thread_fence(__ATOMIC_ACQUIRE);           /* the copies are done before claimed is read */
    uint64_t claimed = __atomic_load_n(&r->claimed, __ATOMIC_RELAXED);
    uint64_t intact = claimed > TRACE_RING_EVENTS ? claimed - TRACE_RING_EVENTS : 0;
    size_t lost = intact <= n ? 0 : intact - n >= count ? count : (size_t)(intact - n);
    if (lost)
        memmove(out, out + lost, (count - lost) * sizeof *out);
    return count - lost;
}

/* OS_TRACE_READ: the newest max events of cpu's ring, oldest first, to ubuf; how many, or -EFAULT. */
static long trace_read(unsigned cpu, uint64_t ubuf, uint64_t max)
{
    const struct trace_ring *r = &rings[cpu];
    struct os_trace_event chunk[TRACE_READ_CHUNK];
    uint64_t n, end;
    readable(r, &n, &end);
    if (end - n > max)
        n = end - max;
    long copied = 0;
    for (; n < end; n += TRACE_READ_CHUNK) {
        size_t count = end - n < TRACE_READ_CHUNK ? (size_t)(end - n) : TRACE_READ_CHUNK;
        size_t got = copy_chunk(r, n, count, chunk);
        if (copy_to_user(ubuf + copied * sizeof *chunk, chunk, got * sizeof *chunk))
            return -EFAULT;
        copied += (long)got;
    }
    return copied;
}

/* SYS_os_trace(op, cpu, buf, max): see abi/os.h. */
long sys_os_trace(const struct syscall_args *a)
{
    uint64_t op = a->arg[0], cpu = a->arg[1], ubuf = a->arg[2], max = a->arg[3];
    switch (op) {
    case OS_TRACE_OFF:
    case OS_TRACE_ON:
        __atomic_store_n(&trace_enabled, op == OS_TRACE_ON, __ATOMIC_RELAXED);
        return 0;
    case OS_TRACE_RESET:
        trace_reset();
        return 0;
    case OS_TRACE_INFO:
        return cpu < CPU_MAX ? trace_info((unsigned)cpu, ubuf) : -EINVAL;
    case OS_TRACE_READ:
        return cpu < CPU_MAX ? trace_read((unsigned)cpu, ubuf, max) : -EINVAL;
    default:
        return -EINVAL;
    }
}
