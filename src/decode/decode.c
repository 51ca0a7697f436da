/* decode: the module header, the section loop with its ordering and size rules, and the
   final assembly of index spaces. Sections themselves are in the other decode_*.c. */
#include "decode_internal.h"
#include "../base/limits.h"
#include <stdio.h>
#include <stdlib.h>

/* ---- helpers shared by the section decoders ---- */

void *dec_alloc(dec_ctx *c, size_t n, size_t size) {
    if (n == 0) n = 1; /* a non-NULL pointer even for empty vectors */
    void *p = tb_arena_alloc(&c->m->arena, n * size);
    if (!p) tb_oom(c->err);
    return p;
}

bool dec_fail(dec_ctx *c, size_t offset, const char *fmt, ...) {
    if (!c->err) return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
    va_end(ap);
    c->err->kind = TB_ERR_MALFORMED;
    c->err->offset = offset;
    return false;
}

static size_t remaining(const dec_reader *r) { return (size_t)(r->end - r->p); }

bool dec_count(dec_ctx *c, uint32_t *n) {
    size_t at = dec_offset(&c->r);
    if (!dec_u32(&c->r, n, c->err)) return false;
    /* Every element takes at least one byte, so a larger count must run out of input:
       refuse it before allocating. */
    if (*n > remaining(&c->r))
        return dec_fail(c, at, "unexpected end of section or function (count %u)", *n);
    if (*n > TB_MAX_DECL_COUNT)
        return tb_fail(c->err, TB_ERR_LIMIT, at, "count %u exceeds the implementation limit", *n);
    return true;
}

bool dec_name(dec_ctx *c, tw_name *out) {
    size_t at = dec_offset(&c->r);
    uint32_t len;
    const uint8_t *s;
    if (!dec_u32(&c->r, &len, c->err)) return false;
    if (len > remaining(&c->r)) return dec_fail(c, at, "length out of bounds (name of %u bytes)", len);
    if (!dec_bytes(&c->r, len, &s, c->err)) return false;
    if (!tb_utf8_valid(s, len)) return dec_fail(c, at, "malformed UTF-8 encoding");
    char *copy = dec_alloc(c, (size_t)len + 1, 1);
    if (!copy) return false;
    memcpy(copy, s, len);
    out->s = copy;
    out->len = len;
    return true;
}

bool dec_limits(dec_ctx *c, tw_limits *out) {
    size_t at = dec_offset(&c->r);
    uint8_t flags;
    if (!dec_byte(&c->r, &flags, c->err)) return false;
    /* Wasm 2.0 knows 0 (min) and 1 (min, max); the flag is a one-byte LEB128 in effect. */
    if (flags & 0x80) return dec_fail(c, at, "integer representation too long (limits flags)");
    if (flags > 1) return dec_fail(c, at, "integer too large (limits flags 0x%02x)", flags);
    out->has_max = flags == 1;
    if (!dec_u32(&c->r, &out->min, c->err)) return false;
    out->max = 0;
    return !out->has_max || dec_u32(&c->r, &out->max, c->err);
}

bool dec_reftype(dec_ctx *c, tw_valtype *out) {
    size_t at = dec_offset(&c->r);
    uint8_t b;
    if (!dec_byte(&c->r, &b, c->err)) return false;
    if (b != TW_FUNCREF && b != TW_EXTERNREF)
        return dec_fail(c, at, "malformed reference type 0x%02x", b);
    *out = b;
    return true;
}

bool dec_add_ref(dec_ctx *c, uint32_t funcidx) {
    if (!tb_vec_push(&c->refs, funcidx)) return tb_oom(c->err);
    return true;
}

/* ---- sections ---- */

typedef struct section_info {
    const char *name;
    uint8_t rank;   /* position in the required order */
    bool (*decode)(dec_ctx *c);
} section_info;

static const section_info sections[] = {
    [0] = {"custom", 0, dec_custom_section},
    [1] = {"type", 1, dec_type_section},
    [2] = {"import", 2, dec_import_section},
    [3] = {"function", 3, dec_function_section},
    [4] = {"table", 4, dec_table_section},
    [5] = {"memory", 5, dec_memory_section},
    [6] = {"global", 6, dec_global_section},
    [7] = {"export", 7, dec_export_section},
    [8] = {"start", 8, dec_start_section},
    [9] = {"element", 9, dec_element_section},
    [10] = {"code", 11, dec_code_section},
    [11] = {"data", 12, dec_data_section},
    [12] = {"data count", 10, dec_datacount_section},
};

