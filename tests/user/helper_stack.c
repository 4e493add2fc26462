/*
 * Exec target for test_hardening: checks the start-up stack the kernel built
 * when execve was given no arguments at all and one environment string.
 * Reads the layout itself (argc, argv's NULL, envp, then the auxiliary
 * vector) rather than trusting libc to have made sense of it.
 *
 * Exit status: 0 when the stack is right; else the number of the first
 * check that failed.
 */
#include <abi/auxv.h>
#include <string.h>

#define EXPECTED_ENV "STACK_CHECK=1"
#define PAGE_SIZE_EXPECTED 4096

int main(int argc, char **argv, char **envp)
{
    if (argc != 0 || argv[0] != NULL)
        return 1;                       /* argv is empty: its NULL comes right after argc */
    if (envp != argv + 1)
        return 2;
    if (!envp[0] || strcmp(envp[0], EXPECTED_ENV) != 0 || envp[1] != NULL)
        return 3;                       /* not an argv[0] taken from the environment */
    unsigned long *aux = (unsigned long *)(envp + 2);
    for (; aux[0] != AT_NULL; aux += 2)
        if (aux[0] == AT_PAGESZ)
            return aux[1] == PAGE_SIZE_EXPECTED ? 0 : 4;
    return 5;                           /* no auxiliary vector */
}
