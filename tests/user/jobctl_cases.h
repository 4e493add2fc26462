/*
 * Job control and the terminal's settings as Linux has them, in cases
 * that run both on the Linux host (tests/host/libc/jobctl.c: our libc on
 * Linux's kernel, the terminal a pseudo-terminal) and in our kernel
 * (tests/user/test_jobctl.c, the terminal the console):
 *
 * - SIGSTOP stops every thread of a process (counters the threads bump
 *   stay still) and SIGCONT resumes them all; wait reports the stop
 *   (WUNTRACED) and the continue (WCONTINUED) once each; waitid says the
 *   same in a siginfo, WNOWAIT leaves the report; SIGCHLD comes with
 *   CLD_STOPPED and CLD_CONTINUED (none with SA_NOCLDSTOP); a stopped
 *   process dies of SIGKILL; SIGTSTP stops by default and not when handled;
 *   a call a stop interrupted runs on after SIGCONT; SIGCONT discards
 *   pending stops and a stop a pending SIGCONT; a stopped process whose
 *   group an end orphans is hung up (SIGHUP, SIGCONT).
 * - setsid and getsid with their errors.
 * - termios: settings read back as set, raw mode reads with VMIN and
 *   VTIME (the four cases of POSIX), canonical lines with erase, FIONREAD,
 *   the window size.
 *
 * Each case returns 1, or fails through the includer's CHECK (check.h
 * returns 0, utest.h ends the test).  Children never CHECK: they report
 * through their exit status.  Every wait for a child has a time limit
 * (JC_WAIT_MS), so a stop that never comes fails instead of hanging.  The
 * terminal cases take the terminal's descriptor and a function that types
 * bytes into it (TIOCSTI here, the pseudo-terminal's master on the host),
 * and leave its settings as they found them.
 */
#ifndef TESTS_USER_JOBCTL_CASES_H
#define TESTS_USER_JOBCTL_CASES_H

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define JC_THREADS      4               /* the main thread and three more */
#define JC_WAIT_MS      5000            /* a state change must come within this */
#define JC_POLL_NS      2000000L        /* 2 ms between looks */
#define JC_STILL_NS     100000000L      /* 100 ms: long enough for a running thread to bump its counter */
#define JC_NSEC_PER_MS  1000000L
#define JC_NSEC_PER_S   1000000000L
#define JC_VTIME_DS     2               /* VTIME of 0.2 s ... */
#define JC_VTIME_MIN_MS 150             /* ... is at least this long (a tick rounds) ... */
#define JC_VTIME_MAX_MS 2000            /* ... and well under this */
#define JC_AT_ONCE_MS   100             /* a read that must not wait returns within this */
#define JC_NO_SUCH_PID  999999

typedef void (*jc_typer)(int fd, const char *s);

static void jc_nap_ns(long ns)
{
    struct timespec t = { ns / JC_NSEC_PER_S, ns % JC_NSEC_PER_S };
    nanosleep(&t, NULL);
}

static long jc_ms_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / JC_NSEC_PER_MS;
}

/* waitpid(pid, options | WNOHANG) until it reports, JC_WAIT_MS at most: its result (0: nothing came). */
static pid_t jc_wait(pid_t pid, int *status, int options)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t r;
    while ((r = waitpid(pid, status, options | WNOHANG)) == 0 && jc_ms_since(&start) < JC_WAIT_MS)
        jc_nap_ns(JC_POLL_NS);
    return r;
}

/* Run fn in a child (its result is the exit status): true if it exited 0; its wait status in *status. */
static int jc_in_child(int (*fn)(void), int *status)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(fn());
    *status = 0;
    return pid > 0 && jc_wait(pid, status, 0) == pid && WIFEXITED(*status) && WEXITSTATUS(*status) == 0;
}

/* Kill and reap a child a failed case leaves behind. */
static void jc_reap(pid_t pid)
{
    int status;
    kill(pid, SIGKILL);
    jc_wait(pid, &status, 0);
}

