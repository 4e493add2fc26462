/*
 * The local APIC, in xAPIC mode (Intel SDM vol. 3A, the APIC chapter): 4 KiB of
 * registers at one physical address (0xfee00000 on a PC), where each CPU
 * reaches its own APIC.  They are mapped once, uncached, in the kernel
 * mapping area, which every CPU shares.
 *
 * xAPIC rather than x2APIC (the same registers as MSRs): QEMU 7.2's TCG
 * offers no x2APIC (the boot line shows x2apic=no under -cpu max), and
 * every CPU with x2APIC runs xAPIC mode too.  IPIs therefore carry 8-bit
 * destinations: the MADT's CPUs with larger IDs are not started.
 *
 * The 8259 PIC still delivers the PIT and the serial line to CPU 0, through
 * that CPU's LINT0 pin in ExtINT mode, as the BIOS set it up ("virtual wire"
 * mode, MP spec 3.6.2.2).  So LINT0 and LINT1 are left as they are: the
 * BIOS's on CPU 0, masked (their reset state) on the others.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/percpu.h>
#include <arch/timer.h>
#include <arch/trap.h>
#include <kernel/kvmap.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include "idt.h"
#include "lapic.h"
#include "smp.h"
#include "x86.h"

/* Register offsets (SDM vol. 3A, "Local APIC Register Address Map"). */
#define LAPIC_ID            0x020
#define LAPIC_TPR           0x080       /* task priority: 0 accepts every vector */
#define LAPIC_EOI           0x0b0
#define LAPIC_SVR           0x0f0       /* spurious vector, and the software enable */
#define LAPIC_ESR           0x280       /* error status */
#define LAPIC_ICR_LOW       0x300       /* interrupt command: writing it sends */
#define LAPIC_ICR_HIGH      0x310       /* ... its destination */
#define LAPIC_LVT_TIMER     0x320
#define LAPIC_LVT_ERROR     0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE  0x3e0

#define MSR_APIC_BASE       0x1b
#define APIC_BASE_ENABLE    (1ull << 11)        /* the global enable */
#define APIC_BASE_ADDRESS   0xfffff000ull

#define SVR_ENABLE          (1u << 8)
#define ID_SHIFT            24                  /* the xAPIC ID is the top byte */
#define LVT_MASKED          (1u << 16)
#define LVT_TIMER_PERIODIC  (1u << 17)

#define ICR_FIXED           (0u << 8)           /* delivery modes */
#define ICR_NMI             (4u << 8)
#define ICR_INIT            (5u << 8)
#define ICR_STARTUP         (6u << 8)
#define ICR_PENDING         (1u << 12)          /* delivery status: not yet accepted */
#define ICR_ASSERT          (1u << 14)
#define ICR_LEVEL           (1u << 15)          /* trigger mode: INIT is level-triggered */
#define ICR_DEST_SHIFT      24                  /* in ICR_HIGH */

#define TIMER_DIVIDE_BY_16  0x3                 /* the divide register's code for 16 */
#define TIMER_COUNT_MAX     UINT32_MAX
/* The calibration window: 10 ms, as the TSC's own (arch/x86_64/pit.c). */
#define CALIBRATION_NS      (NSEC_PER_SEC / 100)

static volatile uint32_t *regs;         /* set once by lapic_init, then read only */
static uint64_t timer_hz;               /* the timer's count rate, after the divider */
static timer_tick_fn local_tick[CPU_MAX];       /* each CPU's own timer callback */

static uint32_t lapic_read(unsigned reg)
{
    return regs[reg / sizeof *regs];
}

static void lapic_write(unsigned reg, uint32_t v)
{
    regs[reg / sizeof *regs] = v;
}

void delay_ns(uint64_t ns)
{
    uint64_t start = clock_monotonic_ns();
    while (clock_monotonic_ns() - start < ns)
        cpu_relax();
}

bool lapic_ready(void)
{
    return regs != NULL;
}

uint32_t lapic_id(void)
{
    return lapic_read(LAPIC_ID) >> ID_SHIFT;
}

