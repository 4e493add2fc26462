/*
 * Memory system calls: brk; mmap of anonymous memory (private, or
 * shared: the same pages in every process a fork makes) and of files of
 * the RAM file system (shared: the file's own pages, which read and write
 * see; private: those pages copied on the first write), both through
 * memory objects (kernel/vm_object.c); munmap, mprotect, madvise, msync;
 * page-granular.  Pages come on the first touch (kernel/vm.c).
 */
#include <abi/fcntl.h>
#include <abi/mman.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>
#include <kernel/vm_object.h>

/* Flags that change nothing here: every mapping is lazily allocated. */
#define MAP_HARMLESS    (MAP_GROWSDOWN | MAP_NORESERVE | MAP_POPULATE | MAP_STACK)

static uint64_t page_up(uint64_t a) { return (a + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1); }

static int prot_to_vm(uint64_t prot, unsigned *out)
{
    if (prot & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC))
        return -EINVAL;
    /* x86 pages are always readable when present: any access right includes reading. */
    *out = (prot ? VM_READ : 0) | ((prot & PROT_WRITE) ? VM_WRITE : 0) |
           ((prot & PROT_EXEC) ? VM_EXEC : 0);
    return 0;
}

/* A page-aligned user range [addr, addr + page_up(len)): 0, or -EINVAL / -ENOMEM. */
static int check_range(uint64_t addr, uint64_t len, uint64_t *end)
{
    if ((addr & (PAGE_SIZE - 1)) || len == 0)
        return -EINVAL;
    uint64_t size = page_up(len);
    if (size < len || addr + size < addr || addr < USER_MIN || addr + size > TASK_SIZE)
        return -ENOMEM;
    *end = addr + size;
    return 0;
}

long sys_brk(const struct syscall_args *a)
{
    struct vm *vm = proc_current()->vm;
    return (long)vm_set_brk(vm, a->arg[0]);
}

/* Map size bytes (page aligned) for mmap: at addr (MAP_FIXED) or the lowest gap; the address or -errno. */
static long map_area(struct vm *vm, uint64_t addr, uint64_t size, uint64_t flags, unsigned vprot,
                     const struct vm_backing *b)
{
    if (flags & MAP_FIXED) {
        uint64_t end;
        int err = check_range(addr, size, &end);
        if (!err)
            err = vm_replace_range(vm, addr, end, vprot, b);
        return err ? err : (long)addr;
    }
    addr = vm_map_anywhere(vm, size, vprot, b);     /* a hint is not followed: the lowest gap */
    return addr ? (long)addr : -ENOMEM;
}

/* Map b, whose object the caller holds (its reference goes here: the area takes its own). */
static long map_object(struct vm *vm, uint64_t addr, uint64_t size, uint64_t flags, unsigned vprot,
                       struct vm_backing *b)
{
    long r = map_area(vm, addr, size, flags, vprot, b);
    vm_object_put(b->obj);
    return r;
}

/*
 * mmap of fd's file from byte offset: the file's pages, shared or copied
 * on write.  As Linux: a mapping needs a descriptor open for reading, a
 * shared writable one a descriptor open for writing too (EACCES); only
 * regular files map (ENODEV); the offset is page aligned (EINVAL) and
 * the mapping ends within the largest file size (EOVERFLOW).
 */
static long map_file(struct vm *vm, uint64_t addr, uint64_t size, uint64_t flags, unsigned vprot,
                     int fd, uint64_t offset)
{
    if (offset % PAGE_SIZE)
        return -EINVAL;
    if (offset > FILE_SIZE_MAX - size)
        return -EOVERFLOW;      /* past the largest file, as Linux */
    struct file *f = fd_get(fd);
    if (!f)
        return -EBADF;
    bool shared = (flags & MAP_TYPE) != MAP_PRIVATE;
    int mode = f->flags & O_ACCMODE;
    int err = !f->inode || f->inode->type != INODE_FILE ? -ENODEV :
              mode == O_WRONLY || (shared && (vprot & VM_WRITE) && mode != O_RDWR) ? -EACCES : 0;
    struct vm_backing b = { .first_page = offset / PAGE_SIZE, .private_copy = !shared,
                            .never_writable = shared && mode != O_RDWR };
    if (!err)
        b.obj = fs_contents(f->inode, &err);
    fd_put(f);
    return err ? err : map_object(vm, addr, size, flags, vprot, &b);
}

