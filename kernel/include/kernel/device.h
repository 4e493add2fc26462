/*
 * Character devices, as the nodes of /dev (kernel/device.c): null, zero,
 * full, random, urandom, tty and console, with Linux's device numbers
 * (stat's st_rdev).  A device node is an inode of type INODE_CHARDEV that
 * points at its struct device; opening it gives a file with the device's
 * operations (the terminal's for tty and console).
 */
#ifndef KERNEL_DEVICE_H
#define KERNEL_DEVICE_H

#include <stddef.h>
#include <stdint.h>

struct file;
struct file_ops;
struct inode;

struct device {
    const char *name;           /* its node: /dev/NAME */
    unsigned major, minor;      /* Linux's numbers */
    const struct file_ops *ops; /* NULL: the terminal */
};

/* Make the nodes of /dev (at boot, after fs_init). */
void device_init(void);

/* A new file for device node in (flags: the open's), or NULL (ENFILE). */
struct file *device_open(struct inode *in, int flags);

/* The device's number as stat gives it (Linux's makedev). */
uint64_t device_number(const struct device *dev);

/*
 * n pseudo-random bytes into buf: splitmix64 over a counter every call
 * advances, mixed with the TSC.  Unpredictable enough for mktemp names
 * and hash seeds; not for cryptography (no entropy pool).
 */
void random_bytes(void *buf, size_t n);

/* splitmix64's finalizer: every bit of z stirred into every bit of the result (a bijection). */
uint64_t random_mix(uint64_t z);

#endif
