/*
 * The file tree: an in-memory tree of inodes.  At boot the initrd (a tar
 * archive loaded by GRUB) fills /bin with the programs, read-only, their
 * data left in place in the module.  Paths are absolute or relative to
 * "/" (processes have no working directory yet).
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include <kernel/list.h>
#include <stdbool.h>
#include <stdint.h>

#define NAME_MAX 255
#define PATH_MAX 4096

enum inode_type {
    INODE_FILE,
    INODE_DIR,
};

/* The tree changes only at boot so far: no lock. */
struct inode {
    enum inode_type type;
    uint64_t ino;               /* unique number, for stat and getdents */
    char *name;                 /* its name in the parent directory ("" for /) */
    struct inode *parent;
    struct list_node children;  /* a directory's entries, by sibling, in creation order */
    struct list_node sibling;
    const uint8_t *data;        /* a file's bytes */
    uint64_t size;
    bool readonly;
};

void fs_init(void);

/* The inode at path, or NULL (*err = -ENOENT, -ENOTDIR or -ENAMETOOLONG). */
struct inode *fs_lookup(const char *path, int *err);

/* Add a read-only file (its data stays where it is) or a directory at path, making parents. */
struct inode *fs_add_file(const char *path, const uint8_t *data, uint64_t size);
struct inode *fs_add_dir(const char *path);

/* The last component of path ("prog" of "/bin/prog"). */
const char *fs_basename(const char *path);

/* Build /bin from the tar archive at [start, end); returns the number of files. */
int initrd_load(const uint8_t *start, const uint8_t *end);

#endif
