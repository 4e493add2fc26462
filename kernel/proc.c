/*
 * Processes: the pid and tid maps, exit of a thread and of a whole
 * process, wait, kill, process groups and ps.  See
 * kernel/include/kernel/proc.h; fork and thread creation are in clone.c.
 *
 * proc_tree_lock protects the tree, the pid map, the all-process list,
 * states, exit statuses and kill_signal.  Lock order: proc_tree_lock, then
 * sched_lock.
 */
#include <abi/wait.h>
#include <abi/signal.h>
#include <abi/syscall.h>
#include <arch/context.h>
#include <arch/mmu.h>
#include <kernel/cputime.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/futex.h>
#include <kernel/heap.h>
#include <kernel/jobctl.h>
#include <kernel/power.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/time.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>
#include <lib/string.h>

#define PID_BUCKETS     64          /* hash buckets of the pid map: a power of two */
#define WAIT_OPTIONS    (WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE)  /* what Linux accepts */
#define WAITID_OPTIONS  (WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WALL | __WCLONE)
#define WIFSTOPPED_REPORT(status) (((status) & 0xff) == 0x7f)  /* a wait report of a stop, not a continue */

static struct spinlock proc_tree_lock = SPINLOCK_INIT("proc_tree", LOCK_RANK_PROC_TREE);
static struct list_node pid_map[PID_BUCKETS];                  /* [t] processes by pid */
static struct list_node tid_map[PID_BUCKETS];                  /* [t] threads by tid */
static struct list_node all_procs = LIST_INIT(all_procs);      /* [t] pid order */
static int next_pid = 1;                                        /* [t] */
static uint64_t live_procs;                                     /* [t] zombies included */
static struct process *init_proc;

struct process kernel_process = { .pid = 0, .name = "kernel" };

void proc_init(void)
{
    for (int i = 0; i < PID_BUCKETS; i++) {
        list_init(&pid_map[i]);
        list_init(&tid_map[i]);
    }
    list_init(&kernel_process.children);
    list_init(&kernel_process.threads);
    wait_queue_init(&kernel_process.child_exit);
    list_push_back(&pid_map[0], &kernel_process.pid_link);
    list_push_back(&all_procs, &kernel_process.all_link);
    live_procs = 1;
}

bool proc_is_init(const struct process *p)
{
    return p == init_proc;
}

struct process *proc_find(int pid)
{
    spin_assert_held(&proc_tree_lock);
    list_for_each(pos, &pid_map[(unsigned)pid % PID_BUCKETS]) {
        struct process *p = container_of(pos, struct process, pid_link);
        if (p->pid == pid)
            return p;
    }
    return NULL;
}

/* A new, empty process with the next pid, registered in the map and the list. */
#define DEFAULT_UMASK 022      /* Linux's for process 1: group and others lose write */

struct process *proc_alloc(const char *name)
{
    struct process *p = kzalloc(sizeof *p);
    if (!p)
        return NULL;
    strncpy(p->name, name, OS_PROC_NAME_MAX - 1);
    p->umask = DEFAULT_UMASK;
    p->nice = 0;
    p->start_ns = clock_monotonic_ns();
    list_init(&p->children);
    list_init(&p->threads);
    wait_queue_init(&p->child_exit);
    wait_queue_init(&p->threads_gone);
    wait_queue_init(&p->stop_wait);
    list_init(&p->pid_link);
    list_init(&p->all_link);
    spin_lock(&proc_tree_lock);
    p->pid = next_pid++;        /* findable only once it has its thread: proc_link_child */
    live_procs++;
    spin_unlock(&proc_tree_lock);
    return p;
}

/* Forget a process that has no threads, vm or files left. */
void proc_free(struct process *p)
{
    spin_lock(&proc_tree_lock);
    list_remove(&p->pid_link);
    list_remove(&p->all_link);
    live_procs--;
    spin_unlock(&proc_tree_lock);
    if (p->program)
        program_put(p->program);
    kfree(p);
}

int proc_last_pid(void)
{
    spin_lock(&proc_tree_lock);
    int pid = next_pid - 1;
    spin_unlock(&proc_tree_lock);
    return pid;
}

int proc_next_pid(int from)
{
    int found = -1;
    spin_lock(&proc_tree_lock);
    list_for_each(pos, &all_procs) {          /* pid order: the walk stops at the first fit */
        int pid = container_of(pos, struct process, all_link)->pid;
        if (pid >= from && pid > 0) {
            found = pid;
            break;
        }
    }
    spin_unlock(&proc_tree_lock);
    return found;
}

