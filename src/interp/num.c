/* num: handlers for scalar numeric instructions (arithmetic, comparisons, conversions)
   and compare-and-branch superinstructions, generated from the op lists below. */
#include "internal.h"
#include "numeric.h"

/* Value kinds: C type, read from a slot, read the immediate of cell 2, write a slot. */
typedef uint32_t T_i32;
typedef uint64_t T_i64;
typedef float T_f32;
typedef double T_f64;
#define GET_i32(s) sl_u32(fp, (s))
#define GET_i64(s) fp[(s)]
#define GET_f32(s) sl_f32(fp, (s))
#define GET_f64(s) sl_f64(fp, (s))
#define IMM_i32 ((uint32_t)OPU(2))
#define IMM_i64 (OPU(2))
#define PUT_i32(s, v) (fp[(s)] = (uint32_t)(v))
#define PUT_i64(s, v) (fp[(s)] = (uint64_t)(v))
#define PUT_f32(s, v) sl_set_f32(fp, (s), (v))
#define PUT_f64(s, v) sl_set_f64(fp, (s), (v))

#define S32(x) ((int32_t)(x))
#define S64(x) ((int64_t)(x))

/* ---- the op lists: X(op, operand kind, result kind, expression of a, b or x) ---- */

#define INT_BINOPS(X)                                                                 \
    X(I32_ADD, i32, i32, a + b) X(I32_SUB, i32, i32, a - b) X(I32_MUL, i32, i32, a * b) \
    X(I32_AND, i32, i32, a & b) X(I32_OR, i32, i32, a | b) X(I32_XOR, i32, i32, a ^ b)  \
    X(I32_SHL, i32, i32, num_i32_shl(a, b)) X(I32_SHR_S, i32, i32, num_i32_shr_s(a, b)) \
    X(I32_SHR_U, i32, i32, num_i32_shr_u(a, b)) X(I32_ROTL, i32, i32, num_i32_rotl(a, b)) \
    X(I32_ROTR, i32, i32, num_i32_rotr(a, b))                                          \
    X(I64_ADD, i64, i64, a + b) X(I64_SUB, i64, i64, a - b) X(I64_MUL, i64, i64, a * b) \
    X(I64_AND, i64, i64, a & b) X(I64_OR, i64, i64, a | b) X(I64_XOR, i64, i64, a ^ b)  \
    X(I64_SHL, i64, i64, num_i64_shl(a, b)) X(I64_SHR_S, i64, i64, num_i64_shr_s(a, b)) \
    X(I64_SHR_U, i64, i64, num_i64_shr_u(a, b)) X(I64_ROTL, i64, i64, num_i64_rotl(a, b)) \
    X(I64_ROTR, i64, i64, num_i64_rotr(a, b))

#define INT_CMPOPS(X)                                                                 \
    X(I32_EQ, i32, i32, a == b) X(I32_NE, i32, i32, a != b)                           \
    X(I32_LT_S, i32, i32, S32(a) < S32(b)) X(I32_LT_U, i32, i32, a < b)               \
    X(I32_GT_S, i32, i32, S32(a) > S32(b)) X(I32_GT_U, i32, i32, a > b)               \
    X(I32_LE_S, i32, i32, S32(a) <= S32(b)) X(I32_LE_U, i32, i32, a <= b)             \
    X(I32_GE_S, i32, i32, S32(a) >= S32(b)) X(I32_GE_U, i32, i32, a >= b)             \
    X(I64_EQ, i64, i32, a == b) X(I64_NE, i64, i32, a != b)                           \
    X(I64_LT_S, i64, i32, S64(a) < S64(b)) X(I64_LT_U, i64, i32, a < b)               \
    X(I64_GT_S, i64, i32, S64(a) > S64(b)) X(I64_GT_U, i64, i32, a > b)               \
    X(I64_LE_S, i64, i32, S64(a) <= S64(b)) X(I64_LE_U, i64, i32, a <= b)             \
    X(I64_GE_S, i64, i32, S64(a) >= S64(b)) X(I64_GE_U, i64, i32, a >= b)

#define FLOAT_CMPOPS(X)                                                               \
    X(F32_EQ, f32, i32, a == b) X(F32_NE, f32, i32, a != b) X(F32_LT, f32, i32, a < b)  \
    X(F32_GT, f32, i32, a > b) X(F32_LE, f32, i32, a <= b) X(F32_GE, f32, i32, a >= b)  \
    X(F64_EQ, f64, i32, a == b) X(F64_NE, f64, i32, a != b) X(F64_LT, f64, i32, a < b)  \
    X(F64_GT, f64, i32, a > b) X(F64_LE, f64, i32, a <= b) X(F64_GE, f64, i32, a >= b)

