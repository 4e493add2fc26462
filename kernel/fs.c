/*
 * The in-memory file system: path resolution, creation and removal,
 * file contents, and inode lifetimes.  See kernel/include/kernel/fs.h.
 */
#include <abi/unistd.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/vm.h>
#include <lib/string.h>

#define MIN_CAPACITY 256        /* a file's first allocation; it doubles from there */

static struct spinlock fs_lock = SPINLOCK_INIT("fs", LOCK_RANK_FS);
static struct inode root = { .type = INODE_DIR, .ino = 1, .name = "", .linked = true, .refs = 1 };
static uint64_t next_ino = 2;           /* [fs_lock] */
static uint64_t bytes_in_use;           /* [fs_lock] charged: file capacity, inodes, names, FIFO pipes */

void fs_init(void)
{
    root.parent = &root;
    list_init(&root.children);
    list_init(&root.sibling);
    struct inode *tmp;
    if (fs_create(&root, "tmp", INODE_DIR, &tmp) == 0)
        inode_put(tmp);
}

struct inode *fs_root(void)
{
    return &root;
}

/* The entry name (len bytes) in directory dir, or NULL.  fs_lock held. */
static struct inode *find_child(struct inode *dir, const char *name, size_t len)
{
    spin_assert_held(&fs_lock);
    if (len == 1 && name[0] == '.')
        return dir;
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return dir->parent;
    list_for_each(pos, &dir->children) {
        struct inode *c = container_of(pos, struct inode, sibling);
        if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
            return c;
    }
    return NULL;
}

/*
 * Walk path from cwd (or the root, for an absolute path).  With last set,
 * stop before the final component and point *last at it.  fs_lock held.
 */
static int walk(struct inode *cwd, const char *path, struct inode **out, const char **last)
{
    spin_assert_held(&fs_lock);
    struct inode *cur = path[0] == '/' ? &root : cwd;
    const char *p = path;
    if (!*path)
        return -ENOENT;
    for (;;) {
        while (*p == '/')
            p++;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > NAME_MAX)
            return -ENAMETOOLONG;
        if (len && cur->type != INODE_DIR)
            return -ENOTDIR;
        if (last && (!end || !end[strspn(end, "/")])) {
            *last = p;
            *out = cur;
            return 0;
        }
        if (!len) {
            *out = cur;
            return 0;
        }
        struct inode *next = find_child(cur, p, len);
        if (!next)
            return -ENOENT;
        cur = next;
        p += len;
    }
}

int fs_resolve(struct inode *cwd, const char *path, struct inode **out)
{
    size_t len = strlen(path);
    spin_lock(&fs_lock);
    int err = walk(cwd, path, out, NULL);
    if (!err && len && path[len - 1] == '/' && (*out)->type != INODE_DIR)
        err = -ENOTDIR;         /* a trailing slash asks for a directory */
    if (!err)
        (*out)->refs++;         /* the caller's: an unlink on another CPU cannot free it under the caller */
    spin_unlock(&fs_lock);
    return err;
}

int fs_resolve_parent(struct inode *cwd, const char *path, struct inode **dir, char name[NAME_MAX + 1])
{
    const char *last;
    spin_lock(&fs_lock);
    int err = walk(cwd, path, dir, &last);
    if (!err) {
        size_t len = strcspn(last, "/");
        if (len == 0 || (*dir)->type != INODE_DIR)
            err = len == 0 ? -EINVAL : -ENOTDIR;    /* "/" itself has no parent entry */
        memcpy(name, last, len);
        name[len] = '\0';
    }
    if (!err)
        (*dir)->refs++;         /* the caller's, as fs_resolve's */
    spin_unlock(&fs_lock);
    return err;
}

/* What an inode named name costs the file system's limit: the inode and its name. */
static uint64_t inode_charge(const char *name)
{
    return sizeof(struct inode) + strlen(name) + 1;
}

/* Charge bytes if they fit under FS_BYTES_MAX.  fs_lock held. */
static bool charge_locked(uint64_t bytes)
{
    spin_assert_held(&fs_lock);
    if (bytes > FS_BYTES_MAX - bytes_in_use)
        return false;
    bytes_in_use += bytes;
    return true;
}

/*
 * A new inode linked into dir, with one reference for the link; it holds
 * one on dir.  NULL when the file system is full or memory is out.
 * fs_lock held.
 */
