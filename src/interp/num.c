/* num: handlers for scalar numeric instructions (arithmetic, comparisons, conversions)
   and compare-and-branch superinstructions, generated from the op lists below. */
#include "internal.h"
#include "numeric.h"

/* Keep every operation rounded on its own, as Wasm requires (no fused multiply-add). */
#pragma clang fp contract(off)

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

#define I32_CMPOPS(X)                                                                 \
    X(I32_EQ, i32, i32, a == b) X(I32_NE, i32, i32, a != b)                           \
    X(I32_LT_S, i32, i32, S32(a) < S32(b)) X(I32_LT_U, i32, i32, a < b)               \
    X(I32_GT_S, i32, i32, S32(a) > S32(b)) X(I32_GT_U, i32, i32, a > b)               \
    X(I32_LE_S, i32, i32, S32(a) <= S32(b)) X(I32_LE_U, i32, i32, a <= b)             \
    X(I32_GE_S, i32, i32, S32(a) >= S32(b)) X(I32_GE_U, i32, i32, a >= b)
#define INT_CMPOPS(X)                                                                 \
    I32_CMPOPS(X)                                                                     \
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

/* Operands of each form (internal.h): A_ and B_ for values, BA_ and BB_ for branches. */
#define A_F_SS(k) GET_##k(OPB(1))
#define B_F_SS(k) GET_##k(OPA(2))
#define A_F_SI(k) GET_##k(OPB(1))
#define B_F_SI(k) IMM_##k
#define A_F_XS(k) X_##k
#define B_F_XS(k) GET_##k(OPA(2))
#define A_F_SX(k) GET_##k(OPB(1))
#define B_F_SX(k) X_##k
#define A_F_XI(k) X_##k
#define B_F_XI(k) IMM_##k
#define BA_F_SS(k) GET_##k(OPA(1))
#define BB_F_SS(k) GET_##k(OPB(1))
#define BA_F_SI(k) GET_##k(OPA(1))
#define BB_F_SI(k) IMM_##k
#define BA_F_XS(k) X_##k
#define BB_F_XS(k) GET_##k(OPB(1))
#define BA_F_SX(k) GET_##k(OPA(1))
#define BB_F_SX(k) X_##k
#define BA_F_XI(k) X_##k
#define BB_F_XI(k) IMM_##k
/* branch instruction length: forms with an immediate take one more cell */
#define BLEN_F_SS 3
#define BLEN_F_SI 4
#define BLEN_F_XS 3
#define BLEN_F_SX 3
#define BLEN_F_XI 4

#define GEN_BIN_F(form, op, ta, tr, expr)                                             \
    static IHANDLER h_##op##_##form(IARGS) {                                          \
        T_##ta a = A_##form(ta), b = B_##form(ta);                                    \
        PUT_##tr(OPA(1), (expr));                                                     \
        NEXT(3);                                                                      \
    }
