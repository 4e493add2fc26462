/*
 * In-kernel tests, run when the kernel boots with test=kernel.  Each test
 * is a function in tests/kernel/ listed in the table in kernel/ktest.c; it
 * returns true on success, and on failure says why with ktest_fail().
 * Every test prints one line, "ktest NAME: OK" or "ktest NAME: FAILED
 * (reason)", which the runner (tests/run.sh) counts.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <stdbool.h>
#include <kernel/time.h>

/* Record why the running test failed; returns false so tests can `return ktest_fail(...)`. */
bool ktest_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define KTEST_CHECK(cond, ...)          \
    do {                                \
        if (!(cond))                    \
            return ktest_fail(__VA_ARGS__); \
    } while (0)

/*
 * Empty the cache of dead threads' kernel stacks (kstack_drain), then wait
 * (yielding, up to a second) until the kernel has given back what it frees
 * lazily with several CPUs: kernel address ranges waiting for every CPU's
 * flush.  Leak checks call it before both of their counts.
 */
bool ktest_settle(void);

#define KTEST_WAIT_LIMIT_NS (10 * NSEC_PER_SEC)    /* what a test waits for is broken past this */

/* Yield (and halt when nothing else runs) until *flag reaches want; false after KTEST_WAIT_LIMIT_NS. */
bool ktest_wait_for(volatile int *flag, int want);

/* Start a kernel thread running fn(arg) on cpu alone; false if it cannot be made. */
bool ktest_thread_on(unsigned cpu, void (*fn)(void *), void *arg);

/* Run the test=... mode named on the command line; does not return. */
__attribute__((noreturn)) void ktest_main(const char *mode);

/* The tests, one per subsystem file in tests/kernel/. */
bool test_pmm_round_trip(void);
bool test_pmm_exhaust(void);
bool test_memory_map_adds_up(void);
bool test_boot_range_is_ram(void);
bool test_heap_random(void);
bool test_heap_large(void);
bool test_mmu_map_translate(void);
bool test_kernel_sections_protected(void);
bool test_timer_advances(void);
bool test_cmdline(void);
bool test_threads_ping_pong(void);
bool test_sleep_wakes_on_time(void);
bool test_threads_leak_nothing(void);
bool test_switch_keeps_interrupt_state(void);
bool test_ktimer_cancel_waits(void);
bool test_kvmap_tables_race(void);
bool test_local_timer_rate(void);
bool test_smp_ipi_each_cpu(void);
bool test_smp_ipi_all_others(void);
bool test_smp_idle_entry_ticks(void);

/* Deliberate kernel faults, each in its own boot; the runner checks the report. */
void ktest_page_fault(void);
void ktest_double_free(void);
void ktest_heap_overrun(void);
void ktest_lock_order(void);
void ktest_lock_across_sleep(void);
void ktest_ap_panic(void);
void ktest_lockup(void);

#endif
