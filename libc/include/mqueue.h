/* POSIX message queues: Linux's system calls (kernel/mqueue.c).  A queue's descriptor is an mqd_t. */
#ifndef _MQUEUE_H
#define _MQUEUE_H

#include <bits/types.h>
#include <fcntl.h>
#include <time.h>

typedef int mqd_t;

struct mq_attr {
    long mq_flags;              /* O_NONBLOCK, or 0 */
    long mq_maxmsg;             /* messages it holds at most */
    long mq_msgsize;            /* bytes a message holds at most */
    long mq_curmsgs;            /* messages queued now */
    long __reserved[4];
};

/* name starts with '/' (EINVAL otherwise); with O_CREAT, two more arguments: mode_t mode, struct mq_attr *. */
mqd_t mq_open(const char *name, int flags, ...);
int mq_close(mqd_t mqd);
int mq_unlink(const char *name);
int mq_send(mqd_t mqd, const char *msg, size_t len, unsigned prio);
int mq_timedsend(mqd_t mqd, const char *msg, size_t len, unsigned prio, const struct timespec *deadline);
ssize_t mq_receive(mqd_t mqd, char *msg, size_t len, unsigned *prio);
ssize_t mq_timedreceive(mqd_t mqd, char *msg, size_t len, unsigned *prio, const struct timespec *deadline);
int mq_getattr(mqd_t mqd, struct mq_attr *attr);
int mq_setattr(mqd_t mqd, const struct mq_attr *attr, struct mq_attr *old);

#endif
