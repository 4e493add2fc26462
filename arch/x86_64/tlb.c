/*
 * TLB shootdowns: keeping every CPU's TLB right when an address space that
 * several CPUs may hold changes.
 *
 * Legend.  A CPU *holds* a space while its CR3 points at it: running one
 * of the process's threads, or idle or in a kernel thread after one
 * (lazily: a switch to a thread with no address space keeps the last
 * one).  mmu_space.active_on has a bit per CPU that holds the space now.
 * With PCIDs a CPU may also keep entries of a space it no longer holds,
 * under that space's tag on that CPU (arch/pcid.h).
 *
 * The rules, applied in mmu_shootdown below:
 *   - The caller changed the page tables first (unmapped, made a page
 *     read-only) and frees nothing until this returns.
 *   - On this CPU: INVLPG (the space is held here) or INVPCID / a stale
 *     tag (it is not), as mmu_flush_page does.
 *   - Every other CPU whose tag for the space is live gets it marked
 *     stale, so that its next load of the space flushes.
 *   - Every other CPU that holds the space now gets one IPI for the whole
 *     range and invalidates it there; this CPU waits for all of them.
 *   - No other CPU holds it and none has a live tag (or PCIDs are off): no
 *     IPI at all.  A single-threaded process that only ran here is such a
 *     space: the case the counters call "avoided".
 *   - Lazy TLB: a CPU that went idle holding the space is asked too (its
 *     CR3 still points there and its TLB may be filled from it by
 *     speculation); the other choice, skipping it and flushing when it
 *     next uses the space, saves an IPI to an idle CPU but needs a check
 *     on every switch, and a freed root must be left anyway
 *     (mmu_leave_everywhere).
 *
 * The order.  A shootdown marks the other CPUs' tags stale, then reads
 * active_on; mmu_activate sets its bit in active_on, then reads its tag's
 * stale flag; both with full barriers.  So a CPU that loads the space
 * meanwhile either sees the stale mark and flushes on load, or its bit is
 * seen and it gets the IPI.
 *
 * Requests.  Each CPU has one request slot, which only it writes, and
 * only while no CPU still owes it (waiting is 0); asked_by[cpu] has a bit
 * per CPU whose request cpu owes.  The IPI handler takes its bits, does
 * each request and clears its bit in the request's waiting mask.
 *
 * Waiting with locks held.  A shootdown may be waited for with a spinlock
 * held (the vm's: no one may map the addresses again before every CPU has
 * dropped its entries), so interrupts may be off on the waiting CPU, and
 * the CPU it waits for may itself be spinning for that lock with
 * interrupts off.  So every CPU that waits, for a shootdown or for a
 * spinlock, serves the requests it owes as it waits (mmu_serve_requests):
 * no CPU waits for one that waits for it.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/trace.h>
#include "mmu_cpu.h"
#include "x86.h"

struct tlb_request {
    struct mmu_space *space;
    uint64_t start, end;        /* the range to drop; start == end: the whole space */
    bool leave;                 /* switch to the kernel's tables if the space is held (it is being freed) */
    uint64_t waiting;           /* [atomic] a bit per CPU that has not done it yet */
};

static struct tlb_request requests[CPU_MAX];   /* [slot's CPU] one each: the one it is waiting for */
static uint64_t asked_by[CPU_MAX];              /* [atomic] per CPU: the CPUs whose request it owes */

static uint64_t pages_in(uint64_t start, uint64_t end)
{
    return (end - start) / PAGE_SIZE;
}

/* Drop all of s's entries here (s is held here): CR3 again, without the no-flush bit. */
static void flush_all_here(struct mmu_cpu *m, unsigned cpu, struct mmu_space *s)
{
    write_cr3(s->root | (pcid_on ? s->tags[cpu].pcid : 0));
    m->stats.full_flushes++;
}

/*
 * Drop [start, end) of s on this CPU (start == end: all of it).  Past
 * MMU_FLUSH_ALL_PAGES one flush of the space costs less than a page each:
 * held here, CR3 again; not held, its tag here goes stale (PCIDs) or
 * holds nothing (no PCIDs: the next load of s flushes anyway).
 */
static void invalidate_here(struct mmu_space *s, uint64_t start, uint64_t end)
{
    unsigned cpu = cpu_id();
    struct mmu_cpu *m = &mmu_cpus[cpu];
    bool whole = start == end || pages_in(start, end) > MMU_FLUSH_ALL_PAGES;
    if (!whole) {
        for (uint64_t va = start; va < end; va += PAGE_SIZE)
            mmu_flush_page(s, va);
    } else if (m->active == s) {
        flush_all_here(m, cpu, s);
    } else if (pcid_on) {
        pcid_invalidate(&m->pcids, &s->tags[cpu], false);      /* stale: flushed at next load */
    }
}

