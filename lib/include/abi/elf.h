/*
 * The ELF64 file format as far as a static x86-64 executable needs it:
 * the file header, the program headers and their constants (the System V
 * ABI's gABI, and elf.h on Linux).  Shared by the kernel's loader and the
 * tests that build executables of their own.
 */
#ifndef ABI_ELF_H
#define ABI_ELF_H

#include <stdint.h>

#define ELF_MAGIC       "\177ELF"
#define ELF_MAGIC_SIZE  4
#define EI_CLASS        4       /* indexes into ident[] */
#define EI_DATA         5
#define EI_VERSION      6
#define ELFCLASS64      2
#define ELFDATA2LSB     1
#define EV_CURRENT      1
#define ET_EXEC         2
#define EM_X86_64       62
#define PT_LOAD         1
#define PT_INTERP       3
#define PT_PHDR         6
#define PF_X            1
#define PF_W            2
#define PF_R            4

struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#endif