struct program *program_new(struct inode *file, const char *args, size_t args_len)
{
    args_len = args_len < PROGRAM_ARGS_MAX ? args_len : PROGRAM_ARGS_MAX;
    struct program *prog = kzalloc(sizeof *prog + args_len);
    if (!prog)
        return NULL;
    prog->refs = 1;
    prog->file = file;
    if (file)
        inode_get(file);
    prog->args_len = args_len;
    memcpy(prog->args, args, args_len);
    return prog;
}

void program_put(struct program *prog)
{
    if (__atomic_sub_fetch(&prog->refs, 1, __ATOMIC_ACQ_REL))
        return;
    if (prog->file)
        inode_put(prog->file);
    kfree(prog);
}

/* Register thread t in the tid map: it can be found by tkill. */
static void tid_map_add(struct thread *t)
{
    list_push_back(&tid_map[(unsigned)t->tid % PID_BUCKETS], &t->tid_link);
}

void proc_for_each_live(void (*fn)(struct process *p, void *arg), void *arg)
{
    spin_assert_held(&proc_tree_lock);
    list_for_each(pos, &all_procs) {
        struct process *p = container_of(pos, struct process, all_link);
        if (p != &kernel_process && p->state == PROC_ALIVE)
            fn(p, arg);
    }
}

struct thread *thread_find(int tid)
{
    spin_assert_held(&proc_tree_lock);
    list_for_each(pos, &tid_map[(unsigned)tid % PID_BUCKETS]) {
        struct thread *t = container_of(pos, struct thread, tid_link);
        if (t->tid == tid)
            return t;
    }
    return NULL;
}

/*
 * The child becomes a process others can find (kill, ps, wait4) here, with
 * its thread, in one step under the lock.  Found earlier, while fork was
 * still copying the address space, a kill reached no thread: the process
 * was marked killed, nothing interrupted its thread, and it ran on unable
 * to make threads (the 2-CPU fuzzer found one such worker).
 */
void proc_link_child(struct process *child, struct process *parent, struct thread *t)
{
    spin_lock(&proc_tree_lock);
    list_push_back(&pid_map[(unsigned)child->pid % PID_BUCKETS], &child->pid_link);
    struct list_node *pos = all_procs.prev;     /* pid order: a fork that began later may end first */
    while (pos != &all_procs && container_of(pos, struct process, all_link)->pid > child->pid)
        pos = pos->prev;
    list_insert_before(pos->next, &child->all_link);
    t->tid = child->pid;                /* the main thread's tid is the pid */
    child->parent = parent;
    bool first = parent == &kernel_process;     /* process 1 starts group and session 1 */
    child->pgid = first ? child->pid : parent->pgid;
    child->sid = first ? child->pid : parent->sid;
    list_push_back(&parent->children, &child->sibling);
    list_push_back(&child->threads, &t->proc_link);
    child->thread_count = 1;
    tid_map_add(t);
    spin_unlock(&proc_tree_lock);
}

int proc_add_thread(struct process *p, struct thread *t)
{
    spin_lock(&proc_tree_lock);
    if (p->exiting || p->kill_signal) {
        spin_unlock(&proc_tree_lock);
        return -EAGAIN;                 /* no new threads in a dying process */
    }
    t->tid = next_pid++;
    list_push_back(&p->threads, &t->proc_link);
    p->thread_count++;
    tid_map_add(t);
    jobctl_thread_added(p, t);
    /*
     * An exec waiting for the others to end has interrupted the threads it
     * found; one added now is interrupted the same way, or it would live on
     * and keep exec waiting.  It ends as soon as it starts (THREAD_NEW), as
     * its creator does on its way back to user mode.
     */
    if (p->execer)
        sched_interrupt(t);
    spin_unlock(&proc_tree_lock);
    return t->tid;
}

/*
 * POSIX: a group that an end leaves orphaned, with a stopped member, is
 * sent SIGHUP and SIGCONT, since no shell is left to continue it.  Called
 * for the groups that the ending process linked to its session (its own,
 * through its parent; its children's, through itself), once it is a
 * zombie.  proc_tree_lock held.
 */
static void hang_up_if_orphaned(int pgid)
{
    bool stopped = false;
    list_for_each(pos, &all_procs) {
        struct process *q = container_of(pos, struct process, all_link);
        stopped |= q->pgid == pgid && q->state == PROC_ALIVE && q->stop_state == PROC_STOPPED;
    }
    if (!stopped || !proc_group_orphaned(pgid))
        return;
    proc_signal_group(pgid, SIGHUP, SIG_FROM_KERNEL);
    proc_signal_group(pgid, SIGCONT, SIG_FROM_KERNEL);
}

