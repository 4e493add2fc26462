/*
 * alarm, setitimer and getitimer: the real-time interval timer of a
 * process, which sends SIGALRM when it expires and, with an interval,
 * re-arms itself.  Built on a kernel timer (struct ktimer) per process.
 */
#include <abi/signal.h>
#include <abi/time.h>
#include <kernel/errno.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/vm.h>

#define ITIMER_REAL     0

struct itimerval { struct abi_timeval interval, value; };

/* The timer fired (tick interrupt): SIGALRM, and the next period if there is one. */
static void alarm_fired(void *arg)
{
    struct process *p = arg;
    if (p->alarm_interval_ns)
        ktimer_arm(&p->alarm, deadline_after_ns(p->alarm_interval_ns));
    proc_kill(p->pid, SIGALRM, SIG_FROM_KERNEL);
}

/* Nanoseconds until p's timer fires, 0 if it is not armed. */
static uint64_t remaining_ns(struct process *p)
{
    uint64_t deadline = p->alarm.deadline_ns, now = clock_monotonic_ns();
    return deadline > now ? deadline - now : (deadline ? 1 : 0);
}

/* Arm (value_ns > 0) or disarm the caller's timer. */
static void set_timer(struct process *p, uint64_t value_ns, uint64_t interval_ns)
{
    p->alarm.fn = alarm_fired;
    p->alarm.arg = p;
    p->alarm_interval_ns = interval_ns;
    if (value_ns)
        ktimer_arm(&p->alarm, deadline_after_ns(value_ns));
    else
        ktimer_cancel(&p->alarm);
}

void itimer_release(struct process *p)
{
    ktimer_cancel(&p->alarm);
}

long sys_alarm(const struct syscall_args *a)
{
    struct process *p = proc_current();
    uint64_t left = remaining_ns(p);
    uint64_t ns;
    time_to_ns((uint32_t)a->arg[0], 0, 1, &ns);        /* alarm takes an unsigned int */
    set_timer(p, ns, 0);
    return (long)((left + NSEC_PER_SEC - 1) / NSEC_PER_SEC);   /* seconds left, rounded up */
}

static struct abi_timeval to_timeval(uint64_t ns)
{
    return (struct abi_timeval){ (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

static bool from_timeval(struct abi_timeval tv, uint64_t *ns)
{
    return time_to_ns(tv.sec, tv.usec, NSEC_PER_USEC, ns);
}

static struct itimerval current_value(struct process *p)
{
    return (struct itimerval){ to_timeval(p->alarm_interval_ns), to_timeval(remaining_ns(p)) };
}

long sys_getitimer(const struct syscall_args *a)
{
    if (a->arg[0] != ITIMER_REAL)
        return -EINVAL;         /* the virtual and profiling timers are not kept */
    struct itimerval v = current_value(proc_current());
    return copy_to_user(a->arg[1], &v, sizeof v) ? -EFAULT : 0;
}

long sys_setitimer(const struct syscall_args *a)
{
    struct process *p = proc_current();
    struct itimerval v, old = current_value(p);
    uint64_t value_ns, interval_ns;
    if (a->arg[0] != ITIMER_REAL)
        return -EINVAL;
    if (copy_from_user(&v, a->arg[1], sizeof v) != 0)
        return -EFAULT;
    if (!from_timeval(v.value, &value_ns) || !from_timeval(v.interval, &interval_ns))
        return -EINVAL;
    if (a->arg[2] && copy_to_user(a->arg[2], &old, sizeof old) != 0)
        return -EFAULT;
    set_timer(p, value_ns, interval_ns);
    return 0;
}
