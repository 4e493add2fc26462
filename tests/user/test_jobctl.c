/*
 * Job control and the terminal: the cases of jobctl_cases.h, which pass
 * on the Linux host too (the terminal there is a pseudo-terminal, here
 * the console, typed into with TIOCSTI), and what needs our console as
 * the controlling terminal of process 1's session: ^Z stops the
 * foreground group, a background read stops with SIGTTIN (EIO when it
 * ignores it, or from an orphaned group), a background write with TOSTOP
 * and a background tcsetattr stop with SIGTTOU, a new window size sends
 * SIGWINCH, a new session has no terminal; plus every thread stopping
 * with the threads pinned over the CPUs, many stops and continues in a
 * row, and every page and heap byte back.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include "utest.h"
#include "jobctl_cases.h"

#define STRESS_ROUNDS   100     /* stop and continue a 4-thread process this many times */
#define CTRL_Z          26

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
#define SHARED_TTY(name) static void name##_(void) { (void)name(STDIN_FILENO, type_sti); }
SHARED(jc_stop_all_threads)
SHARED(jc_kill_stopped)
SHARED(jc_term_while_stopped)
SHARED(jc_tstp)
SHARED(jc_sigchld)
SHARED(jc_nocldstop)
SHARED(jc_waitid)
SHARED(jc_read_restarts)
SHARED(jc_stop_and_cont_discard)
SHARED(jc_orphaned_stopped_hung_up)
SHARED(jc_sessions)

/* Type s into the console, as if from the serial line. */
static void type_sti(int fd, const char *s)
{
    for (; *s; s++)
        ioctl(fd, TIOCSTI, s);
}

SHARED_TTY(jc_termios_round_trip)
SHARED_TTY(jc_raw_reads)
SHARED_TTY(jc_vmin_reads)
SHARED_TTY(jc_canonical)
SHARED_TTY(jc_winsize)

/* Thread i of the 4-thread child runs on CPU i mod the count: on 2 CPUs, two threads on each. */
static void pin_thread(int i)
{
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(i % (int)sysconf(_SC_NPROCESSORS_ONLN), &one);
    sched_setaffinity(0, sizeof one, &one);
}

static void stop_pinned_threads(void)
{
    jc_thread_start = pin_thread;
    CHECK(jc_stop_all_threads(), "unreachable");
}

/* SIGSTOP and SIGCONT in a row on a 4-thread process: every stop and every continue reported once. */
static void stop_continue_stress(void)
{
    struct jc_counters *c;
    jc_thread_start = pin_thread;
    pid_t pid = jc_threads_child(&c);
    CHECK(pid > 0, "fork: %s", strerror(errno));
    int status = 0, round;
    for (round = 0; round < STRESS_ROUNDS; round++) {
        kill(pid, SIGSTOP);
        if (jc_wait(pid, &status, WUNTRACED) != pid || !jc_stopped_by(status, SIGSTOP))
            break;
        kill(pid, SIGCONT);
        if (jc_wait(pid, &status, WCONTINUED) != pid || !WIFCONTINUED(status))
            break;
    }
    jc_reap(pid);
    CHECK(round == STRESS_ROUNDS, "round %d: status %#x", round, status);
}

/* The console's foreground group becomes pgid; the caller ignores SIGTTOU to take it back later, as shells do. */
static void give_terminal(pid_t pgid)
{
    signal(SIGTTOU, SIG_IGN);
    CHECK(tcsetpgrp(STDIN_FILENO, pgid) == 0, "tcsetpgrp(%d): %s", pgid, strerror(errno));
}

/* ^Z typed on the console stops the foreground group with SIGTSTP. */
static void ctrl_z_stops_the_foreground(void)
{
    pid_t pid = jc_sleeper(1);
    CHECK(pid > 0, "fork");
    give_terminal(pid);
    char z = CTRL_Z;
    ioctl(STDIN_FILENO, TIOCSTI, &z);
    int status = 0;
    pid_t r = jc_wait(pid, &status, WUNTRACED);
    tcsetpgrp(STDIN_FILENO, getpgrp());
    jc_reap(pid);
    CHECK(r == pid && jc_stopped_by(status, SIGTSTP), "waitpid %d status %#x", r, status);
}

