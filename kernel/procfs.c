/*
 * /proc: the kernel's processes and threads as files, in Linux's formats,
 * so that standard tools (BusyBox's ps, top, pstree, free, uptime, pmap)
 * read them unchanged.  See docs/proc.md for what each file shows.
 *
 * Nothing here is stored.  /proc is a directory of the tree whose
 * entries are made when looked up (struct inode_ops, kernel/fs.c): a
 * node names what it shows (an entry of the tables below) and for whom
 * (a pid, a tid, a descriptor), and lives while something holds it.  A
 * file's text is made when it is read from its start, into a buffer of
 * the open file, from a snapshot taken under proc_tree_lock: a read
 * never sees a process half-changed, and a process that has gone reads
 * as ENOENT (at open) or ESRCH (after).
 *
 * The process is the unit of ownership and the thread the unit of
 * scheduling, as elsewhere in this kernel: /proc/PID is the process (its
 * status has Tgid, Threads and the memory lines), /proc/PID/task/TID each
 * of its threads (Pid is the thread's, the memory lines the process's).
 */
#include <abi/cputime.h>             /* USER_HZ: clock ticks of stat and /proc/stat (sysconf(_SC_CLK_TCK)) */
#include <abi/fcntl.h>
#include <arch/cpu.h>
#include <kernel/cputime.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/procfs.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <kernel/uio.h>
#include <kernel/vm.h>
#include <lib/format.h>
#include <lib/string.h>
#include <stdarg.h>

#define MODE_PROC_DIR   0555
#define MODE_PROC_FILE  0444
#define MODE_PROC_LINK  0777
#define TEXT_FIRST      PAGE_SIZE       /* a file's first buffer: most fit */
#define TEXT_MAX        (8ull << 20)    /* maps of VM_MAX_AREAS areas (5.3 MB) fit; past it: ENOMEM */
#define NUMBER_DIGITS   10              /* an int's decimal digits: pids, tids, descriptors */
#define KIB             1024
#define PAGE_KIB        (PAGE_SIZE / KIB)
#define MAPS_NAME_COLUMN 73             /* where Linux's maps lines put the name */
#define MAPS_LINE_MAX   (MAPS_NAME_COLUMN + 8)  /* a maps line but the program's (a path): its size at most */
#define PRIORITY_NICE_0 20              /* Linux's stat "priority" of a nice-0 normal thread: 20 + nice */

/* ---- text made for reading ---- */

/* A growing text: what a file shows.  overflow: a print did not fit; made again, larger. */
struct text {
    char *buf;
    size_t len, size;
    bool overflow;
};

static __attribute__((format(printf, 2, 3))) void text_printf(struct text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = t->len < t->size ? t->size - t->len : 0;
    int n = format_buffer_v(t->buf + t->len, room, fmt, ap);
    va_end(ap);
    if ((size_t)n >= room)
        t->overflow = true;
    else
        t->len += (size_t)n;
}

static void text_bytes(struct text *t, const char *bytes, size_t n)
{
    if (n > t->size - t->len) {
        t->overflow = true;
        return;
    }
    memcpy(t->buf + t->len, bytes, n);
    t->len += n;
}

struct proc_node;

/* A file's maker: 0 with its text in t, or -ESRCH (its process or thread has gone). */
typedef int (*show_fn)(struct text *t, const struct proc_node *n);

/*
 * The texts of open /proc files, all together, hold at most TEXT_HELD_MAX
 * bytes: a process holding 64 descriptors on the maps of 65,530 areas
 * would otherwise pin 200 MiB of kernel memory (the 2-CPU fuzzer's
 * supervisor died of a copy-on-write fault that found no page).  Past
 * it, an open or a read from the start fails with ENOMEM.
 */
#define TEXT_HELD_MAX   (16ull << 20)
static uint64_t text_bytes_held;        /* [atomic] */

static bool text_charge(size_t size)
{
    uint64_t was = __atomic_fetch_add(&text_bytes_held, size, __ATOMIC_RELAXED);
    if (was + size <= TEXT_HELD_MAX)
        return true;
    __atomic_sub_fetch(&text_bytes_held, size, __ATOMIC_RELAXED);
    return false;
}

static void text_free(struct text *t)
{
    if (!t->buf)
        return;
    kfree(t->buf);
    __atomic_sub_fetch(&text_bytes_held, t->size, __ATOMIC_RELAXED);
    t->buf = NULL;
}

/*
 * Make a file's text with show, in a buffer doubled until it fits: 0 with
 * *out (for the caller to text_free), or -ESRCH, -ENOMEM.
 */
static int make_text(show_fn show, const struct proc_node *n, struct text *out)
{
    for (size_t size = TEXT_FIRST; size <= TEXT_MAX; size *= 2) {
        struct text t = { .size = size };
        if (!text_charge(size))
            return -ENOMEM;
        if (!(t.buf = kmalloc(size))) {
            __atomic_sub_fetch(&text_bytes_held, size, __ATOMIC_RELAXED);
            return -ENOMEM;
        }
        int err = show(&t, n);
        if (!err && !t.overflow) {
            *out = t;
            return 0;
        }
        text_free(&t);
        if (err)
            return err;
    }
    return -ENOMEM;
}

