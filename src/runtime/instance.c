/* instance: instantiation per the Wasm 2.0 spec (import checks, allocation, constant
   expressions, element and data segments, start), and export lookup. */
#include "../interp/interp.h"
#include "image.h"
#include "ops.h"
#include "pool.h"
#include "store.h"
#include "tier.h"

static bool limits_match(const tw_limits *actual, const tw_limits *decl) {
    if (actual->min < decl->min) return false;
    if (!decl->has_max) return true;
    return actual->has_max && actual->max <= decl->max;
}

static bool import_type_ok(rt_engine *e, const tw_module *m, const tw_import *imp,
                           const rt_extern *ext) {
    if (ext->kind != imp->kind) return false;
    switch (imp->kind) {
    case TW_EXTERN_FUNC:
        return rt_engine_intern_sig(e, &m->types[imp->u.func_type]) == ext->u.func->sig;
    case TW_EXTERN_TABLE: {
        tw_tabletype t = rt_table_type(ext->u.table);
        return t.elem == imp->u.table.elem && limits_match(&t.lim, &imp->u.table.lim);
    }
    case TW_EXTERN_MEMORY: {
        tw_memtype t = rt_memory_type(ext->u.mem);
        return limits_match(&t.lim, &imp->u.mem.lim);
    }
    case TW_EXTERN_GLOBAL:
        return ext->u.global->type.type == imp->u.global.type &&
               ext->u.global->type.mut == imp->u.global.mut;
    }
    return false;
}

bool rt_import_matches(rt_engine *e, const tw_module *m, const tw_import *imp,
                       const rt_extern *ext, tb_error *err) {
    if (imp->kind == TW_EXTERN_FUNC && !rt_engine_intern_sig(e, &m->types[imp->u.func_type]))
        return tb_oom(err);
    if (import_type_ok(e, m, imp, ext)) return true;
    return tb_fail(err, TB_ERR_LINK, TB_NO_OFFSET, "incompatible import type for %.*s.%.*s",
                   (int)imp->module.len, imp->module.s, (int)imp->name.len, imp->name.s);
}

/* ---- allocation ---- */

static void instance_drop(void *obj) {
    rt_instance *inst = obj;
    const tw_module *m = inst->module;
    if (inst->counted) {
        rt_engine_give_slot(inst->store->engine);
        inst->store->ninstances--;
    }
    if (inst->funcs && m->nfuncs > m->nimported_funcs) tb_free(inst->funcs[m->nimported_funcs]);
    if (!inst->shared_sigs) tb_free((void *)inst->sigs);
    tb_free(inst->funcs);
    tb_free(inst->tables);
    tb_free(inst->mems);
    tb_free(inst->globals);
    tb_free(inst->elems);
    tb_free(inst->datas);
}

static bool alloc_arrays(rt_instance *inst, const tw_module *m) {
    inst->funcs = tb_calloc(m->nfuncs + 1, sizeof(rt_func *));
    inst->tables = tb_calloc(m->ntables + 1, sizeof(rt_table *));
    inst->mems = tb_calloc(m->nmems + 1, sizeof(rt_memory *));
    inst->globals = tb_calloc(m->nglobals + 1, sizeof(rt_global *));
    inst->elems = tb_calloc(m->nelems + 1, sizeof(rt_elemseg));
    inst->datas = tb_calloc(m->ndatas + 1, sizeof(rt_dataseg));
    return inst->funcs && inst->tables && inst->mems && inst->globals && inst->elems &&
           inst->datas;
}

static void bind_imports(rt_instance *inst, const tw_module *m, const rt_extern *imports) {
    uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const rt_extern *x = &imports[i];
        switch (x->kind) {
        case TW_EXTERN_FUNC: inst->funcs[nf++] = x->u.func; break;
        case TW_EXTERN_TABLE: inst->tables[nt++] = x->u.table; break;
        case TW_EXTERN_MEMORY: inst->mems[nm++] = x->u.mem; break;
        case TW_EXTERN_GLOBAL: inst->globals[ng++] = x->u.global; break;
        }
    }
}

/* Signatures per type index, for defined functions and for call_indirect. */
static bool intern_sigs(rt_store *st, rt_instance *inst, const tw_module *m, tb_error *err) {
    if (inst->cache) { /* interned once per module */
        inst->sigs = rt_modcache_sigs(inst->cache);
        inst->shared_sigs = true;
        return true;
    }
    const rt_sig **sigs = tb_calloc(m->ntypes + 1, sizeof *sigs);
    if (!sigs) return tb_oom(err);
    inst->sigs = sigs;
    for (uint32_t i = 0; i < m->ntypes; i++)
        if (!(sigs[i] = rt_engine_intern_sig(st->engine, &m->types[i]))) return tb_oom(err);
    return true;
}

