/*
 * The in-memory file system: path resolution, creation and removal,
 * file contents, and inode lifetimes.  See kernel/include/kernel/fs.h.
 */
#include <abi/unistd.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/vm.h>
#include <kernel/vm_object.h>
#include <lib/string.h>

static struct spinlock fs_lock = SPINLOCK_INIT("fs", LOCK_RANK_FS);
static struct inode root = { .type = INODE_DIR, .ino = 1, .nlink = 1, .refs = 1 };
static uint64_t next_ino = 2;           /* [fs_lock] */
static uint64_t bytes_in_use;           /* [fs_lock] charged: file pages, inodes, names, FIFO pipes */

void fs_init(void)
{
    root.parent = &root;
    list_init(&root.children);
    static const char *const made_at_boot[] = { "/tmp", "/dev", "/dev/shm" };
    for (size_t i = 0; i < sizeof made_at_boot / sizeof *made_at_boot; i++) {
        char name[NAME_MAX + 1];
        struct inode *dir, *made;
        if (fs_resolve_parent(&root, made_at_boot[i], &dir, name) != 0)
            continue;
        if (fs_create(dir, name, INODE_DIR, &made) == 0)
            inode_put(made);
        inode_put(dir);
    }
}

struct inode *fs_root(void)
{
    return &root;
}

/* The entry name (len bytes) of directory dir, or NULL.  fs_lock held. */
static struct dentry *find_entry(struct inode *dir, const char *name, size_t len)
{
    spin_assert_held(&fs_lock);
    list_for_each(pos, &dir->children) {
        struct dentry *d = container_of(pos, struct dentry, sibling);
        if (strlen(d->name) == len && memcmp(d->name, name, len) == 0)
            return d;
    }
    return NULL;
}

