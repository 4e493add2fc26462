/* In-kernel tests of time and the command line, and the deliberate faults. */
#include <arch/cpu.h>
#include <kernel/cmdline.h>
#include <kernel/heap.h>
#include <kernel/ktest.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <lib/string.h>

#define WAIT_TICKS          5
#define WAIT_LIMIT_NS       (10 * NSEC_PER_SEC)     /* the tick is broken if this passes first */
#define FAULT_ADDRESS       0xdead000               /* user half: never mapped in the kernel root */

bool test_timer_advances(void)
{
    uint64_t t0 = ticks(), ns0 = clock_monotonic_ns();
    while (ticks() < t0 + WAIT_TICKS) {
        KTEST_CHECK(clock_monotonic_ns() - ns0 < WAIT_LIMIT_NS, "no tick in 10 s: ticks stuck at %lu", ticks());
        cpu_idle();
    }
    uint64_t elapsed = clock_monotonic_ns() - ns0;
    /* Between WAIT_TICKS - 1 and WAIT_TICKS + 1 periods passed; allow the clock a factor of two. */
    uint64_t low = (WAIT_TICKS - 1) * NSEC_PER_TICK / 2, high = (WAIT_TICKS + 1) * NSEC_PER_TICK * 2;
    KTEST_CHECK(elapsed >= low && elapsed <= high,
                "%d ticks took %lu ns by the TSC clock, outside [%lu, %lu]", WAIT_TICKS, elapsed, low, high);
    uint64_t a = clock_monotonic_ns(), b = clock_monotonic_ns();
    KTEST_CHECK(b >= a, "the clock went backwards: %lu then %lu", a, b);
    return true;
}

bool test_cmdline(void)
{
    const char *t = cmdline_get("test");
    KTEST_CHECK(t && strcmp(t, "kernel") == 0, "test= reads '%s'", t ? t : "(absent)");
    KTEST_CHECK(cmdline_get("no-such-option") == NULL, "an absent option was found");
    return true;
}

/* A store to an unmapped address from kernel code: the runner expects CR2 and this name. */
__attribute__((noinline)) void ktest_page_fault(void)
{
    *(volatile uint64_t *)FAULT_ADDRESS = 1;
}

/* keep holds the slab, so the second kfree finds the block's header, not a freed page. */
__attribute__((noinline)) void ktest_double_free(void)
{
    void *keep = kmalloc(64), *p = kmalloc(64);
    kfree(p);
    kfree(p);
    kfree(keep);
}

__attribute__((noinline)) void ktest_heap_overrun(void)
{
    char *p = kmalloc(40);
    memset(p, 'x', 41);         /* one byte too many */
    kfree(p);
}

/* Two locks taken against the order of lock_order.h: the debug build's checker panics naming both. */
__attribute__((noinline)) void ktest_lock_order(void)
{
    static struct spinlock inner = SPINLOCK_INIT("ktest_inner", LOCK_RANK_PMM);
    static struct spinlock outer = SPINLOCK_INIT("ktest_outer", LOCK_RANK_TTY);
    spin_lock(&inner);
    spin_lock(&outer);
    spin_unlock(&outer);
    spin_unlock(&inner);
}

/* A lock held while sleeping on another: the checker panics at the switch. */
__attribute__((noinline)) void ktest_lock_across_sleep(void)
{
    static struct spinlock held = SPINLOCK_INIT("ktest_held", LOCK_RANK_TTY);
    static struct spinlock released = SPINLOCK_INIT("ktest_released", LOCK_RANK_PIPE);
    static struct wait_queue wq = WAIT_QUEUE_INIT(wq);
    spin_lock(&held);
    spin_lock(&released);
    sleep_on_until(&wq, &released, "ktest", deadline_after_ns(NSEC_PER_TICK));
    spin_unlock(&released);
    spin_unlock(&held);
}
