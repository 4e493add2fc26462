/*
 * The file tree: an in-memory file system of inodes.  At boot the initrd
 * (a tar archive loaded by GRUB) fills /bin with the programs, read-only,
 * their bytes left in place in the module; /tmp and any directory made
 * with mkdir hold files in kernel memory until power-off.
 *
 * fs_lock protects the whole tree ([fs] on a field): names, children, sizes
 * and contents.  Operations take it for their duration; none of them sleeps.
 *
 * Memory.  Everything the tree holds in kernel memory is charged to one
 * limit, FS_BYTES_MAX: file contents, each inode and its name, and the
 * pipe of each open FIFO.  Past it, making a name or growing a file
 * fails with ENOSPC (opening a FIFO with ENOMEM), and the rest of the
 * kernel still has its memory.
 *
 * Lifetimes.  An inode lives while it has references: each of its names
 * in a directory (a file may have several: link), each open file, each
 * working directory, each child directory (a directory holds its parent,
 * so ".." of a removed directory still leads somewhere real), each
 * system call that uses it across a sleep.  A file's contents live while
 * the file does or a mapping holds them (struct vm_object).
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include <kernel/list.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct device;
struct file;
struct uio;
struct unix_sock;

#define NAME_MAX        255
#define PATH_MAX        4096
#define FS_BYTES_MAX    (64ull << 20)   /* kernel memory the tree may hold: ENOSPC past this */
#define FILE_SIZE_MAX   ((uint64_t)INT64_MAX)   /* Linux's MAX_LFS_FILESIZE: offsets are off_t */

enum inode_type {
    INODE_FILE,
    INODE_DIR,
    INODE_FIFO,                 /* a named pipe (mkfifo): opening it connects to the pipe it holds */
    INODE_SOCKET,               /* a Unix socket's name (bind): connect finds the socket it holds */
    INODE_CHARDEV,              /* a device node of /dev: opening it opens its device (kernel/device.c) */
    INODE_SYMLINK,              /* a symbolic link: a path, followed where the link is met in a lookup */
};

#define FOLLOW_TEXT     1       /* inode_ops.follow: not a magic link, follow the text */
#define SYMLINKS_MAX    40
#define FS_MISSING_CALL_WORDS 8 /* a bit per Linux call number: LINUX_SYSCALL_NAMES (kernel/syscall.h) / 64 */      /* links one lookup follows before ELOOP (Linux's MAXSYMLINKS) */
#define MODE_BITS       07777   /* permission bits chmod sets (with setuid, setgid, sticky) */

struct dirent_sink;
struct inode;

/*
 * Nodes the kernel makes when they are looked up instead of keeping them
 * in the tree: /proc's (kernel/procfs.c).  Such a node has no entry in
 * its directory's children; it holds a reference on its directory (so
 * ".." and getcwd work) and a name of its own (in->dentry, in no list),
 * and is freed at its last reference by release.  Every hook is called
 * with no lock held.
 */
struct inode_ops {
    /* A directory's entry name (len bytes, not "." or ".."): 0 with *out (a reference), or -ENOENT. */
    int (*lookup)(struct inode *dir, const char *name, size_t len, struct inode **out);
    /* getdents64 from *pos on: fs_read_dir's contract; entries go out through fs_emit_dirent. */
    long (*read_dir)(struct inode *dir, uint64_t *pos, struct dirent_sink *sink);
    /* A link's target, NUL-terminated, into buf: its length, or -errno (-ENAMETOOLONG if it does not fit). */
    long (*read_link)(struct inode *in, char *buf, size_t size);
    /*
     * A link that stands for an object rather than a path (/proc/PID/fd/N,
     * cwd, exe: Linux's "magic links"): 0 with *out the inode itself (a
     * reference), -ENOENT (not a file of the tree: a pipe, a socket), or
     * FOLLOW_TEXT: a plain link, whose text is followed (so is every link
     * of an ops without follow).
     */
    int (*follow)(struct inode *in, struct inode **out);
    /* A new open file for in: 0 with *out, or -errno. */
    long (*open)(struct inode *in, int flags, struct file **out);
    void (*release)(struct inode *in);  /* the last reference went: free what holds in */
};

