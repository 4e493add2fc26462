/*
 * The scheduler.  See kernel/include/kernel/sched.h for the model.
 *
 * sched_lock protects the run queue, the timer list, every wait queue,
 * every thread's state and the counters.  Lock order: any lock a sleeper
 * passes to sleep_on, then sched_lock, then kvmap, heap and page-allocator
 * locks (dead threads are freed with sched_lock held).
 */
#include <abi/signal.h>
#include <arch/context.h>
#include <kernel/errno.h>
#include <kernel/heap.h>
#include <kernel/kvmap.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/time.h>
#include <kernel/trace.h>
#include <kernel/vm.h>

static struct spinlock sched_lock = SPINLOCK_INIT("sched", LOCK_RANK_SCHED);
static struct list_node run_queue = LIST_INIT(run_queue);       /* [s] runnable threads, FIFO */
static struct list_node timer_list = LIST_INIT(timer_list);     /* [s] sleepers with a deadline, soonest first */
static struct list_node dead_threads = LIST_INIT(dead_threads); /* [s] exited, stacks not yet freed */
static struct list_node ktimers = LIST_INIT(ktimers);           /* [s] armed kernel timers, soonest first */
static struct thread boot_thread;       /* kmain's flow; becomes the idle thread */
static bool need_resched;               /* [s] the running thread's slice is over */
static struct sched_stats stats;        /* [s] */
static uint64_t live_threads;           /* [s] */

void sched_init(void)
{
    extern char boot_stack_top[];
    boot_thread.proc = &kernel_process;
    boot_thread.state = THREAD_RUNNING;
    boot_thread.kstack_top = (uint64_t)boot_stack_top;
    boot_thread.wait_reason = "idle";
    boot_thread.affinity = cpumask_of(BOOT_CPU);        /* the boot CPU's idle thread */
    list_init(&boot_thread.run_link);
    list_init(&boot_thread.timer_link);
    list_push_back(&kernel_process.threads, &boot_thread.proc_link);
    kernel_process.thread_count = 1;
    cpu_set_current_thread(&boot_thread);
    live_threads = 1;
}

void sched_thread_created(void)
{
    spin_lock(&sched_lock);
    live_threads++;
    spin_unlock(&sched_lock);
}

void sched_thread_gone(void)
{
    spin_lock(&sched_lock);
    live_threads--;
    spin_unlock(&sched_lock);
}

static void make_runnable_locked(struct thread *t)
{
    spin_assert_held(&sched_lock);
    t->state = THREAD_RUNNABLE;
    list_push_back(&run_queue, &t->run_link);
}

void sched_make_runnable(struct thread *t)
{
    spin_lock(&sched_lock);
    trace_new_thread(t);
    make_runnable_locked(t);
    spin_unlock(&sched_lock);
}

/* Free the threads that exited; none of them is running any more. */
static void reap_dead_threads(void)
{
    spin_assert_held(&sched_lock);
    list_for_each_safe(pos, tmp, &dead_threads) {
        struct thread *t = container_of(pos, struct thread, run_link);
        list_remove(&t->run_link);
        kvmap_free(t->kstack, KSTACK_PAGES);
        kfree(t);
        live_threads--;
    }
}

/* Count the switch and activate next's address space if it needs one. */
static void account_and_activate(struct thread *prev, struct thread *next)
{
    trace_switch(prev, next);
    stats.switches++;
    next->run_count++;
    struct vm *vm = next->proc->vm;
    if (next->proc == prev->proc)
        stats.same_process_switches++;
    else if (!vm || !prev->proc->vm)
        stats.kernel_thread_switches++;
    if (vm)
        mmu_activate(&vm->space);   /* counts itself in struct mmu_stats */
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
    struct thread *prev = thread_current();
    if (prev->state == THREAD_RUNNING) {
        prev->state = THREAD_RUNNABLE;
        if (prev != &boot_thread)
            list_push_back(&run_queue, &prev->run_link);
    }
    struct thread *next = list_first(&run_queue, struct thread, run_link);
    if (next)
        list_remove(&next->run_link);
    else
        next = &boot_thread;
    next->state = THREAD_RUNNING;
    next->slice_left = TIME_SLICE_TICKS;
    need_resched = false;
    if (next != prev) {
        bool irq_was_on = spin_irq_state(&sched_lock);     /* this thread's, kept on its stack */
        account_and_activate(prev, next);
        cpu_set_current_thread(next);
        arch_set_kernel_stack(next->kstack_top);
        arch_switch(&prev->arch, &next->arch);
        spin_set_irq_state(&sched_lock, irq_was_on);
    }
    if (!list_empty(&dead_threads))
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
    return need_resched;
}