/*
 * Hand zombie p's children to init; wake init if one of them is already a
 * zombie.  A group p alone kept from being orphaned is hung up if stopped.
 */
/*
 * Who takes p's children when p ends: its nearest ancestor that asked for
 * orphans (PR_SET_CHILD_SUBREAPER) and is not ending itself, or process 1.
 * proc_tree_lock held.
 */
static struct process *heir_of(struct process *p)
{
    for (struct process *a = p->parent; a && a != &kernel_process && a != init_proc; a = a->parent)
        if (a->child_subreaper && a->state == PROC_ALIVE && !a->exiting)
            return a;
    return init_proc;
}

static void reparent_children(struct process *p)
{
    bool zombie = false;
    struct process *heir = heir_of(p);
    if (p->parent->pgid != p->pgid && p->parent->sid == p->sid)
        hang_up_if_orphaned(p->pgid);
    list_for_each_safe(pos, tmp, &p->children) {
        struct process *c = container_of(pos, struct process, sibling);
        list_remove(&c->sibling);
        c->parent = heir;
        list_push_back(&heir->children, &c->sibling);
        zombie |= c->state == PROC_ZOMBIE;
        if (c->pgid != p->pgid && c->sid == p->sid)
            hang_up_if_orphaned(c->pgid);
    }
    if (zombie)
        wake_all(&heir->child_exit);
}

/* What `make run INIT=...` returns: the exit code, or 128 + the signal, as shells do. */
#define WAIT_SIGNAL_MASK    0x7f    /* the signal, in Linux's wait status */
#define WAIT_CODE_SHIFT     8       /* the exit code, in the byte above */
#define WAIT_CODE_MASK      0xff
#define SHELL_SIGNAL_BASE   128     /* a shell reports death by signal n as status 128 + n */

static int init_exit_code(int wait_status)
{
    int sig = wait_status & WAIT_SIGNAL_MASK;
    return sig ? SHELL_SIGNAL_BASE + sig : (wait_status >> WAIT_CODE_SHIFT) & WAIT_CODE_MASK;
}

/* One line of counters at the end of a headless run: tests check them (make test-bochs). */
static void print_switch_counters(void)
{
    struct sched_stats ss;
    struct mmu_stats ms;
    sched_get_stats(&ss);
    mmu_get_stats(&ms);
    kprintf("counters: switches=%lu same_process=%lu kernel_thread=%lu cr3_writes=%lu "
            "cr3_flushes=%lu cr3_noflush=%lu page_flushes=%lu pcid_kept=%lu pcid_rollovers=%lu\n",
            ss.switches, ss.same_process_switches, ss.kernel_thread_switches, ms.cr3_writes,
            ms.cr3_flushes, ms.cr3_noflush, ms.page_flushes, ms.pcid_kept, ms.pcid_rollovers);
}

/*
 * The last thread of p is leaving: power off if p is init, else release
 * its memory, files and working directory, hand its children to init and
 * become a zombie for the parent's wait4.
 */
/*
 * The signal fork asked for (SIGCHLD) to p's parent, from p: how a shell
 * learns a background job ended (ash's wait sleeps in sigsuspend for it).
 * Ignored by default: a parent with no handler never sees it.  proc_tree_lock held.
 */
static void tell_parent(struct process *p)
{
    if (!p->exit_signal || p->parent == &kernel_process)
        return;
    int sig = p->exit_status & WAIT_SIGNAL_MASK;
    int code = (p->exit_status >> WAIT_CODE_SHIFT) & WAIT_CODE_MASK;
    signal_send(p->parent, NULL, p->exit_signal,
                (struct sig_origin){ .code = sig ? CLD_KILLED : CLD_EXITED, .pid = p->pid, .status = sig ? sig : code });
}

