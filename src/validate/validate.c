/* validate: module-level validation (types of imports and definitions, limits, constant
   expressions, segments, start, exports), then the function bodies (func.c). */
#include "val_internal.h"
#include "../base/limits.h"
#include <stdio.h>
#include <stdlib.h>

static bool invalid(tb_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool invalid(tb_error *err, const char *fmt, ...) {
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tb_fail(err, TB_ERR_INVALID, TB_NO_OFFSET, "%s", msg);
}

/* ---- types of functions, limits ---- */

static bool check_func_types(const tw_module *m, tb_error *err) {
    for (uint32_t i = 0; i < m->nfuncs; i++)
        if (m->func_types[i] >= m->ntypes)
            return invalid(err, "unknown type %u (function %u)", m->func_types[i], i);
    return true;
}

static bool check_limits(const tw_limits *l, uint64_t range, const char *range_msg,
                         tb_error *err) {
    if (l->min > range || (l->has_max && l->max > range)) return invalid(err, "%s", range_msg);
    if (l->has_max && l->min > l->max)
        return invalid(err, "size minimum must not be greater than maximum (%u > %u)",
                       l->min, l->max);
    return true;
}

static bool check_tables_mems(const tw_module *m, tb_error *err) {
    for (uint32_t i = 0; i < m->ntables; i++)
        if (!check_limits(&m->tables[i].lim, UINT32_MAX, "table size must be at most 2^32-1", err))
            return false;
    /* Wasm 2.0 has one memory; several are the multi-memory proposal. */
    if (m->nmems > 1) return invalid(err, "multiple memories (%u)", m->nmems);
    for (uint32_t i = 0; i < m->nmems; i++)
        if (!check_limits(&m->mems[i].lim, TB_MAX_PAGES,
                          "memory size must be at most 65536 pages (4GiB)", err))
            return false;
    return true;
}

/* ---- constant expressions ---- */

/* Type of a constant expression. In Wasm 2.0, global.get in one may only name an
   imported, immutable global (the spec's context C' for constant expressions). */
static bool const_type(const tw_module *m, const tw_constexpr *e, tw_valtype *t, tb_error *err) {
    switch (e->op) {
    case TW_CONST_I32: *t = TW_I32; return true;
    case TW_CONST_I64: *t = TW_I64; return true;
    case TW_CONST_F32: *t = TW_F32; return true;
    case TW_CONST_F64: *t = TW_F64; return true;
    case TW_CONST_V128: *t = TW_V128; return true;
    case TW_CONST_REF_NULL: *t = e->type; return true;
    case TW_CONST_REF_FUNC:
        if (e->index >= m->nfuncs) return invalid(err, "unknown function %u", e->index);
        *t = TW_FUNCREF;
        return true;
    case TW_CONST_GLOBAL:
        if (e->index >= m->nimported_globals) return invalid(err, "unknown global %u", e->index);
        if (m->global_types[e->index].mut)
            return invalid(err, "constant expression required: global %u is mutable", e->index);
        *t = m->global_types[e->index].type;
        return true;
    case TW_CONST_NONCONST:
        return invalid(err, "constant expression required: %s is not constant",
                       e->index < TW_OP_COUNT ? tw_opinfos[e->index].name : "an instruction");
    case TW_CONST_ARITY:
        return invalid(err, "type mismatch: constant expression has %u instructions", e->index);
    }
    return invalid(err, "constant expression required");
}

static bool check_const(const tw_module *m, const tw_constexpr *e, tw_valtype want,
                        const char *where, uint32_t idx, tb_error *err) {
    tw_valtype t;
    if (!const_type(m, e, &t, err)) return false;
    if (t != want)
        return invalid(err, "type mismatch in %s %u: expected %s, got %s", where, idx,
                       tw_valtype_name(want), tw_valtype_name(t));
    return true;
}

static bool check_globals(const tw_module *m, tb_error *err) {
    uint32_t ndef = m->nglobals - m->nimported_globals;
    for (uint32_t i = 0; i < ndef; i++)
        if (!check_const(m, &m->globals[i].init, m->globals[i].type.type, "global",
                         m->nimported_globals + i, err))
            return false;
    return true;
}

/* ---- segments ---- */

static bool check_elem(const tw_module *m, const tw_elem *e, uint32_t i, tb_error *err) {
    for (uint32_t k = 0; k < e->count; k++)
        if (!check_const(m, &e->items[k], e->type, "element segment", i, err)) return false;
    if (e->mode != TW_SEG_ACTIVE) return true;
    if (e->table >= m->ntables) return invalid(err, "unknown table %u", e->table);
    if (m->tables[e->table].elem != e->type)
        return invalid(err, "type mismatch: element segment %u is %s, table %u holds %s", i,
                       tw_valtype_name(e->type), e->table,
                       tw_valtype_name(m->tables[e->table].elem));
    return check_const(m, &e->offset, TW_I32, "offset of element segment", i, err);
}

static bool check_data(const tw_module *m, const tw_data *d, uint32_t i, tb_error *err) {
    if (d->mode != TW_SEG_ACTIVE) return true;
    if (d->mem >= m->nmems) return invalid(err, "unknown memory %u", d->mem);
    return check_const(m, &d->offset, TW_I32, "offset of data segment", i, err);
}

static bool check_segments(const tw_module *m, tb_error *err) {
    for (uint32_t i = 0; i < m->nelems; i++)
        if (!check_elem(m, &m->elems[i], i, err)) return false;
    for (uint32_t i = 0; i < m->ndatas; i++)
        if (!check_data(m, &m->datas[i], i, err)) return false;
    return true;
}

/* ---- start and exports ---- */

static bool check_start(const tw_module *m, tb_error *err) {
    if (!m->has_start) return true;
    if (m->start >= m->nfuncs) return invalid(err, "unknown function %u", m->start);
    const tw_functype *t = tw_func_type(m, m->start);
    if (t->nparams || t->nresults)
        return invalid(err, "start function %u must have type [] -> []", m->start);
    return true;
}

static bool check_export_index(const tw_module *m, const tw_export *e, tb_error *err) {
    static const char *what[] = {"function", "table", "memory", "global"};
    uint32_t n = e->kind == TW_EXTERN_FUNC ? m->nfuncs : e->kind == TW_EXTERN_TABLE ? m->ntables
               : e->kind == TW_EXTERN_MEMORY ? m->nmems : m->nglobals;
    if (e->index >= n) return invalid(err, "unknown %s %u", what[e->kind & 3], e->index);
    return true;
}

static int name_cmp(const void *a, const void *b) {
    const tw_name *x = &(*(const tw_export *const *)a)->name;
    const tw_name *y = &(*(const tw_export *const *)b)->name;
    uint32_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(x->s, y->s, n) : 0; /* an empty name's pointer may be NULL */
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Export names must be unique: sort pointers by name and compare neighbours. */
static bool check_export_names(const tw_module *m, tb_error *err) {
    if (m->nexports < 2) return true;
    const tw_export **v = tb_malloc(m->nexports * sizeof *v);
    if (!v) return tb_oom(err);
    for (uint32_t i = 0; i < m->nexports; i++) v[i] = &m->exports[i];
    qsort(v, m->nexports, sizeof *v, name_cmp);
    bool ok = true;
    for (uint32_t i = 1; ok && i < m->nexports; i++)
        if (name_cmp(&v[i - 1], &v[i]) == 0)
            ok = invalid(err, "duplicate export name \"%.*s\"", (int)v[i]->name.len, v[i]->name.s);
    tb_free(v);
    return ok;
}

static bool check_exports(const tw_module *m, tb_error *err) {
    for (uint32_t i = 0; i < m->nexports; i++)
        if (!check_export_index(m, &m->exports[i], err)) return false;
    return check_export_names(m, err);
}

bool val_module(const tw_module *m, tb_error *err) {
    return check_func_types(m, err) && check_tables_mems(m, err) && check_globals(m, err) &&
           check_segments(m, err) && check_start(m, err) && check_exports(m, err) &&
           val_code(m, err);
}