/* ---- nodes and their tables ---- */

struct proc_entry;

/*
 * A directory whose entries are numbers (processes, threads, descriptors):
 * the first at or after from, or -1; and what such a number names.
 */
struct numbered {
    int (*next)(const struct proc_node *dir, int from);
    const struct proc_entry *entry;
};

struct proc_entry {
    const char *name;
    enum inode_type type;
    show_fn show;                               /* a file */
    long (*link)(const struct proc_node *n, char *buf, size_t size);    /* a link's text */
    int (*follow)(const struct proc_node *n, struct inode **out);       /* a magic link's object */
    const struct proc_entry *entries;           /* a directory's fixed entries, then numbered ones */
    size_t entry_count;
    const struct numbered *numbered;
};

struct proc_node {
    struct inode inode;         /* first: the tree frees the node through release */
    const struct proc_entry *entry;
    int pid;                    /* the process shown, 0 for /proc's own files */
    int tid;                    /* the thread (task/TID), 0 for the process's files */
    int number;                 /* fd/N's N; -1 otherwise */
};

static const struct inode_ops proc_ops;
static struct proc_node proc_root;      /* /proc itself: in the tree, made at boot, never freed */

static struct proc_node *node_of(struct inode *in)
{
    return container_of(in, struct proc_node, inode);
}

/* An inode number per (entry, process, thread, number): find and ls -i tell nodes apart. */
static uint64_t node_ino(const struct proc_entry *e, int pid, int tid, int number)
{
    return ((uint64_t)(unsigned)pid << 40) ^ ((uint64_t)(unsigned)tid << 16) ^
           ((uint64_t)(uintptr_t)e & 0xfff0) ^ (uint64_t)(unsigned)(number + 1) ^ (1ull << 63);
}

static unsigned entry_mode(const struct proc_entry *e)
{
    return e->type == INODE_DIR ? MODE_PROC_DIR : e->type == INODE_SYMLINK ? MODE_PROC_LINK : MODE_PROC_FILE;
}

/* A new node for e, named name, in dir: 0 with *out (one reference), or -ENOMEM. */
static int make_node(struct proc_node *dir, const struct proc_entry *e, const char *name, int pid, int tid,
                     int number, struct inode **out)
{
    struct proc_node *n = kzalloc(sizeof *n);
    if (!n)
        return -ENOMEM;
    n->entry = e;
    n->pid = pid;
    n->tid = tid;
    n->number = number;
    int err = fs_made_node_init(&n->inode, &dir->inode, name, e->type, entry_mode(e),
                                node_ino(e, pid, tid, number), &proc_ops);
    if (err) {
        kfree(n);
        return err;
    }
    *out = &n->inode;
    return 0;
}

/* name (len bytes) as a number without sign or leading zeros: it, or -1. */
static int parse_number(const char *name, size_t len)
{
    if (len == 0 || len > NUMBER_DIGITS || (len > 1 && name[0] == '0'))
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (name[i] < '0' || name[i] > '9')
            return -1;
        v = v * 10 + (name[i] - '0');
    }
    return v <= INT32_MAX ? (int)v : -1;
}

/*
 * Whom the entry numbered number of directory dir is for: a process (in
 * /proc), a thread (in task/), or a descriptor of dir's process (in fd/).
 */
static void numbered_ids(const struct proc_node *dir, int number, int *pid, int *tid, int *fd)
{
    bool is_process = dir == &proc_root;
    bool is_thread = !is_process && dir->entry->numbered->entry->type == INODE_DIR;
    *pid = is_process ? number : dir->pid;
    *tid = is_thread ? number : dir->tid;
    *fd = is_process || is_thread ? -1 : number;
}

/*
 * The pid of the process thread tid belongs to, or -1.  /proc/TID of a
 * thread that is not its process's first is there, as on Linux, though
 * /proc's listing shows processes only: it is that thread's view of its
 * process (status's Pid is the thread's), what top -H reads.
 */
static int process_of_thread(int tid)
{
    proc_tree_lock_take();
    struct thread *t = thread_find(tid);
    int pid = t ? t->proc->pid : -1;
    proc_tree_lock_drop();
    return pid;
}

static int proc_lookup(struct inode *dir_in, const char *name, size_t len, struct inode **out)
{
    struct proc_node *dir = node_of(dir_in);
    const struct proc_entry *e = dir->entry;
    for (size_t i = 0; i < e->entry_count; i++) {
        const struct proc_entry *c = &e->entries[i];
        if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
            return make_node(dir, c, c->name, dir->pid, dir->tid, -1, out);
    }
    int number = e->numbered ? parse_number(name, len) : -1;
    char text[NUMBER_DIGITS + 1];
    int pid, tid, fd;
    format_buffer(text, sizeof text, "%d", number);
    if (number >= 0 && dir == &proc_root && e->numbered->next(dir, number) != number &&
        (pid = process_of_thread(number)) > 0)
        return make_node(dir, e->numbered->entry, text, pid, number, -1, out);
    if (number < 0 || e->numbered->next(dir, number) != number)
        return -ENOENT;
    numbered_ids(dir, number, &pid, &tid, &fd);
    return make_node(dir, e->numbered->entry, text, pid, tid, fd, out);
}

