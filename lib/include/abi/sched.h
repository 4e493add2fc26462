/*
 * clone()'s flags, the "what is shared" table, and the scheduling
 * policies: Linux's values (design contract 6), shared by the kernel and
 * libc.
 */
#ifndef ABI_SCHED_H
#define ABI_SCHED_H

#define CSIGNAL              0x000000ff /* the low byte: the signal sent to the parent at exit */
#define CLONE_VM             0x00000100 /* share the address space */
#define CLONE_FS             0x00000200 /* share the working directory and umask */
#define CLONE_FILES          0x00000400 /* share the descriptor table */
#define CLONE_SIGHAND        0x00000800 /* share the signal dispositions */
#define CLONE_PIDFD          0x00001000 /* return a pidfd in parent_tid */
#define CLONE_PTRACE         0x00002000 /* trace the child too */
#define CLONE_VFORK          0x00004000 /* the parent sleeps until the child execs or exits */
#define CLONE_PARENT         0x00008000 /* the child's parent is the caller's parent */
#define CLONE_THREAD         0x00010000 /* a thread of the caller's process */
#define CLONE_NEWNS          0x00020000 /* a new mount namespace */
#define CLONE_SYSVSEM        0x00040000 /* share System V semaphore undo lists */
#define CLONE_SETTLS         0x00080000 /* set the thread pointer (FS base) to tls */
#define CLONE_PARENT_SETTID  0x00100000 /* store the child's tid at parent_tid */
#define CLONE_CHILD_CLEARTID 0x00200000 /* at exit, zero child_tid and futex-wake it */
#define CLONE_DETACHED       0x00400000 /* ignored (historical) */
#define CLONE_UNTRACED       0x00800000 /* a tracer cannot force CLONE_PTRACE */
#define CLONE_CHILD_SETTID   0x01000000 /* store the child's tid at child_tid, in the child */
#define CLONE_IO             0x80000000 /* share the I/O context */

#define SCHED_OTHER 0                   /* policy: ordinary time sharing */
#define SCHED_FIFO  1                   /* policy: real time, first in first out */
#define SCHED_RR    2                   /* policy: real time, round robin */

#endif
