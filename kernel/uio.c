/*
 * Moving bytes between the kernel and a read's or write's user buffers
 * (uio.h).  A bad page ends the copy where it starts: what came before it
 * counts, as on Linux (the partial copies of vm.c stop there).
 */
#include <stdbool.h>
#include <kernel/errno.h>
#include <kernel/heap.h>
#include <kernel/uio.h>
#include <kernel/vm.h>

#define SSIZE_MAX_BYTES ((uint64_t)INT64_MAX)  /* what a ssize_t holds: readv's total must fit */

void uio_init(struct uio *u, const struct user_iovec *iov, int64_t count, size_t left)
{
    *u = (struct uio){ .iov = iov, .count = count, .used = 0, .left = left };
}

/* The next piece of user memory: at most want bytes, within one buffer; 0 when none is left. */
static size_t next_piece(struct uio *u, size_t want, uint64_t *at)
{
    while (u->count > 0 && u->used == u->iov->len) {
        u->iov++;               /* this buffer is done (or empty): the next */
        u->count--;
        u->used = 0;
    }
    if (u->count == 0 || u->left == 0)
        return 0;
    *at = u->iov->base + u->used;
    size_t piece = u->iov->len - u->used;
    if (piece > u->left)
        piece = u->left;
    return piece < want ? piece : want;
}

/* Copy up to n bytes between kbuf and the user buffers, either way. */
static size_t copy(struct uio *u, void *kbuf, size_t n, bool to_user)
{
    size_t done = 0;
    uint64_t at;
    for (size_t piece; (piece = next_piece(u, n - done, &at)) != 0;) {
        char *k = (char *)kbuf + done;
        size_t got = to_user ? copy_to_user_partial(at, k, piece) : copy_from_user_partial(k, at, piece);
        u->used += got;
        u->left -= got;
        done += got;
        if (got < piece)
            break;              /* a page that cannot be reached */
    }
    return done;
}

size_t uio_copy_out(struct uio *u, const void *src, size_t n) { return copy(u, (void *)src, n, true); }
size_t uio_copy_in(struct uio *u, void *dst, size_t n)        { return copy(u, dst, n, false); }

/*
 * The count iovecs at uiov, copied in (*out, to kfree) with their total
 * (*total), checked as Linux and POSIX say: -EINVAL for a bad count, a
 * length or a total past what a ssize_t holds; -EFAULT, -ENOMEM.
 */
long uio_copy_iovecs(uint64_t uiov, int64_t count, struct user_iovec **out, uint64_t *total)
{
    if (count < 0 || count > IOV_MAX)
        return -EINVAL;
    size_t bytes = (size_t)count * sizeof(struct user_iovec);
    struct user_iovec *v = kmalloc(bytes ? bytes : 1);
    if (!v)
        return -ENOMEM;
    long err = copy_from_user(v, uiov, bytes) ? -EFAULT : 0;
    *total = 0;
    for (int64_t i = 0; i < count && !err; i++) {
        if (v[i].len > SSIZE_MAX_BYTES - *total)
            err = -EINVAL;      /* this length, or the sum so far, overflows ssize_t */
        else
            *total += v[i].len;
    }
    if (err)
        kfree(v);
    else
        *out = v;
    return err;
}

size_t uio_capped(uint64_t total)
{
    return total < MAX_RW_COUNT ? total : MAX_RW_COUNT;
}
