/*
 * Several CPUs: from the firmware's list to parked application processors
 * (docs/boot.md, "Several CPUs").  smp_init, on CPU 0:
 *
 *   1. reads the MADT (acpi.c): the local APIC's address and each enabled
 *      CPU's APIC ID; CPU 0 is the one running, the others are numbered 1,
 *      2, ... in the MADT's order;
 *   2. enables CPU 0's local APIC and measures its timer (lapic.c);
 *   3. copies the trampoline (ap_trampoline.S) to TRAMPOLINE_PHYS and, one
 *      AP at a time, fills in its parameters and sends INIT, SIPI, SIPI
 *      with the SDM's delays, then waits for the AP to say it is online.
 *
 * Each AP runs ap_main: per-CPU area, GDT and TSS, IDT, the kernel's page
 * tables and CR4 features, FPU, SYSCALL, its local APIC; then it marks
 * itself online and parks.  One start at a time: the parameter block is
 * shared, and an AP that never answers stops the starting of the rest.
 */
#include <arch/context.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <arch/trap.h>
#include <kernel/boot.h>
#include <kernel/kvmap.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/trace.h>
#include <lib/string.h>
#include "acpi.h"
#include "gdt.h"
#include "idt.h"
#include "lapic.h"
#include "percpu.h"
#include "smp.h"
#include "x86.h"

/* The SDM's start-up waits (vol. 3A, "Typical BSP Initialization Sequence"): 10 ms after INIT, 200 us after each SIPI. */
#define INIT_DELAY_NS       (10 * NSEC_PER_SEC / 1000)
#define SIPI_DELAY_NS       (200 * NSEC_PER_USEC)
#define SIPI_COUNT          2
/*
 * How long an AP may take from the SIPI to online.  Natively it is tens of
 * microseconds; under TCG with more vCPUs than host cores a vCPU thread
 * may wait for a core for several time slices.  5 s is slack for both.
 */
#define AP_START_TIMEOUT_NS (5 * NSEC_PER_SEC)
/* How long a panic waits for the other CPUs to halt: NMIs arrive in microseconds. */
#define STOP_TIMEOUT_NS     (NSEC_PER_SEC / 10)
/* An AP's boot stack, which becomes its idle stack: the size of any kernel thread's. */
#define AP_STACK_PAGES      KSTACK_PAGES

_Static_assert(IPI_FIRST > VECTOR_LAPIC_TIMER && IPI_FIRST + IPI_COUNT <= VECTOR_LAPIC_ERROR,
               "the IPI vectors lie between the APIC timer's and the APIC error vector");

/* The trampoline's parameters: what smp.c fills in before each SIPI (offsets in smp.h). */
struct trampoline_params {
    uint32_t cr3;
    uint32_t cr0;
    uint32_t efer;
    uint32_t reserved;
    uint64_t stack;
    uint64_t entry;
    uint64_t cpu;
};
_Static_assert(__builtin_offsetof(struct trampoline_params, cr3) == TRAMPOLINE_CR3, "trampoline");
_Static_assert(__builtin_offsetof(struct trampoline_params, cr0) == TRAMPOLINE_CR0, "trampoline");
_Static_assert(__builtin_offsetof(struct trampoline_params, efer) == TRAMPOLINE_EFER, "trampoline");
_Static_assert(__builtin_offsetof(struct trampoline_params, stack) == TRAMPOLINE_STACK, "trampoline");
_Static_assert(__builtin_offsetof(struct trampoline_params, entry) == TRAMPOLINE_ENTRY, "trampoline");
_Static_assert(__builtin_offsetof(struct trampoline_params, cpu) == TRAMPOLINE_CPU, "trampoline");
_Static_assert(sizeof(struct trampoline_params) == TRAMPOLINE_PARAMS_SIZE, "trampoline");

extern const char ap_trampoline_start[], ap_trampoline_params[], ap_trampoline_end[];

/*
 * Written by CPU 0 in smp_init only, before the APs it describes come
 * online (their online flag publishes them): read-only afterwards.
 */
static struct acpi_madt madt;
static unsigned cpu_count = 1;          /* CPUs online; CPU 0 is from the start */
static uint32_t apic_ids[CPU_MAX];      /* each CPU's APIC ID, from the MADT */

