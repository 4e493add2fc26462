/*
 * The AVL tree (kernel/avl.c) on the host, under ASan and UBSan: random
 * inserts, removals, lookups and changes against a reference model (an
 * array indexed by key), with every invariant checked as it goes: parent
 * links, exact heights, balance, order both ways, and the summaries the
 * augment callback keeps.  Then the shapes the kernel builds most: in-order
 * appends (fork) and prepends, and a post-order teardown.
 */
#include <kernel/avl.h>
#include <kernel/list.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include "check.h"

#define KEY_RANGE       600     /* small, so inserts and removals collide often */
#define OPERATIONS      200000
#define CHECK_EVERY     7       /* operations between full checks (each is O(n)) */
#define SEQUENTIAL      100000  /* nodes of the append and prepend tests */
#define AVL_HEIGHT_FACTOR 1.4405 /* an AVL tree of n nodes is below 1.4405 log2(n + 2) high */

struct item {
    struct avl_node node;
    int key;
    long value;
    long sub_sum;               /* summary: the values of the subtree */
    int sub_count;              /* summary: the nodes of the subtree */
    bool visited;
};

static struct item *item_of(const struct avl_node *n)
{
    return n ? container_of(n, struct item, node) : NULL;
}

static void augment(struct avl_node *n)
{
    struct item *it = item_of(n), *l = item_of(n->left), *r = item_of(n->right);
    it->sub_sum = it->value + (l ? l->sub_sum : 0) + (r ? r->sub_sum : 0);
    it->sub_count = 1 + (l ? l->sub_count : 0) + (r ? r->sub_count : 0);
}

/* The model: present[k] says whether key k is in the tree, values[k] its value. */
static bool present[KEY_RANGE];
static long values[KEY_RANGE];
static struct avl_tree tree;

static bool key_before(const void *key, const struct avl_node *n)
{
    return *(const int *)key < item_of(n)->key;
}

/* The last node with key <= k; NULL if none. */
static struct item *floor_of(int k)
{
    return item_of(avl_find_last(&tree, &k, key_before));
}

/* Check the subtree at n below parent; its height, or -1 with why set. */
static int check_subtree(const struct avl_node *n, const struct avl_node *parent, int lo, int hi)
{
    if (!n)
        return 0;
    const struct item *it = item_of(n);
    if (n->parent != parent || it->key < lo || it->key > hi) {
        snprintf(why, sizeof why, "key %d: wrong parent or out of order", it->key);
        return -1;
    }
    int l = check_subtree(n->left, n, lo, it->key - 1), r = check_subtree(n->right, n, it->key + 1, hi);
    if (l < 0 || r < 0)
        return -1;
    const struct item *li = item_of(n->left), *ri = item_of(n->right);
    long sum = it->value + (li ? li->sub_sum : 0) + (ri ? ri->sub_sum : 0);
    int count = 1 + (li ? li->sub_count : 0) + (ri ? ri->sub_count : 0);
    if (n->height != 1 + (l > r ? l : r) || abs(l - r) > 1 || it->sub_sum != sum || it->sub_count != count) {
        snprintf(why, sizeof why, "key %d: height %d (children %d, %d), sum %ld/%ld, count %d/%d",
                 it->key, n->height, l, r, it->sub_sum, sum, it->sub_count, count);
        return -1;
    }
    return n->height;
}

/* The whole tree against the model: shape, summaries, and order through next and prev. */
static int tree_matches_model(void)
{
    if (check_subtree(tree.root, NULL, 0, KEY_RANGE - 1) < 0)
        return 0;
    struct avl_node *n = avl_first(&tree);
    for (int k = 0; k < KEY_RANGE; k++) {
        if (!present[k])
            continue;
        CHECK(n && item_of(n)->key == k && item_of(n)->value == values[k], "forward walk: expected key %d",
              k);
        n = avl_next(n);
    }
    CHECK(!n, "forward walk: key %d after the last", item_of(n)->key);
    n = avl_last(&tree);
    for (int k = KEY_RANGE - 1; k >= 0; k--) {
        if (!present[k])
            continue;
        CHECK(n && item_of(n)->key == k, "backward walk: expected key %d", k);
        n = avl_prev(n);
    }
    CHECK(!n, "backward walk: key %d before the first", item_of(n)->key);
    return 1;
}

