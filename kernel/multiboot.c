/*
 * Multiboot2 boot information: a size header, then 8-byte aligned tags
 * (type, size, payload) ending with a tag of type 0.  We take the tags we
 * use and ignore the rest.
 */
#include <arch/layout.h>
#include <kernel/boot.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <stddef.h>

#define MB2_TAG_END         0
#define MB2_TAG_CMDLINE     1
#define MB2_TAG_LOADER      2
#define MB2_TAG_MODULE      3
#define MB2_TAG_MMAP        6
#define MB2_TAG_FRAMEBUFFER 8
#define MB2_TAG_ACPI_OLD    14          /* a copy of the ACPI 1.0 RSDP */
#define MB2_TAG_ACPI_NEW    15          /* a copy of the ACPI 2.0+ RSDP (with the XSDT) */
#define MB2_TAG_ALIGN       8
#define MB2_MMAP_AVAILABLE  1
#define MB2_FB_INDEXED      0           /* framebuffer types */
#define MB2_FB_RGB          1
#define MB2_FB_EGA_TEXT     2
#define BITS_PER_BYTE       8

struct mb2_info   { uint32_t total_size, reserved; };
struct mb2_tag    { uint32_t type, size; };
struct mb2_string { struct mb2_tag tag; char text[]; };
struct mb2_module { struct mb2_tag tag; uint32_t start, end; char name[]; };
struct mb2_mmap   { struct mb2_tag tag; uint32_t entry_size, entry_version; };
struct mb2_mmap_entry { uint64_t base, length; uint32_t type, reserved; };
struct mb2_framebuffer {
    struct mb2_tag tag;
    uint64_t addr;
    uint32_t pitch, width, height;
    uint8_t bpp, type;
    uint16_t reserved;
    uint8_t red_pos, red_bits, green_pos, green_bits, blue_pos, blue_bits;     /* MB2_FB_RGB */
};

struct boot_info boot_info;

static void take_mmap(const struct mb2_mmap *m)
{
    const uint8_t *p = (const uint8_t *)(m + 1);
    const uint8_t *end = (const uint8_t *)m + m->tag.size;
    for (; p + sizeof(struct mb2_mmap_entry) <= end; p += m->entry_size) {
        const struct mb2_mmap_entry *e = (const void *)p;
        if (boot_info.region_count == BOOT_MAX_REGIONS) {
            kprintf("multiboot: more than %d memory regions; ignoring the rest\n", BOOT_MAX_REGIONS);
            return;
        }
        struct boot_region *r = &boot_info.regions[boot_info.region_count++];
        r->start = e->base;
        r->end = e->base + e->length;
        r->type = e->type == MB2_MMAP_AVAILABLE ? BOOT_REGION_RAM : BOOT_REGION_RESERVED;
    }
}

static void take_module(const struct mb2_module *m)
{
    if (boot_info.module_count == BOOT_MAX_MODULES) {
        kprintf("multiboot: more than %d modules; ignoring the rest\n", BOOT_MAX_MODULES);
        return;
    }
    struct boot_module *mod = &boot_info.modules[boot_info.module_count++];
    mod->start = m->start;
    mod->end = m->end;
    mod->name = m->name;
}

/* The RSDP copy of an ACPI tag; the new one wins over the old whatever their order. */
static void take_rsdp(const struct mb2_tag *tag)
{
    if (boot_info.acpi_rsdp && tag->type == MB2_TAG_ACPI_OLD)
        return;
    boot_info.acpi_rsdp = tag + 1;
    boot_info.acpi_rsdp_size = tag->size - sizeof *tag;
}

static void take_framebuffer(const struct mb2_framebuffer *t)
{
    struct boot_framebuffer *fb = &boot_info.framebuffer;
    *fb = (struct boot_framebuffer){
        .kind = BOOT_SCREEN_OTHER, .phys = t->addr, .pitch = t->pitch,
        .width = t->width, .height = t->height, .bits_per_pixel = t->bpp,
    };
    if (t->type == MB2_FB_EGA_TEXT) {
        fb->kind = BOOT_SCREEN_TEXT;
    } else if (t->type == MB2_FB_RGB && t->tag.size >= offsetof(struct mb2_framebuffer, blue_bits) + 1 &&
                t->bpp % BITS_PER_BYTE == 0) {
        fb->kind = BOOT_SCREEN_RGB;
        fb->format = (struct fb_format){
            .bytes_per_pixel = t->bpp / BITS_PER_BYTE,
            .red_pos = t->red_pos, .red_bits = t->red_bits,
            .green_pos = t->green_pos, .green_bits = t->green_bits,
            .blue_pos = t->blue_pos, .blue_bits = t->blue_bits,
        };
    }
}

void multiboot_parse(uint64_t info_phys)
{
    const struct mb2_info *info = phys_to_virt(info_phys);
    boot_info.info_start = info_phys;
    boot_info.info_end = info_phys + info->total_size;
    boot_info.cmdline = "";
    boot_info.loader = "?";
    const uint8_t *p = (const uint8_t *)(info + 1);
    const uint8_t *end = (const uint8_t *)info + info->total_size;
    while (p + sizeof(struct mb2_tag) <= end) {
        const struct mb2_tag *tag = (const void *)p;
        if (tag->type == MB2_TAG_END || tag->size < sizeof *tag)
            break;
        switch (tag->type) {
        case MB2_TAG_CMDLINE: boot_info.cmdline = ((const struct mb2_string *)tag)->text; break;
        case MB2_TAG_LOADER:  boot_info.loader = ((const struct mb2_string *)tag)->text; break;
        case MB2_TAG_MODULE:  take_module((const void *)tag); break;
        case MB2_TAG_MMAP:    take_mmap((const void *)tag); break;
        case MB2_TAG_FRAMEBUFFER: take_framebuffer((const void *)tag); break;
        case MB2_TAG_ACPI_OLD:
        case MB2_TAG_ACPI_NEW: take_rsdp(tag); break;
        }
        p += (tag->size + MB2_TAG_ALIGN - 1) & ~(uint64_t)(MB2_TAG_ALIGN - 1);
    }
}

bool boot_range_is_ram(uint64_t start, uint64_t end)
{
    while (start < end) {               /* the map's regions may come in any order, and touch */
        uint64_t covered = start;
        for (int i = 0; i < boot_info.region_count; i++) {
            const struct boot_region *r = &boot_info.regions[i];
            if (r->type == BOOT_REGION_RAM && r->start <= start && r->end > start)
                covered = r->end;
        }
        if (covered == start)
            return false;
        start = covered;
    }
    return true;
}

void boot_info_print(void)
{
    kprintf("memory map (from %s):\n", boot_info.loader);
    for (int i = 0; i < boot_info.region_count; i++) {
        const struct boot_region *r = &boot_info.regions[i];
        kprintf("  %016lx-%016lx %s\n", r->start, r->end,
                r->type == BOOT_REGION_RAM ? "ram" : "reserved");
    }
    for (int i = 0; i < boot_info.module_count; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        kprintf("  module %016lx-%016lx %s\n", m->start, m->end, m->name);
    }
}