/* What name (len bytes) means in directory dir, "." and ".." included, or NULL.  fs_lock held. */
static struct inode *find_child(struct inode *dir, const char *name, size_t len)
{
    if (len == 1 && name[0] == '.')
        return dir;
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return dir->parent;
    struct dentry *d = find_entry(dir, name, len);
    return d ? d->inode : NULL;
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

/* What a name costs the file system's limit: its entry. */
static uint64_t entry_charge(const char *name)
{
    return sizeof(struct dentry) + strlen(name) + 1;
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

/* Whether a name may be added to dir: 0, -EACCES (read-only) or -ENOENT (removed, as Linux). fs_lock held. */
static int may_add_to(const struct inode *dir)
{
    return !dir->nlink ? -ENOENT : dir->readonly ? -EACCES : 0;
}

/*
 * Name in in dir: a new entry, which holds a reference on in.  NULL when
 * the file system is full or memory is out.  fs_lock held.
 */
static struct dentry *add_entry(struct inode *dir, const char *name, struct inode *in)
{
    spin_assert_held(&fs_lock);
    size_t len = strlen(name);
    if (!charge_locked(entry_charge(name)))
        return NULL;
    struct dentry *d = kmalloc(sizeof *d + len + 1);
    if (!d) {
        bytes_in_use -= entry_charge(name);
        return NULL;
    }
    memcpy(d->name, name, len + 1);
    d->inode = in;
    in->refs++;
    in->nlink++;
    list_push_back(&dir->children, &d->sibling);
    return d;
}

/* Take entry d out of its directory: its inode loses the name and the reference (put by the caller). */
static struct inode *drop_entry(struct dentry *d)
{
    spin_assert_held(&fs_lock);
    struct inode *in = d->inode;
    list_remove(&d->sibling);
    bytes_in_use -= entry_charge(d->name);
    kfree(d);
    in->nlink--;
    if (in->type == INODE_DIR)
        in->dentry = NULL;
    return in;
}

/*
 * A new inode named name in dir, with the reference of its name; a
 * directory holds one on dir.  NULL when the file system is full or
 * memory is out.  fs_lock held.
 */
static struct inode *new_inode(struct inode *dir, const char *name, enum inode_type type)
{
    spin_assert_held(&fs_lock);
    if (!charge_locked(sizeof(struct inode)))
        return NULL;
    struct inode *n = kzalloc(sizeof *n);
    struct dentry *d = n ? add_entry(dir, name, n) : NULL;
    if (!d) {
        bytes_in_use -= sizeof(struct inode);
        kfree(n);
        return NULL;
    }
    n->type = type;
    n->ino = next_ino++;
    n->mtime_ns = clock_monotonic_ns();
    list_init(&n->children);
    if (type == INODE_DIR) {
        n->dentry = d;
        n->parent = dir;
        dir->refs++;
    }
    return n;
}

int fs_create(struct inode *dir, const char *name, enum inode_type type, struct inode **out)
{
    size_t len = strlen(name);
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return -EEXIST;
    spin_lock(&fs_lock);
    int err = find_entry(dir, name, len) ? -EEXIST : may_add_to(dir);
    if (!err && !(*out = new_inode(dir, name, type)))
        err = -ENOSPC;
    if (!err)
        (*out)->refs++;         /* the caller's reference */
    spin_unlock(&fs_lock);
    return err;
}

int fs_link(struct inode *in, struct inode *dir, const char *name)
{
    size_t len = strlen(name);
    spin_lock(&fs_lock);
    int err = in->type == INODE_DIR ? -EPERM : find_child(dir, name, len) ? -EEXIST :
              !in->nlink ? -ENOENT : may_add_to(dir);
    if (!err && !add_entry(dir, name, in))
        err = -ENOSPC;
    if (!err)
        in->mtime_ns = clock_monotonic_ns();
    spin_unlock(&fs_lock);
    return err;
}

static void put_locked(struct inode *in);

static bool dot_or_dotdot(const char *name)
{
    return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* True if dir is in or below in (a directory): renaming in there would cut it off.  fs_lock held. */
static bool inside(struct inode *dir, struct inode *in)
{
    for (struct inode *d = dir;; d = d->parent) {
        if (d == in)
            return true;
        if (d == &root)
            return false;
    }
}

/* Why the entry d (of in) cannot replace target, or 0.  fs_lock held. */
static int replace_check(const struct inode *in, const struct dentry *target)
{
    const struct inode *t = target->inode;
    if (in->type == INODE_DIR && t->type != INODE_DIR)
        return -ENOTDIR;
    if (in->type != INODE_DIR && t->type == INODE_DIR)
        return -EISDIR;
    return t->type == INODE_DIR && !list_empty(&t->children) ? -ENOTEMPTY : 0;
}

int fs_rename(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname,
              bool noreplace)
{
    if (dot_or_dotdot(oldname) || dot_or_dotdot(newname))
        return -EBUSY;
    spin_lock(&fs_lock);
    struct dentry *d = find_entry(olddir, oldname, strlen(oldname));
    struct dentry *target = find_entry(newdir, newname, strlen(newname));
    struct inode *in = d ? d->inode : NULL;
    int err = !d ? -ENOENT : olddir->readonly || newdir->readonly || (in->type == INODE_DIR && in->readonly) ?
              -EACCES : !newdir->nlink ? -ENOENT :
              in->type == INODE_DIR && inside(newdir, in) ? -EINVAL :
              target && noreplace ? -EEXIST : target && target->inode != in ? replace_check(in, target) : 0;
    struct dentry *made = NULL;
    if (!err && target && target->inode == in) {
        spin_unlock(&fs_lock);
        return 0;               /* two names of one file: nothing to do (POSIX) */
    }
    if (!err && !(made = add_entry(newdir, newname, in)))
        err = -ENOSPC;
    if (!err) {
        struct inode *replaced = target ? drop_entry(target) : NULL;
        drop_entry(d);
        in->refs--;             /* the old name's reference: add_entry took one for the new name */
        if (in->type == INODE_DIR) {
            in->dentry = made;
            struct inode *old_parent = in->parent;
            in->parent = newdir;
            newdir->refs++;
            put_locked(old_parent);
        }
        if (replaced)
            put_locked(replaced);
        olddir->mtime_ns = newdir->mtime_ns = clock_monotonic_ns();
    }
    spin_unlock(&fs_lock);
    return err;
}

/* Free in, which nothing holds; a directory's parent, which it held, is returned.  fs_lock held. */
static struct inode *free_inode(struct inode *in)
{
    spin_assert_held(&fs_lock);
    KASSERT(!in->nlink && list_empty(&in->children) && !in->fifo);
    struct inode *parent = in->type == INODE_DIR ? in->parent : NULL;
    bytes_in_use -= in->charged + sizeof(struct inode);
    if (in->contents)
        vm_object_put(in->contents);    /* its pages stay while a mapping holds them */
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
    size_t len = strlen(name);
    struct dentry *d = find_entry(dir, name, len);
    struct inode *in = find_child(dir, name, len);
    int err = 0;
    if (!in)
        err = -ENOENT;
    else if (in == dir)
        err = -EINVAL;          /* "." */
    else if (in == dir->parent && !d)
        err = -ENOTEMPTY;       /* "..": as Linux answers */
    else if (want_dir && in->type != INODE_DIR)
        err = -ENOTDIR;
    else if (!want_dir && in->type == INODE_DIR)
        err = -EISDIR;
    else if (want_dir && !list_empty(&in->children))
        err = -ENOTEMPTY;
    else if (dir->readonly || (in->type == INODE_DIR && in->readonly))
        err = -EACCES;          /* a directory's names are its to keep: a link to a program elsewhere goes */
    if (!err)
        put_locked(drop_entry(d));
    spin_unlock(&fs_lock);
    return err;
}

/* ---- contents ---- */

static uint64_t pages_for(uint64_t bytes)
{
    return bytes / PAGE_SIZE + (bytes % PAGE_SIZE != 0);
}

static const uint8_t zero_page[PAGE_SIZE];      /* what a page never written reads as */

/* The bytes of in's page index to read: its page, the initrd's, or zeros.  fs_lock held. */
static const uint8_t *page_to_read(struct inode *in, uint64_t index)
{
    if (in->borrowed)
        return in->borrowed + index * PAGE_SIZE;
    uint64_t pa = in->contents ? vm_object_peek(in->contents, index) : 0;
    return pa ? phys_to_virt(pa) : zero_page;
}

long fs_read(struct inode *in, uint64_t *pos, struct uio *u)
{
    spin_lock(&fs_lock);
    uint64_t off = *pos, done = 0;
    size_t n = off < in->size ? (u->left < in->size - off ? u->left : in->size - off) : 0;
    while (done < n) {
        uint64_t at = off + done, in_page = at % PAGE_SIZE;
        size_t step = PAGE_SIZE - in_page < n - done ? PAGE_SIZE - in_page : n - done;
        size_t copied = uio_copy_out(u, page_to_read(in, at / PAGE_SIZE) + in_page, step);
        done += copied;
        if (copied < step)
            break;
    }
    long r = done ? (long)done : n ? -EFAULT : 0;
    if (r > 0)
        *pos = off + done;
    spin_unlock(&fs_lock);
    return r;
}

/*
 * Make in's contents page_count pages long, charging or giving back the
 * difference: 0, or -ENOSPC (the space limit, or memory).  fs_lock held.
 */
static int resize_contents(struct inode *in, uint64_t page_count)
{
    spin_assert_held(&fs_lock);
    if (!in->contents && !(in->contents = vm_object_create(0)))
        return -ENOSPC;
    uint64_t bytes = page_count * PAGE_SIZE;
    if (bytes > in->charged && !charge_locked(bytes - in->charged))
        return -ENOSPC;
    if (vm_object_resize(in->contents, page_count) != 0) {
        if (bytes > in->charged)
            bytes_in_use -= bytes - in->charged;
        return -ENOSPC;
    }
    if (bytes < in->charged)
        bytes_in_use -= in->charged - bytes;
    in->charged = bytes;
    return 0;
}

/* Copy u's bytes to in at off, a page at a time; a bad user page or the space limit ends it short.  fs_lock held. */
static long write_locked(struct inode *in, uint64_t off, struct uio *u)
{
    spin_assert_held(&fs_lock);
    size_t done = 0;
    int err = 0;
    while (!err && u->left > 0) {
        uint64_t at = off + done, in_page = at % PAGE_SIZE;
        size_t step = PAGE_SIZE - in_page < u->left ? PAGE_SIZE - in_page : u->left;
        if (at / PAGE_SIZE >= in->charged / PAGE_SIZE)
            err = resize_contents(in, at / PAGE_SIZE + 1);
        uint64_t pa = err ? 0 : vm_object_page(in->contents, at / PAGE_SIZE);
        if (!err && !pa)
            err = -ENOSPC;
        size_t copied = pa ? uio_copy_in(u, (uint8_t *)phys_to_virt(pa) + in_page, step) : 0;
        if (!err && copied == 0)
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

int fs_set_size(struct inode *in, uint64_t size)
{
    spin_lock(&fs_lock);
    int err = in->readonly ? -EACCES : size > FILE_SIZE_MAX ? -EFBIG : 0;
    if (!err && size < in->size && size % PAGE_SIZE) {
        /* The cut page's tail reads as zeros again, in mappings too (as Linux). */
        uint64_t pa = in->contents ? vm_object_peek(in->contents, size / PAGE_SIZE) : 0;
        if (pa)
            memset((uint8_t *)phys_to_virt(pa) + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
    }
    if (!err && (size || in->contents))
        err = resize_contents(in, pages_for(size)) ? -EFBIG : 0;
    if (!err) {
        in->size = size;
        in->mtime_ns = clock_monotonic_ns();
    }
    spin_unlock(&fs_lock);
    return err;
}

/*
 * A file's contents for mmap, made if it has none yet (an empty file).  A
 * program of the initrd gets an object of its own for each mmap instead,
 * whose pages are copied from its bytes as they are touched: the bytes
 * never change, so two such objects cannot disagree, and the pages go
 * with the mappings instead of staying with the file.
 */
struct vm_object *fs_contents(struct inode *in, int *err)
{
    if (in->type != INODE_FILE) {
        *err = -EACCES;
        return NULL;
    }
    spin_lock(&fs_lock);
    struct vm_object *obj = NULL;
    *err = 0;
    if (in->borrowed)
        obj = vm_object_of_bytes(in->borrowed, in->size);   /* the caller's reference: the only one */
    else if (in->contents || !(*err = resize_contents(in, 0)))
        vm_object_get(obj = in->contents);
    if (!obj && !*err)
        *err = -ENOMEM;
    spin_unlock(&fs_lock);
    return obj;
}

const uint8_t *fs_file_image(struct inode *in, uint64_t *size, void **copy)
{
    *copy = NULL;
    spin_lock(&fs_lock);
    const uint8_t *image = in->borrowed;        /* the initrd's bytes never change */
    uint64_t n = *size = in->size;
    uint8_t *buf = image || !n ? NULL : kmalloc(n);
    for (uint64_t done = 0; buf && done < n; done += PAGE_SIZE)
        memcpy(buf + done, page_to_read(in, done / PAGE_SIZE), n - done < PAGE_SIZE ? n - done : PAGE_SIZE);
    spin_unlock(&fs_lock);
    if (buf)
        image = *copy = buf;
    return image ? image : !n ? zero_page : NULL;
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
#define DT_CHR              2
#define DT_DIR              4
#define DT_SOCK             12
#define DT_REG              8
#define DIRENT_ALIGN        8

/* Write the record of d, the index-th entry, to user memory at ubuf if it fits in room: its size, 0, or -EFAULT. */
static long put_dirent(const struct dentry *d, uint64_t index, uint64_t ubuf, size_t room)
{
    const struct inode *c = d->inode;
    size_t name_len = strlen(d->name) + 1;
    size_t reclen = (sizeof(struct dirent64_header) + name_len + DIRENT_ALIGN - 1) & ~(size_t)(DIRENT_ALIGN - 1);
    if (reclen > room)
        return 0;
    struct dirent64_header h = { c->ino, (int64_t)index, (uint16_t)reclen,
                                 c->type == INODE_DIR ? DT_DIR : c->type == INODE_FIFO ? DT_FIFO :
                                 c->type == INODE_SOCKET ? DT_SOCK : c->type == INODE_CHARDEV ? DT_CHR : DT_REG };
    char record[sizeof h + NAME_MAX + 1 + DIRENT_ALIGN] = { 0 };
    memcpy(record, &h, sizeof h);
    memcpy(record + sizeof h, d->name, name_len);
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
        r = put_dirent(container_of(p, struct dentry, sibling), index, ubuf + used, n - used);
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
        size_t len = strlen(in->dentry->name);
        if ((size_t)(p - buf) < len + 1)
            return NULL;
        p -= len;
        memcpy(p, in->dentry->name, len);
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
    bool linked = dir->nlink > 0;
    char *p = linked ? path_backwards(dir, buf, size) : NULL;
    long len = p ? (long)strlen(p) : -ERANGE;
    if (p)
        memmove(buf, p, (size_t)len + 1);
    spin_unlock(&fs_lock);
    return linked ? len : -ENOENT;
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
        n->borrowed = data;     /* never written or freed */
        n->size = size;
    }
    return n;
}

struct inode *fs_add_dir(const char *path)
{
    return add(path, INODE_DIR);
}

struct inode *fs_add_link(const char *path, const char *target)
{
    char name[NAME_MAX + 1];
    struct inode *to = NULL;
    spin_lock(&fs_lock);
    int err = walk(&root, target, &to, NULL);
    struct inode *dir = err || to->type != INODE_FILE ? NULL : make_parents(path, name);
    bool made = dir && !find_entry(dir, name, strlen(name)) && add_entry(dir, name, to);
    spin_unlock(&fs_lock);
    return made ? to : NULL;
}

const char *fs_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}