/* Prefix the message with where it happened; keep the spec's phrase inside. */
static bool locate_error(dec_ctx *c, const char *where) {
    tb_error *e = c->err;
    if (!e || (e->kind != TB_ERR_MALFORMED && e->kind != TB_ERR_LIMIT)) return false;
    char msg[sizeof e->msg];
    const char *m = e->msg;
    /* Inside a section the input ended early relative to the section. */
    if (c->section && !strcmp(m, "unexpected end")) m = "unexpected end of section or function";
    snprintf(msg, sizeof msg, "%s at 0x%zx: %s", where, e->offset, m);
    memcpy(e->msg, msg, sizeof msg);
    return false;
}

static bool section_error(dec_ctx *c) {
    char where[64];
    snprintf(where, sizeof where, "section '%s'", c->section);
    return locate_error(c, where);
}

static bool decode_header(dec_ctx *c) {
    static const uint8_t magic[4] = {0x00, 'a', 's', 'm'};
    static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
    const uint8_t *p;
    if (!dec_bytes(&c->r, 4, &p, c->err)) return false;
    if (memcmp(p, magic, 4)) return dec_fail(c, 0, "magic header not detected");
    if (!dec_bytes(&c->r, 4, &p, c->err)) return false;
    if (memcmp(p, version, 4))
        return dec_fail(c, 4, "unknown binary version 0x%08x", tb_rd32(p));
    return true;
}

/* One section: id, size, content that must end exactly at the size. */
static bool decode_section(dec_ctx *c, dec_reader *top, uint8_t *last_rank) {
    size_t at = dec_offset(top);
    uint8_t id;
    uint32_t size;
    c->section = NULL;
    if (!dec_byte(top, &id, c->err)) return false;
    if (id >= TB_ARRAY_LEN(sections)) return dec_fail(c, at, "malformed section id %u", id);
    const section_info *s = &sections[id];
    if (!dec_u32(top, &size, c->err)) return false;
    if (size > remaining(top))
        return dec_fail(c, at, "length out of bounds (section '%s' of %u bytes)", s->name, size);
    if (s->rank != 0) {
        if (s->rank <= *last_rank)
            return dec_fail(c, at, "unexpected content after last section ('%s' out of order or repeated)",
                            s->name);
        *last_rank = s->rank;
    }
    c->section = s->name;
    c->r = *top;
    c->sec_end = top->p + size;
    top->p += size;
    if (!s->decode(c)) return section_error(c);
    if (c->r.p != c->sec_end)
        return dec_fail(c, dec_offset(&c->r), "section size mismatch (declared %u bytes)", size),
               section_error(c);
    return true;
}

/* ---- assembly of the index spaces: imports first, then definitions ---- */

static bool build_index_spaces(dec_ctx *c) {
    tw_module *m = c->m;
    m->nfuncs = m->nimported_funcs + c->ndef_funcs;
    m->ntables = m->nimported_tables + c->ndef_tables;
    m->nmems = m->nimported_mems + c->ndef_mems;
    m->nglobals = m->nimported_globals + c->ndef_globals;
    if (!(m->func_types = dec_alloc(c, m->nfuncs, sizeof *m->func_types)) ||
        !(m->tables = dec_alloc(c, m->ntables, sizeof *m->tables)) ||
        !(m->mems = dec_alloc(c, m->nmems, sizeof *m->mems)) ||
        !(m->global_types = dec_alloc(c, m->nglobals, sizeof *m->global_types)))
        return false;
    uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const tw_import *im = &m->imports[i];
        switch (im->kind) {
        case TW_EXTERN_FUNC: m->func_types[nf++] = im->u.func_type; break;
        case TW_EXTERN_TABLE: m->tables[nt++] = im->u.table; break;
        case TW_EXTERN_MEMORY: m->mems[nm++] = im->u.mem; break;
        case TW_EXTERN_GLOBAL: m->global_types[ng++] = im->u.global; break;
        }
    }
    for (uint32_t i = 0; i < c->ndef_funcs; i++) m->func_types[nf++] = c->def_func_types[i];
    for (uint32_t i = 0; i < c->ndef_tables; i++) m->tables[nt++] = c->def_tables[i];
    for (uint32_t i = 0; i < c->ndef_mems; i++) m->mems[nm++] = c->def_mems[i];
    for (uint32_t i = 0; i < c->ndef_globals; i++) m->global_types[ng++] = m->globals[i].type;
    return true;
}

/* Absent sections leave empty arrays, never NULL, so users may memcpy/loop freely. */
static bool fill_empty(dec_ctx *c, void **array, size_t elem) {
    return *array || (*array = dec_alloc(c, 0, elem));
}

