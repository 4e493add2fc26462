/*
 * The system call table and dispatcher, and the small calls that belong to
 * no subsystem.  Numbers are Linux's (abi/syscall.h); our own start at
 * SYS_OS_FIRST and have a table of their own.  An unknown number gives
 * ENOSYS.
 */
#include <abi/prctl.h>
#include <abi/time.h>
#include <abi/os.h>
#include <abi/resource.h>
#include <abi/syscall.h>
#include <arch/bench.h>
#include <arch/context.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <kernel/cputime.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/heap.h>
#include <kernel/kstack.h>
#include <kernel/kvmap.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/vm.h>
#include <lib/format.h>
#include <lib/string.h>

#define SYS_OS_FIRST    SYS_os_stats
#define ARCH_SET_FS     0x1002
#define ARCH_GET_FS     0x1003
#define UTS_FIELD       65      /* Linux's struct utsname: six 65-byte strings */
#define UTS_FIELDS      6

static const syscall_fn linux_calls[] = {
    [SYS_read] = sys_read,
    [SYS_write] = sys_write,
    [SYS_open] = sys_open,
    [SYS_close] = sys_close,
    [SYS_stat] = sys_stat,
    [SYS_fstat] = sys_fstat,
    [SYS_lstat] = sys_lstat,
    [SYS_poll] = sys_poll,
    [SYS_lseek] = sys_lseek,
    [SYS_mmap] = sys_mmap,
    [SYS_mprotect] = sys_mprotect,
    [SYS_munmap] = sys_munmap,
    [SYS_brk] = sys_brk,
    [SYS_rt_sigaction] = sys_rt_sigaction,
    [SYS_rt_sigprocmask] = sys_rt_sigprocmask,
    [SYS_rt_sigreturn] = sys_rt_sigreturn,
    [SYS_ioctl] = sys_ioctl,
    [SYS_readv] = sys_readv,
    [SYS_writev] = sys_writev,
    [SYS_access] = sys_access,
    [SYS_pipe] = sys_pipe,
    [SYS_select] = sys_select,
    [SYS_msync] = sys_msync,
    [SYS_madvise] = sys_madvise,
    [SYS_dup] = sys_dup,
    [SYS_dup2] = sys_dup2,
    [SYS_pause] = sys_pause,
    [SYS_getitimer] = sys_getitimer,
    [SYS_alarm] = sys_alarm,
    [SYS_setitimer] = sys_setitimer,
    [SYS_sched_yield] = sys_sched_yield,
    [SYS_nanosleep] = sys_nanosleep,
    [SYS_getpid] = sys_getpid,
    [SYS_socket] = sys_socket,
    [SYS_connect] = sys_connect,
    [SYS_accept] = sys_accept,
    [SYS_sendto] = sys_sendto,
    [SYS_recvfrom] = sys_recvfrom,
    [SYS_sendmsg] = sys_sendmsg,
    [SYS_recvmsg] = sys_recvmsg,
    [SYS_shutdown] = sys_shutdown,
    [SYS_bind] = sys_bind,
    [SYS_listen] = sys_listen,
    [SYS_getsockname] = sys_getsockname,
    [SYS_getpeername] = sys_getpeername,
    [SYS_socketpair] = sys_socketpair,
    [SYS_setsockopt] = sys_setsockopt,
    [SYS_getsockopt] = sys_getsockopt,
    [SYS_accept4] = sys_accept4,
    [SYS_clone] = sys_clone,
    [SYS_fork] = sys_fork,
    [SYS_vfork] = sys_fork,             /* a vfork is a fork that happens to be followed by exec */
    [SYS_execve] = sys_execve,
    [SYS_exit] = sys_exit,
    [SYS_wait4] = sys_wait4,
    [SYS_waitid] = sys_waitid,
    [SYS_kill] = sys_kill,
    [SYS_uname] = sys_uname,
    [SYS_fcntl] = sys_fcntl,
    [SYS_getcwd] = sys_getcwd,
    [SYS_chdir] = sys_chdir,
    [SYS_mkdir] = sys_mkdir,
    [SYS_rmdir] = sys_rmdir,
    [SYS_mknod] = sys_mknod,
    [SYS_unlink] = sys_unlink,
    [SYS_link] = sys_link,
    [SYS_rename] = sys_rename,
    [SYS_renameat] = sys_renameat,
    [SYS_renameat2] = sys_renameat2,
    [SYS_pread64] = sys_pread64,
    [SYS_pwrite64] = sys_pwrite64,
    [SYS_truncate] = sys_truncate,
    [SYS_ftruncate] = sys_ftruncate,
    [SYS_getrlimit] = sys_getrlimit,
    [SYS_getrusage] = sys_getrusage,
    [SYS_times] = sys_times,
    [SYS_getuid] = sys_getuid,
    [SYS_getgid] = sys_getuid,
    [SYS_geteuid] = sys_getuid,
    [SYS_getegid] = sys_getuid,
    [SYS_rt_sigpending] = sys_rt_sigpending,
    [SYS_rt_sigsuspend] = sys_rt_sigsuspend,
    [SYS_rt_sigtimedwait] = sys_rt_sigtimedwait,
    [SYS_setpgid] = sys_setpgid,
    [SYS_getppid] = sys_getppid,
    [SYS_getpgrp] = sys_getpgrp,
    [SYS_setsid] = sys_setsid,
    [SYS_getpgid] = sys_getpgid,
    [SYS_getsid] = sys_getsid,
    [SYS_arch_prctl] = sys_arch_prctl,
    [SYS_gettid] = sys_gettid,
    [SYS_tkill] = sys_tkill,
    [SYS_futex] = sys_futex,
    [SYS_sched_setaffinity] = sys_sched_setaffinity,
    [SYS_sched_getaffinity] = sys_sched_getaffinity,
    [SYS_getpriority] = sys_getpriority,
    [SYS_setpriority] = sys_setpriority,
    [SYS_getdents64] = sys_getdents64,
    [SYS_set_tid_address] = sys_set_tid_address,
    [SYS_clock_gettime] = sys_clock_gettime,
    [SYS_clock_getres] = sys_clock_getres,
    [SYS_exit_group] = sys_exit_group,
    [SYS_tgkill] = sys_tgkill,
    [SYS_mq_open] = sys_mq_open,
    [SYS_mq_unlink] = sys_mq_unlink,
    [SYS_mq_timedsend] = sys_mq_timedsend,
    [SYS_mq_timedreceive] = sys_mq_timedreceive,
    [SYS_mq_notify] = sys_mq_notify,
    [SYS_mq_getsetattr] = sys_mq_getsetattr,
    [SYS_openat] = sys_openat,
    [SYS_mkdirat] = sys_mkdirat,
    [SYS_mknodat] = sys_mknodat,
    [SYS_newfstatat] = sys_newfstatat,
    [SYS_unlinkat] = sys_unlinkat,
    [SYS_linkat] = sys_linkat,
    [SYS_getrandom] = sys_getrandom,
    [SYS_mremap] = sys_mremap,
    [SYS_umask] = sys_umask,
    [SYS_getgroups] = sys_getgroups,
    [SYS_sysinfo] = sys_sysinfo,
    [SYS_prctl] = sys_prctl,
    [SYS_fsync] = sys_fsync,
    [SYS_fdatasync] = sys_fsync,
    [SYS_sync] = sys_sync,
    [SYS_clock_nanosleep] = sys_clock_nanosleep,
    [SYS_symlink] = sys_symlink,
    [SYS_symlinkat] = sys_symlinkat,
    [SYS_readlink] = sys_readlink,
    [SYS_readlinkat] = sys_readlinkat,
    [SYS_chmod] = sys_chmod,
    [SYS_fchmod] = sys_fchmod,
    [SYS_fchmodat] = sys_fchmodat,
    [SYS_chown] = sys_chown,
    [SYS_lchown] = sys_lchown,
    [SYS_fchown] = sys_fchown,
    [SYS_fchownat] = sys_fchownat,
    [SYS_utimensat] = sys_utimensat,
    [SYS_statfs] = sys_statfs,
    [SYS_fstatfs] = sys_fstatfs,
    [SYS_gettimeofday] = sys_gettimeofday,
    [SYS_time] = sys_time,
    [SYS_pselect6] = sys_pselect6,
    [SYS_ppoll] = sys_ppoll,
    [SYS_dup3] = sys_dup3,
    [SYS_pipe2] = sys_pipe2,
    [SYS_prlimit64] = sys_prlimit64,
    [SYS_getcpu] = sys_getcpu,
};

