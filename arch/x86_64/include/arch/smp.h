/*
 * Several CPUs.  CPU 0 boots the kernel; smp_init starts the others (the
 * application processors, APs) that the firmware lists, sets each up as
 * CPU 0 is set up, and parks it: asleep with interrupts on, running no
 * thread, until the scheduler hands it an idle entry.  CPUs reach each
 * other with inter-processor interrupts (IPIs), by CPU number.  The 8259
 * PIC's interrupts (the PIT tick, the serial line) reach CPU 0 only.
 * The hardware side and its reasons: docs/boot.md, "Several CPUs".
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <arch/percpu.h>        /* CPU_MAX, cpu_id() */
#include <stdbool.h>
#include <stdint.h>

/*
 * The IPI vectors, by what they ask of the CPU they reach.  The kernel
 * sets each one's handler (ipi_set_handler); one without a handler does
 * nothing but wake the CPU.  Their priority class (0xf, the top) puts them
 * ahead of every device interrupt (arch/x86_64/idt.h).
 */
#define IPI_RESCHEDULE      0xf0        /* pick another thread: one became runnable here */
#define IPI_TLB_SHOOTDOWN   0xf1        /* drop TLB entries another CPU unmapped */
#define IPI_CALL_FUNCTION   0xf2        /* run a function another CPU asked for */
#define IPI_STOP            0xf3        /* stop for good; handled from the start (smp_init) */
#define IPI_TEST            0xf4        /* the in-kernel tests' own (tests/kernel/test_smp.c) */
#define IPI_FIRST           IPI_RESCHEDULE
#define IPI_COUNT           5

/*
 * Find the CPUs (ACPI's MADT), enable CPU 0's local APIC, and start the
 * others, at most max_cpus CPUs in all (CPU 0 included; the boot option
 * cpus=N), and never more than CPU_MAX.  Returns once each AP is parked or
 * has been given up on, and prints "smp: N CPUs online: ...".  Call after
 * time_init (the start-up delays are timed by the TSC clock), with
 * interrupts off.
 */
void smp_init(unsigned max_cpus);

/* CPUs online: 1 until smp_init, then CPU 0 and every AP that came up. */
unsigned smp_cpu_count(void);

/* Whether CPU cpu is up: set up and parked (or running what the kernel gave it). */
bool smp_online(unsigned cpu);

/* The APIC ID the firmware's MADT gives for CPU cpu (which must be online). */
uint32_t smp_apic_id(unsigned cpu);

/* The APIC ID of the CPU this runs on, read from its local APIC now. */
uint32_t cpu_apic_id(void);

/*
 * The handler of IPI vector (IPI_FIRST .. IPI_FIRST + IPI_COUNT - 1), or
 * NULL for none.  It runs on the CPU the IPI reached, in interrupt context
 * with interrupts off, after the APIC has been told the interrupt is over.
 */
typedef void (*ipi_handler_t)(void);
void ipi_set_handler(unsigned vector, ipi_handler_t handler);

/* Send IPI vector to online CPU cpu (itself included). */
void ipi_send(unsigned cpu, unsigned vector);

/* Send IPI vector to every online CPU but this one. */
void ipi_send_others(unsigned vector);

/* IPIs of every kind CPU cpu sent and took since boot or the last reset (for `stat`). */
struct ipi_counts {
    uint64_t sent;
    uint64_t received;
};
void ipi_get_counts(unsigned cpu, struct ipi_counts *out);
void ipi_reset_counts(void);

/*
 * What parked AP cpu runs: it takes entry (once) the next time it wakes,
 * and calls it with interrupts off; if entry returns, the AP parks again.
 * The call wakes it.  The scheduler's per-CPU idle loop goes here; the
 * scheduler marks the CPU online for itself (cpu_mark_online): a parked
 * AP runs no thread, and thread_current() is NULL there.
 */
void smp_set_idle_entry(unsigned cpu, void (*entry)(void));

/*
 * Stop every other CPU for good, even one spinning with interrupts off
 * (an NMI each), and wait a little for them to halt: a panic report is
 * then the only thing that runs.  Called once, by panic_begin.
 */
void smp_stop_others(void);

#endif
