/*
 * ACPI tables, read once at boot for the MADT (ACPI 6.5, chapter 5.2).
 *
 *   RSDP  "RSD PTR ": the root pointer.  GRUB hands over a copy of it
 *         (multiboot2 tags 14 and 15); without one we search where the
 *         spec says firmware leaves it (5.2.5.1).  It holds the physical
 *         address of the RSDT (32-bit entries) and, from revision 2 on, of
 *         the XSDT (64-bit entries), which wins when present.
 *   RSDT/XSDT: the list of every other table's physical address.
 *   MADT  "APIC": the local APIC's address, then variable-length entries:
 *         processors, IOAPICs, interrupt source overrides, ...
 *
 * Every table's bytes sum to 0 (mod 256): a table that does not is
 * ignored.  Tables are mapped through the kernel mapping area for as long
 * as they are read, since firmware may put them above the RAM the direct
 * map covers; a header is mapped first, to learn the table's length.
 */
#include <kernel/boot.h>
#include <kernel/kvmap.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <lib/string.h>
#include "acpi.h"

#define RSDP_SIGNATURE      "RSD PTR "
#define RSDP_V1_LENGTH      20          /* the ACPI 1.0 part, which the first checksum covers */
#define RSDP_REVISION_XSDT  2           /* from this revision on the RSDP has length and XSDT */
#define RSDP_ALIGN          16          /* the scan looks at 16-byte boundaries */
#define BDA_EBDA_SEGMENT    0x40e       /* BIOS data area: the EBDA's real-mode segment */
#define EBDA_SCAN_BYTES     1024        /* the EBDA's first KiB is searched */
#define BIOS_ROM_START      0xe0000     /* then the BIOS read-only area, to 1 MiB */
#define BIOS_ROM_END        0x100000
#define LOW_MEMORY_END      0xa0000     /* an EBDA segment pointing past this is bogus */

#define SIG_RSDT            "RSDT"
#define SIG_XSDT            "XSDT"
#define SIG_MADT            "APIC"
#define SIGNATURE_LENGTH    4
/* No table we read is near this long (a MADT for 64 CPUs is 600 bytes); a longer one is refused. */
#define TABLE_MAX           (64 * 1024)

#define MADT_PCAT_COMPAT    (1u << 0)   /* MADT flags: 8259 PICs present */
#define MADT_LAPIC          0           /* entry types (5.2.12) */
#define MADT_IOAPIC         1
#define MADT_OVERRIDE       2
#define MADT_LAPIC_ADDRESS  5
#define MADT_X2APIC         9
#define MADT_CPU_ENABLED    (1u << 0)   /* processor flags: usable now (not just online-capable) */
#define OVERRIDE_BUS_ISA    0
#define XAPIC_ID_MAX        255         /* xAPIC IPIs carry an 8-bit destination */

struct __attribute__((packed)) rsdp {
    char signature[8];
    uint8_t checksum;           /* over the first RSDP_V1_LENGTH bytes */
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt_address;
    uint32_t length;            /* revision >= 2: the whole structure */
    uint64_t xsdt_address;
    uint8_t extended_checksum;  /* over length bytes */
    uint8_t reserved[3];
};

struct __attribute__((packed)) table_header {
    char signature[SIGNATURE_LENGTH];
    uint32_t length;            /* of the table, header included */
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
};

struct __attribute__((packed)) madt_header {
    struct table_header h;
    uint32_t lapic_address;
    uint32_t flags;
};

struct __attribute__((packed)) madt_entry { uint8_t type, length; };
struct __attribute__((packed)) madt_lapic { struct madt_entry e; uint8_t uid, apic_id; uint32_t flags; };
struct __attribute__((packed)) madt_ioapic {
    struct madt_entry e; uint8_t id, reserved; uint32_t address, gsi_base;
};
struct __attribute__((packed)) madt_override {
    struct madt_entry e; uint8_t bus, irq; uint32_t gsi; uint16_t flags;
};
struct __attribute__((packed)) madt_lapic_address { struct madt_entry e; uint16_t reserved; uint64_t address; };
struct __attribute__((packed)) madt_x2apic {
    struct madt_entry e; uint16_t reserved; uint32_t x2apic_id, flags, uid;
};

