/* externs: the public handles for functions, memories, tables and globals (one
   store-owned wrapper per runtime object), and the memory/table/global API. */
#include "api.h"

taho_func *api_func(taho_store *s, rt_func *f) {
    if (f->api) return f->api;
    const tw_functype *t = &f->sig->type;
    size_t n = (size_t)t->nparams + t->nresults;
    taho_func *w = rt_store_alloc(s->rt, sizeof *w + n * sizeof(taho_valkind), NULL);
    if (!w) return NULL;
    w->rf = f;
    w->store = s;
    w->kinds = (taho_valkind *)(w + 1);
    for (uint32_t i = 0; i < t->nparams; i++) w->kinds[i] = api_type_to_kind(t->params[i]);
    for (uint32_t i = 0; i < t->nresults; i++)
        w->kinds[t->nparams + i] = api_type_to_kind(t->results[i]);
    w->type = (taho_functype){t->nparams, t->nresults, w->kinds, w->kinds + t->nparams};
    f->api = w;
    return w;
}

#define WRAPPER(fn, T, RT, field)                                   \
    T *fn(taho_store *s, RT *x) {                                   \
        if (x->api) return x->api;                                  \
        T *w = rt_store_alloc(s->rt, sizeof *w, NULL);              \
        if (!w) return NULL;                                        \
        w->field = x;                                               \
        w->store = s;                                               \
        x->api = w;                                                 \
        return w;                                                   \
    }
WRAPPER(api_memory, taho_memory, rt_memory, rm)
WRAPPER(api_table, taho_table, rt_table, rt)
WRAPPER(api_global, taho_global, rt_global, rg)

bool api_extern_from_rt(taho_store *s, const rt_extern *x, taho_extern *out) {
    out->kind = (taho_externkind)x->kind;
    switch (x->kind) {
    case TW_EXTERN_FUNC: return (out->of.func = api_func(s, x->u.func)) != NULL;
    case TW_EXTERN_TABLE: return (out->of.table = api_table(s, x->u.table)) != NULL;
    case TW_EXTERN_MEMORY: return (out->of.memory = api_memory(s, x->u.mem)) != NULL;
    case TW_EXTERN_GLOBAL: return (out->of.global = api_global(s, x->u.global)) != NULL;
    }
    return false;
}

bool api_extern_to_rt(const taho_extern *x, rt_extern *out) {
    out->kind = (tw_externkind)x->kind;
    switch (x->kind) {
    case TAHO_EXTERN_FUNC: return x->of.func && (out->u.func = x->of.func->rf);
    case TAHO_EXTERN_TABLE: return x->of.table && (out->u.table = x->of.table->rt);
    case TAHO_EXTERN_MEMORY: return x->of.memory && (out->u.mem = x->of.memory->rm);
    case TAHO_EXTERN_GLOBAL: return x->of.global && (out->u.global = x->of.global->rg);
    }
    return false;
}

taho_functype taho_func_type(const taho_func *f) { return f->type; }

/* ---- memories ---- */

taho_memory *taho_memory_new(taho_store *s, uint32_t min_pages, uint32_t max_pages,
                             bool has_max) {
    if (!s) return NULL;
    tw_memtype t = {.lim = {min_pages, has_max ? max_pages : 0, has_max}};
    rt_memory *m = rt_memory_new(s->rt, &t, NULL);
    return m ? api_memory(s, m) : NULL;
}

uint8_t *taho_memory_data(const taho_memory *m) { return m->rm->base; }
size_t taho_memory_size(const taho_memory *m) { return (size_t)m->rm->size; }
int64_t taho_memory_grow(taho_memory *m, uint32_t delta) { return rt_memory_grow(m->rm, delta); }

/* ---- tables ---- */

static bool is_ref_kind(taho_valkind k) { return k == TAHO_FUNCREF || k == TAHO_EXTERNREF; }

taho_table *taho_table_new(taho_store *s, taho_valkind elem, uint32_t min, uint32_t max,
                           bool has_max, taho_val init) {
    if (!s || !is_ref_kind(elem) || init.kind != elem || (has_max && max < min)) return NULL;
    tw_tabletype t = {.lim = {min, has_max ? max : 0, has_max}};
    api_kind_to_type(elem, &t.elem);
    rt_table *rt = rt_table_new(s->rt, &t, api_ref_of(&init), NULL);
    return rt ? api_table(s, rt) : NULL;
}

uint32_t taho_table_size(const taho_table *t) { return t->rt->size; }

bool taho_table_get(const taho_table *t, uint32_t i, taho_val *out) {
    if (i >= t->rt->size) return false;
    uint64_t slot = (uint64_t)(uintptr_t)t->rt->elems[i];
    *out = api_val_from_slots(t->store, t->rt->type, &slot);
    return true;
}

bool taho_table_set(taho_table *t, uint32_t i, taho_val v) {
    uint64_t slot;
    if (!api_val_to_slots(&v, t->rt->type, &slot)) return false;
    return rt_table_set(t->rt, i, (rt_ref)(uintptr_t)slot) == RT_TRAP_NONE;
}

int64_t taho_table_grow(taho_table *t, uint32_t delta, taho_val init) {
    uint64_t slot;
    if (!api_val_to_slots(&init, t->rt->type, &slot)) return -1;
    return rt_table_grow(t->rt, delta, (rt_ref)(uintptr_t)slot);
}

/* ---- globals ---- */

taho_global *taho_global_new(taho_store *s, taho_val v, bool mutable_) {
    tw_globaltype t = {.mut = mutable_};
    uint64_t val[2] = {0, 0};
    if (!s || !api_kind_to_type(v.kind, &t.type) || !api_val_to_slots(&v, t.type, val))
        return NULL;
    rt_global *g = rt_global_new(s->rt, &t, val, NULL);
    return g ? api_global(s, g) : NULL;
}

taho_val taho_global_get(const taho_global *g) {
    return api_val_from_slots(g->store, g->rg->type.type, g->rg->val);
}

bool taho_global_set(taho_global *g, taho_val v) {
    uint64_t val[2] = {0, 0};
    if (!g->rg->type.mut || !api_val_to_slots(&v, g->rg->type.type, val)) return false;
    g->rg->val[0] = val[0];
    g->rg->val[1] = val[1];
    return true;
}