/* A background job that reads the console: stopped by SIGTTIN; with SIGTTIN ignored, EIO. */
static void background_read(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        char c;
        read(STDIN_FILENO, &c, 1);
        _exit(1);
    }
    setpgid(pid, pid);
    int status = 0;
    pid_t r = jc_wait(pid, &status, WUNTRACED);
    jc_reap(pid);
    CHECK(r == pid && jc_stopped_by(status, SIGTTIN), "waitpid %d status %#x", r, status);
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGTTIN, SIG_IGN);
        char c;
        _exit(read(STDIN_FILENO, &c, 1) == -1 && errno == EIO ? 0 : 1);
    }
    r = jc_wait(pid, &status, 0);
    CHECK(r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "SIGTTIN ignored: status %#x", status);
}

/*
 * Process 1's group (this test's) is orphaned: its leader's parent is the
 * kernel, outside the session.  In the background it reads EIO at once,
 * and a ^Z for it does nothing: no shell would ever continue it.
 */
static void orphaned_group_reads_eio(void)
{
    pid_t pid = jc_sleeper(1);
    CHECK(pid > 0, "fork");
    give_terminal(pid);
    char c;
    ssize_t n = read(STDIN_FILENO, &c, 1);
    int err = errno;
    tcsetpgrp(STDIN_FILENO, getpgrp());
    jc_reap(pid);
    CHECK(n == -1 && err == EIO, "read: %zd (%s)", n, strerror(err));
}

/* Set or clear TOSTOP on the console. */
static void set_tostop(int on)
{
    struct termios t;
    CHECK(tcgetattr(STDIN_FILENO, &t) == 0, "tcgetattr");
    t.c_lflag = on ? t.c_lflag | TOSTOP : t.c_lflag & ~(tcflag_t)TOSTOP;
    CHECK(tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0, "tcsetattr");
}

/* A background child: 0 it writes, 1 it sets the settings; exits 0 if the call succeeded. */
static pid_t background_child(int what)
{
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        struct termios t;
        tcgetattr(STDIN_FILENO, &t);
        int ok = what == 0 ? write(STDOUT_FILENO, "background write\n", 17) == 17
                           : tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
        _exit(ok ? 0 : 1);
    }
    setpgid(pid, pid);
    return pid;
}

/* With TOSTOP a background write stops with SIGTTOU, without it goes through; tcsetattr always stops. */
static void background_write_and_settings(void)
{
    int status[3] = { 0, 0, 0 };
    pid_t r[3];
    set_tostop(1);
    pid_t pid = background_child(0);
    r[0] = jc_wait(pid, &status[0], WUNTRACED);
    jc_reap(pid);
    set_tostop(0);
    pid = background_child(0);
    r[1] = jc_wait(pid, &status[1], WUNTRACED) == pid;
    pid = background_child(1);
    r[2] = jc_wait(pid, &status[2], WUNTRACED);
    jc_reap(pid);
    CHECK(r[0] > 0 && jc_stopped_by(status[0], SIGTTOU), "write with TOSTOP: status %#x", status[0]);
    CHECK(r[1] && WIFEXITED(status[1]) && WEXITSTATUS(status[1]) == 0, "write without TOSTOP: %#x", status[1]);
    CHECK(r[2] > 0 && jc_stopped_by(status[2], SIGTTOU), "tcsetattr: status %#x", status[2]);
}

static void on_winch(int sig)
{
    (void)sig;
    _exit(0);
}

