/*
 * exec: load an ELF64 static executable into a fresh address space and
 * build the SysV start-up stack (argc, argv, envp, auxv), then, for
 * execve, replace the caller's image.  Everything read from the file is
 * checked first: a bad or truncated ELF gives ENOEXEC, never a fault.
 * The old image is untouched until the new one is complete.
 */
#include <abi/auxv.h>
#include <abi/elf.h>
#include <arch/context.h>
#include <arch/cpu.h>
#include <kernel/cmdline.h>
#include <kernel/cputime.h>
#include <kernel/errno.h>
#include <kernel/exec.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/trace.h>
#include <kernel/vm.h>
#include <lib/string.h>

#define PHNUM_MAX       64      /* more program headers than any static binary has */

#define AUXV_PAIRS 12           /* the entries build_stack writes, AT_NULL included */
#define RANDOM_BYTES 16
#define STACK_ALIGN 16

static uint64_t page_down(uint64_t a) { return a & ~(uint64_t)(PAGE_SIZE - 1); }
static uint64_t page_up(uint64_t a)   { return page_down(a + PAGE_SIZE - 1); }

int exec_args_init(struct exec_args *args)
{
    *args = (struct exec_args){ .strings = kmalloc(ARG_MAX) };
    return args->strings ? 0 : -ENOMEM;
}

void exec_args_free(struct exec_args *args)
{
    kfree(args->strings);
    args->strings = NULL;
}

int exec_args_add(struct exec_args *args, const char *s, size_t len)
{
    if (args->used + len + 1 > ARG_MAX || args->argc + args->envc >= ARGS_MAX)
        return -E2BIG;
    memcpy(args->strings + args->used, s, len);
    args->strings[args->used + len] = '\0';
    args->used += len + 1;
    return 0;
}

static const struct elf64_ehdr *check_header(const uint8_t *file, uint64_t size)
{
    const struct elf64_ehdr *h = (const void *)file;
    if (size < sizeof *h || memcmp(h->ident, ELF_MAGIC, ELF_MAGIC_SIZE) != 0 ||
        h->ident[EI_CLASS] != ELFCLASS64 || h->ident[EI_DATA] != ELFDATA2LSB ||
        h->ident[EI_VERSION] != EV_CURRENT || h->type != ET_EXEC ||
        h->machine != EM_X86_64 || h->phentsize != sizeof(struct elf64_phdr) ||
        h->phnum == 0 || h->phnum > PHNUM_MAX || h->phoff > size ||
        size - h->phoff < (uint64_t)h->phnum * sizeof(struct elf64_phdr))
        return NULL;
    return h;
}

static unsigned segment_prot(uint32_t flags)
{
    return ((flags & PF_R) ? VM_READ : 0) | ((flags & PF_W) ? VM_WRITE | VM_READ : 0) |
           ((flags & PF_X) ? VM_EXEC : 0);
}

/* Map one PT_LOAD segment and copy its file bytes; *end grows to its end. */
static int load_segment(struct vm *vm, const uint8_t *file, uint64_t size,
                        const struct elf64_phdr *ph, uint64_t *end)
{
    uint64_t seg_end = ph->vaddr + ph->memsz;
    if (ph->filesz > ph->memsz || ph->offset > size || size - ph->offset < ph->filesz ||
        seg_end < ph->vaddr || ph->vaddr < USER_MIN || seg_end > MMAP_BASE ||
        (ph->vaddr & (PAGE_SIZE - 1)) != (ph->offset & (PAGE_SIZE - 1)))
        return -ENOEXEC;
    if (ph->memsz == 0)
        return 0;
    int err = vm_add_area(vm, page_down(ph->vaddr), page_up(seg_end), segment_prot(ph->flags));
    if (err)
        return err == -ENOMEM ? err : -ENOEXEC;     /* overlapping segments */
    if (vm_copy_out(vm, ph->vaddr, file + ph->offset, ph->filesz, true) != 0)
        return -ENOMEM;
    if (seg_end > *end)
        *end = seg_end;
    return 0;
}

