/*
 * The scheduler.  See kernel/include/kernel/sched.h for the model.
 *
 * Each CPU has its own run queue and idle thread; a thread is queued on
 * the CPU it last ran on unless another CPU it may use is idle (its TLB
 * entries and caches are where it ran), and a CPU with nothing to run
 * takes a thread from another's queue.  One lock, sched_lock, protects
 * every run queue, the timer list, every wait queue, every thread's state
 * and the counters: with a handful of CPUs a single lock is simple and
 * cheap, and a thread can move between queues without a lock order
 * between them.  Lock order: any lock a sleeper passes to sleep_on, then
 * sched_lock, then the kernel-stack cache's, kvmap, heap and page-allocator
 * locks (dead threads are freed with sched_lock held).
 *
 * sched_lock is held across a switch (schedule takes it, the next thread
 * releases it), so a thread queued by one CPU cannot be taken by another
 * before its CPU has switched off its stack.
 */
#include <abi/signal.h>
#include <arch/context.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <kernel/counters.h>
#include <kernel/errno.h>
#include <kernel/jobctl.h>
#include <kernel/kstack.h>
#include <kernel/kvmap.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/runq.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/time.h>
#include <kernel/trace.h>
#include <kernel/vm.h>

/* The CPU that keeps time: its tick wakes the sleepers and runs the kernel timers. */
#define TIMEKEEPER_CPU  BOOT_CPU

/* What the scheduler keeps per CPU. */
struct cpu_sched {
    struct runq run_queue;      /* [s] runnable threads waiting for this CPU (kernel/runq.c) */
    struct list_node dead;      /* [s] threads that exited here: freed after the switch away */
    struct thread *running;     /* [s] the thread it runs */
    struct thread idle;         /* its idle thread: kmain's flow on CPU 0, the AP's own on the others */
    bool need_resched;          /* [s] the running thread should give up the CPU soon */
    bool online;                /* [s] it runs threads */
    struct sched_stats stats;   /* [s] */
};

static struct spinlock sched_lock = SPINLOCK_INIT("sched", LOCK_RANK_SCHED);
static struct cpu_sched cpus[CPU_MAX];
static struct list_node timer_list = LIST_INIT(timer_list);     /* [s] sleepers with a deadline, soonest first */
static struct list_node ktimers = LIST_INIT(ktimers);           /* [s] armed kernel timers, soonest first */
/* [atomic] threads made and not yet ended: a count for statistics, which nothing decides under sched_lock */
static uint64_t live_threads;
static uint64_t ending_threads;         /* [atomic] threads that began to end and are not freed yet */

/*
 * Load averages, as Linux computes them (kernel/sched/loadavg.c): every
 * LOAD_INTERVAL the timekeeping CPU counts the threads running or
 * waiting to run and folds the count into three exponential averages
 * over 1, 5 and 15 minutes, in fixed point (LOAD_SCALE is 1.0).
 */
#define LOAD_INTERVAL_TICKS (5 * TICK_HZ)
static const unsigned long load_decay[3] = { 1884, 2014, 2037 };   /* LOAD_SCALE / e^(5 s / 1, 5, 15 min) */
static unsigned long load_avg[3];       /* [s] */
static unsigned load_ticks;             /* [s] ticks since the last fold */
static void fold_load(void);

static struct cpu_sched *this_cpu(void)
{
    return &cpus[cpu_id()];
}

/* CPU cpu's idle thread, running the flow that calls this: kmain's, or an AP's. */
static void init_idle_thread(unsigned cpu, uint64_t stack_top)
{
    struct cpu_sched *c = &cpus[cpu];
    struct thread *idle = &c->idle;
    idle->proc = &kernel_process;
    idle->state = THREAD_RUNNING;
    idle->kstack_top = stack_top;
    idle->wait_reason = "idle";
    idle->affinity = cpumask_of(cpu);
    idle->cpu = cpu;
    idle->tid = 0;
    idle->on_cpu_since = clock_monotonic_ns();
    list_init(&idle->run_link);
    list_init(&idle->timer_link);
    list_init(&idle->tid_link);
    c->running = idle;
}

