/*
 * What the boot loader told us (multiboot2): the command line, the
 * physical memory map, the modules, the firmware's ACPI root pointer and
 * the screen.  Pointers are direct-map addresses into the boot
 * information, which the page allocator keeps reserved.
 */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <lib/fbcon.h>
#include <stdbool.h>
#include <stdint.h>

#define BOOT_MAX_REGIONS 256    /* a BIOS reports a few dozen; a UEFI PC's map can have 100-200 */
#define BOOT_MAX_MODULES 8      /* we load one (the initrd) */

enum boot_region_type {
    BOOT_REGION_RAM = 1,        /* multiboot2's "available" */
    BOOT_REGION_RESERVED,       /* everything else: firmware, ACPI, holes */
};

struct boot_region {
    uint64_t start, end;        /* physical, end exclusive */
    enum boot_region_type type;
};

struct boot_module {
    uint64_t start, end;        /* physical, end exclusive */
    const char *name;           /* GRUB's module2 arguments */
};

/* The screen GRUB left: VGA text (a BIOS), a linear framebuffer (UEFI), or none it told of. */
enum boot_screen {
    BOOT_SCREEN_NONE,           /* no framebuffer tag: a BIOS in text mode that says nothing */
    BOOT_SCREEN_TEXT,           /* multiboot2's EGA text type: the VGA text screen */
    BOOT_SCREEN_RGB,            /* a linear framebuffer of direct-colour pixels */
    BOOT_SCREEN_OTHER,          /* indexed colour, or a layout we do not draw */
};

struct boot_framebuffer {
    enum boot_screen kind;
    uint64_t phys;              /* the first pixel's physical address */
    uint32_t pitch, width, height;      /* bytes a line; pixels (characters for text) */
    uint8_t bits_per_pixel;
    struct fb_format format;    /* BOOT_SCREEN_RGB: where each colour's bits are */
};

struct boot_info {
    uint64_t info_start, info_end;      /* the multiboot2 information itself */
    const char *cmdline;
    const char *loader;
    struct boot_region regions[BOOT_MAX_REGIONS];
    int region_count;
    struct boot_module modules[BOOT_MAX_MODULES];
    int module_count;
    const void *acpi_rsdp;      /* GRUB's copy of the ACPI RSDP, or NULL (then the BIOS areas are searched) */
    uint32_t acpi_rsdp_size;    /* bytes in that copy */
    struct boot_framebuffer framebuffer;
};

extern struct boot_info boot_info;

/* Read the multiboot2 information at physical address info_phys. */
void multiboot_parse(uint64_t info_phys);

/* Whether the memory map lists all of [start, end) as RAM (available to the kernel). */
bool boot_range_is_ram(uint64_t start, uint64_t end);

/* Print the memory map and modules. */
void boot_info_print(void);

#endif
