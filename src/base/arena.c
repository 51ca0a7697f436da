/* arena: bump allocation in blocks, freed all at once. */
#include "base.h"

struct tb_arena_block {
    tb_arena_block *next;
    size_t size;
    _Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK 16384

void tb_arena_init(tb_arena *a) { *a = (tb_arena){0}; }

void *tb_arena_alloc_raw(tb_arena *a, size_t size) {
    size = (size + 15) & ~(size_t)15;
    if (!a->head || a->used + size > a->cap) {
        size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        tb_arena_block *b = tb_malloc(sizeof(*b) + cap);
        if (!b) return NULL;
        b->next = a->head;
        b->size = cap;
        a->head = b;
        a->used = 0;
        a->cap = cap;
    }
    void *p = a->head->data + a->used;
    a->used += size;
    return p;
}

void *tb_arena_alloc(tb_arena *a, size_t size) {
    void *p = tb_arena_alloc_raw(a, size);
    if (p) memset(p, 0, size);
    return p;
}

void tb_arena_free(tb_arena *a) {
    for (tb_arena_block *b = a->head, *n; b; b = n) {
        n = b->next;
        tb_free(b);
    }
    *a = (tb_arena){0};
}