static bool checksum_ok(const void *p, size_t n)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += ((const uint8_t *)p)[i];
    return sum == 0;
}

/* An RSDP with its signature and checksums right, of which size bytes are readable at p. */
static bool rsdp_valid(const struct rsdp *r, size_t size)
{
    if (size < RSDP_V1_LENGTH || memcmp(r->signature, RSDP_SIGNATURE, sizeof r->signature) != 0 ||
        !checksum_ok(r, RSDP_V1_LENGTH))
        return false;
    if (r->revision < RSDP_REVISION_XSDT)
        return true;
    return size >= sizeof *r && r->length >= sizeof *r && r->length <= size &&
           checksum_ok(r, r->length);
}

/* The first valid RSDP on a 16-byte boundary of physical [start, end), or NULL. */
static const struct rsdp *scan_rsdp(uint64_t start, uint64_t end)
{
    /* Below 1 MiB, which the direct map always covers (RAM starts at 0 on a PC). */
    for (uint64_t pa = start; pa + sizeof(struct rsdp) <= end; pa += RSDP_ALIGN) {
        const struct rsdp *r = phys_to_virt(pa);
        if (rsdp_valid(r, end - pa))
            return r;
    }
    return NULL;
}

/* The RSDP: GRUB's copy, else the EBDA's first KiB, else the BIOS area. */
static const struct rsdp *find_rsdp(struct acpi_madt *m)
{
    if (boot_info.acpi_rsdp && rsdp_valid(boot_info.acpi_rsdp, boot_info.acpi_rsdp_size)) {
        m->rsdp_source = "multiboot2";
        return boot_info.acpi_rsdp;
    }
    m->rsdp_source = "BIOS scan";
    uint64_t ebda = (uint64_t)*(const uint16_t *)phys_to_virt(BDA_EBDA_SEGMENT) << 4;
    const struct rsdp *r = NULL;
    if (ebda && ebda + EBDA_SCAN_BYTES <= LOW_MEMORY_END)
        r = scan_rsdp(ebda, ebda + EBDA_SCAN_BYTES);
    return r ? r : scan_rsdp(BIOS_ROM_START, BIOS_ROM_END);
}

/* Map the table at physical pa whole; NULL if it cannot be, or its length or checksum is wrong. */
static const struct table_header *map_table(uint64_t pa)
{
    const struct table_header *h = kvmap_map_phys(pa, sizeof *h, 0);
    if (!h)
        return NULL;
    uint32_t length = h->length;
    kvmap_unmap_phys((void *)h, sizeof *h);
    if (length < sizeof *h || length > TABLE_MAX)
        return NULL;
    h = kvmap_map_phys(pa, length, 0);
    if (h && !checksum_ok(h, length)) {
        kprintf("acpi: the table at %#lx has a bad checksum; ignored\n", pa);
        kvmap_unmap_phys((void *)h, length);
        return NULL;
    }
    return h;
}

static void unmap_table(const struct table_header *h)
{
    kvmap_unmap_phys((void *)h, h->length);
}

/* The physical address of the table signature lists in the RSDT or XSDT root; 0 if none. */
static uint64_t find_in_root(const struct table_header *root, size_t entry_size, const char *signature)
{
    size_t count = (root->length - sizeof *root) / entry_size;
    const uint8_t *entries = (const uint8_t *)(root + 1);
    for (size_t i = 0; i < count; i++) {
        uint64_t pa = 0;
        memcpy(&pa, entries + i * entry_size, entry_size);     /* XSDT entries are unaligned */
        const struct table_header *h = map_table(pa);
        if (!h)
            continue;
        bool match = memcmp(h->signature, signature, SIGNATURE_LENGTH) == 0;
        unmap_table(h);
        if (match)
            return pa;
    }
    return 0;
}

