/*
 * Memory and synchronization shared between processes, on the Linux host:
 * the cases of tests/user/pshared_cases.h with our libc on Linux's kernel,
 * the reference our kernel (tests/user/test_shm.c) must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/pshared_cases.h"

int main(void)
{
    RUN(ps_shared_anon_survives_fork);
    RUN(ps_private_stays_private);
    RUN(ps_mutex_counts_across_processes);
    RUN(ps_sem_ping_pong);
    RUN(ps_cond_across_processes);
    RUN(ps_barrier_across_processes);
    RUN(ps_private_futex_stays_private);
    RUN(ps_madvise_and_msync);
    return failures != 0;
}