/* The user address of the program headers: PT_PHDR, or inside the segment that holds them. */
static uint64_t phdr_address(const struct elf64_ehdr *h, const struct elf64_phdr *ph)
{
    for (int i = 0; i < h->phnum; i++)
        if (ph[i].type == PT_PHDR)
            return ph[i].vaddr;
    for (int i = 0; i < h->phnum; i++)
        if (ph[i].type == PT_LOAD && h->phoff >= ph[i].offset &&
            h->phoff - ph[i].offset < ph[i].filesz)
            return ph[i].vaddr + (h->phoff - ph[i].offset);
    return 0;
}

static uint64_t random_seed;

static void random_bytes(uint8_t *out, size_t n)
{
    random_seed ^= rdtsc_ordered();
    for (size_t i = 0; i < n; i++) {
        random_seed ^= random_seed << 13;
        random_seed ^= random_seed >> 7;
        random_seed ^= random_seed << 17;
        out[i] = (uint8_t)random_seed;
    }
}

/* Append count pointers to the strings at user address base + *off, then a NULL; *off moves past them. */
static size_t put_string_vector(uint64_t *v, size_t w, const char *strings, uint64_t base,
                                size_t *off, int count)
{
    for (int i = 0; i < count; i++) {
        v[w++] = base + *off;
        *off += strlen(strings + *off) + 1;
    }
    v[w++] = 0;
    return w;
}

/*
 * The start-up stack, from the top: the strings, 16 random bytes, then,
 * 16-byte aligned at the stack pointer: argc, argv[], NULL, envp[], NULL,
 * auxv pairs ending with AT_NULL.
 */
static int build_stack(struct vm *vm, const struct exec_args *args, uint64_t auxv_in[][2],
                       int auxn, uint64_t *sp_out)
{
    uint64_t strings = USER_STACK_TOP - args->used;
    uint64_t random_at = (strings - RANDOM_BYTES) & ~(uint64_t)(STACK_ALIGN - 1);
    size_t words = 1 + (size_t)args->argc + 1 + (size_t)args->envc + 1 + 2 * (size_t)auxn;
    uint64_t sp = (random_at - words * sizeof(uint64_t)) & ~(uint64_t)(STACK_ALIGN - 1);
    uint64_t *v = kmalloc(words * sizeof *v);
    if (!v)
        return -ENOMEM;
    size_t w = 0, off = 0;
    v[w++] = (uint64_t)args->argc;
    w = put_string_vector(v, w, args->strings, strings, &off, args->argc);     /* argv, even empty */
    w = put_string_vector(v, w, args->strings, strings, &off, args->envc);     /* envp */
    for (int i = 0; i < auxn; i++) {
        v[w++] = auxv_in[i][0];
        v[w++] = auxv_in[i][0] == AT_RANDOM ? random_at : auxv_in[i][1];
    }
    uint8_t rnd[RANDOM_BYTES];
    random_bytes(rnd, sizeof rnd);
    int err = vm_copy_out(vm, strings, args->strings, args->used, false);
    if (!err)
        err = vm_copy_out(vm, random_at, rnd, sizeof rnd, false);
    if (!err)
        err = vm_copy_out(vm, sp, v, w * sizeof *v, false);
    kfree(v);
    *sp_out = sp;
    return err ? -ENOMEM : 0;
}

/*
 * Load the executable image (size bytes) into a new address space.
 */
