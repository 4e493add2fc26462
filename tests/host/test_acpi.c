/*
 * The MADT reader (arch/x86_64/acpi.c) on the host, over firmware tables
 * built here in a fake physical memory: the XSDT wins over the RSDT when
 * the RSDP has one (the emulators we boot on only offer ACPI 1.0 RSDPs),
 * enabled processors of both entry types count and others do not, IDs
 * xAPIC cannot reach are dropped, IOAPICs, ISA overrides and the APIC
 * address override are taken, a bad checksum or a broken entry is not
 * trusted, and every table mapped is unmapped.
 */
#include <kernel/boot.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include "../../arch/x86_64/acpi.h"
#include "check.h"

#define FAKE_MEMORY     0x8000          /* bytes of "physical memory" the tables live in */
#define XSDT_AT         0x1000
#define RSDT_AT         0x2000
#define MADT_AT         0x3000
#define OTHER_AT        0x4000          /* a table before the MADT in the root's list */
#define MADT_ONE_CPU_AT 0x5000          /* the MADT the RSDT lists: a different one */
#define HEADER_SIZE     36
#define MADT_FIXED      (HEADER_SIZE + 8)

struct boot_info boot_info;
static uint8_t memory[FAKE_MEMORY];
static int mapped;                      /* kvmap_map_phys calls not yet undone */

void *kvmap_map_phys(uint64_t pa, size_t size, unsigned flags)
{
    (void)flags;
    if (pa + size > FAKE_MEMORY)
        return NULL;
    mapped++;
    return memory + pa;
}

void kvmap_unmap_phys(void *va, size_t size)
{
    (void)va, (void)size;
    mapped--;
}

int kprintf(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    while (n--)
        s += *p++;
    return s;
}

/* A table at pa: header with signature and length, body copied after it, checksum set. */
static void put_table(uint64_t pa, const char *sig, const void *body, uint32_t body_len)
{
    uint8_t *t = memory + pa;
    uint32_t length = HEADER_SIZE + body_len;
    memset(t, 0, HEADER_SIZE);
    memcpy(t, sig, 4);
    memcpy(t + 4, &length, 4);
    memcpy(t + HEADER_SIZE, body, body_len);
    t[9] = (uint8_t)-sum(t, length);
}

static uint8_t rsdp[36];

/* An RSDP of revision rev naming the RSDT (and, from revision 2, the XSDT). */
static void put_rsdp(uint8_t rev)
{
    uint32_t rsdt = RSDT_AT, length = sizeof rsdp;
    uint64_t xsdt = XSDT_AT;
    memset(rsdp, 0, sizeof rsdp);
    memcpy(rsdp, "RSD PTR ", 8);
    rsdp[15] = rev;
    memcpy(rsdp + 16, &rsdt, 4);
    memcpy(rsdp + 20, &length, 4);
    memcpy(rsdp + 24, &xsdt, 8);
    rsdp[8] = (uint8_t)-sum(rsdp, 20);
    rsdp[32] = (uint8_t)-sum(rsdp, sizeof rsdp);
    boot_info.acpi_rsdp = rsdp;
    boot_info.acpi_rsdp_size = rev >= 2 ? sizeof rsdp : 20;
}

static uint8_t madt[512];
static uint32_t madt_len;

static void madt_begin(uint32_t lapic_address, uint32_t flags)
{
    memcpy(madt, &lapic_address, 4);
    memcpy(madt + 4, &flags, 4);
    madt_len = 8;
}

static void madt_add(const void *entry, uint8_t len)
{
    memcpy(madt + madt_len, entry, len);
    madt_len += len;
}

static void add_lapic(uint8_t id, uint32_t flags)
{
    uint8_t e[8] = { 0, 8, id, id };
    memcpy(e + 4, &flags, 4);
    madt_add(e, sizeof e);
}

static void add_x2apic(uint32_t id, uint32_t flags)
{
    uint8_t e[16] = { 9, 16 };
    memcpy(e + 4, &id, 4);
    memcpy(e + 8, &flags, 4);
    madt_add(e, sizeof e);
}

