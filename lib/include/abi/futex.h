/*
 * futex() operations and their modifier flags: Linux's values (design
 * contract 6), shared by the kernel and libc (locks, pthread_join).
 */
#ifndef ABI_FUTEX_H
#define ABI_FUTEX_H

#define FUTEX_WAIT            0     /* sleep while *uaddr == val */
#define FUTEX_WAKE            1     /* wake up to val sleepers on uaddr */
#define FUTEX_FD              2     /* (removed from Linux) */
#define FUTEX_REQUEUE         3     /* wake val, move the rest to uaddr2 */
#define FUTEX_CMP_REQUEUE     4     /* FUTEX_REQUEUE if *uaddr == val3 */
#define FUTEX_WAKE_OP         5     /* change *uaddr2 and wake on both */
#define FUTEX_LOCK_PI         6     /* priority-inheritance lock */
#define FUTEX_UNLOCK_PI       7     /* priority-inheritance unlock */
#define FUTEX_TRYLOCK_PI      8     /* priority-inheritance trylock */
#define FUTEX_WAIT_BITSET     9     /* FUTEX_WAIT with a bitset and an absolute timeout */
#define FUTEX_WAKE_BITSET     10    /* FUTEX_WAKE of the sleepers whose bitset matches */

#define FUTEX_PRIVATE_FLAG    128   /* modifier: the futex is not shared between processes */
#define FUTEX_CLOCK_REALTIME  256   /* modifier: the timeout is on CLOCK_REALTIME */
#define FUTEX_CMD_MASK        (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))  /* the operation */

#define FUTEX_WAIT_PRIVATE    (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)     /* the common ... */
#define FUTEX_WAKE_PRIVATE    (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)     /* ... process-private forms */

#define FUTEX_BITSET_MATCH_ANY 0xffffffff   /* the bitset that matches every sleeper */

#endif
