/*
 * /proc as Linux shows it, in cases that run both on the Linux host
 * (tests/host/libc/procfs.c: our libc on Linux's kernel, the reference)
 * and in our kernel (tests/user/test_procfs.c).  They check the fields
 * that teach the difference between a process and a thread: Tgid and Pid,
 * Threads, task/TID, thread-self; and what ps, top, free and pmap read.
 * Each case returns 1, or fails through the includer's CHECK.
 */
#ifndef TESTS_USER_PROCFS_CASES_H
#define TESTS_USER_PROCFS_CASES_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PC_TEXT_MAX     16384   /* the largest /proc file a case reads whole */
#define PC_THREADS      3       /* threads a case starts beside the main one */
#define PC_MAP_PAGES    3
#define PC_STAT_FIELDS  52      /* /proc/PID/stat's fields since Linux 3.5 (exit_code the last) */

static char pc_text[PC_TEXT_MAX];

/* The whole of a /proc file into pc_text, NUL-terminated: its length, or -1. */
static long pc_read(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    long len = 0;
    ssize_t n;
    while ((n = read(fd, pc_text + len, sizeof pc_text - 1 - (size_t)len)) > 0)
        len += n;
    close(fd);
    pc_text[len] = '\0';
    return n < 0 ? -1 : len;
}