/* Positions in a directory: its fixed entries by index, then numbered ones at FIRST_NUMBER + number. */
#define FIRST_NUMBER    64

static long proc_read_dir(struct inode *dir_in, uint64_t *pos, struct dirent_sink *sink)
{
    struct proc_node *dir = node_of(dir_in);
    const struct proc_entry *e = dir->entry;
    long r = 1;
    for (; r > 0 && *pos < e->entry_count; (*pos)++) {
        const struct proc_entry *c = &e->entries[*pos];
        r = fs_emit_dirent(sink, node_ino(c, dir->pid, dir->tid, -1), c->type, c->name, *pos + 1);
        if (r <= 0)
            return r;
    }
    if (!e->numbered)
        return r;
    if (*pos < FIRST_NUMBER)
        *pos = FIRST_NUMBER;
    for (int number; r > 0 && (number = e->numbered->next(dir, (int)(*pos - FIRST_NUMBER))) >= 0;) {
        char name[NUMBER_DIGITS + 1];
        int pid, tid, fd;
        format_buffer(name, sizeof name, "%d", number);
        numbered_ids(dir, number, &pid, &tid, &fd);
        const struct proc_entry *c = e->numbered->entry;
        r = fs_emit_dirent(sink, node_ino(c, pid, tid, fd), c->type, name, FIRST_NUMBER + (uint64_t)number + 1);
        if (r > 0)
            *pos = FIRST_NUMBER + (uint64_t)number + 1;
    }
    return r;
}

static long proc_read_link(struct inode *in, char *buf, size_t size)
{
    struct proc_node *n = node_of(in);
    return n->entry->link(n, buf, size);
}

static int proc_follow(struct inode *in, struct inode **out)
{
    struct proc_node *n = node_of(in);
    if (!n->entry->follow)
        return FOLLOW_TEXT;     /* self, thread-self: their text leads on */
    return n->entry->follow(n, out);
}

static void proc_release(struct inode *in)
{
    kfree(node_of(in));
}

/* ---- open files ---- */

/* An open file of /proc: its text, made when read from offset 0. */
struct proc_open {
    struct spinlock lock;       /* the text and the file's offset, between threads sharing the file */
    struct text text;           /* [lock] buf NULL: not made yet */
};

/* Copy the text from *offset (the file's, or pread's) to u, made again first when read from the start. */
static long read_text(struct file *f, struct uio *u, uint64_t *offset_slot)
{
    struct proc_open *o = f->priv;
    struct proc_node *n = node_of(f->inode);
    struct text fresh = { 0 };
    uint64_t offset = __atomic_load_n(offset_slot, __ATOMIC_RELAXED);
    bool remake = offset == 0 || !__atomic_load_n(&o->text.buf, __ATOMIC_RELAXED);
    if (remake) {
        int err = make_text(n->entry->show, n, &fresh);        /* no lock held: it takes proc_tree's */
        if (err)
            return err;
    }
    spin_lock(&o->lock);
    if (remake) {
        struct text old = o->text;
        o->text = fresh;
        fresh = old;            /* freed below, after the lock */
    }
    offset = *offset_slot;
    size_t n_bytes = offset < o->text.len ? o->text.len - offset : 0;
    size_t copied = n_bytes ? uio_copy_out(u, o->text.buf + offset, n_bytes) : 0;
    *offset_slot = offset + copied;
    spin_unlock(&o->lock);
    text_free(&fresh);
    return copied || !n_bytes ? (long)copied : -EFAULT;
}

static long proc_file_read(struct file *f, struct uio *u)
{
    return read_text(f, u, &f->offset);
}

static long proc_file_read_at(struct file *f, struct uio *u, uint64_t pos)
{
    return read_text(f, u, &pos);
}

static void proc_file_release(struct file *f)
{
    struct proc_open *o = f->priv;
    text_free(&o->text);
    kfree(o);
}

static long proc_dir_getdents(struct file *f, uint64_t ubuf, size_t n)
{
    return fs_read_dir(f->inode, &f->offset, ubuf, n);
}

static const struct file_ops proc_file_ops = {
    .read = proc_file_read, .read_at = proc_file_read_at, .release = proc_file_release, .kind = FILE_INODE,
};
static const struct file_ops proc_dir_ops = { .getdents = proc_dir_getdents, .kind = FILE_INODE };

static long proc_open(struct inode *in, int flags, struct file **out)
{
    struct proc_node *n = node_of(in);
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_TRUNC | O_CREAT)))
        return -EACCES;
    if (in->type == INODE_DIR) {
        *out = file_alloc(&proc_dir_ops, in, flags & O_NONBLOCK);
        return *out ? 0 : -ENFILE;
    }
    if (flags & O_DIRECTORY)
        return -ENOTDIR;
    struct proc_open *o = kzalloc(sizeof *o);
    struct text first;
    int err = !o ? -ENOMEM : make_text(n->entry->show, n, &first);  /* gone already: ENOENT below */
    if (err) {
        kfree(o);
        return err == -ESRCH ? -ENOENT : err;
    }
    o->lock = (struct spinlock)SPINLOCK_INIT("proc_open", LOCK_RANK_PROC_OPEN);
    o->text = first;
    *out = file_alloc(&proc_file_ops, in, flags & O_NONBLOCK);
    if (!*out) {
        text_free(&first);
        kfree(o);
        return -ENFILE;
    }
    (*out)->priv = o;
    return 0;
}