static const syscall_fn os_calls[] = {
    [SYS_os_stats - SYS_OS_FIRST] = sys_os_stats,
    [SYS_os_procs - SYS_OS_FIRST] = sys_os_procs,
    [SYS_os_switch_stats - SYS_OS_FIRST] = sys_os_switch_stats,
    [SYS_os_reset_stats - SYS_OS_FIRST] = sys_os_reset_stats,
    [SYS_os_threads - SYS_OS_FIRST] = sys_os_threads,
    [SYS_os_kbench - SYS_OS_FIRST] = sys_os_kbench,
    [SYS_os_cpus - SYS_OS_FIRST] = sys_os_cpus,
    [SYS_os_trace - SYS_OS_FIRST] = sys_os_trace,
    [SYS_os_cpu_stats - SYS_OS_FIRST] = sys_os_cpu_stats,
    [SYS_os_strace - SYS_OS_FIRST] = sys_os_strace,
    [SYS_os_drop_caches - SYS_OS_FIRST] = sys_os_drop_caches,
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static syscall_fn lookup(uint64_t nr)
{
    if (nr < COUNT(linux_calls))
        return linux_calls[nr];
    if (nr - SYS_OS_FIRST < COUNT(os_calls))
        return os_calls[nr - SYS_OS_FIRST];
    return NULL;
}

/*
 * A call the kernel does not have: ENOSYS, and in the debug build a line
 * naming it and the program that asked, once per call number and program
 * file (the bitmap is in the executable's inode: BusyBox's hundreds of
 * commands, one file, name glibc's set_robust_list once, and the fuzzer's
 * thousands of workers a call once), so a gap a real program runs into
 * shows.  Numbers past Linux's table are no program's real calls: not
 * logged.
 */
_Static_assert(LINUX_SYSCALL_NAMES == FS_MISSING_CALL_WORDS * 64, "a bit per Linux call in struct inode");

static long missing_call(uint64_t nr)
{
#ifdef KERNEL_DEBUG
    uint64_t bit = 1ull << (nr % 64);
    struct process *p = proc_current();
    struct program *prog = p->program;      /* [t]; an exec waits for this thread to be gone first */
    uint64_t *logged = nr < LINUX_SYSCALL_NAMES && prog && prog->file ? prog->file->missing_calls : NULL;
    if (logged && !(__atomic_fetch_or(&logged[nr / 64], bit, __ATOMIC_RELAXED) & bit)) {
        const char *name = linux_syscall_names[nr];
        kprintf("pid %d (%s): system call %lu (%s) is not here: ENOSYS\n", p->pid, p->name, (unsigned long)nr,
                name ? name : "not Linux's");
    }
#else
    (void)nr;
#endif
    return -ENOSYS;
}

/* LAB syscall BEGIN */
/*
 * strace (lab syscall): a traced process's calls are printed as they
 * return, with their first three arguments and the result, named from
 * Linux's table of names (ours by number).  The flag is read without a
 * lock: the process's own threads set it, a word at a time.
 */
long sys_os_strace(const struct syscall_args *a)
{
    if (a->arg[0] > 1)
        return -EINVAL;
    __atomic_store_n(&proc_current()->strace, a->arg[0] == 1, __ATOMIC_RELAXED);
    return 0;
}

static void strace_print(uint64_t nr, const struct syscall_args *a, long result)
{
    char unnamed[sizeof "syscall_18446744073709551615"];
    const char *name = nr < LINUX_SYSCALL_NAMES ? linux_syscall_names[nr] : NULL;
    if (!name)
        format_buffer(unnamed, sizeof unnamed, "syscall_%lu", (unsigned long)nr);
    kprintf("strace: pid %d: %s(%ld, %ld, %ld) = %ld\n", proc_current()->pid, name ? name : unnamed,
            (long)a->arg[0], (long)a->arg[1], (long)a->arg[2], result);
}
/* LAB syscall END */
/* LAB syscall STUB
long sys_os_strace(const struct syscall_args *a)
{
    (void)a;
    return -ENOSYS;     // lab syscall: turn the calling process's tracing on (1) or off (0)
}
   LAB syscall STUB END */

void syscall_dispatch(struct trap_frame *tf)
{
    irq_enable();
    struct syscall_args a = { .tf = tf };
    trap_syscall_args(tf, a.arg);
    uint64_t nr = trap_syscall_number(tf);
    syscall_fn fn = lookup(nr);
    long result = fn ? fn(&a) : missing_call(nr);
    /* LAB syscall BEGIN */
    if (__builtin_expect(__atomic_load_n(&proc_current()->strace, __ATOMIC_RELAXED), 0))
        strace_print(nr, &a, result);
    /* LAB syscall END */
    arch_frame_set_return(tf, (uint64_t)result);
    irq_disable();
    return_to_user(tf);
}

long sys_sched_yield(const struct syscall_args *a)
{
    (void)a;
    sched_yield();
    return 0;
}

/*
 * Sleep on clock, for the timespec at ureq or (TIMER_ABSTIME) until the
 * clock reads it; interrupted, a relative sleep writes the time left to
 * uremain (if not 0) and says EINTR, as Linux.  The CPU-time clocks cannot
 * be slept on here (EINVAL; Linux: ENOTSUP too).
 */
static long sleep_on_clock(uint64_t clock, uint64_t flags, uint64_t ureq, uint64_t uremain)
{
    uint64_t ns;
    bool realtime = clock == CLOCK_REALTIME;
    if ((!realtime && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME) || (flags & ~(uint64_t)TIMER_ABSTIME))
        return -EINVAL;
    long r = timespec_from_user(ureq, &ns);
    if (r)
        return r;
    uint64_t start = clock_monotonic_ns();
    if (flags & TIMER_ABSTIME) {
        uint64_t deadline = realtime ? realtime_to_monotonic(ns) : ns;
        ns = deadline > start ? deadline - start : 0;
    }
    r = sched_sleep_ns(ns);
    if (r != -EINTR)
        return r;
    thread_current()->no_restart = true;
    uint64_t slept = clock_monotonic_ns() - start, left = slept < ns ? ns - slept : 0;
    struct abi_timespec remain = { (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };
    if (!(flags & TIMER_ABSTIME) && uremain && copy_to_user(uremain, &remain, sizeof remain))
        return -EFAULT;
    return r;                   /* a relative sleep tells the time left, as Linux */
}

/* nanosleep(request, remain): a relative sleep on the monotonic clock. */
long sys_nanosleep(const struct syscall_args *a)
{
    return sleep_on_clock(CLOCK_MONOTONIC, 0, a->arg[0], a->arg[1]);
}

/* clock_nanosleep(clock, flags, request, remain). */
long sys_clock_nanosleep(const struct syscall_args *a)
{
    return sleep_on_clock(a->arg[0], a->arg[1], a->arg[2], a->arg[3]);
}

static long timespec_to_user(uint64_t uts, uint64_t ns)
{
    struct abi_timespec ts = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };
    return copy_to_user(uts, &ts, sizeof ts) ? -EFAULT : 0;
}

/* clockid_t is an int: the CPU-time clocks of other processes and threads are negative (abi/time.h). */
long sys_clock_gettime(const struct syscall_args *a)
{
    int64_t clock = (int32_t)a->arg[0];
    uint64_t ns;
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:    ns = clock_realtime_ns(); break;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:           ns = clock_monotonic_ns(); break;     /* no suspend, no slewing */
    default: {                     /* the CPU-time clocks (kernel/cputime.c) */
        long err = cputime_clock_read(clock, &ns);
        if (err)
            return err;
    }
    }
    return timespec_to_user(a->arg[1], ns);
}

