/* simd: handlers for the non-memory v128 instructions, generated from simd_ops.def
   (semantics in simd.h). Layout: [h][dst|a][b|c or lane][shuffle lo][shuffle hi].
   Every handler reads all operands before writing, so dst may alias an operand. */
#include "internal.h"
#include "simd.h"

#define VA simd_from_slots(&fp[OPB(1)])
#define VB simd_from_slots(&fp[OPA(2)])
#define VC simd_from_slots(&fp[OPB(2)])
#define LANE OPB(2)
#define PUT_V(v) simd_to_slots(&fp[OPA(1)], (v))

#define GEN_V(op, expr)                                                               \
    static IHANDLER h_##op(IARGS) {                                                   \
        v128 r = (expr);                                                              \
        PUT_V(r);                                                                     \
        NEXT(3);                                                                      \
    }

#define SIMD_UNOP(op, fn) GEN_V(op, fn(VA))
#define SIMD_BINOP(op, fn) GEN_V(op, fn(VA, VB))
#define SIMD_TERNOP(op, fn) GEN_V(op, fn(VA, VB, VC))
#define SIMD_SHIFT(op, fn) GEN_V(op, fn(VA, sl_u32(fp, OPA(2))))
#define SIMD_SPLAT_I32(op, fn) GEN_V(op, fn(sl_u32(fp, OPB(1))))
#define SIMD_SPLAT_I64(op, fn) GEN_V(op, fn(fp[OPB(1)]))
#define SIMD_SPLAT_F32(op, fn) GEN_V(op, fn(sl_f32(fp, OPB(1))))
#define SIMD_SPLAT_F64(op, fn) GEN_V(op, fn(sl_f64(fp, OPB(1))))
#define SIMD_REPLACE_I32(op, fn) GEN_V(op, fn(VA, LANE, sl_u32(fp, OPA(2))))
#define SIMD_REPLACE_I64(op, fn) GEN_V(op, fn(VA, LANE, fp[OPA(2)]))
#define SIMD_REPLACE_F32(op, fn) GEN_V(op, fn(VA, LANE, sl_f32(fp, OPA(2))))
#define SIMD_REPLACE_F64(op, fn) GEN_V(op, fn(VA, LANE, sl_f64(fp, OPA(2))))
#define SIMD_SHUFFLE(op, fn)                                                          \
    static IHANDLER h_##op(IARGS) {                                                   \
        uint8_t idx[16];                                                              \
        memcpy(idx, &pc[3], 16);                                                      \
        v128 r = fn(VA, VB, idx);                                                     \
        PUT_V(r);                                                                     \
        NEXT(5);                                                                      \
    }
#define SIMD_TEST(op, fn)                                                             \
    static IHANDLER h_##op(IARGS) { fp[OPA(1)] = fn(VA); NEXT(3); }
#define SIMD_EXTRACT_I32(op, fn)                                                      \
    static IHANDLER h_##op(IARGS) { fp[OPA(1)] = (uint32_t)fn(VA, LANE); NEXT(3); }
#define SIMD_EXTRACT_I64(op, fn)                                                      \
    static IHANDLER h_##op(IARGS) { fp[OPA(1)] = fn(VA, LANE); NEXT(3); }
#define SIMD_EXTRACT_F32(op, fn)                                                      \
    static IHANDLER h_##op(IARGS) { sl_set_f32(fp, OPA(1), fn(VA, LANE)); NEXT(3); }
#define SIMD_EXTRACT_F64(op, fn)                                                      \
    static IHANDLER h_##op(IARGS) { sl_set_f64(fp, OPA(1), fn(VA, LANE)); NEXT(3); }
#include "simd_ops.def"

#define ENT(op, ...) [TW_OP_##op] = h_##op,
const ihandler interp_simd[TW_OP_COUNT] = {
#define SIMD_UNOP ENT
#define SIMD_BINOP ENT
#define SIMD_TERNOP ENT
#define SIMD_SHIFT ENT
#define SIMD_SPLAT_I32 ENT
#define SIMD_SPLAT_I64 ENT
#define SIMD_SPLAT_F32 ENT
#define SIMD_SPLAT_F64 ENT
#define SIMD_REPLACE_I32 ENT
#define SIMD_REPLACE_I64 ENT
#define SIMD_REPLACE_F32 ENT
#define SIMD_REPLACE_F64 ENT
#define SIMD_SHUFFLE ENT
#define SIMD_TEST ENT
#define SIMD_EXTRACT_I32 ENT
#define SIMD_EXTRACT_I64 ENT
#define SIMD_EXTRACT_F32 ENT
#define SIMD_EXTRACT_F64 ENT
#include "simd_ops.def"
};