static const struct inode_ops proc_ops = {
    .lookup = proc_lookup, .read_dir = proc_read_dir, .read_link = proc_read_link,
    .follow = proc_follow, .open = proc_open, .release = proc_release,
};

/* ---- what a process and a thread look like ---- */

/* A process (or one thread of it) as /proc shows it: taken under proc_tree_lock in one go. */
struct snapshot {
    int pid, tid, ppid, pgid, sid, threads, exit_signal, nice;
    char name[OS_PROC_NAME_MAX];
    char state;                 /* R S Z: of the thread, or the process's most awake thread */
    uint64_t start_ns;
    struct cpu_usage usage;     /* the thread's, or the whole process's (kernel/cputime.h) */
    struct cpu_usage children;  /* the process's reaped children's */
    uint64_t nvcsw, nivcsw;     /* the thread's switches (of the main thread for the process, as Linux) */
    unsigned cpu, umask;
    uint64_t sig_pending, sig_shared, sig_blocked, sig_ignored, sig_caught;
    cpumask_t affinity;
    /* the process's memory, in pages, and where its parts lie */
    uint64_t size, resident, code, data, stack;
    uint64_t code_start, code_end, stack_start, brk_start;
};

/* Add area a's pages to the snapshot's memory lines (vm lock held). */
static void count_area(void *arg, const struct vm_area *a)
{
    struct snapshot *s = arg;
    uint64_t pages = (a->end - a->start) / PAGE_SIZE;
    s->size += pages;
    if (a->end == USER_STACK_TOP) {
        s->stack += pages;
        s->stack_start = a->end;
    } else if (a->prot & VM_EXEC) {
        s->code += pages;
        if (!s->code_start)
            s->code_start = a->start;
        s->code_end = a->end;
    } else if (a->prot & VM_WRITE) {
        s->data += pages;
    }
}

/* The snapshot of process pid (thread tid of it, or 0 for all of it): 0 or -ESRCH. */
static int take_snapshot(int pid, int tid, struct snapshot *s)
{
    memset(s, 0, sizeof *s);
    proc_tree_lock_take();
    struct process *p = proc_find(pid);
    struct thread *only = tid ? thread_find(tid) : NULL;
    if (!p || (tid && (!only || only->proc != p))) {
        proc_tree_lock_drop();
        return -ESRCH;
    }
    s->pid = pid;
    s->tid = tid ? tid : pid;
    s->ppid = p->parent ? p->parent->pid : 0;
    s->pgid = p->pgid;
    s->sid = p->sid;
    s->threads = p->thread_count;
    s->nice = p->nice;
    s->exit_signal = p->exit_signal;
    memcpy(s->name, p->name, sizeof s->name);
    s->start_ns = p->start_ns;
    s->umask = __atomic_load_n(&p->umask, __ATOMIC_RELAXED);
    s->sig_shared = p->sig_pending;
    for (int sig = 1; sig <= NSIG; sig++) {
        uint64_t h = p->actions[sig - 1].handler, bit = SIGNAL_BIT(sig);     /* actions[] starts at signal 1 */
        s->sig_ignored |= h == SIG_IGN_HANDLER ? bit : 0;
        s->sig_caught |= h != SIG_IGN_HANDLER && h != SIG_DFL_HANDLER ? bit : 0;
    }
    char whole = proc_state_letter(p);      /* a stopped process's threads are all stopped */
    s->state = tid && whole != 'T' ? thread_state_letter(only) : whole;
    struct thread *shown = only ? only : thread_find(pid);     /* the main thread, if it has not ended */
    if (shown && shown->proc == p) {
        struct cpu_usage own;
        cputime_thread(shown, &own);
        s->nvcsw = own.nvcsw;
        s->nivcsw = own.nivcsw;
        s->cpu = cputime_thread_cpu(shown);
        s->sig_blocked = shown->sigmask;
        s->sig_pending = shown->sig_pending;
        s->affinity = shown->affinity;
    }
    if (only)
        cputime_thread(only, &s->usage);
    else
        cputime_process(p, &s->usage);
    cputime_children(p, &s->children);
    if (p->vm) {
        vm_for_each_area(p->vm, count_area, s);
        s->resident = __atomic_load_n(&p->vm->resident_pages, __ATOMIC_RELAXED);
        s->brk_start = p->vm->brk_start;
    }
    proc_tree_lock_drop();
    return 0;
}

static const char *state_name(char state)
{
    return state == 'R' ? "R (running)" : state == 'Z' ? "Z (zombie)" : state == 'T' ? "T (stopped)" :
           "S (sleeping)";
}

static uint64_t ns_to_user_ticks(uint64_t ns)
{
    return ns / (NSEC_PER_SEC / USER_HZ);
}

