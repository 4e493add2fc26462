/*
 * Every header of contract 2 in one program, compiled as strict C99
 * (-std=c99 -pedantic-errors, see libc.mk): textbook programs must compile
 * unchanged.  At run time it checks the layouts and numbers the kernel ABI
 * fixes (Linux x86_64's), which our kernel and Linux both rely on.
 */
#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static int layouts(void)
{
    CHECK(sizeof(struct stat) == 144 && offsetof(struct stat, st_size) == 48 &&
          offsetof(struct stat, st_mtim) == 88, "struct stat");
    CHECK(sizeof(struct timespec) == 16 && sizeof(struct timeval) == 16, "timespec/timeval");
    CHECK(sizeof(siginfo_t) == 128 && offsetof(siginfo_t, si_pid) == 16 && offsetof(siginfo_t, si_addr) == 16,
          "siginfo_t");
    CHECK(offsetof(struct dirent, d_reclen) == 16 && offsetof(struct dirent, d_type) == 18 &&
          offsetof(struct dirent, d_name) == 19, "struct dirent is linux_dirent64");
    CHECK(sizeof(struct utsname) == 6 * 65, "struct utsname");
    CHECK(sizeof(struct rusage) == 144 && offsetof(struct rusage, ru_maxrss) == 32 &&
          offsetof(struct rusage, ru_nivcsw) == 136 && sizeof(struct tms) == 32, "struct rusage, struct tms");
    CHECK(sizeof(off_t) == 8 && sizeof(pid_t) == 4 && sizeof(time_t) == 8 && sizeof(sigset_t) == 8, "types");
    return 1;
}

static int numbers(void)
{
    CHECK(O_CREAT == 0100 && O_TRUNC == 01000 && O_APPEND == 02000 && O_DIRECTORY == 0200000 &&
          O_CLOEXEC == 02000000, "open flags");
    CHECK(SIGSEGV == 11 && SIGCHLD == 17 && SA_RESTART == 0x10000000 && MAP_ANONYMOUS == 0x20, "signals, mmap");
    CHECK(SYS_write == 1 && SYS_fork == 57 && SYS_exit_group == 231 && SYS_getdents64 == 217, "syscall numbers");
    CHECK(WIFEXITED(3 << 8) && WEXITSTATUS(3 << 8) == 3 && !WIFSIGNALED(3 << 8), "exit status encoding");
    CHECK(WIFSIGNALED(SIGSEGV) && WTERMSIG(SIGSEGV | 0x80) == SIGSEGV && !WIFEXITED(SIGSEGV),
          "signal status encoding");
    CHECK(WIFSTOPPED(0x137f) && WSTOPSIG(0x137f) == SIGSTOP && !WIFSIGNALED(0x137f), "stopped encoding");
    CHECK(SYS_getrusage == 98 && SYS_times == 100 && RUSAGE_CHILDREN == -1 && RUSAGE_THREAD == 1,
          "getrusage, times");
    CHECK(EAGAIN == 11 && ENOSYS == 38 && EWOULDBLOCK == EAGAIN, "errno values");
    return 1;
}

int main(void)
{
    RUN(layouts);
    RUN(numbers);
    return failures != 0;
}