/*
 * clock_getres(clock, res): 1 ns for the clocks read from the TSC and the
 * CPU-time clocks (the runtime is TSC-precise), a tick for the coarse ones;
 * res may be NULL (a test of the clock id).
 */
long sys_clock_getres(const struct syscall_args *a)
{
    int64_t clock = (int32_t)a->arg[0];
    uint64_t ns = 1, unused;
    if (clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE)
        ns = NSEC_PER_TICK;
    else if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_MONOTONIC_RAW &&
             clock != CLOCK_BOOTTIME && cputime_clock_read(clock, &unused) != 0)
        return -EINVAL;
    return a->arg[1] ? timespec_to_user(a->arg[1], ns) : 0;
}

/* gettimeofday(tv, tz): the wall clock in microseconds; the time zone is UTC (all zeros). */
long sys_gettimeofday(const struct syscall_args *a)
{
    uint64_t ns = clock_realtime_ns();
    struct { int64_t sec, usec; } tv = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC / 1000) };
    struct { int32_t minutes_west, dst_time; } tz = { 0, 0 };
    if (a->arg[0] && copy_to_user(a->arg[0], &tv, sizeof tv))
        return -EFAULT;
    return a->arg[1] && copy_to_user(a->arg[1], &tz, sizeof tz) ? -EFAULT : 0;
}