#define FLOAT_BINOPS(X)                                                               \
    X(F32_ADD, f32, f32, a + b) X(F32_SUB, f32, f32, a - b) X(F32_MUL, f32, f32, a * b) \
    X(F32_DIV, f32, f32, a / b) X(F32_MIN, f32, f32, num_f32_min(a, b))                \
    X(F32_MAX, f32, f32, num_f32_max(a, b)) X(F32_COPYSIGN, f32, f32, num_f32_copysign(a, b)) \
    X(F64_ADD, f64, f64, a + b) X(F64_SUB, f64, f64, a - b) X(F64_MUL, f64, f64, a * b) \
    X(F64_DIV, f64, f64, a / b) X(F64_MIN, f64, f64, num_f64_min(a, b))                \
    X(F64_MAX, f64, f64, num_f64_max(a, b)) X(F64_COPYSIGN, f64, f64, num_f64_copysign(a, b))

/* Binary ops that may trap: X(op, kind, numeric.h function). */
#define TRAP_BINOPS(X)                                                                \
    X(I32_DIV_S, i32, num_i32_div_s) X(I32_DIV_U, i32, num_i32_div_u)                 \
    X(I32_REM_S, i32, num_i32_rem_s) X(I32_REM_U, i32, num_i32_rem_u)                 \
    X(I64_DIV_S, i64, num_i64_div_s) X(I64_DIV_U, i64, num_i64_div_u)                 \
    X(I64_REM_S, i64, num_i64_rem_s) X(I64_REM_U, i64, num_i64_rem_u)

#define UNOPS(X)                                                                      \
    X(I32_EQZ, i32, i32, x == 0) X(I64_EQZ, i64, i32, x == 0)                         \
    X(I32_CLZ, i32, i32, num_i32_clz(x)) X(I32_CTZ, i32, i32, num_i32_ctz(x))         \
    X(I32_POPCNT, i32, i32, num_i32_popcnt(x))                                        \
    X(I64_CLZ, i64, i64, num_i64_clz(x)) X(I64_CTZ, i64, i64, num_i64_ctz(x))         \
    X(I64_POPCNT, i64, i64, num_i64_popcnt(x))                                        \
    X(F32_ABS, f32, f32, num_f32_abs(x)) X(F32_NEG, f32, f32, num_f32_neg(x))         \
    X(F32_CEIL, f32, f32, num_f32_ceil(x)) X(F32_FLOOR, f32, f32, num_f32_floor(x))   \
    X(F32_TRUNC, f32, f32, num_f32_trunc(x)) X(F32_NEAREST, f32, f32, num_f32_nearest(x)) \
    X(F32_SQRT, f32, f32, num_f32_sqrt(x))                                            \
    X(F64_ABS, f64, f64, num_f64_abs(x)) X(F64_NEG, f64, f64, num_f64_neg(x))         \
    X(F64_CEIL, f64, f64, num_f64_ceil(x)) X(F64_FLOOR, f64, f64, num_f64_floor(x))   \
    X(F64_TRUNC, f64, f64, num_f64_trunc(x)) X(F64_NEAREST, f64, f64, num_f64_nearest(x)) \
    X(F64_SQRT, f64, f64, num_f64_sqrt(x))                                            \
    X(I32_WRAP_I64, i64, i32, (uint32_t)x)                                            \
    X(I64_EXTEND_I32_S, i32, i64, num_i64_extend_i32_s(x))                            \
    X(I64_EXTEND_I32_U, i32, i64, num_i64_extend_i32_u(x))                            \
    X(F32_CONVERT_I32_S, i32, f32, num_f32_convert_i32_s(x))                          \
    X(F32_CONVERT_I32_U, i32, f32, num_f32_convert_i32_u(x))                          \
    X(F32_CONVERT_I64_S, i64, f32, num_f32_convert_i64_s(x))                          \
    X(F32_CONVERT_I64_U, i64, f32, num_f32_convert_i64_u(x))                          \
    X(F32_DEMOTE_F64, f64, f32, num_f32_demote_f64(x))                                \
    X(F64_CONVERT_I32_S, i32, f64, num_f64_convert_i32_s(x))                          \
    X(F64_CONVERT_I32_U, i32, f64, num_f64_convert_i32_u(x))                          \
    X(F64_CONVERT_I64_S, i64, f64, num_f64_convert_i64_s(x))                          \
    X(F64_CONVERT_I64_U, i64, f64, num_f64_convert_i64_u(x))                          \
    X(F64_PROMOTE_F32, f32, f64, num_f64_promote_f32(x))                              \
    X(I32_EXTEND8_S, i32, i32, num_i32_extend8_s(x))                                  \
    X(I32_EXTEND16_S, i32, i32, num_i32_extend16_s(x))                                \
    X(I64_EXTEND8_S, i64, i64, num_i64_extend8_s(x))                                  \
    X(I64_EXTEND16_S, i64, i64, num_i64_extend16_s(x))                                \
    X(I64_EXTEND32_S, i64, i64, num_i64_extend32_s(x))                                \
    X(I32_TRUNC_SAT_F32_S, f32, i32, num_i32_trunc_sat_f32_s(x))                      \
    X(I32_TRUNC_SAT_F32_U, f32, i32, num_i32_trunc_sat_f32_u(x))                      \
    X(I32_TRUNC_SAT_F64_S, f64, i32, num_i32_trunc_sat_f64_s(x))                      \
    X(I32_TRUNC_SAT_F64_U, f64, i32, num_i32_trunc_sat_f64_u(x))                      \
    X(I64_TRUNC_SAT_F32_S, f32, i64, num_i64_trunc_sat_f32_s(x))                      \
    X(I64_TRUNC_SAT_F32_U, f32, i64, num_i64_trunc_sat_f32_u(x))                      \
    X(I64_TRUNC_SAT_F64_S, f64, i64, num_i64_trunc_sat_f64_s(x))                      \
    X(I64_TRUNC_SAT_F64_U, f64, i64, num_i64_trunc_sat_f64_u(x))                      \
    X(REF_IS_NULL, i64, i32, x == 0)