static int load_bytes(const uint8_t *image, uint64_t size, const struct exec_args *args,
                      struct exec_image *img)
{
    int err;
    const struct elf64_ehdr *h = check_header(image, size);
    if (!h)
        return -ENOEXEC;
    const struct elf64_phdr *ph = (const void *)(image + h->phoff);
    struct vm *vm = vm_create();
    if (!vm)
        return -ENOMEM;
    uint64_t end = 0;
    err = 0;
    for (int i = 0; i < h->phnum && !err; i++) {
        if (ph[i].type == PT_INTERP)
            err = -ENOEXEC;                     /* dynamically linked: no loader here */
        else if (ph[i].type == PT_LOAD)
            err = load_segment(vm, image, size, &ph[i], &end);
    }
    if (!err && (end == 0 || h->entry < USER_MIN || h->entry >= end))
        err = -ENOEXEC;
    if (!err)
        err = vm_add_area(vm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP, VM_READ | VM_WRITE);
    uint64_t auxv[AUXV_PAIRS][2] = {
        { AT_PHDR, phdr_address(h, ph) }, { AT_PHENT, sizeof *ph }, { AT_PHNUM, h->phnum },
        { AT_PAGESZ, PAGE_SIZE }, { AT_ENTRY, h->entry }, { AT_UID, 0 }, { AT_EUID, 0 },
        { AT_GID, 0 }, { AT_EGID, 0 }, { AT_SECURE, 0 }, { AT_RANDOM, 0 }, { AT_NULL, 0 },
    };
    if (!err)
        err = build_stack(vm, args, auxv, AUXV_PAIRS, &img->stack);
    if (err) {
        vm_destroy(vm);
        return err;
    }
    vm->brk_start = vm->brk = page_up(end);
    img->vm = vm;
    img->entry = h->entry;
    return 0;
}

/*
 * Scripts.  A file that starts with "#!" names its interpreter, and at
 * most one argument for it, on that line (which must end within
 * SCRIPT_LINE_MAX bytes); the interpreter runs with argv[0] replaced by
 * its path, the argument, and the script's path, as on Linux.  An
 * interpreter may be a script itself, SCRIPT_DEPTH_MAX deep (ELOOP past).
 */
#define SCRIPT_LINE_MAX     256
#define SCRIPT_DEPTH_MAX    4

struct script_line {
    char interp[SCRIPT_LINE_MAX];
    char arg[SCRIPT_LINE_MAX];  /* "" when there is none */
};

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* 1 and the line in *line if bytes (size of them) are a script; 0 if not one; -ENOEXEC if its line is bad. */
static int parse_script(const uint8_t *bytes, uint64_t size, struct script_line *line)
{
    if (size < 2 || bytes[0] != '#' || bytes[1] != '!')
        return 0;
    const char *p = (const char *)bytes + 2;
    const char *end = (const char *)bytes + (size < SCRIPT_LINE_MAX ? size : SCRIPT_LINE_MAX);
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
        return -ENOEXEC;        /* no end of line within the first SCRIPT_LINE_MAX bytes */
    while (p < nl && blank(*p))
        p++;
    const char *interp = p;
    while (p < nl && !blank(*p))
        p++;
    size_t interp_len = (size_t)(p - interp);
    while (p < nl && blank(*p))
        p++;
    const char *arg_end = nl;
    while (arg_end > p && (blank(arg_end[-1]) || arg_end[-1] == '\r'))
        arg_end--;
    if (!interp_len)
        return -ENOEXEC;
    memcpy(line->interp, interp, interp_len);
    line->interp[interp_len] = '\0';
    memcpy(line->arg, p, (size_t)(arg_end - p));
    line->arg[arg_end - p] = '\0';
    return 1;
}

/* argv[0] replaced by the interpreter, its argument (if any) and the script's path.  0, -E2BIG or -ENOMEM. */
static int args_for_script(struct exec_args *args, const struct script_line *line, const char *path)
{
    size_t interp_len = strlen(line->interp) + 1, arg_len = line->arg[0] ? strlen(line->arg) + 1 : 0;
    size_t path_len = strlen(path) + 1, prefix = interp_len + arg_len + path_len;
    size_t first = args->argc ? strlen(args->strings) + 1 : 0;      /* the old argv[0], which goes */
    int more = (arg_len ? 1 : 0) + (args->argc ? 1 : 2);
    if (args->used - first + prefix > ARG_MAX || args->argc + args->envc + more > ARGS_MAX)
        return -E2BIG;
    char *copy = kmalloc(prefix);      /* path may lie in args->strings itself */
    if (!copy)
        return -ENOMEM;
    memcpy(copy, line->interp, interp_len);
    memcpy(copy + interp_len, line->arg, arg_len);
    memcpy(copy + interp_len + arg_len, path, path_len);
    memmove(args->strings + prefix, args->strings + first, args->used - first);
    memcpy(args->strings, copy, prefix);
    kfree(copy);
    args->used = args->used - first + prefix;
    args->argc += more;
    return 0;
}

