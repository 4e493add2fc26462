/*
 * In-kernel tests of threads and the scheduler, with kernel threads.  The
 * test driver runs on the boot thread, which is also the idle thread: it
 * never sleeps, it yields until the threads under test are done.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/time.h>

#define PING_PONG_ROUNDS  1000
#define SHORT_THREADS     100
#define SLEEP_NS          (20 * 1000 * 1000ull)

struct ping_pong {
    struct spinlock lock;
    struct wait_queue wq;
    int turn;                   /* [lock] whose move: 0 or 1 */
    int moves;                  /* [lock] */
    int out_of_turn;            /* [lock] moves made by the wrong side */
    volatile int finished;
};

static struct ping_pong pp;

static void player(void *arg)
{
    int me = (int)(uint64_t)arg;
    spin_lock(&pp.lock);
    for (int i = 0; i < PING_PONG_ROUNDS; i++) {
        while (pp.turn != me)
            sleep_on(&pp.wq, &pp.lock, "pingpong");
        if (pp.turn != me)
            pp.out_of_turn++;
        pp.moves++;
        pp.turn = !me;
        wake_all(&pp.wq);
    }
    spin_unlock(&pp.lock);
    __atomic_fetch_add(&pp.finished, 1, __ATOMIC_SEQ_CST);   /* the two players may run on two CPUs */
}

bool test_threads_ping_pong(void)
{
    pp = (struct ping_pong){ .lock = SPINLOCK_INIT("pingpong", LOCK_RANK_PIPE) };
    wait_queue_init(&pp.wq);
    struct sched_stats before, after;
    struct mmu_stats mmu_before, mmu_after;
    sched_get_stats(&before);
    mmu_get_stats(&mmu_before);
    for (uint64_t side = 0; side < 2; side++) {
        struct thread *t = thread_create(&kernel_process, player, (void *)side);
        KTEST_CHECK(t, "thread_create failed");
        sched_make_runnable(t);
    }
    KTEST_CHECK(ktest_wait_for(&pp.finished, 2), "the players did not finish: %d moves", pp.moves);
    sched_get_stats(&after);
    mmu_get_stats(&mmu_after);
    KTEST_CHECK(pp.moves == 2 * PING_PONG_ROUNDS && !pp.out_of_turn, "%d moves, %d out of turn",
                pp.moves, pp.out_of_turn);
    uint64_t switches = after.switches - before.switches;
    KTEST_CHECK(switches >= 2 * PING_PONG_ROUNDS, "only %lu switches for %d moves", switches, pp.moves);
    KTEST_CHECK(mmu_after.cr3_writes == mmu_before.cr3_writes, "kernel threads wrote CR3 %lu times",
                mmu_after.cr3_writes - mmu_before.cr3_writes);
    return true;
}

static volatile int sleepers_done;
static uint64_t slept_ns;

static void sleeper(void *arg)
{
    (void)arg;
    uint64_t t0 = clock_monotonic_ns();
    sched_sleep_ns(SLEEP_NS);
    slept_ns = clock_monotonic_ns() - t0;
    __atomic_fetch_add(&sleepers_done, 1, __ATOMIC_SEQ_CST);
}

bool test_sleep_wakes_on_time(void)
{
    sleepers_done = 0;
    struct thread *t = thread_create(&kernel_process, sleeper, NULL);
    KTEST_CHECK(t, "thread_create failed");
    sched_make_runnable(t);
    KTEST_CHECK(ktest_wait_for(&sleepers_done, 1), "the sleeper never woke");
    KTEST_CHECK(slept_ns >= SLEEP_NS, "woke after %lu ns, asked for %llu", slept_ns, SLEEP_NS);
    return true;
}

static volatile int short_done;

static void short_lived(void *arg)
{
    (void)arg;
    __atomic_fetch_add(&short_done, 1, __ATOMIC_SEQ_CST);
}

bool test_threads_leak_nothing(void)
{
    short_done = 0;
    KTEST_CHECK(ktest_settle(), "kernel ranges freed earlier still wait for a flush");
    uint64_t threads = sched_thread_count(), pages = pmm_free_count(), tables = mmu_table_pages();
    for (int i = 0; i < SHORT_THREADS; i++) {
        struct thread *t = thread_create(&kernel_process, short_lived, NULL);
        KTEST_CHECK(t, "thread_create %d failed", i);
        sched_make_runnable(t);
    }
    KTEST_CHECK(ktest_wait_for(&short_done, SHORT_THREADS), "%d of %d threads ran", short_done, SHORT_THREADS);
    sched_yield();              /* the last one's stack is freed by the next switch */
    KTEST_CHECK(sched_thread_count() == threads, "%lu threads alive, %lu before", sched_thread_count(), threads);
    KTEST_CHECK(ktest_settle(), "the stacks' ranges still wait for a flush");
    /* A stack that reaches a new 2 MiB of the mapping area leaves its page table: kept, not leaked. */
    uint64_t tables_kept = mmu_table_pages() - tables;
    KTEST_CHECK(pmm_free_count() + tables_kept == pages, "free pages %lu, was %lu (%lu page tables kept)",
                pmm_free_count(), pages, tables_kept);
    return true;
}

/* ---- the interrupt state across a switch ---- */

struct irq_handoff {
    struct spinlock lock;
    struct wait_queue wq;
    bool woken;                 /* [lock] */
    bool irq_on_in_critical;    /* [lock] the sleeper found interrupts on while holding lock */
    volatile int finished;
};

