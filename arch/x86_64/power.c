/*
 * Power-off.  We try, in order: QEMU's isa-debug-exit device (the run
 * scripts attach it at port 0xf4; QEMU exits with status * 2 + 1), the
 * Bochs shutdown port (0x8900, write "Shutdown"), QEMU's PIIX4 ACPI
 * power-off (PM1a control at 0x604), and if all are absent a halt.
 * Writing to a port with no device behind it does nothing on a PC.
 */
#include <arch/cpu.h>
#include <arch/power.h>
#include "x86.h"

#define DEBUG_EXIT_PORT     0xf4
#define BOCHS_SHUTDOWN_PORT 0x8900
#define QEMU_ACPI_PM1A_CNT  0x604
#define ACPI_SLP_EN_S5      0x2000      /* SLP_EN with SLP_TYP 0: S5 on QEMU's PIIX4 */

void arch_poweroff(int status)
{
    irq_disable();
    outl(DEBUG_EXIT_PORT, (uint32_t)status);
    for (const char *s = "Shutdown"; *s; s++)
        outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
    outw(QEMU_ACPI_PM1A_CNT, ACPI_SLP_EN_S5);
    cpu_halt_forever();
}