/* The usual machine: the XSDT and RSDT each list another table, then their own MADT. */
static void build_tables(void)
{
    memset(memory, 0, sizeof memory);
    put_table(OTHER_AT, "FACP", "x", 1);
    uint64_t xsdt[2] = { OTHER_AT, MADT_AT };
    put_table(XSDT_AT, "XSDT", xsdt, sizeof xsdt);
    uint32_t rsdt[2] = { OTHER_AT, MADT_ONE_CPU_AT };
    put_table(RSDT_AT, "RSDT", rsdt, sizeof rsdt);

    madt_begin(0xfee00000, 1);
    add_lapic(0, 1);                    /* enabled */
    add_lapic(1, 0);                    /* disabled */
    add_lapic(2, 2);                    /* online capable only: hot-plug */
    add_x2apic(3, 1);                   /* enabled, in an x2APIC entry */
    add_x2apic(300, 1);                 /* enabled, but xAPIC IPIs cannot reach it */
    uint8_t ioapic[12] = { 1, 12, 7, 0 };
    uint32_t ioapic_address = 0xfec00000, gsi_base = 0;
    memcpy(ioapic + 4, &ioapic_address, 4);
    memcpy(ioapic + 8, &gsi_base, 4);
    madt_add(ioapic, sizeof ioapic);
    uint8_t override[10] = { 2, 10, 0, 0, 2, 0, 0, 0, 5, 0 };    /* ISA IRQ 0 -> GSI 2, flags 5 */
    madt_add(override, sizeof override);
    uint8_t lapic_address[12] = { 5, 12 };
    uint64_t moved = 0xfee10000;
    memcpy(lapic_address + 4, &moved, 8);
    madt_add(lapic_address, sizeof lapic_address);
    put_table(MADT_AT, "APIC", madt, madt_len);

    madt_begin(0xfee00000, 0);
    add_lapic(5, 1);
    put_table(MADT_ONE_CPU_AT, "APIC", madt, madt_len);
}

static int xsdt_wins_and_entries_are_taken(void)
{
    struct acpi_madt m;
    build_tables();
    put_rsdp(2);
    CHECK(acpi_read_madt(&m), "no MADT found");
    CHECK(mapped == 0, "%d mappings left", mapped);
    CHECK(m.cpu_count == 2 && m.apic_ids[0] == 0 && m.apic_ids[1] == 3,
          "%u CPUs (%u, %u), expected APIC IDs 0 and 3", m.cpu_count, m.apic_ids[0], m.apic_ids[1]);
    CHECK(m.cpus_dropped == 1, "%u dropped, expected 1 (x2APIC ID 300)", m.cpus_dropped);
    CHECK(m.lapic_address == 0xfee10000, "APIC at %#lx: the 64-bit override was not taken",
          (unsigned long)m.lapic_address);
    CHECK(m.has_8259, "PCAT_COMPAT not seen");
    CHECK(m.ioapic_count == 1 && m.ioapics[0].id == 7 && m.ioapics[0].address == 0xfec00000,
          "IOAPICs: %u", m.ioapic_count);
    CHECK(m.override_count == 1 && m.overrides[0].irq == 0 && m.overrides[0].gsi == 2 &&
          m.overrides[0].flags == 5, "overrides: %u", m.override_count);
    CHECK(strcmp(m.rsdp_source, "multiboot2") == 0, "RSDP from %s", m.rsdp_source);
    return 1;
}

static int rsdt_for_acpi_1(void)
{
    struct acpi_madt m;
    build_tables();
    put_rsdp(0);
    CHECK(acpi_read_madt(&m), "no MADT found");
    CHECK(mapped == 0, "%d mappings left", mapped);
    CHECK(m.cpu_count == 1 && m.apic_ids[0] == 5, "%u CPUs, the first %u: not the RSDT's MADT",
          m.cpu_count, m.apic_ids[0]);
    CHECK(!m.has_8259 && m.lapic_address == 0xfee00000, "the RSDT's MADT misread");
    return 1;
}

static int bad_checksum_is_refused(void)
{
    struct acpi_madt m;
    build_tables();
    memory[MADT_AT + HEADER_SIZE + 1]++;                /* one byte of the MADT changed */
    put_rsdp(2);
    CHECK(!acpi_read_madt(&m), "a MADT with a bad checksum was used");
    CHECK(mapped == 0, "%d mappings left", mapped);
    return 1;
}

static int broken_entry_ends_the_list(void)
{
    struct acpi_madt m;
    build_tables();
    madt_begin(0xfee00000, 0);
    add_lapic(0, 1);
    uint8_t broken[2] = { 0, 0 };               /* length 0: nothing after it can be found */
    madt_add(broken, sizeof broken);
    add_lapic(1, 1);
    put_table(MADT_AT, "APIC", madt, madt_len);
    put_rsdp(2);
    CHECK(acpi_read_madt(&m), "no MADT found");
    CHECK(m.cpu_count == 1 && m.apic_ids[0] == 0, "%u CPUs taken, expected the one before", m.cpu_count);
    return 1;
}

static int overlong_table_is_refused(void)
{
    struct acpi_madt m;
    build_tables();
    uint32_t huge = 0x7fffffff;
    memcpy(memory + XSDT_AT + 4, &huge, 4);     /* a root that claims 2 GiB */
    put_rsdp(2);
    CHECK(!acpi_read_madt(&m), "a 2 GiB XSDT was read");
    CHECK(mapped == 0, "%d mappings left", mapped);
    return 1;
}

int main(void)
{
    RUN(xsdt_wins_and_entries_are_taken);
    RUN(rsdt_for_acpi_1);
    RUN(bad_checksum_is_refused);
    RUN(broken_entry_ends_the_list);
    RUN(overlong_table_is_refused);
    return failures != 0;
}