/* The bytes of args's argv strings, each with its NUL. */
static size_t argv_bytes(const struct exec_args *args)
{
    size_t n = 0;
    for (int i = 0; i < args->argc; i++)
        n += strlen(args->strings + n) + 1;
    return n;
}

/*
 * Load the program at path (from the caller's working directory) into a
 * new address space: an ELF executable from the initrd's bytes in place,
 * or from a copy of a written file's (a write on another CPU cannot change
 * it under the loader); a script through its interpreter (args rewritten).
 */
int exec_load(const char *path, struct exec_args *args, struct exec_image *img)
{
    struct process *self = proc_current();
    struct script_line *line = kmalloc(sizeof *line);
    if (!line)
        return -ENOMEM;
    int err = 0;
    for (int depth = 0; !err; depth++) {
        struct inode *in;
        struct inode *start = self->cwd ? inode_get_from(&self->cwd) : fs_root();
        err = fs_resolve(start, path, &in);     /* held: the file stays while it is loaded */
        if (self->cwd)
            inode_put(start);
        if (err)
            break;
        uint64_t size = 0;
        void *copy = NULL;
        const uint8_t *image = in->type == INODE_FILE ? fs_file_image(in, &size, &copy) : NULL;
        int script = image ? parse_script(image, size, line) : 0;
        if (in->type != INODE_FILE)
            err = -EACCES;
        else if (!image)
            err = -ENOMEM;
        else if (script < 0)
            err = script;
        else if (script == 0)
            err = load_bytes(image, size, args, img);
        if (!err && script == 0 && !(img->program = program_new(in, args->strings, argv_bytes(args)))) {
            vm_destroy(img->vm);
            err = -ENOMEM;
        }
        kfree(copy);
        inode_put(in);
        if (err || script == 0)
            break;
        if (depth == SCRIPT_DEPTH_MAX) {
            err = -ELOOP;
            break;
        }
        err = args_for_script(args, line, path);
        path = args->strings;           /* the interpreter, now argv[0] */
    }
    kfree(line);
    return err;
}

/* Copy the NULL-terminated user array of strings at uarray into args. */
static int copy_user_strings(struct exec_args *args, uint64_t uarray, int *count)
{
    char *buf = args->strings;
    for (int i = 0; uarray; i++) {
        uint64_t ustr;
        if (copy_from_user(&ustr, uarray + (uint64_t)i * sizeof ustr, sizeof ustr) != 0)
            return -EFAULT;
        if (!ustr)
            return 0;
        if (args->argc + args->envc >= ARGS_MAX)
            return -E2BIG;
        long len = copy_string_from_user(buf + args->used, ustr, ARG_MAX - args->used);
        if (len < 0)
            return len == -ENAMETOOLONG ? -E2BIG : (int)len;
        args->used += (size_t)len + 1;
        (*count)++;
    }
    return 0;
}

