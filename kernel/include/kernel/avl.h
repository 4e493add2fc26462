/*
 * Intrusive AVL trees: an ordered set with O(log n) insert, remove and
 * search, and in-order neighbours through parent pointers.  A struct
 * avl_node sits inside each element (container_of gets the element back).
 *
 * The tree does not know the elements' keys: the caller says how a key
 * compares with an element (avl_find_last), and inserts next to an element
 * it already knows (avl_insert_after), as with Linux's rbtree.
 *
 * Augmenting: an optional callback recomputes whatever summary an element
 * keeps of its subtree (a maximum, a count, ...) from its own fields and
 * its children's summaries.  The tree calls it bottom-up on every node
 * whose subtree changed; avl_changed does so after the caller changed an
 * element's own fields.  Every operation touches only the path to the root.
 *
 * No locking: the owner of the tree serialises its users.
 */
#ifndef KERNEL_AVL_H
#define KERNEL_AVL_H

#include <stdbool.h>
#include <stddef.h>

enum { AVL_LEFT, AVL_RIGHT };

struct avl_node {
    struct avl_node *parent;
    union {
        struct { struct avl_node *left, *right; };
        struct avl_node *child[2];      /* [AVL_LEFT], [AVL_RIGHT]: for code written once for both sides */
    };
    int height;                 /* of the subtree rooted here: a leaf is 1 */
};

typedef void (*avl_augment_fn)(struct avl_node *n);

/* Does key come before node n in the tree's order? */
typedef bool (*avl_before_fn)(const void *key, const struct avl_node *n);

struct avl_tree {
    struct avl_node *root;
    avl_augment_fn augment;     /* NULL: no summaries */
};

static inline void avl_init(struct avl_tree *t, avl_augment_fn augment)
{
    t->root = NULL;
    t->augment = augment;
}

/* The last node that key does not come before (the greatest <= key), or NULL. O(log n). */
struct avl_node *avl_find_last(const struct avl_tree *t, const void *key, avl_before_fn before);

/* Insert n right after pos in the order (pos NULL: first). */
void avl_insert_after(struct avl_tree *t, struct avl_node *pos, struct avl_node *n);

/* Take n out of t. */
void avl_remove(struct avl_tree *t, struct avl_node *n);

/* n's fields changed without changing its place in the order: recompute the summaries up to the root. */
void avl_changed(struct avl_tree *t, struct avl_node *n);

/* The first and last nodes, and in-order neighbours: NULL at the ends.  O(1) amortised. */
struct avl_node *avl_first(const struct avl_tree *t);
struct avl_node *avl_last(const struct avl_tree *t);
struct avl_node *avl_next(const struct avl_node *n);
struct avl_node *avl_prev(const struct avl_node *n);

/*
 * Post-order (children before parents), for tearing a tree down: a node
 * may be freed once its successor is known, and the tree is left invalid.
 */
struct avl_node *avl_first_postorder(const struct avl_tree *t);
struct avl_node *avl_next_postorder(const struct avl_node *n);

#endif