void sched_init(void)
{
    extern char boot_stack_top[];
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++) {
        runq_init(&cpus[cpu].run_queue);
        list_init(&cpus[cpu].dead);
    }
    init_idle_thread(BOOT_CPU, (uint64_t)boot_stack_top);
    cpus[BOOT_CPU].online = true;
    list_push_back(&kernel_process.threads, &cpus[BOOT_CPU].idle.proc_link);
    kernel_process.thread_count = 1;
    cpu_set_current_thread(&cpus[BOOT_CPU].idle);
    live_threads = 1;
}

void sched_thread_created(void)
{
    __atomic_fetch_add(&live_threads, 1, __ATOMIC_RELAXED);
}

void sched_thread_gone(void)
{
    __atomic_fetch_sub(&live_threads, 1, __ATOMIC_RELAXED);
}

/* True if CPU cpu runs its idle thread with nothing queued. */
static bool cpu_idle_now(unsigned cpu)
{
    const struct cpu_sched *c = &cpus[cpu];
    return c->online && c->running == &c->idle && runq_empty(&c->run_queue);
}

/*
 * The CPU to queue t on: the one it last ran on (its TLB entries and its
 * caches are there) unless that one is busy and another CPU it may use is
 * idle; never one outside its affinity; CPU 0 if nothing else fits.  It
 * looks only at the CPUs t may use (a bit each in one word), so on one
 * CPU a wake-up costs one test.
 */
static unsigned place(const struct thread *t)
{
    spin_assert_held(&sched_lock);
    cpumask_t allowed = t->affinity & cpus_online();
    bool last_ok = cpumask_has(allowed, t->cpu);
    if (last_ok && cpu_idle_now(t->cpu))
        return t->cpu;
    for (cpumask_t m = allowed & ~(last_ok ? cpumask_of(t->cpu) : 0); m; m &= m - 1)
        if (cpu_idle_now((unsigned)__builtin_ctzll(m)))
            return (unsigned)__builtin_ctzll(m);
    if (last_ok)
        return t->cpu;
    return allowed ? (unsigned)__builtin_ctzll(allowed) : BOOT_CPU;
}

/*
 * Make CPU cpu look at its queue soon: this CPU by a reschedule when it
 * idles, another by an IPI, which also sends a thread running there in
 * user mode through return_to_user (its pending work: a kill, a signal).
 */
static void kick(unsigned cpu)
{
    spin_assert_held(&sched_lock);
    struct cpu_sched *c = &cpus[cpu];
    if (cpu == cpu_id()) {
        if (c->running == &c->idle)
            c->need_resched = true;
        return;
    }
    c->stats.ipis_received++;
    this_cpu()->stats.ipis_sent++;
    trace_event(OS_TRACE_IPI_SEND, 0, (int32_t)cpu, IPI_RESCHEDULE, 0, 0);
    ipi_send(cpu, IPI_RESCHEDULE);
}

static void make_runnable_locked(struct thread *t)
{
    spin_assert_held(&sched_lock);
    unsigned cpu = place(t);
    t->state = THREAD_RUNNABLE;
    t->cpu = cpu;
    runq_push(&cpus[cpu].run_queue, t);
    if (cpus[cpu].running == &cpus[cpu].idle)
        kick(cpu);
}

/* t has work before it next returns to user mode (a kill, a signal): if it runs on another CPU, send it there now. */
static void kick_running(struct thread *t)
{
    spin_assert_held(&sched_lock);
    if (t->state == THREAD_RUNNING && t->cpu != cpu_id())
        kick(t->cpu);
}

/*
 * A new thread starts only here.  Its state is THREAD_NEW until then, not
 * SLEEPING: on several CPUs a sibling's exit_group or exec may interrupt
 * it between proc_add_thread and this call, and a wake-up then would
 * queue it twice (it sees the kill when it starts: sched_interrupt set
 * its work flag).
 */
void sched_make_runnable(struct thread *t)
{
    spin_lock(&sched_lock);
    KASSERT(t->state == THREAD_NEW);
    trace_new_thread(t);
    make_runnable_locked(t);
    spin_unlock(&sched_lock);
}

