/*
 * In-kernel tests of the other CPUs (arch/smp.h) and the local APIC timer.
 * Each online AP takes an IPI sent to it alone, and one sent to all others,
 * and knows itself there: its cpu_id() and its APIC ID are what the MADT
 * said.  A parked AP runs the idle entry it is given, with its own APIC
 * timer ticking; CPU 0's APIC timer ticks at the rate asked.  With one CPU
 * the AP tests have no AP to check and pass.
 */
#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <stddef.h>

/* A parked AP answers in microseconds; under TCG its vCPU thread may wait for a host core. */
#define ANSWER_WAIT_NS      NSEC_PER_SEC
#define LOCAL_TICK_HZ       100         /* the scheduler's rate (TICK_HZ) */
#define LOCAL_TICKS         5           /* an AP's idle entry waits for these */
#define STOPPED_PERIODS     3           /* a stopped timer stays silent this long */
#define RATE_WINDOW_TICKS   20          /* CPU 0 counts ticks over this many periods */

static unsigned ipi_count[CPU_MAX];     /* [atomic] IPI_TEST taken, by the CPU that took it */
static uint32_t ipi_apic_id[CPU_MAX];   /* [atomic] that CPU's APIC ID, read there */
static unsigned ipi_strays;             /* [atomic] taken on a CPU whose cpu_id() is out of range */

static void count_test_ipi(void)
{
    unsigned cpu = cpu_id();
    if (cpu >= CPU_MAX) {
        __atomic_fetch_add(&ipi_strays, 1, __ATOMIC_RELEASE);
        return;
    }
    __atomic_store_n(&ipi_apic_id[cpu], cpu_apic_id(), __ATOMIC_RELAXED);
    __atomic_fetch_add(&ipi_count[cpu], 1, __ATOMIC_RELEASE);
}

static unsigned count_of(unsigned cpu)
{
    return __atomic_load_n(&ipi_count[cpu], __ATOMIC_ACQUIRE);
}

/* Wait until *counter reaches want, for limit_ns at most; whether it did. */
static bool wait_count(const unsigned *counter, unsigned want, uint64_t limit_ns)
{
    uint64_t start = clock_monotonic_ns();
    while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) < want) {
        if (clock_monotonic_ns() - start > limit_ns)
            return false;
        cpu_relax();
    }
    return true;
}

/* Every CPU's IPI_TEST count, and the online CPUs, which must number smp_cpu_count(). */
static bool snapshot(unsigned before[CPU_MAX])
{
    unsigned online = 0;
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++) {
        before[cpu] = count_of(cpu);
        online += smp_online(cpu);
    }
    return online == smp_cpu_count();
}

/* After an IPI meant for the CPUs in mask (bit per CPU): did each take it once, and no other? */
static bool counts_moved(const unsigned before[CPU_MAX], unsigned mask)
{
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++) {
        unsigned want = before[cpu] + ((mask >> cpu) & 1);
        if ((mask >> cpu) & 1)
            KTEST_CHECK(wait_count(&ipi_count[cpu], want, ANSWER_WAIT_NS),
                        "CPU %u did not take its IPI in 1 s", cpu);
        KTEST_CHECK(count_of(cpu) == want, "CPU %u took %u IPIs, expected %u",
                    cpu, count_of(cpu) - before[cpu], want - before[cpu]);
        if ((mask >> cpu) & 1)
            KTEST_CHECK(ipi_apic_id[cpu] == smp_apic_id(cpu), "CPU %u is APIC %u there, the MADT says %u",
                        cpu, ipi_apic_id[cpu], smp_apic_id(cpu));
    }
    KTEST_CHECK(ipi_strays == 0, "%u IPIs taken on a CPU with a bad cpu_id()", ipi_strays);
    return true;
}

bool test_smp_ipi_each_cpu(void)
{
    unsigned before[CPU_MAX];
    KTEST_CHECK(cpu_id() == 0 && cpu_apic_id() == smp_apic_id(0),
                "CPU 0 is APIC %u, the MADT says %u", cpu_apic_id(), smp_apic_id(0));
    ipi_set_handler(IPI_TEST, count_test_ipi);
    for (unsigned cpu = 1; cpu < CPU_MAX; cpu++) {
        if (!smp_online(cpu))
            continue;
        KTEST_CHECK(snapshot(before), "smp_cpu_count() is %u, not the CPUs online", smp_cpu_count());
        ipi_send(cpu, IPI_TEST);
        if (!counts_moved(before, 1u << cpu))
            return false;
    }
    ipi_set_handler(IPI_TEST, NULL);
    return true;
}

bool test_smp_ipi_all_others(void)
{
    unsigned before[CPU_MAX], others = 0;
    ipi_set_handler(IPI_TEST, count_test_ipi);
    KTEST_CHECK(snapshot(before), "smp_cpu_count() is %u, not the CPUs online", smp_cpu_count());
    for (unsigned cpu = 1; cpu < CPU_MAX; cpu++)
        if (smp_online(cpu))
            others |= 1u << cpu;
    ipi_send_others(IPI_TEST);
    if (!counts_moved(before, others))
        return false;
    ipi_set_handler(IPI_TEST, NULL);
    return true;
}