/* A child that sleeps until killed; in a group of its own when own_group (a job, as a shell makes it). */
static pid_t jc_sleeper(int own_group)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (own_group)
            setpgid(0, 0);
        for (;;)
            pause();
    }
    if (pid > 0 && own_group)
        setpgid(pid, pid);      /* in both, whichever runs first */
    return pid;
}

/*
 * A job (in a group of its own) that handles sig with handler and
 * otherwise sleeps; returned once its handler is in place.
 */
static pid_t jc_handling_child(int sig, void (*handler)(int))
{
    int ready[2];
    if (pipe(ready) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(sig, handler);
        write(ready[1], "r", 1);
        for (;;)
            pause();
    }
    char c;
    if (pid > 0) {
        setpgid(pid, pid);
        read(ready[0], &c, 1);
    }
    close(ready[0]);
    close(ready[1]);
    return pid;
}

/* Block SIGCHLD, the old mask in *old: the SIGCHLD cases take it with sigtimedwait. */
static sigset_t jc_block_sigchld(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, old);
    return set;
}

/* ---- every thread stops, every thread continues ---- */

struct jc_counters {
    volatile unsigned long n[JC_THREADS];
};

static struct jc_counters *jc_counters;
static void (*jc_thread_start)(int i);  /* the includer's: what thread i does first (pin it to a CPU) */

static void *jc_bump(void *arg)
{
    int i = (int)(long)arg;
    if (jc_thread_start)
        jc_thread_start(i);
    for (;;)
        __atomic_add_fetch(&jc_counters->n[i], 1, __ATOMIC_RELAXED);
    return NULL;
}

/* The child: JC_THREADS threads (itself included), each bumping its own counter for good. */
static void jc_bumping_child(struct jc_counters *c)
{
    pthread_t t;
    jc_counters = c;
    for (int i = 1; i < JC_THREADS; i++)
        if (pthread_create(&t, NULL, jc_bump, (void *)(long)i) != 0)
            _exit(2);
    jc_bump((void *)0L);
}

/* A child of JC_THREADS threads that run for good, their counters in shared memory at *c (NULL: failed). */
static pid_t jc_threads_child(struct jc_counters **c)
{
    *c = mmap(NULL, sizeof **c, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (*c == MAP_FAILED) {
        *c = NULL;
        return -1;
    }
    memset((void *)*c, 0, sizeof **c);
    pid_t pid = fork();
    if (pid == 0)
        jc_bumping_child(*c);
    return pid;
}

static void jc_snapshot(const struct jc_counters *c, unsigned long *out)
{
    for (int i = 0; i < JC_THREADS; i++)
        out[i] = __atomic_load_n(&c->n[i], __ATOMIC_RELAXED);
}

/* The first thread whose counter moved between a and b (-1: none), or, with all, the first that did not. */
static int jc_moved(const unsigned long *a, const unsigned long *b, int all)
{
    for (int i = 0; i < JC_THREADS; i++)
        if ((a[i] != b[i]) != all)
            return i;
    return -1;
}

/* Wait until every thread's counter has moved (they all run): false after JC_WAIT_MS. */
static int jc_all_running(const struct jc_counters *c)
{
    unsigned long a[JC_THREADS], b[JC_THREADS];
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        jc_snapshot(c, a);
        jc_nap_ns(JC_STILL_NS);
        jc_snapshot(c, b);
    } while (jc_moved(a, b, 1) >= 0 && jc_ms_since(&start) < JC_WAIT_MS);
    return jc_moved(a, b, 1) < 0;
}

/*
 * SIGSTOP stops all four threads: once wait reports the stop, no counter
 * moves; the stop is reported once.  SIGCONT resumes all four, reported
 * once too.  SIGKILL then ends it.
 */
