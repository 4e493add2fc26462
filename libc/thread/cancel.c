/*
 * Thread cancellation, deferred by default: pthread_cancel marks the target
 * and sends it SIGCANCEL.  The target ends (as by pthread_exit with
 * PTHREAD_CANCELED, running its cleanup handlers) at the next cancellation
 * point: pthread_testcancel, or one of the blocking calls that bracket
 * themselves with cancel_point_begin/end (nanosleep and so sleep and usleep,
 * pause, sigsuspend, wait4 and so wait and waitpid, sem_wait,
 * sem_timedwait, pthread_cond_wait and timedwait).  The signal interrupts
 * such a call while it blocks.  With PTHREAD_CANCEL_ASYNCHRONOUS the
 * thread ends wherever the signal finds it.  Elsewhere the handler returns
 * and the interrupted call restarts (SA_RESTART), so stdio and the other
 * non-points are never cut short.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "../internal/pthread.h"
#include "../internal/syscall.h"

static pthread_once_t handler_once = PTHREAD_ONCE_INIT;

static void act_on_cancel(struct pthread *self)
{
    if (!self->cancel_requested || self->cancel_disabled)
        return;
    self->in_cancel_point = 0;
    if (self->cancel_mutex) {                   /* POSIX: the cond wait's mutex is held again */
        pthread_mutex_t *m = self->cancel_mutex;
        self->cancel_mutex = NULL;
        pthread_mutex_lock(m);
    }
    pthread_exit(PTHREAD_CANCELED);
}

static void on_cancel_signal(int sig)
{
    (void)sig;
    struct pthread *self = thread_self();
    if (self->cancel_async || self->in_cancel_point)
        act_on_cancel(self);
}

static void install_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_cancel_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGCANCEL, &sa, NULL);
}

int pthread_cancel(pthread_t id)
{
    pthread_once(&handler_once, install_handler);
    struct pthread *t;
    int tid = thread_tid_of(id, &t);
    if (tid <= 0)
        return ESRCH;
    t->cancel_requested = 1;
    if (t == thread_self()) {
        if (t->cancel_async)
            act_on_cancel(t);
        return 0;
    }
    long err = __syscall3(SYS_tgkill, getpid(), tid, SIGCANCEL);
    return err == -ESRCH ? 0 : (int)-err;      /* already on its way out: nothing to do */
}

void pthread_testcancel(void)
{
    act_on_cancel(thread_self());
}

int pthread_setcancelstate(int state, int *old)
{
    if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
        return EINVAL;
    struct pthread *self = thread_self();
    if (old)
        *old = self->cancel_disabled ? PTHREAD_CANCEL_DISABLE : PTHREAD_CANCEL_ENABLE;
    self->cancel_disabled = state == PTHREAD_CANCEL_DISABLE;
    return 0;
}

int pthread_setcanceltype(int type, int *old)
{
    if (type != PTHREAD_CANCEL_DEFERRED && type != PTHREAD_CANCEL_ASYNCHRONOUS)
        return EINVAL;
    struct pthread *self = thread_self();
    if (old)
        *old = self->cancel_async ? PTHREAD_CANCEL_ASYNCHRONOUS : PTHREAD_CANCEL_DEFERRED;
    self->cancel_async = type == PTHREAD_CANCEL_ASYNCHRONOUS;
    if (self->cancel_async)
        act_on_cancel(self);
    return 0;
}

void cancel_point_begin(void)
{
    struct pthread *self = thread_self();
    self->in_cancel_point = 1;
    act_on_cancel(self);
}

void cancel_point_end(void)
{
    thread_self()->in_cancel_point = 0;
}
