/*
 * Boot: from GRUB's 32-bit protected mode to kmain() in 64-bit long mode.
 *
 * GRUB (multiboot2) enters _start with paging off, EAX = the multiboot2 magic
 * and EBX = the physical address of the boot information.  We check both
 * facts we rely on (a multiboot2 loader, a CPU with long mode), build page
 * tables that map the first BOOT_MAPPED_BYTES of physical memory three times
 * (identity, for the instant paging turns on; the direct map; the kernel
 * image at KERNEL_VMA), enter long mode and jump to the higher half.
 * kernel/vm.c replaces these tables with properly protected ones.
 */
#include <arch/layout.h>

#define MB2_HEADER_MAGIC   0xe85250d6
#define MB2_BOOT_MAGIC     0x36d76289   /* what a multiboot2 loader leaves in EAX */
#define MB2_ARCH_I386      0
#define MB2_HEADER_FRAMEBUFFER 5        /* header tag: the video mode we would like */
#define MB2_HEADER_OPTIONAL 1           /* a tag flag: boot anyway if the loader cannot */

#define CPUID_EXT_MAX      0x80000000
#define CPUID_EXT_FEATURES 0x80000001
#define CPUID_EXT_NX       (1 << 20)
#define CPUID_EXT_LM       (1 << 29)

#define CR0_WP             (1 << 16)
#define CR0_PG             (1 << 31)
#define CR4_PAE            (1 << 5)
#define MSR_EFER           0xc0000080
#define EFER_LME           (1 << 8)
#define EFER_NXE           (1 << 11)

#define PTE_PRESENT        (1 << 0)
#define PTE_WRITE          (1 << 1)
#define PTE_LARGE          (1 << 7)
#define PT_ENTRIES         512
#define BOOT_PDS           (BOOT_MAPPED_BYTES >> 30)            /* one page directory per GiB */
#define BOOT_PD_ENTRIES    (BOOT_PDS * PT_ENTRIES)
#define PML4_DIRECT_SLOT   ((DIRECT_MAP_BASE >> 39) & 511)      /* 256 */
#define PDPT_KERNEL_SLOT   ((KERNEL_VMA >> 30) & 511)           /* 510 */

#define GDT_CODE64         0x08
#define GDT_DATA           0x10

#define PHYS(sym)          ((sym) - KERNEL_VMA)

/* ---- the multiboot2 header: GRUB looks for it in the first 32 KiB ---- */
        .section .multiboot, "a"
        .align 8
mb2_header:
        .long MB2_HEADER_MAGIC
        .long MB2_ARCH_I386
        .long mb2_header_end - mb2_header
        .long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
        .align 8                        /* a framebuffer, if the loader can (UEFI: the only screen) */
        .word MB2_HEADER_FRAMEBUFFER, MB2_HEADER_OPTIONAL
        .long 20
        .long 0, 0, 32                  /* any width and height the firmware likes, 32 bits a pixel */
        .align 8                        /* end tag: type 0, flags 0, size 8 */
        .word 0, 0
        .long 8
mb2_header_end:

/* ---- 32-bit code, linked at its physical address ---- */
        .section .boot.text, "ax"
        .code32
        .global _start
_start:
        cli
        cld
        cmpl $MB2_BOOT_MAGIC, %eax
        jne not_multiboot2
        movl %ebx, %ebp                 /* EBP: boot information, until kmain */

        movl $CPUID_EXT_MAX, %eax
        cpuid
        cmpl $CPUID_EXT_FEATURES, %eax
        jb no_long_mode
        movl $CPUID_EXT_FEATURES, %eax
        cpuid
        testl $CPUID_EXT_LM, %edx
        jz no_long_mode
        movl %edx, %esi                 /* ESI: extended features, for NX below */

        /* GRUB zeroes .bss, but the tables must be zero: do not depend on it. */
        movl $PHYS(__bss_start), %edi
        movl $PHYS(__bss_end), %ecx
        subl %edi, %ecx
        shrl $2, %ecx
        xorl %eax, %eax
        rep stosl
        movl $PHYS(boot_stack_top), %esp

        /* Page directories: 2 MiB pages covering physical [0, BOOT_MAPPED_BYTES). */
        movl $PHYS(boot_pd), %edi
        xorl %ecx, %ecx
1:      movl %ecx, %eax
        shll $LARGE_PAGE_SHIFT, %eax
        orl $(PTE_PRESENT | PTE_WRITE | PTE_LARGE), %eax
        movl %eax, (%edi,%ecx,8)
        incl %ecx
        cmpl $BOOT_PD_ENTRIES, %ecx
        jne 1b

        /* The low PDPT points at every directory: used for identity and direct map. */
        movl $PHYS(boot_pdpt_low), %edi
        movl $PHYS(boot_pd), %eax
        orl $(PTE_PRESENT | PTE_WRITE), %eax
        xorl %ecx, %ecx