static int jc_stop_all_threads(void)
{
    struct jc_counters *c;
    pid_t pid = jc_threads_child(&c);
    CHECK(pid > 0, "mmap or fork: %s", strerror(errno));
    int status = 0, running = jc_all_running(c);
    unsigned long a[JC_THREADS], b[JC_THREADS];
    kill(pid, SIGSTOP);
    pid_t r = jc_wait(pid, &status, WUNTRACED);
    jc_snapshot(c, a);
    jc_nap_ns(JC_STILL_NS);
    jc_snapshot(c, b);
    int moved_while_stopped = jc_moved(a, b, 0);
    pid_t again = waitpid(pid, &status, WUNTRACED | WNOHANG);
    kill(pid, SIGCONT);
    int cont_status = 0;
    pid_t rc = jc_wait(pid, &cont_status, WCONTINUED);
    pid_t cont_again = waitpid(pid, &status, WCONTINUED | WNOHANG);
    int resumed = jc_all_running(c);
    jc_reap(pid);
    munmap((void *)c, sizeof *c);
    CHECK(running, "the %d threads never all ran", JC_THREADS);
    CHECK(r == pid, "no stop reported: waitpid %d", r);
    CHECK(moved_while_stopped < 0, "thread %d ran on while its process was stopped", moved_while_stopped);
    CHECK(again == 0, "the stop was reported twice (%d)", again);
    CHECK(rc == pid && WIFCONTINUED(cont_status), "no continue reported: waitpid %d status %#x", rc, cont_status);
    CHECK(cont_again == 0, "the continue was reported twice (%d)", cont_again);
    CHECK(resumed, "not every thread ran again after SIGCONT");
    return 1;
}

/* The stop's status: WIFSTOPPED with WSTOPSIG sig, and none of the other macros. */
static int jc_stopped_by(int status, int sig)
{
    return WIFSTOPPED(status) && WSTOPSIG(status) == sig && !WIFEXITED(status) && !WIFSIGNALED(status) &&
           !WIFCONTINUED(status);
}

/* A sleeper sent sig, and what wait (WUNTRACED) then says of it in *status: its pid, -1 if wait said nothing. */
static pid_t jc_signalled_sleeper(int own_group, int sig, int *status)
{
    pid_t pid = jc_sleeper(own_group);
    *status = 0;
    if (pid <= 0)
        return -1;
    kill(pid, sig);
    if (jc_wait(pid, status, WUNTRACED) == pid)
        return pid;
    jc_reap(pid);
    return -1;
}

/* A stopped process dies of SIGKILL, and wait says so (not a stop). */
static int jc_kill_stopped(void)
{
    int status, end = 0;
    pid_t pid = jc_signalled_sleeper(0, SIGSTOP, &status);
    CHECK(pid > 0 && jc_stopped_by(status, SIGSTOP), "not stopped: status %#x", status);
    kill(pid, SIGKILL);
    pid_t r2 = jc_wait(pid, &end, 0);
    if (r2 != pid)
        jc_reap(pid);
    CHECK(r2 == pid && WIFSIGNALED(end) && WTERMSIG(end) == SIGKILL, "waitpid %d status %#x", r2, end);
    return 1;
}

/*
 * A fatal signal other than SIGKILL waits for SIGCONT: the stopped process
 * stays stopped (nothing to reap), and dies of it once continued (POSIX).
 */
static int jc_term_while_stopped(void)
{
    int status, end = 0;
    pid_t pid = jc_signalled_sleeper(0, SIGSTOP, &status);
    CHECK(pid > 0 && jc_stopped_by(status, SIGSTOP), "not stopped: status %#x", status);
    kill(pid, SIGTERM);
    jc_nap_ns(JC_STILL_NS);
    pid_t early = waitpid(pid, &end, WNOHANG);
    if (early != 0)
        jc_reap(pid);
    CHECK(early == 0, "SIGTERM ended a stopped process: waitpid %d status %#x", early, end);
    kill(pid, SIGCONT);
    pid_t r2 = jc_wait(pid, &end, 0);
    if (r2 != pid)
        jc_reap(pid);
    CHECK(r2 == pid && WIFSIGNALED(end) && WTERMSIG(end) == SIGTERM, "continued: waitpid %d status %#x", r2, end);
    return 1;
}

