/* decode_names: custom sections, kept whole, and the `name` section's module and
   function names. A broken name section is ignored: custom sections never reject a module. */
#include "decode_internal.h"
#include <stdlib.h>

static int cmp_funcname(const void *a, const void *b) {
    uint32_t x = ((const tw_funcname *)a)->index, y = ((const tw_funcname *)b)->index;
    return x < y ? -1 : x > y;
}

/* Subsection 1: vec(funcidx name). Keeps the last name given for an index. */
static bool function_names(dec_ctx *c) {
    tw_module *m = c->m;
    uint32_t n;
    if (!dec_count(c, &n)) return false;
    tw_funcname *v = dec_alloc(c, n, sizeof *v);
    if (!v) return false;
    for (uint32_t i = 0; i < n; i++)
        if (!dec_u32(&c->r, &v[i].index, c->err) || !dec_name(c, &v[i].name)) return false;
    qsort(v, n, sizeof *v, cmp_funcname); /* the format wants them sorted; don't rely on it */
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (k && v[k - 1].index == v[i].index) k--;
        v[k++] = v[i];
    }
    m->funcnames = v;
    m->nfuncnames = k;
    return true;
}

static bool name_subsections(dec_ctx *c) {
    dec_reader whole = c->r;
    int last_id = -1;
    while (!dec_at_end(&whole)) {
        uint8_t id;
        uint32_t size;
        if (!dec_byte(&whole, &id, c->err) || !dec_u32(&whole, &size, c->err)) return false;
        if (size > (size_t)(whole.end - whole.p) || (int)id <= last_id) return false;
        last_id = id;
        c->r = (dec_reader){.p = whole.p, .end = whole.p + size, .base = whole.base};
        whole.p += size;
        bool ok = true;
        if (id == 0) ok = dec_name(c, &c->m->module_name);
        else if (id == 1) ok = function_names(c);
        else continue; /* local names and later extensions: not needed yet */
        if (!ok || !dec_at_end(&c->r)) return false;
    }
    c->r = whole;
    return true;
}

/* False only when out of memory. */
static bool name_section(dec_ctx *c) {
    dec_reader saved = c->r;
    c->r.end = c->sec_end; /* the name section is parsed within its own bounds */
    tb_error saved_err = c->err ? *c->err : (tb_error){0};
    if (!name_subsections(c)) {
        if (c->err && c->err->kind == TB_ERR_OOM) return false;
        /* Ignore the whole section: it is only a debugging aid. */
        c->m->module_name = (tw_name){0};
        c->m->funcnames = NULL;
        c->m->nfuncnames = 0;
        if (c->err) *c->err = saved_err;
    }
    c->r = saved;
    return true;
}

bool dec_custom_section(dec_ctx *c) {
    tw_custom cs;
    if (!dec_name(c, &cs.name)) return false;
    if (c->r.p > c->sec_end) return dec_fail(c, dec_offset(&c->r), "unexpected end (custom section name)");
    cs.bytes = c->r.p;
    cs.len = (uint32_t)(c->sec_end - c->r.p);
    if (!tb_vec_push(&c->customs, cs)) return tb_oom(c->err);
    if (cs.name.len == 4 && !memcmp(cs.name.s, "name", 4) && !name_section(c)) return false;
    c->r.p = c->sec_end;
    return true;
}
