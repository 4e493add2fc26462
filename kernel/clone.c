/*
 * One primitive makes both processes and threads: clone.  Without CLONE_VM
 * it makes a new process with a copy of the caller's address space and
 * descriptor table (fork is that); with CLONE_VM | CLONE_FS | CLONE_FILES
 * | CLONE_SIGHAND | CLONE_THREAD it makes a new thread in the caller's
 * process, sharing all of it, on the stack it is given (pthread_create is
 * that).  The flags are the textbook's "what is shared" table in code.
 */
#include <abi/sched.h>
#include <abi/signal.h>
#include <arch/context.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>
#include <lib/string.h>

#define CLONE_EXIT_SIGNAL    CSIGNAL       /* the signal the parent gets at exit: SIGCHLD or 0 */

/* A thread: everything shared. */
#define THREAD_REQUIRED (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)
#define THREAD_OPTIONAL (CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | \
                         CLONE_DETACHED | CLONE_CHILD_SETTID)
/* A process: nothing shared. */
#define FORK_OPTIONAL   (CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_EXIT_SIGNAL)

struct clone_request {
    uint64_t flags, stack, parent_tid, child_tid, tls;
};

/*
 * The new thread's registers: the caller's, returning 0, on its own stack and
 * TLS if given; and what else a thread inherits: signal mask, CPU mask.
 */
static void copy_registers(struct thread *t, const struct trap_frame *tf, const struct clone_request *r)
{
    struct thread *self = thread_current();
    arch_fpu_save(&t->arch);        /* our live registers, straight into the copy */
    t->arch.fs_base = (r->flags & CLONE_SETTLS) ? r->tls : self->arch.fs_base;
    struct trap_frame *ctf = arch_user_frame(t->kstack_top);
    *ctf = *tf;
    arch_frame_set_return(ctf, 0);
    if (r->stack)
        arch_frame_set_stack(ctf, r->stack);
    t->clear_child_tid = (r->flags & CLONE_CHILD_CLEARTID) ? r->child_tid : 0;
    t->sigmask = self->sigmask;     /* inherited, as POSIX says; pending signals are not */
    affinity_inherit(t);            /* the CPU mask too, as on Linux */
}

/* CLONE_PARENT_SETTID and CLONE_CHILD_SETTID: tell the parent's and the child's memory the tid. */
static void publish_tid(const struct clone_request *r, struct vm *parent_vm, struct vm *child_vm, int tid)
{
    uint32_t v = (uint32_t)tid;
    if (r->flags & CLONE_PARENT_SETTID)
        vm_copy_out(parent_vm, r->parent_tid, &v, sizeof v, false);
    if (r->flags & CLONE_CHILD_SETTID)
        vm_copy_out(child_vm, r->child_tid, &v, sizeof v, false);
}

static long clone_thread(const struct clone_request *r, const struct trap_frame *tf)
{
    struct process *p = proc_current();
    struct thread *t = thread_create(p, NULL, NULL);
    if (!t)
        return -EAGAIN;
    copy_registers(t, tf, r);
    int tid = proc_add_thread(p, t);
    if (tid < 0) {
        thread_destroy_unstarted(t);
        return tid;
    }
    publish_tid(r, p->vm, p->vm, tid);
    sched_make_runnable(t);
    return tid;
}

static long clone_process(const struct clone_request *r, const struct trap_frame *tf)
{
    struct process *parent = proc_current();
    struct process *child = proc_alloc(parent->name);
    if (!child)
        return -ENOMEM;
    child->vm = vm_clone(parent->vm);
    if (!child->vm)
        goto fail_vm;
    child->fds = fd_table_copy(parent->fds);
    if (!child->fds)
        goto fail_fds;
    struct thread *t = thread_create(child, NULL, NULL);
    if (!t)
        goto fail_thread;
    memcpy(child->actions, parent->actions, sizeof child->actions);
    child->cwd = inode_get_from(&parent->cwd);     /* a sibling of the forker may chdir meanwhile */
    child->umask = __atomic_load_n(&parent->umask, __ATOMIC_RELAXED);
    child->nice = __atomic_load_n(&parent->nice, __ATOMIC_RELAXED);    /* fork keeps it, as exec does */
    child->exit_signal = (int)(r->flags & CLONE_EXIT_SIGNAL);
    /* LAB syscall BEGIN */
    child->strace = __atomic_load_n(&parent->strace, __ATOMIC_RELAXED);   /* a traced process's children are */
    /* LAB syscall END */
    proc_tree_lock_take();                  /* an exec in a sibling of ours swaps it under the lock */
    child->program = parent->program;
    if (child->program)
        __atomic_add_fetch(&child->program->refs, 1, __ATOMIC_RELAXED);
    proc_tree_lock_drop();
    copy_registers(t, tf, r);
    proc_link_child(child, parent, t);
    int pid = child->pid;
    publish_tid(r, parent->vm, child->vm, pid);
    /*
     * From here on the child may run on another CPU, exit, and be reaped by
     * a sibling of ours: neither it nor t may be touched again.
     */
    sched_make_runnable(t);
    return pid;

fail_thread:
    fd_table_put(child->fds);
fail_fds:
    vm_destroy(child->vm);
fail_vm:
    proc_free(child);
    return -ENOMEM;
}

long sys_clone(const struct syscall_args *a)
{
    struct clone_request r = { a->arg[0], a->arg[1], a->arg[2], a->arg[3], a->arg[4] };
    uint64_t sig = r.flags & CLONE_EXIT_SIGNAL;
    if ((r.flags & THREAD_REQUIRED) == THREAD_REQUIRED) {
        if (r.flags & ~(uint64_t)(THREAD_REQUIRED | THREAD_OPTIONAL))
            return -EINVAL;
        if ((r.flags & CLONE_SETTLS) && r.tls >= USER_TOP)
            return -EPERM;
        return clone_thread(&r, a->tf);
    }
    if ((r.flags & ~(uint64_t)FORK_OPTIONAL) || (sig != SIGCHLD && sig != 0))
        return -EINVAL;         /* partial sharing (CLONE_VM alone, CLONE_FILES alone...) is not supported */
    return clone_process(&r, a->tf);
}

long sys_fork(const struct syscall_args *a)
{
    struct clone_request r = { .flags = SIGCHLD };
    return clone_process(&r, a->tf);
}

long sys_set_tid_address(const struct syscall_args *a)
{
    struct thread *t = thread_current();
    t->clear_child_tid = a->arg[0];
    return t->tid;
}