/* SIGTSTP stops a job by default; handled, it does not stop (the handler runs, the child exits 0). */
static void jc_on_tstp(int sig)
{
    (void)sig;
    _exit(0);
}

static int jc_tstp(void)
{
    int status;
    pid_t pid = jc_signalled_sleeper(1, SIGTSTP, &status), r;
    if (pid > 0)
        jc_reap(pid);
    CHECK(pid > 0 && jc_stopped_by(status, SIGTSTP), "SIGTSTP: status %#x", status);
    pid = jc_handling_child(SIGTSTP, jc_on_tstp);
    CHECK(pid > 0, "fork: %s", strerror(errno));
    kill(pid, SIGTSTP);
    r = jc_wait(pid, &status, WUNTRACED);
    if (r != pid)
        jc_reap(pid);
    CHECK(r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "a handled SIGTSTP: waitpid %d status %#x (stopped: %d)", r, status, WIFSTOPPED(status));
    return 1;
}

/*
 * SIGCHLD tells the parent of the stop (CLD_STOPPED, si_status SIGSTOP),
 * the continue (CLD_CONTINUED, SIGCONT) and the kill (CLD_KILLED).
 * Taken with sigtimedwait, SIGCHLD blocked.
 */
static int jc_sigchld_for(pid_t pid, int code, int status)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);       /* blocked by jc_block_sigchld */
    struct timespec limit = { JC_WAIT_MS / 1000, 0 };
    siginfo_t info;
    memset(&info, 0, sizeof info);
    int sig = sigtimedwait(&set, &info, &limit);
    return sig == SIGCHLD && info.si_code == code && info.si_pid == pid && info.si_status == status;
}

static int jc_sigchld(void)
{
    sigset_t old;
    jc_block_sigchld(&old);
    pid_t pid = jc_sleeper(0);
    CHECK(pid > 0, "fork: %s", strerror(errno));
    kill(pid, SIGSTOP);
    int stopped = jc_sigchld_for(pid, CLD_STOPPED, SIGSTOP);
    kill(pid, SIGCONT);
    int continued = jc_sigchld_for(pid, CLD_CONTINUED, SIGCONT);
    kill(pid, SIGKILL);
    int killed = jc_sigchld_for(pid, CLD_KILLED, SIGKILL);
    int status;
    jc_wait(pid, &status, 0);
    sigprocmask(SIG_SETMASK, &old, NULL);
    CHECK(stopped, "no SIGCHLD with CLD_STOPPED and SIGSTOP");
    CHECK(continued, "no SIGCHLD with CLD_CONTINUED and SIGCONT");
    CHECK(killed, "no SIGCHLD with CLD_KILLED and SIGKILL");
    return 1;
}

static void jc_no_op(int sig)
{
    (void)sig;
}

/* With SA_NOCLDSTOP the parent gets no SIGCHLD for a stop, but wait still reports it. */
static int jc_nocldstop(void)
{
    struct sigaction act = { .sa_handler = jc_no_op, .sa_flags = SA_NOCLDSTOP }, old_act;
    sigset_t old, set = jc_block_sigchld(&old);
    sigaction(SIGCHLD, &act, &old_act);
    pid_t pid = jc_sleeper(0);
    CHECK(pid > 0, "fork: %s", strerror(errno));
    int status = 0;
    kill(pid, SIGSTOP);
    pid_t r = jc_wait(pid, &status, WUNTRACED);
    struct timespec zero = { 0, 0 };
    int sig = sigtimedwait(&set, NULL, &zero);
    jc_reap(pid);
    while (sigtimedwait(&set, NULL, &zero) > 0)
        ;                       /* the kill's SIGCHLD */
    sigaction(SIGCHLD, &old_act, NULL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    CHECK(r == pid && jc_stopped_by(status, SIGSTOP), "waitpid %d status %#x", r, status);
    CHECK(sig < 0 && errno == EAGAIN, "SIGCHLD came for a stop despite SA_NOCLDSTOP");
    return 1;
}

/* waitid: the stop, the continue and the end, as siginfo; WNOWAIT leaves the report; options are checked. */
static int jc_waitid_for(pid_t pid, int options, int code, int status)
{
    siginfo_t info;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        memset(&info, 0, sizeof info);
        if (waitid(P_PID, (id_t)pid, &info, options | WNOHANG) != 0)
            return 0;
        if (info.si_pid == pid)
            break;
        jc_nap_ns(JC_POLL_NS);
    } while (jc_ms_since(&start) < JC_WAIT_MS);
    return info.si_pid == pid && info.si_signo == SIGCHLD && info.si_code == code && info.si_status == status;
}

