/*
 * Auxiliary vector entry types (the a_type of each pair execve puts after
 * envp on the new stack): Linux's values, shared by the kernel, which
 * builds the vector, and libc, which reads it.
 */
#ifndef ABI_AUXV_H
#define ABI_AUXV_H

#define AT_NULL          0      /* the end of the vector */
#define AT_IGNORE        1      /* an entry to skip */
#define AT_EXECFD        2      /* the program's file descriptor */
#define AT_PHDR          3      /* the address of the program headers */
#define AT_PHENT         4      /* the size of one program header */
#define AT_PHNUM         5      /* the number of program headers */
#define AT_PAGESZ        6      /* the page size */
#define AT_BASE          7      /* the interpreter's load address */
#define AT_FLAGS         8      /* flags (none defined) */
#define AT_ENTRY         9      /* the program's entry point */
#define AT_NOTELF        10     /* the program is not ELF */
#define AT_UID           11     /* the real user id */
#define AT_EUID          12     /* the effective user id */
#define AT_GID           13     /* the real group id */
#define AT_EGID          14     /* the effective group id */
#define AT_PLATFORM      15     /* a string naming the platform ("x86_64") */
#define AT_HWCAP         16     /* CPU feature bits */
#define AT_CLKTCK        17     /* the frequency times() counts in */
#define AT_SECURE        23     /* nonzero for a set-id program */
#define AT_BASE_PLATFORM 24     /* a string naming the real platform */
#define AT_RANDOM        25     /* the address of 16 random bytes */
#define AT_HWCAP2        26     /* more CPU feature bits */
#define AT_EXECFN        31     /* the path the program was executed by */
#define AT_SYSINFO_EHDR  33     /* the vDSO's ELF header */
#define AT_MINSIGSTKSZ   51     /* the smallest signal stack the kernel accepts */

#endif
