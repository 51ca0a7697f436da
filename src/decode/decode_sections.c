/* decode_sections: the type, import, function, table, memory, global, export, start and
   data count sections. */
#include "decode_internal.h"

static bool valtypes(dec_ctx *c, uint32_t *n, const tw_valtype **out) {
    if (!dec_count(c, n)) return false;
    tw_valtype *v = dec_alloc(c, *n, 1);
    if (!v) return false;
    for (uint32_t i = 0; i < *n; i++)
        if (!dec_valtype(&c->r, &v[i], c->err)) return false;
    *out = v;
    return true;
}

bool dec_type_section(dec_ctx *c) {
    tw_module *m = c->m;
    if (!dec_count(c, &m->ntypes)) return false;
    if (!(m->types = dec_alloc(c, m->ntypes, sizeof *m->types))) return false;
    for (uint32_t i = 0; i < m->ntypes; i++) {
        size_t at = dec_offset(&c->r);
        uint8_t form;
        if (!dec_byte(&c->r, &form, c->err)) return false;
        if (form != 0x60) /* the reference decoder reads the form as a signed LEB128 */
            return dec_fail(c, at, form & 0x80 ? "integer representation too long (type form 0x%02x)"
                                               : "malformed function type 0x%02x (expected 0x60)", form);
        tw_functype *t = &m->types[i];
        if (!valtypes(c, &t->nparams, &t->params) || !valtypes(c, &t->nresults, &t->results))
            return false;
    }
    return true;
}

static bool globaltype(dec_ctx *c, tw_globaltype *out) {
    if (!dec_valtype(&c->r, &out->type, c->err)) return false;
    size_t at = dec_offset(&c->r);
    uint8_t mut;
    if (!dec_byte(&c->r, &mut, c->err)) return false;
    if (mut > 1) return dec_fail(c, at, "malformed mutability 0x%02x", mut);
    out->mut = mut == 1;
    return true;
}

static bool tabletype(dec_ctx *c, tw_tabletype *out) {
    return dec_reftype(c, &out->elem) && dec_limits(c, &out->lim);
}

static bool import_desc(dec_ctx *c, tw_import *im) {
    tw_module *m = c->m;
    size_t at = dec_offset(&c->r);
    uint8_t kind;
    if (!dec_byte(&c->r, &kind, c->err)) return false;
    im->kind = (tw_externkind)kind;
    switch (kind) {
    case TW_EXTERN_FUNC:
        m->nimported_funcs++;
        return dec_u32(&c->r, &im->u.func_type, c->err);
    case TW_EXTERN_TABLE:
        m->nimported_tables++;
        return tabletype(c, &im->u.table);
    case TW_EXTERN_MEMORY:
        m->nimported_mems++;
        return dec_limits(c, &im->u.mem.lim);
    case TW_EXTERN_GLOBAL:
        m->nimported_globals++;
        return globaltype(c, &im->u.global);
    }
    return dec_fail(c, at, "malformed import kind 0x%02x", kind);
}

bool dec_import_section(dec_ctx *c) {
    tw_module *m = c->m;
    if (!dec_count(c, &m->nimports)) return false;
    if (!(m->imports = dec_alloc(c, m->nimports, sizeof *m->imports))) return false;
    for (uint32_t i = 0; i < m->nimports; i++) {
        tw_import *im = &m->imports[i];
        if (!dec_name(c, &im->module) || !dec_name(c, &im->name) || !import_desc(c, im)) return false;
    }
    return true;
}

bool dec_function_section(dec_ctx *c) {
    uint32_t n;
    if (!dec_count(c, &n)) return false;
    c->ndef_funcs = n;
    if (!(c->def_func_types = dec_alloc(c, n, sizeof(uint32_t)))) return false;
    if (!(c->m->funcs = dec_alloc(c, n, sizeof(tw_func)))) return false;
    for (uint32_t i = 0; i < n; i++) {
        if (!dec_u32(&c->r, &c->def_func_types[i], c->err)) return false;
        c->m->funcs[i].type = c->def_func_types[i];
    }
    return true;
}

bool dec_table_section(dec_ctx *c) {
    if (!dec_count(c, &c->ndef_tables)) return false;
    if (!(c->def_tables = dec_alloc(c, c->ndef_tables, sizeof(tw_tabletype)))) return false;
    for (uint32_t i = 0; i < c->ndef_tables; i++)
        if (!tabletype(c, &c->def_tables[i])) return false;
    return true;
}

bool dec_memory_section(dec_ctx *c) {
    if (!dec_count(c, &c->ndef_mems)) return false;
    if (!(c->def_mems = dec_alloc(c, c->ndef_mems, sizeof(tw_memtype)))) return false;
    for (uint32_t i = 0; i < c->ndef_mems; i++)
        if (!dec_limits(c, &c->def_mems[i].lim)) return false;
    return true;
}

bool dec_global_section(dec_ctx *c) {
    tw_module *m = c->m;
    if (!dec_count(c, &c->ndef_globals)) return false;
    if (!(m->globals = dec_alloc(c, c->ndef_globals, sizeof(tw_global)))) return false;
    for (uint32_t i = 0; i < c->ndef_globals; i++)
        if (!globaltype(c, &m->globals[i].type) || !dec_constexpr(c, &m->globals[i].init)) return false;
    return true;
}

bool dec_export_section(dec_ctx *c) {
    tw_module *m = c->m;
    if (!dec_count(c, &m->nexports)) return false;
    if (!(m->exports = dec_alloc(c, m->nexports, sizeof *m->exports))) return false;
    for (uint32_t i = 0; i < m->nexports; i++) {
        tw_export *e = &m->exports[i];
        if (!dec_name(c, &e->name)) return false;
        size_t at = dec_offset(&c->r);
        uint8_t kind;
        if (!dec_byte(&c->r, &kind, c->err)) return false;
        if (kind > TW_EXTERN_GLOBAL) return dec_fail(c, at, "malformed export kind 0x%02x", kind);
        e->kind = (tw_externkind)kind;
        if (!dec_u32(&c->r, &e->index, c->err)) return false;
    }
    return true;
}

bool dec_start_section(dec_ctx *c) {
    c->m->has_start = true;
    return dec_u32(&c->r, &c->m->start, c->err);
}

bool dec_datacount_section(dec_ctx *c) {
    c->m->has_data_count = true;
    return dec_u32(&c->r, &c->m->data_count, c->err);
}
