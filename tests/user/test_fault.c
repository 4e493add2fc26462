/*
 * User faults: each kind ends its process with the right signal, the
 * kernel logs it and carries on, and a bystander process is unaffected.
 */
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include "utest.h"

#define KERNEL_ADDRESS  0xffffffff80100000ul    /* the kernel image: mapped, but not for users */
#define BYSTANDER_LOOPS 200000

static void null_write(void)     { *(volatile int *)0 = 1; }
static void null_read(void)      { (void)*(volatile int *)0; }
static void kernel_read(void)    { (void)*(volatile long *)KERNEL_ADDRESS; }
static void noncanonical(void)   { (void)*(volatile long *)0x0000900000000000ul; }
static void text_write(void)     { *(volatile unsigned char *)(uintptr_t)null_write = 0xc3; }
static void privileged(void)     { __asm__ volatile("hlt"); }
static void invalid_opcode(void) { __asm__ volatile("ud2"); }
#pragma GCC diagnostic ignored "-Winfinite-recursion"     /* on purpose: it ends in the guard gap */
static void stack_overflow(void) { volatile char big[4096]; big[0] = 1; stack_overflow(); (void)big[0]; }

/* In assembly: the compiler may turn 1 / x into a comparison, which never traps. */
static volatile int zero = 0;
static void divide_by_zero(void)
{
    int quotient;
    __asm__ volatile("cltd; idivl %1" : "=a"(quotient) : "r"(zero), "a"(1) : "edx");
    (void)quotient;
}

/* Fork a child that runs fn; it must die of sig. */
static void expect_signal(void (*fn)(void), int sig, const char *what)
{
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        fn();
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == sig,
          "%s: status %#x, expected death by signal %d", what, status, sig);
}

static void segv_null_write(void)   { expect_signal(null_write, SIGSEGV, "NULL write"); }
static void segv_null_read(void)    { expect_signal(null_read, SIGSEGV, "NULL read"); }
static void segv_kernel_read(void)  { expect_signal(kernel_read, SIGSEGV, "kernel address read"); }
static void segv_noncanonical(void) { expect_signal(noncanonical, SIGSEGV, "non-canonical address (#GP)"); }
static void segv_text_write(void)   { expect_signal(text_write, SIGSEGV, "write to program text"); }
static void segv_privileged(void)   { expect_signal(privileged, SIGSEGV, "hlt in user mode (#GP)"); }
static void segv_stack_overflow(void) { expect_signal(stack_overflow, SIGSEGV, "stack overflow into the guard"); }
static void fpe_divide(void)        { expect_signal(divide_by_zero, SIGFPE, "divide by zero"); }
static void ill_ud2(void)           { expect_signal(invalid_opcode, SIGILL, "ud2"); }

/* A process computing while others crash around it finishes with the right answer. */
static void bystander_unaffected(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        unsigned long sum = 0;
        for (unsigned long i = 0; i < BYSTANDER_LOOPS; i++) {
            sum += i;
            if (i % 10000 == 0)
                sched_yield();
        }
        _exit(sum == (unsigned long)BYSTANDER_LOOPS * (BYSTANDER_LOOPS - 1) / 2 ? 0 : 1);
    }
    for (int i = 0; i < 5; i++) {
        expect_signal(null_write, SIGSEGV, "NULL write beside the bystander");
        expect_signal(divide_by_zero, SIGFPE, "divide beside the bystander");
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the bystander: status %#x", status);
}

static void faults_leak_nothing(void)
{
    expect_signal(null_write, SIGSEGV, "warm-up");
    struct os_stats before = utest_settled();
    for (int i = 0; i < 20; i++)
        expect_signal(i & 1 ? stack_overflow : invalid_opcode, i & 1 ? SIGSEGV : SIGILL, "repeat");
    utest_expect_back(before);
}

int main(void)
{
    RUN(segv_null_write);
    RUN(segv_null_read);
    RUN(segv_kernel_read);
    RUN(segv_noncanonical);
    RUN(segv_text_write);
    RUN(segv_privileged);
    RUN(segv_stack_overflow);
    RUN(fpe_divide);
    RUN(ill_ud2);
    RUN(bystander_unaffected);
    RUN(faults_leak_nothing);
    return utest_finish();
}