/* One random operation on key k; 0 with why set if the tree disagrees with the model. */
static int random_operation(int op, int k)
{
    struct item *f = floor_of(k);
    bool found = f && f->key == k;
    CHECK(found == present[k], "op %d: lookup of %d says %d", op, k, found);
    if (!found) {
        struct item *it = calloc(1, sizeof *it);
        CHECK(it, "calloc");
        it->key = k;
        it->value = values[k] = rand() % 1000;
        avl_insert_after(&tree, f ? &f->node : NULL, &it->node);
        present[k] = true;
    } else if (rand() % 3 == 0) {
        f->value = values[k] = rand() % 1000;
        avl_changed(&tree, &f->node);
    } else {
        avl_remove(&tree, &f->node);
        free(f);
        present[k] = false;
    }
    return 1;
}

/*
 * Walk the tree in post-order twice: once checking that children come
 * before their parent, once freeing each node as soon as its successor is
 * known (as vm_destroy does: ASan sees any later use of a freed node).
 */
static int teardown(int expected)
{
    int seen = 0;
    for (struct avl_node *n = avl_first_postorder(&tree); n; n = avl_next_postorder(n), seen++) {
        CHECK((!n->left || item_of(n->left)->visited) && (!n->right || item_of(n->right)->visited),
              "post-order: key %d before a child", item_of(n)->key);
        item_of(n)->visited = true;
    }
    CHECK(seen == expected, "post-order visited %d of %d", seen, expected);
    struct avl_node *next;
    for (struct avl_node *n = avl_first_postorder(&tree); n; n = next) {
        next = avl_next_postorder(n);
        free(item_of(n));
    }
    tree.root = NULL;
    return 1;
}

static int random_operations_match_model(void)
{
    srand(1);
    avl_init(&tree, augment);
    int count = 0;
    for (int op = 0; op < OPERATIONS; op++) {
        if (!random_operation(op, rand() % KEY_RANGE))
            return 0;
        if (op % CHECK_EVERY == 0 && !tree_matches_model())
            return 0;
    }
    if (!tree_matches_model())
        return 0;
    for (int k = 0; k < KEY_RANGE; k++)
        count += present[k];
    CHECK(count == (tree.root ? item_of(tree.root)->sub_count : 0), "root summary counts %d of %d",
          item_of(tree.root)->sub_count, count);
    return teardown(count);
}

/* n nodes inserted in order, each after the last (as fork copies areas) or before the first. */
static int build_in_order(bool append)
{
    avl_init(&tree, augment);
    struct avl_node *last = NULL;
    for (int i = 0; i < SEQUENTIAL; i++) {
        struct item *it = calloc(1, sizeof *it);
        CHECK(it, "calloc");
        it->key = append ? i : SEQUENTIAL - 1 - i;
        avl_insert_after(&tree, append ? last : NULL, &it->node);
        last = &it->node;
    }
    if (check_subtree(tree.root, NULL, 0, SEQUENTIAL - 1) <= 0)
        return 0;               /* why says what */
    double limit = AVL_HEIGHT_FACTOR * log2(SEQUENTIAL + 2);
    CHECK(tree.root->height < limit, "height %d for %d nodes", tree.root->height, SEQUENTIAL);
    int key = 0;
    for (struct avl_node *n = avl_first(&tree); n; n = avl_next(n), key++)
        CHECK(item_of(n)->key == key, "in-order walk: key %d where %d belongs", item_of(n)->key, key);
    return teardown(SEQUENTIAL);
}

static int in_order_appends_stay_balanced(void)
{
    return build_in_order(true);
}

static int prepends_stay_balanced(void)
{
    return build_in_order(false);
}

int main(void)
{
    RUN(random_operations_match_model);
    RUN(in_order_appends_stay_balanced);
    RUN(prepends_stay_balanced);
    return failures != 0;
}
