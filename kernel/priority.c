/*
 * Process priorities: getpriority and setpriority with Linux's numbers
 * (PRIO_PROCESS, PRIO_PGRP, PRIO_USER; nice -20..19, a value outside
 * clamped to it).  The run queues order threads by it (kernel/runq.c).
 *
 * One nice value per process, as POSIX has it: Linux keeps one per
 * thread, and setpriority(PRIO_PROCESS, tid) there changes that thread
 * only; here a tid names its process.  Every process is root's, so any
 * caller may raise any priority, and PRIO_USER names every process for
 * user 0 (and none for another user).
 *
 * Locks: a process's nice is written with proc_tree_lock (which keeps the
 * processes found alive) and sched_lock held (sched_set_nice), and read
 * with either.
 */
#include <abi/resource.h>
#include <kernel/errno.h>
#include <kernel/proc.h>
#include <kernel/runq.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>

#define ROOT_UID        0       /* the owner of every process */

/* Which processes a (which, who) pair names, and what to do with each. */
struct prio_walk {
    int which, who;
    bool set;                   /* setpriority: give each nice; getpriority: find the most urgent */
    int nice;                   /* the value to set, or the lowest nice found */
    int found;                  /* processes named */
};

static bool named(const struct process *p, const struct prio_walk *w)
{
    switch (w->which) {
    case PRIO_PROCESS: return p->pid == w->who;
    case PRIO_PGRP:    return p->pgid == w->who;
    case PRIO_USER:    return w->who == ROOT_UID;
    default:           return false;
    }
}

static void visit(struct process *p, void *arg)
{
    struct prio_walk *w = arg;
    if (!named(p, w))
        return;
    if (w->set)
        sched_set_nice(p, w->nice);
    else if (!w->found || p->nice < w->nice)
        w->nice = p->nice;
    w->found++;
}

/*
 * Visit every process (which, who) names; -ESRCH if none, -EINVAL for a
 * bad which.  Who 0 is the caller's own: process, group or user.  A
 * process is found by any of its threads' ids.
 */
static int walk(struct prio_walk *w)
{
    if (w->which != PRIO_PROCESS && w->which != PRIO_PGRP && w->which != PRIO_USER)
        return -EINVAL;
    proc_tree_lock_take();
    struct process *self = proc_current();
    if (w->which == PRIO_PROCESS) {
        struct thread *t = w->who ? thread_find(w->who) : thread_current();
        if (t && t->proc != &kernel_process && t->proc->state == PROC_ALIVE) {
            w->who = t->proc->pid;
            visit(t->proc, w);  /* the one process: no walk */
        }
    } else {
        if (w->who == 0)
            w->who = w->which == PRIO_PGRP ? self->pgid : ROOT_UID;
        proc_for_each_live(visit, w);
    }
    proc_tree_lock_drop();
    return w->found ? 0 : -ESRCH;
}

/* setpriority(which, who, nice): 0, -EINVAL, -ESRCH. */
long sys_setpriority(const struct syscall_args *a)
{
    int nice = (int)a->arg[2];
    struct prio_walk w = {
        .which = (int)a->arg[0], .who = (int)a->arg[1], .set = true,
        .nice = nice < NICE_MIN ? NICE_MIN : nice > NICE_MAX ? NICE_MAX : nice,
    };
    return walk(&w);
}

/* getpriority(which, who): 20 - the lowest nice of the processes named (Linux's raw form: 1..40), or -EINVAL, -ESRCH. */
long sys_getpriority(const struct syscall_args *a)
{
    struct prio_walk w = { .which = (int)a->arg[0], .who = (int)a->arg[1] };
    int err = walk(&w);
    return err ? err : PRIO_RAW_BIAS - w.nice;
}