/* Atomics: each written by one CPU, read by others. */
static bool online[CPU_MAX] = { true }; /* [atomic] set by the CPU itself, once it is set up */
static void (*idle_entry[CPU_MAX])(void);       /* [atomic] set by the kernel, taken by the AP */
static ipi_handler_t ipi_handlers[IPI_COUNT];   /* [atomic] */
static bool stopping;                   /* [atomic] a panic is stopping every other CPU */
static struct ipi_counts ipi_counts[CPU_MAX];   /* [atomic] each slot counted by its own CPU */
static unsigned stopped_cpus;           /* [atomic] CPUs that have halted for it */

unsigned smp_cpu_count(void)
{
    return cpu_count;
}

bool smp_online(unsigned cpu)
{
    return cpu < CPU_MAX && __atomic_load_n(&online[cpu], __ATOMIC_ACQUIRE);
}

uint32_t smp_apic_id(unsigned cpu)
{
    KASSERT(smp_online(cpu));
    return apic_ids[cpu];
}

uint32_t cpu_apic_id(void)
{
    return lapic_id();
}

void ipi_set_handler(unsigned vector, ipi_handler_t handler)
{
    KASSERT(vector >= IPI_FIRST && vector < IPI_FIRST + IPI_COUNT);
    __atomic_store_n(&ipi_handlers[vector - IPI_FIRST], handler, __ATOMIC_RELEASE);
}

void smp_ipi_interrupt(unsigned vector)
{
    if (vector < IPI_FIRST || vector >= IPI_FIRST + IPI_COUNT) {
        kprintf("smp: CPU %u: unexpected vector %u\n", cpu_id(), vector);
        return;
    }
    __atomic_fetch_add(&ipi_counts[cpu_id()].received, 1, __ATOMIC_RELAXED);
    trace_event(OS_TRACE_IPI_RECV, 0, -1, (int32_t)vector, 0, 0);   /* the sender is not known here */
    ipi_handler_t handler = __atomic_load_n(&ipi_handlers[vector - IPI_FIRST], __ATOMIC_ACQUIRE);
    if (handler)
        handler();
}

void ipi_send(unsigned cpu, unsigned vector)
{
    KASSERT(smp_online(cpu) && vector >= IPI_FIRST && vector < IPI_FIRST + IPI_COUNT);
    /* cpu_id() may be stale if this thread moves: the count is atomic, so a slot is never torn. */
    __atomic_fetch_add(&ipi_counts[cpu_id()].sent, 1, __ATOMIC_RELAXED);
    lapic_send_ipi(apic_ids[cpu], (uint8_t)vector);
}

void ipi_get_counts(unsigned cpu, struct ipi_counts *out)
{
    KASSERT(cpu < CPU_MAX);
    out->sent = __atomic_load_n(&ipi_counts[cpu].sent, __ATOMIC_RELAXED);
    out->received = __atomic_load_n(&ipi_counts[cpu].received, __ATOMIC_RELAXED);
}

void ipi_reset_counts(void)
{
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++) {
        __atomic_store_n(&ipi_counts[cpu].sent, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&ipi_counts[cpu].received, 0, __ATOMIC_RELAXED);
    }
}

/*
 * One IPI per online CPU, not the APIC's "all but self" shorthand: that
 * would also reach the CPUs left waiting for a SIPI (past cpus=N or
 * CPU_MAX), whose disabled APICs refuse fixed interrupts.
 */
void ipi_send_others(unsigned vector)
{
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++)
        if (cpu != cpu_id() && smp_online(cpu))
            ipi_send(cpu, vector);
}

void smp_set_idle_entry(unsigned cpu, void (*entry)(void))
{
    KASSERT(cpu != 0 && smp_online(cpu));
    __atomic_store_n(&idle_entry[cpu], entry, __ATOMIC_RELEASE);
    ipi_send(cpu, IPI_RESCHEDULE);      /* a wake-up, whatever its handler does */
}

static __attribute__((noreturn)) void stop_this_cpu(void)
{
    __atomic_fetch_add(&stopped_cpus, 1, __ATOMIC_RELEASE);
    cpu_halt_forever();
}

static void ipi_stop(void)
{
    stop_this_cpu();
}