2:      movl %eax, (%edi,%ecx,8)
        addl $PAGE_SIZE, %eax
        incl %ecx
        cmpl $BOOT_PDS, %ecx
        jne 2b

        /* The kernel PDPT maps -2 GiB onto physical 0 (the first directory). */
        movl $PHYS(boot_pd), %eax
        orl $(PTE_PRESENT | PTE_WRITE), %eax
        movl %eax, PHYS(boot_pdpt_high) + PDPT_KERNEL_SLOT * 8

        movl $PHYS(boot_pdpt_low), %eax
        orl $(PTE_PRESENT | PTE_WRITE), %eax
        movl %eax, PHYS(boot_pml4)
        movl %eax, PHYS(boot_pml4) + PML4_DIRECT_SLOT * 8
        movl $PHYS(boot_pdpt_high), %eax
        orl $(PTE_PRESENT | PTE_WRITE), %eax
        movl %eax, PHYS(boot_pml4) + 511 * 8

        /* PAE, then long mode (and NX if the CPU has it), then paging. */
        movl %cr4, %eax
        orl $CR4_PAE, %eax
        movl %eax, %cr4
        movl $PHYS(boot_pml4), %eax
        movl %eax, %cr3
        movl $MSR_EFER, %ecx
        rdmsr
        orl $EFER_LME, %eax
        testl $CPUID_EXT_NX, %esi
        jz 3f
        orl $EFER_NXE, %eax
3:      wrmsr
        movl %cr0, %eax
        orl $(CR0_PG | CR0_WP), %eax
        movl %eax, %cr0

        lgdt boot_gdt_pointer
        ljmp $GDT_CODE64, $long_mode_entry

not_multiboot2:
        movl $msg_not_multiboot2, %esi
        jmp boot_fail
no_long_mode:
        movl $msg_no_long_mode, %esi
        jmp boot_fail

/* Print the string at ESI on COM1 and the VGA screen, then halt forever. */
#define COM1_DATA 0x3f8
#define COM1_LSR  0x3fd
#define LSR_THRE  0x20
#define VGA_TEXT  0xb8000
#define VGA_ATTR  0x4f00                /* white on red */
boot_fail:
        movl $VGA_TEXT, %edi
4:      movzbl (%esi), %ebx
        testl %ebx, %ebx
        jz 6f
        movw $COM1_LSR, %dx
5:      inb %dx, %al
        testb $LSR_THRE, %al
        jz 5b
        movw $COM1_DATA, %dx
        movb %bl, %al
        outb %al, %dx
        orl $VGA_ATTR, %ebx
        movw %bx, (%edi)
        addl $2, %edi
        incl %esi
        jmp 4b
6:      cli
        hlt
        jmp 6b

/* ---- 64-bit, still at the low address: jump up to the kernel image ---- */
        .code64
long_mode_entry:
        movw $GDT_DATA, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        xorw %ax, %ax
        movw %ax, %fs
        movw %ax, %gs
        movabsq $higher_half_entry, %rax
        jmp *%rax

        .section .boot.data, "a"
        .align 16
boot_gdt:
        .quad 0
        .quad 0x00af9a000000ffff        /* 0x08: 64-bit code, DPL 0 */
        .quad 0x00cf92000000ffff        /* 0x10: data, DPL 0 */
boot_gdt_end:
boot_gdt_pointer:
        .word boot_gdt_end - boot_gdt - 1
        .long boot_gdt

msg_not_multiboot2:
        .asciz "boot: not started by a multiboot2 loader; halting"
msg_no_long_mode:
        .asciz "boot: this CPU has no 64-bit long mode; halting"

/* ---- the higher half ---- */
        .text
higher_half_entry:
        movabsq $boot_stack_top, %rsp
        movl %ebp, %edi                 /* kmain(boot information physical address) */
        xorl %ebp, %ebp                 /* end of the frame-pointer chain for backtraces */
        call kmain
7:      cli
        hlt
        jmp 7b

        .section .bss
        .align PAGE_SIZE
        .global boot_pml4
boot_pml4:      .space PAGE_SIZE
boot_pdpt_low:  .space PAGE_SIZE
boot_pdpt_high: .space PAGE_SIZE
boot_pd:        .space BOOT_PDS * PAGE_SIZE
        .global boot_stack_top
boot_stack:     .space BOOT_STACK_SIZE
boot_stack_top:

        .section .note.GNU-stack, "", @progbits
