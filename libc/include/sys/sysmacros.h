/* Device numbers as Linux encodes them (stat's st_dev and st_rdev). */
#ifndef _SYS_SYSMACROS_H
#define _SYS_SYSMACROS_H

#include <abi/devnum.h>

#define major(dev)      DEV_MAJOR(dev)
#define minor(dev)      DEV_MINOR(dev)
#define makedev(ma, mi) DEV_MAKE(ma, mi)

#endif
