/* inspect: the read-only description of a module for tools (`taho inspect`): entity
   types in every index space, counts, names and the section layout of the binary. */
#include "api.h"

/* Function types as public kinds, built once when the module is made (module.c): the
   module is shared between threads, so nothing is filled in lazily. */
bool api_module_describe_types(taho_module *mod) {
    const tw_module *m = mod->m;
    size_t nkinds = 0;
    for (uint32_t i = 0; i < m->ntypes; i++) nkinds += m->types[i].nparams + m->types[i].nresults;
    mod->functypes = tb_calloc(m->ntypes + 1, sizeof *mod->functypes);
    mod->functype_kinds = tb_calloc(nkinds + 1, sizeof *mod->functype_kinds);
    if (!mod->functypes || !mod->functype_kinds) return false;
    taho_valkind *k = mod->functype_kinds;
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const tw_functype *t = &m->types[i];
        taho_functype *f = &mod->functypes[i];
        f->nparams = t->nparams;
        f->nresults = t->nresults;
        f->params = k;
        for (uint32_t j = 0; j < t->nparams; j++) *k++ = api_type_to_kind(t->params[j]);
        f->results = k;
        for (uint32_t j = 0; j < t->nresults; j++) *k++ = api_type_to_kind(t->results[j]);
    }
    return true;
}

void api_module_free_types(taho_module *mod) {
    tb_free(mod->functypes);
    tb_free(mod->functype_kinds);
}

taho_module_counts taho_module_counts_of(const taho_module *mod) {
    const tw_module *m = mod->m;
    return (taho_module_counts){
        .types = m->ntypes, .funcs = m->nfuncs, .tables = m->ntables, .memories = m->nmems,
        .globals = m->nglobals, .imported_funcs = m->nimported_funcs,
        .imported_tables = m->nimported_tables, .imported_memories = m->nimported_mems,
        .imported_globals = m->nimported_globals, .elems = m->nelems, .datas = m->ndatas,
        .customs = m->ncustoms, .has_start = m->has_start, .start = m->start, .size = m->size,
    };
}

static taho_limits limits_of(const tw_limits *l) { return (taho_limits){l->min, l->max, l->has_max}; }

static taho_externtype func_type(const taho_module *mod, uint32_t typeidx) {
    taho_externtype t = {.kind = TAHO_EXTERN_FUNC};
    t.of.func = mod->functypes[typeidx];
    return t;
}

static taho_externtype table_type(const tw_tabletype *tt) {
    taho_externtype t = {.kind = TAHO_EXTERN_TABLE};
    t.of.table.elem = api_type_to_kind(tt->elem);
    t.of.table.limits = limits_of(&tt->lim);
    return t;
}

static taho_externtype memory_type(const tw_memtype *mt) {
    taho_externtype t = {.kind = TAHO_EXTERN_MEMORY};
    t.of.memory.limits = limits_of(&mt->lim);
    return t;
}

static taho_externtype global_type(const tw_globaltype *gt) {
    taho_externtype t = {.kind = TAHO_EXTERN_GLOBAL};
    t.of.global.kind = api_type_to_kind(gt->type);
    t.of.global.mutable_ = gt->mut;
    return t;
}

bool taho_module_entity_type(const taho_module *mod, taho_externkind k, uint32_t index,
                             taho_externtype *out) {
    const tw_module *m = mod->m;
    switch (k) {
    case TAHO_EXTERN_FUNC:
        if (index >= m->nfuncs) return false;
        *out = func_type(mod, m->func_types[index]);
        return true;
    case TAHO_EXTERN_TABLE:
        if (index >= m->ntables) return false;
        *out = table_type(&m->tables[index]);
        return true;
    case TAHO_EXTERN_MEMORY:
        if (index >= m->nmems) return false;
        *out = memory_type(&m->mems[index]);
        return true;
    case TAHO_EXTERN_GLOBAL:
        if (index >= m->nglobals) return false;
        *out = global_type(&m->global_types[index]);
        return true;
    }
    return false;
}

taho_externtype taho_module_import_type(const taho_module *mod, size_t i) {
    const tw_import *im = &mod->m->imports[i];
    switch (im->kind) {
    case TW_EXTERN_FUNC: return func_type(mod, im->u.func_type);
    case TW_EXTERN_TABLE: return table_type(&im->u.table);
    case TW_EXTERN_MEMORY: return memory_type(&im->u.mem);
    default: return global_type(&im->u.global);
    }
}

taho_externtype taho_module_export_type(const taho_module *mod, size_t i) {
    const tw_export *ex = &mod->m->exports[i];
    taho_externtype t = {.kind = (taho_externkind)ex->kind};
    taho_module_entity_type(mod, (taho_externkind)ex->kind, ex->index, &t);
    return t;
}

const char *taho_module_func_name(const taho_module *mod, uint32_t index, size_t *len) {
    const tw_name *n = tw_func_name(mod->m, index);
    if (!n || !n->s) return NULL;
    if (len) *len = n->len;
    return n->s;
}

/* ---- sections: a walk over the (already validated) binary ---- */

static bool read_u32(const uint8_t *p, size_t len, size_t *pos, uint32_t *out) {
    uint32_t v = 0;
    for (unsigned shift = 0; shift < 35 && *pos < len; shift += 7) {
        uint8_t b = p[(*pos)++];
        v |= (uint32_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) return *out = v, true;
    }
    return false;
}

static const char *const section_names[] = {
    "custom", "type", "import", "function", "table", "memory", "global", "export", "start",
    "element", "code", "data", "datacount",
};

/* The i-th section, or false past the last. */
static bool section_at(const taho_module *mod, size_t i, taho_section *out) {
    const uint8_t *b = mod->m->bytes;
    size_t len = mod->m->size, pos = 8;
    for (size_t k = 0; pos < len; k++) {
        uint8_t id = b[pos++];
        uint32_t size;
        if (!read_u32(b, len, &pos, &size) || size > len - pos) return false;
        if (k == i) {
            *out = (taho_section){.id = id, .offset = pos, .size = size};
            if (id != 0) {
                out->name = id < TB_ARRAY_LEN(section_names) ? section_names[id] : "unknown";
                out->name_len = strlen(out->name);
                return true;
            }
            size_t q = pos;
            uint32_t nlen;
            if (!read_u32(b, pos + size, &q, &nlen) || nlen > pos + size - q) nlen = 0;
            out->name = (const char *)b + q;
            out->name_len = nlen;
            return true;
        }
        pos += size;
    }
    return false;
}

size_t taho_module_section_count(const taho_module *mod) {
    size_t n = 0;
    taho_section s;
    while (section_at(mod, n, &s)) n++;
    return n;
}

taho_section taho_module_section(const taho_module *mod, size_t i) {
    taho_section s = {0};
    section_at(mod, i, &s);
    return s;
}
