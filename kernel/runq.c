/*
 * Run queues: priority with aging over a ring of FIFO buckets (see
 * kernel/include/kernel/runq.h for the policy).  Callers hold sched_lock.
 */
#include <kernel/proc.h>
#include <kernel/runq.h>
#include <kernel/sched.h>

/* LAB sched BEGIN */
/*
 * A waiting thread climbs a level per time slice: against a busy thread
 * k levels above it, it gets about one slice in k + 1, so nice works as
 * a share (Linux's weights give 1.25x per level; ours is linear), and even
 * nice 19 against -20 runs once every 40 slices.
 */
#define AGING_TICKS     TIME_SLICE_TICKS

static unsigned bucket_of(uint64_t key)
{
    return (unsigned)(key % RUNQ_BUCKETS);
}

/* Where t is queued: the bucket of its key, or the epoch's if it climbed past the top. */
static unsigned bucket_holding(const struct runq *q, const struct thread *t)
{
    return bucket_of(t->runq_key > q->epoch ? t->runq_key : q->epoch);
}

/* The non-empty bucket with the lowest key: the bitmap turned so the epoch's bucket is bit 0. */
static unsigned first_bucket(const struct runq *q)
{
    unsigned turn = bucket_of(q->epoch);
    uint64_t ring = turn ? q->nonempty >> turn | q->nonempty << (RUNQ_BUCKETS - turn) : q->nonempty;
    return bucket_of(q->epoch + (unsigned)__builtin_ctzll(ring));
}

void runq_init(struct runq *q)
{
    for (unsigned b = 0; b < RUNQ_BUCKETS; b++)
        list_init(&q->buckets[b]);
    q->nonempty = 0;
    q->epoch = 0;
    q->ticks = 0;
    q->length = 0;
}

void runq_push(struct runq *q, struct thread *t)
{
    int nice = __atomic_load_n(&t->proc->nice, __ATOMIC_RELAXED);
    t->runq_key = q->epoch + runq_level(nice);
    unsigned b = bucket_of(t->runq_key);
    list_push_back(&q->buckets[b], &t->run_link);
    q->nonempty |= 1ull << b;
    q->length++;
}

void runq_remove(struct runq *q, struct thread *t)
{
    unsigned b = bucket_holding(q, t);
    list_remove(&t->run_link);
    if (list_empty(&q->buckets[b]))
        q->nonempty &= ~(1ull << b);
    q->length--;
}

struct thread *runq_pop(struct runq *q)
{
    if (!q->nonempty)
        return NULL;
    struct thread *t = list_first(&q->buckets[first_bucket(q)], struct thread, run_link);
    runq_remove(q, t);
    return t;
}

struct thread *runq_find(const struct runq *q, bool (*fits)(const struct thread *t, const void *arg),
                         const void *arg)
{
    for (unsigned level = 0; level < NICE_LEVELS; level++) {
        unsigned b = bucket_of(q->epoch + level);
        if (!(q->nonempty & 1ull << b))
            continue;
        list_for_each(pos, &q->buckets[b]) {
            struct thread *t = container_of(pos, struct thread, run_link);
            if (fits(t, arg))
                return t;
        }
    }
    return NULL;
}

/*
 * The next aging period: every key is a level nearer the epoch without
 * being touched.  The threads of the epoch's bucket (at the top already)
 * move to the front of the next one, where they stay ahead.
 */
void runq_tick(struct runq *q)
{
    if (++q->ticks < AGING_TICKS)
        return;
    q->ticks = 0;
    unsigned top = bucket_of(q->epoch), next = bucket_of(q->epoch + 1);
    q->epoch++;
    if (!(q->nonempty & 1ull << top))
        return;
    list_splice_front(&q->buckets[next], &q->buckets[top]);
    q->nonempty = (q->nonempty & ~(1ull << top)) | 1ull << next;
}
/* LAB sched END */
/* LAB sched STUB
// One FIFO: every thread waits its turn, whatever its nice value.
void runq_init(struct runq *q)
{
    list_init(&q->fifo);
    q->length = 0;
}

void runq_push(struct runq *q, struct thread *t)
{
    list_push_back(&q->fifo, &t->run_link);
    q->length++;
}

void runq_remove(struct runq *q, struct thread *t)
{
    list_remove(&t->run_link);
    q->length--;
}

struct thread *runq_pop(struct runq *q)
{
    struct thread *t = list_first(&q->fifo, struct thread, run_link);
    if (t)
        runq_remove(q, t);
    return t;
}

struct thread *runq_find(const struct runq *q, bool (*fits)(const struct thread *t, const void *arg),
                         const void *arg)
{
    list_for_each(pos, &q->fifo) {
        struct thread *t = container_of(pos, struct thread, run_link);
        if (fits(t, arg))
            return t;
    }
    return NULL;
}

void runq_tick(struct runq *q)
{
    (void)q;
}
   LAB sched STUB END */