/* The number after "Field:\t" in pc_text (status files), or -1. */
static long pc_field(const char *field)
{
    char key[64];
    snprintf(key, sizeof key, "\n%s:", field);
    const char *at = strstr(pc_text, key);
    if (!at && strncmp(pc_text, key + 1, strlen(key + 1)) == 0)
        at = pc_text - 1;       /* the first line */
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

static int pc_tid(void)
{
    return (int)syscall(SYS_gettid);
}

/* status of the process: Tgid and Pid are the pid, PPid the parent, one thread. */
static int pc_self_status(void)
{
    CHECK(pc_read("/proc/self/status") > 0, "read: %s", strerror(errno));
    CHECK(pc_field("Tgid") == getpid() && pc_field("Pid") == getpid(), "Tgid %ld Pid %ld, pid %d",
          pc_field("Tgid"), pc_field("Pid"), (int)getpid());
    CHECK(pc_field("PPid") == getppid(), "PPid %ld", pc_field("PPid"));
    CHECK(pc_field("Threads") == 1, "Threads %ld", pc_field("Threads"));
    CHECK(pc_field("VmRSS") > 0 && pc_field("VmSize") >= pc_field("VmRSS"), "VmRSS %ld VmSize %ld",
          pc_field("VmRSS"), pc_field("VmSize"));
    CHECK(strstr(pc_text, "\nState:\tR (running)") != NULL, "it is running: it reads its own status");
    CHECK(strstr(pc_text, "voluntary_ctxt_switches:") != NULL, "switch counts");
    return 1;
}

/* stat: pid, (comm), state, ppid ... num_threads (field 20). */
static int pc_self_stat(void)
{
    CHECK(pc_read("/proc/self/stat") > 0, "read");
    int pid = 0, ppid = 0;
    char state = 0;
    CHECK(sscanf(pc_text, "%d", &pid) == 1 && pid == getpid(), "field 1, the pid: %d", pid);
    const char *close_paren = strrchr(pc_text, ')');
    CHECK(close_paren && sscanf(close_paren + 2, "%c %d", &state, &ppid) == 2, "fields 3 and 4");
    CHECK(state == 'R' && ppid == getppid(), "state %c ppid %d", state, ppid);
    const char *p = close_paren + 2;
    for (int field = 3; field < 20; field++)
        p = strchr(p, ' ') + 1;
    CHECK(atoi(p) == 1, "field 20, num_threads: %d", atoi(p));
    int fields = 2;             /* pid and (comm), then one per space-separated word */
    for (const char *w = close_paren + 1; *w; w++)
        fields += *w == ' ' && w[1] && w[1] != '\n';
    CHECK(fields == PC_STAT_FIELDS, "%d fields, Linux's %d", fields, PC_STAT_FIELDS);
    return 1;
}

/* The threads the cases start wait here until told to end. */
static int pc_release[2];
static int pc_tids[PC_THREADS];

static void *pc_waiter(void *arg)
{
    int *slot = arg;
    char c;
    __atomic_store_n(slot, pc_tid(), __ATOMIC_RELEASE);
    return read(pc_release[0], &c, 1) == 1 ? NULL : NULL;
}

/* PC_THREADS threads, each blocked reading pc_release: 1 when all have told their tid. */
static int pc_start_threads(pthread_t *threads)
{
    if (pipe(pc_release) != 0)
        return 0;
    for (int i = 0; i < PC_THREADS; i++) {
        pc_tids[i] = 0;
        if (pthread_create(&threads[i], NULL, pc_waiter, &pc_tids[i]) != 0)
            return 0;
    }
    for (int i = 0; i < PC_THREADS; i++)
        while (!__atomic_load_n(&pc_tids[i], __ATOMIC_ACQUIRE))
            sched_yield();
    return 1;
}

static void pc_end_threads(pthread_t *threads)
{
    char go[PC_THREADS] = { 0 };
    if (write(pc_release[1], go, sizeof go) != (ssize_t)sizeof go)
        return;
    for (int i = 0; i < PC_THREADS; i++)
        pthread_join(threads[i], NULL);
    close(pc_release[0]);
    close(pc_release[1]);
}

/* Threads inside the process: task/ lists each, each has its own Pid, all share Tgid and memory. */
static int pc_threads(void)
{
    pthread_t threads[PC_THREADS];
    CHECK(pc_start_threads(threads), "threads");
    CHECK(pc_read("/proc/self/status") > 0 && pc_field("Threads") == PC_THREADS + 1, "Threads %ld",
          pc_field("Threads"));
    DIR *d = opendir("/proc/self/task");
    CHECK(d != NULL, "opendir task: %s", strerror(errno));
    int seen = 0, seen_main = 0, seen_started = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        int tid = atoi(e->d_name);
        seen++;
        seen_main += tid == getpid();
        for (int i = 0; i < PC_THREADS; i++)
            seen_started += tid == pc_tids[i];
    }
    closedir(d);
    CHECK(seen == PC_THREADS + 1 && seen_main == 1 && seen_started == PC_THREADS,
          "task/ lists %d threads: the main one %d times, the started ones %d", seen, seen_main, seen_started);
    CHECK(pc_read("/proc/self/status") > 0, "the process's status");
    long process_size = pc_field("VmSize");
    for (int i = 0; i < PC_THREADS; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/task/%d/status", pc_tids[i]);
        CHECK(pc_read(path) > 0, "read %s: %s", path, strerror(errno));
        CHECK(pc_field("Pid") == pc_tids[i] && pc_field("Tgid") == getpid(), "thread %d: Pid %ld Tgid %ld",
              pc_tids[i], pc_field("Pid"), pc_field("Tgid"));
        CHECK(pc_field("VmSize") == process_size, "a thread's memory is its process's: %ld vs %ld",
              pc_field("VmSize"), process_size);
        CHECK(strstr(pc_text, "\nState:\tS (sleeping)") != NULL, "a blocked thread sleeps");
        snprintf(path, sizeof path, "/proc/%d/status", pc_tids[i]);     /* not listed, but there (top -H) */
        CHECK(pc_read(path) > 0 && pc_field("Pid") == pc_tids[i] && pc_field("Tgid") == getpid(),
              "/proc/TID of thread %d: Pid %ld Tgid %ld", pc_tids[i], pc_field("Pid"), pc_field("Tgid"));
        snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)getpid(), pc_tids[i]);
        int tid = 0;
        CHECK(pc_read(path) > 0 && sscanf(pc_text, "%d", &tid) == 1 && tid == pc_tids[i], "task stat's field 1");
    }
    pc_end_threads(threads);
    CHECK(pc_read("/proc/self/status") > 0 && pc_field("Threads") == 1, "joined: Threads %ld", pc_field("Threads"));
    return 1;
}

/* self and thread-self are links: to the pid, and to pid/task/tid of the caller's thread. */
static int pc_self_links(void)
{
    char text[64], want[64];
    ssize_t n = readlink("/proc/self", text, sizeof text - 1);
    snprintf(want, sizeof want, "%d", (int)getpid());
    CHECK(n > 0 && (text[n] = '\0', strcmp(text, want) == 0), "self -> %s", n > 0 ? text : "?");
    n = readlink("/proc/thread-self", text, sizeof text - 1);
    snprintf(want, sizeof want, "%d/task/%d", (int)getpid(), pc_tid());
    CHECK(n > 0 && (text[n] = '\0', strcmp(text, want) == 0), "thread-self -> %s", n > 0 ? text : "?");
    struct stat st;
    CHECK(lstat("/proc/self", &st) == 0 && S_ISLNK(st.st_mode), "self is a link");
    CHECK(stat("/proc/self", &st) == 0 && S_ISDIR(st.st_mode), "... to a directory");
    return 1;
}

