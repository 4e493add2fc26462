/*
 * Job control and terminal settings on the Linux host: the cases of
 * tests/user/jobctl_cases.h with our libc on Linux's kernel, the reference
 * our kernel (tests/user/test_jobctl.c) must match.  The terminal is a
 * pseudo-terminal of our own; its master side types the input.
 */
#include <fcntl.h>
#include <stdio.h>
#include "../check.h"
#include "../../user/jobctl_cases.h"
#include "pty.h"

static int master = -1, slave = -1;

static void type_on_master(int fd, const char *s)
{
    (void)fd;
    write(master, s, strlen(s));
}

/* The terminal cases, each on the pseudo-terminal's slave side. */
static int termios_round_trip(void) { return jc_termios_round_trip(slave, type_on_master); }
static int raw_reads(void)          { return jc_raw_reads(slave, type_on_master); }
static int vmin_reads(void)         { return jc_vmin_reads(slave, type_on_master); }
static int canonical(void)          { return jc_canonical(slave, type_on_master); }
static int winsize(void)            { return jc_winsize(slave, type_on_master); }

int main(void)
{
    RUN(jc_stop_all_threads);
    RUN(jc_kill_stopped);
    RUN(jc_term_while_stopped);
    RUN(jc_tstp);
    RUN(jc_sigchld);
    RUN(jc_nocldstop);
    RUN(jc_waitid);
    RUN(jc_read_restarts);
    RUN(jc_stop_and_cont_discard);
    RUN(jc_orphaned_stopped_hung_up);
    RUN(jc_sessions);
    slave = pty_open(&master);
    if (slave < 0) {
        printf("host pseudo-terminal: FAILED (/dev/ptmx: %s)\n", strerror(errno));
        return 1;
    }
    RUN(termios_round_trip);
    RUN(raw_reads);
    RUN(vmin_reads);
    RUN(canonical);
    RUN(winsize);
    return failures != 0;
}
