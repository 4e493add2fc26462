/*
 * One entry stub per vector.  Each pushes a zero in place of the error code
 * when the CPU pushes none, then the vector number, and jumps to
 * trap_common, which saves the registers as a struct trap_frame and calls
 * trap_dispatch(frame).  trap_stubs is the table idt.c installs.
 */
#include <arch/trap.h>                  /* TRAP_FRAME_* offsets */
#include "frame.h"

#define STUB_ALIGN 16
#define FRAME_CS_OFFSET TRAP_HW(TRAP_FRAME_CS)  /* before push_registers and after pop_registers */
/*
 * RFLAGS for kernel code: only the always-one bit 1.  An interrupt gate
 * clears IF, TF and NT but leaves AC as user code set it, and AC set
 * turns SMAP off; so every entry loads these flags (AC and DF clear).
 */
#define RFLAGS_KERNEL_ENTRY 0x2

        .text
        .altmacro
.macro stub vector
        .balign STUB_ALIGN
trap_stub_\vector:
        /* vectors with a CPU error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX */
        .if (\vector == 8) || (\vector >= 10 && \vector <= 14) || (\vector == 17) || (\vector == 21) || (\vector == 29) || (\vector == 30)
        .else
        pushq $0
        .endif
        pushq $\vector
        jmp trap_common
.endm

.macro stub_address vector
        .quad trap_stub_\vector
.endm

        .set vec, 0
        .rept 256
        stub %vec
        .set vec, vec + 1
        .endr

trap_common:
        testb $3, FRAME_CS_OFFSET(%rsp)
        jz 1f
        swapgs                          /* from user mode: GS becomes the per-CPU area */
1:      push_registers
        pushq $RFLAGS_KERNEL_ENTRY
        popfq
        movq %rsp, %rdi
        call trap_dispatch
        .global trap_return
trap_return:
        pop_registers
        testb $3, FRAME_CS_OFFSET(%rsp)
        jz 2f
        swapgs
2:      addq $TRAP_HW(TRAP_FRAME_RIP), %rsp     /* vector and error code */
        iretq

        .section .rodata
        .balign 8
        .global trap_stubs
trap_stubs:
        .set vec, 0
        .rept 256
        stub_address %vec
        .set vec, vec + 1
        .endr

        .section .note.GNU-stack, "", @progbits