/* /proc/PID/stat and task/TID/stat: Linux's 52 fields (fs/proc/array.c), those we have filled. */
static void show_stat_of(struct text *t, const struct snapshot *s)
{
    text_printf(t, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %lu %lu %lu %lu %d %d %d 0 %lu %lu %lu %lu ",
                s->tid, s->name, s->state, s->ppid, s->pgid, s->sid, ns_to_user_ticks(s->usage.user_ns),
                ns_to_user_ticks(s->usage.system_ns), ns_to_user_ticks(s->children.user_ns),
                ns_to_user_ticks(s->children.system_ns),
                PRIORITY_NICE_0 + s->nice, s->nice, s->threads, ns_to_user_ticks(s->start_ns),
                s->size * PAGE_SIZE, s->resident, UINT64_MAX);
    text_printf(t, "%lu %lu %lu 0 0 %lu %lu %lu %lu 0 0 0 %d %u 0 0 0 0 0 0 0 %lu 0 0 0 0 0\n",
                s->code_start, s->code_end, s->stack_start, s->sig_pending | s->sig_shared, s->sig_blocked,
                s->sig_ignored, s->sig_caught, s->exit_signal, s->cpu, s->brk_start);
}

static int show_stat(struct text *t, const struct proc_node *n)
{
    struct snapshot s;
    int err = take_snapshot(n->pid, n->tid, &s);
    if (!err)
        show_stat_of(t, &s);
    return err;
}

static void show_kib(struct text *t, const char *field, uint64_t pages)
{
    text_printf(t, "%s:\t%8lu kB\n", field, pages * PAGE_KIB);
}

static int show_status(struct text *t, const struct proc_node *n)
{
    struct snapshot s;
    int err = take_snapshot(n->pid, n->tid, &s);
    if (err)
        return err;
    text_printf(t, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
                   "TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%d\nGroups:\t\n",
                s.name, s.umask, state_name(s.state), s.pid, s.tid, s.ppid, FD_MAX);
    if (s.size) {               /* a zombie, as on Linux, has no memory lines */
        show_kib(t, "VmPeak", s.size);
        show_kib(t, "VmSize", s.size);
        show_kib(t, "VmLck", 0);
        show_kib(t, "VmHWM", s.resident);
        show_kib(t, "VmRSS", s.resident);
        show_kib(t, "VmData", s.data);
        show_kib(t, "VmStk", s.stack);
        show_kib(t, "VmExe", s.code);
        show_kib(t, "VmLib", 0);
        show_kib(t, "VmSwap", 0);
    }
    text_printf(t, "Threads:\t%d\nSigQ:\t0/0\nSigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\n"
                   "SigIgn:\t%016lx\nSigCgt:\t%016lx\nCpus_allowed:\t%lx\n",
                s.threads, s.sig_pending, s.sig_shared, s.sig_blocked, s.sig_ignored, s.sig_caught,
                (uint64_t)s.affinity);
    text_printf(t, "voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n", s.nvcsw, s.nivcsw);
    return 0;
}

static int show_statm(struct text *t, const struct proc_node *n)
{
    struct snapshot s;
    int err = take_snapshot(n->pid, n->tid, &s);
    if (!err)
        text_printf(t, "%lu %lu 0 %lu 0 %lu 0\n", s.size, s.resident, s.code, s.data + s.stack);
    return err;
}

static int show_comm(struct text *t, const struct proc_node *n)
{
    struct snapshot s;
    int err = take_snapshot(n->pid, n->tid, &s);
    if (!err)
        text_printf(t, "%s\n", s.name);
    return err;
}

/* The process's program record, with a reference: NULL if it has gone (or is the kernel). */
static struct program *program_of(int pid)
{
    proc_tree_lock_take();
    struct process *p = proc_find(pid);
    struct program *prog = p ? p->program : NULL;
    if (prog)
        __atomic_add_fetch(&prog->refs, 1, __ATOMIC_RELAXED);
    proc_tree_lock_drop();
    return prog;
}

static int show_cmdline(struct text *t, const struct proc_node *n)
{
    struct program *prog = program_of(n->pid);
    if (!prog)
        return -ESRCH;
    text_bytes(t, prog->args, prog->args_len);
    program_put(prog);
    return 0;
}

/* What maps says an area is: the program (below the heap), the heap, the stack, or nothing. */
struct maps_walk {
    struct text *t;
    const char *program;
    uint64_t brk_start;
};

