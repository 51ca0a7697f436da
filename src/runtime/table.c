/* table: tables of references (grow with limits, fill, copy, init) and element
   segment drop, for instantiation, the API and the tiers. */
#include "../base/limits.h"
#include "ops.h"
#include "store.h"

static void table_drop(void *obj) {
    rt_table *t = obj;
    tb_free(t->elems);
}

/* Elements a table of st may reach: the store's limit and the pool's, whichever is
   less (0: only TB_MAX_TABLE_ELEMS). */
static uint32_t table_limit(const rt_store *st) {
    uint32_t lim = st->limits.table_elems;
    const rt_config *c = rt_engine_config(st->engine);
    if (c->pool_instances && (!lim || c->pool_table_elems < lim)) lim = c->pool_table_elems;
    return lim;
}

rt_table *rt_table_new(rt_store *st, const tw_tabletype *type, rt_ref init, tb_error *err) {
    uint32_t limit = table_limit(st);
    if (type->lim.min > TB_MAX_TABLE_ELEMS || (limit && type->lim.min > limit)) {
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "table size %u exceeds the limit of %u elements",
                type->lim.min, limit && limit < TB_MAX_TABLE_ELEMS ? limit : TB_MAX_TABLE_ELEMS);
        return NULL;
    }
    rt_table *t = rt_store_alloc(st, sizeof *t, table_drop);
    if (!t) { tb_oom(err); return NULL; }
    if (type->lim.min) {
        t->elems = tb_calloc(type->lim.min, sizeof(rt_ref)); /* null refs are NULL */
        if (!t->elems) { tb_oom(err); return NULL; }
        if (init)
            for (uint32_t i = 0; i < type->lim.min; i++) t->elems[i] = init;
    }
    t->size = type->lim.min;
    t->limit = limit;
    t->max = type->lim.has_max ? type->lim.max : 0;
    t->has_max = type->lim.has_max;
    t->type = type->elem;
    return t;
}

tw_tabletype rt_table_type(const rt_table *t) {
    return (tw_tabletype){.elem = t->type, .lim = {t->size, t->max, t->has_max}};
}

int32_t rt_table_grow(rt_table *t, uint32_t delta, rt_ref init) {
    uint64_t old = t->size, want = old + delta;
    uint64_t limit = t->has_max && t->max < TB_MAX_TABLE_ELEMS ? t->max : TB_MAX_TABLE_ELEMS;
    if (want > limit || (t->limit && want > t->limit)) return -1;
    if (delta == 0) return (int32_t)old;
    rt_ref *e = tb_realloc(t->elems, (size_t)want * sizeof(rt_ref));
    if (!e) return -1;
    for (uint64_t i = old; i < want; i++) e[i] = init;
    t->elems = e;
    t->size = (uint32_t)want;
    return (int32_t)old;
}

static bool in_bounds(uint64_t at, uint64_t n, uint64_t size) { return at + n <= size; }

rt_trap_code rt_table_fill(rt_table *t, uint32_t i, rt_ref v, uint32_t n) {
    if (!in_bounds(i, n, t->size)) return RT_TRAP_TABLE_OOB;
    for (uint32_t k = 0; k < n; k++) t->elems[i + k] = v;
    return RT_TRAP_NONE;
}

rt_trap_code rt_table_copy(rt_table *dst, rt_table *src, uint32_t d, uint32_t s, uint32_t n) {
    if (!in_bounds(s, n, src->size) || !in_bounds(d, n, dst->size)) return RT_TRAP_TABLE_OOB;
    if (n) memmove(dst->elems + d, src->elems + s, (size_t)n * sizeof(rt_ref));
    return RT_TRAP_NONE;
}

/* An element segment's item, evaluated when a table is initialized from it: items are
   constant (ref.null, ref.func, global.get of an immutable global), so the value is
   the one instantiation would have computed, and no instance keeps a copy of its
   segments. */
static rt_ref item_ref(const rt_instance *inst, const tw_constexpr *c) {
    switch (c->op) {
    case TW_CONST_REF_FUNC: return inst->funcs[c->index];
    case TW_CONST_GLOBAL: return (rt_ref)(uintptr_t)inst->globals[c->index]->val[0];
    default: return NULL; /* ref.null */
    }
}

rt_trap_code rt_table_init(rt_instance *inst, uint32_t table, uint32_t seg, uint32_t dst,
                           uint32_t src, uint32_t n) {
    rt_table *t = inst->tables[table];
    const rt_elemseg *e = &inst->elems[seg];
    if (!in_bounds(src, n, e->len) || !in_bounds(dst, n, t->size)) return RT_TRAP_TABLE_OOB;
    const tw_constexpr *items = inst->module->elems[seg].items + src;
    for (uint32_t k = 0; k < n; k++) t->elems[dst + k] = item_ref(inst, &items[k]);
    return RT_TRAP_NONE;
}

void rt_elem_drop(rt_instance *inst, uint32_t seg) { inst->elems[seg].len = 0; }