static struct inode *new_inode(struct inode *dir, const char *name, enum inode_type type)
{
    spin_assert_held(&fs_lock);
    if (!charge_locked(inode_charge(name)))
        return NULL;
    struct inode *n = kzalloc(sizeof *n);
    size_t len = strlen(name);
    char *copy = kmalloc(len + 1);
    if (!n || !copy) {
        bytes_in_use -= inode_charge(name);
        kfree(n);
        kfree(copy);
        return NULL;
    }
    memcpy(copy, name, len + 1);
    n->type = type;
    n->ino = next_ino++;
    n->name = copy;
    n->parent = dir;
    dir->refs++;
    n->linked = true;
    n->refs = 1;
    n->mtime_ns = clock_monotonic_ns();
    list_init(&n->children);
    list_push_back(&dir->children, &n->sibling);
    return n;
}

int fs_create(struct inode *dir, const char *name, enum inode_type type, struct inode **out)
{
    size_t len = strlen(name);
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return -EEXIST;
    spin_lock(&fs_lock);
    int err = 0;
    if (find_child(dir, name, len))
        err = -EEXIST;
    else if (dir->readonly || !dir->linked)
        err = dir->linked ? -EACCES : -ENOENT;  /* Linux: nothing is made in a removed directory */
    else if (!(*out = new_inode(dir, name, type)))
        err = -ENOSPC;
    else
        (*out)->refs++;         /* the caller's reference */
    spin_unlock(&fs_lock);
    return err;
}

/* Free in, which nothing holds; its parent, which it held, is returned.  fs_lock held. */
static struct inode *free_inode(struct inode *in)
{
    spin_assert_held(&fs_lock);
    KASSERT(!in->linked && list_empty(&in->children) && !in->fifo);
    struct inode *parent = in->parent;
    bytes_in_use -= in->capacity + inode_charge(in->name);
    if (in->capacity)
        kfree(in->data);
    kfree(in->name);
    kfree(in);
    return parent;
}

/* Drop a reference; free the inode when nothing holds it, and so on up its parents.  fs_lock held. */
static void put_locked(struct inode *in)
{
    spin_assert_held(&fs_lock);
    while (in) {
        KASSERT(in->refs > 0);
        if (--in->refs || in == &root)
            return;
        in = free_inode(in);
    }
}

int fs_remove(struct inode *dir, const char *name, bool want_dir)
{
    spin_lock(&fs_lock);
    struct inode *in = find_child(dir, name, strlen(name));
    int err = 0;
    if (!in)
        err = -ENOENT;
    else if (in == dir)
        err = -EINVAL;          /* "." */
    else if (in == dir->parent)
        err = -ENOTEMPTY;       /* "..": as Linux answers */
    else if (want_dir && in->type != INODE_DIR)
        err = -ENOTDIR;
    else if (!want_dir && in->type == INODE_DIR)
        err = -EISDIR;
    else if (want_dir && !list_empty(&in->children))
        err = -ENOTEMPTY;
    else if (dir->readonly || in->readonly)
        err = -EACCES;
    if (!err) {
        list_remove(&in->sibling);
        in->linked = false;
        put_locked(in);
    }
    spin_unlock(&fs_lock);
    return err;
}

long fs_read(struct inode *in, uint64_t *pos, struct uio *u)
{
    spin_lock(&fs_lock);
    uint64_t off = *pos;
    long r = 0;
    if (off < in->size && u->left > 0) {
        size_t n = u->left < in->size - off ? u->left : in->size - off;
        size_t copied = uio_copy_out(u, in->data + off, n);
        r = copied ? (long)copied : -EFAULT;
    }
    if (r > 0)
        *pos = off + (uint64_t)r;
    spin_unlock(&fs_lock);
    return r;
}

/*
 * Make room for size bytes (at most FS_BYTES_MAX, so nothing below
 * overflows), doubling the capacity: appends cost O(1) a byte.  0 or
 * -ENOSPC.  fs_lock held.
 */
static int reserve(struct inode *in, uint64_t size)
{
    spin_assert_held(&fs_lock);
    if (size <= in->capacity)
        return 0;
    if (size > FS_BYTES_MAX)
        return -ENOSPC;
    uint64_t cap = in->capacity ? in->capacity : MIN_CAPACITY;
    while (cap < size)
        cap *= 2;
    if (!charge_locked(cap - in->capacity))
        return -ENOSPC;
    uint8_t *data = kzalloc(cap);
    if (!data) {
        bytes_in_use -= cap - in->capacity;
        return -ENOSPC;
    }
    memcpy(data, in->data, in->size);
    if (in->capacity)
        kfree(in->data);
    in->data = data;
    in->capacity = cap;
    return 0;
}

