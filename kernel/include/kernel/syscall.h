/*
 * System calls.  Each handler takes the six arguments and the caller's
 * trap frame (fork, execve and clone need it) and returns the call's
 * result: a value, or -errno.  The table in kernel/syscall.c maps
 * the numbers of abi/syscall.h to these handlers; adding a call means one
 * handler and one table line.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <arch/trap.h>
#include <stdint.h>

struct syscall_args {
    uint64_t arg[SYSCALL_ARGS]; /* in the ABI's order (trap_syscall_args) */
    struct trap_frame *tf;
};

typedef long (*syscall_fn)(const struct syscall_args *a);

/* kernel/file.c */
/* Linux's x86_64 system call names by number (kernel/syscall_names.c, generated): NULL where none. */
#define LINUX_SYSCALL_NAMES 512
extern const char *const linux_syscall_names[LINUX_SYSCALL_NAMES];

long sys_read(const struct syscall_args *a);
long sys_write(const struct syscall_args *a);
long sys_readv(const struct syscall_args *a);
long sys_writev(const struct syscall_args *a);
long sys_close(const struct syscall_args *a);
long sys_dup(const struct syscall_args *a);
long sys_dup2(const struct syscall_args *a);
long sys_dup3(const struct syscall_args *a);
long sys_fcntl(const struct syscall_args *a);
long sys_lseek(const struct syscall_args *a);
long sys_ioctl(const struct syscall_args *a);
long sys_pipe(const struct syscall_args *a);
long sys_pipe2(const struct syscall_args *a);

/* kernel/fs_syscalls.c */
long sys_open(const struct syscall_args *a);
long sys_openat(const struct syscall_args *a);
long sys_getdents64(const struct syscall_args *a);
long sys_stat(const struct syscall_args *a);
long sys_fstat(const struct syscall_args *a);
long sys_newfstatat(const struct syscall_args *a);
long sys_access(const struct syscall_args *a);
long sys_mkdir(const struct syscall_args *a);
long sys_mkdirat(const struct syscall_args *a);
long sys_mknod(const struct syscall_args *a);
long sys_mknodat(const struct syscall_args *a);
long sys_rmdir(const struct syscall_args *a);
long sys_unlink(const struct syscall_args *a);
long sys_unlinkat(const struct syscall_args *a);
long sys_link(const struct syscall_args *a);
long sys_rename(const struct syscall_args *a);
long sys_renameat(const struct syscall_args *a);
long sys_renameat2(const struct syscall_args *a);
long sys_getrandom(const struct syscall_args *a);
long sys_mremap(const struct syscall_args *a);
long sys_umask(const struct syscall_args *a);
long sys_getgroups(const struct syscall_args *a);
long sys_sysinfo(const struct syscall_args *a);
long sys_prctl(const struct syscall_args *a);
long sys_fsync(const struct syscall_args *a);
long sys_sync(const struct syscall_args *a);
long sys_lstat(const struct syscall_args *a);
long sys_clock_nanosleep(const struct syscall_args *a);
long sys_symlink(const struct syscall_args *a);
long sys_symlinkat(const struct syscall_args *a);
long sys_readlink(const struct syscall_args *a);
long sys_readlinkat(const struct syscall_args *a);
long sys_chmod(const struct syscall_args *a);
long sys_fchmod(const struct syscall_args *a);
long sys_fchmodat(const struct syscall_args *a);
long sys_chown(const struct syscall_args *a);
long sys_lchown(const struct syscall_args *a);
long sys_fchown(const struct syscall_args *a);
long sys_fchownat(const struct syscall_args *a);
long sys_utimensat(const struct syscall_args *a);
long sys_statfs(const struct syscall_args *a);
long sys_fstatfs(const struct syscall_args *a);
long sys_gettimeofday(const struct syscall_args *a);
long sys_time(const struct syscall_args *a);
long sys_pread64(const struct syscall_args *a);
long sys_pwrite64(const struct syscall_args *a);
long sys_linkat(const struct syscall_args *a);
long sys_truncate(const struct syscall_args *a);
long sys_ftruncate(const struct syscall_args *a);
long sys_chdir(const struct syscall_args *a);
long sys_getcwd(const struct syscall_args *a);

/* kernel/clone.c */
long sys_fork(const struct syscall_args *a);
long sys_clone(const struct syscall_args *a);
long sys_set_tid_address(const struct syscall_args *a);

/* kernel/affinity.c */
long sys_sched_setaffinity(const struct syscall_args *a);
long sys_sched_getaffinity(const struct syscall_args *a);
long sys_getcpu(const struct syscall_args *a);
long sys_os_cpus(const struct syscall_args *a);

/* kernel/priority.c */
long sys_getpriority(const struct syscall_args *a);
long sys_setpriority(const struct syscall_args *a);