/* fd/N: a file's path, a pipe's "pipe:[N]", and a gone descriptor gone. */
static int pc_fds(void)
{
    int fd = open("/dev/null", O_RDONLY), p[2];
    CHECK(fd >= 0 && pipe(p) == 0, "a file and a pipe");
    char path[64], text[128];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, text, sizeof text - 1);
    CHECK(n > 0 && (text[n] = '\0', strcmp(text, "/dev/null") == 0), "fd -> %s", n > 0 ? text : "?");
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
    n = readlink(path, text, sizeof text - 1);
    CHECK(n > 0 && (text[n] = '\0', strncmp(text, "pipe:[", 6) == 0), "a pipe -> %s", n > 0 ? text : "?");
    char other[128];
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
    n = readlink(path, other, sizeof other - 1);
    CHECK(n > 0 && (other[n] = '\0', strcmp(text, other) == 0), "both ends name one pipe");
    close(p[0]);
    close(p[1]);
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
    CHECK(readlink(path, text, sizeof text) == -1 && errno == ENOENT, "a closed descriptor: ENOENT");
    struct stat by_link, by_fd;
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    CHECK(stat(path, &by_link) == 0 && fstat(fd, &by_fd) == 0 && by_link.st_ino == by_fd.st_ino &&
          S_ISCHR(by_link.st_mode), "stat follows fd/N to the file itself");
    close(fd);
    char before[64], after[64];
    snprintf(before, sizeof before, "/tmp/pc_fd_%d", (int)getpid());
    snprintf(after, sizeof after, "/tmp/pc_fd_%d.moved", (int)getpid());
    fd = open(before, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    n = readlink(path, text, sizeof text - 1);
    CHECK(fd >= 0 && n > 0 && (text[n] = '\0', strcmp(text, before) == 0), "a file of /tmp -> %s", n > 0 ? text : "?");
    CHECK(rename(before, after) == 0, "rename");
    n = readlink(path, text, sizeof text - 1);
    CHECK(n > 0 && (text[n] = '\0', strcmp(text, after) == 0), "renamed: -> %s", n > 0 ? text : "?");
    CHECK(unlink(after) == 0, "unlink");
    n = readlink(path, text, sizeof text - 1);
    CHECK(n > 0 && (text[n] = '\0', strstr(text, "(deleted)") != NULL), "removed: -> %s", n > 0 ? text : "?");
    close(fd);
    return 1;
}

/* cwd and exe: where the process is, and what it runs. */
static int pc_cwd_exe(void)
{
    char text[256];
    CHECK(chdir("/tmp") == 0, "chdir");
    ssize_t n = readlink("/proc/self/cwd", text, sizeof text - 1);
    CHECK(n > 0 && (text[n] = '\0', strcmp(text, "/tmp") == 0), "cwd -> %s", n > 0 ? text : "?");
    CHECK(chdir("/") == 0, "chdir back");
    n = readlink("/proc/self/exe", text, sizeof text - 1);
    CHECK(n > 0 && text[0] == '/', "exe is an absolute path");
    text[n] = '\0';
    struct stat by_path, by_link;
    CHECK(stat(text, &by_path) == 0 && stat("/proc/self/exe", &by_link) == 0 && by_path.st_ino == by_link.st_ino,
          "exe leads to the program's file");
    return 1;
}

/* cmdline: argv, each string NUL-terminated; comm: the name. */
static const char *pc_argv0;

static int pc_cmdline(void)
{
    long len = pc_read("/proc/self/cmdline");
    CHECK(len > 0 && pc_text[len - 1] == '\0' && strcmp(pc_text, pc_argv0) == 0, "cmdline starts with argv[0] %s: %s",
          pc_argv0, pc_text);
    CHECK(pc_read("/proc/self/comm") > 0 && strchr(pc_text, '\n'), "comm ends in a newline");
    const char *base = strrchr(pc_argv0, '/');
    base = base ? base + 1 : pc_argv0;
    CHECK(strncmp(pc_text, base, strlen(pc_text) - 1) == 0, "comm %s is the program's name %s", pc_text, base);
    return 1;
}

/* maps: a new mapping shows with its bounds and permissions. */
static int pc_maps(void)
{
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, (size_t)(PC_MAP_PAGES * page), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED, "mmap");
    char want[64];
    snprintf(want, sizeof want, "%lx-%lx r--p ", (unsigned long)m, (unsigned long)(m + PC_MAP_PAGES * page));
    CHECK(pc_read("/proc/self/maps") > 0, "read maps");
    CHECK(strstr(pc_text, want) != NULL, "maps has %s", want);
    CHECK(strstr(pc_text, "[stack]") != NULL, "the stack is named");
    munmap(m, (size_t)(PC_MAP_PAGES * page));
    CHECK(pc_read("/proc/self/maps") > 0 && strstr(pc_text, want) == NULL, "unmapped: gone from maps");
    CHECK(pc_read("/proc/self/statm") > 0, "statm");
    long size = 0, resident = 0;
    CHECK(sscanf(pc_text, "%ld %ld", &size, &resident) == 2 && size >= resident && resident > 0,
          "statm: size %ld resident %ld pages", size, resident);
    return 1;
}

