/*
 * qsort: quicksort with a median-of-three pivot, insertion sort for short
 * runs, and recursion only into the smaller side (stack depth O(log n)).
 * Elements are swapped in chunks through a small buffer, not byte by byte.
 * bsearch: binary search.
 */
#include <stdlib.h>
#include <string.h>

#define SWAP_CHUNK      64
#define INSERTION_LIMIT 8       /* runs this short are insertion-sorted */

typedef int (*compare_fn)(const void *, const void *);

static void swap(char *a, char *b, size_t size)
{
    char tmp[SWAP_CHUNK];
    while (size > 0) {
        size_t n = size < SWAP_CHUNK ? size : SWAP_CHUNK;
        memcpy(tmp, a, n);
        memcpy(a, b, n);
        memcpy(b, tmp, n);
        a += n, b += n, size -= n;
    }
}

static void insertion_sort(char *base, size_t count, size_t size, compare_fn compare)
{
    for (size_t i = 1; i < count; i++)
        for (char *p = base + i * size; p > base && compare(p - size, p) > 0; p -= size)
            swap(p - size, p, size);
}

/* Put the median of first, middle and last at the first position. */
static void choose_pivot(char *base, size_t count, size_t size, compare_fn compare)
{
    char *mid = base + count / 2 * size, *last = base + (count - 1) * size;
    if (compare(mid, base) < 0)
        swap(mid, base, size);
    if (compare(last, mid) < 0) {
        swap(last, mid, size);
        if (compare(mid, base) < 0)
            swap(mid, base, size);
    }
    swap(base, mid, size);
}

/* Hoare partition around the pivot at base; returns the pivot's final index. */
static size_t partition(char *base, size_t count, size_t size, compare_fn compare)
{
    size_t i = 0, j = count;
    for (;;) {
        do i++; while (i < count && compare(base + i * size, base) < 0);
        do j--; while (compare(base + j * size, base) > 0);
        if (i >= j)
            break;
        swap(base + i * size, base + j * size, size);
    }
    swap(base, base + j * size, size);
    return j;
}

void qsort(void *array, size_t count, size_t size, compare_fn compare)
{
    char *base = array;
    while (count > INSERTION_LIMIT) {
        choose_pivot(base, count, size, compare);
        size_t p = partition(base, count, size, compare);
        size_t right = count - p - 1;
        if (p < right) {
            qsort(base, p, size, compare);
            base += (p + 1) * size;
            count = right;
        } else {
            qsort(base + (p + 1) * size, right, size, compare);
            count = p;
        }
    }
    insertion_sort(base, count, size, compare);
}

void *bsearch(const void *key, const void *array, size_t count, size_t size, compare_fn compare)
{
    const char *base = array;
    while (count > 0) {
        const char *mid = base + count / 2 * size;
        int c = compare(key, mid);
        if (c == 0)
            return (void *)mid;
        if (c > 0) {
            base = mid + size;
            count -= count / 2 + 1;
        } else {
            count /= 2;
        }
    }
    return NULL;
}