/* The point of no return: the calling process becomes the new image. */
static void exec_commit(struct exec_image *img, const char *path, struct trap_frame *tf)
{
    struct process *p = proc_current();
    struct thread *t = thread_current();
    proc_tree_lock_take();                      /* /proc reads them under the lock */
    struct vm *old = p->vm;
    struct program *old_program = p->program;
    p->vm = img->vm;
    p->program = img->program;
    proc_tree_lock_drop();
    vm_activate(p->vm);
    cputime_note_peak_rss(p, old);      /* ru_maxrss spans the images, as on Linux */
    vm_destroy(old);
    if (old_program)
        program_put(old_program);
    fd_close_on_exec(p->fds);
    strncpy(p->name, fs_basename(path), OS_PROC_NAME_MAX - 1);
    trace_exec(p);
    proc_tree_lock_take();                      /* a kill from elsewhere reads them meanwhile */
    for (int sig = 0; sig < NSIG; sig++)        /* caught signals reset; ignored ones stay ignored */
        if (p->actions[sig].handler != SIG_IGN_HANDLER)
            p->actions[sig] = (struct sig_action){ .handler = SIG_DFL_HANDLER };
    proc_tree_lock_drop();
    arch_thread_clean_state(&t->arch);
    arch_set_fs_base(&t->arch, 0);
    arch_fpu_restore(&t->arch);                 /* the live registers, not just the saved copy */
    arch_frame_init_user(tf, img->entry, img->stack);
}

long sys_execve(const struct syscall_args *a)
{
    char path[PATH_MAX];
    long len = copy_string_from_user(path, a->arg[0], sizeof path);
    if (len < 0)
        return len;
    struct exec_args args;
    if (exec_args_init(&args) != 0)
        return -ENOMEM;
    int err = copy_user_strings(&args, a->arg[1], &args.argc);
    if (!err)
        err = copy_user_strings(&args, a->arg[2], &args.envc);
    struct exec_image img;
    if (!err)
        err = exec_load(path, &args, &img);
    exec_args_free(&args);
    if (!err && (err = proc_stop_other_threads()) != 0) {
        vm_destroy(img.vm);     /* the new image is ready, but we could not be alone */
        program_put(img.program);
    }
    if (err)
        return err;
    exec_commit(&img, path, a->tf);
    return 0;
}

/* Split s at spaces into args (init= on the command line). */
static int add_words(struct exec_args *args, const char *s)
{
    while (*s) {
        while (*s == ' ')
            s++;
        size_t len = strcspn(s, " ");
        if (len) {
            int err = exec_args_add(args, s, len);
            if (err)
                return err;
            args->argc++;
        }
        s += len;
    }
    return 0;
}

#define DEFAULT_INIT "/bin/sh"
#define INIT_ENV     "PATH=/bin:/usr/bin"     /* ours first (the readable ones), then BusyBox's */

void proc_start_init(void)
{
    const char *cmd = cmdline_get("init");
    if (!cmd || !*cmd)
        cmd = DEFAULT_INIT;
    struct exec_args args;
    struct exec_image img;
    if (exec_args_init(&args) != 0 || add_words(&args, cmd) != 0 || args.argc == 0 ||
        exec_args_add(&args, INIT_ENV, strlen(INIT_ENV)) != 0)
        panic("proc_start_init: bad init command '%s'", cmd);
    args.envc = 1;
    int err = exec_load(args.strings, &args, &img);
    if (err)
        panic("proc_start_init: cannot start %s: error %d", args.strings, -err);
    struct process *p = proc_new_init();
    struct thread *t = p ? thread_create(p, NULL, NULL) : NULL;
    if (t)
        arch_thread_clean_state(&t->arch);     /* a user thread's FPU and FS base are its creator's to set */
    struct file *console = tty_open();
    p->fds = fd_table_create();
    if (!t || !console || !p->fds)
        panic("proc_start_init: out of memory");
    for (int fd = 0; fd < 3; fd++) {            /* stdin, stdout, stderr: one open console */
        if (fd)
            file_get(console);
        fd_install(p->fds, console, fd, false);
    }
    p->vm = img.vm;
    p->program = img.program;
    p->cwd = fs_root();
    inode_get(p->cwd);
    strncpy(p->name, fs_basename(args.strings), OS_PROC_NAME_MAX - 1);
    arch_frame_init_user(arch_user_frame(t->kstack_top), img.entry, img.stack);
    exec_args_free(&args);
    proc_attach_first_thread(p, t);
    sched_make_runnable(t);
}