/* Free the threads that exited on this CPU: it has switched off their stacks. */
static void reap_dead_threads(void)
{
    spin_assert_held(&sched_lock);
    list_for_each_safe(pos, tmp, &this_cpu()->dead) {
        struct thread *t = container_of(pos, struct thread, run_link);
        list_remove(&t->run_link);
        kstack_thread_free(t);
        __atomic_fetch_sub(&ending_threads, 1, __ATOMIC_RELEASE);
    }
}

void sched_thread_ending(void)
{
    struct thread *t = thread_current();
    if (!t->ending) {
        t->ending = true;
        __atomic_fetch_add(&ending_threads, 1, __ATOMIC_RELEASE);
    }
}

uint64_t sched_ending_threads(void)
{
    return __atomic_load_n(&ending_threads, __ATOMIC_ACQUIRE);
}

/* Count the switch and activate next's address space if it needs one. */
static void account_and_activate(struct sched_stats *stats, struct thread *prev, struct thread *next)
{
    trace_switch(prev, next);
    stats->switches++;
    next->run_count++;
    struct vm *vm = next->proc->vm;
    /* A dead prev's process may already be reaped and freed on another CPU: compare, never look in. */
    bool prev_has_vm = prev->state != THREAD_DEAD && prev->proc->vm;
    if (next->proc == prev->proc)
        stats->same_process_switches++;
    else if (!vm || !prev_has_vm)
        stats->kernel_thread_switches++;
    if (vm)
        mmu_activate(&vm->space);   /* counts itself in struct mmu_stats */
}

/*
 * Charge prev its time on this CPU up to now and count its switch away
 * (involuntary if it was still runnable); next's time starts now.  The
 * precise half of CPU-time accounting (kernel/cputime.c).
 */
static void account_cputime(struct thread *prev, struct thread *next, bool preempted)
{
    spin_assert_held(&sched_lock);
    uint64_t now = clock_monotonic_ns();
    if (now > prev->on_cpu_since)
        prev->cputime.runtime_ns += now - prev->on_cpu_since;
    if (preempted)
        prev->cputime.nivcsw++;
    else
        prev->cputime.nvcsw++;
    next->on_cpu_since = now;
}

void sched_cputime_read(const struct thread *t, struct cputime_raw *raw)
{
    spin_lock(&sched_lock);
    *raw = t->cputime;
    uint64_t now = clock_monotonic_ns();
    if (t->state == THREAD_RUNNING && now > t->on_cpu_since)
        raw->runtime_ns += now - t->on_cpu_since;      /* the stretch it is running now */
    spin_unlock(&sched_lock);
}

/*
 * Whether an idle CPU may take work queued on CPU cpu: only from a busy
 * one.  An idle CPU's queue holds a thread that place() chose it for and
 * kicked it about; it runs that thread itself as soon as the IPI lands.
 * Taking it first (the waker's CPU going idle in the meantime, as a
 * creator that joins at once) would undo the placement: the new thread
 * would run where its creator was, never beside it.
 */
static bool may_steal_from(unsigned cpu, unsigned self)
{
    return cpu != self && cpus[cpu].running != &cpus[cpu].idle;
}

static bool may_run_on_cpu(const struct thread *t, const void *cpu)
{
    return thread_may_run_on(t, *(const unsigned *)cpu);
}

/* The first thread, in its queue's order, of a busy CPU's queue that may run on this one; NULL if none. */
static struct thread *stealable(unsigned self, unsigned *from)
{
    spin_assert_held(&sched_lock);
    for (cpumask_t m = cpus_online(); m; m &= m - 1) {
        unsigned cpu = (unsigned)__builtin_ctzll(m);
        struct thread *t;
        if (may_steal_from(cpu, self) && (t = runq_find(&cpus[cpu].run_queue, may_run_on_cpu, &self))) {
            *from = cpu;
            return t;
        }
    }
    return NULL;
}

static bool steal_possible(unsigned self)
{
    unsigned from;
    return stealable(self, &from) != NULL;
}