/* time(t): the wall clock's seconds, also stored at t if not NULL. */
long sys_time(const struct syscall_args *a)
{
    int64_t now = (int64_t)(clock_realtime_ns() / NSEC_PER_SEC);
    return a->arg[0] && copy_to_user(a->arg[0], &now, sizeof now) ? -EFAULT : now;
}

#define UMASK_BITS 0777

/* umask(mask): the new mask, the old one back.  Kept and inherited; files have no mode bits yet. */
long sys_umask(const struct syscall_args *a)
{
    return __atomic_exchange_n(&proc_current()->umask, (unsigned)a->arg[0] & UMASK_BITS, __ATOMIC_RELAXED);
}

/* getgroups(size, list): every process is root's, with no supplementary groups. */
long sys_getgroups(const struct syscall_args *a)
{
    return (int)a->arg[0] < 0 ? -EINVAL : 0;
}

#define SYSINFO_LOAD_SCALE  65536ul     /* sysinfo's load averages: 1.0 is 1 << SI_LOAD_SHIFT (16) */

/* sysinfo(info): uptime, load averages, memory and task counts. */
long sys_sysinfo(const struct syscall_args *a)
{
    struct pmm_stats ram;
    unsigned long load[3];
    pmm_get_stats(&ram);
    sched_load_averages(load);
    struct abi_sysinfo si = {
        .loads = { load[0] * (SYSINFO_LOAD_SCALE / LOAD_SCALE), load[1] * (SYSINFO_LOAD_SCALE / LOAD_SCALE),
                   load[2] * (SYSINFO_LOAD_SCALE / LOAD_SCALE) },
        .uptime = (int64_t)(clock_monotonic_ns() / NSEC_PER_SEC),
        .totalram = ram.managed_pages, .freeram = ram.free_pages,
        .procs = (uint16_t)sched_thread_count(), .mem_unit = PAGE_SIZE,
    };
    return copy_to_user(a->arg[0], &si, sizeof si) ? -EFAULT : 0;
}