/* kernel/futex.c */
long sys_futex(const struct syscall_args *a);

/* kernel/proc.c */
long sys_exit(const struct syscall_args *a);
long sys_exit_group(const struct syscall_args *a);
long sys_wait4(const struct syscall_args *a);
long sys_waitid(const struct syscall_args *a);
long sys_kill(const struct syscall_args *a);
long sys_getpid(const struct syscall_args *a);
long sys_getppid(const struct syscall_args *a);
long sys_gettid(const struct syscall_args *a);
long sys_os_procs(const struct syscall_args *a);
long sys_setpgid(const struct syscall_args *a);
long sys_getpgid(const struct syscall_args *a);
long sys_getpgrp(const struct syscall_args *a);
long sys_setsid(const struct syscall_args *a);
long sys_getsid(const struct syscall_args *a);
long sys_os_threads(const struct syscall_args *a);

/* kernel/signal.c */
long sys_rt_sigaction(const struct syscall_args *a);
long sys_rt_sigprocmask(const struct syscall_args *a);
long sys_rt_sigreturn(const struct syscall_args *a);
long sys_rt_sigsuspend(const struct syscall_args *a);
long sys_rt_sigtimedwait(const struct syscall_args *a);
long sys_poll(const struct syscall_args *a);
long sys_madvise(const struct syscall_args *a);
long sys_msync(const struct syscall_args *a);
long sys_mq_open(const struct syscall_args *a);
long sys_mq_unlink(const struct syscall_args *a);
long sys_mq_timedsend(const struct syscall_args *a);
long sys_mq_timedreceive(const struct syscall_args *a);
long sys_mq_notify(const struct syscall_args *a);
long sys_mq_getsetattr(const struct syscall_args *a);
long sys_socket(const struct syscall_args *a);
long sys_connect(const struct syscall_args *a);
long sys_accept(const struct syscall_args *a);
long sys_sendto(const struct syscall_args *a);
long sys_recvfrom(const struct syscall_args *a);
long sys_sendmsg(const struct syscall_args *a);
long sys_recvmsg(const struct syscall_args *a);
long sys_shutdown(const struct syscall_args *a);
long sys_bind(const struct syscall_args *a);
long sys_listen(const struct syscall_args *a);
long sys_getsockname(const struct syscall_args *a);
long sys_getpeername(const struct syscall_args *a);
long sys_socketpair(const struct syscall_args *a);
long sys_setsockopt(const struct syscall_args *a);
long sys_getsockopt(const struct syscall_args *a);
long sys_accept4(const struct syscall_args *a);
long sys_ppoll(const struct syscall_args *a);
long sys_select(const struct syscall_args *a);
long sys_pselect6(const struct syscall_args *a);
long sys_rt_sigpending(const struct syscall_args *a);
long sys_pause(const struct syscall_args *a);

/* kernel/itimer.c */
long sys_alarm(const struct syscall_args *a);
long sys_getitimer(const struct syscall_args *a);
long sys_setitimer(const struct syscall_args *a);
long sys_tkill(const struct syscall_args *a);
long sys_tgkill(const struct syscall_args *a);

/* kernel/exec.c */
long sys_execve(const struct syscall_args *a);

/* kernel/mman.c */
long sys_brk(const struct syscall_args *a);
long sys_mmap(const struct syscall_args *a);
long sys_munmap(const struct syscall_args *a);
long sys_mprotect(const struct syscall_args *a);

/* kernel/syscall.c: time, identity and the rest */
long sys_sched_yield(const struct syscall_args *a);
long sys_nanosleep(const struct syscall_args *a);
long sys_clock_gettime(const struct syscall_args *a);
long sys_clock_getres(const struct syscall_args *a);

/* kernel/cputime.c */
long sys_times(const struct syscall_args *a);
long sys_getrusage(const struct syscall_args *a);
long sys_uname(const struct syscall_args *a);
long sys_arch_prctl(const struct syscall_args *a);
long sys_getuid(const struct syscall_args *a);
long sys_getrlimit(const struct syscall_args *a);
long sys_prlimit64(const struct syscall_args *a);
long sys_os_stats(const struct syscall_args *a);
long sys_os_switch_stats(const struct syscall_args *a);
long sys_os_cpu_stats(const struct syscall_args *a);
long sys_os_strace(const struct syscall_args *a);
long sys_os_drop_caches(const struct syscall_args *a);
long sys_os_reset_stats(const struct syscall_args *a);
long sys_os_kbench(const struct syscall_args *a);

/* kernel/trace.c */
long sys_os_trace(const struct syscall_args *a);

/*
 * Entry from syscall_entry.S; returns with interrupts off.  The frame goes
 * back by SYSRET unless rt_sigreturn marked it (see trap_mark_restored).
 */
void syscall_dispatch(struct trap_frame *tf);

#endif