struct inode {
    enum inode_type type;
    uint64_t ino;               /* unique number, for stat and getdents */
    struct dentry *dentry;      /* [fs] a directory's one name (NULL: the root, or removed) */
    struct inode *parent;       /* [fs] a directory's parent, with a reference (the root is its own) */
    struct list_node children;  /* [fs] a directory's entries (struct dentry), in creation order */
    struct list_node names;     /* [fs] the entries naming it (struct dentry, by alias), oldest first */
    /*
     * A file's bytes: a memory object (kernel/vm_object.c) that read and
     * write copy and mmap maps, made on the first write; or, for a file of
     * the initrd, its bytes where GRUB put them (borrowed: read-only; each
     * mmap copies the pages it touches).  Bytes past size read as zeros.
     */
    struct vm_object *contents; /* [fs] */
    const uint8_t *borrowed;    /* [fs] */
    uint64_t size;              /* [fs] */
    uint64_t charged;           /* [fs] bytes of the contents' pages (or a link's text) charged to FS_BYTES_MAX */
    bool readonly;              /* initrd files and /bin: no writes, no new entries */
    uint32_t nlink;             /* [fs] names in directories (hard links): 0 once removed */
    int refs;                   /* [fs] each name, child directory, open file, working directory, call */
    unsigned mode;              /* [fs] permission bits (MODE_BITS): creat's mode less the umask, chmod */
    uint64_t atime_ns, mtime_ns, ctime_ns;  /* [fs] access, contents change, inode change: CLOCK_REALTIME */
    char *link;                 /* a symbolic link's target path (set when made, never changed) */
    const struct inode_ops *ops;    /* a node made on lookup (/proc), or NULL: one of the tree */
#ifdef KERNEL_DEBUG
    /*
     * [atomic] A program's Linux calls the debug log named lacking, a bit
     * per call number (kernel/syscall.c): in the inode itself, so the log
     * allocates nothing (no leak check sees it).
     */
    uint64_t missing_calls[FS_MISSING_CALL_WORDS];
#endif
    void *fifo;                 /* [fifo_lock, kernel/pipe.c] a FIFO's pipe while it is open */
    struct unix_sock *sock;     /* [unix_lock, kernel/socket.c] the socket bound to the name, while open */
    const struct device *device;    /* a device node's device (set at boot, then never changed) */
};

/* A name in a directory: a file may have several (link), a directory has one. */
struct dentry {
    struct list_node sibling;   /* [fs] in the directory's children */
    struct list_node alias;     /* [fs] in its inode's names: how a file finds a path (/proc/PID/fd/N) */
    struct inode *dir;          /* [fs] the directory holding it (no reference: it lives as long as the entry) */
    struct inode *inode;        /* [fs] holds a reference */
    char name[];
};

void fs_init(void);
struct inode *fs_root(void);

/*
 * Resolve path (absolute, or relative to cwd, which the caller holds) to
 * its inode: 0 or -ENOENT/-ENOTDIR/-ENAMETOOLONG.  *out comes with a
 * reference, which the caller drops with inode_put: with several CPUs an
 * unlink may free an inode the moment fs_lock is let go (once, the suite's
 * fuzzer: a double free of a file's data after an open raced an unlink).
 */
int fs_resolve(struct inode *cwd, const char *path, struct inode **out);

/*
 * fs_resolve, but a symbolic link as the last component is the answer
 * rather than followed (lstat, readlink, unlink's view, O_NOFOLLOW),
 * unless the path ends in "/".  Links met before the last component are
 * followed either way, SYMLINKS_MAX at most (-ELOOP past it).
 */
int fs_resolve_nofollow(struct inode *cwd, const char *path, struct inode **out);

