/*
 * Moving bytes between the kernel and a read's or write's user buffers
 * (uio.h).  A bad page ends the copy where it starts: what came before it
 * counts, as on Linux (the partial copies of vm.c stop there).
 */
#include <stdbool.h>
#include <kernel/uio.h>
#include <kernel/vm.h>

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