/*
 * prctl: PR_SET_NAME and PR_GET_NAME (threads here have no names of
 * their own: the name is the process's, cut to 15 bytes), and
 * PR_SET_CHILD_SUBREAPER / PR_GET_CHILD_SUBREAPER (what a service manager
 * or a shell running jobs uses to keep its orphaned grandchildren).
 */
long sys_prctl(const struct syscall_args *a)
{
    struct process *p = proc_current();
    char name[PR_NAME_LEN] = { 0 };
    switch (a->arg[0]) {
    case PR_SET_NAME:
        if (copy_string_from_user(name, a->arg[1], sizeof name) == -EFAULT)
            return -EFAULT;     /* a longer name is cut (ENAMETOOLONG left its first bytes), as Linux */
        name[PR_NAME_LEN - 1] = '\0';
        proc_tree_lock_take();          /* ps copies names under it */
        memset(p->name, 0, sizeof p->name);
        memcpy(p->name, name, strlen(name));
        proc_tree_lock_drop();
        return 0;
    case PR_GET_NAME:
        proc_tree_lock_take();
        memcpy(name, p->name, PR_NAME_LEN - 1);
        proc_tree_lock_drop();
        return copy_to_user(a->arg[1], name, sizeof name) ? -EFAULT : 0;
    case PR_SET_CHILD_SUBREAPER:
        proc_tree_lock_take();          /* an ending descendant looks for it under the lock */
        p->child_subreaper = a->arg[1] != 0;
        proc_tree_lock_drop();
        return 0;
    case PR_GET_CHILD_SUBREAPER: {
        int is = __atomic_load_n(&p->child_subreaper, __ATOMIC_RELAXED);
        return copy_to_user(a->arg[1], &is, sizeof is) ? -EFAULT : 0;
    }
    default:
        return -EINVAL;
    }
}

