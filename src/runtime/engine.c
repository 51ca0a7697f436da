/* engine: configuration and the signature interner shared by every store and thread
   (equal function types -> the same rt_sig pointer, so call_indirect compares pointers). */
#include <pthread.h>
#include "../base/limits.h"
#include "pool.h"
#include "store.h"

struct rt_engine {
    rt_config cfg;
    pthread_mutex_t lock;      /* guards the interner */
    const rt_sig **sigs;       /* open addressing, power-of-two capacity */
    uint32_t nsigs, cap;
    rt_pool *pool;             /* reservations for reuse; NULL: none kept */
    _Atomic uint64_t epoch;    /* epoch interruption: incremented by any thread */
    _Atomic uint32_t live;     /* pooling: instances holding a slot */
};

static void pool_defaults(rt_config *c) {
    if (!c->pool_instances) return;
    if (c->pool_instances > RT_POOL_MAX_INSTANCES) c->pool_instances = RT_POOL_MAX_INSTANCES;
    if (!c->pool_memory_pages) c->pool_memory_pages = RT_POOL_DEFAULT_MEMORY_PAGES;
    if (c->pool_memory_pages > TB_MAX_PAGES) c->pool_memory_pages = TB_MAX_PAGES;
    if (!c->pool_table_elems) c->pool_table_elems = RT_POOL_DEFAULT_TABLE_ELEMS;
}

rt_engine *rt_engine_new(const rt_config *cfg) {
    rt_engine *e = tb_calloc(1, sizeof *e);
    if (!e) return NULL;
    if (cfg) e->cfg = *cfg;
    if (!e->cfg.max_call_depth) e->cfg.max_call_depth = TB_MAX_CALL_DEPTH;
    pool_defaults(&e->cfg);
    pthread_mutex_init(&e->lock, NULL);
    /* optional: without it every store maps afresh */
    e->pool = rt_pool_new(e->cfg.pool_instances);
    return e;
}

void rt_engine_free(rt_engine *e) {
    if (!e) return;
    for (uint32_t i = 0; i < e->cap; i++) tb_free((void *)e->sigs[i]);
    tb_free(e->sigs);
    rt_pool_free(e->pool);
    pthread_mutex_destroy(&e->lock);
    tb_free(e);
}

const rt_config *rt_engine_config(const rt_engine *e) { return &e->cfg; }
rt_pool *rt_engine_pool(rt_engine *e) { return e->pool; }

void rt_engine_increment_epoch(rt_engine *e) {
    atomic_fetch_add_explicit(&e->epoch, 1, memory_order_relaxed);
}
uint64_t rt_engine_epoch(const rt_engine *e) {
    return atomic_load_explicit(&e->epoch, memory_order_relaxed);
}
const _Atomic uint64_t *rt_engine_epoch_ptr(const rt_engine *e) { return &e->epoch; }

/* One atomic add: threads instantiating in parallel share no lock here. */
bool rt_engine_take_slot(rt_engine *e) {
    if (!e->cfg.pool_instances) return true;
    if (atomic_fetch_add_explicit(&e->live, 1, memory_order_relaxed) < e->cfg.pool_instances)
        return true;
    atomic_fetch_sub_explicit(&e->live, 1, memory_order_relaxed);
    return false;
}
void rt_engine_give_slot(rt_engine *e) {
    if (e->cfg.pool_instances) atomic_fetch_sub_explicit(&e->live, 1, memory_order_relaxed);
}

static uint64_t sig_hash(const tw_functype *t) {
    uint64_t h = tb_hash(&t->nparams, sizeof t->nparams, 0x5157);
    h = tb_hash(t->params, t->nparams, h);
    h = tb_hash(&t->nresults, sizeof t->nresults, h);
    return tb_hash(t->results, t->nresults, h);
}

static uint32_t count_slots(const tw_valtype *v, uint32_t n) {
    uint32_t s = 0;
    for (uint32_t i = 0; i < n; i++) s += tw_slots(v[i]);
    return s;
}

/* One block: the rt_sig followed by its params and results. */
static rt_sig *sig_copy(const tw_functype *t) {
    rt_sig *s = tb_malloc(sizeof *s + t->nparams + t->nresults);
    if (!s) return NULL;
    tw_valtype *v = (tw_valtype *)(s + 1);
    if (t->nparams) memcpy(v, t->params, t->nparams);
    if (t->nresults) memcpy(v + t->nparams, t->results, t->nresults);
    s->type = (tw_functype){t->nparams, t->nresults, v, v + t->nparams};
    s->param_slots = count_slots(t->params, t->nparams);
    s->result_slots = count_slots(t->results, t->nresults);
    return s;
}

static bool rehash(rt_engine *e) {
    uint32_t ncap = e->cap ? e->cap * 2 : 64;
    const rt_sig **n = tb_calloc(ncap, sizeof *n);
    if (!n) return false;
    for (uint32_t i = 0; i < e->cap; i++) {
        if (!e->sigs[i]) continue;
        uint32_t j = (uint32_t)sig_hash(&e->sigs[i]->type) & (ncap - 1);
        while (n[j]) j = (j + 1) & (ncap - 1);
        n[j] = e->sigs[i];
    }
    tb_free(e->sigs);
    e->sigs = n;
    e->cap = ncap;
    return true;
}

/* The slot holding t, or the empty slot where it belongs. */
static uint32_t probe(const rt_engine *e, const tw_functype *t) {
    uint32_t j = (uint32_t)sig_hash(t) & (e->cap - 1);
    while (e->sigs[j] && !tw_functype_eq(&e->sigs[j]->type, t)) j = (j + 1) & (e->cap - 1);
    return j;
}

static const rt_sig *intern_locked(rt_engine *e, const tw_functype *t) {
    if (e->cap) { /* look up before growing: finding an interned type never fails */
        const rt_sig *found = e->sigs[probe(e, t)];
        if (found) return found;
    }
    if ((e->nsigs + 1) * 4 > e->cap * 3 && !rehash(e)) return NULL;
    uint32_t j = probe(e, t);
    rt_sig *s = sig_copy(t);
    if (!s) return NULL;
    e->sigs[j] = s;
    e->nsigs++;
    return s;
}

/* NULL only when out of memory. */
const rt_sig *rt_engine_intern_sig(rt_engine *e, const tw_functype *t) {
    pthread_mutex_lock(&e->lock);
    const rt_sig *s = intern_locked(e, t);
    pthread_mutex_unlock(&e->lock);
    return s;
}