#define GEN_BRCMP_F(form, op, ta, tr, expr)                                           \
    static IHANDLER h_br_##op##_##form(IARGS) {                                       \
        T_##ta a = BA_##form(ta), b = BB_##form(ta);                                  \
        if (expr) JUMP(pc[BLEN_##form - 1].target);                                   \
        NEXT(BLEN_##form);                                                            \
    }                                                                                 \
    static IHANDLER h_brn_##op##_##form(IARGS) {                                      \
        T_##ta a = BA_##form(ta), b = BB_##form(ta);                                  \
        if (!(expr)) JUMP(pc[BLEN_##form - 1].target);                                \
        NEXT(BLEN_##form);                                                            \
    }
#define GEN_TRAP_BIN_F(form, op, ta, fn)                                              \
    static IHANDLER h_##op##_##form(IARGS) {                                          \
        T_##ta a = A_##form(ta), b = B_##form(ta), r;                                 \
        rt_trap_code c = fn(a, b, &r);                                                \
        if (TB_UNLIKELY(c != RT_TRAP_NONE)) TRAP(c);                                  \
        PUT_##ta(OPA(1), r);                                                          \
        NEXT(3);                                                                      \
    }
#define ALL_FORMS(G, ...)                                                             \
    G(F_SS, __VA_ARGS__) G(F_SI, __VA_ARGS__) G(F_XS, __VA_ARGS__)                    \
    G(F_SX, __VA_ARGS__) G(F_XI, __VA_ARGS__)
#define GEN_BIN(op, ta, tr, expr) ALL_FORMS(GEN_BIN_F, op, ta, tr, expr)
#define GEN_BRCMP(op, ta, tr, expr) ALL_FORMS(GEN_BRCMP_F, op, ta, tr, expr)
#define GEN_TRAP_BIN(op, ta, fn) ALL_FORMS(GEN_TRAP_BIN_F, op, ta, fn)

/* [h][dst|a]; _x: a from the accumulator */
#define GEN_UN(op, ta, tr, expr)                                                      \
    static IHANDLER h_##op(IARGS) {                                                   \
        T_##ta x = GET_##ta(OPB(1));                                                  \
        PUT_##tr(OPA(1), (expr));                                                     \
        NEXT(2);                                                                      \
    }                                                                                 \
    static IHANDLER h_##op##_x(IARGS) {                                               \
        T_##ta x = X_##ta;                                                            \
        PUT_##tr(OPA(1), (expr));                                                     \
        NEXT(2);                                                                      \
    }
#define GEN_TRAP_UN_(name, get, ta, tr, fn)                                           \
    static IHANDLER name(IARGS) {                                                     \
        T_##ta x = get;                                                               \
        T_##tr r;                                                                     \
        rt_trap_code c = fn(x, &r);                                                   \
        if (TB_UNLIKELY(c != RT_TRAP_NONE)) TRAP(c);                                  \
        PUT_##tr(OPA(1), r);                                                          \
        NEXT(2);                                                                      \
    }
#define GEN_TRAP_UN(op, ta, tr, fn)                                                   \
    GEN_TRAP_UN_(h_##op, GET_##ta(OPB(1)), ta, tr, fn)                                \
    GEN_TRAP_UN_(h_##op##_x, X_##ta, ta, tr, fn)

INT_BINOPS(GEN_BIN)
INT_CMPOPS(GEN_BIN)
INT_CMPOPS(GEN_BRCMP)
FLOAT_BINOPS(GEN_BIN)
FLOAT_CMPOPS(GEN_BIN)
FLOAT_CMPOPS(GEN_BRCMP)
TRAP_BINOPS(GEN_TRAP_BIN)
UNOPS(GEN_UN)
TRAP_UNOPS(GEN_TRAP_UN)

/* ---- tables for the lowering ---- */

#define BIN_TABLE(form, ENT)                                                          \
    [form] = {INT_BINOPS(ENT) INT_CMPOPS(ENT) FLOAT_BINOPS(ENT) FLOAT_CMPOPS(ENT)    \
              TRAP_BINOPS(ENT)}
#define E_SS(op, ...) [TW_OP_##op] = h_##op##_F_SS,
#define E_SI(op, ...) [TW_OP_##op] = h_##op##_F_SI,
#define E_XS(op, ...) [TW_OP_##op] = h_##op##_F_XS,
#define E_SX(op, ...) [TW_OP_##op] = h_##op##_F_SX,
#define E_XI(op, ...) [TW_OP_##op] = h_##op##_F_XI,
const ihandler interp_binop[F_COUNT][TW_OP_COUNT] = {
    BIN_TABLE(F_SS, E_SS), BIN_TABLE(F_SI, E_SI), BIN_TABLE(F_XS, E_XS),
    BIN_TABLE(F_SX, E_SX), BIN_TABLE(F_XI, E_XI),
};

#define BR_TABLE(form, ENT) [form] = {INT_CMPOPS(ENT) FLOAT_CMPOPS(ENT)}
#define B_SS(op, ...) [TW_OP_##op] = h_br_##op##_F_SS,
#define B_SI(op, ...) [TW_OP_##op] = h_br_##op##_F_SI,
#define B_XS(op, ...) [TW_OP_##op] = h_br_##op##_F_XS,
#define B_SX(op, ...) [TW_OP_##op] = h_br_##op##_F_SX,
#define B_XI(op, ...) [TW_OP_##op] = h_br_##op##_F_XI,
const ihandler interp_brcmp[F_COUNT][TW_OP_COUNT] = {
    BR_TABLE(F_SS, B_SS), BR_TABLE(F_SI, B_SI), BR_TABLE(F_XS, B_XS),
    BR_TABLE(F_SX, B_SX), BR_TABLE(F_XI, B_XI),
};
#define N_SS(op, ...) [TW_OP_##op] = h_brn_##op##_F_SS,
#define N_SI(op, ...) [TW_OP_##op] = h_brn_##op##_F_SI,
#define N_XS(op, ...) [TW_OP_##op] = h_brn_##op##_F_XS,
#define N_SX(op, ...) [TW_OP_##op] = h_brn_##op##_F_SX,
#define N_XI(op, ...) [TW_OP_##op] = h_brn_##op##_F_XI,
const ihandler interp_brncmp[F_COUNT][TW_OP_COUNT] = {
    BR_TABLE(F_SS, N_SS), BR_TABLE(F_SI, N_SI), BR_TABLE(F_XS, N_XS),
    BR_TABLE(F_SX, N_SX), BR_TABLE(F_XI, N_XI),
};

#define U_S(op, ...) [TW_OP_##op] = h_##op,
#define U_X(op, ...) [TW_OP_##op] = h_##op##_x,
const ihandler interp_unop[2][TW_OP_COUNT] = {
    {UNOPS(U_S) TRAP_UNOPS(U_S)},
    {UNOPS(U_X) TRAP_UNOPS(U_X)},
};

/* ---- i32.add with an immediate, then a compare of its result and a branch (loop
   counters): [h][dst|src][add imm][other|0 or compare imm][target]. The compare reads
   the other operand after dst is written, as the two instructions would. ---- */
#define ABA_F_SX GET_i32(OPA(3))
#define ABB_F_SX r_
#define ABA_F_XS r_
#define ABB_F_XS GET_i32(OPA(3))
#define ABA_F_XI r_
#define ABB_F_XI ((uint32_t)OPU(3))
#define GEN_ADDBR_F(form, op, ta, tr, expr)                                           \
    static IHANDLER h_abr_##op##_##form(IARGS) {                                      \
        uint32_t r_ = GET_i32(OPB(1)) + (uint32_t)OPU(2);                             \
        fp[OPA(1)] = r_;                                                              \
        xi = r_;                                                                      \
        uint32_t a = ABA_##form, b = ABB_##form;                                      \
        if (expr) JUMP(pc[4].target);                                                 \
        NEXT(5);                                                                      \
    }                                                                                 \
    static IHANDLER h_abrn_##op##_##form(IARGS) {                                     \
        uint32_t r_ = GET_i32(OPB(1)) + (uint32_t)OPU(2);                             \
        fp[OPA(1)] = r_;                                                              \
        xi = r_;                                                                      \
        uint32_t a = ABA_##form, b = ABB_##form;                                      \
        if (!(expr)) JUMP(pc[4].target);                                              \
        NEXT(5);                                                                      \
    }
#define GEN_ADDBR(op, ta, tr, expr)                                                   \
    GEN_ADDBR_F(F_SX, op, ta, tr, expr) GEN_ADDBR_F(F_XS, op, ta, tr, expr)           \
    GEN_ADDBR_F(F_XI, op, ta, tr, expr)
I32_CMPOPS(GEN_ADDBR)
#define ABR_ROW(f, s) [f] = {I32_CMPOPS(ABR_ENT_##s##_##f)}
#define ABR_ENT_T_F_SX(op, ...) [TW_OP_##op] = h_abr_##op##_F_SX,
#define ABR_ENT_T_F_XS(op, ...) [TW_OP_##op] = h_abr_##op##_F_XS,
#define ABR_ENT_T_F_XI(op, ...) [TW_OP_##op] = h_abr_##op##_F_XI,
#define ABR_ENT_N_F_SX(op, ...) [TW_OP_##op] = h_abrn_##op##_F_SX,
#define ABR_ENT_N_F_XS(op, ...) [TW_OP_##op] = h_abrn_##op##_F_XS,
#define ABR_ENT_N_F_XI(op, ...) [TW_OP_##op] = h_abrn_##op##_F_XI,
const ihandler interp_addbr[2][F_COUNT][TW_OP_COUNT] = {
    {ABR_ROW(F_SX, T), ABR_ROW(F_XS, T), ABR_ROW(F_XI, T)},
    {ABR_ROW(F_SX, N), ABR_ROW(F_XS, N), ABR_ROW(F_XI, N)},
};

/* ---- multiply fused with a following add or subtract (rounded separately, as two
   Wasm instructions): [h][dst|o][m1|m2], [h][dst|o][m1][imm] (MI) or m2 from the
   accumulator (MX); o is the other operand of the add/sub. ---- */
#define M_MS(k) GET_##k(OPA(2)) * GET_##k(OPB(2))
#define M_MI(k) GET_##k(OPA(2)) * imm_##k(OPU(3))
#define M_MX(k) GET_##k(OPA(2)) * X_##k
#define MLEN_MS 3
#define MLEN_MI 4
#define MLEN_MX 3
#define GEN_MUL_FUSED(k, mf)                                                          \
    static IHANDLER h_##k##_muladd_##mf(IARGS) {                                      \
        T_##k o = GET_##k(OPB(1)), m = M_##mf(k);                                     \
        PUT_##k(OPA(1), o + m);                                                       \
        NEXT(MLEN_##mf);                                                              \
    }                                                                                 \
    static IHANDLER h_##k##_submul_##mf(IARGS) {                                      \
        T_##k o = GET_##k(OPB(1)), m = M_##mf(k);                                     \
        PUT_##k(OPA(1), o - m);                                                       \
        NEXT(MLEN_##mf);                                                              \
    }                                                                                 \
    static IHANDLER h_##k##_mulsub_##mf(IARGS) {                                      \
        T_##k o = GET_##k(OPB(1)), m = M_##mf(k);                                     \
        PUT_##k(OPA(1), m - o);                                                       \
        NEXT(MLEN_##mf);                                                              \
    }
/* m2 loaded from memory, with the load fused in too: ML [h][dst|o][m1|addr][offset],
   MLA [h][dst|o][m1|addr][offset][imm] (address = addr + imm, wrapping). */
static inline float ld_f32(const uint8_t *p) { float v; memcpy(&v, p, 4); return v; }
static inline double ld_f64(const uint8_t *p) { double v; memcpy(&v, p, 8); return v; }
#define M_ML(k) GET_##k(OPA(2)) * ld_##k(mem + (uint64_t)sl_u32(fp, OPB(2)) + OPU(3))
#define M_MLA(k) GET_##k(OPA(2)) * ld_##k(mem + (uint64_t)(uint32_t)(sl_u32(fp, OPB(2)) + (uint32_t)OPU(4)) + OPU(3))
#define MLEN_ML 4
#define MLEN_MLA 5
GEN_MUL_FUSED(f32, MS) GEN_MUL_FUSED(f32, MI) GEN_MUL_FUSED(f32, MX)
GEN_MUL_FUSED(f32, ML) GEN_MUL_FUSED(f32, MLA)
GEN_MUL_FUSED(f64, MS) GEN_MUL_FUSED(f64, MI) GEN_MUL_FUSED(f64, MX)
GEN_MUL_FUSED(f64, ML) GEN_MUL_FUSED(f64, MLA)

/* Read-modify-write: o loaded from c = caddr + coff, the result stored back there.
   Both loads come before the store (in either order: an out-of-bounds one traps the
   same way), so a trap leaves memory as the three Wasm instructions would. */
static inline void st_f32(uint8_t *p, float v) { memcpy(p, &v, 4); }
static inline void st_f64(uint8_t *p, double v) { memcpy(p, &v, 8); }
#define GEN_RMW(k, kind, expr)                                                        \
    static IHANDLER h_##k##_rmw_##kind(IARGS) {                                       \
        uint8_t *c_ = mem + (uint64_t)sl_u32(fp, OPA(1)) + OPU(2);                    \
        T_##k o = ld_##k(c_);                                                         \
        uint32_t b_ = sl_u32(fp, OPA(3)) + OPB(3);                                    \
        T_##k m = GET_##k(OPB(1)) * ld_##k(mem + (uint64_t)b_ + OPU(4));              \
        st_##k(c_, (expr));                                                           \
        NEXT(5);                                                                      \
    }