void smp_nmi_check_stop(const struct trap_frame *tf)
{
    if (!__atomic_load_n(&stopping, __ATOMIC_ACQUIRE))
        return;
    /* Printed before this CPU counts as halted: the panic's report comes after, alone. */
    kprintf("smp: CPU %u stopped at %#lx (%s mode)\n", cpu_id(), tf->rip,
            trap_from_user(tf) ? "user" : "kernel");
    if (!trap_from_user(tf))
        backtrace_print(tf->rip, tf->rbp);
    stop_this_cpu();                    /* NMIs stay blocked: no IRET ever comes */
}

void smp_stop_others(void)
{
    unsigned others = 0;
    __atomic_store_n(&stopping, true, __ATOMIC_RELEASE);
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++) {
        if (cpu != cpu_id() && smp_online(cpu)) {
            lapic_send_nmi(apic_ids[cpu]);
            others++;
        }
    }
    uint64_t start = clock_monotonic_ns();
    while (__atomic_load_n(&stopped_cpus, __ATOMIC_ACQUIRE) < others &&
           clock_monotonic_ns() - start < STOP_TIMEOUT_NS)
        cpu_relax();
    if (others)
        kprintf("\nsmp: CPU %u stops the others: %u of %u halted\n", cpu_id(),
                __atomic_load_n(&stopped_cpus, __ATOMIC_ACQUIRE), others);
}

/*
 * A parked AP: asleep until an interrupt wakes it (IPIs only: the PIC's
 * lines go to CPU 0), running its idle entry once one is set.  The check
 * is made with interrupts off, and STI's one-instruction shadow keeps them
 * off until HLT: an IPI that comes after the check still ends the HLT.
 */
static __attribute__((noreturn)) void park(unsigned cpu)
{
    for (;;) {
        irq_disable();
        void (*entry)(void) = __atomic_exchange_n(&idle_entry[cpu], NULL, __ATOMIC_ACQ_REL);
        if (entry)
            entry();
        else
            cpu_idle();
    }
}

/*
 * An AP's first C code, called by the trampoline on its boot stack with
 * the start-up page tables and interrupts off.  The per-CPU area comes
 * first (cpu_id() and everything that uses it read it), the IDT before
 * anything can fault.
 */
static __attribute__((noreturn)) void ap_main(unsigned cpu)
{
    percpu_install(cpu);
    gdt_init(cpu);
    idt_load();
    mmu_cpu_init();
    cpu_enable_protections();
    fpu_cpu_init();
    syscall_init();
    lapic_cpu_init();
    __atomic_store_n(&online[cpu], true, __ATOMIC_RELEASE);
    park(cpu);
}

/*
 * Copy the trampoline to its page, after checking that the boot loader left
 * nothing there; NULL (no other CPU started) if the firmware's memory map
 * does not call the page free RAM: a UEFI PC's runtime firmware may live
 * below 1 MiB, and writing over it would break the machine later, not here.
 */
static struct trampoline_params *install_trampoline(void)
{
    size_t size = (size_t)(ap_trampoline_end - ap_trampoline_start);
    KASSERT(size <= PAGE_SIZE);
    uint64_t end = TRAMPOLINE_PHYS + PAGE_SIZE;
    if (!boot_range_is_ram(TRAMPOLINE_PHYS, end)) {
        kprintf("smp: the firmware's memory map does not list %#lx-%#lx as free RAM, where the other "
                "CPUs' start-up code goes: they stay off\n", (uint64_t)TRAMPOLINE_PHYS, end);
        return NULL;
    }
    KASSERT(boot_info.info_end <= TRAMPOLINE_PHYS || boot_info.info_start >= end);
    for (int i = 0; i < boot_info.module_count; i++)
        KASSERT(boot_info.modules[i].end <= TRAMPOLINE_PHYS || boot_info.modules[i].start >= end);
    memcpy(phys_to_virt(TRAMPOLINE_PHYS), ap_trampoline_start, size);
    struct trampoline_params *p = phys_to_virt(TRAMPOLINE_PHYS +
                                               (uint64_t)(ap_trampoline_params - ap_trampoline_start));
    *p = (struct trampoline_params){
        .cr3 = (uint32_t)mmu_ap_boot_root(),
        .cr0 = (uint32_t)read_cr0(),
        .efer = (uint32_t)(rdmsr(MSR_EFER) & EFER_NXE),
        .entry = (uint64_t)ap_main,
    };
    return p;
}