static bool alloc_funcs(rt_store *st, rt_instance *inst, const tw_module *m, tb_error *err) {
    uint32_t n = m->nfuncs - m->nimported_funcs;
    if (!n) return true;
    rt_func *fs = tb_calloc(n, sizeof *fs);
    if (!fs) return tb_oom(err);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t idx = m->nimported_funcs + i;
        fs[i].sig = inst->sigs[m->func_types[idx]];
        fs[i].inst = inst;
        fs[i].index = idx;
        fs[i].code = inst->code ? interp_func_entry(inst->code, idx) : NULL;
        inst->funcs[idx] = &fs[i];
    }
    return true;
}

/* The module's copy-on-write data image for memory 0, if it has one. */
static const rt_image *image_of(const rt_instance *inst, const tw_module *m) {
    if (m->nmems == 0 || m->nimported_mems > 0 || !inst->cache) return NULL;
    return rt_modcache_image(inst->cache);
}

static bool alloc_tables_mems(rt_store *st, rt_instance *inst, const tw_module *m,
                              tb_error *err) {
    for (uint32_t i = m->nimported_tables; i < m->ntables; i++)
        if (!(inst->tables[i] = rt_table_new(st, &m->tables[i], NULL, err))) return false;
    for (uint32_t i = m->nimported_mems; i < m->nmems; i++) {
        const rt_image *img = i == 0 ? image_of(inst, m) : NULL;
        if (!(inst->mems[i] = rt_memory_new_image(st, &m->mems[i], img, err))) return false;
    }
    return true;
}

/* Constant expressions: one instruction (Wasm 2.0). Numbers keep the slot layout the
   tiers use: i32/f32 zero-extended in val[0]. */
static void eval_const(const rt_instance *inst, const tw_constexpr *c, uint64_t out[2]) {
    out[0] = out[1] = 0;
    switch (c->op) {
    case TW_CONST_I32: case TW_CONST_F32: out[0] = (uint32_t)c->bits[0]; break;
    case TW_CONST_I64: case TW_CONST_F64: out[0] = c->bits[0]; break;
    case TW_CONST_V128: out[0] = c->bits[0]; out[1] = c->bits[1]; break;
    case TW_CONST_REF_NULL: break;
    case TW_CONST_REF_FUNC: out[0] = (uint64_t)(uintptr_t)inst->funcs[c->index]; break;
    case TW_CONST_GLOBAL:
        out[0] = inst->globals[c->index]->val[0];
        out[1] = inst->globals[c->index]->val[1];
        break;
    default: break; /* not constant: the validator rejected the module */
    }
}

static bool alloc_globals(rt_store *st, rt_instance *inst, const tw_module *m, tb_error *err) {
    for (uint32_t i = m->nimported_globals; i < m->nglobals; i++) {
        const tw_global *g = &m->globals[i - m->nimported_globals];
        uint64_t v[2];
        eval_const(inst, &g->init, v);
        if (!(inst->globals[i] = rt_global_new(st, &g->type, v, err))) return false;
    }
    return true;
}

/* Element segments keep no refs of their own (rt_table_init evaluates their items
   from the module): nothing is built for segments at instantiation. */
static bool alloc_segments(rt_instance *inst, const tw_module *m, tb_error *err) {
    for (uint32_t i = 0; i < m->nelems; i++) inst->elems[i].len = m->elems[i].count;
    for (uint32_t i = 0; i < m->ndatas; i++) {
        inst->datas[i].len = m->datas[i].len;
        inst->datas[i].bytes = m->datas[i].bytes;
    }
    return true;
}

/* ---- initialization: segments, then start ---- */

static bool trapped(rt_store *st, rt_trap_code code, tb_error *err) {
    st->last_trap.code = code;
    return tb_fail(err, TB_ERR_TRAP, TB_NO_OFFSET, "%s",
                   code == RT_TRAP_HOST && st->last_trap.host_message[0]
                       ? st->last_trap.host_message : rt_trap_message(code));
}

static uint32_t const_u32(const rt_instance *inst, const tw_constexpr *c) {
    uint64_t v[2];
    eval_const(inst, c, v);
    return (uint32_t)v[0];
}

