/* prctl's options that the kernel answers (Linux's numbers), and struct sysinfo's layout. */
#ifndef ABI_PRCTL_H
#define ABI_PRCTL_H

#include <stdint.h>

#define PR_SET_NAME     15      /* the calling thread's name: 15 bytes and a NUL */
#define PR_GET_NAME     16
#define PR_NAME_LEN     16
#define PR_SET_CHILD_SUBREAPER 36   /* orphans below the caller come to it, not to process 1 */
#define PR_GET_CHILD_SUBREAPER 37

/* sysinfo(2)'s struct on x86_64 (112 bytes). */
struct abi_sysinfo {
    int64_t uptime;             /* seconds since boot */
    uint64_t loads[3];          /* 1, 5 and 15 minute load averages, times 65536 */
    uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;  /* in mem_unit */
    uint16_t procs;             /* tasks (threads) */
    uint16_t pad;
    uint64_t totalhigh, freehigh;
    uint32_t mem_unit;
    char reserved[4];
};

#endif
