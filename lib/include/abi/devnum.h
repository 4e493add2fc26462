/*
 * Device numbers as Linux encodes them in stat's st_dev and st_rdev: the
 * minor's low byte, the major's low 12 bits, the minor's upper bits, the
 * major's upper bits.  Shared by the kernel (kernel/device.c) and libc's
 * <sys/sysmacros.h>.
 */
#ifndef ABI_DEVNUM_H
#define ABI_DEVNUM_H

#define DEV_MAJOR(dev)  ((unsigned int)((((dev) >> 32) & 0xfffff000u) | (((dev) >> 8) & 0xfffu)))
#define DEV_MINOR(dev)  ((unsigned int)((((dev) >> 12) & 0xffffff00u) | ((dev) & 0xffu)))
#define DEV_MAKE(ma, mi) \
    ((((unsigned long long)(ma) & 0xfffff000ull) << 32) | (((unsigned long long)(ma) & 0xfffull) << 8) | \
     (((unsigned long long)(mi) & 0xffffff00ull) << 12) | ((unsigned long long)(mi) & 0xffull))

#endif
