/*
 * Intrusive AVL trees.  See kernel/include/kernel/avl.h for the contract.
 *
 * The invariant: at every node the heights of the two subtrees differ by
 * at most one, so a tree of n nodes is at most 1.44 log2(n) high.  After
 * an insertion or a removal the path from the change to the root is
 * walked once; a node found out of balance is fixed by one rotation, or
 * two (a left-right or right-left case), which also brings the heights
 * and summaries of the nodes they move up to date.
 */
#include <kernel/avl.h>

static int height(const struct avl_node *n)
{
    return n ? n->height : 0;
}

/* Recompute n's height and summary from its children's. */
static void update(struct avl_tree *t, struct avl_node *n)
{
    int l = height(n->left), r = height(n->right);
    n->height = 1 + (l > r ? l : r);
    if (t->augment)
        t->augment(n);
}

/* Put child where old was under parent (parent NULL: at the root). */
static void replace_child(struct avl_tree *t, struct avl_node *parent, struct avl_node *old,
                          struct avl_node *child)
{
    if (!parent)
        t->root = child;
    else if (parent->left == old)
        parent->left = child;
    else
        parent->right = child;
    if (child)
        child->parent = parent;
}

/* Rotate x's child on side up into x's place (x goes down on the other side); returns that child. */
static struct avl_node *rotate(struct avl_tree *t, struct avl_node *x, int up)
{
    struct avl_node *y = x->child[up];
    x->child[up] = y->child[!up];
    if (x->child[up])
        x->child[up]->parent = x;
    replace_child(t, x->parent, x, y);
    y->child[!up] = x;
    x->parent = y;
    update(t, x);
    update(t, y);
    return y;
}

/* Restore the balance at n, whose subtrees are balanced; returns the subtree's new root. */
static struct avl_node *rebalance(struct avl_tree *t, struct avl_node *n)
{
    int balance = height(n->left) - height(n->right);
    if (balance < -1 || balance > 1) {
        int heavy = balance < 0 ? AVL_RIGHT : AVL_LEFT;
        struct avl_node *c = n->child[heavy];
        if (height(c->child[heavy]) < height(c->child[!heavy]))
            rotate(t, c, !heavy);           /* the left-right or right-left case: two rotations */
        return rotate(t, n, heavy);
    }
    update(t, n);
    return n;
}

/* Rebalance and update every node from n up to the root. */
static void fix_path(struct avl_tree *t, struct avl_node *n)
{
    while (n)
        n = rebalance(t, n)->parent;
}

/* The last node of n's subtree going down on side (AVL_LEFT: its first in order). */
static struct avl_node *extreme(struct avl_node *n, int side)
{
    while (n->child[side])
        n = n->child[side];
    return n;
}

static struct avl_node *leftmost(struct avl_node *n)
{
    return extreme(n, AVL_LEFT);
}

/* n's neighbour in order on side (AVL_RIGHT: its successor), or NULL. */
static struct avl_node *neighbour(const struct avl_node *n, int side)
{
    if (n->child[side])
        return extreme(n->child[side], !side);
    while (n->parent && n == n->parent->child[side])
        n = n->parent;
    return n->parent;
}

struct avl_node *avl_find_last(const struct avl_tree *t, const void *key, avl_before_fn before)
{
    struct avl_node *found = NULL;
    for (struct avl_node *n = t->root; n;) {
        if (before(key, n)) {
            n = n->left;
        } else {
            found = n;
            n = n->right;
        }
    }
    return found;
}

void avl_insert_after(struct avl_tree *t, struct avl_node *pos, struct avl_node *n)
{
    n->left = n->right = NULL;
    n->height = 1;
    if (!t->root) {
        n->parent = NULL;
        t->root = n;
    } else if (!pos) {
        n->parent = leftmost(t->root);      /* before everything */
        n->parent->left = n;
    } else if (!pos->right) {
        n->parent = pos;
        pos->right = n;
    } else {
        n->parent = leftmost(pos->right);   /* pos's successor has no left child */
        n->parent->left = n;
    }
    fix_path(t, n);
}

void avl_remove(struct avl_tree *t, struct avl_node *n)
{
    struct avl_node *fix_from;
    if (n->left && n->right) {
        /* n's successor s (no left child) takes n's place */
        struct avl_node *s = leftmost(n->right);
        fix_from = s;
        if (s->parent != n) {
            fix_from = s->parent;
            replace_child(t, s->parent, s, s->right);
            s->right = n->right;
            s->right->parent = s;
        }
        s->left = n->left;
        s->left->parent = s;
        replace_child(t, n->parent, n, s);
    } else {
        fix_from = n->parent;
        replace_child(t, n->parent, n, n->left ? n->left : n->right);
    }
    n->parent = n->left = n->right = NULL;
    fix_path(t, fix_from);
}

void avl_changed(struct avl_tree *t, struct avl_node *n)
{
    for (; n; n = n->parent)
        update(t, n);
}

struct avl_node *avl_first(const struct avl_tree *t)
{
    return t->root ? leftmost(t->root) : NULL;
}

struct avl_node *avl_last(const struct avl_tree *t)
{
    return t->root ? extreme(t->root, AVL_RIGHT) : NULL;
}

struct avl_node *avl_next(const struct avl_node *n)
{
    return neighbour(n, AVL_RIGHT);
}

struct avl_node *avl_prev(const struct avl_node *n)
{
    return neighbour(n, AVL_LEFT);
}

/* The first node of n's subtree in post-order: the deepest on the left-most path. */
static struct avl_node *deepest_first(struct avl_node *n)
{
    for (;;) {
        if (n->left)
            n = n->left;
        else if (n->right)
            n = n->right;
        else
            return n;
    }
}

struct avl_node *avl_first_postorder(const struct avl_tree *t)
{
    return t->root ? deepest_first(t->root) : NULL;
}

struct avl_node *avl_next_postorder(const struct avl_node *n)
{
    struct avl_node *p = n->parent;
    if (p && n == p->left && p->right)
        return deepest_first(p->right);
    return p;
}
