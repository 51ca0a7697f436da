/* store: owns every object made in it (blocks with a drop hook, freed newest first),
   plus host functions and globals made directly by the embedder. */
#include "recovery.h"
#include "store.h"

typedef struct rt_obj {
    void (*drop)(void *obj);
} __attribute__((aligned(16))) rt_obj;

rt_store *rt_store_new(rt_engine *e) {
    rt_store *st = tb_calloc(1, sizeof *st);
    if (!st) return NULL;
    st->engine = e;
    st->exec.max_depth = rt_engine_config(e)->max_call_depth;
    st->epoch = rt_engine_epoch_ptr(e);
    st->epoch_deadline = 0; /* as in wasmtime: set a deadline before running */
    return st;
}

void rt_store_set_limits(rt_store *st, const rt_limits *l) { st->limits = *l; }

void rt_store_set_fuel(rt_store *st, uint64_t fuel) {
    st->fuel = fuel > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)fuel;
}
uint64_t rt_store_get_fuel(const rt_store *st) { return st->fuel > 0 ? (uint64_t)st->fuel : 0; }

void rt_store_set_epoch_deadline(rt_store *st, uint64_t delta) {
    uint64_t now = atomic_load_explicit(st->epoch, memory_order_relaxed);
    st->epoch_deadline = delta > UINT64_MAX - now ? UINT64_MAX : now + delta;
}

void rt_store_free(rt_store *st) {
    if (!st) return;
    for (uint32_t i = st->owned.len; i-- > 0;) {
        rt_obj *o = st->owned.v[i];
        if (o->drop) o->drop(o + 1);
        tb_free(o);
    }
    tb_vec_free(&st->owned);
    rt_exec_free(st->engine, &st->exec);
    tb_free(st);
}

void *rt_store_alloc(rt_store *st, size_t size, void (*drop)(void *obj)) {
    if (!tb_vec_reserve(&st->owned, st->owned.len + 1)) return NULL;
    rt_obj *o = tb_calloc(1, sizeof *o + size);
    if (!o) return NULL;
    o->drop = drop;
    st->owned.v[st->owned.len++] = o;
    return o + 1;
}

rt_global *rt_global_new(rt_store *st, const tw_globaltype *type, const uint64_t val[2],
                         tb_error *err) {
    rt_global *g = rt_store_alloc(st, sizeof *g, NULL);
    if (!g) { tb_oom(err); return NULL; }
    g->type = *type;
    g->val[0] = val[0];
    g->val[1] = val[1];
    return g;
}

rt_func *rt_func_new_host(rt_store *st, const rt_sig *sig, rt_host_fn fn, void *env,
                          tb_error *err) {
    if (!sig) { tb_oom(err); return NULL; } /* the caller's interning failed */
    rt_func *f = rt_store_alloc(st, sizeof *f, NULL);
    if (!f) { tb_oom(err); return NULL; }
    f->sig = sig;
    f->host = fn;
    f->host_env = env;
    return f;
}