static bool fill_empty_arrays(dec_ctx *c) {
    tw_module *m = c->m;
    return fill_empty(c, (void **)&m->types, sizeof *m->types) &&
           fill_empty(c, (void **)&m->imports, sizeof *m->imports) &&
           fill_empty(c, (void **)&m->funcs, sizeof *m->funcs) &&
           fill_empty(c, (void **)&m->globals, sizeof *m->globals) &&
           fill_empty(c, (void **)&m->exports, sizeof *m->exports) &&
           fill_empty(c, (void **)&m->elems, sizeof *m->elems) &&
           fill_empty(c, (void **)&m->datas, sizeof *m->datas) &&
           fill_empty(c, (void **)&m->funcnames, sizeof *m->funcnames);
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static bool build_refs(dec_ctx *c) {
    tw_module *m = c->m;
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].kind == TW_EXTERN_FUNC && !dec_add_ref(c, m->exports[i].index)) return false;
    if (c->refs.len) qsort(c->refs.v, c->refs.len, sizeof(uint32_t), cmp_u32);
    if (!(m->refs = dec_alloc(c, c->refs.len, sizeof(uint32_t)))) return false;
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->refs.len; i++)
        if (n == 0 || m->refs[n - 1] != c->refs.v[i]) m->refs[n++] = c->refs.v[i];
    m->nrefs = n;
    return true;
}

/* Rules that span sections. */
static bool check_counts(dec_ctx *c) {
    tw_module *m = c->m;
    c->section = NULL;
    if (c->ndef_funcs != c->ncodes)
        return dec_fail(c, m->size, "function and code section have inconsistent lengths (%u vs %u)",
                        c->ndef_funcs, c->ncodes);
    /* Bodies naming data segments need the count up front. Without any data section the
       index is simply unknown, which the validator reports ("unknown data segment"). */
    if (c->data_use_offset && !m->has_data_count && m->ndatas > 0)
        return dec_fail(c, c->data_use_offset, "data count section required (for %s)",
                        (m->bytes[c->data_use_offset + 1] & 0x7F) == 8 ? "memory.init" : "data.drop");
    if (m->has_data_count && m->data_count != m->ndatas)
        return dec_fail(c, m->size, "data count and data section have inconsistent lengths (%u vs %u)",
                        m->data_count, m->ndatas);
    return true;
}

static bool finish(dec_ctx *c) {
    tw_module *m = c->m;
    if (!check_counts(c)) return locate_error(c, "module");
    if (!build_index_spaces(c) || !build_refs(c) || !fill_empty_arrays(c)) return false;
    m->ncustoms = c->customs.len;
    if (!(m->customs = dec_alloc(c, c->customs.len, sizeof *m->customs))) return false;
    if (c->customs.len) memcpy(m->customs, c->customs.v, c->customs.len * sizeof *m->customs);
    return true;
}

static bool decode_all(dec_ctx *c) {
    tw_module *m = c->m;
    dec_reader top = {.p = m->bytes, .end = m->bytes + m->size, .base = m->bytes};
    c->r = top;
    if (!decode_header(c)) return locate_error(c, "module header");
    top.p = c->r.p;
    uint8_t last_rank = 0;
    while (!dec_at_end(&top))
        if (!decode_section(c, &top, &last_rank)) return c->section ? false : locate_error(c, "module");
    return finish(c);
}

/* The module's own bytes, as `how` says; NULL on OOM (a taken buffer is then freed). */
static const uint8_t *hold_bytes(tw_module *m, const uint8_t *bytes, size_t len, dec_hold how) {
    if (how == DEC_BORROW) return bytes;
    if (how == DEC_TAKE) return m->owned_bytes = (uint8_t *)bytes;
    uint8_t *copy = tb_arena_alloc_raw(&m->arena, len ? len : 1);
    if (copy && len) memcpy(copy, bytes, len);
    return copy;
}

bool dec_module_from(const uint8_t *bytes, size_t len, dec_hold how, tw_module **out,
                     tb_error *err) {
    *out = NULL;
    bool ok = false;
    tw_module *m = NULL;
    if (len > UINT32_MAX) {
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "module larger than 4 GiB");
        goto done;
    }
    tb_arena arena;
    tb_arena_init(&arena);
    if (!(m = tb_arena_alloc(&arena, sizeof *m))) {
        tb_oom(err);
        goto done;
    }
    m->arena = arena;
    if (!(m->bytes = hold_bytes(m, bytes, len, how))) {
        tb_oom(err);
        goto done;
    }
    how = DEC_BORROW;   /* the module holds them now */
    m->size = len;
    dec_ctx c = {.m = m, .err = err};
    ok = decode_all(&c);
    tb_vec_free(&c.refs);
    tb_vec_free(&c.customs);
done:
    if (how == DEC_TAKE) tb_free((uint8_t *)bytes);
    if (!ok) {
        tw_module_free(m);
        return false;
    }
    *out = m;
    return true;
}

bool dec_module(const uint8_t *bytes, size_t len, tw_module **out, tb_error *err) {
    return dec_module_from(bytes, len, DEC_COPY, out, err);
}