/* A stealable thread taken off its queue (an idle CPU takes work); NULL if none.  Counted as a migration. */
static struct thread *steal(unsigned self)
{
    unsigned from;
    struct thread *t = stealable(self, &from);
    if (t) {
        runq_remove(&cpus[from].run_queue, t);
        cpus[self].stats.migrations++;
        trace_event(OS_TRACE_MIGRATE, 0, t->tid, t->proc->pid, (int32_t)from, (int32_t)self);
    }
    return t;
}

/* The running thread prev stays runnable: back to the end of a queue (this CPU's if it may stay). */
static void requeue(struct cpu_sched *c, unsigned self, struct thread *prev)
{
    prev->state = THREAD_RUNNABLE;
    if (prev == &c->idle)
        return;
    if (thread_may_run_on(prev, self)) {
        runq_push(&c->run_queue, prev);
        return;
    }
    make_runnable_locked(prev);         /* its affinity no longer has this CPU: another takes it */
    c->stats.migrations++;
}

/*
 * Switch to the next runnable thread (or idle).  The running thread goes to
 * the back of the run queue if it is still runnable.  Called with
 * sched_lock held (and no other lock); returns with it held, when this
 * thread runs again.
 *
 * sched_lock passes from thread to thread here, and with it the interrupt
 * state its release restores.  That state is the taker's: a thread that
 * took sched_lock with interrupts on (sched_yield, exit) must not hand "on"
 * to a thread that took it with them off (a sleeper holding another lock),
 * which would then run its critical section with interrupts on.  So each
 * thread keeps its own across the switch, as xv6 keeps intena.
 */
static void schedule(void)
{
    spin_assert_held(&sched_lock);
    lock_check_switch(&sched_lock);
    unsigned self = cpu_id();
    struct cpu_sched *c = &cpus[self];
    struct thread *prev = thread_current();
    bool preempted = prev->state == THREAD_RUNNING;     /* still runnable: an involuntary switch */
    if (preempted)
        requeue(c, self, prev);
    struct thread *next = runq_pop(&c->run_queue);
    if (!next && !(next = steal(self)))
        next = &c->idle;
    next->state = THREAD_RUNNING;
    next->slice_left = TIME_SLICE_TICKS;
    next->cpu = self;
    c->running = next;
    c->need_resched = false;
    if (next != prev) {
        bool irq_was_on = spin_irq_state(&sched_lock);     /* this thread's, kept on its stack */
        account_cputime(prev, next, preempted);
        account_and_activate(&c->stats, prev, next);
        cpu_set_current_thread(next);
        arch_set_kernel_stack(next->kstack_top);
        arch_switch(&prev->arch, &next->arch);
        spin_set_irq_state(&sched_lock, irq_was_on);
    }
    if (!list_empty(&this_cpu()->dead))     /* this CPU: the thread may have moved while away */
        reap_dead_threads();
}

void sched_thread_start(void)
{
    /*
     * A new thread arrives here from schedule() with sched_lock held, and
     * starts with interrupts off (its start routine turns them on when it
     * is ready), whatever the thread that switched to it had.
     */
    spin_set_irq_state(&sched_lock, false);
    reap_dead_threads();
    spin_unlock(&sched_lock);
}

void sched_yield(void)
{
    spin_lock(&sched_lock);
    schedule();
    spin_unlock(&sched_lock);
}

bool sched_should_yield(void)
{
    return __atomic_load_n(&this_cpu()->need_resched, __ATOMIC_RELAXED);
}

bool sched_preempt_point(void)
{
    if (!sched_should_yield())
        return false;
    KASSERT(irq_enabled());             /* so no spinlock is held: every holder has interrupts off */
    sched_yield();
    return true;
}

/* The running thread ends for good; its stack is freed by the next thread. */
void sched_exit_current(void)
{
    sched_thread_ending();      /* kernel threads: their first word of it */
    spin_lock(&sched_lock);
    struct thread *t = thread_current();
    t->state = THREAD_DEAD;
    sched_thread_gone();        /* it never runs again; its stack goes once this CPU is off it */
    list_push_back(&this_cpu()->dead, &t->run_link);
    schedule();
    panic("sched_exit_current: a dead thread ran again");
}

