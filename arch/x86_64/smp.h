/*
 * The AP start-up trampoline's place and parameters, shared by
 * ap_trampoline.S and smp.c, and the entry points of smp.c that other
 * arch/ code calls.  The kernel-facing interface is arch/smp.h.
 */
#ifndef ARCH_X86_64_SMP_H
#define ARCH_X86_64_SMP_H

/*
 * The page the trampoline is copied to, where an AP starts in real mode:
 * the start-up IPI names a page below 1 MiB by its number (CS = number <<
 * 8, IP = 0).  0x8000 is conventional RAM that nothing uses once the
 * kernel runs: above the real-mode IVT and the BIOS data area (0 to
 * 0x4ff) and the boot sector's 0x7c00, far below the EBDA (0x9fc00 on
 * QEMU) and the video and BIOS areas (0xa0000 up); the page allocator
 * never hands out the first MiB, and smp.c checks that neither the
 * multiboot2 information nor a module lies there.
 */
#define TRAMPOLINE_PHYS         0x8000

/* Offsets in the trampoline's parameter block (struct trampoline_params in smp.c). */
#define TRAMPOLINE_CR3          0       /* 32 bits: the start-up page tables (mmu_ap_boot_root) */
#define TRAMPOLINE_CR0          4       /* 32 bits: CPU 0's CR0 (paging, WP, caches on) */
#define TRAMPOLINE_EFER         8       /* 32 bits: EFER bits besides LME (NXE, as CPU 0 has it) */
#define TRAMPOLINE_STACK        16      /* 64 bits: top of the AP's boot stack */
#define TRAMPOLINE_ENTRY        24      /* 64 bits: ap_main, in the kernel image */
#define TRAMPOLINE_CPU          32      /* 64 bits: the AP's CPU number, ap_main's argument */
#define TRAMPOLINE_PARAMS_SIZE  40

#ifndef __ASSEMBLER__
/* An IPI's vector arrived on this CPU (lapic.c, after the EOI): run its handler. */
void smp_ipi_interrupt(unsigned vector);

/*
 * An NMI arrived: if a panic is stopping the CPUs, say where this CPU was
 * (pc and backtrace of the interrupted code: after a lockup, what the
 * other CPU was doing) and halt here for good; else return.
 */
struct trap_frame;
void smp_nmi_check_stop(const struct trap_frame *tf);
#endif

#endif