static int jc_waitid(void)
{
    siginfo_t info;
    CHECK(waitid(P_ALL, 0, &info, 0) == -1 && errno == EINVAL, "waitid without an event to wait for");
    CHECK(waitid(P_PID, 0, &info, WEXITED) == -1 && errno == EINVAL, "waitid P_PID 0");
    pid_t pid = jc_sleeper(0);
    CHECK(pid > 0, "fork: %s", strerror(errno));
    kill(pid, SIGSTOP);
    int kept = jc_waitid_for(pid, WSTOPPED | WNOWAIT, CLD_STOPPED, SIGSTOP);
    int stopped = jc_waitid_for(pid, WSTOPPED, CLD_STOPPED, SIGSTOP);
    memset(&info, 0, sizeof info);
    int none = waitid(P_PID, (id_t)pid, &info, WSTOPPED | WNOHANG) == 0 && info.si_pid == 0;
    kill(pid, SIGCONT);
    int continued = jc_waitid_for(pid, WCONTINUED, CLD_CONTINUED, SIGCONT);
    kill(pid, SIGTERM);
    int ended = jc_waitid_for(pid, WEXITED, CLD_KILLED, SIGTERM);
    if (!ended)
        jc_reap(pid);
    CHECK(kept && stopped, "waitid's stop: with WNOWAIT %d, then %d", kept, stopped);
    CHECK(none, "waitid reported the stop twice");
    CHECK(continued, "waitid's continue");
    CHECK(ended, "waitid's end (killed by SIGTERM)");
    return 1;
}

/* A read a stop interrupted runs on after SIGCONT: the child gets its byte, not EINTR. */
static int jc_read_restarts(void)
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        ssize_t n = read(p[0], &c, 1);
        _exit(n == 1 && c == 'x' ? 0 : n < 0 ? 10 + errno % 100 : 1);
    }
    jc_nap_ns(JC_STILL_NS);     /* asleep in read by now */
    int status = 0;
    kill(pid, SIGSTOP);
    pid_t r = jc_wait(pid, &status, WUNTRACED);
    kill(pid, SIGCONT);
    jc_nap_ns(JC_STILL_NS);
    write(p[1], "x", 1);
    int end = 0;
    pid_t r2 = jc_wait(pid, &end, 0);
    if (r2 != pid)
        jc_reap(pid);
    close(p[0]);
    close(p[1]);
    CHECK(r == pid, "no stop");
    CHECK(r2 == pid && WIFEXITED(end) && WEXITSTATUS(end) == 0, "status %#x (10 + errno: the read failed)", end);
    return 1;
}

/* In a child: SIGCONT discards a pending SIGTSTP, and SIGTSTP a pending SIGCONT (both blocked). */
static int jc_discard_child(void)
{
    sigset_t set, pending;
    setpgid(0, 0);              /* a job of its own: its group is not orphaned */
    sigemptyset(&set);
    sigaddset(&set, SIGTSTP);
    sigaddset(&set, SIGCONT);
    sigprocmask(SIG_BLOCK, &set, NULL);
    kill(getpid(), SIGTSTP);
    sigpending(&pending);
    if (!sigismember(&pending, SIGTSTP))
        return 1;
    kill(getpid(), SIGCONT);
    sigpending(&pending);
    if (sigismember(&pending, SIGTSTP) || !sigismember(&pending, SIGCONT))
        return 2;
    kill(getpid(), SIGTSTP);
    sigpending(&pending);
    if (sigismember(&pending, SIGCONT) || !sigismember(&pending, SIGTSTP))
        return 3;
    return 0;
}