static void insert_timer(struct thread *t)
{
    spin_assert_held(&sched_lock);
    struct list_node *pos = timer_list.next;
    while (pos != &timer_list && container_of(pos, struct thread, timer_link)->wake_ns <= t->wake_ns)
        pos = pos->next;
    list_insert_before(pos, &t->timer_link);
}

/* Take a sleeping thread off its queue and timer and make it runnable. */
static void wake_locked(struct thread *t)
{
    spin_assert_held(&sched_lock);
    if (t->state != THREAD_SLEEPING)
        return;
    uint64_t deadline_ns = t->wake_ns;          /* the trace's: was this its deadline? */
    if (t->waiting_on) {
        list_remove(&t->run_link);
        t->waiting_on = NULL;
    }
    if (t->wake_ns) {
        list_remove(&t->timer_link);
        t->wake_ns = 0;
    }
    make_runnable_locked(t);
    trace_wake(t, deadline_ns);
}

/*
 * Why a sleep ends early: a kill ends every sleep; a signal to handle ends
 * the interruptible ones only.
 */
static bool sleep_cut_short(const struct thread *t, bool killable_only)
{
    return t->interrupted || (t->signal_wake && !killable_only);
}

bool sched_interrupted(void)
{
    spin_lock(&sched_lock);
    bool interrupted = sleep_cut_short(thread_current(), false);
    spin_unlock(&sched_lock);
    return interrupted;
}

/* sleep_on_until, or with killable_only a sleep that only a kill cuts short. */
static int sleep_common(struct wait_queue *wq, struct spinlock *lock, const char *reason,
                        uint64_t deadline_ns, bool killable_only)
{
    /*
     * On the wait queue before lock goes: a waker on another CPU changes
     * the condition under lock, so once it has lock it finds us queued
     * (wake_all's unlocked look included), and no wake-up falls between
     * our check of the condition and our sleep.
     */
    bool irq = irq_save();
    spin_lock(&sched_lock);
    struct thread *t = thread_current();
    int result = 0;
    bool released = false, lock_irq = false;
    if (sleep_cut_short(t, killable_only)) {
        result = -EINTR;
    } else {
        t->state = THREAD_SLEEPING;
        t->wait_reason = reason;
        if (wq) {
            t->waiting_on = wq;
            list_push_back(&wq->sleepers, &t->run_link);
        }
        if (deadline_ns) {
            t->wake_ns = deadline_ns;
            insert_timer(t);
        }
        if (lock) {
            lock_irq = spin_release_for_sleep(lock);    /* interrupts stay off until we sleep */
            released = true;
        }
        schedule();
        if (sleep_cut_short(t, killable_only))
            result = -EINTR;
        else if (deadline_ns && clock_monotonic_ns() >= deadline_ns)
            result = -ETIMEDOUT;
    }
    spin_unlock(&sched_lock);
    if (released)
        spin_retake_after_sleep(lock, lock_irq);
    irq_restore(irq);
    return result;
}

int sleep_on_until(struct wait_queue *wq, struct spinlock *lock, const char *reason,
                   uint64_t deadline_ns)
{
    return sleep_common(wq, lock, reason, deadline_ns, false);
}

int sleep_on(struct wait_queue *wq, struct spinlock *lock, const char *reason)
{
    return sleep_common(wq, lock, reason, 0, false);
}

int sleep_on_killable(struct wait_queue *wq, struct spinlock *lock, const char *reason)
{
    return sleep_common(wq, lock, reason, 0, true);
}

int sched_sleep_ns(uint64_t ns)
{
    uint64_t deadline = deadline_after_ns(ns);
    int r;
    while ((r = sleep_on_until(NULL, NULL, "sleep", deadline)) == 0)
        ;                       /* woken early by nothing we wait for: sleep on */
    return r == -ETIMEDOUT ? 0 : r;
}