long sys_uname(const struct syscall_args *a)
{
    static const char *const fields[UTS_FIELDS] = { "os", "os", "0.4", "issue-4", "x86_64", "" };
    char uts[UTS_FIELDS][UTS_FIELD];
    memset(uts, 0, sizeof uts);
    for (int i = 0; i < UTS_FIELDS; i++)
        strcpy(uts[i], fields[i]);
    return copy_to_user(a->arg[0], uts, sizeof uts) ? -EFAULT : 0;
}

long sys_arch_prctl(const struct syscall_args *a)
{
    struct thread *t = thread_current();
    switch (a->arg[0]) {
    case ARCH_SET_FS:
        if (a->arg[1] >= USER_TOP)
            return -EPERM;          /* a kernel address would let user code reach kernel data */
        arch_set_fs_base(&t->arch, a->arg[1]);
        return 0;
    case ARCH_GET_FS:
        return copy_to_user(a->arg[1], &t->arch.fs_base, sizeof t->arch.fs_base) ? -EFAULT : 0;
    default:
        return -EINVAL;
    }
}

/* The limits are fixed: what the kernel enforces (FD_MAX, the stack size), else none. */
static struct abi_rlimit limit_of(unsigned resource)
{
    switch (resource) {
    case RLIMIT_NOFILE: return (struct abi_rlimit){ FD_MAX, FD_MAX };
    case RLIMIT_STACK:  return (struct abi_rlimit){ USER_STACK_SIZE, USER_STACK_SIZE };
    default:            return (struct abi_rlimit){ RLIM_INFINITY, RLIM_INFINITY };
    }
}

/* prlimit64(pid, resource, new, old): read-only limits of the caller (pid 0 or its own). */
long sys_prlimit64(const struct syscall_args *a)
{
    int pid = (int)a->arg[0];
    unsigned resource = (unsigned)a->arg[1];
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    if (pid != 0 && pid != proc_current()->pid)
        return -ESRCH;
    if (a->arg[2])
        return -EPERM;          /* the limits cannot be changed */
    struct abi_rlimit r = limit_of(resource);
    return a->arg[3] && copy_to_user(a->arg[3], &r, sizeof r) ? -EFAULT : 0;
}

long sys_getrlimit(const struct syscall_args *a)
{
    if ((unsigned)a->arg[0] >= RLIM_NLIMITS)
        return -EINVAL;
    struct abi_rlimit r = limit_of((unsigned)a->arg[0]);
    return copy_to_user(a->arg[1], &r, sizeof r) ? -EFAULT : 0;
}

long sys_getuid(const struct syscall_args *a)
{
    (void)a;
    return 0;                   /* one user: root */
}

long sys_os_switch_stats(const struct syscall_args *a)
{
    struct sched_stats ss;
    struct mmu_stats ms;
    sched_get_stats(&ss);
    mmu_get_stats(&ms);
    struct os_switch_stats s = {
        .switches = ss.switches,
        .same_process_switches = ss.same_process_switches,
        .kernel_thread_switches = ss.kernel_thread_switches,
        .cr3_writes = ms.cr3_writes,
        .cr3_flushes = ms.cr3_flushes,
        .cr3_noflush = ms.cr3_noflush,
        .page_flushes = ms.page_flushes,
        .pcid_kept = ms.pcid_kept,
        .pcid_rollovers = ms.pcid_rollovers,
        .pcid_enabled = mmu_pcid_enabled(),
        .migrations = ss.migrations,
        .shootdowns = ms.shootdowns,
        .shootdowns_avoided = ms.shootdowns_avoided,
        .shootdown_ipis = ms.shootdown_ipis,
        .cpus = smp_cpu_count(),
    };
    for (unsigned cpu = 0; cpu < CPU_MAX; cpu++) {
        struct ipi_counts ipis;
        ipi_get_counts(cpu, &ipis);
        s.ipis_sent += ipis.sent;
    }
    return copy_to_user(a->arg[0], &s, sizeof s) ? -EFAULT : 0;
}

