/*
 * Processes: containers of threads.  A process owns an address space
 * (struct vm), a file descriptor table and its threads, and has a parent,
 * children and, once all its threads are gone, an exit status its parent
 * collects with wait4.  The kernel is process 0 (no vm: its threads run on
 * whatever address space is active).
 *
 * Processes are found by pid through a hash map, and listed in pid order
 * through a list (pids only grow): nothing scans a fixed table.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include <abi/os.h>
#include <kernel/list.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/thread.h>
#include <kernel/spinlock.h>
#include <stdint.h>

#define SIG_DFL_HANDLER 0       /* handler values of sigaction */
#define SIG_IGN_HANDLER 1

/* A signal's disposition: Linux's struct kernel_sigaction, as rt_sigaction takes it. */
struct sig_action {
    uint64_t handler;           /* SIG_DFL_HANDLER, SIG_IGN_HANDLER or a user address */
    uint64_t flags;             /* SA_* */
    uint64_t restorer;          /* user code that calls rt_sigreturn */
    uint64_t mask;              /* blocked while the handler runs */
};

struct vm;
struct thread;
struct fd_table;
struct inode;
struct trap_frame;

#define PROGRAM_ARGS_MAX 4096   /* bytes of argv /proc/PID/cmdline keeps (Linux before 4.2: a page) */

/*
 * What a process runs, for /proc/PID/cmdline and exe: made by execve,
 * shared with fork's children, never changed; freed at its last reference.
 */
struct program {
    int refs;                   /* [atomic] processes running it */
    struct inode *file;         /* the program's file, with a reference: exe (its path is found when read) */
    size_t args_len;            /* argv's strings, each NUL-terminated, cut at PROGRAM_ARGS_MAX */
    char args[];
};

/* A new program record (file: a reference of the caller's is taken), or NULL. */
struct program *program_new(struct inode *file, const char *args, size_t args_len);
void program_put(struct program *prog);        /* no lock held: the last one puts the file */

enum proc_state {
    PROC_ALIVE,
    PROC_ZOMBIE,                /* all threads gone; waiting for the parent's wait4 */
};

/* Job control (kernel/jobctl.c): a live process runs, is stopping (threads still to park), or is stopped. */
enum proc_stop {
    PROC_RUNNING,
    PROC_STOPPING,              /* a stop signal acted: stop_owed threads have yet to park */
    PROC_STOPPED,               /* every thread is parked until SIGCONT (or SIGKILL) */
};

/*
 * Locks: [t] proc_tree_lock (kernel/proc.c) guards the tree, the pid map,
 * states and exit statuses; [o] only the process's own threads touch it.
 */
