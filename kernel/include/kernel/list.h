/*
 * Intrusive circular doubly linked lists (a struct list_node inside each
 * element; the head is a node of its own).  O(1) insert and remove.
 */
#ifndef KERNEL_LIST_H
#define KERNEL_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
    struct list_node *next, *prev;
};

#define LIST_INIT(head) { &(head), &(head) }

static inline void list_init(struct list_node *head) { head->next = head->prev = head; }
static inline bool list_empty(const struct list_node *head) { return head->next == head; }

static inline void list_insert_between(struct list_node *n, struct list_node *prev,
                                       struct list_node *next)
{
    n->prev = prev;
    n->next = next;
    prev->next = n;
    next->prev = n;
}

static inline void list_push_back(struct list_node *head, struct list_node *n)
{
    list_insert_between(n, head->prev, head);
}

static inline void list_push_front(struct list_node *head, struct list_node *n)
{
    list_insert_between(n, head, head->next);
}

/* Insert n just before pos (pos may be the head: then at the back). */
static inline void list_insert_before(struct list_node *pos, struct list_node *n)
{
    list_insert_between(n, pos->prev, pos);
}

static inline void list_remove(struct list_node *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = n;
}

/* Move every node of list src to the front of list dst, in order; src ends empty. */
static inline void list_splice_front(struct list_node *dst, struct list_node *src)
{
    if (list_empty(src))
        return;
    struct list_node *first = src->next, *last = src->prev;
    last->next = dst->next;
    dst->next->prev = last;
    dst->next = first;
    first->prev = dst;
    list_init(src);
}

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

#define list_first(head, type, member) \
    (list_empty(head) ? NULL : container_of((head)->next, type, member))

#define list_for_each(pos, head) \
    for (struct list_node *pos = (head)->next; pos != (head); pos = pos->next)

/* Safe against removal of pos while iterating. */
#define list_for_each_safe(pos, tmp, head) \
    for (struct list_node *pos = (head)->next, *tmp = pos->next; pos != (head); \
         pos = tmp, tmp = pos->next)

#endif
