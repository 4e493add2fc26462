/*
 * kmain: the order in which the kernel comes up.  boot.S calls it in long
 * mode, on the boot stack, with the boot page tables and interrupts off.
 */
#include <arch/console.h>
#include <arch/context.h>
#include <arch/cpu.h>
#include <arch/firmware.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <arch/trap.h>
#include <kernel/boot.h>
#include <kernel/cmdline.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/procfs.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <lib/string.h>

#define OS_NAME "os"

static uint64_t ram_end(void)
{
    uint64_t end = 0;
    for (int i = 0; i < boot_info.region_count; i++)
        if (boot_info.regions[i].type == BOOT_REGION_RAM && boot_info.regions[i].end > end)
            end = boot_info.regions[i].end;
    return end;
}

static void read_command_line(void)
{
    static char extra[CMDLINE_MAX];
    if (!cmdline_parse(boot_info.cmdline))
        kprintf("cmdline: the boot loader's command line is too long; truncated\n");
    if (firmware_extra_cmdline(extra, sizeof extra) >= 0 && !cmdline_parse(extra))
        kprintf("cmdline: the emulator's command line is too long; truncated\n");
    cmdline_print();
}

static void memory_init(void)
{
    pmm_init_low();
    mmu_init(ram_end());
    pmm_init_high();
    struct pmm_stats s;
    pmm_get_stats(&s);
    kprintf("memory: %lu MiB of RAM, %lu pages free, %lu reserved\n",
            s.ram_bytes >> 20, s.free_pages, s.reserved_pages);
}

/*
 * PCIDs on unless the option nopcid says no (or the CPU has none), tags
 * 1..PCID_TAG_MAX; pcid_max=N hands out 1..N only, so that generations roll
 * over in tests.  A bad N is refused with a message, and the full range used.
 */
static void pcid_init(void)
{
    unsigned long max = PCID_TAG_MAX;
    int err = cmdline_get_number("pcid_max", &max);
    if (err == -EINVAL || (err == 0 && !pcid_max_valid(max))) {
        kprintf("mmu: pcid_max=%s refused: not a number from %u to %u\n",
                cmdline_get("pcid_max"), PCID_TAG_MAX_MIN, PCID_TAG_MAX);
        max = PCID_TAG_MAX;
    }
    mmu_pcid_init(cmdline_get("nopcid") == NULL, (unsigned)max);
    if (mmu_pcid_enabled())
        kprintf("mmu: PCID on, tags 1-%lu\n", max);
    else
        kprintf("mmu: PCID %s\n", cpu_features.pcid ? "off (nopcid)" : "off (the CPU has none)");
}

/*
 * The other CPUs: as many as the firmware lists, up to CPU_MAX, or fewer
 * with cpus=N (1 to CPU_MAX; another value is refused with a boot message).
 */
static void cpus_init(void)
{
    unsigned long max = CPU_MAX;
    int err = cmdline_get_number("cpus", &max);
    if (err == -EINVAL || (err == 0 && (max < 1 || max > CPU_MAX))) {
        kprintf("smp: cpus=%s refused: not a number from 1 to %u\n", cmdline_get("cpus"), CPU_MAX);
        max = CPU_MAX;
    }
    smp_init((unsigned)max);
}

#define INITRD_MODULE "initrd"

/* The programs: the initrd module GRUB loaded, unpacked into /bin. */
static void files_init(void)
{
    fs_init();
    device_init();
    procfs_init();
    for (int i = 0; i < boot_info.module_count; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        if (strcmp(m->name, INITRD_MODULE) == 0) {
            int n = initrd_load(phys_to_virt(m->start), phys_to_virt(m->end));
            kprintf("initrd: %d files\n", n);
            return;
        }
    }
    kprintf("initrd: no module named '%s'; no programs\n", INITRD_MODULE);
}

void kmain(uint64_t multiboot_info)
{
    cpu_boot_init();
    console_init();
    kprintf("\n" OS_NAME ": x86_64 kernel booting\n");
    cpu_detect_features();
    cpu_print_features();
    multiboot_parse(multiboot_info);
    read_command_line();
    boot_info_print();
    trap_init();
    cpu_enable_protections();
    fpu_init();
    syscall_init();
    memory_init();
    console_start_screen();
    pcid_init();
    proc_init();
    sched_init();
    time_init();
    cpus_init();
    tlb_init();
    sched_start_cpus();
    files_init();
    tty_init();
    irq_enable();
    kprintf(OS_NAME ": ready\n");

    const char *test = cmdline_get("test");
    if (test)
        ktest_main(test);
    proc_start_init();
    sched_run_idle();
}
