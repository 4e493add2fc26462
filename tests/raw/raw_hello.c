/*
 * A program that uses no libc at all: raw system calls and its own entry
 * point, as a static binary from another toolchain would.  It checks the
 * start-up stack the kernel builds (argc, argv, envp, auxv) and prints what
 * it found; it exits 0 only if everything is as the SysV ABI says.
 */
#include <stddef.h>
#include <stdint.h>

#define SYS_write      1
#define SYS_getpid     39
#define SYS_exit_group 231
#define AT_NULL   0
#define AT_PHDR   3
#define AT_PAGESZ 6
#define AT_ENTRY  9
#define AT_RANDOM 25

static long syscall3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}

static size_t length(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void say(const char *s)
{
    syscall3(SYS_write, 1, (long)s, (long)length(s));
}

static int failures;

static void check(int ok, const char *what)
{
    say(ok ? "raw_hello: ok " : "raw_hello: FAILED ");
    say(what);
    say("\n");
    failures += !ok;
}

void raw_main(uint64_t *sp)
{
    long argc = (long)sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    char **e = envp;
    while (*e)
        e++;
    uint64_t *auxv = (uint64_t *)(e + 1);
    uint64_t entry = 0, pagesz = 0, phdr = 0, random = 0;
    for (uint64_t *a = auxv; a[0] != AT_NULL; a += 2) {
        if (a[0] == AT_ENTRY) entry = a[1];
        if (a[0] == AT_PAGESZ) pagesz = a[1];
        if (a[0] == AT_PHDR) phdr = a[1];
        if (a[0] == AT_RANDOM) random = a[1];
    }
    check(((uint64_t)sp & 15) == 0, "stack pointer 16-byte aligned at entry");
    check(argc >= 1 && argv[argc] == NULL, "argv NULL-terminated");
    for (long i = 0; i < argc; i++) {
        say("  argv: ");
        say(argv[i]);
        say("\n");
    }
    check(entry != 0 && pagesz == 4096 && phdr != 0 && random != 0, "auxv has AT_ENTRY AT_PAGESZ AT_PHDR AT_RANDOM");
    check(syscall3(SYS_getpid, 0, 0, 0) > 0, "getpid");
    check(syscall3(SYS_write, 1, 0x10, 5) == -14, "write from a bad pointer gives -EFAULT");
    syscall3(SYS_exit_group, failures ? 1 : 0, 0, 0);
}

__asm__(".text\n.global _start\n_start:\n\tmovq %rsp, %rdi\n\tandq $-16, %rsp\n\tcall raw_main\n\thlt\n");
