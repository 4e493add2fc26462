/* Character devices: see kernel/include/kernel/device.h. */
#include <abi/devnum.h>
#include <abi/fcntl.h>
#include <abi/random.h>
#include <arch/cpu.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/printk.h>
#include <kernel/syscall.h>
#include <kernel/uio.h>
#include <lib/string.h>

#define MAJOR_MEMORY    1       /* Linux's mem devices: null, zero, full, random, urandom */
#define MAJOR_TTY       5       /* /dev/tty, /dev/console */
#define MODE_DEVICE_NODE 0666   /* everyone reads and writes them, as on Linux */
#define CHUNK           256     /* bytes made on the kernel stack per step of a read */
#define GOLDEN_GAMMA    0x9e3779b97f4a7c15ull   /* splitmix64's increment */

static uint64_t random_counter;         /* [atomic] advanced by every call: no two calls share a stream */

uint64_t random_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t splitmix64(uint64_t *state)
{
    return random_mix(*state += GOLDEN_GAMMA);
}

void random_bytes(void *buf, size_t n)
{
    uint64_t state = __atomic_fetch_add(&random_counter, GOLDEN_GAMMA * (n / 8 + 1), __ATOMIC_RELAXED) ^
                     rdtsc_ordered();
    uint8_t *p = buf;
    while (n) {
        uint64_t word = splitmix64(&state);
        size_t k = n < sizeof word ? n : sizeof word;
        memcpy(p, &word, k);
        p += k, n -= k;
    }
}

/* Fill u with what fill makes, CHUNK bytes at a time: bytes copied, or -EFAULT if none. */
static long read_made(struct uio *u, void (*fill)(void *buf, size_t n))
{
    uint8_t chunk[CHUNK];
    size_t done = 0;
    while (u->left > 0) {
        size_t n = u->left < sizeof chunk ? u->left : sizeof chunk;
        fill(chunk, n);
        size_t copied = uio_copy_out(u, chunk, n);
        done += copied;
        if (copied < n)
            break;
    }
    return done || u->left == 0 ? (long)done : -EFAULT;
}

static void zeros(void *buf, size_t n)
{
    memset(buf, 0, n);
}

static long read_nothing(struct file *f, struct uio *u) { (void)f, (void)u; return 0; }
static long read_zeros(struct file *f, struct uio *u)   { (void)f; return read_made(u, zeros); }
static long read_random(struct file *f, struct uio *u)  { (void)f; return read_made(u, random_bytes); }

/* A write that keeps nothing: every byte taken (null, zero, random: Linux's answer). */
static long write_swallow(struct file *f, struct uio *u)
{
    (void)f;
    size_t n = u->left;
    u->left = 0;
    return (long)n;
}

static long write_full(struct file *f, struct uio *u)
{
    (void)f, (void)u;
    return -ENOSPC;
}

static const struct file_ops null_ops = { .read = read_nothing, .write = write_swallow, .kind = FILE_INODE };
static const struct file_ops zero_ops = { .read = read_zeros, .write = write_swallow, .kind = FILE_INODE };
static const struct file_ops full_ops = { .read = read_zeros, .write = write_full, .kind = FILE_INODE };
static const struct file_ops random_ops = { .read = read_random, .write = write_swallow, .kind = FILE_INODE };

static const struct device devices[] = {
    { "null", MAJOR_MEMORY, 3, &null_ops },
    { "zero", MAJOR_MEMORY, 5, &zero_ops },
    { "full", MAJOR_MEMORY, 7, &full_ops },
    { "random", MAJOR_MEMORY, 8, &random_ops },
    { "urandom", MAJOR_MEMORY, 9, &random_ops },
    { "tty", MAJOR_TTY, 0, NULL },
    { "console", MAJOR_TTY, 1, NULL },
};

void device_init(void)
{
    struct inode *dev;
    if (fs_resolve(fs_root(), "/dev", &dev) != 0)
        panic("device_init: no /dev");
    for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
        struct inode *node;
        if (fs_create(dev, devices[i].name, INODE_CHARDEV, MODE_DEVICE_NODE, &node) != 0)
            panic("device_init: cannot make /dev/%s", devices[i].name);
        node->device = &devices[i];     /* before anyone can open it: boot runs alone */
        inode_put(node);
    }
    dev->readonly = true;       /* its names stay (/dev/shm, made before, is writable itself) */
    inode_put(dev);
}

struct file *device_open(struct inode *in, int flags)
{
    const struct device *dev = in->device;
    if (!dev->ops)
        return tty_open();      /* the one terminal, whichever name opened it */
    return file_alloc(dev->ops, in, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
}

uint64_t device_number(const struct device *dev)
{
    return DEV_MAKE(dev->major, dev->minor);
}

/* getrandom(buf, len, flags): len bytes of random_bytes; never blocks (the generator is always ready). */
long sys_getrandom(const struct syscall_args *a)
{
    if (a->arg[2] & ~(uint64_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
        return -EINVAL;
    struct user_iovec one = { a->arg[0], a->arg[1] };
    struct uio u;
    uio_init(&u, &one, 1, uio_capped(one.len));
    return read_made(&u, random_bytes);
}
