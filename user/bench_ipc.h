/*
 * The communication row (issue 12), included by bench.c after its
 * helpers: each way two parties talk, between two threads and between two
 * processes, on one CPU and (the _x rows) on two.
 *
 *   <mech>_<thread|process>[_x], param 1 or -: a 1-byte round trip, the
 *       partner echoing: socket (a stream socketpair), dgram (a datagram
 *       socketpair), mq (two POSIX message queues), futex (a word in shared memory: MAP_SHARED between
 *       processes, with a shared futex), signal (SIGUSR1 there, SIGUSR2
 *       back, each caught by a handler); pipe is bench.c's pipe_*.
 *   ipc_throughput_<thread|process>[_x], param the mechanism: 1 MiB moved
 *       in 64 KiB pieces (16 KiB datagrams, 8 KiB messages), cycles/MiB and MB/s:
 *       pipe, socket, dgram, mq, and shm (a 64 KiB shared buffer handed over
 *       with a futex, copied in and out).
 */

#define IPC_CHUNK       (64 * 1024)     /* a throughput write, and the shared buffer */
#define IPC_DGRAM       (16 * 1024)     /* a throughput datagram: under every kernel's limit */
#define IPC_MQ_MSG      8192            /* a message queue's message: Linux's default msgsize */
#define IPC_MQ_DEPTH    10              /* and its default maxmsg */
#define IPC_MQ_THERE    "/bench_mq_there"
#define IPC_MQ_BACK     "/bench_mq_back"
#define IPC_SIG_THERE   SIGUSR1
#define IPC_SIG_BACK    SIGUSR2

enum ipc_mech { IPC_PIPE, IPC_SOCKET, IPC_DGRAM_MECH, IPC_MQ, IPC_SHM };
static const char *const ipc_mech_names[] = { "pipe", "socket", "dgram", "mq", "shm" };

/* A byte channel both ways: the measurer writes mw and reads mr, the partner reads pr and writes pw. */
struct ipc_channel {
    int mw, mr, pr, pw;
    bool dgram;                 /* datagrams or messages: a 0-byte one says "stop" (no end of file) */
    bool mq;                    /* message queues: mq_send and mq_receive */
    bool child;                 /* the partner is a process: it closes the measurer's ends */
    long bytes;                 /* throughput: per transfer */
};