static void show_area(void *arg, const struct vm_area *a)
{
    struct maps_walk *w = arg;
    bool shared = a->obj && !a->private_obj;
    int len = 0;
    size_t before = w->t->len;
    text_printf(w->t, "%08lx-%08lx %c%c%c%c %08lx 00:00 0 ", a->start, a->end,
                a->prot & VM_READ ? 'r' : '-', a->prot & VM_WRITE ? 'w' : '-', a->prot & VM_EXEC ? 'x' : '-',
                shared ? 's' : 'p', a->obj ? a->first_page * PAGE_SIZE : 0);
    len = (int)(w->t->len - before);
    const char *name = a->end == USER_STACK_TOP ? "[stack]" : a->start < w->brk_start ? w->program :
                       a->start == (w->brk_start + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE ? "[heap]" : "";
    if (*name)
        text_printf(w->t, "%*s%s\n", len < MAPS_NAME_COLUMN ? MAPS_NAME_COLUMN - len : 1, "", name);
    else
        text_printf(w->t, "\n");
}

static int show_maps(struct text *t, const struct proc_node *n)
{
    struct program *prog = program_of(n->pid);
    char *path = prog ? kmalloc(PATH_MAX) : NULL;
    struct maps_walk w = { .t = t, .program = path && fs_path_of_file(prog->file, path, PATH_MAX) >= 0 ? path : "" };
    proc_tree_lock_take();
    struct process *p = proc_find(n->pid);
    if (p && p->vm && __atomic_load_n(&p->vm->area_count, __ATOMIC_RELAXED) * MAPS_LINE_MAX > t->size) {
        t->overflow = true;     /* too small a buffer: no walk of every area to learn it */
    } else if (p && p->vm) {
        w.brk_start = p->vm->brk_start;
        vm_for_each_area(p->vm, show_area, &w);
    }
    proc_tree_lock_drop();
    kfree(path);
    if (prog)
        program_put(prog);
    return p ? 0 : -ESRCH;
}

/* ---- descriptors, the working directory, the program: links ---- */

/* The process's descriptor table, with a reference: NULL if it has none (gone, or a zombie). */
static struct fd_table *fds_of(int pid)
{
    proc_tree_lock_take();
    struct process *p = proc_find(pid);
    struct fd_table *fds = p ? p->fds : NULL;
    if (fds)
        __atomic_add_fetch(&fds->refs, 1, __ATOMIC_RELAXED);
    proc_tree_lock_drop();
    return fds;
}

static int next_fd(const struct proc_node *dir, int from)
{
    struct fd_table *fds = fds_of(dir->pid);
    int fd = fds ? fd_table_next(fds, from) : -1;
    if (fds)
        fd_table_put(fds);
    return fd;
}

/* The file at descriptor n->number of n's process, with a reference, or NULL. */
static struct file *file_of(const struct proc_node *n)
{
    struct fd_table *fds = fds_of(n->pid);
    struct file *f = fds ? fd_table_get(fds, n->number) : NULL;
    if (fds)
        fd_table_put(fds);
    return f;
}

/* Linux's text for a file with no path: "pipe:[N]", "socket:[N]", and so on. */
static uint64_t object_id_key;          /* random, set at boot: object numbers never show a kernel address */

/*
 * The number of an object with no inode (a pipe: both its ends; a
 * socket): a keyed mix of its address, so two descriptors of one object
 * show one number and the address itself stays the kernel's.
 */
static uint32_t object_id(const void *object)
{
    return (uint32_t)random_mix((uint64_t)(uintptr_t)object ^ object_id_key);
}

static long anonymous_link(const struct file *f, char *buf, size_t size)
{
    const char *kind = f->ops->kind == FILE_PIPE ? "pipe" : f->ops->kind == FILE_SOCKET ? "socket" :
                       f->ops->kind == FILE_MQUEUE ? "mqueue" : NULL;
    if (f->ops->kind == FILE_TTY)
        return format_buffer(buf, size, "/dev/console") < (int)size ? (long)strlen(buf) : -ENAMETOOLONG;
    int len = format_buffer(buf, size, "%s:[%u]", kind ? kind : "anon_inode",
                            object_id(f->priv ? f->priv : (const void *)f));
    return len < (int)size ? len : -ENAMETOOLONG;
}

/* The path of a file of the tree: its directory's path and its name, as Linux shows open files. */
static long inode_link(struct inode *in, char *buf, size_t size)
{
    if (in->type == INODE_DIR || in->ops)
        return fs_path_of(in, buf, size);
    return fs_path_of_file(in, buf, size);
}

static long fd_link(const struct proc_node *n, char *buf, size_t size)
{
    struct file *f = file_of(n);
    if (!f)
        return -ENOENT;
    long len = f->inode ? inode_link(f->inode, buf, size) : anonymous_link(f, buf, size);
    file_put(f);
    return len;
}

static int fd_follow(const struct proc_node *n, struct inode **out)
{
    struct file *f = file_of(n);
    struct inode *in = f ? f->inode : NULL;
    if (in)
        inode_get(in);
    if (f)
        file_put(f);
    *out = in;
    return in ? 0 : -ENOENT;     /* a pipe or a socket is not a file of the tree to walk into */
}

/* fs_lock is held here (inode_get_found): find the process's cwd without letting p go. */
static struct inode *cwd_in_lock(void *arg)
{
    proc_tree_lock_take();
    struct process *p = proc_find(*(const int *)arg);
    struct inode *cwd = p ? p->cwd : NULL;
    proc_tree_lock_drop();
    return cwd;
}

static int cwd_follow(const struct proc_node *n, struct inode **out)
{
    int pid = n->pid;
    *out = inode_get_found(cwd_in_lock, &pid);
    return *out ? 0 : -ENOENT;
}

static long cwd_link(const struct proc_node *n, char *buf, size_t size)
{
    struct inode *cwd;
    int err = cwd_follow(n, &cwd);
    if (err)
        return err;
    long len = fs_path_of(cwd, buf, size);
    inode_put(cwd);
    return len;
}

static int exe_follow(const struct proc_node *n, struct inode **out)
{
    struct program *prog = program_of(n->pid);
    *out = prog ? prog->file : NULL;
    if (*out)
        inode_get(*out);
    if (prog)
        program_put(prog);
    return *out ? 0 : -ENOENT;
}

static long copy_link(const char *text, char *buf, size_t size)
{
    size_t len = strlen(text);
    if (len >= size)
        return -ENAMETOOLONG;
    memcpy(buf, text, len + 1);
    return (long)len;
}

static long exe_link(const struct proc_node *n, char *buf, size_t size)
{
    struct program *prog = program_of(n->pid);
    long len = prog ? fs_path_of_file(prog->file, buf, size) : -ENOENT;
    if (prog)
        program_put(prog);
    return len;
}

static long root_link(const struct proc_node *n, char *buf, size_t size)
{
    (void)n;
    return copy_link("/", buf, size);
}

static int root_follow(const struct proc_node *n, struct inode **out)
{
    (void)n;
    *out = fs_root();
    inode_get(*out);
    return 0;
}

static long self_link(const struct proc_node *n, char *buf, size_t size)
{
    (void)n;
    int len = format_buffer(buf, size, "%d", proc_current()->pid);
    return len < (int)size ? len : -ENAMETOOLONG;
}

static long thread_self_link(const struct proc_node *n, char *buf, size_t size)
{
    (void)n;
    int len = format_buffer(buf, size, "%d/task/%d", proc_current()->pid, thread_current()->tid);
    return len < (int)size ? len : -ENAMETOOLONG;
}

/* ---- the numbered directories ---- */

static int next_pid(const struct proc_node *dir, int from)
{
    (void)dir;
    return proc_next_pid(from);
}

static int next_tid(const struct proc_node *dir, int from)
{
    int found = -1;
    proc_tree_lock_take();
    struct process *p = proc_find(dir->pid);
    if (p) {
        list_for_each(pos, &p->threads) {      /* its own threads: few, in no order */
            int tid = container_of(pos, struct thread, proc_link)->tid;
            if (tid >= from && (found < 0 || tid < found))
                found = tid;
        }
    }
    proc_tree_lock_drop();
    return found;
}

/* ---- the system's files ---- */

static int show_uptime(struct text *t, const struct proc_node *n)
{
    (void)n;
    struct sched_stats st;
    sched_get_stats(&st);
    uint64_t up = clock_monotonic_ns() / (NSEC_PER_SEC / 100), idle = st.idle_ticks * (100 / TICK_HZ);
    text_printf(t, "%lu.%02lu %lu.%02lu\n", up / 100, up % 100, idle / 100, idle % 100);
    return 0;
}

static void show_cpu_line(struct text *t, const char *name, const struct sched_stats *st)
{
    text_printf(t, "%s %lu 0 %lu %lu 0 0 0 0 0 0\n", name, st->ticks - st->idle_ticks - st->system_ticks,
                st->system_ticks, st->idle_ticks);
}

static int show_system_stat(struct text *t, const struct proc_node *n)
{
    (void)n;
    struct sched_stats all;
    sched_get_stats(&all);
    show_cpu_line(t, "cpu ", &all);
    for (cpumask_t m = cpus_online(); m; m &= m - 1) {
        unsigned cpu = (unsigned)__builtin_ctzll(m);
        struct sched_stats one;
        char name[NUMBER_DIGITS + 4];
        sched_get_cpu_stats(cpu, &one);
        format_buffer(name, sizeof name, "cpu%u", cpu);
        show_cpu_line(t, name, &one);
    }
    uint64_t boot = clock_realtime_ns() - clock_monotonic_ns();
    text_printf(t, "intr %lu\nctxt %lu\nbtime %lu\nprocesses %d\nprocs_running %lu\nprocs_blocked 0\n",
                all.ticks, all.switches, (unsigned long)(boot / NSEC_PER_SEC), proc_last_pid(),
                sched_runnable_count());
    return 0;
}

static int show_loadavg(struct text *t, const struct proc_node *n)
{
    (void)n;
    unsigned long load[3];
    sched_load_averages(load);
    text_printf(t, "%lu.%02lu %lu.%02lu %lu.%02lu %lu/%lu %d\n",
                load[0] / LOAD_SCALE, load[0] % LOAD_SCALE * 100 / LOAD_SCALE,
                load[1] / LOAD_SCALE, load[1] % LOAD_SCALE * 100 / LOAD_SCALE,
                load[2] / LOAD_SCALE, load[2] % LOAD_SCALE * 100 / LOAD_SCALE,
                sched_runnable_count(), sched_thread_count(), proc_last_pid());
    return 0;
}

static int show_meminfo(struct text *t, const struct proc_node *n)
{
    (void)n;
    struct pmm_stats ram;
    pmm_get_stats(&ram);
    uint64_t files = (FS_BYTES_MAX - fs_bytes_free()) / PAGE_SIZE;
    show_kib(t, "MemTotal", ram.managed_pages);
    show_kib(t, "MemFree", ram.free_pages);
    show_kib(t, "MemAvailable", ram.free_pages);
    show_kib(t, "Buffers", 0);
    show_kib(t, "Cached", files);
    show_kib(t, "SwapCached", 0);
    show_kib(t, "SwapTotal", 0);
    show_kib(t, "SwapFree", 0);
    show_kib(t, "Shmem", files);
    return 0;
}

static int show_cpuinfo(struct text *t, const struct proc_node *n)
{
    (void)n;
    const struct cpu_features *c = &cpu_features;
    uint64_t hz = clock_tsc_hz();
    for (cpumask_t m = cpus_online(); m; m &= m - 1) {
        text_printf(t, "processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
                       "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: %lu.%03lu\n",
                    (unsigned)__builtin_ctzll(m), c->vendor, c->family, c->model, c->brand, c->stepping,
                    hz / 1000000, hz / 1000 % 1000);
        text_printf(t, "flags\t\t: fpu tsc%s%s%s%s%s%s%s%s\n\n", c->pge ? " pge" : "", c->syscall ? " syscall" : "",
                    c->nx ? " nx" : "", c->rdtscp ? " rdtscp" : "", c->pcid ? " pcid" : "",
                    c->invpcid ? " invpcid" : "", c->smep ? " smep" : "", c->smap ? " smap" : "");
    }
    return 0;
}

static int show_mounts(struct text *t, const struct proc_node *n)
{
    (void)n;
    text_printf(t, "ramfs / ramfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec 0 0\n");
    return 0;
}

static int show_filesystems(struct text *t, const struct proc_node *n)
{
    (void)n;
    text_printf(t, "nodev\tramfs\nnodev\tproc\n");
    return 0;
}

/* ---- the tables ---- */

#define FILE_ENTRY(n, fn)           { .name = n, .type = INODE_FILE, .show = fn }
#define LINK_ENTRY(n, text, obj)    { .name = n, .type = INODE_SYMLINK, .link = text, .follow = obj }
#define DIR_ENTRY(n, table, num)    { .name = n, .type = INODE_DIR, .entries = table, \
                                      .entry_count = sizeof table / sizeof *table, .numbered = num }
