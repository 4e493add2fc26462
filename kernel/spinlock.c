#include <kernel/printk.h>
#include <kernel/spinlock.h>

void spin_misuse(const struct spinlock *l, const char *what)
{
    panic("spinlock %s: %s", l->name, what);
}
