/* reader: LEB128 and instruction decoding with the binary format's error rules. */
#include "reader.h"

static bool unexpected_end(dec_reader *r, tb_error *err) {
    return tb_fail(err, TB_ERR_MALFORMED, dec_offset(r), "unexpected end");
}

bool dec_byte(dec_reader *r, uint8_t *out, tb_error *err) {
    if (r->p >= r->end) return unexpected_end(r, err);
    *out = *r->p++;
    return true;
}

bool dec_bytes(dec_reader *r, size_t n, const uint8_t **out, tb_error *err) {
    if ((size_t)(r->end - r->p) < n) return unexpected_end(r, err);
    *out = r->p;
    r->p += n;
    return true;
}

/* Unsigned LEB128 of at most `bits` bits. */
static bool read_uleb(dec_reader *r, unsigned bits, uint64_t *out, tb_error *err) {
    size_t start = dec_offset(r);
    uint64_t v = 0;
    unsigned maxbytes = (bits + 6) / 7;
    for (unsigned i = 0;; i++) {
        uint8_t b;
        if (r->p >= r->end) return unexpected_end(r, err);
        b = *r->p++;
        if (i == maxbytes - 1) {
            if (b & 0x80)
                return tb_fail(err, TB_ERR_MALFORMED, start, "integer representation too long");
            unsigned used = bits - 7 * i;
            if (used < 7 && (b >> used) != 0)
                return tb_fail(err, TB_ERR_MALFORMED, start, "integer too large");
        }
        v |= (uint64_t)(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) break;
    }
    *out = v;
    return true;
}

/* Signed LEB128 of at most `bits` bits, sign-extended to 64. */
static bool read_sleb(dec_reader *r, unsigned bits, int64_t *out, tb_error *err) {
    size_t start = dec_offset(r);
    uint64_t v = 0;
    unsigned maxbytes = (bits + 6) / 7, shift = 0;
    uint8_t b;
    for (unsigned i = 0;; i++) {
        if (r->p >= r->end) return unexpected_end(r, err);
        b = *r->p++;
        if (i == maxbytes - 1) {
            if (b & 0x80)
                return tb_fail(err, TB_ERR_MALFORMED, start, "integer representation too long");
            /* The bits beyond `bits` must all equal the sign bit. */
            unsigned used = bits - 7 * i; /* 1..7 value bits in this byte */
            if (used < 7) {
                uint8_t payload = b & 0x7F;
                uint8_t mask = (uint8_t)(0x7F & ~((1u << used) - 1));
                bool sign = (payload >> (used - 1)) & 1;
                if ((payload & mask) != (sign ? mask : 0))
                    return tb_fail(err, TB_ERR_MALFORMED, start, "integer too large");
            }
        }
        v |= (uint64_t)(b & 0x7F) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
    }
    if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift;
    *out = (int64_t)v;
    return true;
}

bool dec_u32(dec_reader *r, uint32_t *out, tb_error *err) {
    if (TB_LIKELY(r->p < r->end && *r->p < 0x80)) { /* most indices fit one byte */
        *out = *r->p++;
        return true;
    }
    uint64_t v;
    if (!read_uleb(r, 32, &v, err)) return false;
    *out = (uint32_t)v;
    return true;
}

bool dec_s32(dec_reader *r, int32_t *out, tb_error *err) {
    if (TB_LIKELY(r->p < r->end && *r->p < 0x80)) { /* small constants: sign-extend 7 bits */
        *out = (int32_t)((uint32_t)*r->p++ << 25) >> 25;
        return true;
    }
    int64_t v;
    if (!read_sleb(r, 32, &v, err)) return false;
    *out = (int32_t)v;
    return true;
}

bool dec_s33(dec_reader *r, int64_t *out, tb_error *err) { return read_sleb(r, 33, out, err); }
bool dec_s64(dec_reader *r, int64_t *out, tb_error *err) {
    if (TB_LIKELY(r->p < r->end && *r->p < 0x80)) {
        *out = (int64_t)((uint64_t)*r->p++ << 57) >> 57;
        return true;
    }
    return read_sleb(r, 64, out, err);
}

bool dec_valtype(dec_reader *r, tw_valtype *out, tb_error *err) {
    size_t at = dec_offset(r);
    uint8_t b;
    if (!dec_byte(r, &b, err)) return false;
    switch (b) {
    case TW_I32: case TW_I64: case TW_F32: case TW_F64: case TW_V128:
    case TW_FUNCREF: case TW_EXTERNREF:
        *out = b;
        return true;
    }
    return tb_fail(err, TB_ERR_MALFORMED, at, "malformed value type 0x%02x", b);
}

static bool zero_byte(dec_reader *r, tb_error *err) {
    size_t at = dec_offset(r);
    uint8_t b;
    if (!dec_byte(r, &b, err)) return false;
    if (b != 0) return tb_fail(err, TB_ERR_MALFORMED, at, "zero byte expected");
    return true;
}

