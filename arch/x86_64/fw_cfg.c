/*
 * QEMU's firmware configuration device (fw_cfg), legacy I/O interface:
 * write a 16-bit selector to the control port, then read the item's bytes
 * one at a time from the data port.  Items named in the file directory
 * (selector 0x19) are what `-fw_cfg name=...,string=...` adds.
 * All multi-byte fields of the directory are big-endian.
 */
#include <arch/firmware.h>
#include <lib/string.h>
#include <stdint.h>
#include "x86.h"

#define FW_CFG_PORT_SELECTOR 0x510
#define FW_CFG_PORT_DATA     0x511
#define FW_CFG_SIGNATURE     0x0000
#define FW_CFG_FILE_DIR      0x0019
#define FW_CFG_NAME_MAX      56

#define CMDLINE_FILE         "opt/os/cmdline"

struct fw_cfg_file {            /* one directory entry, as the device sends it */
    uint32_t size;
    uint16_t select;
    uint16_t reserved;
    char name[FW_CFG_NAME_MAX];
};

static void fw_cfg_read(void *buf, size_t n)
{
    uint8_t *p = buf;
    for (size_t i = 0; i < n; i++)
        p[i] = inb(FW_CFG_PORT_DATA);
}

static uint32_t be32(uint32_t v) { return __builtin_bswap32(v); }
static uint16_t be16(uint16_t v) { return __builtin_bswap16(v); }

static int fw_cfg_present(void)
{
    char sig[4];
    outw(FW_CFG_PORT_SELECTOR, FW_CFG_SIGNATURE);
    fw_cfg_read(sig, sizeof sig);
    return memcmp(sig, "QEMU", sizeof sig) == 0;
}

int firmware_extra_cmdline(char *buf, size_t size)
{
    if (size == 0 || !fw_cfg_present())
        return -1;
    uint32_t count;
    outw(FW_CFG_PORT_SELECTOR, FW_CFG_FILE_DIR);
    fw_cfg_read(&count, sizeof count);
    count = be32(count);
    for (uint32_t i = 0; i < count; i++) {
        struct fw_cfg_file f;
        fw_cfg_read(&f, sizeof f);
        if (strncmp(f.name, CMDLINE_FILE, FW_CFG_NAME_MAX) != 0)
            continue;
        uint32_t len = be32(f.size);
        if (len >= size)
            len = (uint32_t)size - 1;
        outw(FW_CFG_PORT_SELECTOR, be16(f.select));
        fw_cfg_read(buf, len);
        buf[len] = '\0';
        return (int)len;
    }
    return -1;
}