int wake_all(struct wait_queue *wq)
{
    int n = 0;
    if (list_empty(&wq->sleepers))
        return 0;               /* the common case on a busy pipe; no sleeper can appear: we run */
    spin_lock(&sched_lock);
    while (!list_empty(&wq->sleepers)) {
        wake_locked(container_of(wq->sleepers.next, struct thread, run_link));
        n++;
    }
    spin_unlock(&sched_lock);
    return n;
}

int wake_one(struct wait_queue *wq)
{
    spin_lock(&sched_lock);
    struct thread *t = list_first(&wq->sleepers, struct thread, run_link);
    if (t)
        wake_locked(t);
    spin_unlock(&sched_lock);
    return t != NULL;
}

void sched_signal_wake(struct thread *t)
{
    spin_lock(&sched_lock);
    t->signal_wake = true;
    t->work = true;
    wake_locked(t);
    kick_running(t);
    spin_unlock(&sched_lock);
}

void sched_interrupt(struct thread *t)
{
    spin_lock(&sched_lock);
    t->interrupted = true;
    t->work = true;
    wake_locked(t);
    kick_running(t);
    spin_unlock(&sched_lock);
}

void sched_set_affinity(struct thread *t, cpumask_t mask)
{
    proc_tree_lock_assert_held();
    spin_lock(&sched_lock);
    t->affinity = mask;
    if (t->state == THREAD_RUNNABLE && !thread_may_run_on(t, t->cpu)) {
        runq_remove(&cpus[t->cpu].run_queue, t);   /* queued where it may no longer run */
        make_runnable_locked(t);
    } else if (t->state == THREAD_RUNNING && !thread_may_run_on(t, t->cpu)) {
        cpus[t->cpu].need_resched = true;   /* it moves at its next switch (requeue) */
        kick_running(t);
    }
    spin_unlock(&sched_lock);
}

void sched_set_nice(struct process *p, int nice)
{
    proc_tree_lock_assert_held();
    spin_lock(&sched_lock);
    __atomic_store_n(&p->nice, nice, __ATOMIC_RELAXED);    /* runq_push reads it with sched_lock only */
    spin_unlock(&sched_lock);
}

void ktimer_arm(struct ktimer *t, uint64_t deadline_ns)
{
    spin_lock(&sched_lock);
    if (t->deadline_ns)
        list_remove(&t->link);
    t->deadline_ns = deadline_ns ? deadline_ns : 1;     /* 0 means "not armed" */
    struct list_node *pos = ktimers.next;
    while (pos != &ktimers && container_of(pos, struct ktimer, link)->deadline_ns <= t->deadline_ns)
        pos = pos->next;
    list_insert_before(pos, &t->link);
    spin_unlock(&sched_lock);
}

/*
 * Disarm t, and wait until its function is not running: it runs without
 * sched_lock on the timekeeping CPU and may re-arm t (an interval timer),
 * so a cancel that did not wait could leave t armed in memory its owner
 * frees next (a process ending on another CPU: itimer_release).  Never
 * called from t's own function.
 */
void ktimer_cancel(struct ktimer *t)
{
    spin_lock(&sched_lock);
    for (;;) {
        if (t->deadline_ns)
            list_remove(&t->link);
        t->deadline_ns = 0;
        if (!t->running)
            break;
        spin_unlock(&sched_lock);
        cpu_relax();
        spin_lock(&sched_lock);
    }
    spin_unlock(&sched_lock);
}

/* Run the expired kernel timers (from the tick, interrupts off). */
static void run_ktimers(uint64_t now)
{
    for (;;) {
        spin_lock(&sched_lock);
        struct ktimer *t = list_first(&ktimers, struct ktimer, link);
        if (!t || t->deadline_ns > now) {
            spin_unlock(&sched_lock);
            return;
        }
        list_remove(&t->link);
        t->deadline_ns = 0;
        t->running = true;      /* ktimer_cancel waits for it */
        spin_unlock(&sched_lock);
        t->fn(t->arg);          /* without sched_lock: it may send signals, or re-arm */
        spin_lock(&sched_lock);
        t->running = false;
        spin_unlock(&sched_lock);
    }
}