/* imaged: memory 0 already maps the module's image, which holds the active data. */
static rt_trap_code run_segments(rt_instance *inst, const tw_module *m, bool imaged) {
    for (uint32_t i = 0; i < m->nelems; i++) {
        const tw_elem *el = &m->elems[i];
        if (el->mode == TW_SEG_ACTIVE) {
            rt_trap_code c = rt_table_init(inst, el->table, i, const_u32(inst, &el->offset), 0,
                                           el->count);
            if (c) return c;
        }
        if (el->mode != TW_SEG_PASSIVE) rt_elem_drop(inst, i);
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const tw_data *d = &m->datas[i];
        if (d->mode != TW_SEG_ACTIVE) continue;
        if (imaged) { rt_data_drop(inst, i); continue; }
        rt_trap_code c = rt_memory_init(inst, i, const_u32(inst, &d->offset), 0, d->len);
        if (c) return c;
        rt_data_drop(inst, i);
    }
    return RT_TRAP_NONE;
}

static bool check_imports(rt_store *st, const tw_module *m, const rt_modcache *cache,
                          const rt_extern *imports, tb_error *err) {
    for (uint32_t i = 0; i < m->nimports; i++) {
        const tw_import *imp = &m->imports[i];
        if (cache && imp->kind == TW_EXTERN_FUNC && imports[i].kind == TW_EXTERN_FUNC &&
            rt_modcache_sigs(cache)[imp->u.func_type] == imports[i].u.func->sig)
            continue; /* the common case, without the engine's lock */
        if (!rt_import_matches(st->engine, m, imp, &imports[i], err)) return false;
    }
    return true;
}

/* Claim an engine slot (pooling allocator) and a place under the store's limit. */
static bool count_instance(rt_store *st, rt_instance *inst, tb_error *err) {
    if (st->limits.instances && st->ninstances >= st->limits.instances)
        return tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET,
                       "instance limit reached: the store allows %u instances",
                       st->limits.instances);
    if (!rt_engine_take_slot(st->engine))
        return tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET,
                       "instance pool exhausted: all %u slots are in use",
                       rt_engine_config(st->engine)->pool_instances);
    st->ninstances++;
    inst->counted = true;
    return true;
}

/* Memory 0 maps the module's image (made so by alloc_tables_mems), which holds the
   active data: the segments need not be copied. */
static bool imaged(const rt_instance *inst, const tw_module *m) {
    return image_of(inst, m) && inst->mems[0]->image_len != 0;
}

bool rt_instantiate(rt_store *st, const tw_module *m, const interp_module *code,
                    const rt_extern *imports, rt_instance **out, tb_error *err) {
    *out = NULL;
    rt_modcache *cache = rt_modcache_of(st->engine, m);
    if (!check_imports(st, m, cache, imports, err)) return false;
    rt_instance *inst = rt_store_alloc(st, sizeof *inst, instance_drop);
    if (!inst) return tb_oom(err);
    inst->cache = cache;
    inst->store = st;
    inst->module = m;
    if (!count_instance(st, inst, err)) return false;
    inst->code = code;
    if (!alloc_arrays(inst, m)) return tb_oom(err);
    bind_imports(inst, m, imports);
    if (!intern_sigs(st, inst, m, err) || !alloc_funcs(st, inst, m, err) || !alloc_tables_mems(st, inst, m, err) ||
        !alloc_globals(st, inst, m, err) || !alloc_segments(inst, m, err))
        return false;
    if (m->tier && !rt_tier_bind(st, inst, m->tier, err)) return false;
    rt_trap_code c = run_segments(inst, m, imaged(inst, m));
    if (c) {
        st->last_trap.nframes = 0;
        st->last_trap.host_message[0] = 0;
        return trapped(st, c, err);
    }
    if (m->has_start) {
        uint64_t slots[2] = {0, 0};
        c = rt_call(st, inst->funcs[m->start], slots);
        if (c) return trapped(st, c, err);
    }
    *out = inst;
    return true;
}

/* ---- exports ---- */

rt_extern rt_instance_export_at(const rt_instance *inst, uint32_t i) {
    const tw_export *x = &inst->module->exports[i];
    rt_extern e = {.kind = x->kind};
    switch (x->kind) {
    case TW_EXTERN_FUNC: e.u.func = inst->funcs[x->index]; break;
    case TW_EXTERN_TABLE: e.u.table = inst->tables[x->index]; break;
    case TW_EXTERN_MEMORY: e.u.mem = inst->mems[x->index]; break;
    case TW_EXTERN_GLOBAL: e.u.global = inst->globals[x->index]; break;
    }
    return e;
}

bool rt_instance_export(const rt_instance *inst, const char *name, size_t len, rt_extern *out) {
    const tw_module *m = inst->module;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const tw_name *n = &m->exports[i].name;
        if (n->len == len && (!len || !memcmp(n->s, name, len))) {
            *out = rt_instance_export_at(inst, i);
            return true;
        }
    }
    return false;
}