static __attribute__((noreturn)) void process_end(struct process *p)
{
    if (p == init_proc) {
        print_switch_counters();
        kprintf("init exited with status %d\n", init_exit_code(p->exit_status));
        machine_poweroff(init_exit_code(p->exit_status));
    }
    if (p->pid == p->sid)
        tty_session_gone(p->sid);   /* a session leader's end hangs up its terminal's foreground */
    itimer_release(p);              /* no SIGALRM for a zombie */
    spin_lock(&proc_tree_lock);     /* taken away under the lock: /proc may be reading them */
    struct fd_table *fds = p->fds;
    struct vm *vm = p->vm;
    p->fds = NULL;
    p->vm = NULL;
    spin_unlock(&proc_tree_lock);
    fd_table_put(fds);
    inode_swap_into(&p->cwd, NULL); /* under fs_lock: /proc/PID/cwd reads it there */
    cputime_note_peak_rss(p, vm);
    vm_destroy(vm);
    spin_lock(&proc_tree_lock);
    p->state = PROC_ZOMBIE;
    reparent_children(p);
    p->wait_report = 0;             /* a stop or continue not collected: its end is what wait reports now */
    /*
     * Under the lock: the parent may end and be reaped on another CPU as
     * soon as it is dropped.  From here on p may be reaped and freed on
     * another CPU too: the switch away from this thread no longer looks at
     * it (the thread keeps its pid, sched.c).
     */
    wake_all(&p->parent->child_exit);
    tell_parent(p);
    spin_unlock(&proc_tree_lock);
    sched_exit_current();
}

/* Zero the thread's CLONE_CHILD_CLEARTID word and wake its waiter: how pthread_join learns of the exit. */
static void clear_child_tid(struct thread *t)
{
    uint32_t zero = 0;
    if (t->clear_child_tid && copy_to_user(t->clear_child_tid, &zero, sizeof zero) == 0)
        futex_wake(t->proc->vm, t->clear_child_tid, false, 1);
}

void thread_exit(int wait_status)
{
    struct thread *t = thread_current();
    struct process *p = t->proc;
    sched_thread_ending();
    clear_child_tid(t);
    spin_lock(&proc_tree_lock);
    list_remove(&t->proc_link);
    list_remove(&t->tid_link);
    cputime_thread_ended(p, t);
    bool last = --p->thread_count == 0;
    jobctl_thread_gone(p, t, last);
    if (last && !p->exiting) {
        p->exiting = true;
        p->exit_status = wait_status;
    }
    if (p->execer)
        wake_all(&p->threads_gone);     /* under the lock: once it goes, the last thread may end p */
    spin_unlock(&proc_tree_lock);
    if (last)
        process_end(p);
    sched_exit_current();
}

int proc_stop_other_threads(void)
{
    struct process *p = proc_current();
    struct thread *self = thread_current();
    int err = 0;
    spin_lock(&proc_tree_lock);
    if (p->thread_count > 1 && (p->execer || p->exiting || p->kill_signal))
        err = -EAGAIN;                  /* another exec, or the process is dying anyway */
    else if (p->thread_count > 1) {
        p->execer = self;
        list_for_each(pos, &p->threads) {
            struct thread *t = container_of(pos, struct thread, proc_link);
            if (t != self)
                sched_interrupt(t);
        }
        /*
         * Killable only: a signal for a handler must not make exec give up,
         * since the others are already on their way out (and a thread
         * interrupted for exec could never sleep again if it stayed).
         */
        while (p->thread_count > 1 && !err)
            err = sleep_on_killable(&p->threads_gone, &proc_tree_lock, "exec");
        p->execer = NULL;
    }
    spin_unlock(&proc_tree_lock);
    return err;
}

void proc_exit(int wait_status)
{
    struct process *p = proc_current();
    struct thread *self = thread_current();
    spin_lock(&proc_tree_lock);
    if (!p->exiting) {
        p->exiting = true;
        p->exit_status = wait_status;
    }
    list_for_each(pos, &p->threads) {           /* stop the others wherever they are */
        struct thread *t = container_of(pos, struct thread, proc_link);
        if (t != self)
            sched_interrupt(t);
    }
    spin_unlock(&proc_tree_lock);
    thread_exit(wait_status);
}

/* Does child c match the target: any child, that pid, or that group? */
static bool wait_matches(const struct process *c, struct wait_target target)
{
    switch (target.kind) {
    case WAIT_PID:  return c->pid == target.id;
    case WAIT_PGID: return c->pgid == target.id;
    default:        return true;
    }
}

/* What c has to report to a wait with options: its end, a stop, a continue; false if nothing. */
static bool child_report(const struct process *c, int options, struct wait_result *r)
{
    int status = c->state == PROC_ZOMBIE ? c->exit_status : c->wait_report;
    bool ended = c->state == PROC_ZOMBIE;
    int sig = status & WAIT_SIGNAL_MASK;
    if (ended && !(options & WEXITED))
        return false;
    if (!ended && !(status && (options & (WIFSTOPPED_REPORT(status) ? WUNTRACED : WCONTINUED))))
        return false;
    r->pid = c->pid;
    r->status = status;
    if (ended) {
        r->code = sig ? CLD_KILLED : CLD_EXITED;
        r->si_status = sig ? sig : (status >> WAIT_CODE_SHIFT) & WAIT_CODE_MASK;
    } else {
        r->code = WIFSTOPPED_REPORT(status) ? CLD_STOPPED : CLD_CONTINUED;
        r->si_status = WIFSTOPPED_REPORT(status) ? (status >> WAIT_CODE_SHIFT) & WAIT_CODE_MASK : SIGCONT;
    }
    return true;
}