#define NUMBERED_DIR(n, num)        { .name = n, .type = INODE_DIR, .numbered = num }

static const struct proc_entry fd_entry = LINK_ENTRY("", fd_link, fd_follow);
static const struct numbered fds_numbered = { next_fd, &fd_entry };

static const struct proc_entry thread_entries[] = {
    FILE_ENTRY("stat", show_stat), FILE_ENTRY("status", show_status), FILE_ENTRY("statm", show_statm),
    FILE_ENTRY("comm", show_comm), FILE_ENTRY("cmdline", show_cmdline), FILE_ENTRY("maps", show_maps),
    NUMBERED_DIR("fd", &fds_numbered), LINK_ENTRY("cwd", cwd_link, cwd_follow),
    LINK_ENTRY("exe", exe_link, exe_follow), LINK_ENTRY("root", root_link, root_follow),
};
static const struct proc_entry thread_entry = DIR_ENTRY("", thread_entries, NULL);
static const struct numbered tids_numbered = { next_tid, &thread_entry };

static const struct proc_entry process_entries[] = {
    FILE_ENTRY("stat", show_stat), FILE_ENTRY("status", show_status), FILE_ENTRY("statm", show_statm),
    FILE_ENTRY("comm", show_comm), FILE_ENTRY("cmdline", show_cmdline), FILE_ENTRY("maps", show_maps),
    NUMBERED_DIR("fd", &fds_numbered), NUMBERED_DIR("task", &tids_numbered),
    LINK_ENTRY("cwd", cwd_link, cwd_follow), LINK_ENTRY("exe", exe_link, exe_follow),
    LINK_ENTRY("root", root_link, root_follow),
};
static const struct proc_entry process_entry = DIR_ENTRY("", process_entries, NULL);
static const struct numbered pids_numbered = { next_pid, &process_entry };

static const struct proc_entry root_entries[] = {
    LINK_ENTRY("self", self_link, NULL), LINK_ENTRY("thread-self", thread_self_link, NULL),
    FILE_ENTRY("meminfo", show_meminfo), FILE_ENTRY("stat", show_system_stat),
    FILE_ENTRY("uptime", show_uptime), FILE_ENTRY("loadavg", show_loadavg),
    FILE_ENTRY("cpuinfo", show_cpuinfo), FILE_ENTRY("mounts", show_mounts),
    FILE_ENTRY("filesystems", show_filesystems),
};
static const struct proc_entry root_entry = DIR_ENTRY("proc", root_entries, &pids_numbered);
_Static_assert(sizeof root_entries / sizeof *root_entries < FIRST_NUMBER, "positions of /proc's fixed entries");

void procfs_init(void)
{
    struct inode *dir = fs_add_made_dir("/proc", &proc_root.inode, &proc_ops);
    if (!dir)
        panic("procfs_init: cannot make /proc");
    proc_root.entry = &root_entry;
    proc_root.number = -1;
    random_bytes(&object_id_key, sizeof object_id_key);
}