bool sched_preempt_point(void)
{
    if (!need_resched)
        return false;
    KASSERT(irq_enabled());             /* so no spinlock is held: every holder has interrupts off */
    sched_yield();
    return true;
}

/* The running thread ends for good; its stack is freed by the next thread. */
void sched_exit_current(void)
{
    spin_lock(&sched_lock);
    struct thread *t = thread_current();
    t->state = THREAD_DEAD;
    list_push_back(&dead_threads, &t->run_link);
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
    bool irq = irq_save();
    bool lock_irq = lock ? spin_release_for_sleep(lock) : false;   /* interrupts stay off until we sleep */
    spin_lock(&sched_lock);
    struct thread *t = thread_current();
    int result = 0;
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
        schedule();
        if (sleep_cut_short(t, killable_only))
            result = -EINTR;
        else if (deadline_ns && clock_monotonic_ns() >= deadline_ns)
            result = -ETIMEDOUT;
    }
    spin_unlock(&sched_lock);
    if (lock)
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
    spin_unlock(&sched_lock);
}

void sched_interrupt(struct thread *t)
{
    spin_lock(&sched_lock);
    t->interrupted = true;
    t->work = true;
    wake_locked(t);
    spin_unlock(&sched_lock);
}

void sched_set_affinity(struct thread *t, cpumask_t mask)
{
    proc_tree_lock_assert_held();
    spin_lock(&sched_lock);
    t->affinity = mask;
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

void ktimer_cancel(struct ktimer *t)
{
    spin_lock(&sched_lock);
    if (t->deadline_ns)
        list_remove(&t->link);
    t->deadline_ns = 0;
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
        spin_unlock(&sched_lock);
        t->fn(t->arg);          /* without sched_lock: it may send signals, or re-arm */
    }
}

void sched_tick(void)
{
    spin_lock(&sched_lock);
    struct thread *t = thread_current();
    t->cpu_ticks++;
    uint64_t now = clock_monotonic_ns();
    struct thread *first;
    while ((first = list_first(&timer_list, struct thread, timer_link)) && first->wake_ns <= now)
        wake_locked(first);
    if (t == &boot_thread ? !list_empty(&run_queue) : --t->slice_left <= 0)
        need_resched = true;
    spin_unlock(&sched_lock);
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
            if ((t->sig_pending | p->sig_pending) & ~t->sigmask)
                signal_deliver(tf);
            t->signal_wake = false;
            t->no_restart = false;      /* it was for the call that just ended */
        }
        if (!need_resched)
            break;
        spin_lock(&sched_lock);
        schedule();
        spin_unlock(&sched_lock);
    }
    if (!arch_frame_user_ok(tf))
        refuse_return(tf);
}

void sched_run_idle(void)
{
    for (;;) {
        irq_disable();
        if (!list_empty(&run_queue))
            sched_yield();
        cpu_idle();             /* sti; hlt: no wake-up is lost between the check and the halt */
    }
}

void sched_get_stats(struct sched_stats *s)
{
    spin_lock(&sched_lock);
    *s = stats;
    spin_unlock(&sched_lock);
}

void sched_reset_stats(void)
{
    spin_lock(&sched_lock);
    stats = (struct sched_stats){ 0 };
    spin_unlock(&sched_lock);
}

uint64_t sched_thread_count(void)
{
    return live_threads;
}