/* What CPU cpu asked of this one. */
static void do_request(struct tlb_request *r)
{
    struct mmu_cpu *m = this_mmu();
    if (r->leave) {
        if (m->active == r->space)
            mmu_activate_kernel();
    } else {
        invalidate_here(r->space, r->start, r->end);
    }
    m->stats.shootdowns_done++;
}

/* IPI_TLB_SHOOTDOWN, and mmu_serve_requests: every request this CPU owes, then say so. */
static void shootdown_ipi(void)
{
    unsigned self = cpu_id();
    uint64_t from = __atomic_exchange_n(&asked_by[self], 0, __ATOMIC_ACQUIRE);
    for (; from; from &= from - 1) {
        struct tlb_request *r = &requests[__builtin_ctzll(from)];
        do_request(r);
        __atomic_fetch_and(&r->waiting, ~(1ull << self), __ATOMIC_RELEASE);
    }
}

/* Mark s's live tags on the other CPUs stale: their next load of s flushes. */
static void mark_stale_elsewhere(struct mmu_space *s, unsigned self)
{
    if (!pcid_on)
        return;                 /* every CR3 write flushes the user entries anyway */
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++)
        if (cpu != self && pcid_is_live(&mmu_cpus[cpu].pcids, &s->tags[cpu]))
            __atomic_store_n(&s->tags[cpu].stale, true, __ATOMIC_RELAXED);
}

/* Ask every CPU of targets to do this CPU's request r, and wait until all have. */
static void ask_and_wait(struct tlb_request *r, uint64_t targets)
{
    unsigned self = cpu_id();
    struct mmu_cpu *m = &mmu_cpus[self];
    KASSERT(__atomic_load_n(&r->waiting, __ATOMIC_ACQUIRE) == 0);
    __atomic_store_n(&r->waiting, targets, __ATOMIC_RELEASE);
    for (uint64_t t = targets; t; t &= t - 1) {
        unsigned cpu = (unsigned)__builtin_ctzll(t);
        __atomic_fetch_or(&asked_by[cpu], 1ull << self, __ATOMIC_RELEASE);
        ipi_send(cpu, IPI_TLB_SHOOTDOWN);
        m->stats.shootdown_ipis++;
    }
    uint64_t since = 0;         /* a shootdown not done in LOCKUP_NS: a CPU stuck with interrupts off */
    for (unsigned spins = 1; __atomic_load_n(&r->waiting, __ATOMIC_ACQUIRE); spins++) {
        cpu_relax();
        mmu_serve_requests();   /* a CPU we wait for may be waiting for us */
        if (spins % SPIN_LOOKS_EVERY == 0 && lockup_reached(&since))
            panic("tlb: lockup: CPU %u has waited %lu s for CPUs %#lx to drop a range", self,
                  (unsigned long)(LOCKUP_NS / NSEC_PER_SEC),
                  (unsigned long)__atomic_load_n(&r->waiting, __ATOMIC_ACQUIRE));
    }
    m->stats.shootdowns++;
    trace_event(OS_TRACE_SHOOTDOWN, 0, 0, (int32_t)pages_in(r->start, r->end), (int32_t)targets, 0);
}

/* The CPUs other than self that hold s now, read after the stale marks (the order). */
static uint64_t holders_elsewhere(struct mmu_space *s, unsigned self)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return __atomic_load_n(&s->active_on, __ATOMIC_SEQ_CST) & ~(1ull << self);
}

void mmu_shootdown(struct mmu_space *s, uint64_t start, uint64_t end)
{
    bool irq = irq_save();      /* stay on this CPU's entry while we look at it */
    unsigned self = cpu_id();
    invalidate_here(s, start, end);
    mark_stale_elsewhere(s, self);
    uint64_t targets = holders_elsewhere(s, self);
    irq_restore(irq);
    if (!targets) {
        this_mmu()->stats.shootdowns_avoided++;
        return;
    }
    struct tlb_request *r = &requests[self];
    *r = (struct tlb_request){ .space = s, .start = start, .end = end };
    ask_and_wait(r, targets);
}

void mmu_leave_everywhere(struct mmu_space *s)
{
    unsigned self = cpu_id();
    if (this_mmu()->active == s)
        mmu_activate_kernel();
    uint64_t targets = holders_elsewhere(s, self);
    if (!targets)
        return;
    struct tlb_request *r = &requests[self];
    *r = (struct tlb_request){ .space = s, .leave = true };
    ask_and_wait(r, targets);
}

void mmu_serve_requests(void)
{
    if (__atomic_load_n(&asked_by[cpu_id()], __ATOMIC_RELAXED))
        shootdown_ipi();
}

void tlb_init(void)
{
    ipi_set_handler(IPI_TLB_SHOOTDOWN, shootdown_ipi);
}