/* A child of p with something to report in *found (NULL if none yet); false if p has no such child at all. */
static bool find_child(struct process *p, struct wait_target target, int options, struct process **found,
                       struct wait_result *r)
{
    bool any = false;
    *found = NULL;
    list_for_each(pos, &p->children) {
        struct process *c = container_of(pos, struct process, sibling);
        if (!wait_matches(c, target))
            continue;
        any = true;
        if (child_report(c, options, r)) {
            *found = c;
            return true;
        }
    }
    return any;
}

long proc_wait(struct wait_target target, int options, struct wait_result *r, struct cpu_usage *usage_out)
{
    struct process *p = proc_current(), *child;
    if (target.kind == WAIT_PGID && target.id == 0)
        target.id = p->pgid;
    spin_lock(&proc_tree_lock);
    for (;;) {
        if (!find_child(p, target, options, &child, r)) {
            spin_unlock(&proc_tree_lock);
            return -ECHILD;
        }
        if (child)
            break;
        if (options & WNOHANG) {
            spin_unlock(&proc_tree_lock);
            return 0;
        }
        if (sleep_on(&p->child_exit, &proc_tree_lock, "wait4") != 0) {
            spin_unlock(&proc_tree_lock);
            return -EINTR;
        }
    }
    bool reap = child->state == PROC_ZOMBIE && !(options & WNOWAIT);
    if (child->state != PROC_ZOMBIE && !(options & WNOWAIT))
        child->wait_report = 0;         /* each stop and each continue is reported once */
    if (reap) {
        list_remove(&child->sibling);
        cputime_reaped(p, child, usage_out);
    }
    spin_unlock(&proc_tree_lock);
    if (reap)
        proc_free(child);
    return r->pid;
}

/* Sleep on wq with proc_tree_lock held (released meanwhile); only a kill ends it early (-EINTR). */
int proc_tree_sleep_killable(struct wait_queue *wq, const char *reason)
{
    return sleep_on_killable(wq, &proc_tree_lock, reason);
}

int proc_group_session(int pgid)
{
    spin_assert_held(&proc_tree_lock);
    list_for_each(pos, &all_procs) {
        struct process *p = container_of(pos, struct process, all_link);
        if (p->pgid == pgid && p->state == PROC_ALIVE && p != &kernel_process)
            return p->sid;
    }
    return -1;
}

bool proc_group_orphaned(int pgid)
{
    spin_assert_held(&proc_tree_lock);
    list_for_each(pos, &all_procs) {
        struct process *p = container_of(pos, struct process, all_link);
        struct process *parent = p->parent;
        if (p->pgid != pgid || p->state != PROC_ALIVE || !parent)
            continue;
        /* Unlike Linux, init counts as a parent: here the job-control shell often is init. */
        if (parent->pgid != pgid && parent->sid == p->sid && parent->state == PROC_ALIVE)
            return false;
    }
    return true;
}

void proc_tree_lock_take(void) { spin_lock(&proc_tree_lock); }
void proc_tree_lock_drop(void) { spin_unlock(&proc_tree_lock); }
void proc_tree_lock_assert_held(void) { spin_assert_held(&proc_tree_lock); }

void proc_mark_killed(struct process *p, int sig)
{
    spin_assert_held(&proc_tree_lock);
    if (p == init_proc)
        return;
    if (!p->kill_signal)
        p->kill_signal = sig;
    list_for_each(pos, &p->threads)
        sched_interrupt(container_of(pos, struct thread, proc_link));
}

long proc_broken_pipe(void)
{
    proc_kill(proc_current()->pid, SIGPIPE, SIG_FROM_KERNEL);      /* fatal unless ignored or handled */
    return -EPIPE;
}

