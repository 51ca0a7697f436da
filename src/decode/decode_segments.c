/* decode_segments: constant expressions, and the element and data sections. */
#include "decode_internal.h"

static bool is_constant_op(tw_op op) {
    switch (op) {
    case TW_OP_I32_CONST: case TW_OP_I64_CONST: case TW_OP_F32_CONST: case TW_OP_F64_CONST:
    case TW_OP_V128_CONST: case TW_OP_REF_NULL: case TW_OP_REF_FUNC: case TW_OP_GLOBAL_GET:
        return true;
    default:
        return false;
    }
}

static void set_constant(tw_constexpr *out, const dec_instr *in) {
    switch (in->op) {
    case TW_OP_I32_CONST:
        *out = (tw_constexpr){.op = TW_CONST_I32, .type = TW_I32, .bits = {(uint32_t)in->u.i32}};
        break;
    case TW_OP_I64_CONST:
        *out = (tw_constexpr){.op = TW_CONST_I64, .type = TW_I64, .bits = {(uint64_t)in->u.i64}};
        break;
    case TW_OP_F32_CONST:
        *out = (tw_constexpr){.op = TW_CONST_F32, .type = TW_F32, .bits = {in->u.f32}};
        break;
    case TW_OP_F64_CONST:
        *out = (tw_constexpr){.op = TW_CONST_F64, .type = TW_F64, .bits = {in->u.f64}};
        break;
    case TW_OP_V128_CONST:
        *out = (tw_constexpr){.op = TW_CONST_V128, .type = TW_V128};
        memcpy(out->bits, in->u.v128, 16);
        break;
    case TW_OP_REF_NULL:
        *out = (tw_constexpr){.op = TW_CONST_REF_NULL, .type = in->u.reftype};
        break;
    case TW_OP_REF_FUNC:
        *out = (tw_constexpr){.op = TW_CONST_REF_FUNC, .type = TW_FUNCREF, .index = in->u.idx};
        break;
    default: /* global.get: its type is the validator's business */
        *out = (tw_constexpr){.op = TW_CONST_GLOBAL, .index = in->u.idx};
        break;
    }
}

/* An expression up to its `end`. Anything decodable is accepted here; what is not a
   single constant instruction is recorded for the validator to reject. */
bool dec_constexpr(dec_ctx *c, tw_constexpr *out) {
    uint32_t depth = 0, n = 0;
    bool nonconst = false;
    tw_op bad = TW_OP_NOP;
    dec_instr in, first = {0};
    for (;;) {
        if (!dec_instr_next(&c->r, &in, c->err)) return false;
        if (in.op == TW_OP_END) {
            if (depth == 0) break;
            depth--;
        } else if (in.op == TW_OP_BLOCK || in.op == TW_OP_LOOP || in.op == TW_OP_IF) {
            depth++;
        }
        if (in.op == TW_OP_REF_FUNC && !dec_add_ref(c, in.u.idx)) return false;
        if (!nonconst && !is_constant_op(in.op)) {
            nonconst = true;
            bad = in.op;
        }
        if (n++ == 0) first = in;
    }
    if (nonconst) *out = (tw_constexpr){.op = TW_CONST_NONCONST, .index = bad};
    else if (n != 1) *out = (tw_constexpr){.op = TW_CONST_ARITY, .index = n};
    else set_constant(out, &first);
    return true;
}

/* ---- element segments: flags bit 0 passive/declarative, bit 1 explicit table (active)
   or declarative, bit 2 expressions instead of function indices ---- */

static bool elem_kind(dec_ctx *c) {
    size_t at = dec_offset(&c->r);
    uint8_t kind;
    if (!dec_byte(&c->r, &kind, c->err)) return false;
    if (kind != 0x00) return dec_fail(c, at, "malformed element kind 0x%02x", kind);
    return true;
}

static bool elem_items(dec_ctx *c, tw_elem *e, bool exprs) {
    if (!dec_count(c, &e->count)) return false;
    tw_constexpr *items = dec_alloc(c, e->count, sizeof *items);
    if (!items) return false;
    for (uint32_t i = 0; i < e->count; i++) {
        if (exprs) {
            if (!dec_constexpr(c, &items[i])) return false;
            continue;
        }
        uint32_t f;
        if (!dec_u32(&c->r, &f, c->err) || !dec_add_ref(c, f)) return false;
        items[i] = (tw_constexpr){.op = TW_CONST_REF_FUNC, .type = TW_FUNCREF, .index = f};
    }
    e->items = items;
    return true;
}

static bool elem_segment(dec_ctx *c, tw_elem *e) {
    size_t at = dec_offset(&c->r);
    uint32_t flags;
    if (!dec_u32(&c->r, &flags, c->err)) return false;
    if (flags > 7) return dec_fail(c, at, "malformed elements segment kind %u", flags);
    bool passive_or_decl = flags & 1, bit1 = flags & 2, exprs = flags & 4;
    e->type = TW_FUNCREF;
    if (!passive_or_decl) {
        e->mode = TW_SEG_ACTIVE;
        if (bit1 && !dec_u32(&c->r, &e->table, c->err)) return false;
        if (!dec_constexpr(c, &e->offset)) return false;
    } else {
        e->mode = bit1 ? TW_SEG_DECLARATIVE : TW_SEG_PASSIVE;
    }
    /* Flags 0 and 4 imply funcref; the others spell the kind or type out. */
    if (passive_or_decl || bit1) {
        if (exprs ? !dec_reftype(c, &e->type) : !elem_kind(c)) return false;
    }
    return elem_items(c, e, exprs);
}

bool dec_element_section(dec_ctx *c) {
    tw_module *m = c->m;
    if (!dec_count(c, &m->nelems)) return false;
    if (!(m->elems = dec_alloc(c, m->nelems, sizeof *m->elems))) return false;
    for (uint32_t i = 0; i < m->nelems; i++)
        if (!elem_segment(c, &m->elems[i])) return false;
    return true;
}

/* ---- data segments: 0 active in memory 0, 1 passive, 2 active with a memory index ---- */

static bool data_segment(dec_ctx *c, tw_data *d) {
    size_t at = dec_offset(&c->r);
    uint32_t flags;
    if (!dec_u32(&c->r, &flags, c->err)) return false;
    if (flags > 2) return dec_fail(c, at, "malformed data segment kind %u", flags);
    d->mode = flags == 1 ? TW_SEG_PASSIVE : TW_SEG_ACTIVE;
    if (flags == 2 && !dec_u32(&c->r, &d->mem, c->err)) return false;
    if (flags != 1 && !dec_constexpr(c, &d->offset)) return false;
    at = dec_offset(&c->r);
    if (!dec_u32(&c->r, &d->len, c->err)) return false;
    if (d->len > (size_t)(c->r.end - c->r.p))
        return dec_fail(c, at, "unexpected end of section or function (data of %u bytes)", d->len);
    return dec_bytes(&c->r, d->len, &d->bytes, c->err);
}

bool dec_data_section(dec_ctx *c) {
    tw_module *m = c->m;
    if (!dec_count(c, &m->ndatas)) return false;
    if (!(m->datas = dec_alloc(c, m->ndatas, sizeof *m->datas))) return false;
    for (uint32_t i = 0; i < m->ndatas; i++)
        if (!data_segment(c, &m->datas[i])) return false;
    return true;
}
