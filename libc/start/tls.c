/*
 * Static TLS, x86_64 "variant II": the thread pointer (%fs base) points at
 * a thread control block (TCB) whose first word points to itself, and the
 * thread's copy of the PT_TLS segment lies just below it.  The linker
 * resolves every __thread variable of a static executable to a fixed
 * negative offset from %fs, so the layout here must match its arithmetic.
 *
 * pthread_create (thread/create.c) builds each new thread's block with tls_build() too.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <abi/auxv.h>
#include "../internal/libc.h"
#include "../internal/syscall.h"
#include "../internal/tls.h"

/* The ELF spec's program header type, and arch_prctl's request (Linux's). */
#define PT_TLS      7
#define ARCH_SET_FS 0x1002

struct elf64_phdr {
    uint32_t p_type, p_flags;
    uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

static struct tls_image image = { .align = sizeof(void *) };

/* The main thread's block when it fits; the common case needs no syscall. */
#define MAIN_TLS_RESERVE 512
static _Alignas(64) unsigned char main_tls[MAIN_TLS_RESERVE];

/* Find PT_TLS through the program headers the kernel reported in auxv. */
static void find_tls_image(void)
{
    const struct elf64_phdr *ph = (const void *)libc_auxv(AT_PHDR);
    unsigned long count = libc_auxv(AT_PHNUM);
    for (unsigned long i = 0; ph && i < count; i++) {
        if (ph[i].p_type != PT_TLS)
            continue;
        image.init = (const void *)ph[i].p_vaddr;
        image.init_size = ph[i].p_filesz;
        image.size = ph[i].p_memsz;
        uint64_t segment_align = ph[i].p_align ? ph[i].p_align : 1;
        /*
         * The linker places the block so that its end, where the thread
         * pointer is, keeps the segment's address modulo the segment's own
         * alignment (normally this is size rounded up to the alignment).
         * musl computes it the same way, and it too raises the alignment
         * for the TCB only afterwards: a segment aligned to 4 at an address
         * that is 4 mod 8 would otherwise be copied 4 bytes off.
         */
        image.offset = image.size + ((-image.size - ph[i].p_vaddr) & (segment_align - 1));
        if (segment_align > image.align)
            image.align = segment_align;
    }
}

size_t tls_area_size(void)
{
    /* slack for aligning the thread pointer inside an arbitrary area */
    return image.offset + sizeof(struct tcb) + image.align;
}

struct tcb *tls_build(void *area)
{
    uintptr_t tp = ALIGN_UP((uintptr_t)area + image.offset, image.align);
    unsigned char *block = (unsigned char *)tp - image.offset;
    memcpy(block, image.init, image.init_size);
    memset(block + image.init_size, 0, image.offset - image.init_size);
    struct tcb *tcb = (struct tcb *)tp;
    memset(tcb, 0, sizeof *tcb);
    tcb->self = tcb;
    return tcb;
}

/* Any failure here is fatal: errno itself lives in TLS. */
void libc_tls_init(void)
{
    find_tls_image();
    void *area = main_tls;
    if (tls_area_size() > sizeof main_tls) {
        long addr = __syscall6(SYS_mmap, 0, (long)tls_area_size(), PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (addr < 0 && addr >= -MAX_ERRNO)
            __syscall1(SYS_exit_group, 127);
        area = (void *)addr;
    }
    struct tcb *tcb = tls_build(area);
    if (__syscall2(SYS_arch_prctl, ARCH_SET_FS, tcb) != 0)
        __syscall1(SYS_exit_group, 127);
}
