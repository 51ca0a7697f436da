/* pool: address-space reservations (memories, value stacks) kept by the engine for
   reuse, so instantiating and dropping stores does not pay for mmap/munmap and page
   table teardown each time (DESIGN: pooled slots, reset with madvise). */
#include <pthread.h>
#include <sys/mman.h>
#include "pool.h"

/* Without the pooling allocator: small on purpose, a pooled memory holds 8 GiB of
   address space; enough to cover a host that recycles a few stores at a time. With
   it, one of each kind per instance slot. */
#define RT_POOL_MIN 16u

typedef struct rt_pool_list {
    void **ptr;
    rt_slot_note *aux; /* the giver's note on each */
    uint32_t n;
} rt_pool_list;

struct rt_pool {
    pthread_mutex_t lock;             /* held for a push or pop only */
    uint32_t cap;
    rt_pool_list lists[RT_POOL_KINDS];
    size_t len[RT_POOL_KINDS];        /* mapping size of each kind */
};

rt_pool *rt_pool_new(uint32_t cap) {
    rt_pool *p = tb_calloc(1, sizeof *p);
    if (!p) return NULL;
    p->cap = cap > RT_POOL_MIN ? cap : RT_POOL_MIN;
    for (int k = 0; k < RT_POOL_KINDS; k++) {
        p->lists[k].ptr = tb_calloc(p->cap, sizeof(void *));
        p->lists[k].aux = tb_calloc(p->cap, sizeof(rt_slot_note));
        if (!p->lists[k].ptr || !p->lists[k].aux) {
            for (int j = 0; j <= k; j++) { tb_free(p->lists[j].ptr); tb_free(p->lists[j].aux); }
            tb_free(p);
            return NULL;
        }
    }
    pthread_mutex_init(&p->lock, NULL);
    return p;
}

void rt_pool_free(rt_pool *p) {
    if (!p) return;
    for (int k = 0; k < RT_POOL_KINDS; k++)
        for (uint32_t i = 0; i < p->lists[k].n; i++) rt_pool_unmap(p->lists[k].ptr[i], p->len[k]);
    for (int k = 0; k < RT_POOL_KINDS; k++) { tb_free(p->lists[k].ptr); tb_free(p->lists[k].aux); }
    pthread_mutex_destroy(&p->lock);
    tb_free(p);
}

void rt_pool_unmap(void *base, size_t len) {
    rt_region_remove(base);
    munmap(base, len);
}

void *rt_pool_take(rt_pool *p, rt_pool_kind k, rt_slot_note *aux) {
    if (!p) return NULL;
    void *r = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->lists[k].n) {
        uint32_t i = --p->lists[k].n;
        r = p->lists[k].ptr[i];
        if (aux) *aux = p->lists[k].aux[i];
    }
    pthread_mutex_unlock(&p->lock);
    return r;
}

bool rt_pool_give(rt_pool *p, rt_pool_kind k, void *base, size_t len, const rt_slot_note *aux) {
    if (!p) return false;
    bool kept = false;
    pthread_mutex_lock(&p->lock);
    if (p->lists[k].n < p->cap && (!p->lists[k].n || p->len[k] == len)) {
        p->lists[k].aux[p->lists[k].n] = aux ? *aux : (rt_slot_note){0};
        p->lists[k].ptr[p->lists[k].n++] = base;
        p->len[k] = len;
        kept = true;
    }
    pthread_mutex_unlock(&p->lock);
    return kept;
}