/* Resolve all but the last component: its directory (with a reference, as above), and the last name copied into name. */
int fs_resolve_parent(struct inode *cwd, const char *path, struct inode **dir, char name[NAME_MAX + 1]);

/* fs_resolve_parent for open(O_CREAT): a link as the last name is followed, so the file made is its target. */
int fs_resolve_create(struct inode *cwd, const char *path, struct inode **dir, char name[NAME_MAX + 1]);

/*
 * Make name in dir with permission bits mode: 0, or -EEXIST, -EACCES
 * (read-only dir), -ENOENT (dir removed), -ENOSPC.  *out has a reference.
 */
int fs_create(struct inode *dir, const char *name, enum inode_type type, unsigned mode, struct inode **out);

/* symlink: name in dir, a link to target (any text, resolved when followed): fs_create's answers. */
int fs_symlink(struct inode *dir, const char *name, const char *target);

/* A link's target into buf (NUL-terminated): its length, -EINVAL (not a link) or -ENAMETOOLONG. */
long fs_read_link(struct inode *in, char *buf, size_t size);

/* chmod: in's permission bits become mode & MODE_BITS: 0, or -EROFS (a file of the initrd, /dev). */
int fs_chmod(struct inode *in, unsigned mode);

/*
 * utimensat: set in's access and modification times (CLOCK_REALTIME ns);
 * keep_atime / keep_mtime leave one as it is (UTIME_OMIT).  0 or -EROFS.
 */
int fs_set_times(struct inode *in, uint64_t atime_ns, uint64_t mtime_ns, bool keep_atime, bool keep_mtime);

/*
 * A node made on lookup (struct inode_ops), for its maker to fill in
 * after: in, zeroed by the caller, becomes name in dir (a reference on
 * dir), of type type with permission bits mode, numbered ino, with one
 * reference for the caller.  0, or -ENOMEM.
 */
int fs_made_node_init(struct inode *in, struct inode *dir, const char *name, enum inode_type type,
                      unsigned mode, uint64_t ino, const struct inode_ops *ops);

/* Give one getdents64 record to a read_dir's sink: 1 if it fit, 0 if the buffer is full, or -EFAULT. */
long fs_emit_dirent(struct dirent_sink *sink, uint64_t ino, enum inode_type type, const char *name,
                    uint64_t next_pos);

/* Remove name from dir (a directory only if want_dir, and only when empty). */
int fs_remove(struct inode *dir, const char *name, bool want_dir);

/*
 * Read or write a file's bytes at *pos (an open file's offset), to or from
 * user memory, and move *pos past them: bytes moved, or -errno.  The
 * offset is read and moved under fs_lock, so threads sharing an open file
 * (on several CPUs) take turns instead of using one offset twice.  With
 * append a write goes to the end.  A write that would end past
 * FILE_SIZE_MAX is -EFBIG; one that runs into the space limit or an
 * unmapped user page stops there (a short write), or fails with -ENOSPC
 * or -EFAULT if it moved nothing.
 */
long fs_read(struct inode *in, uint64_t *pos, struct uio *u);
long fs_write(struct inode *in, uint64_t *pos, bool append, struct uio *u);

/*
 * ftruncate, truncate and O_TRUNC: make the file size bytes long (a
 * longer file reads zeros up to there).  0, -EACCES (read-only), -EFBIG
 * (past FILE_SIZE_MAX, or more than the space limit can hold).
 */
int fs_set_size(struct inode *in, uint64_t size);

/*
 * A file's contents for mmap, with a reference for the caller (made now
 * if the file had none; for a program of the initrd, an object of its own
 * whose pages are copied from its bytes as they are touched).
 * NULL, with *err -ENOMEM / -ENOSPC, -EACCES (not a regular file), -ENODEV (a /proc file).
 */
struct vm_object *fs_contents(struct inode *in, int *err);

/*
 * The file's bytes in one piece for exec: the initrd's where they lie, or
 * a copy (*copy set, for the caller to kfree).  NULL if out of memory.
 */
