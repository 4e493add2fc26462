/*
 * Raw x86 instructions for arch/ code only: port I/O, MSRs, control
 * registers, descriptor tables.  kernel/ never includes this file.
 */
#ifndef ARCH_X86_64_X86_H
#define ARCH_X86_64_X86_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)  { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* A write to an unused port: about a microsecond, for slow legacy devices. */
static inline void io_wait(void) { outb(0x80, 0); }

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

#define MSR_EFER        0xc0000080
#define EFER_SCE        (1 << 0)    /* SYSCALL enable */
#define EFER_NXE        (1 << 11)

#define CR0_WP          (1ull << 16)
#define CR4_PGE         (1ull << 7)
#define CR4_UMIP        (1ull << 11)    /* SGDT, SIDT, SLDT, SMSW, STR fault in user mode */
#define CR4_PCIDE       (1ull << 17)
#define CR4_SMEP        (1ull << 20)
#define CR4_SMAP        (1ull << 21)

static inline uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); }

/* RFLAGS bits (Intel SDM vol. 1, 3.4.3). */
#define RFLAGS_CF       (1ull << 0)
#define RFLAGS_RESERVED (1ull << 1)     /* always 1 */
#define RFLAGS_PF       (1ull << 2)
#define RFLAGS_AF       (1ull << 4)
#define RFLAGS_ZF       (1ull << 6)
#define RFLAGS_SF       (1ull << 7)
#define RFLAGS_TF       (1ull << 8)
#define RFLAGS_IF       (1ull << 9)
#define RFLAGS_DF       (1ull << 10)
#define RFLAGS_OF       (1ull << 11)
#define RFLAGS_NT       (1ull << 14)    /* nested task: IRETQ with it set faults in 64-bit mode */
#define RFLAGS_RF       (1ull << 16)
#define RFLAGS_AC       (1ull << 18)    /* alignment check; in ring 0 with SMAP: user access allowed */

static inline uint64_t read_rflags(void)
{
    uint64_t v;
    __asm__ volatile("pushfq; popq %0" : "=r"(v));
    return v;
}

static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }

struct __attribute__((packed)) descriptor_pointer {
    uint16_t limit;
    uint64_t base;
};

static inline void cpuid(uint32_t leaf, uint32_t subleaf,
                         uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(subleaf));
}

#endif
