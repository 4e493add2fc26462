/*
 * CPU time: the readers of kernel/include/kernel/cputime.h (which says
 * how it is measured), the sums per process and per reaped child, and the
 * calls that report them: times, getrusage, wait4's rusage (through
 * cputime_rusage_to_user) and the CPU-time clocks of clock_gettime.
 *
 * The scheduler keeps each thread's raw figures (sched.c: the runtime at
 * every switch, a user or system tick at every tick); what is here turns
 * them into user and system nanoseconds.
 */
#include <abi/cputime.h>
#include <abi/resource.h>
#include <abi/time.h>
#include <arch/layout.h>
#include <kernel/cputime.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/vm.h>

#define NSEC_PER_USER_TICK  (NSEC_PER_SEC / USER_HZ)    /* times() counts in these */
#define KIB                 1024

static void add_raw(struct cputime_raw *sum, const struct cputime_raw *r)
{
    sum->runtime_ns += r->runtime_ns;
    sum->user_ticks += r->user_ticks;
    sum->system_ticks += r->system_ticks;
    sum->nvcsw += r->nvcsw;
    sum->nivcsw += r->nivcsw;
}

/* Add u to sum: times and switches add up, the largest resident set is the larger one. */
static void add_usage(struct cpu_usage *sum, const struct cpu_usage *u)
{
    sum->user_ns += u->user_ns;
    sum->system_ns += u->system_ns;
    sum->nvcsw += u->nvcsw;
    sum->nivcsw += u->nivcsw;
    if (u->maxrss_pages > sum->maxrss_pages)
        sum->maxrss_pages = u->maxrss_pages;
}

/*
 * rtime * part / total for part <= total, in 64 bits (the kernel has no
 * 128-bit division): rtime loses low bits until the product fits, a few
 * nanoseconds once a thread has run for hours.
 */
static uint64_t scale_runtime(uint64_t rtime, uint64_t part, uint64_t total)
{
    unsigned shift = 0;
    while ((rtime >> shift) > UINT64_MAX / part)
        shift++;
    return ((rtime >> shift) * part / total) << shift;
}

/*
 * Split the precise runtime in the ratio of the ticks (Linux's
 * cputime_adjust): no system tick, all user; no user tick, all system.
 * Then neither part may fall below what was reported last (shown): a tick
 * can move the ratio against one part while the runtime grew only a
 * little.  Updates shown; the caller holds the lock that guards it.
 */
static struct cputime_split split_runtime(const struct cputime_raw *r, struct cputime_split *shown)
{
    uint64_t rtime = r->runtime_ns, stime;
    if (shown->user_ns + shown->system_ns >= rtime)
        return *shown;                  /* no time since: the last answer stands */
    if (r->system_ticks == 0)
        stime = 0;
    else if (r->user_ticks == 0)
        stime = rtime;
    else
        stime = scale_runtime(rtime, r->system_ticks, r->system_ticks + r->user_ticks);
    if (stime < shown->system_ns)
        stime = shown->system_ns;
    uint64_t utime = rtime - stime;
    if (utime < shown->user_ns) {
        utime = shown->user_ns;
        stime = rtime - utime;
    }
    *shown = (struct cputime_split){ utime, stime };
    return *shown;
}

/* The usage that raw figures r make, with split shown; no resident-set figure. */
static void usage_of_raw(const struct cputime_raw *r, struct cputime_split *shown, struct cpu_usage *u)
{
    struct cputime_split s = split_runtime(r, shown);
    *u = (struct cpu_usage){ .user_ns = s.user_ns, .system_ns = s.system_ns, .nvcsw = r->nvcsw,
                             .nivcsw = r->nivcsw };
}

/* p's raw figures: the ended threads' and each live thread's.  proc_tree_lock held. */
static void process_raw(struct process *p, struct cputime_raw *sum)
{
    proc_tree_lock_assert_held();
    *sum = p->ended_cputime;
    list_for_each(pos, &p->threads) {
        struct cputime_raw r;
        sched_cputime_read(container_of(pos, struct thread, proc_link), &r);
        add_raw(sum, &r);
    }
}

void cputime_thread(struct thread *t, struct cpu_usage *u)
{
    proc_tree_lock_assert_held();
    struct cputime_raw r;
    sched_cputime_read(t, &r);
    usage_of_raw(&r, &t->cputime_shown, u);
}

unsigned cputime_thread_cpu(const struct thread *t)
{
    return __atomic_load_n(&t->cpu, __ATOMIC_RELAXED);     /* [s]: a snapshot, as ps shows */
}

void cputime_process(struct process *p, struct cpu_usage *u)
{
    struct cputime_raw r;
    process_raw(p, &r);
    usage_of_raw(&r, &p->cputime_shown, u);
    u->maxrss_pages = p->maxrss_pages;
}

void cputime_children(struct process *p, struct cpu_usage *u)
{
    proc_tree_lock_assert_held();
    *u = p->children_usage;
}

uint64_t cputime_thread_ns(struct thread *t)
{
    struct cputime_raw r;
    sched_cputime_read(t, &r);
    return r.runtime_ns;
}

uint64_t cputime_process_ns(struct process *p)
{
    struct cputime_raw r;
    process_raw(p, &r);
    return r.runtime_ns;
}

