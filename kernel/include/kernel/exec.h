/* Loading programs: ELF64 static executables, with the SysV start-up stack. */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include <stddef.h>
#include <stdint.h>

#define ARG_MAX     (128 * 1024)    /* bytes of argument and environment strings */
#define ARGS_MAX    4096            /* argument plus environment strings */

/* The strings of argv then envp, packed one after another. */
struct exec_args {
    char *strings;              /* ARG_MAX bytes */
    size_t used;
    int argc, envc;
};

struct vm;

struct exec_image {
    struct vm *vm;              /* the new address space */
    uint64_t entry;             /* where the program starts */
    uint64_t stack;             /* its initial stack pointer: argc, argv, envp, auxv */
    struct program *program;    /* what it runs, for /proc: its file, path and argv */
};

int exec_args_init(struct exec_args *args);
void exec_args_free(struct exec_args *args);
int exec_args_add(struct exec_args *args, const char *s, size_t len);

/*
 * Build the address space of the program at path; a "#!" script runs its
 * interpreter, with args rewritten as Linux does.  0, or -ENOENT, -EACCES,
 * -ENOEXEC, -ENOMEM, -E2BIG, -ELOOP (scripts of scripts too deep).
 */
int exec_load(const char *path, struct exec_args *args, struct exec_image *img);

#endif
