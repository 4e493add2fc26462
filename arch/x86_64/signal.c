/*
 * The x86-64 signal frame, laid out as Linux lays it out
 * (arch/x86/include/uapi/asm/sigcontext.h and ucontext.h): below the
 * interrupted stack pointer and its 128-byte red zone, the FPU state
 * (FXSAVE, 512 bytes, 64-byte aligned), then struct rt_sigframe whose first
 * word, at the handler's stack pointer, is the return address: the
 * restorer, which calls rt_sigreturn.
 */
#include <abi/signal.h>
#include <arch/signal.h>
#include <kernel/errno.h>
#include <kernel/signal.h>
#include <kernel/vm.h>
#include <lib/string.h>
#include "gdt.h"
#include "x86.h"

#define RED_ZONE        128     /* the SysV ABI lets functions use 128 bytes below RSP */
#define FPSTATE_ALIGN   64
#define FRAME_ALIGN     16
#define MXCSR_OFFSET    24      /* in the FXSAVE area */
#define MXCSR_MASK_DEFAULT 0xffbf   /* the bits MXCSR accepts when FXSAVE reports no mask */
/*
 * The flags user code may change through a signal frame: Linux's
 * FIX_EFLAGS.  Not NT (IRETQ with NT set faults in the kernel), not IOPL
 * (port access), not IF (user code always runs with interrupts on).
 */
#define RFLAGS_USER     (RFLAGS_AC | RFLAGS_OF | RFLAGS_DF | RFLAGS_TF | RFLAGS_SF | RFLAGS_ZF | \
                         RFLAGS_AF | RFLAGS_PF | RFLAGS_CF | RFLAGS_RF)

struct sigcontext {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2;
    uint64_t fpstate;           /* user address of the FXSAVE area, or 0 */
    uint64_t reserved[8];
};

struct ucontext {
    uint64_t flags;
    uint64_t link;
    struct { uint64_t sp; int32_t flags; int32_t pad; uint64_t size; } stack;
    struct sigcontext mcontext;
    uint64_t sigmask;
};

struct rt_sigframe {
    uint64_t return_address;    /* the restorer */
    struct ucontext uc;
    struct siginfo info;
};

_Static_assert(sizeof(struct sigcontext) == 256, "Linux's struct sigcontext");

static void save_registers(const struct trap_frame *tf, struct sigcontext *sc)
{
    *sc = (struct sigcontext){
        .r8 = tf->r8, .r9 = tf->r9, .r10 = tf->r10, .r11 = tf->r11, .r12 = tf->r12,
        .r13 = tf->r13, .r14 = tf->r14, .r15 = tf->r15, .rdi = tf->rdi, .rsi = tf->rsi,
        .rbp = tf->rbp, .rbx = tf->rbx, .rdx = tf->rdx, .rax = tf->rax, .rcx = tf->rcx,
        .rsp = tf->rsp, .rip = tf->rip, .eflags = tf->rflags, .cs = (uint16_t)tf->cs,
        .ss = (uint16_t)tf->ss, .err = tf->error, .trapno = tf->vector,
    };
}

int arch_signal_setup(struct trap_frame *tf, struct arch_thread *t, const struct signal_delivery *d)
{
    uint64_t fpstate = (tf->rsp - RED_ZONE - FPU_STATE_SIZE) & ~(uint64_t)(FPSTATE_ALIGN - 1);
    uint64_t sp = ((fpstate - sizeof(struct rt_sigframe)) & ~(uint64_t)(FRAME_ALIGN - 1)) - 8;
    struct rt_sigframe f;
    memset(&f, 0, sizeof f);
    f.return_address = d->restorer;
    save_registers(tf, &f.uc.mcontext);
    f.uc.mcontext.oldmask = d->saved_mask;
    f.uc.mcontext.cr2 = d->addr;
    f.uc.mcontext.fpstate = fpstate;
    f.uc.sigmask = d->saved_mask;
    siginfo_fill(&f.info, d->sig, d->from, d->addr);
    arch_fpu_save(t);
    if (copy_to_user(fpstate, t->fpu, FPU_STATE_SIZE) != 0 || copy_to_user(sp, &f, sizeof f) != 0)
        return -EFAULT;
    tf->rip = d->handler;
    tf->rsp = sp;
    tf->rdi = (uint64_t)d->sig;
    tf->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
    tf->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
    tf->rax = 0;
    tf->rflags &= ~(RFLAGS_DF | RFLAGS_TF);
    uint64_t fs_base = t->fs_base;
    arch_thread_clean_state(t);         /* the handler starts with a clean FPU, as on Linux */
    t->fs_base = fs_base;
    arch_fpu_restore(t);
    return 0;
}

static void restore_registers(struct trap_frame *tf, const struct sigcontext *sc)
{
    tf->r8 = sc->r8, tf->r9 = sc->r9, tf->r10 = sc->r10, tf->r11 = sc->r11;
    tf->r12 = sc->r12, tf->r13 = sc->r13, tf->r14 = sc->r14, tf->r15 = sc->r15;
    tf->rdi = sc->rdi, tf->rsi = sc->rsi, tf->rbp = sc->rbp, tf->rbx = sc->rbx;
    tf->rdx = sc->rdx, tf->rax = sc->rax, tf->rcx = sc->rcx, tf->rsp = sc->rsp;
    tf->rip = sc->rip;
    tf->rflags = (tf->rflags & ~RFLAGS_USER) | (sc->eflags & RFLAGS_USER) | RFLAGS_IF;
    tf->cs = SEL_USER_CODE;             /* whatever the frame says: back to user mode */
    tf->ss = SEL_USER_DATA;
}

int arch_signal_return(struct trap_frame *tf, struct arch_thread *t, uint64_t *mask)
{
    struct rt_sigframe f;
    uint64_t frame = tf->rsp - 8;       /* the handler's ret popped the return address */
    if (copy_from_user(&f, frame, sizeof f) != 0)
        return -EFAULT;
    const struct sigcontext *sc = &f.uc.mcontext;
    if (sc->rip >= USER_TOP || sc->rsp >= USER_TOP)
        return -EFAULT;                 /* IRETQ to such an address would fault in the kernel */
    if (sc->fpstate) {
        uint8_t fpu[FPU_STATE_SIZE] __attribute__((aligned(16)));
        if (copy_from_user(fpu, sc->fpstate, sizeof fpu) != 0)
            return -EFAULT;
        uint32_t mxcsr;                 /* reserved MXCSR bits would make FXRSTOR fault */
        memcpy(&mxcsr, fpu + MXCSR_OFFSET, sizeof mxcsr);
        mxcsr &= MXCSR_MASK_DEFAULT;
        memcpy(fpu + MXCSR_OFFSET, &mxcsr, sizeof mxcsr);
        memcpy(t->fpu, fpu, sizeof fpu);
        arch_fpu_restore(t);
    }
    restore_registers(tf, sc);
    *mask = f.uc.sigmask;
    return 0;
}
