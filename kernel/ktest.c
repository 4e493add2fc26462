/*
 * The in-kernel test driver.  test=kernel runs the table below and powers
 * off with the number of failures as the status; test=<fault> runs one
 * deliberate kernel fault, whose panic report the runner inspects.
 */
#include <kernel/ktest.h>
#include <arch/cpu.h>
#include <kernel/time.h>
#include <kernel/sched.h>
#include <kernel/kstack.h>
#include <kernel/kvmap.h>
#include <kernel/mm.h>
#include <kernel/power.h>
#include <kernel/proc.h>
#include <kernel/printk.h>
#include <lib/format.h>
#include <lib/string.h>

#define REASON_MAX 160

struct ktest {
    const char *name;
    bool (*run)(void);
};

static const struct ktest tests[] = {
    { "memory_map_adds_up", test_memory_map_adds_up },
    { "boot_range_is_ram", test_boot_range_is_ram },
    { "pmm_round_trip", test_pmm_round_trip },
    { "pmm_exhaust", test_pmm_exhaust },
    { "heap_random", test_heap_random },
    { "heap_large", test_heap_large },
    { "mmu_map_translate", test_mmu_map_translate },
    { "kernel_sections_protected", test_kernel_sections_protected },
    { "timer_advances", test_timer_advances },
    { "cmdline", test_cmdline },
    { "threads_ping_pong", test_threads_ping_pong },
    { "sleep_wakes_on_time", test_sleep_wakes_on_time },
    { "threads_leak_nothing", test_threads_leak_nothing },
    { "switch_keeps_interrupt_state", test_switch_keeps_interrupt_state },
    { "ktimer_cancel_waits", test_ktimer_cancel_waits },
    { "kvmap_tables_race", test_kvmap_tables_race },
    { "local_timer_rate", test_local_timer_rate },
    { "smp_ipi_each_cpu", test_smp_ipi_each_cpu },
    { "smp_ipi_all_others", test_smp_ipi_all_others },
    { "smp_idle_entry_ticks", test_smp_idle_entry_ticks },
};

struct fault_test {
    const char *mode;
    void (*run)(void);
};

static const struct fault_test fault_tests[] = {
    { "page-fault", ktest_page_fault },
    { "double-free", ktest_double_free },
    { "heap-overrun", ktest_heap_overrun },
    { "lock-order", ktest_lock_order },
    { "lock-across-sleep", ktest_lock_across_sleep },
    { "ap-panic", ktest_ap_panic },
    { "lockup", ktest_lockup },
};

static char reason[REASON_MAX];

#define SETTLE_LIMIT_NS NSEC_PER_SEC    /* every CPU ticks within 10 ms: plenty */

bool ktest_settle(void)
{
    kstack_drain();
    uint64_t start = clock_monotonic_ns();
    while (!kvmap_settled()) {
        if (clock_monotonic_ns() - start > SETTLE_LIMIT_NS)
            return false;
        sched_yield();
        cpu_idle();             /* the next tick, which flushes and reclaims */
    }
    return true;
}

bool ktest_wait_for(volatile int *flag, int want)
{
    uint64_t start = clock_monotonic_ns();
    while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) < want) {
        if (clock_monotonic_ns() - start > KTEST_WAIT_LIMIT_NS)
            return false;
        sched_yield();
        if (__atomic_load_n(flag, __ATOMIC_ACQUIRE) < want)
            cpu_idle();
    }
    return true;
}

bool ktest_thread_on(unsigned cpu, void (*fn)(void *), void *arg)
{
    struct thread *t = thread_create(&kernel_process, fn, arg);
    if (!t)
        return false;
    proc_tree_lock_take();      /* sched_set_affinity's rule; nobody else knows t yet */
    sched_set_affinity(t, cpumask_of(cpu));
    proc_tree_lock_drop();
    sched_make_runnable(t);
    return true;
}

bool ktest_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format_buffer_v(reason, sizeof reason, fmt, ap);
    va_end(ap);
    return false;
}

static int run_kernel_tests(void)
{
    int failed = 0;
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        strcpy(reason, "no reason given");
        if (tests[i].run()) {
            kprintf("ktest %s: OK\n", tests[i].name);
        } else {
            kprintf("ktest %s: FAILED (%s)\n", tests[i].name, reason);
            failed++;
        }
    }
    kprintf("ktest: %d passed, %d failed\n", (int)(sizeof tests / sizeof tests[0]) - failed, failed);
    return failed;
}

void ktest_main(const char *mode)
{
    if (strcmp(mode, "kernel") == 0) {
        int failed = run_kernel_tests();
        machine_poweroff(failed < POWEROFF_STATUS_PANIC ? failed : POWEROFF_STATUS_PANIC - 1);
    }
    for (size_t i = 0; i < sizeof fault_tests / sizeof fault_tests[0]; i++) {
        if (strcmp(mode, fault_tests[i].mode) == 0) {
            fault_tests[i].run();
            kprintf("ktest: the deliberate fault %s did not stop the kernel\n", mode);
            machine_poweroff(POWEROFF_STATUS_OK);
        }
    }
    panic("ktest_main: unknown test mode '%s'", mode);
}
