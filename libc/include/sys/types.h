/* POSIX system types (see bits/types.h for their definitions). */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H
#include <bits/types.h>
#endif
