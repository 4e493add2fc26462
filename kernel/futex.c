/*
 * Futexes.  Waiters hang in a hash table of lists by key (kernel/futex.h); each
 * waiter lives on its sleeping thread's stack and has its own wait queue,
 * so a wake touches only the threads of that address.
 */
#include <abi/futex.h>
#include <abi/syscall.h>
#include <kernel/errno.h>
#include <kernel/futex.h>
#include <kernel/list.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/vm.h>

#define FUTEX_BUCKETS       64          /* a power of two: a handful of futexes are busy at once */
#define FUTEX_WORD_ALIGN    4

struct futex_waiter {
    struct list_node link;      /* [futex_lock] in its bucket */
    struct futex_key key;
    struct wait_queue wq;       /* its thread sleeps here, alone */
    bool woken;                 /* [futex_lock] by futex_wake (not a timeout or a kill) */
};

static struct spinlock futex_lock = SPINLOCK_INIT("futex", LOCK_RANK_FUTEX);
static struct list_node buckets[FUTEX_BUCKETS];    /* [futex_lock] */
static bool initialized;

static struct list_node *bucket_of(const struct futex_key *key)
{
    if (!initialized) {
        for (int i = 0; i < FUTEX_BUCKETS; i++)
            list_init(&buckets[i]);
        initialized = true;
    }
    uint64_t h = (key->addr >> 2) ^ ((uint64_t)key->space >> 4);
    return &buckets[h % FUTEX_BUCKETS];
}

static bool same_key(const struct futex_key *a, const struct futex_key *b)
{
    return a->space == b->space && a->addr == b->addr;
}

/* A futex word must be aligned (EINVAL) and readable (EFAULT): 0 if it is. */
static long futex_word_check(struct vm *vm, uint64_t uaddr)
{
    uint32_t word;
    if (uaddr % FUTEX_WORD_ALIGN)
        return -EINVAL;
    return vm_copy_in(vm, &word, uaddr, sizeof word) ? -EFAULT : 0;
}

long futex_wait(struct vm *vm, uint64_t uaddr, bool private, uint32_t val, uint64_t deadline_ns)
{
    if (uaddr % FUTEX_WORD_ALIGN)
        return -EINVAL;
    struct futex_waiter w;
    long err = vm_futex_key(vm, uaddr, private, &w.key);
    if (err)
        return err;
    w.woken = false;
    wait_queue_init(&w.wq);
    spin_lock(&futex_lock);
    uint32_t now;
    if (vm_copy_in(vm, &now, uaddr, sizeof now) != 0) {
        spin_unlock(&futex_lock);
        return -EFAULT;
    }
    if (now != val) {
        spin_unlock(&futex_lock);
        return -EAGAIN;
    }
    list_push_back(bucket_of(&w.key), &w.link);
    err = sleep_on_until(&w.wq, &futex_lock, "futex", deadline_ns);
    if (!w.woken)
        list_remove(&w.link);   /* a timeout or a kill: still queued */
    spin_unlock(&futex_lock);
    return w.woken ? 0 : err;
}

long futex_wake(struct vm *vm, uint64_t uaddr, bool private, int n)
{
    struct futex_key key;
    long woken = vm_futex_key(vm, uaddr, private, &key);
    if (woken)
        return woken;
    spin_lock(&futex_lock);
    struct list_node *bucket = bucket_of(&key);
    list_for_each_safe(pos, tmp, bucket) {
        if (woken >= n)
            break;
        struct futex_waiter *w = container_of(pos, struct futex_waiter, link);
        if (!same_key(&w->key, &key))
            continue;
        list_remove(&w->link);
        w->woken = true;
        wake_all(&w->wq);
        woken++;
    }
    spin_unlock(&futex_lock);
    return woken;
}

/*
 * The deadline of a FUTEX_WAIT (relative timeout) or FUTEX_WAIT_BITSET
 * (absolute: on CLOCK_MONOTONIC, or CLOCK_REALTIME with realtime).
 */
static long deadline_of(uint64_t utimeout, bool absolute, bool realtime, uint64_t *deadline)
{
    *deadline = 0;
    if (!utimeout)
        return 0;
    uint64_t ns;
    long err = timespec_from_user(utimeout, &ns);
    if (err)
        return err;
    *deadline = !absolute ? deadline_after_ns(ns) : realtime ? realtime_to_monotonic(ns) : ns;
    if (*deadline == 0)
        *deadline = 1;          /* 0 means "no deadline" to the scheduler */
    return 0;
}

long sys_futex(const struct syscall_args *a)
{
    uint64_t uaddr = a->arg[0], utimeout = a->arg[3];
    int op = (int)a->arg[1] & FUTEX_CMD_MASK;
    bool private = (a->arg[1] & FUTEX_PRIVATE_FLAG) != 0;
    uint32_t val = (uint32_t)a->arg[2], bitset = (uint32_t)a->arg[5];
    struct vm *vm = proc_current()->vm;
    uint64_t deadline;
    long err;
    switch (op) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
        if (op == FUTEX_WAIT_BITSET && bitset == 0)
            return -EINVAL;
        err = deadline_of(utimeout, op == FUTEX_WAIT_BITSET, a->arg[1] & FUTEX_CLOCK_REALTIME, &deadline);
        return err ? err : futex_wait(vm, uaddr, private, val, deadline);
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:     /* bitsets other than "all" are not told apart: extra wakes are allowed */
        if (op == FUTEX_WAKE_BITSET && bitset == 0)
            return -EINVAL;
        err = futex_word_check(vm, uaddr);
        return err ? err : futex_wake(vm, uaddr, private, (int)val);
    default:
        return -ENOSYS;
    }
}