int proc_kill(int pid, int sig, struct sig_origin from)
{
    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    if (pid == 0)
        return proc_kill_group(proc_current()->pgid, sig, from);
    if (pid == INT32_MIN)
        return -ESRCH;          /* no group -INT_MIN (and the negation would overflow) */
    if (pid < -1)
        return proc_kill_group(-pid, sig, from);
    if (pid == -1)
        return -ESRCH;          /* "every process": not supported */
    spin_lock(&proc_tree_lock);
    struct process *target = proc_find(pid);
    if (!target || target == &kernel_process) {
        spin_unlock(&proc_tree_lock);
        return target ? -EPERM : -ESRCH;
    }
    signal_send(target, NULL, sig, from);
    spin_unlock(&proc_tree_lock);
    return 0;
}

/* Groups are found by walking the process list: they are few and kill(-pgid) is rare. */
int proc_signal_group(int pgid, int sig, struct sig_origin from)
{
    spin_assert_held(&proc_tree_lock);
    int found = 0;
    list_for_each(pos, &all_procs) {
        struct process *p = container_of(pos, struct process, all_link);
        if (p->pgid == pgid && p != &kernel_process) {
            signal_send(p, NULL, sig, from);
            found++;
        }
    }
    return found ? 0 : -ESRCH;
}

int proc_kill_group(int pgid, int sig, struct sig_origin from)
{
    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    spin_lock(&proc_tree_lock);
    int err = proc_signal_group(pgid, sig, from);
    spin_unlock(&proc_tree_lock);
    return err;
}

void proc_check_killed(void)
{
    struct process *p = proc_current();
    bool exec_elsewhere = p->execer && p->execer != thread_current();
    if (p == &kernel_process || (!p->kill_signal && !p->exiting && !exec_elsewhere))
        return;
    irq_enable();
    if (exec_elsewhere && !p->kill_signal && !p->exiting)
        thread_exit(0);                 /* another thread is replacing the program */
    if (p->exiting)
        thread_exit(p->exit_status);    /* another thread ended the process */
    proc_exit(wait_status_signaled(p->kill_signal));
}

void proc_user_fault(int sig, const char *what, uint64_t pc, uint64_t addr)
{
    struct process *p = proc_current();
    struct thread *t = thread_current();
    spin_lock(&proc_tree_lock);
    if (signal_effect(p, sig) == SIGNAL_HANDLED && !(t->sigmask & SIGNAL_BIT(sig))) {
        t->fault_addr = addr;           /* the handler runs; if it returns, the fault comes again */
        signal_queue(p, t, sig, (struct sig_origin){ .code = SEGV_MAPERR });
        spin_unlock(&proc_tree_lock);
        return;
    }
    spin_unlock(&proc_tree_lock);
    kprintf("pid %d (%s): %s at rip %#lx, address %#lx: killed by signal %d\n",
            p->pid, p->name, what, pc, addr, sig);
    t->work = true;                     /* it dies on its way back to user mode */
    spin_lock(&proc_tree_lock);
    if (!p->kill_signal)
        p->kill_signal = sig;
    spin_unlock(&proc_tree_lock);
}

char thread_state_letter(const struct thread *t)
{
    enum thread_state s = __atomic_load_n(&t->state, __ATOMIC_RELAXED);     /* [s]: a snapshot */
    return s == THREAD_RUNNING || s == THREAD_RUNNABLE ? 'R' : 'S';
}

char proc_state_letter(struct process *p)
{
    spin_assert_held(&proc_tree_lock);
    if (p->state == PROC_ZOMBIE)
        return 'Z';
    if (p->stop_state == PROC_STOPPED)
        return 'T';
    list_for_each(pos, &p->threads)
        if (thread_state_letter(container_of(pos, struct thread, proc_link)) == 'R')
            return 'R';
    return 'S';
}

static void describe_process(struct process *p, struct os_procinfo *e)
{
    memset(e, 0, sizeof *e);
    e->pid = p->pid;
    e->ppid = p->parent ? p->parent->pid : 0;
    e->threads = (uint32_t)p->thread_count;
    e->state = proc_state_letter(p);
    memcpy(e->name, p->name, OS_PROC_NAME_MAX);
    struct cputime_raw r = p->ended_cputime;
    e->cpu_ticks = r.user_ticks + r.system_ticks;
    list_for_each(tpos, &p->threads) {
        sched_cputime_read(container_of(tpos, struct thread, proc_link), &r);
        e->cpu_ticks += r.user_ticks + r.system_ticks;
    }
}

