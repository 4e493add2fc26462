/* Ending the machine: power-off with a status the host can read. */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

/*
 * Statuses the test runner and `make run INIT=...` read back.  Under QEMU
 * with isa-debug-exit, QEMU's exit code is status * 2 + 1, so a status must
 * stay below 128; tools/run-qemu.sh decodes it.
 */
#define POWEROFF_STATUS_OK      0
#define POWEROFF_STATUS_PANIC   127

__attribute__((noreturn)) void machine_poweroff(int status);

#endif
