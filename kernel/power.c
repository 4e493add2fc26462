/* Power-off: flush what the console holds, say so, and end the machine. */
#include <arch/console.h>
#include <arch/power.h>
#include <kernel/power.h>
#include <kernel/printk.h>

void machine_poweroff(int status)
{
    kprintf("power off (status %d)\n", status);
    console_flush();            /* Bochs loses the last bytes otherwise */
    arch_poweroff(status);
}