void lapic_cpu_init(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_LVT_ERROR, VECTOR_LAPIC_ERROR);
    lapic_write(LAPIC_ESR, 0);                  /* clear errors from before (SDM: write, then read) */
    lapic_write(LAPIC_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
    lapic_write(LAPIC_EOI, 0);                  /* drop anything left in service */
}

/*
 * Count the timer down from its maximum, masked, over CALIBRATION_NS of
 * the TSC clock.  Every CPU's APIC runs from the same bus clock, so the
 * boot CPU's rate serves them all.
 */
static void calibrate_timer(void)
{
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_LAPIC_TIMER);
    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    uint64_t start = clock_monotonic_ns();
    lapic_write(LAPIC_TIMER_INITIAL, TIMER_COUNT_MAX);
    delay_ns(CALIBRATION_NS);
    uint32_t left = lapic_read(LAPIC_TIMER_CURRENT);
    uint64_t elapsed = clock_monotonic_ns() - start;
    lapic_write(LAPIC_TIMER_INITIAL, 0);        /* stopped */
    timer_hz = (uint64_t)(TIMER_COUNT_MAX - left) * NSEC_PER_SEC / elapsed;
}

void lapic_init(uint64_t phys)
{
    if (!phys)
        phys = rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDRESS;
    regs = kvmap_map_phys(phys, PAGE_SIZE, MMU_WRITE | MMU_UNCACHED);
    if (!regs)
        panic("lapic_init: cannot map the local APIC at %#lx", phys);
    lapic_cpu_init();
    calibrate_timer();
    kprintf("lapic: xAPIC at %#lx, CPU 0 is APIC %u, timer %lu.%03lu MHz\n", phys, lapic_id(),
            timer_hz / 1000000, timer_hz / 1000 % 1000);
}

/* Send an interrupt command; interrupts off so no handler's IPI comes between the two writes. */
static void send(uint32_t apic_id, uint32_t command)
{
    KASSERT(regs);
    bool irq = irq_save();
    while (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING)     /* the previous one accepted */
        cpu_relax();
    lapic_write(LAPIC_ICR_HIGH, apic_id << ICR_DEST_SHIFT);
    lapic_write(LAPIC_ICR_LOW, command);
    irq_restore(irq);
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    send(apic_id, ICR_FIXED | ICR_ASSERT | vector);
}

void lapic_send_nmi(uint32_t apic_id)
{
    send(apic_id, ICR_NMI | ICR_ASSERT);
}

void lapic_send_init(uint32_t apic_id)
{
    send(apic_id, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
}

void lapic_send_startup(uint32_t apic_id, uint8_t page_number)
{
    send(apic_id, ICR_STARTUP | ICR_ASSERT | page_number);
}

void timer_start_local(unsigned hz, timer_tick_fn tick)
{
    KASSERT(regs && timer_hz && hz > 0 && timer_hz / hz > 0 && timer_hz / hz <= TIMER_COUNT_MAX);
    local_tick[cpu_id()] = tick;
    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | VECTOR_LAPIC_TIMER);
    lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)(timer_hz / hz));
}

void timer_stop_local(void)
{
    lapic_write(LAPIC_TIMER_INITIAL, 0);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_LAPIC_TIMER);
    local_tick[cpu_id()] = NULL;
}

void lapic_interrupt(struct trap_frame *tf)
{
    if (tf->vector == VECTOR_SPURIOUS)
        return;                                 /* it was never in service: no EOI (SDM, "Spurious Interrupt") */
    lapic_write(LAPIC_EOI, 0);
    if (tf->vector == VECTOR_LAPIC_TIMER) {
        timer_tick_fn tick = local_tick[cpu_id()];
        if (tick)
            tick(trap_from_user(tf));
    } else if (tf->vector == VECTOR_LAPIC_ERROR) {
        lapic_write(LAPIC_ESR, 0);
        kprintf("lapic: CPU %u: APIC error %#x\n", cpu_id(), lapic_read(LAPIC_ESR));
    } else {
        smp_ipi_interrupt((unsigned)tf->vector);
    }
}