/* Its runtime up to now: the few microseconds it still runs after this are not counted. */
void cputime_thread_ended(struct process *p, struct thread *t)
{
    proc_tree_lock_assert_held();
    struct cputime_raw r;
    sched_cputime_read(t, &r);
    add_raw(&p->ended_cputime, &r);
}

void cputime_reaped(struct process *p, struct process *zombie, struct cpu_usage *u)
{
    proc_tree_lock_assert_held();
    KASSERT(zombie->state == PROC_ZOMBIE && zombie->thread_count == 0);
    cputime_process(zombie, u);
    add_usage(u, &zombie->children_usage);
    add_usage(&p->children_usage, u);
}

void cputime_note_peak_rss(struct process *p, struct vm *vm)
{
    uint64_t peak = vm_peak_resident(vm);
    if (peak > p->maxrss_pages)
        p->maxrss_pages = peak;
}

/* ---- system calls ---- */

/* The caller's usage for getrusage's who: false if who is none of Linux's three. */
static bool usage_of(int who, struct cpu_usage *u)
{
    struct process *self = proc_current();
    if (who != RUSAGE_SELF && who != RUSAGE_THREAD && who != RUSAGE_CHILDREN)
        return false;
    proc_tree_lock_take();
    if (who == RUSAGE_SELF)
        cputime_process(self, u);
    else if (who == RUSAGE_THREAD)
        cputime_thread(thread_current(), u);
    else
        cputime_children(self, u);
    proc_tree_lock_drop();
    if (who != RUSAGE_CHILDREN) {       /* its address spaces' peak; a thread reports its process's, as Linux */
        uint64_t now = vm_peak_resident(self->vm);
        u->maxrss_pages = self->maxrss_pages > now ? self->maxrss_pages : now;
    }
    return true;
}

static struct abi_timeval timeval_of(uint64_t ns)
{
    return (struct abi_timeval){ (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

long cputime_rusage_to_user(uint64_t uaddr, const struct cpu_usage *u)
{
    struct abi_rusage ru = { .utime = timeval_of(u->user_ns), .stime = timeval_of(u->system_ns),
                             .maxrss = (int64_t)(u->maxrss_pages * PAGE_SIZE / KIB),
                             .nvcsw = (int64_t)u->nvcsw, .nivcsw = (int64_t)u->nivcsw };
    return copy_to_user(uaddr, &ru, sizeof ru) ? -EFAULT : 0;
}

/* getrusage(who, usage): EINVAL for another who, EFAULT for a bad pointer. */
long sys_getrusage(const struct syscall_args *a)
{
    struct cpu_usage u;
    if (!usage_of((int)a->arg[0], &u))
        return -EINVAL;
    return cputime_rusage_to_user(a->arg[1], &u);
}

static int64_t user_ticks_of(uint64_t ns)
{
    return (int64_t)(ns / NSEC_PER_USER_TICK);
}

/* times(buf): the process's and its reaped children's times (buf may be NULL); clock ticks since boot. */
long sys_times(const struct syscall_args *a)
{
    struct process *self = proc_current();
    struct cpu_usage own, children;
    proc_tree_lock_take();
    cputime_process(self, &own);
    cputime_children(self, &children);
    proc_tree_lock_drop();
    struct abi_tms t = { user_ticks_of(own.user_ns), user_ticks_of(own.system_ns),
                         user_ticks_of(children.user_ns), user_ticks_of(children.system_ns) };
    if (a->arg[0] && copy_to_user(a->arg[0], &t, sizeof t))
        return -EFAULT;
    return user_ticks_of(clock_monotonic_ns());
}

/*
 * The thread (per_thread) or process id names, for a CPU-time clock: 0 is
 * the caller's own; a thread must be of the caller's process (as on
 * Linux).  Its reading by what in *ns.  proc_tree_lock held.
 */
static bool read_clock_of(int id, bool per_thread, unsigned what, uint64_t *ns)
{
    struct thread *t = NULL;
    struct process *p = NULL;
    if (per_thread) {
        t = id ? thread_find(id) : thread_current();
        if (!t || t->proc != proc_current())
            return false;
    } else {
        p = id ? proc_find(id) : proc_current();
        if (!p || p == &kernel_process)
            return false;
    }
    if (what == CPUCLOCK_VIRT) {
        struct cpu_usage u;
        if (t)
            cputime_thread(t, &u);
        else
            cputime_process(p, &u);
        *ns = u.user_ns;
    } else {
        *ns = t ? cputime_thread_ns(t) : cputime_process_ns(p);
    }
    return true;
}

long cputime_clock_read(int64_t clock, uint64_t *ns)
{
    bool per_thread = clock == CLOCK_THREAD_CPUTIME_ID;
    int id = 0;
    unsigned what = CPUCLOCK_SCHED;
    if (clock < 0) {
        if (clock < INT32_MIN || (clock & CPUCLOCK_WHAT_MASK) == CPUCLOCK_WHAT_MASK)
            return -EINVAL;
        id = CPUCLOCK_ID(clock);
        what = (unsigned)clock & CPUCLOCK_WHAT_MASK;
        per_thread = clock & CPUCLOCK_PERTHREAD;
    } else if (clock != CLOCK_PROCESS_CPUTIME_ID && !per_thread) {
        return -EINVAL;
    }
    proc_tree_lock_take();
    bool found = read_clock_of(id, per_thread, what, ns);
    proc_tree_lock_drop();
    return found ? 0 : -EINVAL;
}
