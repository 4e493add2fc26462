/* The in-memory file tree: lookup and creation of inodes. */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/printk.h>
#include <lib/string.h>

static struct inode root = { .type = INODE_DIR, .ino = 1, .name = "", .readonly = true };
static uint64_t next_ino = 2;

void fs_init(void)
{
    root.parent = &root;
    list_init(&root.children);
    list_init(&root.sibling);
}

/* The entry name (len bytes) in directory dir, or NULL. */
static struct inode *find_child(struct inode *dir, const char *name, size_t len)
{
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
 * Walk path from the root.  With last set, stop before the last
 * component: return its directory and point *last at the component.
 */
static struct inode *walk(const char *path, int *err, const char **last)
{
    struct inode *cur = &root;
    const char *p = path;
    *err = 0;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p)
            return cur;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > NAME_MAX) {
            *err = -ENAMETOOLONG;
            return NULL;
        }
        if (cur->type != INODE_DIR) {
            *err = -ENOTDIR;
            return NULL;
        }
        if (last && !end) {
            *last = p;
            return cur;
        }
        struct inode *next = find_child(cur, p, len);
        if (!next) {
            *err = -ENOENT;
            return NULL;
        }
        cur = next;
        p += len;
    }
}

struct inode *fs_lookup(const char *path, int *err)
{
    if (!*path) {
        *err = -ENOENT;
        return NULL;
    }
    return walk(path, err, NULL);
}

static struct inode *new_inode(struct inode *dir, const char *name, enum inode_type type)
{
    struct inode *n = kzalloc(sizeof *n);
    size_t len = strlen(name);
    char *copy = kmalloc(len + 1);
    if (!n || !copy) {
        kfree(n);
        kfree(copy);
        return NULL;
    }
    memcpy(copy, name, len + 1);
    n->type = type;
    n->ino = next_ino++;
    n->name = copy;
    n->parent = dir;
    n->readonly = true;
    list_init(&n->children);
    list_push_back(&dir->children, &n->sibling);
    return n;
}

/* The directory for path's parent, created as needed; *name points at the last component. */
static struct inode *make_parents(const char *path, char *name_out)
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
            memcpy(name_out, p, len);
            name_out[len] = '\0';
            return dir;
        }
        struct inode *next = find_child(dir, p, len);
        if (!next) {
            char component[NAME_MAX + 1];
            memcpy(component, p, len);
            component[len] = '\0';
            next = new_inode(dir, component, INODE_DIR);
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
    struct inode *dir = make_parents(path, name);
    if (!dir)
        return NULL;
    struct inode *existing = find_child(dir, name, strlen(name));
    if (existing)
        return existing->type == type ? existing : NULL;
    return new_inode(dir, name, type);
}

struct inode *fs_add_file(const char *path, const uint8_t *data, uint64_t size)
{
    struct inode *n = add(path, INODE_FILE);
    if (n) {
        n->data = data;
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
