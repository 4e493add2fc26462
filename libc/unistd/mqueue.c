/* POSIX message queues: the system calls (kernel/mqueue.c); the kernel takes names without the '/'. */
#include <errno.h>
#include <mqueue.h>
#include <stdarg.h>
#include <unistd.h>
#include "../internal/syscall.h"

/* The kernel's name: name less its leading '/', or NULL (EINVAL) if it has none. */
static const char *kernel_name(const char *name)
{
    if (name[0] != '/') {
        errno = EINVAL;
        return NULL;
    }
    return name + 1;
}

mqd_t mq_open(const char *name, int flags, ...)
{
    const char *k = kernel_name(name);
    unsigned mode = 0;
    struct mq_attr *attr = NULL;
    if (!k)
        return -1;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, unsigned);
        attr = va_arg(ap, struct mq_attr *);
        va_end(ap);
    }
    return (mqd_t)SYSCALL4(SYS_mq_open, k, flags, mode, attr);
}

int mq_close(mqd_t mqd)
{
    return close(mqd);
}

int mq_unlink(const char *name)
{
    const char *k = kernel_name(name);
    return k ? (int)SYSCALL1(SYS_mq_unlink, k) : -1;
}

int mq_timedsend(mqd_t mqd, const char *msg, size_t len, unsigned prio, const struct timespec *deadline)
{
    return (int)SYSCALL5(SYS_mq_timedsend, mqd, msg, len, prio, deadline);
}

int mq_send(mqd_t mqd, const char *msg, size_t len, unsigned prio)
{
    return mq_timedsend(mqd, msg, len, prio, NULL);
}

ssize_t mq_timedreceive(mqd_t mqd, char *msg, size_t len, unsigned *prio, const struct timespec *deadline)
{
    return SYSCALL5(SYS_mq_timedreceive, mqd, msg, len, prio, deadline);
}

ssize_t mq_receive(mqd_t mqd, char *msg, size_t len, unsigned *prio)
{
    return mq_timedreceive(mqd, msg, len, prio, NULL);
}

int mq_getattr(mqd_t mqd, struct mq_attr *attr)
{
    return (int)SYSCALL3(SYS_mq_getsetattr, mqd, NULL, attr);
}

int mq_setattr(mqd_t mqd, const struct mq_attr *attr, struct mq_attr *old)
{
    return (int)SYSCALL3(SYS_mq_getsetattr, mqd, attr, old);
}
