/* What the machine's firmware or emulator can tell the kernel. */
#ifndef ARCH_FIRMWARE_H
#define ARCH_FIRMWARE_H

#include <stddef.h>

/*
 * Extra command-line options handed over by the emulator (QEMU's fw_cfg
 * file "opt/os/cmdline"), so one ISO serves every boot: the run scripts
 * pass init= and test= this way.  Writes a NUL-terminated string into buf
 * and returns its length, or -1 when there is none.
 */
int firmware_extra_cmdline(char *buf, size_t size);

#endif
