#ifndef KERNEL_UIO_H
#define KERNEL_UIO_H
/*
 * The user memory one read or write moves bytes to or from: one buffer
 * (read, write) or several (readv, writev), used front to back.  A file
 * takes the whole request at once, so a writev of at most PIPE_BUF bytes
 * to a pipe is one atomic write however many buffers it names, and a
 * readv of a pipe or the terminal returns what is there instead of
 * sleeping on its second buffer.
 */
#include <arch/layout.h>
#include <stddef.h>
#include <stdint.h>

/* One buffer of a readv or writev: Linux's struct iovec. */
struct user_iovec {
    uint64_t base;
    uint64_t len;
};

struct uio {
    const struct user_iovec *iov;   /* the buffer being used, then the rest */
    int64_t count;                  /* buffers from iov on */
    size_t used;                    /* bytes of iov[0] already moved */
    size_t left;                    /* bytes left in all: the request's size, already cut to MAX_RW_COUNT */
};

#define IOV_MAX  1024           /* Linux's UIO_MAXIOV: buffers in one readv, writev, sendmsg or recvmsg */
/*
 * The most one read or write moves (Linux's MAX_RW_COUNT, INT_MAX rounded
 * down to a page): a larger count is cut to it, so byte counts fit an int
 * and no file offset or buffer end overflows on the way.
 */
#define MAX_RW_COUNT ((size_t)INT32_MAX & ~(size_t)(PAGE_SIZE - 1))

/* A request's size cut to MAX_RW_COUNT. */
size_t uio_capped(uint64_t total);

/*
 * The count iovecs at uiov, copied in (*out, to kfree) with their total
 * (*total), checked as Linux and POSIX say: -EINVAL for a bad count, a
 * length or a total past what a ssize_t holds; -EFAULT, -ENOMEM.
 */
long uio_copy_iovecs(uint64_t uiov, int64_t count, struct user_iovec **out, uint64_t *total);

/* u over count buffers iov (which must outlive u), left bytes of them in all. */
void uio_init(struct uio *u, const struct user_iovec *iov, int64_t count, size_t left);

/*
 * Copy up to n bytes from kernel memory to the user buffers (uio_copy_out)
 * or back (uio_copy_in), a user page at a time, stopping short at a page
 * that cannot be touched.  The bytes copied; u moves past them.
 */
size_t uio_copy_out(struct uio *u, const void *src, size_t n);
size_t uio_copy_in(struct uio *u, void *dst, size_t n);

#endif
