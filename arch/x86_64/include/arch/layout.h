/*
 * The virtual address space, as the kernel lays it out.
 *
 *   0x0000000000000000 .. 0x00007fffffffffff   user half: private to each process
 *   0xffff800000000000 .. +64 TiB              direct map: all physical memory, phys + DIRECT_MAP_BASE
 *   0xffffc00000000000 .. +512 GiB             kernel mapping area (kernel/kvmap.c): large heap
 *                                               objects and kernel stacks, each with a guard page
 *   0xffffffff80000000 .. (end of image)        kernel image (-mcmodel=kernel), loaded at phys 1 MiB
 *
 * The kernel half (PML4 slots 256..511) is shared by every address space:
 * the kernel allocates all of its PDPTs at boot, so a PML4 copied from the
 * kernel's sees every later kernel mapping too.
 *
 * This header is included from assembly as well as C.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define PAGE_SHIFT        12
#define PAGE_SIZE         (1 << PAGE_SHIFT)
#define LARGE_PAGE_SHIFT  21                      /* 2 MiB pages, used by the direct map */
#define LARGE_PAGE_SIZE   (1 << LARGE_PAGE_SHIFT)

#define KERNEL_VMA        0xffffffff80000000
#define KERNEL_LOAD_PHYS  0x100000                /* 1 MiB: above the BIOS and VGA areas */
#define DIRECT_MAP_BASE   0xffff800000000000
#define KVMAP_BASE        0xffffc00000000000
#define KVMAP_SIZE        0x0000008000000000      /* one PML4 slot: 512 GiB */
#define USER_TOP          0x0000800000000000      /* first non-canonical user address */

/* Physical memory the boot code maps before C runs: identity, direct map and kernel. */
#define BOOT_MAPPED_BYTES 0x100000000             /* 4 GiB, with 2 MiB pages */

#define BOOT_STACK_SIZE   (16 * 1024)

#endif
