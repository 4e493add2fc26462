/*
 * Time.  The tick counts timer interrupts; the monotonic clock converts
 * TSC cycles since boot to nanoseconds with a 32.32 fixed-point factor
 * (ns = cycles * scale >> 32), which needs no division on the read path.
 */
#include <arch/cpu.h>
#include <arch/timer.h>
#include <abi/time.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <kernel/vm.h>

#define SCALE_SHIFT 32

static volatile uint64_t tick_count;
static uint64_t tsc_at_boot;
static uint64_t tsc_hz;
static uint64_t ns_per_cycle_scaled;    /* NSEC_PER_SEC / tsc_hz, times 2^SCALE_SHIFT */
static uint64_t realtime_at_boot_ns;    /* the wall clock when the monotonic clock read 0 (set once at boot) */

static void on_tick(bool from_user)
{
    tick_count++;
    sched_tick(from_user);
}

void time_init(void)
{
    tsc_hz = timer_calibrate_tsc();
    if (tsc_hz == 0)
        panic("time_init: the TSC does not advance");
    ns_per_cycle_scaled = (NSEC_PER_SEC << SCALE_SHIFT) / tsc_hz;
    tsc_at_boot = rdtsc_ordered();
    realtime_at_boot_ns = rtc_unix_seconds() * NSEC_PER_SEC;
    timer_start(TICK_HZ, on_tick);
    kprintf("time: tsc %lu.%03lu MHz, tick %u Hz\n", tsc_hz / 1000000,
            tsc_hz / 1000 % 1000, TICK_HZ);
}

uint64_t ticks(void)
{
    return tick_count;
}

uint64_t clock_tsc_hz(void)
{
    return tsc_hz;
}

uint64_t clock_monotonic_ns(void)
{
    uint64_t cycles = rdtsc_ordered() - tsc_at_boot;
    return (uint64_t)(((unsigned __int128)cycles * ns_per_cycle_scaled) >> SCALE_SHIFT);
}

uint64_t clock_realtime_ns(void)
{
    return time_add_ns(realtime_at_boot_ns, clock_monotonic_ns());
}

uint64_t realtime_to_monotonic(uint64_t realtime_ns)
{
    return realtime_ns > realtime_at_boot_ns ? realtime_ns - realtime_at_boot_ns : 1;
}

uint64_t tsc_frequency(void)
{
    return tsc_hz;
}

uint64_t time_add_ns(uint64_t a, uint64_t b)
{
    return a > TIME_NEVER - b ? TIME_NEVER : a + b;
}

uint64_t deadline_after_ns(uint64_t ns)
{
    return time_add_ns(clock_monotonic_ns(), ns);
}

bool time_to_ns(int64_t sec, int64_t frac, uint64_t frac_ns, uint64_t *ns)
{
    if (sec < 0 || frac < 0 || (uint64_t)frac >= NSEC_PER_SEC / frac_ns)
        return false;
    uint64_t whole = (uint64_t)sec > TIME_NEVER / NSEC_PER_SEC ? TIME_NEVER : (uint64_t)sec * NSEC_PER_SEC;
    *ns = time_add_ns(whole, (uint64_t)frac * frac_ns);
    return true;
}

long timespec_from_user(uint64_t uts, uint64_t *ns)
{
    struct abi_timespec ts;
    if (copy_from_user(&ts, uts, sizeof ts) != 0)
        return -EFAULT;
    return time_to_ns(ts.sec, ts.nsec, 1, ns) ? 0 : -EINVAL;
}

long timeout_from_user(uint64_t uts, bool *no_wait, uint64_t *deadline)
{
    *no_wait = false;
    *deadline = 0;
    if (!uts)
        return 0;
    uint64_t ns;
    long err = timespec_from_user(uts, &ns);
    if (err)
        return err;
    *no_wait = ns == 0;
    *deadline = deadline_after_ns(ns);
    return 0;
}