static void ipc_channel_open(struct ipc_channel *c, enum ipc_mech mech, bool child)
{
    int a[2], b[2];
    *c = (struct ipc_channel){ .dgram = mech == IPC_DGRAM_MECH, .child = child, .bytes = MIB };
    if (mech == IPC_PIPE) {
        if (pipe(a) != 0 || pipe(b) != 0)
            die("pipe");
        c->mw = a[1], c->pr = a[0], c->pw = b[1], c->mr = b[0];
        return;
    }
    if (mech == IPC_MQ) {
        struct mq_attr attr = { .mq_maxmsg = IPC_MQ_DEPTH, .mq_msgsize = IPC_MQ_MSG };
        mq_unlink(IPC_MQ_THERE);
        mq_unlink(IPC_MQ_BACK);
        c->mw = c->pr = mq_open(IPC_MQ_THERE, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
        c->pw = c->mr = mq_open(IPC_MQ_BACK, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
        if (c->mw < 0 || c->pw < 0)
            die("mq_open");
        mq_unlink(IPC_MQ_THERE);        /* the descriptors keep them; nothing is left behind */
        mq_unlink(IPC_MQ_BACK);
        c->dgram = c->mq = true;
        return;
    }
    if (socketpair(AF_UNIX, c->dgram ? SOCK_DGRAM : SOCK_STREAM, 0, a) != 0)
        die("socketpair");
    c->mw = c->mr = a[0];
    c->pr = c->pw = a[1];
}

/* One message or write of n bytes, and one receive or read into buf (size: at least IPC_MQ_MSG for mq). */
static ssize_t ipc_write(const struct ipc_channel *c, int fd, const void *buf, size_t n)
{
    return c->mq ? (mq_send(fd, buf, n, 0) == 0 ? (ssize_t)n : -1) : write(fd, buf, n);
}

static ssize_t ipc_read(const struct ipc_channel *c, int fd, void *buf, size_t size)
{
    return c->mq ? mq_receive(fd, buf, size, NULL) : read(fd, buf, size);
}

/* The partner's first step: a process drops the measurer's ends (a message queue's are the same descriptors). */
static void ipc_partner_begin(struct ipc_channel *c)
{
    if (!c->child || c->mq)
        return;
    close(c->mw);
    if (c->mr != c->mw)
        close(c->mr);
}

/* The measurer's ends after a process partner started: it drops the partner's. */
static void ipc_measurer_begin(struct ipc_channel *c)
{
    if (!c->child || c->mq)
        return;
    close(c->pr);
    if (c->pw != c->pr)
        close(c->pw);
}

/* Tell the partner to end (end of file, or an empty datagram), then close everything left. */
static void ipc_channel_close(struct ipc_channel *c, struct partner *p)
{
    if (c->dgram)
        ipc_write(c, c->mw, "", 0);
    close(c->mw);
    partner_stop(p, false);
    if (c->mr != c->mw)
        close(c->mr);
    if (!c->child) {
        close(c->pr);
        if (c->pw != c->pr)
            close(c->pw);
    }
}

/* --- round trips ------------------------------------------------------------------ */

static void *ipc_echo(void *arg)
{
    struct ipc_channel *c = arg;
    char one;                   /* a byte on the stack, as pipe_echo: the rows differ only in the channel */
    char *b = c->mq ? malloc(IPC_MQ_MSG) : &one;    /* a message queue's receive wants room for a message */
    ipc_partner_begin(c);
    while (b && ipc_read(c, c->pr, b, c->mq ? IPC_MQ_MSG : 1) == 1)
        if (ipc_write(c, c->pw, b, 1) != 1)
            break;
    if (b != &one)
        free(b);
    return NULL;
}

static void op_ipc_round_trip(void *ctx)
{
    struct ipc_channel *c = ctx;
    static char message[IPC_MQ_MSG];    /* a message queue's receive wants room for a whole message */
    char one = 'x', *b = c->mq ? message : &one;
    if (ipc_write(c, c->mw, b, 1) != 1 || ipc_read(c, c->mr, b, c->mq ? IPC_MQ_MSG : 1) != 1)
        die("round trip");
}

static void ipc_byte_round_trip(int n, enum ipc_mech mech, enum partner_kind kind, const char *name, int cpu)
{
    struct ipc_channel c;
    struct partner p;
    ipc_channel_open(&c, mech, kind == PARTNER_PROCESS);
    struct pinned_call call = { ipc_echo, &c, cpu };
    start_pinned(&p, kind, &call);
    ipc_measurer_begin(&c);
    time_and_report(n, op_ipc_round_trip, &c, name, "1");
    ipc_channel_close(&c, &p);
}

static void ipc_futex_round_trip(int n, enum partner_kind kind, const char *name, int cpu)
{
    struct ipc_futex *f = ipc_map_shared(sizeof *f);
    struct partner p;
    if (!f)
        die("mmap(MAP_SHARED)");
    *f = (struct ipc_futex){ FUTEX_PONG, 0, kind == PARTNER_THREAD ? FUTEX_PRIVATE_FLAG : 0 };
    struct pinned_call call = { ipc_futex_pong, f, cpu };
    start_pinned(&p, kind, &call);
    time_and_report(n, op_ipc_futex, f, name, "-");
    ipc_futex_stop(f);
    partner_stop(&p, false);
    munmap(f, sizeof *f);
}

/*
 * Signals: the measurer sends IPC_SIG_THERE to the partner (a thread by
 * pthread_kill, a process by kill) and waits in sigsuspend for
 * IPC_SIG_BACK.  Both signals are blocked outside sigsuspend, so none is
 * lost between a send and the wait.
 */
static volatile sig_atomic_t ipc_sig_arrived[NSIG];    /* by signal: the two sides wait on different ones */
static pthread_t ipc_measurer_thread, ipc_partner_thread;
static pid_t ipc_measurer_pid, ipc_partner_pid;
static bool ipc_sig_threads;

static void ipc_on_signal(int sig)
{
    ipc_sig_arrived[sig] = 1;
}

/* Wait in sigsuspend, with everything but sig blocked, until its handler ran. */
static void ipc_sig_wait(int sig)
{
    sigset_t all_but;
    sigfillset(&all_but);
    sigdelset(&all_but, sig);
    while (!ipc_sig_arrived[sig])
        sigsuspend(&all_but);
    ipc_sig_arrived[sig] = 0;
}

static void ipc_sig_send(bool to_partner, int sig)
{
    if (ipc_sig_threads)
        pthread_kill(to_partner ? ipc_partner_thread : ipc_measurer_thread, sig);
    else
        kill(to_partner ? ipc_partner_pid : ipc_measurer_pid, sig);
}

static void *ipc_signal_pong(void *arg)
{
    (void)arg;
    ipc_partner_thread = pthread_self();
    __atomic_store_n(&ipc_partner_pid, getpid(), __ATOMIC_RELEASE);
    for (;;) {
        ipc_sig_wait(IPC_SIG_THERE);
        if (!__atomic_load_n(&ipc_measurer_pid, __ATOMIC_ACQUIRE))
            return NULL;        /* the measurer said stop */
        ipc_sig_send(false, IPC_SIG_BACK);
    }
}

static void op_ipc_signal(void *ctx)
{
    (void)ctx;
    ipc_sig_send(true, IPC_SIG_THERE);
    ipc_sig_wait(IPC_SIG_BACK);
}

static void ipc_signal_round_trip(int n, enum partner_kind kind, const char *name, int cpu)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = ipc_on_signal;
    sigaction(IPC_SIG_THERE, &sa, NULL);
    sigaction(IPC_SIG_BACK, &sa, NULL);
    sigset_t both, old;
    sigemptyset(&both);
    sigaddset(&both, IPC_SIG_THERE);
    sigaddset(&both, IPC_SIG_BACK);
    sigprocmask(SIG_BLOCK, &both, &old);        /* the partner inherits the mask */
    ipc_sig_threads = kind == PARTNER_THREAD;
    ipc_measurer_thread = pthread_self();
    ipc_measurer_pid = getpid();
    ipc_partner_pid = 0;
    ipc_sig_arrived[IPC_SIG_THERE] = ipc_sig_arrived[IPC_SIG_BACK] = 0;
    struct partner p;
    struct pinned_call call = { ipc_signal_pong, NULL, cpu };
    start_pinned(&p, kind, &call);
    if (kind == PARTNER_PROCESS)
        ipc_partner_pid = p.pid;
    else
        while (!__atomic_load_n(&ipc_partner_pid, __ATOMIC_ACQUIRE))
            sched_yield();
    time_and_report(n, op_ipc_signal, NULL, name, "-");
    if (kind == PARTNER_THREAD) {
        __atomic_store_n(&ipc_measurer_pid, 0, __ATOMIC_RELEASE);
        ipc_sig_send(true, IPC_SIG_THERE);
    }
    partner_stop(&p, kind == PARTNER_PROCESS);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* --- throughput -------------------------------------------------------------------- */

/* The partner: read transfers of c->bytes, acknowledging each with one byte, until told to stop. */
static void *ipc_sink(void *arg)
{
    struct ipc_channel *c = arg;
    static char buf[IPC_CHUNK];
    ipc_partner_begin(c);
    for (;;) {
        for (long got = 0; got < c->bytes;) {
            ssize_t r = ipc_read(c, c->pr, buf, sizeof buf);
            if (r <= 0)
                return NULL;
            got += r;
        }
        if (ipc_write(c, c->pw, "", 1) != 1)
            return NULL;
    }
}

static void ipc_send_mib(struct ipc_channel *c, const char *buf)
{
    size_t piece = c->mq ? IPC_MQ_MSG : c->dgram ? IPC_DGRAM : IPC_CHUNK;
    for (long sent = 0; sent < c->bytes;) {
        ssize_t w = ipc_write(c, c->mw, buf, piece);
        if (w <= 0)
            die("throughput write");
        sent += w;
    }
    char b[IPC_MQ_MSG];
    if (ipc_read(c, c->mr, b, sizeof b) != 1)
        die("throughput acknowledgement");
}

/* A 64 KiB buffer both parties map, handed over with a futex: FUTEX_PING full (the sink's), FUTEX_PONG empty. */
struct ipc_shm_buffer {
    struct ipc_futex f;
    char data[IPC_CHUNK];
};

static void *ipc_shm_sink(void *arg)
{
    struct ipc_shm_buffer *b = arg;
    static char out[IPC_CHUNK];
    for (;;) {
        while (b->f.turn != FUTEX_PING)
            ipc_futex_wait(&b->f, FUTEX_PONG);
        if (b->f.stop)
            return NULL;
        memcpy(out, b->data, sizeof out);
        b->f.turn = FUTEX_PONG;
        ipc_futex_wake(&b->f);
    }
}

static void ipc_shm_send_mib(struct ipc_shm_buffer *b, const char *buf)
{
    for (long sent = 0; sent < MIB; sent += IPC_CHUNK) {
        memcpy(b->data, buf, IPC_CHUNK);
        op_ipc_futex(&b->f);    /* hand it over, wait until it is empty again */
    }
}

/* Time n transfers of 1 MiB through mech; report cycles/MiB and MB/s. */
static void ipc_throughput(int n, enum ipc_mech mech, enum partner_kind kind, const char *name, int cpu)
{
    static char buf[IPC_CHUNK];
    struct ipc_channel c;
    struct ipc_shm_buffer *shm = NULL;
    struct partner p;
    memset(buf, 'x', sizeof buf);
    struct pinned_call call = { ipc_sink, &c, cpu };
    if (mech == IPC_SHM) {
        shm = ipc_map_shared(sizeof *shm);
        if (!shm)
            die("mmap(MAP_SHARED)");
        shm->f = (struct ipc_futex){ FUTEX_PONG, 0, kind == PARTNER_THREAD ? FUTEX_PRIVATE_FLAG : 0 };
        call = (struct pinned_call){ ipc_shm_sink, shm, cpu };
    } else {
        ipc_channel_open(&c, mech, kind == PARTNER_PROCESS);
    }
    start_pinned(&p, kind, &call);
    if (!shm)
        ipc_measurer_begin(&c);
    struct run r;
    run_init(&r, n);
    for (int i = 0; i < n + warmup_count(n); i++) {
        uint64_t t0 = tsc_read();
        if (shm)
            ipc_shm_send_mib(shm, buf);
        else
            ipc_send_mib(&c, buf);
        uint64_t t1 = tsc_read();
        if (i == warmup_count(n))
            run_start(&r);
        if (i >= warmup_count(n))
            r.samples[i - warmup_count(n)] = (double)(t1 - t0) - empty_cycles;
    }
    run_stop(&r);
    double *cycles = r.samples, mbps[n];
    for (int i = 0; i < n; i++)
        mbps[i] = (double)MIB / (cycles[i] / tsc_rate) / 1e6;
    report(&r, name, ipc_mech_names[mech], "cycles/MiB", n);
    r.samples = mbps;
    report(&r, name, ipc_mech_names[mech], "MB/s", n);
    free(cycles);
    if (shm) {
        ipc_futex_stop(&shm->f);
        partner_stop(&p, false);
        munmap(shm, sizeof *shm);
    } else {
        ipc_channel_close(&c, &p);
    }
}

/* --- the rows ----------------------------------------------------------------------- */

static const enum partner_kind ipc_kinds[] = { PARTNER_THREAD, PARTNER_PROCESS };

static const char *ipc_who(enum partner_kind kind)
{
    return kind == PARTNER_THREAD ? "thread" : "process";
}

/* A row across CPUs needs two: without them it says unsupported (each of its units) and is skipped. */
static bool ipc_row_runs(int cpu, const char *name, const char *param, const char *unit, const char *unit2)
{
    if (cpu == MEASURING_CPU)
        return true;
    bool ok = have_cpus(2, name, param, unit);
    if (!ok && unit2)
        have_cpus(2, name, param, unit2);
    return ok;
}

/* The round trips of each mechanism, thread and process, partner on cpu; suffix "" or "_x". */
static void ipc_rows(int n, int cpu, const char *suffix)
{
    static const struct { const char *name; enum ipc_mech mech; } bytes[] = {
        { "socket", IPC_SOCKET }, { "dgram", IPC_DGRAM_MECH }, { "mq", IPC_MQ },
    };
    char name[48];
    for (size_t k = 0; k < sizeof ipc_kinds / sizeof ipc_kinds[0]; k++) {
        for (size_t m = 0; m < sizeof bytes / sizeof bytes[0]; m++) {
            snprintf(name, sizeof name, "%s_%s%s", bytes[m].name, ipc_who(ipc_kinds[k]), suffix);
            if (ipc_row_runs(cpu, name, "1", "cycles", NULL))
                ipc_byte_round_trip(n, bytes[m].mech, ipc_kinds[k], name, cpu);
        }
        snprintf(name, sizeof name, "futex_shm_%s%s", ipc_who(ipc_kinds[k]), suffix);
        if (ipc_row_runs(cpu, name, "-", "cycles", NULL))
            ipc_futex_round_trip(n, ipc_kinds[k], name, cpu);
        snprintf(name, sizeof name, "signal_%s%s", ipc_who(ipc_kinds[k]), suffix);
        if (ipc_row_runs(cpu, name, "-", "cycles", NULL))
            ipc_signal_round_trip(n, ipc_kinds[k], name, cpu);
    }
}

static void ipc_throughput_rows(int n, int cpu, const char *suffix)
{
    char name[48];
    for (size_t k = 0; k < sizeof ipc_kinds / sizeof ipc_kinds[0]; k++) {
        snprintf(name, sizeof name, "ipc_throughput_%s%s", ipc_who(ipc_kinds[k]), suffix);
        for (int m = IPC_PIPE; m <= IPC_SHM; m++)
            if (ipc_row_runs(cpu, name, ipc_mech_names[m], "cycles/MiB", "MB/s"))
                ipc_throughput(n, (enum ipc_mech)m, ipc_kinds[k], name, cpu);
    }
}

static void bench_ipc(int n)              { ipc_rows(n, MEASURING_CPU, ""); }
static void bench_ipc_x(int n)            { ipc_rows(n, PARTNER_CPU, "_x"); }
static void bench_ipc_throughput(int n)   { ipc_throughput_rows(n, MEASURING_CPU, ""); }
static void bench_ipc_throughput_x(int n) { ipc_throughput_rows(n, PARTNER_CPU, "_x"); }
