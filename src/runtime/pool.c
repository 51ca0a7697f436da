/* pool: address-space reservations (memories, value stacks) kept by the engine for
   reuse, so instantiating and dropping stores does not pay for mmap/munmap and page
   table teardown each time (DESIGN: pooled slots, reset with madvise). */
#include <pthread.h>
#include <sys/mman.h>
#include "pool.h"

/* Small on purpose: a pooled memory holds 8 GiB of address space, and enough to
   cover a host that recycles a few stores at a time. */
#define RT_POOL_MAX 16u

typedef struct rt_pool_list {
    void *ptr[RT_POOL_MAX];
    uint32_t n;
} rt_pool_list;

struct rt_pool {
    pthread_mutex_t lock;
    rt_pool_list lists[RT_POOL_KINDS];
    size_t len[RT_POOL_KINDS];        /* mapping size of each kind */
};

rt_pool *rt_pool_new(void) {
    rt_pool *p = tb_calloc(1, sizeof *p);
    if (!p) return NULL;
    pthread_mutex_init(&p->lock, NULL);
    return p;
}

void rt_pool_free(rt_pool *p) {
    if (!p) return;
    for (int k = 0; k < RT_POOL_KINDS; k++)
        for (uint32_t i = 0; i < p->lists[k].n; i++) rt_pool_unmap(p->lists[k].ptr[i], p->len[k]);
    pthread_mutex_destroy(&p->lock);
    tb_free(p);
}

void rt_pool_unmap(void *base, size_t len) {
    rt_region_remove(base);
    munmap(base, len);
}

void *rt_pool_take(rt_pool *p, rt_pool_kind k) {
    if (!p) return NULL;
    void *r = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->lists[k].n) r = p->lists[k].ptr[--p->lists[k].n];
    pthread_mutex_unlock(&p->lock);
    return r;
}

bool rt_pool_give(rt_pool *p, rt_pool_kind k, void *base, size_t len) {
    if (!p) return false;
    bool kept = false;
    pthread_mutex_lock(&p->lock);
    if (p->lists[k].n < RT_POOL_MAX) {
        p->lists[k].ptr[p->lists[k].n++] = base;
        p->len[k] = len;
        kept = true;
    }
    pthread_mutex_unlock(&p->lock);
    return kept;
}