GEN_RMW(f32, muladd, o + m) GEN_RMW(f32, submul, o - m) GEN_RMW(f32, mulsub, m - o)
GEN_RMW(f64, muladd, o + m) GEN_RMW(f64, submul, o - m) GEN_RMW(f64, mulsub, m - o)
const ihandler interp_rmwfused[2][3] = {
    {h_f32_rmw_muladd, h_f32_rmw_submul, h_f32_rmw_mulsub},
    {h_f64_rmw_muladd, h_f64_rmw_submul, h_f64_rmw_mulsub},
};

#define MUL_ROW(k, kind)                                                              \
    {h_##k##_##kind##_MS, h_##k##_##kind##_MI, h_##k##_##kind##_MX, h_##k##_##kind##_ML, \
     h_##k##_##kind##_MLA}
const ihandler interp_mulfused[2][3][MF_COUNT] = {
    {MUL_ROW(f32, muladd), MUL_ROW(f32, submul), MUL_ROW(f32, mulsub)},
    {MUL_ROW(f64, muladd), MUL_ROW(f64, submul), MUL_ROW(f64, mulsub)},
};

/* ---- i32 chains: an op with an immediate fused into the commutative op consuming
   its result, dst = a OUTER (x INNER k): [h][dst|a][x][k]. Hashes and checksums are
   made of these (rotate-xor, shift-add, mask-or). ---- */
#define CHAIN_OUTER(X, ...)                                                           \
    X(ADD, a + t, __VA_ARGS__) X(XOR, a ^ t, __VA_ARGS__) X(OR, a | t, __VA_ARGS__)   \
    X(AND, a & t, __VA_ARGS__)
#define CHAIN_INNER(X)                                                                \
    X(ADD, x + k) X(SUB, x - k) X(MUL, x * k) X(AND, x & k) X(OR, x | k)              \
    X(XOR, x ^ k) X(SHL, num_i32_shl(x, k)) X(SHR_S, num_i32_shr_s(x, k))             \
    X(SHR_U, num_i32_shr_u(x, k)) X(ROTL, num_i32_rotl(x, k)) X(ROTR, num_i32_rotr(x, k))
#define GEN_CHAIN(oname, oexpr, iname, iexpr)                                         \
    static IHANDLER h_chain_##oname##_##iname(IARGS) {                                \
        uint32_t a = GET_i32(OPB(1)), x = GET_i32(OPA(2)), k = (uint32_t)OPU(3);      \
        uint32_t t = (iexpr);                                                         \
        PUT_i32(OPA(1), (oexpr));                                                     \
        NEXT(4);                                                                      \
    }