/* Unary ops that may trap: X(op, operand kind, result kind, numeric.h function). */
#define TRAP_UNOPS(X)                                                                 \
    X(I32_TRUNC_F32_S, f32, i32, num_i32_trunc_f32_s)                                 \
    X(I32_TRUNC_F32_U, f32, i32, num_i32_trunc_f32_u)                                 \
    X(I32_TRUNC_F64_S, f64, i32, num_i32_trunc_f64_s)                                 \
    X(I32_TRUNC_F64_U, f64, i32, num_i32_trunc_f64_u)                                 \
    X(I64_TRUNC_F32_S, f32, i64, num_i64_trunc_f32_s)                                 \
    X(I64_TRUNC_F32_U, f32, i64, num_i64_trunc_f32_u)                                 \
    X(I64_TRUNC_F64_S, f64, i64, num_i64_trunc_f64_s)                                 \
    X(I64_TRUNC_F64_U, f64, i64, num_i64_trunc_f64_u)

/* ---- handler generators ---- */

/* [h][dst|a][b] and [h][dst|a][imm] */
#define GEN_BIN_SS(op, ta, tr, expr)                                                  \
    static IHANDLER h_##op##_ss(IARGS) {                                              \
        T_##ta a = GET_##ta(OPB(1)), b = GET_##ta(OPA(2));                            \
        PUT_##tr(OPA(1), (expr));                                                     \
        NEXT(3);                                                                      \
    }
#define GEN_BIN_SI(op, ta, tr, expr)                                                  \
    static IHANDLER h_##op##_si(IARGS) {                                              \
        T_##ta a = GET_##ta(OPB(1)), b = IMM_##ta;                                    \
        PUT_##tr(OPA(1), (expr));                                                     \
        NEXT(3);                                                                      \
    }
/* [h][a|b][target] and [h][a][imm][target]; N = branch when false */
#define GEN_BRCMP_SS(op, ta, tr, expr)                                                \
    static IHANDLER h_br_##op##_ss(IARGS) {                                           \
        T_##ta a = GET_##ta(OPA(1)), b = GET_##ta(OPB(1));                            \
        if (expr) JUMP(pc[2].target);                                                 \
        NEXT(3);                                                                      \
    }                                                                                 \
    static IHANDLER h_brn_##op##_ss(IARGS) {                                          \
        T_##ta a = GET_##ta(OPA(1)), b = GET_##ta(OPB(1));                            \
        if (!(expr)) JUMP(pc[2].target);                                              \
        NEXT(3);                                                                      \
    }
#define GEN_BRCMP_SI(op, ta, tr, expr)                                                \
    static IHANDLER h_br_##op##_si(IARGS) {                                           \
        T_##ta a = GET_##ta(OPA(1)), b = IMM_##ta;                                    \
        if (expr) JUMP(pc[3].target);                                                 \
        NEXT(4);                                                                      \
    }                                                                                 \
    static IHANDLER h_brn_##op##_si(IARGS) {                                          \
        T_##ta a = GET_##ta(OPA(1)), b = IMM_##ta;                                    \
        if (!(expr)) JUMP(pc[3].target);                                              \
        NEXT(4);                                                                      \
    }