struct process {
    int pid;                        /* [t] */
    int pgid;                       /* [t] process group: what kill(-pgid) and the terminal's ^C reach */
    int sid;                        /* [t] session (setsid) */
    char name[OS_PROC_NAME_MAX];    /* [o] the program's name */
    enum proc_state state;          /* [t] */
    struct process *parent;         /* [t] */
    struct list_node children;      /* [t] its children, by sibling */
    struct list_node sibling;       /* [t] in parent->children */
    struct list_node all_link;      /* [t] in the all-processes list, pid order */
    struct list_node pid_link;      /* [t] in its pid-map bucket */
    struct list_node threads;       /* [t] its live threads, by proc_link */
    int thread_count;               /* [t] */
    /*
     * The address space and descriptors: the process's own threads use them
     * freely; exec and exit replace them under [t] too, so /proc, holding
     * proc_tree_lock, reads another process's safely.
     */
    struct vm *vm;                  /* [o, t] NULL for the kernel process */
    struct fd_table *fds;           /* [o, t] */
    struct inode *cwd;              /* [fs_lock] working directory, with a reference: inode_get_from reads it */
    int exit_status;                /* [t] wait-status encoding, valid when zombie */
    int kill_signal;                /* [t] set when it must die: the signal to die of */
    bool exiting;                   /* [t] every thread is on its way out; exit_status is set */
    struct thread *execer;          /* [t] a thread in execve that needs the others gone */
    struct wait_queue threads_gone; /* execer sleeps here until it is alone */
    struct wait_queue child_exit;   /* its threads sleep here in wait4 */
    struct sig_action actions[NSIG];/* [t] what each signal does (rt_sigaction) */
    uint64_t sig_pending;           /* [t] signals sent to the process, not yet taken */
    struct sig_origin sig_from[NSIG];   /* [t] the sender of each signal in sig_pending */
    struct ktimer alarm;            /* ITIMER_REAL: SIGALRM when it fires (alarm, setitimer) */
    uint64_t alarm_interval_ns;     /* [o] re-arm period, 0 for a one-shot alarm */
    struct cputime_raw ended_cputime;   /* [t] the figures of its threads that have ended (kernel/cputime.c) */
    struct cputime_split cputime_shown; /* [t] the user/system split last reported */
    struct cpu_usage children_usage;    /* [t] its reaped children's, and theirs: cutime, cstime */
    uint64_t maxrss_pages;          /* [o] the largest resident set of the address spaces it is done with */
    unsigned umask;                 /* [atomic] umask(): kept and inherited; files keep no mode bits yet */
    int exit_signal;                /* [o] what the parent is sent when it ends: SIGCHLD (fork), or 0 */
    uint64_t start_ns;              /* when fork made it (monotonic clock) */
    int nice;                       /* [t, sched_lock] written with both held, read with either: -20..19 (kernel/priority.c) */
    bool child_subreaper;           /* [t] PR_SET_CHILD_SUBREAPER: orphans below it are its (not fork's to copy) */
    /* LAB syscall BEGIN */
    bool strace;                    /* [atomic] SYS_os_strace: its system calls are printed; fork passes it on */
    /* LAB syscall END */
    struct program *program;        /* [t] what it runs (execve replaces it), with a reference */
    /* Job control: kernel/jobctl.c */
    enum proc_stop stop_state;      /* [t] */
    int stop_signal;                /* [t] the signal that stopped it (WSTOPSIG) */
    int stop_owed;                  /* [t] threads that have yet to park for the stop under way */
    int wait_report;                /* [t] a stop or continue not yet collected by wait: its status, or 0 */
    struct wait_queue stop_wait;    /* its parked threads sleep here until SIGCONT or a kill */
};

extern struct process kernel_process;

void proc_init(void);

/* The running thread's process. */
static inline struct process *proc_current(void) { return thread_current()->proc; }

/* proc_tree_lock, for the signal code that shares its fields. */
void proc_tree_lock_take(void);
void proc_tree_lock_drop(void);
void proc_tree_lock_assert_held(void);

/* Process 1, which no signal's default action ends (as on Linux). */
bool proc_is_init(const struct process *p);

/*
 * True if p, the caller's process, has one thread: the caller.  Read
 * without proc_tree_lock: only one of p's own threads can make another,
 * so for the caller the answer cannot change under it.
 */
static inline bool proc_single_threaded(const struct process *p)
{
    return __atomic_load_n(&p->thread_count, __ATOMIC_RELAXED) == 1;
}

/* The live process with this pid, or NULL. Call with proc_tree_lock held. */
struct process *proc_find(int pid);

/* Start process 1 from the command line's init= (default /bin/sh); panics if it cannot. */
void proc_start_init(void);

/* Process 1, empty, for proc_start_init; and its first thread's attachment. */
struct process *proc_new_init(void);
void proc_attach_first_thread(struct process *p, struct thread *t);

/* A user-mode fault: log it and make the process die of sig on its way back to user mode. */
void proc_user_fault(int sig, const char *what, uint64_t pc, uint64_t addr);

/* A new, empty process with the next pid (registered), and its release before it ever ran. */
struct process *proc_alloc(const char *name);
void proc_free(struct process *p);

/* Attach child (with its first thread t, whose tid becomes the pid) to parent. */
void proc_link_child(struct process *child, struct process *parent, struct thread *t);

/* Add a new thread to p, giving it a tid: the tid, or -EAGAIN if p is dying. */
int proc_add_thread(struct process *p, struct thread *t);

/* The pid fork gave last (/proc/loadavg, /proc/stat's "processes"). */
int proc_last_pid(void);