/* Grow in for want bytes at pos if it can; how many of them fit now (0: none). fs_lock held. */
static size_t room_at(struct inode *in, uint64_t pos, size_t want)
{
    spin_assert_held(&fs_lock);
    reserve(in, pos + want);    /* if it fails, what capacity there is still takes a short write */
    if (in->capacity <= pos)
        return 0;
    return in->capacity - pos < want ? in->capacity - pos : want;
}

/* The most one step of a write copies: growing the file a page at a time stops at the space limit. */
#define WRITE_STEP PAGE_SIZE

/* Copy u's bytes to in at off; a bad user page or the space limit ends it short.  fs_lock held. */
static long write_locked(struct inode *in, uint64_t off, struct uio *u)
{
    spin_assert_held(&fs_lock);
    size_t done = 0;
    int err = reserve(in, off);
    if (!err && off > in->size)
        memset(in->data + in->size, 0, off - in->size);        /* the hole reads as zeros */
    while (!err && u->left > 0) {
        size_t step = room_at(in, off + done, u->left < WRITE_STEP ? u->left : WRITE_STEP);
        size_t copied = step ? uio_copy_in(u, in->data + off + done, step) : 0;
        if (step == 0)
            err = -ENOSPC;
        else if (copied == 0)
            err = -EFAULT;
        done += copied;
        if (off + done > in->size)
            in->size = off + done;
        if (copied < step)
            break;
    }
    if (done)
        in->mtime_ns = clock_monotonic_ns();
    return done ? (long)done : err;
}

long fs_write(struct inode *in, uint64_t *pos, bool append, struct uio *u)
{
    size_t n = u->left;
    if (n == 0)
        return 0;
    spin_lock(&fs_lock);
    uint64_t off = append ? in->size : *pos;
    long r = in->readonly ? -EACCES :
             off > FILE_SIZE_MAX || n > FILE_SIZE_MAX - off ? -EFBIG : write_locked(in, off, u);
    if (append)
        *pos = off;             /* as Linux: an append moves the offset to the end even if it fails */
    if (r > 0)
        *pos = off + (uint64_t)r;
    spin_unlock(&fs_lock);
    return r;
}

long fs_seek(struct inode *in, uint64_t *pos, int64_t off, int whence)
{
    spin_lock(&fs_lock);
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)*pos :
                   whence == SEEK_END ? (int64_t)in->size : -1;
    int64_t to;
    long r = base < 0 || __builtin_add_overflow(base, off, &to) || to < 0 ||
             (uint64_t)to > FILE_SIZE_MAX ? -EINVAL : to;
    if (r >= 0)
        *pos = (uint64_t)to;
    spin_unlock(&fs_lock);
    return r;
}

/* linux_dirent64, as getdents64 returns it; the name follows, NUL-terminated, padded to 8 bytes. */
struct dirent64_header {
    uint64_t ino;
    int64_t off;
    uint16_t reclen;
    uint8_t type;
} __attribute__((packed));

#define DT_FIFO             1   /* the d_type values of Linux's dirent.h */
#define DT_DIR              4
#define DT_SOCK             12
#define DT_REG              8
#define DIRENT_ALIGN        8

/* Write the record of c, the index-th entry, to user memory at ubuf if it fits in room: its size, 0, or -EFAULT. */
static long put_dirent(const struct inode *c, uint64_t index, uint64_t ubuf, size_t room)
{
    size_t name_len = strlen(c->name) + 1;
    size_t reclen = (sizeof(struct dirent64_header) + name_len + DIRENT_ALIGN - 1) & ~(size_t)(DIRENT_ALIGN - 1);
    if (reclen > room)
        return 0;
    struct dirent64_header h = { c->ino, (int64_t)index, (uint16_t)reclen,
                                 c->type == INODE_DIR ? DT_DIR : c->type == INODE_FIFO ? DT_FIFO :
                                 c->type == INODE_SOCKET ? DT_SOCK : DT_REG };
    char record[sizeof h + NAME_MAX + 1 + DIRENT_ALIGN] = { 0 };
    memcpy(record, &h, sizeof h);
    memcpy(record + sizeof h, c->name, name_len);
    return copy_to_user(ubuf, record, reclen) ? -EFAULT : (long)reclen;
}

long fs_read_dir(struct inode *dir, uint64_t *pos, uint64_t ubuf, size_t n)
{
    size_t used = 0;
    uint64_t index = 0;
    long r = 0;
    spin_lock(&fs_lock);                /* the entries do not change under the walk */
    list_for_each(p, &dir->children) {
        if (index++ < *pos)
            continue;
        r = put_dirent(container_of(p, struct inode, sibling), index, ubuf + used, n - used);
        if (r <= 0)
            break;
        used += (size_t)r;
        *pos = index;
    }
    spin_unlock(&fs_lock);
    if (used)
        return (long)used;
    return r < 0 ? r : index > *pos ? -EINVAL : 0;  /* -EINVAL: the buffer cannot hold one entry */
}