/* Wait until CPU cpu is online or timeout_ns have passed; whether it is. */
static bool wait_online(unsigned cpu, uint64_t timeout_ns)
{
    uint64_t start = clock_monotonic_ns();
    while (!smp_online(cpu)) {
        if (clock_monotonic_ns() - start >= timeout_ns)
            return false;
        cpu_relax();
    }
    return true;
}

/* INIT, SIPI, SIPI (the SDM's sequence), then wait for AP cpu to come online. */
static bool start_ap(struct trampoline_params *p, unsigned cpu)
{
    void *stack = kvmap_alloc(AP_STACK_PAGES);
    if (!stack) {
        kprintf("smp: no memory for CPU %u's stack\n", cpu);
        return false;
    }
    p->stack = (uint64_t)stack + AP_STACK_PAGES * PAGE_SIZE;
    p->cpu = cpu;
    lapic_send_init(apic_ids[cpu]);
    delay_ns(INIT_DELAY_NS);
    for (int i = 0; i < SIPI_COUNT; i++) {      /* a second SIPI is ignored by a started CPU */
        lapic_send_startup(apic_ids[cpu], TRAMPOLINE_PHYS >> PAGE_SHIFT);
        delay_ns(SIPI_DELAY_NS);
    }
    if (wait_online(cpu, AP_START_TIMEOUT_NS))
        return true;
    kprintf("smp: CPU %u (APIC %u) did not come online; no further CPU is started\n",
            cpu, apic_ids[cpu]);
    return false;               /* its stack stays: the AP may still be running on it */
}

/* Number the MADT's CPUs: CPU 0 the one running, then the others in order, at most max. */
static unsigned number_cpus(unsigned max)
{
    uint32_t self = lapic_id();
    unsigned n = 1;
    bool self_listed = false;
    apic_ids[0] = self;
    for (unsigned i = 0; i < madt.cpu_count; i++) {
        if (madt.apic_ids[i] == self)
            self_listed = true;
        else if (n < max)
            apic_ids[n++] = madt.apic_ids[i];
    }
    if (!self_listed) {
        kprintf("smp: the MADT does not list this CPU (APIC %u); no other CPU is started\n", self);
        return 1;
    }
    return n;
}

static void print_madt(void)
{
    kprintf("acpi: MADT (RSDP from %s): %u CPUs", madt.rsdp_source, madt.cpu_count + madt.cpus_dropped);
    if (madt.cpus_dropped)
        kprintf(" (%u not usable)", madt.cpus_dropped);
    kprintf(", local APIC at %#lx%s", madt.lapic_address, madt.has_8259 ? ", 8259 PICs" : "");
    for (unsigned i = 0; i < madt.ioapic_count; i++)
        kprintf(", IOAPIC %u at %#lx (GSI %u up)", madt.ioapics[i].id, madt.ioapics[i].address,
                madt.ioapics[i].gsi_base);
    for (unsigned i = 0; i < madt.override_count; i++)
        kprintf(", IRQ %u->GSI %u", madt.overrides[i].irq, madt.overrides[i].gsi);
    kprintf("\n");
}

static void print_online(void)
{
    kprintf("smp: %u CPU%s online:", cpu_count, cpu_count == 1 ? "" : "s");
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++)
        if (smp_online(cpu))
            kprintf(" %u (APIC %u)", cpu, apic_ids[cpu]);
    kprintf("\n");
}

void smp_init(unsigned max_cpus)
{
    KASSERT(max_cpus >= 1 && cpu_id() == 0);
    ipi_set_handler(IPI_STOP, ipi_stop);
    bool have_madt = acpi_read_madt(&madt);
    lapic_init(have_madt ? madt.lapic_address : 0);
    apic_ids[0] = lapic_id();
    if (have_madt) {
        print_madt();
        unsigned wanted = number_cpus(max_cpus < CPU_MAX ? max_cpus : CPU_MAX);
        struct trampoline_params *p = wanted > 1 ? install_trampoline() : NULL;
        for (unsigned cpu = 1; p && cpu < wanted && start_ap(p, cpu); cpu++)
            cpu_count++;
    }
    print_online();
}