const uint8_t *fs_file_image(struct inode *in, uint64_t *size, void **copy);

/*
 * rename: the entry oldname of olddir becomes newname of newdir, replacing
 * what newname named (a file by a file, a directory by an empty directory),
 * unless noreplace (-EEXIST).  0, or -ENOENT, -EBUSY ("." or ".."), -EACCES
 * (a read-only directory, or what it would move or replace: /proc, /dev,
 * /bin), -EINVAL (a directory into itself), -EISDIR,
 * -ENOTDIR, -ENOTEMPTY, -ENOSPC.
 */
int fs_rename(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname,
              bool noreplace);

/* link: another name for file in (not a directory) in dir: 0, or -EEXIST, -EPERM, -EACCES, -ENOENT, -ENOSPC. */
int fs_link(struct inode *in, struct inode *dir, const char *name);

/* lseek on a file or directory: *pos from whence (SEEK_*) plus off, in 0..FILE_SIZE_MAX: it, or -EINVAL. */
long fs_seek(struct inode *in, uint64_t *pos, int64_t off, int whence);

/*
 * getdents64: directory dir's entries from index *pos on, as Linux's
 * struct linux_dirent64 records, while they fit in n bytes of user memory
 * at ubuf; *pos moves past them.  Bytes written, -EINVAL (not even one
 * fits) or -EFAULT.
 */
long fs_read_dir(struct inode *dir, uint64_t *pos, uint64_t ubuf, size_t n);

void inode_get(struct inode *in);
void inode_put(struct inode *in);

/*
 * A slot another thread may change (a process's working directory):
 * take a reference to what it points at, or point it at in (the caller's
 * reference goes to the slot) and drop the old one.  Both under fs_lock,
 * so the inode cannot go between the read and the reference.
 */
struct inode *inode_get_from(struct inode *const *slot);     /* NULL if the slot is empty */

/*
 * The inode find(arg) returns, called under fs_lock, with a reference (or
 * NULL).  For a slot whose owner may go meanwhile (another process's
 * working directory, for /proc): find locates it and reads it, fs_lock
 * keeps what it points at alive until the reference is taken.
 */
struct inode *inode_get_found(struct inode *(*find)(void *arg), void *arg);
void inode_swap_into(struct inode **slot, struct inode *in);

/* What is left under FS_BYTES_MAX (statfs). */
uint64_t fs_bytes_free(void);

/* Charge bytes of kernel memory the tree holds to FS_BYTES_MAX: 0 or -ENOSPC; and give them back. */
int fs_charge(uint64_t bytes);
void fs_uncharge(uint64_t bytes);

/* The absolute path of a directory, into buf: its length, or -ERANGE. */
long fs_path_of(struct inode *dir, char *buf, size_t size);

/*
 * A path of a file that is not a directory (/proc/PID/fd/N, exe): its
 * oldest name's, or "(deleted)" when it has none left.  Its length, or
 * -ERANGE.
 */
long fs_path_of_file(struct inode *in, char *buf, size_t size);

/* Add a read-only file (its data stays where it is) or directory at path, making parents (the initrd). */
struct inode *fs_add_file(const char *path, const uint8_t *data, uint64_t size, unsigned mode);
struct inode *fs_add_dir(const char *path);

/* Add dir (the caller's memory, zeroed) at path as a directory whose entries ops makes (/proc): it, or NULL. */
struct inode *fs_add_made_dir(const char *path, struct inode *dir, const struct inode_ops *ops);

/* Add path (making parents, read-only) as another name of the initrd's file at target: it, or NULL. */
struct inode *fs_add_link(const char *path, const char *target);

/* The last component of path ("prog" of "/bin/prog"). */
const char *fs_basename(const char *path);

/* Build /bin from the tar archive at [start, end); returns the number of files. */
int initrd_load(const uint8_t *start, const uint8_t *end);

#endif