long sys_os_cpu_stats(const struct syscall_args *a)
{
    unsigned cpu = (unsigned)a->arg[0];
    if (a->arg[0] >= CPU_MAX || !smp_online(cpu))
        return -EINVAL;
    struct sched_stats ss;
    struct mmu_stats ms;
    struct ipi_counts ipis;
    sched_get_cpu_stats(cpu, &ss);
    mmu_get_cpu_stats(cpu, &ms);
    ipi_get_counts(cpu, &ipis);
    struct os_cpu_stats s = {
        .switches = ss.switches,
        .same_process_switches = ss.same_process_switches,
        .cr3_writes = ms.cr3_writes,
        .cr3_flushes = ms.cr3_flushes,
        .migrations = ss.migrations,
        .ipis_sent = ipis.sent,
        .ipis_received = ipis.received,
        .shootdowns = ms.shootdowns,
        .shootdowns_avoided = ms.shootdowns_avoided,
        .shootdowns_done = ms.shootdowns_done,
        .ticks = ss.ticks,
        .idle_ticks = ss.idle_ticks,
    };
    return copy_to_user(a->arg[1], &s, sizeof s) ? -EFAULT : 0;
}

long sys_os_reset_stats(const struct syscall_args *a)
{
    (void)a;
    sched_reset_stats();
    mmu_reset_stats();
    ipi_reset_counts();
    return 0;
}

/* The samples go out one by one, so a bad buffer is EFAULT without a kernel-side array. */
long sys_os_kbench(const struct syscall_args *a)
{
    static const enum arch_bench kinds[] = {
        [OS_KBENCH_EMPTY] = ARCH_BENCH_EMPTY, [OS_KBENCH_SWITCH] = ARCH_BENCH_SWITCH,
        [OS_KBENCH_CR3_FLUSH] = ARCH_BENCH_CR3_FLUSH, [OS_KBENCH_CR3_NOFLUSH] = ARCH_BENCH_CR3_NOFLUSH,
    };
    uint64_t what = a->arg[0], ubuf = a->arg[1], n = a->arg[2];
    if (what >= sizeof kinds / sizeof kinds[0] || n > OS_KBENCH_SAMPLES_MAX)
        return -EINVAL;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t cycles;
        if (arch_bench_sample(kinds[what], &cycles) != 0)
            return -EOPNOTSUPP;
        if (copy_to_user(ubuf + i * sizeof cycles, &cycles, sizeof cycles) != 0)
            return -EFAULT;
    }
    return 0;
}

long sys_os_drop_caches(const struct syscall_args *a)
{
    (void)a;
    return (long)kstack_drain();
}

long sys_os_stats(const struct syscall_args *a)
{
    struct pmm_stats pm;
    struct heap_stats hs;
    struct vm_cow_stats cow;
    struct kstack_stats ks;
    pmm_get_stats(&pm);
    heap_get_stats(&hs);
    vm_get_cow_stats(&cow);
    kstack_get_stats(&ks);
    struct os_stats s = {
        .free_pages = pm.free_pages,
        .total_pages = pm.managed_pages,
        .page_table_pages = mmu_table_pages(),
        .heap_bytes = hs.live_bytes - kvmap_note_bytes(),     /* what is in use, not the notes of free space */
        .processes = proc_count(),
        .threads = sched_thread_count(),
        .ticks = ticks(),
        .tick_hz = TICK_HZ,
        .open_files = file_count(),
        .heap_pages = hs.slab_pages + hs.large_pages,
        .lazy_frees = kvmap_lazy_frees() + sched_ending_threads(),
        /* a snapshot: a sibling thread may be faulting a page in meanwhile */
        .caller_resident_pages = __atomic_load_n(&proc_current()->vm->resident_pages, __ATOMIC_RELAXED),
        .cow_pages_shared = cow.pages_shared,
        .cow_faults = cow.faults,
        .cow_pages_copied = cow.pages_copied,
        .cow_pages_reused = cow.pages_reused,
        .kstack_cache_pages = ks.cached_pages,
        .kstack_cache_hits = ks.hits,
        .kstack_cache_misses = ks.misses,
    };
    return copy_to_user(a->arg[0], &s, sizeof s) ? -EFAULT : 0;
}
