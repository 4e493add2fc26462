/* CPUID feature detection: the flags the kernel acts on, read once at boot. */
#include <arch/cpu.h>
#include <kernel/printk.h>
#include <lib/string.h>
#include "x86.h"

#define LEAF_FEATURES           1
#define LEAF_EXTENDED_FEATURES  7
#define LEAF_EXT_MAX            0x80000000
#define LEAF_EXT_FEATURES       0x80000001
#define LEAF_BRAND_FIRST        0x80000002      /* three leaves of 16 bytes each */
#define BRAND_LEAVES            3

#define L1_ECX_PCID     (1u << 17)
#define L1_ECX_X2APIC   (1u << 21)
#define L1_EDX_PGE      (1u << 13)
#define L7_EBX_SMEP     (1u << 7)
#define L7_EBX_INVPCID  (1u << 10)
#define L7_EBX_SMAP     (1u << 20)
#define L7_ECX_UMIP     (1u << 2)
#define LX_EDX_SYSCALL  (1u << 11)
#define LX_EDX_NX       (1u << 20)
#define LX_EDX_GBPAGES  (1u << 26)
#define LX_EDX_RDTSCP   (1u << 27)

struct cpu_features cpu_features;

void cpu_detect_features(void)
{
    uint32_t a, b, c, d, max_leaf, max_ext;
    cpuid(0, 0, &max_leaf, &b, &c, &d);
    memcpy(cpu_features.vendor, &b, 4);
    memcpy(cpu_features.vendor + 4, &d, 4);
    memcpy(cpu_features.vendor + 8, &c, 4);
    cpuid(LEAF_FEATURES, 0, &a, &b, &c, &d);
    unsigned family = (a >> 8) & 0xf, model = (a >> 4) & 0xf;
    cpu_features.family = family == 0xf ? family + ((a >> 20) & 0xff) : family;
    cpu_features.model = family == 0x6 || family == 0xf ? model | ((a >> 12) & 0xf0) : model;
    cpu_features.stepping = a & 0xf;
    cpu_features.pcid = c & L1_ECX_PCID;
    cpu_features.x2apic = c & L1_ECX_X2APIC;
    cpu_features.pge = d & L1_EDX_PGE;
    if (max_leaf >= LEAF_EXTENDED_FEATURES) {
        cpuid(LEAF_EXTENDED_FEATURES, 0, &a, &b, &c, &d);
        cpu_features.smep = b & L7_EBX_SMEP;
        cpu_features.smap = b & L7_EBX_SMAP;
        cpu_features.invpcid = b & L7_EBX_INVPCID;
        cpu_features.umip = c & L7_ECX_UMIP;
    }
    cpuid(LEAF_EXT_MAX, 0, &max_ext, &b, &c, &d);
    if (max_ext >= LEAF_EXT_FEATURES) {
        cpuid(LEAF_EXT_FEATURES, 0, &a, &b, &c, &d);
        cpu_features.syscall = d & LX_EDX_SYSCALL;
        cpu_features.nx = d & LX_EDX_NX;
        cpu_features.gbpages = d & LX_EDX_GBPAGES;
        cpu_features.rdtscp = d & LX_EDX_RDTSCP;
    }
    for (unsigned i = 0; max_ext >= LEAF_BRAND_FIRST + BRAND_LEAVES - 1 && i < BRAND_LEAVES; i++) {
        uint32_t r[4];
        cpuid(LEAF_BRAND_FIRST + i, 0, &r[0], &r[1], &r[2], &r[3]);
        memcpy(cpu_features.brand + 16 * i, r, sizeof r);
    }
}

static const char *yes_no(bool b) { return b ? "yes" : "no"; }

void cpu_print_features(void)
{
    kprintf("cpu: pcid=%s invpcid=%s pge=%s nx=%s syscall=%s rdtscp=%s x2apic=%s smep=%s smap=%s umip=%s\n",
            yes_no(cpu_features.pcid), yes_no(cpu_features.invpcid), yes_no(cpu_features.pge),
            yes_no(cpu_features.nx), yes_no(cpu_features.syscall), yes_no(cpu_features.rdtscp),
            yes_no(cpu_features.x2apic), yes_no(cpu_features.smep), yes_no(cpu_features.smap),
            yes_no(cpu_features.umip));
}

void cpu_enable_protections(void)
{
    uint64_t cr4 = read_cr4();
    if (cpu_features.smep)
        cr4 |= CR4_SMEP;
    if (cpu_features.smap)
        cr4 |= CR4_SMAP;
    if (cpu_features.umip)
        cr4 |= CR4_UMIP;
    write_cr4(cr4);
}