static int jc_stop_and_cont_discard(void)
{
    int status;
    CHECK(jc_in_child(jc_discard_child, &status),
          "status %#x (1: no SIGTSTP pending, 2: SIGCONT kept it, 3: SIGTSTP kept SIGCONT)", status);
    return 1;
}

/*
 * In a session of its own (so init, its new parent, links nothing): a
 * job's stopped process whose group the job leader's end orphans is hung
 * up (SIGHUP, SIGCONT) and dies.  0 if it died within JC_WAIT_MS; the
 * stopped process holds a pipe's write end, whose end of file says so.
 */
static int jc_orphan_child(void)
{
    int p[2];
    if (setsid() < 0 || pipe(p) != 0)
        return 1;
    pid_t leader = fork();
    if (leader == 0) {
        setpgid(0, 0);
        pid_t stopped = fork();
        if (stopped == 0) {
            close(p[0]);
            kill(getpid(), SIGSTOP);
            for (;;)
                pause();
        }
        int status;
        _exit(jc_wait(stopped, &status, WUNTRACED) == stopped ? 0 : 1);     /* orphans it */
    }
    close(p[1]);
    int status = 0;
    if (jc_wait(leader, &status, 0) != leader || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return 2;
    struct pollfd end = { .fd = p[0], .events = POLLIN };
    char c;
    if (poll(&end, 1, JC_WAIT_MS) != 1 || read(p[0], &c, 1) != 0)
        return 3;               /* still there: the stopped process holds the write end */
    return 0;
}

static int jc_orphaned_stopped_hung_up(void)
{
    int status;
    CHECK(jc_in_child(jc_orphan_child, &status),
          "status %#x (2: the job leader failed, 3: the stopped process lived on)", status);
    return 1;
}

/* ---- sessions ---- */

/* In a child: setsid and getsid as Linux answers them; 0, or the number of the check that failed. */
static int jc_session_child(void)
{
    pid_t me = getpid(), parent_sid = getsid(getppid());
    if (getsid(0) != parent_sid || getsid(me) != parent_sid)
        return 1;
    if (getsid(JC_NO_SUCH_PID) != -1 || errno != ESRCH)
        return 2;
    if (setpgid(0, 0) != 0 || setsid() != -1 || errno != EPERM)
        return 3;               /* a group leader cannot start a session */
    pid_t child = fork();
    if (child == 0) {
        if (setsid() != getpid() || getsid(0) != getpid() || getpgrp() != getpid())
            _exit(1);
        if (setsid() != -1 || errno != EPERM)
            _exit(2);           /* now a session leader (and a group leader) */
        if (setpgid(0, getppid()) != -1 || errno != EPERM)
            _exit(3);           /* a session leader stays in its group */
        _exit(0);
    }
    int status = 0;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
        return 4;
    return WEXITSTATUS(status) ? 4 + WEXITSTATUS(status) : 0;
}

static int jc_sessions(void)
{
    int status;
    CHECK(jc_in_child(jc_session_child, &status), "check %d failed (status %#x)", WEXITSTATUS(status), status);
    return 1;
}

/* ---- the terminal's settings ---- */

/* Settings with the flags in lflag off (and the control characters VMIN, VTIME), now. */
static int jc_set(int fd, const struct termios *base, tcflag_t lflag_off, int vmin, int vtime)
{
    struct termios t = *base;
    t.c_lflag &= ~lflag_off;
    t.c_cc[VMIN] = (cc_t)vmin;
    t.c_cc[VTIME] = (cc_t)vtime;
    return tcsetattr(fd, TCSANOW, &t);
}

/* What a setting reads back as, against what was set. */
static int jc_same(const struct termios *a, const struct termios *b)
{
    return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag && a->c_cflag == b->c_cflag &&
           a->c_lflag == b->c_lflag && memcmp(a->c_cc, b->c_cc, KERNEL_NCCS) == 0;
}

/* A cooked terminal at first; raw settings (cfmakeraw) read back as set; the old ones come back; bad arguments fail. */
static int jc_termios_round_trip(int fd, jc_typer type)
{
    (void)type;
    struct termios orig, raw, back;
    CHECK(tcgetattr(fd, &orig) == 0, "tcgetattr: %s", strerror(errno));
    CHECK((orig.c_lflag & (ICANON | ISIG)) == (ICANON | ISIG) && orig.c_cc[VINTR] == 3 &&
          orig.c_cc[VSUSP] == 26 && orig.c_cc[VEOF] == 4, "not a cooked terminal: lflag %#o", orig.c_lflag);
    raw = orig;
    cfmakeraw(&raw);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 7;
    CHECK(tcsetattr(fd, TCSANOW, &raw) == 0, "tcsetattr: %s", strerror(errno));
    int got = tcgetattr(fd, &back) == 0 && jc_same(&raw, &back);
    int restored = tcsetattr(fd, TCSAFLUSH, &orig) == 0 && tcgetattr(fd, &back) == 0 && jc_same(&orig, &back);
    CHECK(got, "raw settings read back as lflag %#o iflag %#o oflag %#o VMIN %d VTIME %d", back.c_lflag,
          back.c_iflag, back.c_oflag, back.c_cc[VMIN], back.c_cc[VTIME]);
    CHECK(restored, "the old settings did not come back");
    CHECK(!(raw.c_lflag & (ICANON | ECHO | ISIG)) && !(raw.c_oflag & OPOST) && raw.c_cc[VMIN] == 0,
          "cfmakeraw left lflag %#o", raw.c_lflag);
    CHECK(tcsetattr(fd, 3, &orig) == -1 && errno == EINVAL, "tcsetattr with when 3");
    CHECK(cfsetospeed(&raw, B9600) == 0 && cfgetospeed(&raw) == B9600 && cfgetispeed(&raw) == B9600, "speed");
    CHECK(cfsetospeed(&raw, 0x7fffffff) == -1 && errno == EINVAL, "a speed that is no speed");
    int pipe_fds[2];
    CHECK(pipe(pipe_fds) == 0, "pipe");
    int notty = tcgetattr(pipe_fds[0], &back) == -1 && errno == ENOTTY && !isatty(pipe_fds[0]) && isatty(fd);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    CHECK(notty, "a pipe is no terminal, and fd is one");
    return 1;
}

/* Wait until fd has input (the pseudo-terminal's master passes bytes on a moment later). */
static void jc_until_readable(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    poll(&p, 1, JC_WAIT_MS);
}

/* Non-canonical reads: VMIN 0 VTIME 0 returns at once, with or without input; VMIN 0 VTIME t waits t for none. */
static int jc_raw_reads(int fd, jc_typer type)
{
    struct termios orig;
    char buf[16];
    CHECK(tcgetattr(fd, &orig) == 0, "tcgetattr");
    CHECK(jc_set(fd, &orig, ICANON | ECHO, 0, 0) == 0 && tcflush(fd, TCIFLUSH) == 0, "raw, no echo");
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    ssize_t none = read(fd, buf, sizeof buf);
    long none_ms = jc_ms_since(&start);
    type(fd, "ab");
    jc_until_readable(fd);
    int ready = 0;
    ioctl(fd, FIONREAD, &ready);
    ssize_t two = read(fd, buf, sizeof buf);
    jc_set(fd, &orig, ICANON | ECHO, 0, JC_VTIME_DS);
    clock_gettime(CLOCK_MONOTONIC, &start);
    ssize_t timed = read(fd, buf, sizeof buf);
    long timed_ms = jc_ms_since(&start);
    tcsetattr(fd, TCSANOW, &orig);
    CHECK(none == 0 && none_ms < JC_AT_ONCE_MS, "VMIN 0 VTIME 0 with no input: %zd after %ld ms", none, none_ms);
    CHECK(ready == 2, "FIONREAD says %d, 2 typed", ready);
    CHECK(two == 2 && memcmp(buf, "ab", 2) == 0, "VMIN 0 VTIME 0 with input: %zd", two);
    CHECK(timed == 0 && timed_ms >= JC_VTIME_MIN_MS && timed_ms < JC_VTIME_MAX_MS,
          "VMIN 0 VTIME %d: %zd after %ld ms", JC_VTIME_DS, timed, timed_ms);
    return 1;
}

/* VMIN 3 waits for three bytes; with VTIME too, the gap after the first byte ends the read short. */
static int jc_vmin_reads(int fd, jc_typer type)
{
    struct termios orig;
    char buf[16];
    CHECK(tcgetattr(fd, &orig) == 0, "tcgetattr");
    CHECK(jc_set(fd, &orig, ICANON | ECHO, 3, 0) == 0 && tcflush(fd, TCIFLUSH) == 0, "VMIN 3");
    type(fd, "xyz");
    jc_until_readable(fd);
    ssize_t three = read(fd, buf, sizeof buf);
    jc_set(fd, &orig, ICANON | ECHO, 3, JC_VTIME_DS);
    type(fd, "q");
    jc_until_readable(fd);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    ssize_t one = read(fd, buf + 3, sizeof buf - 3);
    long one_ms = jc_ms_since(&start);
    tcsetattr(fd, TCSANOW, &orig);
    CHECK(three == 3 && memcmp(buf, "xyz", 3) == 0, "VMIN 3: %zd bytes", three);
    CHECK(one == 1 && buf[3] == 'q' && one_ms < JC_VTIME_MAX_MS, "VMIN 3 VTIME %d after one byte: %zd in %ld ms",
          JC_VTIME_DS, one, one_ms);
    return 1;
}

/* Canonical mode: a line at a time, erase (DEL) and kill (^U) edit it. */
static int jc_canonical(int fd, jc_typer type)
{
    struct termios orig;
    char buf[32];
    CHECK(tcgetattr(fd, &orig) == 0, "tcgetattr");
    CHECK(jc_set(fd, &orig, ECHO, orig.c_cc[VMIN], orig.c_cc[VTIME]) == 0 && tcflush(fd, TCIFLUSH) == 0,
          "no echo");
    type(fd, "ab\x7f" "c\nzz\x15" "d\n");
    jc_until_readable(fd);
    ssize_t first = read(fd, buf, sizeof buf);
    ssize_t second = read(fd, buf + 8, sizeof buf - 8);
    tcsetattr(fd, TCSANOW, &orig);
    CHECK(first == 3 && memcmp(buf, "ac\n", 3) == 0, "first line: %zd bytes", first);
    CHECK(second == 2 && memcmp(buf + 8, "d\n", 2) == 0, "second line: %zd bytes", second);
    return 1;
}

/* The window size reads back as set. */
static int jc_winsize(int fd, jc_typer type)
{
    (void)type;
    struct winsize orig, set = { 30, 100, 0, 0 }, back;
    CHECK(ioctl(fd, TIOCGWINSZ, &orig) == 0, "TIOCGWINSZ: %s", strerror(errno));
    CHECK(ioctl(fd, TIOCSWINSZ, &set) == 0, "TIOCSWINSZ: %s", strerror(errno));
    int got = ioctl(fd, TIOCGWINSZ, &back) == 0 && back.ws_row == 30 && back.ws_col == 100;
    ioctl(fd, TIOCSWINSZ, &orig);
    CHECK(got, "read back %dx%d", back.ws_row, back.ws_col);
    return 1;
}

#endif
