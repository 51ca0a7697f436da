/* reader: a bounds-checked cursor over module bytes with the binary format's LEB128
   rules, and the instruction reader shared by the decoder, validator and tiers. */
#ifndef DEC_READER_H
#define DEC_READER_H

#include "../base/base.h"
#include "../wasm/module.h"
#include "../wasm/opcodes.h"

typedef struct dec_reader {
    const uint8_t *p, *end;
    const uint8_t *base;   /* start of the module, for error offsets */
} dec_reader;

static inline size_t dec_offset(const dec_reader *r) { return (size_t)(r->p - r->base); }
static inline bool dec_at_end(const dec_reader *r) { return r->p >= r->end; }

/* Each fails with a TB_ERR_MALFORMED error in the spec's words ("unexpected end",
   "integer representation too long", "integer too large"). */
bool dec_byte(dec_reader *r, uint8_t *out, tb_error *err);
bool dec_u32(dec_reader *r, uint32_t *out, tb_error *err);
bool dec_s32(dec_reader *r, int32_t *out, tb_error *err);
bool dec_s33(dec_reader *r, int64_t *out, tb_error *err);
bool dec_s64(dec_reader *r, int64_t *out, tb_error *err);
bool dec_bytes(dec_reader *r, size_t n, const uint8_t **out, tb_error *err);

/* For code already checked by the decoder: read a u32 LEB128 without checks. */
static inline uint32_t dec_u32_trusted(const uint8_t **pp) {
    const uint8_t *p = *pp;
    uint32_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *p++;
        v |= (uint32_t)(b & 0x7F) << shift;
        shift += 7;
    } while (b & 0x80);
    *pp = p;
    return v;
}

typedef enum dec_blockkind { DEC_BLOCK_EMPTY, DEC_BLOCK_VALTYPE, DEC_BLOCK_TYPEIDX } dec_blockkind;

/* One decoded instruction. Which union member is set follows tw_opinfos[op].imm. */
typedef struct dec_instr {
    tw_op op;
    uint32_t offset;                 /* module offset of the opcode's first byte */
    union {
        struct { dec_blockkind kind; tw_valtype valtype; uint32_t typeidx; } block;
        uint32_t idx;                /* LABEL, FUNC, LOCAL, GLOBAL, TABLE, ELEM, DATA */
        struct { uint32_t type, table; } call_indirect;
        struct { uint32_t align, offset; uint8_t lane; } mem;    /* MEMARG, MEMARG_LANE */
        struct { uint32_t count; const uint8_t *targets; uint32_t default_label; } br_table;
        int32_t i32;
        int64_t i64;
        uint32_t f32;                /* bits */
        uint64_t f64;                /* bits */
        uint8_t v128[16];            /* V128 and SHUFFLE */
        uint8_t lane;                /* LANE */
        struct { uint32_t count; tw_valtype type; } select;     /* type of the first */
        tw_valtype reftype;
        struct { uint32_t seg, table; } init;   /* TABLE_INIT (seg, table), MEMORY_INIT (seg) */
        struct { uint32_t dst, src; } copy;     /* TABLE_COPY */
    } u;
} dec_instr;

/* Decode the next instruction and its immediates. Unknown opcodes ("illegal opcode"),
   non-zero reserved bytes ("zero byte expected"), bad reference/value types and LEB128
   errors are TB_ERR_MALFORMED. br_table targets are checked and left encoded at
   u.br_table.targets (read them with dec_u32_trusted). */
bool dec_instr_next(dec_reader *r, dec_instr *out, tb_error *err);

/* Value type byte -> valtype; false if not one ("malformed value type"). */
bool dec_valtype(dec_reader *r, tw_valtype *out, tb_error *err);

#endif