/* The MADT through the XSDT if the RSDP has one, else the RSDT; 0 if either is missing. */
static uint64_t find_madt(const struct rsdp *r)
{
    bool x = r->revision >= RSDP_REVISION_XSDT && r->xsdt_address;
    const struct table_header *root = map_table(x ? r->xsdt_address : r->rsdt_address);
    if (!root)
        return 0;
    uint64_t madt = 0;
    if (memcmp(root->signature, x ? SIG_XSDT : SIG_RSDT, SIGNATURE_LENGTH) == 0)
        madt = find_in_root(root, x ? sizeof(uint64_t) : sizeof(uint32_t), SIG_MADT);
    unmap_table(root);
    return madt;
}

/* Record an enabled processor with APIC ID id. */
static void add_cpu(struct acpi_madt *m, uint32_t flags, uint32_t id)
{
    if (!(flags & MADT_CPU_ENABLED))
        return;
    if (m->cpu_count == ACPI_CPUS_MAX || id > XAPIC_ID_MAX)
        m->cpus_dropped++;
    else
        m->apic_ids[m->cpu_count++] = id;
}

static void add_ioapic(struct acpi_madt *m, const struct madt_ioapic *e)
{
    if (m->ioapic_count < ACPI_IOAPICS_MAX)
        m->ioapics[m->ioapic_count++] = (struct acpi_ioapic){ e->id, e->address, e->gsi_base };
}

static void add_override(struct acpi_madt *m, const struct madt_override *e)
{
    if (e->bus == OVERRIDE_BUS_ISA && m->override_count < ACPI_OVERRIDES_MAX)
        m->overrides[m->override_count++] = (struct acpi_override){ e->irq, e->gsi, e->flags };
}

/* One MADT entry; those of a type we do not use, or too short for their type, are skipped. */
static void take_entry(struct acpi_madt *m, const struct madt_entry *e)
{
    if (e->type == MADT_LAPIC && e->length >= sizeof(struct madt_lapic)) {
        const struct madt_lapic *l = (const void *)e;
        add_cpu(m, l->flags, l->apic_id);
    } else if (e->type == MADT_X2APIC && e->length >= sizeof(struct madt_x2apic)) {
        const struct madt_x2apic *x = (const void *)e;
        add_cpu(m, x->flags, x->x2apic_id);
    } else if (e->type == MADT_IOAPIC && e->length >= sizeof(struct madt_ioapic)) {
        add_ioapic(m, (const void *)e);
    } else if (e->type == MADT_OVERRIDE && e->length >= sizeof(struct madt_override)) {
        add_override(m, (const void *)e);
    } else if (e->type == MADT_LAPIC_ADDRESS && e->length >= sizeof(struct madt_lapic_address)) {
        m->lapic_address = ((const struct madt_lapic_address *)e)->address;
    }
}

static void parse_madt(const struct madt_header *madt, struct acpi_madt *m)
{
    m->lapic_address = madt->lapic_address;
    m->has_8259 = madt->flags & MADT_PCAT_COMPAT;
    const uint8_t *p = (const uint8_t *)(madt + 1);
    const uint8_t *end = (const uint8_t *)madt + madt->h.length;
    while (p + sizeof(struct madt_entry) <= end) {
        const struct madt_entry *e = (const void *)p;
        if (e->length < sizeof *e || p + e->length > end)
            break;                      /* a broken entry: the rest cannot be trusted */
        take_entry(m, e);
        p += e->length;
    }
}

bool acpi_read_madt(struct acpi_madt *m)
{
    *m = (struct acpi_madt){ 0 };
    const struct rsdp *r = find_rsdp(m);
    if (!r) {
        kprintf("acpi: no RSDP (neither from the boot loader nor in the BIOS areas)\n");
        return false;
    }
    uint64_t pa = find_madt(r);
    const struct table_header *h = pa ? map_table(pa) : NULL;
    if (!h || h->length < sizeof(struct madt_header)) {
        kprintf("acpi: no valid MADT (RSDP from %s)\n", m->rsdp_source);
        if (h)
            unmap_table(h);
        return false;
    }
    parse_madt((const struct madt_header *)h, m);
    unmap_table(h);
    return true;
}
