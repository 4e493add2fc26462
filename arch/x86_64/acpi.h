/*
 * What the kernel reads from ACPI: the MADT ("APIC"), the firmware's list
 * of processors and interrupt controllers.  arch/x86_64/smp.c starts the
 * processors; the IOAPICs and interrupt overrides are recorded for the day
 * the IOAPIC replaces the 8259 PIC (docs/boot.md says why not yet).
 */
#ifndef ARCH_X86_64_ACPI_H
#define ARCH_X86_64_ACPI_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Processors recorded: every enabled one the MADT lists, up to this many
 * (the kernel starts CPU_MAX of them at most; the rest are counted).  64
 * covers the largest machine QEMU's pc model boots without x2APIC IDs.
 */
#define ACPI_CPUS_MAX       64
#define ACPI_IOAPICS_MAX    4       /* a PC has one; big servers a few */
#define ACPI_OVERRIDES_MAX  16      /* at most one per ISA line */

struct acpi_ioapic {
    uint32_t id;
    uint64_t address;           /* physical, of its registers */
    uint32_t gsi_base;          /* the first global system interrupt it serves */
};

/* An ISA line that is not wired to the GSI of its own number (QEMU: IRQ 0 is GSI 2). */
struct acpi_override {
    uint8_t irq;                /* the ISA line */
    uint32_t gsi;
    uint16_t flags;             /* polarity and trigger mode (MPS INTI flags) */
};

struct acpi_madt {
    uint64_t lapic_address;     /* physical, of every CPU's local APIC registers */
    bool has_8259;              /* PCAT_COMPAT: dual 8259 PICs are present too */
    uint32_t apic_ids[ACPI_CPUS_MAX];   /* enabled processors, in the MADT's order */
    unsigned cpu_count;         /* entries in apic_ids */
    unsigned cpus_dropped;      /* enabled processors past ACPI_CPUS_MAX or with an ID above 255 */
    struct acpi_ioapic ioapics[ACPI_IOAPICS_MAX];
    unsigned ioapic_count;
    struct acpi_override overrides[ACPI_OVERRIDES_MAX];
    unsigned override_count;
    const char *rsdp_source;    /* "multiboot2" or "BIOS scan": where the RSDP was found */
};

/*
 * Find the RSDP (the boot loader's copy, else a scan of the BIOS areas),
 * then the MADT through the XSDT or RSDT, checking every checksum, and
 * fill in *m.  False, with a boot message, if there is no valid MADT.
 * Needs the kernel mapping area (kernel/kvmap.c): call after memory_init.
 */
bool acpi_read_madt(struct acpi_madt *m);

#endif
