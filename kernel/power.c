/* Power-off: flush what the console holds, say so, and end the machine. */
#include <arch/power.h>
#include <kernel/power.h>
#include <kernel/printk.h>

void machine_poweroff(int status)
{
    kprintf("power off (status %d)\n", status);
    arch_poweroff(status);
}