/*
 * What ps and /proc show as a state: 'R' running or ready to run, 'S'
 * sleeping, 'Z' a zombie; a process is 'R' if any of its threads is.
 * proc_state_letter: proc_tree_lock held.
 */
char thread_state_letter(const struct thread *t);
char proc_state_letter(struct process *p);

/* The lowest pid at or above from of a process (zombies too, process 0 not), or -1.  For /proc. */
int proc_next_pid(int from);

/* fn(p, arg) for every live user process (not zombies, not the kernel's), in pid order.  proc_tree_lock held. */
void proc_for_each_live(void (*fn)(struct process *p, void *arg), void *arg);

/* The live thread with this tid, or NULL. Call with proc_tree_lock held. */
struct thread *thread_find(int tid);

/*
 * End the whole calling process with a wait status (exit_group, or death
 * by a signal): every other thread is stopped wherever it is, and the last
 * one out releases the process.
 */
__attribute__((noreturn)) void proc_exit(int wait_status);

/*
 * Before exec: end every other thread of the caller's process.  0, or
 * -EAGAIN (another exec, or the process is dying), or -EINTR when the
 * caller is killed meanwhile; a signal to handle does not stop it.
 */
int proc_stop_other_threads(void);

/* End the calling thread only (exit); the last thread's status becomes the process's. */
__attribute__((noreturn)) void thread_exit(int wait_status);

/* Which children a wait names: any, one pid, or one process group. */
struct wait_target {
    enum { WAIT_ANY, WAIT_PID, WAIT_PGID } kind;
    int id;
};

/* What a wait found: the child, its wait status, and the same as waitid's si_code and si_status. */
struct wait_result {
    int pid;
    int status;
    int code;                   /* CLD_EXITED, CLD_KILLED, CLD_STOPPED, CLD_CONTINUED */
    int si_status;              /* the exit code, or the signal */
};

/*
 * wait4 and waitid: wait for a child of target to end (WEXITED), stop
 * (WUNTRACED) or continue (WCONTINUED), as options say.  The pid found
 * (its report in *r; an ended child is reaped unless WNOWAIT, and its CPU
 * time and its reaped children's go to *usage_out), 0 (WNOHANG, none
 * ready) or -ECHILD, -EINTR.
 */
long proc_wait(struct wait_target target, int options, struct wait_result *r, struct cpu_usage *usage_out);

/* Sleep on wq with proc_tree_lock held (released while asleep); 0, or -EINTR if killed. */
int proc_tree_sleep_killable(struct wait_queue *wq, const char *reason);

/* The session of process group pgid, or -1 if no live process is in it. proc_tree_lock held. */
int proc_group_session(int pgid);

/* True if group pgid is orphaned: no member has a parent in another group of its session. proc_tree_lock held. */
bool proc_group_orphaned(int pgid);

/* Send sig from from to process pid (kill: 0 or a negative pid names a group). 0 or -errno. */
int proc_kill(int pid, int sig, struct sig_origin from);

/* The caller wrote where no reader is left (a pipe, a stream socket): SIGPIPE to its process, and -EPIPE. */
long proc_broken_pipe(void);

/* Send sig to every process of group pgid (kill(-pgid), the terminal's ^C). 0 or -ESRCH. */
int proc_kill_group(int pgid, int sig, struct sig_origin from);

/* The same with proc_tree_lock held (and sig known to be valid). */
int proc_signal_group(int pgid, int sig, struct sig_origin from);

/*
 * p must die of sig: every thread is woken to go (init is spared, as on
 * Linux: it ignores what it does not handle).  proc_tree_lock held.
 */
void proc_mark_killed(struct process *p, int sig);

/* Disarm the process's interval timer (when it ends: kernel/itimer.c). */
void itimer_release(struct process *p);

/* Work before returning to user mode: die if killed. Interrupts off. */
void proc_check_killed(void);

uint64_t proc_count(void);

/* Wait-status encoding (Linux's): exited with code, or killed by signal. */
static inline int wait_status_exited(int code) { return (code & 0xff) << 8; }
static inline int wait_status_signaled(int sig) { return sig & 0x7f; }

#endif
