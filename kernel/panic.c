/*
 * Panics: a report, a symbolized backtrace, and a stop.  Exceptions in
 * kernel mode come here through arch/x86_64/trap.c, which prints the
 * registers first.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/smp.h>
#include <kernel/ksyms.h>
#include <kernel/power.h>
#include <kernel/printk.h>

#define BACKTRACE_MAX_FRAMES 32

static int panicking;           /* [atomic] panics begun */
static int panic_cpu = -1;      /* [atomic] the CPU whose panic runs; -1 before the first */

/*
 * The first panic stops every other CPU, so that its report is the only
 * output.  A CPU that panics while another's panic runs halts (that one's
 * NMI is on its way); the panicking CPU's own second panic is nested, and
 * its caller says so.
 */
int panic_begin(void)
{
    irq_disable();
    int self = (int)cpu_id(), owner = -1;
    if (__atomic_compare_exchange_n(&panic_cpu, &owner, self, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        smp_stop_others();
    else if (owner != self)
        cpu_halt_forever();
    return __atomic_fetch_add(&panicking, 1, __ATOMIC_ACQ_REL);
}

static void print_frame(uint64_t pc)
{
    uint64_t offset;
    const char *name = ksyms_lookup(pc, &offset);
    if (name)
        kprintf("  [<%016lx>] %s+0x%lx\n", pc, name, offset);
    else
        kprintf("  [<%016lx>] ?\n", pc);
}

/*
 * Each frame built with frame pointers holds the caller's frame pointer at
 * [fp] and the return address at [fp + 8] (x86-64's layout, and AArch64's).
 * The chain ends at fp 0 (boot.S) or at anything that is not an aligned
 * kernel-image or direct-map address.
 */
void backtrace_print(uint64_t pc, uint64_t fp)
{
    kprintf("backtrace:\n");
    print_frame(pc);
    for (int depth = 0; depth < BACKTRACE_MAX_FRAMES; depth++) {
        if (fp < DIRECT_MAP_BASE || (fp & 7))
            break;
        const uint64_t *frame = (const uint64_t *)fp;
        uint64_t ret = frame[1];
        if (ret < KERNEL_VMA)
            break;
        print_frame(ret - 1);   /* -1: the call instruction, not the one after it */
        fp = frame[0];
    }
}

/*
 * After a panic the machine powers off with POWEROFF_STATUS_PANIC: test
 * runs and headless `make run INIT=...` never wait on a dead kernel, and
 * the report stays on the terminal.  (Without an emulator exit device,
 * machine_poweroff ends in a halt.)
 */
void panic_stop(void)
{
    machine_poweroff(POWEROFF_STATUS_PANIC);
}

void panic(const char *fmt, ...)
{
    if (panic_begin()) {
        kprintf("panic: nested panic\n");
        panic_stop();
    }
    va_list ap;
    va_start(ap, fmt);
    kprintf("\npanic: ");
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    /* Start at our caller: its return address, then the frames above it. */
    const uint64_t *frame = (const uint64_t *)cpu_frame_pointer();
    backtrace_print((uint64_t)__builtin_return_address(0) - 1, frame[0]);
    panic_stop();
}
