/* module: helpers over the decoded module model. */
#include "module.h"

void tw_module_free(tw_module *m) {
    if (!m) return;
    if (m->rt_image_free) m->rt_image_free(m->rt_image);
    tb_free(m->owned_bytes);
    tb_arena arena = m->arena;
    tb_arena_free(&arena); /* m itself lives in its arena */
}

const tw_functype *tw_func_type(const tw_module *m, uint32_t funcidx) {
    return &m->types[m->func_types[funcidx]];
}

const tw_name *tw_func_name(const tw_module *m, uint32_t funcidx) {
    uint32_t lo = 0, hi = m->nfuncnames;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (m->funcnames[mid].index == funcidx) return &m->funcnames[mid].name;
        if (m->funcnames[mid].index < funcidx) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

bool tw_functype_eq(const tw_functype *a, const tw_functype *b) {
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           (!a->nparams || !memcmp(a->params, b->params, a->nparams)) &&
           (!a->nresults || !memcmp(a->results, b->results, a->nresults)); /* empty may be NULL */
}

const char *tw_valtype_name(tw_valtype t) {
    switch (t) {
    case TW_I32: return "i32";
    case TW_I64: return "i64";
    case TW_F32: return "f32";
    case TW_F64: return "f64";
    case TW_V128: return "v128";
    case TW_FUNCREF: return "funcref";
    case TW_EXTERNREF: return "externref";
    default: return "?";
    }
}