static struct irq_handoff ih;

/* Sleeps under ih.lock; once woken, notes whether interrupts are off, as holding a lock means. */
static void handoff_sleeper(void *arg)
{
    (void)arg;
    spin_lock(&ih.lock);
    while (!ih.woken)
        sleep_on(&ih.wq, &ih.lock, "handoff");
    ih.irq_on_in_critical = irq_enabled();
    if (ih.irq_on_in_critical)
        irq_disable();          /* what the fix does: keep the failure a failure, not a panic */
    spin_unlock(&ih.lock);
    __atomic_fetch_add(&ih.finished, 1, __ATOMIC_SEQ_CST);
}

/* Wakes the sleeper, then yields with interrupts on: sched_lock taken with them on. */
static void handoff_waker(void *arg)
{
    (void)arg;
    spin_lock(&ih.lock);
    ih.woken = true;
    wake_all(&ih.wq);
    spin_unlock(&ih.lock);
    sched_yield();
    __atomic_fetch_add(&ih.finished, 1, __ATOMIC_SEQ_CST);
}

/*
 * A thread that took sched_lock with interrupts on and switched to a
 * sleeper used to hand it that state: the sleeper ran the rest of its
 * critical section with interrupts on (found when a SIGALRM tick took
 * proc_tree_lock inside exec's wait: "already held").
 */
bool test_switch_keeps_interrupt_state(void)
{
    ih = (struct irq_handoff){ .lock = SPINLOCK_INIT("handoff", LOCK_RANK_PIPE) };
    wait_queue_init(&ih.wq);
    struct thread *sleeper = thread_create(&kernel_process, handoff_sleeper, NULL);
    KTEST_CHECK(sleeper, "thread_create failed");
    sched_make_runnable(sleeper);
    sched_yield();              /* the sleeper goes to sleep */
    struct thread *waker = thread_create(&kernel_process, handoff_waker, NULL);
    KTEST_CHECK(waker, "thread_create failed");
    sched_make_runnable(waker);
    KTEST_CHECK(ktest_wait_for(&ih.finished, 2), "the threads did not finish");
    KTEST_CHECK(!ih.irq_on_in_critical, "the sleeper held its lock with interrupts on after the switch");
    return true;
}

/* ---- ktimer_cancel against the timer's own function ---- */

#define REARM_DELAY_NS  (2 * 1000 * 1000ull)    /* the function's run: far longer than cancel's */
#define REARM_AHEAD_NS  NSEC_PER_SEC            /* where it re-arms: never reached in the test */

static struct ktimer rearming_timer;
static volatile int rearm_entered, rearm_left, rearm_stop;
static volatile int canceller_done;
static volatile uint64_t armed_after_cancel;    /* the deadline the canceller found, 0: disarmed */

/* Runs in CPU 0's tick: stays a while, then re-arms itself as an interval timer does. */
static void rearm_slowly(void *arg)
{
    (void)arg;
    rearm_entered = 1;
    uint64_t start = clock_monotonic_ns();
    while (clock_monotonic_ns() - start < REARM_DELAY_NS)
        cpu_relax();
    if (!rearm_stop)
        ktimer_arm(&rearming_timer, clock_monotonic_ns() + REARM_AHEAD_NS);
    rearm_left = 1;
}

/* On another CPU: cancel while the function runs, then look once it has surely finished. */
static void cancel_while_running(void *arg)
{
    (void)arg;
    uint64_t start = clock_monotonic_ns();
    while (!rearm_entered && clock_monotonic_ns() - start < KTEST_WAIT_LIMIT_NS)
        cpu_relax();
    ktimer_cancel(&rearming_timer);
    while (!rearm_left && clock_monotonic_ns() - start < KTEST_WAIT_LIMIT_NS)
        cpu_relax();
    armed_after_cancel = __atomic_load_n(&rearming_timer.deadline_ns, __ATOMIC_ACQUIRE);
    __atomic_fetch_add(&canceller_done, 1, __ATOMIC_SEQ_CST);
}

/*
 * ktimer_cancel waits for the timer's function: that function runs on the
 * timekeeping CPU without sched_lock and may re-arm the timer (a process's
 * interval timer), so a cancel that returned at once, from another CPU,
 * left the timer armed in memory its owner freed next (an exiting process:
 * the 2-CPU fuzzer's panic in ktimer_arm).  With one CPU the canceller
 * runs only after the function: the check holds without the race.
 */
bool test_ktimer_cancel_waits(void)
{
    rearm_entered = rearm_left = rearm_stop = canceller_done = 0;
    rearming_timer = (struct ktimer){ .fn = rearm_slowly };
    KTEST_CHECK(ktest_thread_on(cpus_online_count() > 1 ? 1 : BOOT_CPU, cancel_while_running, NULL),
                "thread_create failed");
    ktimer_arm(&rearming_timer, clock_monotonic_ns());  /* CPU 0's next tick runs it */
    bool finished = ktest_wait_for(&canceller_done, 1);
    rearm_stop = 1;
    ktimer_cancel(&rearming_timer);     /* whatever happened, nothing stays armed in this test */
    KTEST_CHECK(finished && rearm_left, "the timer did not run, or the canceller did not finish");
    KTEST_CHECK(armed_after_cancel == 0, "the timer was armed (deadline %lu ns) after ktimer_cancel returned",
                armed_after_cancel);
    return true;
}