#define GEN_CHAIN_IN(iname, iexpr) CHAIN_OUTER(GEN_CHAIN, iname, iexpr)
CHAIN_INNER(GEN_CHAIN_IN)

#define CH_ENT(iname, iexpr, oname) h_chain_##oname##_##iname,
#define CH_ROW(oname, oexpr, ...) {CHAIN_INNER_ROW(oname)},
#define CHAIN_INNER_ROW(oname)                                                        \
    CH_ENT(ADD, , oname) CH_ENT(SUB, , oname) CH_ENT(MUL, , oname) CH_ENT(AND, , oname) \
    CH_ENT(OR, , oname) CH_ENT(XOR, , oname) CH_ENT(SHL, , oname) CH_ENT(SHR_S, , oname) \
    CH_ENT(SHR_U, , oname) CH_ENT(ROTL, , oname) CH_ENT(ROTR, , oname)
const ihandler interp_chain[INTERP_CHAIN_OUTER][INTERP_CHAIN_INNER] = {CHAIN_OUTER(CH_ROW, )};

int interp_chain_outer(tw_op op) {
    switch (op) {
    case TW_OP_I32_ADD: return 0;
    case TW_OP_I32_XOR: return 1;
    case TW_OP_I32_OR: return 2;
    case TW_OP_I32_AND: return 3;
    default: return -1;
    }
}
int interp_chain_inner(tw_op op) {
    switch (op) {
    case TW_OP_I32_ADD: return 0;
    case TW_OP_I32_SUB: return 1;
    case TW_OP_I32_MUL: return 2;
    case TW_OP_I32_AND: return 3;
    case TW_OP_I32_OR: return 4;
    case TW_OP_I32_XOR: return 5;
    case TW_OP_I32_SHL: return 6;
    case TW_OP_I32_SHR_S: return 7;
    case TW_OP_I32_SHR_U: return 8;
    case TW_OP_I32_ROTL: return 9;
    case TW_OP_I32_ROTR: return 10;
    default: return -1;
    }
}