static void describe_thread(struct thread *t, struct os_threadinfo *e)
{
    sched_check_queued(t);
    memset(e, 0, sizeof *e);
    e->tid = t->tid;
    e->pid = t->proc->pid;
    e->state = t->state == THREAD_RUNNING ? 'R' : t->state == THREAD_RUNNABLE ? 'r' : 'S';
    if ((t->state == THREAD_SLEEPING || t->state == THREAD_NEW) && t->wait_reason)
        strncpy(e->wait, t->wait_reason, sizeof e->wait - 1);
    e->runs = t->run_count;
    struct cputime_raw r;
    sched_cputime_read(t, &r);
    e->cpu_ticks = r.user_ticks + r.system_ticks;
    e->cpu = __atomic_load_n(&t->cpu, __ATOMIC_RELAXED);   /* [s]: a snapshot, as ps shows */
    uint64_t wake_ns = __atomic_load_n(&t->wake_ns, __ATOMIC_RELAXED);
    if (t->state == THREAD_SLEEPING && wake_ns)
        e->deadline_ms = ((int64_t)wake_ns - (int64_t)clock_monotonic_ns()) / (int64_t)NSEC_PER_MSEC;
    memcpy(e->name, t->proc->name, OS_PROC_NAME_MAX);
}

/* Copy one entry per process (threads: per thread) to user memory, up to max; returns the total. */
static long list_to_user(uint64_t ubuf, size_t max, bool threads)
{
    long total = 0;
    int err = 0;
    spin_lock(&proc_tree_lock);
    list_for_each(pos, &all_procs) {
        struct process *p = container_of(pos, struct process, all_link);
        if (!threads) {
            struct os_procinfo e;
            describe_process(p, &e);
            if ((size_t)total < max && !err)
                err = copy_to_user(ubuf + (uint64_t)total * sizeof e, &e, sizeof e);
            total++;
            continue;
        }
        list_for_each(tpos, &p->threads) {
            struct os_threadinfo e;
            describe_thread(container_of(tpos, struct thread, proc_link), &e);
            if ((size_t)total < max && !err)
                err = copy_to_user(ubuf + (uint64_t)total * sizeof e, &e, sizeof e);
            total++;
        }
    }
    spin_unlock(&proc_tree_lock);
    return err ? -EFAULT : total;
}

uint64_t proc_count(void)
{
    return live_procs;
}

/* ---- process 1 ---- */

struct process *proc_new_init(void)
{
    struct process *p = proc_alloc("init");
    if (!p)
        return NULL;
    KASSERT(p->pid == 1);
    init_proc = p;
    return p;
}

void proc_attach_first_thread(struct process *p, struct thread *t)
{
    proc_link_child(p, &kernel_process, t);
}

/* ---- system calls ---- */

long sys_exit(const struct syscall_args *a)
{
    thread_exit(wait_status_exited((int)a->arg[0]));    /* this thread; the process if it is the last */
}

long sys_exit_group(const struct syscall_args *a)
{
    proc_exit(wait_status_exited((int)a->arg[0]));
}

/* A wait's rusage: the reaped child's CPU time (zeros for a stop or a continue); 0 or -EFAULT. */
static long put_rusage(uint64_t urusage, const struct cpu_usage *usage)
{
    return urusage ? cputime_rusage_to_user(urusage, usage) : 0;
}

long sys_wait4(const struct syscall_args *a)
{
    int pid = (int)a->arg[0];
    uint64_t ustatus = a->arg[1], urusage = a->arg[3];
    int options = (int)a->arg[2], status = 0;
    struct cpu_usage usage = { 0 };
    if ((unsigned)options & ~WAIT_OPTIONS)
        return -EINVAL;
    /* Check the buffers before reaping, so a bad pointer loses no child's status. */
    if (ustatus && copy_to_user(ustatus, &status, sizeof status) != 0)
        return -EFAULT;
    if (put_rusage(urusage, &usage) != 0)
        return -EFAULT;
    struct wait_target target = { WAIT_PID, pid };
    if (pid == INT32_MIN)
        return -ESRCH;          /* as Linux: no such group (and the negation would overflow) */
    if (pid == -1)
        target.kind = WAIT_ANY;
    else if (pid <= 0)
        target = (struct wait_target){ WAIT_PGID, -pid };
    struct wait_result r = { 0 };
    long found = proc_wait(target, options | WEXITED, &r, &usage);
    if (found > 0 && ustatus && copy_to_user(ustatus, &r.status, sizeof r.status) != 0)
        return -EFAULT;
    if (found > 0 && put_rusage(urusage, &usage) != 0)
        return -EFAULT;
    return found;
}

/*
 * waitid(idtype, id, info, options, rusage): the same wait, told in a
 * siginfo (si_code CLD_*, si_pid, si_status); 0, with info zeroed when
 * WNOHANG found nothing (as Linux).  options must ask for some event.
 */
