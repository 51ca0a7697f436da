/* binarytrees: allocation-heavy: builds and walks many perfect binary trees with
 * malloc/free (a long-lived tree plus many short-lived ones of growing depth).
 * Exercises the allocator, pointer chasing and recursion. scale = maximum depth. */
#include <stdlib.h>
#include "common.h"

typedef struct node {
    struct node *left, *right;
    uint32_t value;
} node;

static int oom;

static node *build(int depth, uint32_t value) {
    node *n = malloc(sizeof *n);
    if (!n) {
        oom = 1;
        return NULL;
    }
    n->value = value;
    if (depth > 0) {
        n->left = build(depth - 1, value * 2u);
        n->right = build(depth - 1, value * 2u + 1u);
    } else {
        n->left = n->right = NULL;
    }
    return n;
}

/* Returns the node count and folds the values into *h in depth-first order. */
static uint32_t walk(const node *n, uint32_t *h) {
    if (!n)
        return 0;
    *h = *h * 31u + n->value;
    return 1u + walk(n->left, h) + walk(n->right, h);
}

static void release(node *n) {
    if (!n)
        return;
    release(n->left);
    release(n->right);
    free(n);
}

int run(int scale) {
    int max_depth = scale < 6 ? 6 : scale;
    uint32_t h = BENCH_HASH_INIT;
    node *long_lived = build(max_depth, 1);
    for (int depth = 4; depth <= max_depth; depth += 2) {
        int iterations = 1 << (max_depth - depth + 4);
        uint32_t total = 0;
        for (int i = 0; i < iterations; i++) {
            node *t = build(depth, (uint32_t)i);
            total += walk(t, &h);
            release(t);
        }
        if (total != (uint32_t)iterations * ((1u << (depth + 1)) - 1u))
            return -1;
        h = bench_mix(h, total);
    }
    uint32_t count = walk(long_lived, &h);
    release(long_lived);
    if (oom || count != (1u << (max_depth + 1)) - 1u)
        return -1;
    return (int)bench_mix(h, count);
}