/* A child that has ended and is not reaped is a zombie; reaped, it is gone. */
static int pc_zombie(void)
{
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    CHECK(child > 0, "fork");
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)child);
    char state = 0;
    for (int tries = 0; tries < 1000 && state != 'Z'; tries++) {
        CHECK(pc_read(path) > 0, "the child's stat");
        const char *close_paren = strrchr(pc_text, ')');
        state = close_paren ? close_paren[2] : 0;
        if (state != 'Z')
            usleep(1000);
    }
    CHECK(state == 'Z', "an ended child not reaped: state %c", state);
    int status;
    CHECK(waitpid(child, &status, 0) == child, "reap");
    CHECK(open(path, O_RDONLY) == -1 && errno == ENOENT, "reaped: gone from /proc");
    snprintf(path, sizeof path, "/proc/%d", (int)child);
    struct stat st;
    CHECK(stat(path, &st) == -1 && errno == ENOENT, "its directory too");
    return 1;
}

/* /proc lists processes: this one and self among them. */
static int pc_list(void)
{
    DIR *d = opendir("/proc");
    CHECK(d != NULL, "opendir /proc");
    int me = 0, self = 0, numbers = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        me += atoi(e->d_name) == getpid();
        self += strcmp(e->d_name, "self") == 0;
        numbers += e->d_name[0] >= '1' && e->d_name[0] <= '9';
    }
    closedir(d);
    CHECK(me == 1 && self == 1 && numbers >= 1, "me %d self %d processes %d", me, self, numbers);
    return 1;
}

/* The system's files: what free, uptime, top read. */
static int pc_system(void)
{
    CHECK(pc_read("/proc/meminfo") > 0, "meminfo");
    long total = pc_field("MemTotal"), free_kib = pc_field("MemFree");
    CHECK(total > 0 && free_kib > 0 && free_kib <= total && pc_field("SwapTotal") >= 0, "MemTotal %ld MemFree %ld",
          total, free_kib);
    double up = -1, idle = -1;
    CHECK(pc_read("/proc/uptime") > 0 && sscanf(pc_text, "%lf %lf", &up, &idle) == 2 && up > 0 && idle >= 0,
          "uptime: %s", pc_text);
    double load[3];
    int running = 0, total_threads = 0, last = 0;
    CHECK(pc_read("/proc/loadavg") > 0 &&
          sscanf(pc_text, "%lf %lf %lf %d/%d %d", &load[0], &load[1], &load[2], &running, &total_threads, &last) == 6,
          "loadavg: %s", pc_text);
    CHECK(running >= 1 && total_threads >= running && last > 0, "loadavg: %d/%d %d", running, total_threads, last);
    CHECK(pc_read("/proc/stat") > 0 && strncmp(pc_text, "cpu ", 4) == 0 && strstr(pc_text, "\ncpu0 ") &&
          strstr(pc_text, "\nctxt ") && strstr(pc_text, "\nbtime "), "stat");
    CHECK(pc_read("/proc/cpuinfo") > 0 && strncmp(pc_text, "processor", 9) == 0, "cpuinfo");
    CHECK(pc_read("/proc/mounts") > 0 && strstr(pc_text, " /proc proc "), "mounts: %s", pc_text);
    CHECK(pc_read("/proc/filesystems") > 0 && strstr(pc_text, "\tproc\n"), "filesystems");
    return 1;
}

/* /proc is read-only: no writes, no new names. */
static int pc_read_only(void)
{
    int fd = open("/proc/self/status", O_WRONLY);     /* root may open it on Linux; the write fails there */
    CHECK(fd == -1 || write(fd, "x", 1) == -1, "a write to status");
    if (fd >= 0)
        close(fd);
    CHECK(open("/proc/newfile", O_WRONLY | O_CREAT, 0600) == -1, "a new file in /proc");
    CHECK(mkdir("/proc/newdir", 0700) == -1, "a new directory in /proc");
    CHECK(unlink("/proc/self/status") == -1, "unlink in /proc");
    CHECK(open("/proc/self/nothing", O_RDONLY) == -1 && errno == ENOENT, "no such entry");
    CHECK(open("/proc/999999999/status", O_RDONLY) == -1 && errno == ENOENT, "no such process");
    CHECK(open("/proc/0123/status", O_RDONLY) == -1 && errno == ENOENT, "a number with a leading zero");
    return 1;
}

#endif
