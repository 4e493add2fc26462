/*
 * Waiting on several files at once: poll, ppoll, select, pselect6
 * (kernel/poll.c).  A pollable object (a pipe, the terminal) has a
 * poll_head, a list of the poll calls watching it, under the object's own
 * lock.  Its file's poll operation reports what is ready now and, given a
 * poll_table, puts the calling poll on that list (poll_watch); whenever
 * the object's state may have changed, it calls poll_notify under the
 * same lock, which wakes every poll watching it.  A poll sleeps once on
 * its own wait queue whatever the number of files: no polling loop.
 */
#ifndef KERNEL_POLL_H
#define KERNEL_POLL_H

#include <abi/poll.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>

struct poll_head {
    struct list_node watches;   /* [the object's lock] struct poll_watch */
};

static inline void poll_head_init(struct poll_head *h) { list_init(&h->watches); }

struct poll_table;

/* In a poll operation, under lock (the object's, which guards head): the calling poll watches head. */
void poll_watch(struct poll_table *pt, struct poll_head *head, struct spinlock *lock);

/* Under the lock that guards head: the object may have become ready; wake the polls watching it. */
void poll_notify(struct poll_head *head);

/* What a file without a poll operation is: always ready (regular files, directories). */
#define POLL_ALWAYS_READY (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM)

#endif