#define GEN_TRAP_BIN(op, ta, fn)                                                      \
    static IHANDLER h_##op##_ss(IARGS) {                                              \
        T_##ta a = GET_##ta(OPB(1)), b = GET_##ta(OPA(2)), r;                         \
        rt_trap_code c = fn(a, b, &r);                                                \
        if (TB_UNLIKELY(c != RT_TRAP_NONE)) TRAP(c);                                  \
        PUT_##ta(OPA(1), r);                                                          \
        NEXT(3);                                                                      \
    }                                                                                 \
    static IHANDLER h_##op##_si(IARGS) {                                              \
        T_##ta a = GET_##ta(OPB(1)), b = IMM_##ta, r;                                 \
        rt_trap_code c = fn(a, b, &r);                                                \
        if (TB_UNLIKELY(c != RT_TRAP_NONE)) TRAP(c);                                  \
        PUT_##ta(OPA(1), r);                                                          \
        NEXT(3);                                                                      \
    }
/* [h][dst|a] */
#define GEN_UN(op, ta, tr, expr)                                                      \
    static IHANDLER h_##op(IARGS) {                                                   \
        T_##ta x = GET_##ta(OPB(1));                                                  \
        PUT_##tr(OPA(1), (expr));                                                     \
        NEXT(2);                                                                      \
    }
#define GEN_TRAP_UN(op, ta, tr, fn)                                                   \
    static IHANDLER h_##op(IARGS) {                                                   \
        T_##ta x = GET_##ta(OPB(1));                                                  \
        T_##tr r;                                                                     \
        rt_trap_code c = fn(x, &r);                                                   \
        if (TB_UNLIKELY(c != RT_TRAP_NONE)) TRAP(c);                                  \
        PUT_##tr(OPA(1), r);                                                          \
        NEXT(2);                                                                      \
    }

INT_BINOPS(GEN_BIN_SS)
INT_BINOPS(GEN_BIN_SI)
INT_CMPOPS(GEN_BIN_SS)
INT_CMPOPS(GEN_BIN_SI)
INT_CMPOPS(GEN_BRCMP_SS)
INT_CMPOPS(GEN_BRCMP_SI)
FLOAT_BINOPS(GEN_BIN_SS)
FLOAT_CMPOPS(GEN_BIN_SS)
FLOAT_CMPOPS(GEN_BRCMP_SS)
TRAP_BINOPS(GEN_TRAP_BIN)
UNOPS(GEN_UN)
TRAP_UNOPS(GEN_TRAP_UN)

/* ---- tables for the lowering ---- */

#define ENT_SS(op, ...) [TW_OP_##op] = h_##op##_ss,
#define ENT_SI(op, ...) [TW_OP_##op] = h_##op##_si,
#define ENT_UN(op, ...) [TW_OP_##op] = h_##op,
#define ENT_BR_SS(op, ...) [TW_OP_##op] = h_br_##op##_ss,
#define ENT_BR_SI(op, ...) [TW_OP_##op] = h_br_##op##_si,
#define ENT_BRN_SS(op, ...) [TW_OP_##op] = h_brn_##op##_ss,
#define ENT_BRN_SI(op, ...) [TW_OP_##op] = h_brn_##op##_si,

const ihandler interp_binop_ss[TW_OP_COUNT] = {
    INT_BINOPS(ENT_SS) INT_CMPOPS(ENT_SS) FLOAT_BINOPS(ENT_SS) FLOAT_CMPOPS(ENT_SS)
    TRAP_BINOPS(ENT_SS)
};
const ihandler interp_binop_si[TW_OP_COUNT] = {
    INT_BINOPS(ENT_SI) INT_CMPOPS(ENT_SI) TRAP_BINOPS(ENT_SI)
};
const ihandler interp_unop[TW_OP_COUNT] = { UNOPS(ENT_UN) TRAP_UNOPS(ENT_UN) };
const ihandler interp_brcmp_ss[TW_OP_COUNT] = { INT_CMPOPS(ENT_BR_SS) FLOAT_CMPOPS(ENT_BR_SS) };
const ihandler interp_brcmp_si[TW_OP_COUNT] = { INT_CMPOPS(ENT_BR_SI) };
const ihandler interp_brncmp_ss[TW_OP_COUNT] = { INT_CMPOPS(ENT_BRN_SS) FLOAT_CMPOPS(ENT_BRN_SS) };
const ihandler interp_brncmp_si[TW_OP_COUNT] = { INT_CMPOPS(ENT_BRN_SI) };