/* A new window size sends SIGWINCH to the foreground group; the same size again sends nothing. */
static void winsize_change_signals(void)
{
    struct winsize orig, other;
    CHECK(ioctl(STDIN_FILENO, TIOCGWINSZ, &orig) == 0, "TIOCGWINSZ");
    CHECK(orig.ws_row == 24 && orig.ws_col == 80, "the console is %dx%d, not 24x80", orig.ws_row, orig.ws_col);
    pid_t pid = jc_handling_child(SIGWINCH, on_winch);
    CHECK(pid > 0, "fork: %s", strerror(errno));
    give_terminal(pid);
    ioctl(STDIN_FILENO, TIOCSWINSZ, &orig);     /* no change: no signal */
    jc_nap_ns(JC_STILL_NS);
    int status = 0;
    pid_t early = waitpid(pid, &status, WNOHANG);
    other = orig;
    other.ws_row = 40;
    ioctl(STDIN_FILENO, TIOCSWINSZ, &other);
    pid_t r = jc_wait(pid, &status, 0);
    ioctl(STDIN_FILENO, TIOCSWINSZ, &orig);
    tcsetpgrp(STDIN_FILENO, getpgrp());
    if (r != pid)
        jc_reap(pid);
    CHECK(early == 0, "SIGWINCH for a size that did not change");
    CHECK(r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "no SIGWINCH: status %#x", status);
}

/* The console is session 1's; a new session has no terminal: ENOTTY, and TIOCSCTTY cannot take it. */
static void new_session_has_no_terminal(void)
{
    int sid = 0;
    CHECK(ioctl(STDIN_FILENO, TIOCGSID, &sid) == 0 && sid == getsid(0) && tcgetsid(STDIN_FILENO) == sid,
          "TIOCGSID %d, session %d", sid, getsid(0));
    CHECK(ioctl(STDIN_FILENO, TIOCSCTTY, 0) == -1 && errno == EPERM, "TIOCSCTTY by a non-leader");
    pid_t pid = fork();
    if (pid == 0) {
        if (setsid() != getpid())
            _exit(1);
        if (tcgetpgrp(STDIN_FILENO) != -1 || errno != ENOTTY)
            _exit(2);
        if (ioctl(STDIN_FILENO, TIOCGSID, &sid) != -1 || errno != ENOTTY)
            _exit(3);
        if (tcsetpgrp(STDIN_FILENO, getpid()) != -1 || errno != ENOTTY)
            _exit(4);
        if (ioctl(STDIN_FILENO, TIOCSCTTY, 0) != -1 || errno != EPERM)
            _exit(5);           /* session 1 holds it; only a steal (1) would take it */
        _exit(0);
    }
    int status = 0;
    pid_t r = jc_wait(pid, &status, 0);
    CHECK(r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "check %d failed", WEXITSTATUS(status));
    CHECK(tcgetpgrp(STDIN_FILENO) == getpgrp(), "the foreground group changed");
}

/* The first test's fork and pipes touch pages of this process for good: before the count starts. */
static void warm_up(void)
{
    CHECK(isatty(STDIN_FILENO), "the console is no terminal");
}

int main(void)
{
    printf("test_jobctl: stopping and continuing processes of many threads, the terminal's settings and jobs\n");
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN_SHARED(jc_stop_all_threads);
    RUN(stop_pinned_threads);
    RUN(stop_continue_stress);
    RUN_SHARED(jc_kill_stopped);
    RUN_SHARED(jc_term_while_stopped);
    RUN_SHARED(jc_tstp);
    RUN_SHARED(jc_sigchld);
    RUN_SHARED(jc_nocldstop);
    RUN_SHARED(jc_waitid);
    RUN_SHARED(jc_read_restarts);
    RUN_SHARED(jc_stop_and_cont_discard);
    RUN_SHARED(jc_orphaned_stopped_hung_up);
    RUN_SHARED(jc_sessions);
    RUN_SHARED(jc_termios_round_trip);
    RUN_SHARED(jc_raw_reads);
    RUN_SHARED(jc_vmin_reads);
    RUN_SHARED(jc_canonical);
    RUN_SHARED(jc_winsize);
    RUN(ctrl_z_stops_the_foreground);
    RUN(background_read);
    RUN(orphaned_group_reads_eio);
    RUN(background_write_and_settings);
    RUN(winsize_change_signals);
    RUN(new_session_has_no_terminal);
    utest_pages_back("pages_back", start);
    return utest_finish();
}