int fs_truncate(struct inode *in)
{
    spin_lock(&fs_lock);
    int err = in->readonly ? -EACCES : 0;
    if (!err) {
        in->size = 0;
        in->mtime_ns = clock_monotonic_ns();
    }
    spin_unlock(&fs_lock);
    return err;
}

int fs_charge(uint64_t bytes)
{
    spin_lock(&fs_lock);
    bool ok = charge_locked(bytes);
    spin_unlock(&fs_lock);
    return ok ? 0 : -ENOSPC;
}

void fs_uncharge(uint64_t bytes)
{
    spin_lock(&fs_lock);
    KASSERT(bytes <= bytes_in_use);
    bytes_in_use -= bytes;
    spin_unlock(&fs_lock);
}

void inode_get(struct inode *in)
{
    spin_lock(&fs_lock);
    in->refs++;
    spin_unlock(&fs_lock);
}

struct inode *inode_get_from(struct inode *const *slot)
{
    spin_lock(&fs_lock);
    struct inode *in = *slot;
    in->refs++;
    spin_unlock(&fs_lock);
    return in;
}

void inode_swap_into(struct inode **slot, struct inode *in)
{
    spin_lock(&fs_lock);
    struct inode *old = *slot;
    *slot = in;
    put_locked(old);
    spin_unlock(&fs_lock);
}

void inode_put(struct inode *in)
{
    spin_lock(&fs_lock);
    put_locked(in);
    spin_unlock(&fs_lock);
}

/* Write dir's path into the end of buf; returns where it starts, or NULL if it does not fit. */
static char *path_backwards(struct inode *dir, char *buf, size_t size)
{
    char *p = buf + size - 1;
    *p = '\0';
    for (struct inode *in = dir; in != &root; in = in->parent) {
        size_t len = strlen(in->name);
        if ((size_t)(p - buf) < len + 1)
            return NULL;
        p -= len;
        memcpy(p, in->name, len);
        *--p = '/';
    }
    if (p == buf + size - 1) {
        if (p == buf)
            return NULL;
        *--p = '/';
    }
    return p;
}

long fs_path_of(struct inode *dir, char *buf, size_t size)
{
    if (size == 0)
        return -ERANGE;
    spin_lock(&fs_lock);
    char *p = dir->linked ? path_backwards(dir, buf, size) : NULL;
    long len = p ? (long)strlen(p) : -ERANGE;
    if (p)
        memmove(buf, p, (size_t)len + 1);
    spin_unlock(&fs_lock);
    return dir->linked ? len : -ENOENT;
}

/* ---- building /bin from the initrd ---- */

/* The directory for path's parent, created as needed; the last component goes to name. */
static struct inode *make_parents(const char *path, char *name)
{
    struct inode *dir = &root;
    const char *p = path;
    for (;;) {
        while (*p == '/')
            p++;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0 || len > NAME_MAX)
            return NULL;
        if (!end || !end[strspn(end, "/")]) {
            memcpy(name, p, len);
            name[len] = '\0';
            return dir;
        }
        struct inode *next = find_child(dir, p, len);
        if (!next) {
            char component[NAME_MAX + 1];
            memcpy(component, p, len);
            component[len] = '\0';
            next = new_inode(dir, component, INODE_DIR);
            if (next)
                next->readonly = true;
        }
        if (!next || next->type != INODE_DIR)
            return NULL;
        dir = next;
        p += len;
    }
}

static struct inode *add(const char *path, enum inode_type type)
{
    char name[NAME_MAX + 1];
    spin_lock(&fs_lock);
    struct inode *dir = make_parents(path, name);
    struct inode *in = dir ? find_child(dir, name, strlen(name)) : NULL;
    if (dir && !in)
        in = new_inode(dir, name, type);
    if (in && in->type != type)
        in = NULL;
    if (in)
        in->readonly = true;
    spin_unlock(&fs_lock);
    return in;
}

struct inode *fs_add_file(const char *path, const uint8_t *data, uint64_t size)
{
    struct inode *n = add(path, INODE_FILE);
    if (n) {
        n->data = (uint8_t *)data;      /* borrowed: capacity 0, never written or freed */
        n->size = size;
    }
    return n;
}

struct inode *fs_add_dir(const char *path)
{
    return add(path, INODE_DIR);
}

const char *fs_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}