long sys_mmap(const struct syscall_args *a)
{
    uint64_t addr = a->arg[0], len = a->arg[1], prot = a->arg[2], flags = a->arg[3];
    uint64_t type = flags & MAP_TYPE;
    struct vm *vm = proc_current()->vm;
    unsigned vprot;
    if ((type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE) ||
        (flags & ~(uint64_t)(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_HARMLESS)) ||
        prot_to_vm(prot, &vprot) != 0 || len == 0)
        return -EINVAL;
    uint64_t size = page_up(len);
    if (size < len || size > TASK_SIZE)
        return -ENOMEM;
    if (!(flags & MAP_ANONYMOUS))
        return map_file(vm, addr, size, flags, vprot, (int)a->arg[4], a->arg[5]);
    if (type == MAP_PRIVATE)
        return map_area(vm, addr, size, flags, vprot, NULL);
    /* LAB shm BEGIN */
    struct vm_backing b = { .obj = vm_object_create(size / PAGE_SIZE) };   /* pages fork keeps shared */
    if (!b.obj)
        return -ENOMEM;
    b.obj->anonymous = true;
    return map_object(vm, addr, size, flags, vprot, &b);
    /* LAB shm END */
    /* LAB shm STUB
    return map_area(vm, addr, size, flags, vprot, NULL);   // lab shm: as MAP_PRIVATE, so fork copies it
       LAB shm STUB END */
}

/* mremap(old, old_len, new_len, flags, new_addr): MREMAP_MAYMOVE and MREMAP_FIXED (kernel/vm.c, vm_remap). */
long sys_mremap(const struct syscall_args *a)
{
    uint64_t old = a->arg[0], old_len = page_up(a->arg[1]), new_len = page_up(a->arg[2]), flags = a->arg[3];
    bool fixed = flags & MREMAP_FIXED;
    if ((flags & ~(uint64_t)(MREMAP_MAYMOVE | MREMAP_FIXED)) || (fixed && !(flags & MREMAP_MAYMOVE)) ||
        old % PAGE_SIZE || old_len < a->arg[1] || new_len < a->arg[2] || (fixed && a->arg[4] % PAGE_SIZE))
        return -EINVAL;         /* MREMAP_DONTUNMAP and old_len 0 (a second mapping of shared memory): not here */
    if (!old_len)
        return -EINVAL;
    uint64_t to;
    int err = vm_remap(proc_current()->vm, old, old_len, new_len, flags & MREMAP_MAYMOVE, fixed ? a->arg[4] : 0,
                       &to);
    return err ? err : (long)to;
}

long sys_munmap(const struct syscall_args *a)
{
    uint64_t end;
    int err = check_range(a->arg[0], a->arg[1], &end);
    if (err)
        return err == -ENOMEM ? -EINVAL : err;
    return vm_remove_range(proc_current()->vm, a->arg[0], end);
}

long sys_mprotect(const struct syscall_args *a)
{
    uint64_t end;
    unsigned vprot;
    int err = check_range(a->arg[0], a->arg[1], &end);
    if (!err)
        err = prot_to_vm(a->arg[2], &vprot);
    if (err)
        return err;
    return vm_protect_range(proc_current()->vm, a->arg[0], end, vprot);
}

long sys_madvise(const struct syscall_args *a)
{
    uint64_t end;
    int err = (a->arg[0] & (PAGE_SIZE - 1)) ? -EINVAL : 0;
    if (!err && a->arg[1] == 0)
        return 0;               /* as Linux: an empty range is fine */
    if (!err)
        err = check_range(a->arg[0], a->arg[1], &end);
    if (err)
        return err;
    switch (a->arg[2]) {
    case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
        return 0;               /* hints: nothing to do */
    case MADV_DONTNEED: case MADV_FREE:
        return vm_discard_range(proc_current()->vm, a->arg[0], end);
    default:
        return -EINVAL;
    }
}

long sys_msync(const struct syscall_args *a)
{
    uint64_t end, flags = a->arg[2];
    if ((flags & ~(uint64_t)(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) || ((flags & MS_ASYNC) && (flags & MS_SYNC)))
        return -EINVAL;
    int err = check_range(a->arg[0], a->arg[1] ? a->arg[1] : 1, &end);
    if (err)
        return err;
    /* The file's pages are the file (nothing to write back), as anonymous memory.  A hole is ENOMEM, as Linux. */
    return vm_range_mapped(proc_current()->vm, a->arg[0], end) ? 0 : -ENOMEM;
}
