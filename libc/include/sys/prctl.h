/* prctl: the options the kernel answers (PR_SET_NAME, PR_GET_NAME, PR_SET/GET_CHILD_SUBREAPER). */
#ifndef _SYS_PRCTL_H
#define _SYS_PRCTL_H

#include <abi/prctl.h>

int prctl(int option, ...);

#endif