void sched_tick(bool from_user)
{
    spin_lock(&sched_lock);
    struct cpu_sched *c = this_cpu();
    struct thread *t = thread_current();
    bool timekeeper = cpu_id() == TIMEKEEPER_CPU;
    uint64_t now = clock_monotonic_ns();
    if (from_user)
        t->cputime.user_ticks++;        /* the sample that splits its runtime (kernel/cputime.c) */
    else
        t->cputime.system_ticks++;
    c->stats.ticks++;
    c->stats.idle_ticks += t == &c->idle;
    c->stats.system_ticks += t != &c->idle && !from_user;     /* /proc/stat's per-CPU split */
    runq_tick(&c->run_queue);           /* the waiting threads age */
    struct thread *first;
    if (timekeeper && ++load_ticks >= LOAD_INTERVAL_TICKS) {
        load_ticks = 0;
        fold_load();
    }
    while (timekeeper && (first = list_first(&timer_list, struct thread, timer_link)) &&
           first->wake_ns <= now)
        wake_locked(first);
    if (t == &c->idle ? !runq_empty(&c->run_queue) || steal_possible(cpu_id()) : --t->slice_left <= 0)
        c->need_resched = true;
    spin_unlock(&sched_lock);
    kvmap_tick();               /* kernel address ranges freed on other CPUs */
    if (timekeeper)
        run_ktimers(now);
}

/*
 * Defence in depth: a frame about to return to a kernel or non-canonical
 * address (no path should make one) would fault in kernel mode.  The
 * process dies of SIGSEGV instead.
 */
static __attribute__((noreturn)) void refuse_return(const struct trap_frame *tf)
{
    struct process *p = proc_current();
    kprintf("pid %d (%s): return to user mode at pc %#lx, sp %#lx refused: killed by signal %d\n",
            p->pid, p->name, trap_user_pc(tf), trap_user_sp(tf), SIGSEGV);
    irq_enable();
    proc_exit(wait_status_signaled(SIGSEGV));
}

void return_to_user(struct trap_frame *tf)
{
    for (;;) {
        struct thread *t = thread_current();
        if (t->work) {                  /* rare: look closer */
            struct process *p = t->proc;
            t->work = false;
            if (p->kill_signal || p->exiting || p->execer)
                proc_check_killed();
            if (jobctl_owes_park()) {
                jobctl_park();          /* until SIGCONT or a kill; then look again */
                continue;
            }
            if ((t->sig_pending | p->sig_pending) & ~t->sigmask)
                signal_deliver(tf);     /* a stop it begins sets work: the park comes next */
            jobctl_after_park(tf);
            if (t->work)
                continue;
            t->signal_wake = false;
            t->no_restart = false;      /* it was for the call that just ended */
        }
        if (!sched_should_yield())
            break;
        spin_lock(&sched_lock);
        schedule();
        spin_unlock(&sched_lock);
    }
    if (!arch_frame_user_ok(tf))
        refuse_return(tf);
}

/* True if this CPU, idle, has work: its own queue, or a thread of another's it may take. */
static bool idle_has_work(unsigned self)
{
    spin_lock(&sched_lock);
    bool work = !runq_empty(&cpus[self].run_queue) || steal_possible(self);
    spin_unlock(&sched_lock);
    return work;
}

void sched_run_idle(void)
{
    unsigned self = cpu_id();
    for (;;) {
        irq_disable();
        if (idle_has_work(self))
            sched_yield();
        cpu_idle();             /* sti; hlt: a wake-up IPI sent after the check ends the halt */
    }
}

/* The tick of an AP, from its local APIC timer. */
static void ap_tick(bool from_user)
{
    sched_tick(from_user);
}

/* An AP's first code as a scheduler CPU (its idle entry): the idle loop, with its own tick. */
static void ap_sched_entry(void)
{
    unsigned self = cpu_id();
    uint64_t here;
    init_idle_thread(self, (uint64_t)&here);    /* never in user mode: its stack top is a formality */
    cpu_set_current_thread(&cpus[self].idle);
    spin_lock(&sched_lock);
    cpus[self].online = true;
    spin_unlock(&sched_lock);
    cpu_mark_online(self);
    timer_start_local(TICK_HZ, ap_tick);
    sched_run_idle();
}

