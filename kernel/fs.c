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
#include <lib/format.h>
#include <lib/string.h>

#define MODE_INITRD     0755    /* the initrd's programs and directories, /dev */
#define MODE_SHARED_DIR 01777   /* /tmp, /dev/shm: everyone's, sticky (as on Linux) */
#define MODE_MADE_DIR   0555    /* /proc: read and search, nothing more */

static struct spinlock fs_lock = SPINLOCK_INIT("fs", LOCK_RANK_FS);
static struct inode root = { .type = INODE_DIR, .ino = 1, .nlink = 1, .refs = 1, .mode = MODE_INITRD };
static uint64_t next_ino = 2;           /* [fs_lock] */
static uint64_t bytes_in_use;           /* [fs_lock] charged: file pages, inodes, names, FIFO pipes */

void fs_init(void)
{
    root.parent = &root;
    list_init(&root.children);
    list_init(&root.names);
    static const struct { const char *path; unsigned mode; } made_at_boot[] = {
        { "/tmp", MODE_SHARED_DIR }, { "/dev", MODE_INITRD }, { "/dev/shm", MODE_SHARED_DIR },
    };
    for (size_t i = 0; i < sizeof made_at_boot / sizeof *made_at_boot; i++) {
        char name[NAME_MAX + 1];
        struct inode *dir, *made;
        if (fs_resolve_parent(&root, made_at_boot[i].path, &dir, name) != 0)
            continue;
        if (fs_create(dir, name, INODE_DIR, made_at_boot[i].mode, &made) == 0)
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

/* in's contents or entries changed now: its modification and change times.  fs_lock held. */
static void touch(struct inode *in)
{
    in->mtime_ns = in->ctime_ns = clock_realtime_ns();
}

/* Whether name (len bytes) is "." or "..". */
static bool is_dot(const char *name, size_t len)
{
    return len == 1 && name[0] == '.';
}

static bool is_dotdot(const char *name, size_t len)
{
    return len == 2 && name[0] == '.' && name[1] == '.';
}

/*
 * What name (len bytes) means in directory dir, with a reference: 0 or
 * -ENOENT.  A node made on lookup asks its maker, with no lock held;
 * one of the tree is found under fs_lock, and the reference keeps it
 * once the lock is gone (an unlink on another CPU cannot free it).
 */
static int child_of(struct inode *dir, const char *name, size_t len, struct inode **out)
{
    if (dir->ops && dir->ops->lookup && !is_dot(name, len) && !is_dotdot(name, len))
        return dir->ops->lookup(dir, name, len, out);
    spin_lock(&fs_lock);
    struct inode *in = find_child(dir, name, len);
    if (in)
        in->refs++;
    spin_unlock(&fs_lock);
    *out = in;
    return in ? 0 : -ENOENT;
}

/*
 * A lookup in progress: the directory reached (with a reference), what
 * is left of the path, and the links followed so far.  Once a link is
 * followed the rest of the path lives in text, the link's target with
 * the old rest after it.
 */
struct lookup {
    struct inode *at;
    const char *rest;
    char *text;                 /* kmalloc'd PATH_MAX, or NULL */
    int links;
};

/*
 * Go on through link (met in l->at, with after the rest of the path past
 * its name): to the object of a magic link, or along the link's target
 * followed by after.  0 or -ELOOP, -ENAMETOOLONG, -ENOMEM, -ENOENT.
 */
static int follow_link(struct lookup *l, struct inode *link, const char *after)
{
    if (++l->links > SYMLINKS_MAX)
        return -ELOOP;
    struct inode *object;
    int err = link->ops && link->ops->follow ? link->ops->follow(link, &object) : FOLLOW_TEXT;
    if (err != FOLLOW_TEXT) {
        if (err)
            return err;
        inode_put(l->at);
        l->at = object;
        l->rest = after;
        return 0;
    }
    char *text = kmalloc(PATH_MAX);
    if (!text)
        return -ENOMEM;
    long len = fs_read_link(link, text, PATH_MAX);
    size_t after_len = strlen(after);
    err = len < 0 ? (int)len : len == 0 ? -ENOENT : (size_t)len + after_len >= PATH_MAX ? -ENAMETOOLONG : 0;
    if (err) {
        kfree(text);
        return err;
    }
    memcpy(text + len, after, after_len + 1);
    kfree(l->text);             /* after pointed into it: copied now */
    l->text = text;
    l->rest = text;
    if (text[0] == '/') {
        inode_put(l->at);
        l->at = &root;
        inode_get(&root);
    }
    return 0;
}

/*
 * Walk path from start (or the root, for an absolute path).  With name
 * set, stop before the last component and copy it there (-EINVAL if the
 * path has none: "/").  Otherwise the last component is the answer,
 * followed if it is a link and follow_last (or the path ends in "/").
 * *out comes with a reference.
 */
static int lookup(struct inode *start, const char *path, bool follow_last, struct inode **out,
                  char name[NAME_MAX + 1])
{
    if (!*path)
        return -ENOENT;
    struct lookup l = { .at = path[0] == '/' ? &root : start, .rest = path };
    inode_get(l.at);
    int err = 0;
    for (;;) {
        const char *p = l.rest + strspn(l.rest, "/");
        size_t len = strcspn(p, "/");
        const char *after = p + len;
        bool last = !after[strspn(after, "/")];
        if (len > NAME_MAX) {
            err = -ENAMETOOLONG;
            break;
        }
        if (len && l.at->type != INODE_DIR) {
            err = -ENOTDIR;
            break;
        }
        struct inode *next;
        if (name && last && len && follow_last && child_of(l.at, p, len, &next) == 0) {
            bool link = next->type == INODE_SYMLINK;
            err = link ? follow_link(&l, next, after) : 0;      /* open(O_CREAT) makes a link's target */
            inode_put(next);
            if (err)
                break;
            if (link)
                continue;
        }
        if (name && (last || !len)) {
            err = len ? 0 : -EINVAL;            /* "/" itself has no parent entry */
            memcpy(name, p, len);
            name[len] = '\0';
            break;
        }
        if (!len)
            break;                              /* the path ended at l.at */
        err = child_of(l.at, p, len, &next);
        if (err)
            break;
        if (next->type == INODE_SYMLINK && (!last || follow_last || *after)) {
            err = follow_link(&l, next, after);
            inode_put(next);
            if (err)
                break;
            continue;
        }
        inode_put(l.at);
        l.at = next;
        l.rest = after;
    }
    kfree(l.text);
    if (err)
        inode_put(l.at);
    else
        *out = l.at;
    return err;
}

/* A path ending in "/" names a directory (a link to one is followed): -ENOTDIR if *out is not one. */
static int resolve(struct inode *cwd, const char *path, bool follow_last, struct inode **out)
{
    int err = lookup(cwd, path, follow_last, out, NULL);
    size_t len = strlen(path);
    if (!err && len && path[len - 1] == '/' && (*out)->type != INODE_DIR) {
        inode_put(*out);
        err = -ENOTDIR;
    }
    return err;
}

int fs_resolve(struct inode *cwd, const char *path, struct inode **out)
{
    return resolve(cwd, path, true, out);
}

int fs_resolve_nofollow(struct inode *cwd, const char *path, struct inode **out)
{
    return resolve(cwd, path, false, out);
}

int fs_resolve_parent(struct inode *cwd, const char *path, struct inode **dir, char name[NAME_MAX + 1])
{
    return lookup(cwd, path, false, dir, name);
}

int fs_resolve_create(struct inode *cwd, const char *path, struct inode **dir, char name[NAME_MAX + 1])
{
    return lookup(cwd, path, true, dir, name);
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
    d->dir = dir;
    in->refs++;
    in->nlink++;
    list_push_back(&dir->children, &d->sibling);
    list_push_back(&in->names, &d->alias);
    return d;
}

/* Take entry d out of its directory: its inode loses the name and the reference (put by the caller). */
static struct inode *drop_entry(struct dentry *d)
{
    spin_assert_held(&fs_lock);
    struct inode *in = d->inode;
    list_remove(&d->sibling);
    list_remove(&d->alias);
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
/* What every inode starts with, whoever makes it: its type, number, mode bits, times and no children. */
static void inode_init(struct inode *n, enum inode_type type, uint64_t ino, unsigned mode)
{
    n->type = type;
    n->ino = ino;
    n->mode = mode & MODE_BITS;
    n->atime_ns = n->mtime_ns = n->ctime_ns = clock_realtime_ns();
    list_init(&n->children);
}

static struct inode *new_inode(struct inode *dir, const char *name, enum inode_type type, unsigned mode)
{
    spin_assert_held(&fs_lock);
    if (!charge_locked(sizeof(struct inode)))
        return NULL;
    struct inode *n = kzalloc(sizeof *n);
    if (n)
        list_init(&n->names);
    struct dentry *d = n ? add_entry(dir, name, n) : NULL;
    if (!d) {
        bytes_in_use -= sizeof(struct inode);
        kfree(n);
        return NULL;
    }
    inode_init(n, type, next_ino++, mode);
    if (type == INODE_DIR) {
        n->dentry = d;
        n->parent = dir;
        dir->refs++;
    }
    return n;
}

/* Make name in dir (fs_create); a link's text comes too, charged with it.  fs_lock held. */
static int create_locked(struct inode *dir, const char *name, enum inode_type type, unsigned mode,
                         const char *link, struct inode **out)
{
    spin_assert_held(&fs_lock);
    size_t len = strlen(name), link_size = link ? strlen(link) + 1 : 0;
    if (is_dot(name, len) || is_dotdot(name, len))
        return -EEXIST;
    int err = find_entry(dir, name, len) ? -EEXIST : may_add_to(dir);
    if (err)
        return err;
    char *text = NULL;
    if (link && !charge_locked(link_size))
        return -ENOSPC;
    if (link && !(text = kmalloc(link_size))) {
        bytes_in_use -= link_size;
        return -ENOSPC;
    }
    struct inode *in = new_inode(dir, name, type, mode);
    if (!in) {
        kfree(text);
        bytes_in_use -= link_size;
        return -ENOSPC;
    }
    touch(dir);
    if (link) {
        memcpy(text, link, link_size);
        in->link = text;
        in->size = link_size - 1;
        in->charged = link_size;
    }
    *out = in;
    return 0;
}

int fs_create(struct inode *dir, const char *name, enum inode_type type, unsigned mode, struct inode **out)
{
    spin_lock(&fs_lock);
    int err = create_locked(dir, name, type, mode, NULL, out);
    if (!err)
        (*out)->refs++;         /* the caller's reference */
    spin_unlock(&fs_lock);
    return err;
}

#define MODE_SYMLINK    0777    /* a link's own bits: never consulted (Linux) */

int fs_symlink(struct inode *dir, const char *name, const char *target)
{
    struct inode *made;
    spin_lock(&fs_lock);
    int err = create_locked(dir, name, INODE_SYMLINK, MODE_SYMLINK, target, &made);
    spin_unlock(&fs_lock);
    return err;
}

long fs_read_link(struct inode *in, char *buf, size_t size)
{
    if (in->type != INODE_SYMLINK)
        return -EINVAL;
    if (in->ops)
        return in->ops->read_link(in, buf, size);
    size_t len = strlen(in->link);      /* never changed: no lock needed */
    if (len >= size)
        return -ENAMETOOLONG;
    memcpy(buf, in->link, len + 1);
    return (long)len;
}

int fs_chmod(struct inode *in, unsigned mode)
{
    spin_lock(&fs_lock);
    int err = in->readonly || in->ops ? -EROFS : 0;
    if (!err) {
        in->mode = mode & MODE_BITS;
        in->ctime_ns = clock_realtime_ns();
    }
    spin_unlock(&fs_lock);
    return err;
}

int fs_set_times(struct inode *in, uint64_t atime_ns, uint64_t mtime_ns, bool keep_atime, bool keep_mtime)
{
    spin_lock(&fs_lock);
    int err = in->readonly || in->ops ? -EROFS : 0;
    if (!err && !keep_atime)
        in->atime_ns = atime_ns;
    if (!err && !keep_mtime)
        in->mtime_ns = mtime_ns;
    if (!err)
        in->ctime_ns = clock_realtime_ns();
    spin_unlock(&fs_lock);
    return err;
}

int fs_made_node_init(struct inode *in, struct inode *dir, const char *name, enum inode_type type,
                      unsigned mode, uint64_t ino, const struct inode_ops *ops)
{
    size_t len = strlen(name);
    struct dentry *d = kmalloc(sizeof *d + len + 1);
    if (!d)
        return -ENOMEM;
    memcpy(d->name, name, len + 1);
    d->inode = in;
    d->dir = dir;
    list_init(&d->sibling);     /* in no directory's list: the maker answers for the directory */
    list_init(&in->names);
    list_init(&d->alias);
    inode_init(in, type, ino, mode);
    in->ops = ops;
    in->dentry = d;
    in->nlink = 1;
    in->readonly = true;
    in->refs = 1;
    inode_get(dir);
    in->parent = dir;
    return 0;
}

int fs_link(struct inode *in, struct inode *dir, const char *name)
{
    size_t len = strlen(name);
    spin_lock(&fs_lock);
    int err = in->ops ? -EXDEV : in->type == INODE_DIR ? -EPERM : find_child(dir, name, len) ? -EEXIST :
              !in->nlink ? -ENOENT : may_add_to(dir);
    if (!err && !add_entry(dir, name, in))
        err = -ENOSPC;
    if (!err) {
        touch(dir);
        in->ctime_ns = dir->ctime_ns;
    }
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
    bool kept = (in && in->type == INODE_DIR && in->readonly) || (target && target->inode->readonly);
    int err = !d ? -ENOENT : olddir->readonly || newdir->readonly || kept ? -EACCES : !newdir->nlink ? -ENOENT :
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
        touch(olddir);
        touch(newdir);
    }
    spin_unlock(&fs_lock);
    return err;
}

/* Free in, which nothing holds; a directory's parent, which it held, is returned.  fs_lock held. */
static struct inode *free_inode(struct inode *in)
{
    spin_assert_held(&fs_lock);
    if (in->ops) {              /* a node made on lookup: its name is its own, its maker frees it */
        struct inode *dir = in->parent;
        kfree(in->dentry);
        in->ops->release(in);
        return dir;
    }
    KASSERT(!in->nlink && list_empty(&in->children) && !in->fifo);
    struct inode *parent = in->type == INODE_DIR ? in->parent : NULL;
    bytes_in_use -= in->charged + sizeof(struct inode);
    if (in->contents)
        vm_object_put(in->contents);    /* its pages stay while a mapping holds them */
    kfree(in->link);
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
    if (!err) {
        put_locked(drop_entry(d));
        touch(dir);
    }
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
        touch(in);
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
        touch(in);
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
    if (in->type != INODE_FILE || in->ops) {
        *err = in->ops ? -ENODEV : -EACCES;     /* /proc's text is made per read: nothing to map (Linux: ENODEV) */
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

#define DT_LNK              10

/* Where getdents64 records go: user memory at ubuf, room bytes of it left. */
struct dirent_sink {
    uint64_t ubuf;
    size_t room, used;
    bool full;                  /* a record did not fit */
};

static uint8_t dirent_type(enum inode_type type)
{
    switch (type) {
    case INODE_DIR:     return DT_DIR;
    case INODE_FIFO:    return DT_FIFO;
    case INODE_SOCKET:  return DT_SOCK;
    case INODE_CHARDEV: return DT_CHR;
    case INODE_SYMLINK: return DT_LNK;
    case INODE_FILE:    break;
    }
    return DT_REG;
}

long fs_emit_dirent(struct dirent_sink *sink, uint64_t ino, enum inode_type type, const char *name,
                    uint64_t next_pos)
{
    size_t name_len = strlen(name) + 1;
    size_t reclen = (sizeof(struct dirent64_header) + name_len + DIRENT_ALIGN - 1) & ~(size_t)(DIRENT_ALIGN - 1);
    if (reclen > sink->room - sink->used) {
        sink->full = true;
        return 0;
    }
    struct dirent64_header h = { ino, (int64_t)next_pos, (uint16_t)reclen, dirent_type(type) };
    char record[sizeof h + NAME_MAX + 1 + DIRENT_ALIGN] = { 0 };
    memcpy(record, &h, sizeof h);
    memcpy(record + sizeof h, name, name_len);
    if (copy_to_user(sink->ubuf + sink->used, record, reclen))
        return -EFAULT;
    sink->used += reclen;
    return 1;
}

long fs_read_dir(struct inode *dir, uint64_t *pos, uint64_t ubuf, size_t n)
{
    struct dirent_sink sink = { .ubuf = ubuf, .room = n };
    long r = 0;
    if (dir->ops) {
        r = dir->ops->read_dir(dir, pos, &sink);
    } else {
        uint64_t index = 0;
        spin_lock(&fs_lock);            /* the entries do not change under the walk */
        list_for_each(p, &dir->children) {
            if (index++ < *pos)
                continue;
            const struct dentry *d = container_of(p, struct dentry, sibling);
            r = fs_emit_dirent(&sink, d->inode->ino, d->inode->type, d->name, index);
            if (r <= 0)
                break;
            *pos = index;
        }
        spin_unlock(&fs_lock);
    }
    if (sink.used)
        return (long)sink.used;
    return r < 0 ? r : sink.full ? -EINVAL : 0;        /* -EINVAL: the buffer cannot hold one entry */
}

int fs_charge(uint64_t bytes)
{
    spin_lock(&fs_lock);
    bool ok = charge_locked(bytes);
    spin_unlock(&fs_lock);
    return ok ? 0 : -ENOSPC;
}

uint64_t fs_bytes_free(void)
{
    return FS_BYTES_MAX - __atomic_load_n(&bytes_in_use, __ATOMIC_RELAXED);
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
    if (in)
        in->refs++;
    spin_unlock(&fs_lock);
    return in;
}

struct inode *inode_get_found(struct inode *(*find)(void *arg), void *arg)
{
    spin_lock(&fs_lock);
    struct inode *in = find(arg);
    if (in)
        in->refs++;
    spin_unlock(&fs_lock);
    return in;
}

void inode_swap_into(struct inode **slot, struct inode *in)
{
    spin_lock(&fs_lock);
    struct inode *old = *slot;
    *slot = in;
    if (old)
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

long fs_path_of_file(struct inode *in, char *buf, size_t size)
{
    if (size == 0)
        return -ERANGE;
    spin_lock(&fs_lock);
    struct dentry *d = list_first(&in->names, struct dentry, alias);
    long len = -ERANGE;
    char *p = d ? path_backwards(d->dir, buf, size) : NULL;
    if (p) {
        size_t dir_len = strlen(p), name_len = strlen(d->name);
        bool slash = dir_len > 1;
        if (dir_len + slash + name_len < size) {
            memmove(buf, p, dir_len);
            if (slash)
                buf[dir_len] = '/';
            memcpy(buf + dir_len + slash, d->name, name_len + 1);
            len = (long)(dir_len + slash + name_len);
        }
    } else if (!d) {
        int n = format_buffer(buf, size, "(deleted)");        /* Linux names the removed file: we kept no name */
        len = (size_t)n < size ? n : -ERANGE;
    }
    spin_unlock(&fs_lock);
    return len;
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
            next = new_inode(dir, component, INODE_DIR, MODE_INITRD);
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
        in = new_inode(dir, name, type, MODE_INITRD);
    if (in && in->type != type)
        in = NULL;
    if (in)
        in->readonly = true;
    spin_unlock(&fs_lock);
    return in;
}

struct inode *fs_add_file(const char *path, const uint8_t *data, uint64_t size, unsigned mode)
{
    struct inode *n = add(path, INODE_FILE);
    if (n) {
        n->mode = mode & MODE_BITS;     /* the archive's: 0755 for programs, 0644 for /etc's files */
        n->borrowed = data;     /* never written or freed */
        n->size = size;
    }
    return n;
}

struct inode *fs_add_dir(const char *path)
{
    return add(path, INODE_DIR);
}

struct inode *fs_add_made_dir(const char *path, struct inode *dir, const struct inode_ops *ops)
{
    char name[NAME_MAX + 1];
    list_init(&dir->names);
    spin_lock(&fs_lock);
    struct inode *parent = make_parents(path, name);
    struct dentry *d = parent && !find_entry(parent, name, strlen(name)) ? add_entry(parent, name, dir) : NULL;
    if (d) {
        inode_init(dir, INODE_DIR, next_ino++, MODE_MADE_DIR);
        dir->readonly = true;
        dir->ops = ops;
        dir->dentry = d;
        dir->parent = parent;
        parent->refs++;
    }
    spin_unlock(&fs_lock);
    return d ? dir : NULL;
}

struct inode *fs_add_link(const char *path, const char *target)
{
    char name[NAME_MAX + 1];
    struct inode *to;
    if (fs_resolve(&root, target, &to) != 0)
        return NULL;
    spin_lock(&fs_lock);
    struct inode *dir = to->type != INODE_FILE ? NULL : make_parents(path, name);
    bool made = dir && !find_entry(dir, name, strlen(name)) && add_entry(dir, name, to);
    put_locked(to);             /* fs_resolve's: the new name holds its own */
    spin_unlock(&fs_lock);
    return made ? to : NULL;
}

const char *fs_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}