static unsigned local_ticks[CPU_MAX];   /* [atomic] local APIC timer ticks, by CPU */

static void count_local_tick(bool from_user)
{
    (void)from_user;
    __atomic_fetch_add(&local_ticks[cpu_id()], 1, __ATOMIC_RELEASE);
}

/*
 * Each AP runs the scheduler's idle loop with its own APIC timer as its
 * tick (sched_start_cpus): its tick count grows, about at TICK_HZ.
 */
bool test_smp_idle_entry_ticks(void)
{
    struct sched_stats before[CPU_MAX], after;
    for (unsigned cpu = 1; cpu < CPU_MAX; cpu++)
        if (smp_online(cpu))
            sched_get_cpu_stats(cpu, &before[cpu]);
    uint64_t start = clock_monotonic_ns();
    while (clock_monotonic_ns() - start < LOCAL_TICKS * NSEC_PER_SEC / LOCAL_TICK_HZ + ANSWER_WAIT_NS / 10)
        cpu_idle();
    for (unsigned cpu = 1; cpu < CPU_MAX; cpu++) {
        if (!smp_online(cpu))
            continue;
        sched_get_cpu_stats(cpu, &after);
        KTEST_CHECK(after.ticks - before[cpu].ticks >= LOCAL_TICKS - 1, "CPU %u ticked %lu times in %d periods",
                    cpu, after.ticks - before[cpu].ticks, LOCAL_TICKS);
    }
    return true;
}

bool test_local_timer_rate(void)
{
    uint64_t window = RATE_WINDOW_TICKS * NSEC_PER_SEC / LOCAL_TICK_HZ;
    __atomic_store_n(&local_ticks[0], 0, __ATOMIC_RELEASE);
    bool irq = irq_save();
    timer_start_local(LOCAL_TICK_HZ, count_local_tick);
    irq_enable();
    uint64_t start = clock_monotonic_ns();
    while (clock_monotonic_ns() - start < window)
        cpu_relax();
    irq_disable();
    timer_stop_local();
    irq_restore(irq);
    unsigned n = local_ticks[0];
    /* Allow the clocks a factor of two, as test_timer_advances does. */
    KTEST_CHECK(n >= RATE_WINDOW_TICKS / 2 && n <= RATE_WINDOW_TICKS * 2,
                "%u ticks at %u Hz in %lu ms, expected about %u", n, LOCAL_TICK_HZ,
                window / 1000000, RATE_WINDOW_TICKS);
    return true;
}

/* test=lockup: the lock CPU 1 takes and never lets go. */
static struct spinlock stuck_lock = SPINLOCK_INIT("ktest_stuck", LOCK_RANK_PMM);
static volatile bool stuck_lock_taken;

static __attribute__((noinline)) void hold_lock_forever(void)
{
    spin_lock(&stuck_lock);
    stuck_lock_taken = true;
    for (;;)
        cpu_relax();
}

/*
 * test=lockup (two CPUs or more): CPU 1 takes a lock in an IPI handler
 * and spins with it held; CPU 0 waits for it.  After LOCKUP_NS CPU 0
 * must panic naming the lock and CPU 1, and CPU 1, stopped by the panic's
 * NMI, must print where it was: in hold_lock_forever (tests/run.sh checks).
 */
__attribute__((noinline)) void ktest_lockup(void)
{
    if (smp_cpu_count() < 2) {
        kprintf("ktest: lockup needs a second CPU\n");
        return;
    }
    ipi_set_handler(IPI_TEST, hold_lock_forever);
    ipi_send(1, IPI_TEST);
    while (!stuck_lock_taken)
        cpu_relax();
    spin_lock(&stuck_lock);
    kprintf("ktest: lockup: the lock was free after all\n");
}

static __attribute__((noinline)) void panic_on_ap(void)
{
    panic("ktest_ap_panic: deliberate, on CPU %u", cpu_id());
}

/*
 * test=ap-panic (two CPUs or more): CPU 1 panics while CPU 0 prints with
 * interrupts off, so that only an NMI stops it.  The report must come
 * whole, with no line of CPU 0's after it (tests/run.sh checks).
 */
__attribute__((noinline)) void ktest_ap_panic(void)
{
    if (smp_cpu_count() < 2) {
        kprintf("ktest: ap-panic needs a second CPU\n");
        return;
    }
    irq_disable();
    ipi_set_handler(IPI_TEST, panic_on_ap);     /* CPU 1 runs the scheduler's idle loop: an IPI reaches it */
    ipi_send(1, IPI_TEST);
    for (;;)
        kprintf("ktest: CPU 0 still printing\n");
}