void sched_start_cpus(void)
{
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++)
        if (cpu != BOOT_CPU && smp_online(cpu))
            smp_set_idle_entry(cpu, ap_sched_entry);
}

static bool is_thread(const struct thread *t, const void *which)
{
    return t == which;
}

static bool queued_on(const struct thread *t, unsigned cpu)
{
    return runq_find(&cpus[cpu].run_queue, is_thread, t) != NULL;
}

static bool print_tid(const struct thread *t, const void *unused)
{
    (void)unused;
    kprintf(" %d", t->tid);
    return false;
}

/* Each CPU's running thread and queue, for a report of broken scheduler state. */
static void print_queues(void)
{
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++) {
        if (!cpus[cpu].online)
            continue;
        kprintf("sched:   CPU %u runs %d (need_resched %d), queue:", cpu, cpus[cpu].running->tid,
                cpus[cpu].need_resched);
        runq_find(&cpus[cpu].run_queue, print_tid, NULL);     /* prints each, finds none */
        kprintf("\n");
    }
}

void sched_check_queued(const struct thread *t)
{
    spin_lock(&sched_lock);
    bool idle = t->proc == &kernel_process && t->tid == 0;     /* an idle thread waits on no queue */
    if (t->state == THREAD_RUNNABLE && !idle && (t->cpu >= CPU_MAX || !queued_on(t, t->cpu))) {
        int found = -1;
        for (unsigned cpu = 0; cpu < CPU_MAX && found < 0; cpu++)
            if (queued_on(t, cpu))
                found = (int)cpu;
        kprintf("sched: thread %d is runnable for CPU %u but not on its queue (on CPU %d's; -1: none)\n",
                t->tid, t->cpu, found);
        print_queues();
    }
    spin_unlock(&sched_lock);
}

/* Every CPU's counters added up, or one CPU's. */
void sched_get_stats(struct sched_stats *s)
{
    *s = (struct sched_stats){ 0 };
    spin_lock(&sched_lock);
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++)
        COUNTERS_ADD(s, &cpus[cpu].stats);
    spin_unlock(&sched_lock);
}

void sched_get_cpu_stats(unsigned cpu, struct sched_stats *s)
{
    KASSERT(cpu < CPU_MAX);
    spin_lock(&sched_lock);
    *s = cpus[cpu].stats;
    spin_unlock(&sched_lock);
}

void sched_reset_stats(void)
{
    spin_lock(&sched_lock);
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++)
        cpus[cpu].stats = (struct sched_stats){ 0 };
    spin_unlock(&sched_lock);
}

uint64_t sched_thread_count(void)
{
    return __atomic_load_n(&live_threads, __ATOMIC_RELAXED);
}

/* Threads running (idle threads aside) or queued to run, on every CPU.  sched_lock held. */
static unsigned long runnable_locked(void)
{
    spin_assert_held(&sched_lock);
    unsigned long n = 0;
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++) {
        struct cpu_sched *c = &cpus[cpu];
        if (!c->online)
            continue;
        n += c->running && c->running != &c->idle;
        n += runq_length(&c->run_queue);
    }
    return n;
}

unsigned long sched_runnable_count(void)
{
    spin_lock(&sched_lock);
    unsigned long n = runnable_locked();
    spin_unlock(&sched_lock);
    return n;
}

/* Every LOAD_INTERVAL_TICKS on the timekeeping CPU.  sched_lock held. */
static void fold_load(void)
{
    unsigned long active = runnable_locked() * LOAD_SCALE;
    for (int i = 0; i < 3; i++)
        load_avg[i] = (load_avg[i] * load_decay[i] + active * (LOAD_SCALE - load_decay[i])) / LOAD_SCALE;
}

void sched_load_averages(unsigned long load[3])
{
    spin_lock(&sched_lock);
    for (int i = 0; i < 3; i++)
        load[i] = load_avg[i];
    spin_unlock(&sched_lock);
}
