/*
 * Program start-up, called by _start (arch/x86_64/crt0.S) with the SysV
 * start-up stack: argc, argv..., NULL, envp..., NULL, auxv pairs, AT_NULL.
 * Order matters: TLS first (errno lives there), then constructors, main,
 * and exit with main's result.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <abi/auxv.h>
#include "../internal/libc.h"

char **environ;
char *program_invocation_name = "";
static unsigned long *auxv;

int main(int argc, char **argv, char **envp);

/* Constructor arrays; the default linker script defines these for static links. */
typedef void (*init_function)(void);
extern init_function __preinit_array_start[] __attribute__((weak));
extern init_function __preinit_array_end[] __attribute__((weak));
extern init_function __init_array_start[] __attribute__((weak));
extern init_function __init_array_end[] __attribute__((weak));

/* Returns the value of auxv entry type, or 0 if the kernel gave none. */
unsigned long libc_auxv(unsigned long type)
{
    for (unsigned long *a = auxv; a && a[0] != AT_NULL; a += 2)
        if (a[0] == type)
            return a[1];
    return 0;
}

static void run_constructors(void)
{
    for (init_function *f = __preinit_array_start; f < __preinit_array_end; f++)
        (*f)();
    for (init_function *f = __init_array_start; f < __init_array_end; f++)
        (*f)();
}

_Noreturn void libc_start(uintptr_t *stack)
{
    int argc = (int)stack[0];
    char **argv = (char **)(stack + 1);
    char **envp = argv + argc + 1;
    char **p = envp;
    while (*p)
        p++;
    auxv = (unsigned long *)(p + 1);
    environ = envp;
    if (argc > 0 && argv[0])
        program_invocation_name = argv[0];
    libc_tls_init();
    run_constructors();
    exit(main(argc, argv, envp));
}