long sys_waitid(const struct syscall_args *a)
{
    int idtype = (int)a->arg[0], id = (int)a->arg[1], options = (int)a->arg[3];
    uint64_t uinfo = a->arg[2], urusage = a->arg[4];
    struct siginfo info;
    memset(&info, 0, sizeof info);
    if ((unsigned)options & ~WAITID_OPTIONS || !(options & (WEXITED | WSTOPPED | WCONTINUED)))
        return -EINVAL;
    struct wait_target target = { WAIT_ANY, 0 };
    if (idtype == P_PID && id > 0)
        target = (struct wait_target){ WAIT_PID, id };
    else if (idtype == P_PGID && id >= 0)
        target = (struct wait_target){ WAIT_PGID, id };
    else if (idtype != P_ALL)
        return -EINVAL;
    struct cpu_usage usage = { 0 };
    if ((uinfo && copy_to_user(uinfo, &info, sizeof info) != 0) || put_rusage(urusage, &usage) != 0)
        return -EFAULT;
    struct wait_result r = { 0 };
    long found = proc_wait(target, options, &r, &usage);
    if (found <= 0)
        return found;
    siginfo_fill(&info, SIGCHLD, (struct sig_origin){ .code = r.code, .pid = r.pid, .status = r.si_status }, 0);
    if ((uinfo && copy_to_user(uinfo, &info, sizeof info) != 0) || put_rusage(urusage, &usage) != 0)
        return -EFAULT;
    return 0;
}

long sys_kill(const struct syscall_args *a)
{
    struct sig_origin from = { .code = SI_USER, .pid = proc_current()->pid };
    return proc_kill((int)a->arg[0], (int)a->arg[1], from);
}

long sys_getpid(const struct syscall_args *a)
{
    (void)a;
    return proc_current()->pid;
}

long sys_getppid(const struct syscall_args *a)
{
    (void)a;
    struct process *parent = proc_current()->parent;
    return parent ? parent->pid : 0;
}

long sys_gettid(const struct syscall_args *a)
{
    (void)a;
    return thread_current()->tid;
}

long sys_os_procs(const struct syscall_args *a)
{
    return list_to_user(a->arg[0], a->arg[1], false);
}

long sys_os_threads(const struct syscall_args *a)
{
    return list_to_user(a->arg[0], a->arg[1], true);
}

/* setpgid(pid, pgid): the caller or one of its children joins or starts a group. */
long sys_setpgid(const struct syscall_args *a)
{
    struct process *self = proc_current();
    int pid = (int)a->arg[0] ? (int)a->arg[0] : self->pid;
    int pgid = (int)a->arg[1] ? (int)a->arg[1] : pid;
    if (pgid < 0)
        return -EINVAL;
    spin_lock(&proc_tree_lock);
    struct process *p = proc_find(pid);
    long err = 0;
    if (!p || (p != self && p->parent != self))
        err = -ESRCH;
    else if (p->pid == p->sid || p->sid != self->sid)
        err = -EPERM;           /* a session leader stays in its group; no moving another session's child */
    else if (pgid != p->pid && proc_group_session(pgid) != self->sid)
        err = -EPERM;           /* only a group of the caller's session can be joined */
    else
        p->pgid = pgid;
    spin_unlock(&proc_tree_lock);
    return err;
}

static long group_or_session(const struct syscall_args *a, bool session)
{
    struct process *self = proc_current();
    int pid = (int)a->arg[0];
    spin_lock(&proc_tree_lock);
    struct process *p = pid ? proc_find(pid) : self;
    long r = !p || p == &kernel_process ? -ESRCH : session ? p->sid : p->pgid;
    spin_unlock(&proc_tree_lock);
    return r;
}

long sys_getpgid(const struct syscall_args *a) { return group_or_session(a, false); }
long sys_getsid(const struct syscall_args *a)  { return group_or_session(a, true); }

long sys_getpgrp(const struct syscall_args *a)
{
    (void)a;
    return proc_current()->pgid;
}

long sys_setsid(const struct syscall_args *a)
{
    (void)a;
    struct process *self = proc_current();
    long r;
    spin_lock(&proc_tree_lock);
    if (proc_group_session(self->pid) >= 0) {
        r = -EPERM;             /* a group leader (or a group named after us) cannot start a session */
    } else {
        self->pgid = self->sid = self->pid;
        r = self->pid;
    }
    spin_unlock(&proc_tree_lock);
    return r;
}
