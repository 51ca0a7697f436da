/* decode_code: the code section: local declarations and a walk over every instruction, so
   that malformed bodies are decode errors and each body ends exactly at its size. */
#include "decode_internal.h"
#include "../base/limits.h"
#include <stdio.h>

/* Sum the local declarations first, so an absurd count is refused before expanding. */
static bool count_locals(dec_ctx *c, dec_reader *r, uint32_t ndecls, uint32_t *total) {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < ndecls; i++) {
        size_t at = dec_offset(r);
        uint32_t n;
        tw_valtype t;
        if (!dec_u32(r, &n, c->err) || !dec_valtype(r, &t, c->err)) return false;
        sum += n;
        if (sum > TB_MAX_LOCALS) return dec_fail(c, at, "too many locals (more than %u)", TB_MAX_LOCALS);
    }
    c->total_locals += sum;
    if (c->total_locals > TB_MAX_MODULE_LOCALS)
        return tb_fail(c->err, TB_ERR_LIMIT, dec_offset(r), "more than %u locals in the module's functions",
                       TB_MAX_MODULE_LOCALS);
    *total = (uint32_t)sum;
    return true;
}

static bool read_locals(dec_ctx *c, dec_reader *r, tw_func *f) {
    size_t at = dec_offset(r);
    uint32_t ndecls;
    if (!dec_u32(r, &ndecls, c->err)) return false;
    if (ndecls > (size_t)(r->end - r->p)) return dec_fail(c, at, "length out of bounds (%u local declarations)", ndecls);
    const uint8_t *decls = r->p;
    if (!count_locals(c, r, ndecls, &f->nlocals)) return false;
    tw_valtype *locals = dec_alloc(c, f->nlocals, 1);
    if (!locals) return false;
    dec_reader again = {.p = decls, .end = r->end, .base = r->base};
    uint32_t k = 0;
    for (uint32_t i = 0; i < ndecls; i++) {
        uint32_t n;
        tw_valtype t;
        dec_u32(&again, &n, c->err);
        dec_valtype(&again, &t, c->err);
        memset(locals + k, t, n);
        k += n;
    }
    f->locals = locals;
    return true;
}

/* Walk instructions to the `end` that closes the body; nesting is tracked only to find
   it (the validator checks the structure). */
static bool walk_body(dec_ctx *c, dec_reader *r) {
    uint32_t depth = 0;
    dec_instr in;
    for (;;) {
        if (!dec_instr_next(r, &in, c->err)) return false;
        switch (in.op) {
        case TW_OP_BLOCK: case TW_OP_LOOP: case TW_OP_IF:
            depth++;
            break;
        case TW_OP_ELSE: /* the body's instruction sequence may only end with `end` */
            if (depth == 0) return dec_fail(c, in.offset, "END opcode expected (else outside if)");
            break;
        case TW_OP_END:
            if (depth == 0) return true;
            depth--;
            break;
        case TW_OP_MEMORY_INIT: case TW_OP_DATA_DROP:
            if (!c->data_use_offset) c->data_use_offset = in.offset;
            break;
        default:
            break;
        }
    }
}

static bool function_body(dec_ctx *c, uint32_t i) {
    size_t at = dec_offset(&c->r);
    uint32_t size;
    if (!dec_u32(&c->r, &size, c->err)) return false;
    if (size > (size_t)(c->r.end - c->r.p))
        return dec_fail(c, at, "length out of bounds (body of %u bytes)", size);
    const uint8_t *body_end = c->r.p + size;
    tw_func *f = &c->m->funcs[i];
    if (!read_locals(c, &c->r, f)) return false;
    f->code = c->r.p;
    f->code_offset = (uint32_t)dec_offset(&c->r);
    if (!walk_body(c, &c->r)) return false;
    if (c->r.p != body_end)
        return dec_fail(c, dec_offset(&c->r), "section size mismatch (body declared %u bytes)", size);
    f->code_len = (uint32_t)(c->r.p - f->code);
    return true;
}

/* Say which function a body error is in (by its index in the function index space). */
static bool name_function(dec_ctx *c, uint32_t funcidx) {
    tb_error *e = c->err;
    if (!e || e->kind != TB_ERR_MALFORMED) return false;
    char msg[sizeof e->msg];
    const char *m = strcmp(e->msg, "unexpected end") ? e->msg : "unexpected end of section or function";
    snprintf(msg, sizeof msg, "function %u: %s", funcidx, m);
    memcpy(e->msg, msg, sizeof msg);
    return false;
}

bool dec_code_section(dec_ctx *c) {
    if (!dec_count(c, &c->ncodes)) return false;
    if (c->ncodes != c->ndef_funcs)
        return dec_fail(c, dec_offset(&c->r), "function and code section have inconsistent lengths (%u vs %u)",
                        c->ndef_funcs, c->ncodes);
    for (uint32_t i = 0; i < c->ncodes; i++)
        if (!function_body(c, i)) return name_function(c, c->m->nimported_funcs + i);
    return true;
}
