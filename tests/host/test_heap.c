/*
 * The kernel heap's bookkeeping (kernel/heap.c) on the host, with pages from
 * aligned_alloc: random operations never overlap, everything freed returns
 * every page, and double frees, foreign pointers and overruns are caught.
 */
#include <arch/layout.h>
#include <kernel/heap.h>
#include <kernel/spinlock.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

#define OPERATIONS 20000
#define SLOTS      512
#define MAX_OBJECT (3 * PAGE_SIZE)

/* ---- what the heap needs from the rest of the kernel ---- */
static long pages_out;          /* pages the heap holds */
static jmp_buf panic_jump;
static char panic_message[256];

void *heap_backend_page_alloc(void)
{
    pages_out++;
    return aligned_alloc(PAGE_SIZE, PAGE_SIZE);
}
void heap_backend_page_free(void *page) { pages_out--; free(page); }
void *heap_backend_range_alloc(size_t pages)
{
    pages_out += pages;
    return aligned_alloc(PAGE_SIZE, pages * PAGE_SIZE);
}
void heap_backend_range_free(void *start, size_t pages) { pages_out -= pages; free(start); }
void spin_lock(struct spinlock *l) { l->word = 1; }
void spin_unlock(struct spinlock *l) { l->word = 0; }
void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(panic_message, sizeof panic_message, fmt, ap);
    va_end(ap);
    longjmp(panic_jump, 1);
}

/*
 * The cases that end in a panic abandon their blocks, as a panicking kernel
 * would: LeakSanitizer would report those.  pages_out does the leak checks.
 */
const char *__asan_default_options(void) { return "detect_leaks=0"; }

/* ---- tests ---- */
struct slot { uint8_t *p; size_t size; uint8_t fill; };

static int random_operations_do_not_overlap(void)
{
    static struct slot slots[SLOTS];
    srand(1);
    for (int op = 0; op < OPERATIONS; op++) {
        struct slot *s = &slots[rand() % SLOTS];
        if (s->p) {
            for (size_t i = 0; i < s->size; i++)
                CHECK(s->p[i] == s->fill, "op %d: byte %zu of a %zu-byte object overwritten", op, i, s->size);
            kfree(s->p);
            s->p = NULL;
            continue;
        }
        s->size = rand() % 4 == 0 ? 1 + rand() % MAX_OBJECT : 1 + rand() % 300;
        s->fill = (uint8_t)(op | 1);
        s->p = kmalloc(s->size);
        CHECK(s->p, "op %d: kmalloc(%zu) failed", op, s->size);
        CHECK(((uintptr_t)s->p & 15) == 0, "op %d: %p not 16-byte aligned", op, (void *)s->p);
        memset(s->p, s->fill, s->size);
    }
    for (int i = 0; i < SLOTS; i++) {
        kfree(slots[i].p);
        slots[i].p = NULL;
    }
    struct heap_stats st;
    heap_get_stats(&st);
    CHECK(st.live_objects == 0 && st.live_bytes == 0, "%lu objects, %lu bytes still live",
          (unsigned long)st.live_objects, (unsigned long)st.live_bytes);
    CHECK(pages_out == 0, "%ld pages not given back", pages_out);
    return 1;
}

static int size_limits(void)
{
    CHECK(kmalloc(0) == NULL, "kmalloc(0) returned memory");
    CHECK(kmalloc(SIZE_MAX - 8) == NULL, "an overflowing size was accepted");
    void *p = kzalloc(1000);
    CHECK(p, "kzalloc failed");
    for (int i = 0; i < 1000; i++)
        CHECK(((uint8_t *)p)[i] == 0, "kzalloc byte %d not zero", i);
    kfree(p);
    kfree(NULL);
    CHECK(pages_out == 0, "%ld pages not given back", pages_out);
    return 1;
}

/* Run fn, expecting a panic whose message contains want. */
/*
 * A fresh block never looks initialised: no two of its words are equal (two
 * uninitialised bounds once agreed by luck, issue 10), and a word read as a
 * pointer is non-canonical.
 */
static int fresh_blocks_are_poisoned_unequally(void)
{
    enum { WORDS = 16 };
    uint64_t *w = kmalloc(WORDS * sizeof *w);
    CHECK(w, "kmalloc failed");
    for (int i = 0; i < WORDS; i++) {
        uint64_t top = w[i] >> 47;
        CHECK(top != 0 && top != 0x1ffff, "word %d (%#lx) is a canonical address", i, (unsigned long)w[i]);
        for (int j = 0; j < i; j++)
            CHECK(w[i] != w[j], "words %d and %d are equal (%#lx)", j, i, (unsigned long)w[i]);
    }
    kfree(w);
    return 1;
}

static int expect_panic(void (*fn)(void), const char *want)
{
    panic_message[0] = '\0';
    if (setjmp(panic_jump) == 0) {
        fn();
        CHECK(0, "no panic; expected one saying \"%s\"", want);
    }
    CHECK(strstr(panic_message, want), "panic said \"%s\", expected \"%s\"", panic_message, want);
    return 1;
}

/* A second object keeps the slab alive: a slab emptied by the first free goes back to the pages. */
static void double_free(void)   { void *keep = kmalloc(24), *p = kmalloc(24); kfree(p); kfree(p); kfree(keep); }
static void foreign_free(void)  { static uint64_t not_heap[8] = { 0 }; kfree(&not_heap[4]); }
static void overrun_small(void) { char *p = kmalloc(40); p[40] = 1; kfree(p); }
static void overrun_large(void) { char *p = kmalloc(3 * PAGE_SIZE); p[3 * PAGE_SIZE] = 1; kfree(p); }

static int errors_are_caught(void)
{
    return expect_panic(double_free, "double free") &&
           expect_panic(foreign_free, "not allocated by kmalloc") &&
           expect_panic(overrun_small, "overrun") &&
           expect_panic(overrun_large, "overrun");
}

int main(void)
{
    RUN(random_operations_do_not_overlap);
    RUN(size_limits);
    RUN(fresh_blocks_are_poisoned_unequally);
    RUN(errors_are_caught);
    return failures != 0;
}
