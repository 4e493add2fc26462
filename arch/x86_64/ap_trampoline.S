/*
 * Where an application processor starts: from real mode to long mode to
 * ap_main() in the kernel image.  smp.c copies these bytes to physical
 * TRAMPOLINE_PHYS (one page below 1 MiB), fills in the parameter block at
 * their end and sends the AP a start-up IPI naming that page.  The AP
 * begins at CS:IP = (TRAMPOLINE_PHYS >> 4):0 in 16-bit real mode, with
 * paging off and caches disabled (CR0.CD and NW set by INIT).
 *
 *   16-bit: load the trampoline's GDT, protection on (CR0 = PE alone: the
 *           caches come on), far jump to 32-bit code
 *   32-bit: PAE, CR3 = the start-up tables (mmu_ap_boot_root: identity for
 *           the first 2 MiB, the kernel half shared), EFER.LME (and NXE,
 *           which the kernel's tables need), then CPU 0's CR0 (paging on):
 *           long mode, far jump to 64-bit code
 *   64-bit: still at the low address; the boot stack, FS and GS null (the
 *           per-CPU area's GS base is ap_main's first act), then call
 *           ap_main(cpu) at its kernel address
 *
 * The code is linked into .rodata (it is copied, never run in place), so
 * every address it uses is TRAMPOLINE_PHYS + its offset here: LOW(x).
 */
#include "smp.h"

#define CR0_PE          (1 << 0)
#define CR4_PAE         (1 << 5)
#define MSR_EFER        0xc0000080
#define EFER_LME        (1 << 8)

#define SEL_CODE32      0x08            /* the trampoline GDT's selectors */
#define SEL_DATA32      0x10
#define SEL_CODE64      0x18

#define LOW(label)      (TRAMPOLINE_PHYS + (label) - ap_trampoline_start)
#define PARAM(offset)   (LOW(ap_trampoline_params) + (offset))

        .section .rodata.ap_trampoline, "a"
        .code16
        .global ap_trampoline_start
ap_trampoline_start:
        cli
        cld
        movw %cs, %ax                   /* CS's base is TRAMPOLINE_PHYS: DS too */
        movw %ax, %ds
        lgdtl gdt_pointer - ap_trampoline_start
        movl $CR0_PE, %eax
        movl %eax, %cr0
        ljmpl $SEL_CODE32, $LOW(protected_mode)

        .code32
protected_mode:
        movw $SEL_DATA32, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        movl $CR4_PAE, %eax
        movl %eax, %cr4
        movl PARAM(TRAMPOLINE_CR3), %eax
        movl %eax, %cr3
        movl $MSR_EFER, %ecx
        rdmsr
        orl $EFER_LME, %eax
        orl PARAM(TRAMPOLINE_EFER), %eax
        wrmsr
        movl PARAM(TRAMPOLINE_CR0), %eax
        movl %eax, %cr0
        ljmpl $SEL_CODE64, $LOW(long_mode)

        .code64
long_mode:
        xorl %eax, %eax
        movw %ax, %fs
        movw %ax, %gs
        movq PARAM(TRAMPOLINE_STACK), %rsp
        movq PARAM(TRAMPOLINE_CPU), %rdi
        movq PARAM(TRAMPOLINE_ENTRY), %rax
        xorl %ebp, %ebp                 /* the end of the frame-pointer chain */
        call *%rax
1:      cli                             /* ap_main does not return */
        hlt
        jmp 1b

        .balign 8
gdt:
        .quad 0
        .quad 0x00cf9a000000ffff        /* 0x08: 32-bit code, base 0, 4 GiB */
        .quad 0x00cf92000000ffff        /* 0x10: data, base 0, 4 GiB */
        .quad 0x00af9a000000ffff        /* 0x18: 64-bit code */
gdt_end:
gdt_pointer:
        .word gdt_end - gdt - 1
        .long LOW(gdt)

        .balign 8
        .global ap_trampoline_params
ap_trampoline_params:
        .space TRAMPOLINE_PARAMS_SIZE
        .global ap_trampoline_end
ap_trampoline_end:

        .section .note.GNU-stack, "", @progbits