static bool read_blocktype(dec_reader *r, dec_instr *in, tb_error *err) {
    if (r->p < r->end && *r->p == 0x40) {
        r->p++;
        in->u.block.kind = DEC_BLOCK_EMPTY;
        return true;
    }
    if (r->p < r->end && (*r->p & 0xC0) == 0x40) { /* one-byte negative s33: a value type */
        in->u.block.kind = DEC_BLOCK_VALTYPE;
        return dec_valtype(r, &in->u.block.valtype, err);
    }
    size_t at = dec_offset(r);
    int64_t idx;
    if (!dec_s33(r, &idx, err)) return false;
    if (idx < 0) return tb_fail(err, TB_ERR_MALFORMED, at, "malformed block type");
    in->u.block.kind = DEC_BLOCK_TYPEIDX;
    in->u.block.typeidx = (uint32_t)idx;
    return true;
}

static bool read_memarg(dec_reader *r, dec_instr *in, tb_error *err) {
    return dec_u32(r, &in->u.mem.align, err) && dec_u32(r, &in->u.mem.offset, err);
}

static bool read_br_table(dec_reader *r, dec_instr *in, tb_error *err) {
    if (!dec_u32(r, &in->u.br_table.count, err)) return false;
    in->u.br_table.targets = r->p;
    for (uint32_t i = 0; i < in->u.br_table.count; i++) {
        uint32_t t;
        if (!dec_u32(r, &t, err)) return false;
    }
    return dec_u32(r, &in->u.br_table.default_label, err);
}

static bool read_select_t(dec_reader *r, dec_instr *in, tb_error *err) {
    if (!dec_u32(r, &in->u.select.count, err)) return false;
    in->u.select.type = 0;
    for (uint32_t i = 0; i < in->u.select.count; i++) {
        tw_valtype t;
        if (!dec_valtype(r, &t, err)) return false;
        if (i == 0) in->u.select.type = t;
    }
    return true;
}

static bool read_reftype(dec_reader *r, dec_instr *in, tb_error *err) {
    size_t at = dec_offset(r);
    uint8_t b;
    if (!dec_byte(r, &b, err)) return false;
    if (b != TW_FUNCREF && b != TW_EXTERNREF)
        return tb_fail(err, TB_ERR_MALFORMED, at, "malformed reference type");
    in->u.reftype = b;
    return true;
}

static bool read_fixed(dec_reader *r, void *dst, size_t n, tb_error *err) {
    const uint8_t *p;
    if (!dec_bytes(r, n, &p, err)) return false;
    memcpy(dst, p, n);
    return true;
}

static bool read_immediates(dec_reader *r, dec_instr *in, tb_error *err) {
    switch (tw_opinfos[in->op].imm) {
    case IMM_NONE: return true;
    case IMM_BLOCKTYPE: return read_blocktype(r, in, err);
    case IMM_LABEL: case IMM_FUNC: case IMM_LOCAL: case IMM_GLOBAL:
    case IMM_TABLE: case IMM_ELEM: case IMM_DATA:
        return dec_u32(r, &in->u.idx, err);
    case IMM_BR_TABLE: return read_br_table(r, in, err);
    case IMM_CALL_INDIRECT:
        return dec_u32(r, &in->u.call_indirect.type, err) &&
               dec_u32(r, &in->u.call_indirect.table, err);
    case IMM_MEMARG: return read_memarg(r, in, err);
    case IMM_MEMARG_LANE: return read_memarg(r, in, err) && dec_byte(r, &in->u.mem.lane, err);
    case IMM_MEMIDX: return zero_byte(r, err);
    case IMM_I32: return dec_s32(r, &in->u.i32, err);
    case IMM_I64: return dec_s64(r, &in->u.i64, err);
    case IMM_F32: return read_fixed(r, &in->u.f32, 4, err);
    case IMM_F64: return read_fixed(r, &in->u.f64, 8, err);
    case IMM_V128: case IMM_SHUFFLE: return read_fixed(r, in->u.v128, 16, err);
    case IMM_LANE: return dec_byte(r, &in->u.lane, err);
    case IMM_SELECT_T: return read_select_t(r, in, err);
    case IMM_REFTYPE: return read_reftype(r, in, err);
    case IMM_MEMORY_INIT: return dec_u32(r, &in->u.init.seg, err) && zero_byte(r, err);
    case IMM_MEMORY_COPY: return zero_byte(r, err) && zero_byte(r, err);
    case IMM_TABLE_INIT:
        return dec_u32(r, &in->u.init.seg, err) && dec_u32(r, &in->u.init.table, err);
    case IMM_TABLE_COPY:
        return dec_u32(r, &in->u.copy.dst, err) && dec_u32(r, &in->u.copy.src, err);
    }
    return tb_fail(err, TB_ERR_MALFORMED, in->offset, "unknown immediate kind");
}

bool dec_instr_next(dec_reader *r, dec_instr *in, tb_error *err) {
    in->offset = (uint32_t)dec_offset(r);
    uint8_t b;
    uint32_t code;
    if (!dec_byte(r, &b, err)) return false;
    if (b == 0xFC || b == 0xFD) {
        if (!dec_u32(r, &code, err)) return false;
    } else {
        code = b;
        b = 0;
    }
    if (!tw_op_lookup(b, code, &in->op))
        return tb_fail(err, TB_ERR_MALFORMED, in->offset, "illegal opcode %s0x%x",
                       b == 0xFC ? "0xfc " : b == 0xFD ? "0xfd " : "", code);
    return read_immediates(r, in, err);
}
