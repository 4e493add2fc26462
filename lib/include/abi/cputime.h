/*
 * CPU time as the system calls report it (Linux's): times()'s struct tms
 * and its clock ticks, and the encoding of the CPU-time clocks of other
 * processes and threads.  Shared by the kernel (kernel/cputime.c) and libc.
 */
#ifndef ABI_CPUTIME_H
#define ABI_CPUTIME_H

#include <stdint.h>

/* times(): struct tms, in clock ticks of USER_HZ a second (sysconf(_SC_CLK_TCK), Linux's 100). */
#define USER_HZ 100
struct abi_tms { int64_t utime, stime, cutime, cstime; };

/*
 * The CPU-time clock of another process or thread, as clock_getcpuclockid
 * and pthread_getcpuclockid make it (Linux's encoding): a negative id,
 * ~pid << 3 | what, with CPUCLOCK_PERTHREAD for a thread's (tid).
 */
#define CPUCLOCK_PROF           0   /* user + system time */
#define CPUCLOCK_VIRT           1   /* user time */
#define CPUCLOCK_SCHED          2   /* runtime, precise: what clock_getcpuclockid makes */
#define CPUCLOCK_WHAT_MASK      3
#define CPUCLOCK_PERTHREAD      4
#define CPUCLOCK_SHIFT          3
#define CPUCLOCK_MAKE(id, what) ((int32_t)((~(uint32_t)(id) << CPUCLOCK_SHIFT) | (uint32_t)(what)))
#define CPUCLOCK_ID(clock)      (~((int32_t)(clock) >> CPUCLOCK_SHIFT))

#endif
