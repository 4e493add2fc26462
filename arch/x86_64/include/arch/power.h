/* Powering the (virtual) machine off. */
#ifndef ARCH_POWER_H
#define ARCH_POWER_H

/*
 * Tell the emulator to exit with status (QEMU's isa-debug-exit, Bochs's
 * shutdown port), then ACPI power-off, then halt: whichever exists.
 */
__attribute__((noreturn)) void arch_poweroff(int status);

#endif
