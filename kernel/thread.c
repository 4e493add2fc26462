/* Creating and ending threads; the scheduler (sched.c) runs them. */
#include <arch/layout.h>
#include <kernel/kstack.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/thread.h>
#include <lib/string.h>

struct thread *thread_create(struct process *proc, void (*entry)(void *), void *arg)
{
    struct thread *t = kstack_thread_alloc();
    if (!t)
        return NULL;
    t->kstack_top = (uint64_t)t->kstack + KSTACK_PAGES * PAGE_SIZE;
    t->proc = proc;
    t->pid = proc->pid;
    t->state = THREAD_NEW;              /* until sched_make_runnable */
    t->cpu = cpu_id();                  /* near its creator, unless another CPU is idle */
    t->wait_reason = "new";
    t->affinity = CPUMASK_ALL;          /* clone narrows it to its creator's (affinity_inherit) */
    list_init(&t->run_link);
    list_init(&t->timer_link);
    list_init(&t->proc_link);
    list_init(&t->tid_link);
    if (entry)
        arch_thread_init_kernel(&t->arch, t->kstack_top, entry, arg);
    else
        arch_thread_init_user(&t->arch, t->kstack_top);
    sched_thread_created();
    return t;
}

void thread_destroy_unstarted(struct thread *t)
{
    KASSERT(t->state == THREAD_NEW && t->run_count == 0);
    kstack_thread_free(t);
    sched_thread_gone();
}

void thread_exit_kernel(void)
{
    sched_exit_current();
}
