/*
 * The lock order: the one table of it.  Every spinlock has a rank, and a
 * thread that holds a lock takes only locks of a higher rank, never one of
 * its own rank or below.  The debug build checks every acquisition against
 * this table and panics naming both locks (kernel/spinlock.c).
 *
 * Read down the table: a line's lock may be held while taking any lock of
 * a line below it.  Why each pair nests, where it does:
 *
 *   fd_table   a descriptor table's slots: taking a reference to a file
 *              (atomic) under it; the last reference is dropped after it.
 *   tty        the terminal (kernel/tty.c): tty_read/tty_input wake
 *              readers (sched) and copy to user memory (vm); TIOCSPGRP
 *              looks the new foreground group up under it (proc_tree);
 *              ^C, ^Z and SIGWINCH signal the group only after dropping
 *              tty_lock, so the serial interrupt never waits for proc_tree.
 *   fifo       a FIFO's first open and last close (kernel/pipe.c): counts
 *              the opener's ends under the pipe's lock, charges the pipe to
 *              the file system (fs), makes or frees it (heap).
 *   fs         the file tree: /proc finds a process's working directory
 *              under it (proc_tree); new inodes come from the heap, large file
 *              contents from the kernel mapping area; reads and writes copy
 *              user memory (page allocator).
 *   pipe       a pipe's lock: wakes (sched); a write with no reader left
 *              sends SIGPIPE (proc_tree) under it; copies user memory;
 *              notifies the polls watching it (poll).
 *   socket     every Unix socket (kernel/socket.c): copies user memory,
 *              allocates messages (heap), wakes and notifies polls, sends
 *              SIGPIPE only after letting go.
 *   mqueue     every message queue and their names (kernel/mqueue.c):
 *              copies user memory, allocates, wakes, notifies polls.
 *   poll       one poll call's flag (kernel/poll.c): taken under the
 *              terminal's, a pipe's or the sockets' lock to wake the call
 *              (sched).
 *   futex      the futex table: sleeps and wakes (sched); reads the user
 *              word (page allocator).
 *   proc_tree  processes, threads, pids and signals: wakes and interrupts
 *              threads (sched); ps copies entries to user memory (vm);
 *              /proc walks a process's areas (vm) under it.
 *   proc_open  an open /proc file's text (kernel/procfs.c): copied to user
 *              memory (vm) under it; the text is made before, outside it.
 *   vm         an address space: every user copy takes it, so it nests
 *              under every lock above that copies to or from user memory;
 *              under it, pages (pmm), area nodes (heap).
 *   vm_object  one memory object's page list (kernel/vm_object.c): taken
 *              by a fault under vm and by a file's read and write under fs;
 *              makes pages (pmm) and grows its list (heap).
 *   sched      run queue, wait queues, timers: frees dead threads' stacks
 *              (kstack, kvmap) and structures (heap).
 *   kstack     the cache of kernel stacks (kernel/kstack.c): a dead thread
 *              and its stack go on it or come off it under its lock and
 *              nothing else; one it has no room for goes back to kvmap and
 *              the heap after letting go.
 *   kvmap      the kernel mapping area: its range nodes come from the heap,
 *              its pages from the page allocator.
 *   heap       slabs: whole pages from the page allocator.
 *   pmm        the page allocator: the innermost lock.
 *
 * Interrupt handlers take locks too (the tick: sched, then proc_tree for
 * SIGALRM; the serial line: tty), but only when they interrupted code
 * holding none: a held lock means interrupts are off.
 */
#ifndef KERNEL_LOCK_ORDER_H
#define KERNEL_LOCK_ORDER_H

enum lock_rank {
    LOCK_RANK_FD_TABLE = 1,
    LOCK_RANK_TTY,
    LOCK_RANK_FIFO,
    LOCK_RANK_FS,
    LOCK_RANK_PIPE,
    LOCK_RANK_SOCKET,
    LOCK_RANK_MQUEUE,
    LOCK_RANK_POLL,
    LOCK_RANK_FUTEX,
    LOCK_RANK_PROC_TREE,
    LOCK_RANK_PROC_OPEN,
    LOCK_RANK_VM,
    LOCK_RANK_VM_OBJECT,
    LOCK_RANK_SCHED,
    LOCK_RANK_KSTACK,
    LOCK_RANK_KVMAP,
    LOCK_RANK_HEAP,
    LOCK_RANK_PMM,
    LOCK_RANKS                  /* how many there are, plus one */
};

/*
 * Locks one thread can hold at once: one per rank at most, since a lock
 * of a rank never nests inside another of the same rank.
 */
#define LOCKS_HELD_MAX  (LOCK_RANKS - 1)

#endif
