/* numeric: Wasm numeric instructions -> LLVM IR, with the spec's traps (division,
   conversions) and NaN rules (minimum/maximum, roundeven, saturating conversions). */
#include "llc.h"

static LLVMValueRef b2i(llc_fn *F, LLVMValueRef c) { return LLVMBuildZExt(F->b, c, F->M->i32, ""); }

static void cmp_i(llc_fn *F, LLVMIntPredicate p) {
    LLVMValueRef b = llc_pop(F), a = llc_pop(F);
    llc_push(F, b2i(F, LLVMBuildICmp(F->b, p, a, b, "")));
}

static void cmp_f(llc_fn *F, LLVMRealPredicate p) {
    LLVMValueRef b = llc_pop(F), a = llc_pop(F);
    llc_push(F, b2i(F, LLVMBuildFCmp(F->b, p, a, b, "")));
}

static void eqz(llc_fn *F) {
    LLVMValueRef a = llc_pop(F);
    llc_push(F, b2i(F, LLVMBuildICmp(F->b, LLVMIntEQ, a, LLVMConstNull(LLVMTypeOf(a)), "")));
}

static void unary_intr(llc_fn *F, const char *name) {
    LLVMValueRef a = llc_pop(F);
    LLVMTypeRef t = LLVMTypeOf(a);
    llc_push(F, llc_call_intr(F, name, &t, 1, &a, 1));
}

static void count_zeros(llc_fn *F, const char *name) {
    LLVMValueRef a[2] = {llc_pop(F), LLVMConstInt(F->M->i1, 0, 0)};
    LLVMTypeRef t = LLVMTypeOf(a[0]);
    llc_push(F, llc_call_intr(F, name, &t, 1, a, 2));
}

static void binary_intr(llc_fn *F, const char *name) {
    LLVMValueRef a[2];
    a[1] = llc_pop(F);
    a[0] = llc_pop(F);
    LLVMTypeRef t = LLVMTypeOf(a[0]);
    llc_push(F, llc_call_intr(F, name, &t, 1, a, 2));
}

/* min/max: LLVM's minimum/maximum may return a signalling NaN operand as it is; Wasm
   wants a quiet (arithmetic) NaN, which an add of the operands gives. */
static void min_max(llc_fn *F, const char *name) {
    LLVMValueRef a[2];
    a[1] = llc_pop(F);
    a[0] = llc_pop(F);
    LLVMTypeRef t = LLVMTypeOf(a[0]);
    LLVMValueRef r = llc_call_intr(F, name, &t, 1, a, 2);
    LLVMValueRef nan = LLVMBuildFCmp(F->b, LLVMRealUNO, r, r, "");
    llc_push(F, LLVMBuildSelect(F->b, nan, LLVMBuildFAdd(F->b, a[0], a[1], ""), r, ""));
}

static void rotate(llc_fn *F, const char *name) {
    LLVMValueRef a[3];
    a[2] = llc_pop(F);
    a[0] = a[1] = llc_pop(F);
    LLVMTypeRef t = LLVMTypeOf(a[0]);
    llc_push(F, llc_call_intr(F, name, &t, 1, a, 3));
}

typedef LLVMValueRef (*build2)(LLVMBuilderRef, LLVMValueRef, LLVMValueRef, const char *);

static void binary(llc_fn *F, build2 fn) {
    LLVMValueRef b = llc_pop(F), a = llc_pop(F);
    llc_push(F, fn(F->b, a, b, ""));
}

/* A value LLVM cannot see through (an empty asm in a vector register). */
static LLVMValueRef opaque(llc_fn *F, LLVMValueRef v) {
    LLVMTypeRef t = LLVMTypeOf(v);
    LLVMTypeRef ft = LLVMFunctionType(t, &t, 1, 0);
    LLVMValueRef asm_ = LLVMGetInlineAsm(ft, "", 0, "=x,0", 4, 0, 0, LLVMInlineAsmDialectATT, 0);
    return LLVMBuildCall2(F->b, ft, asm_, &v, 1, "");
}

/* LLVM folds x-0, x*1, x/1, x*-1, -0-x ... to x or -x, which keeps a signalling NaN
   signalling; Wasm wants it quieted. Constants that are +-0 or +-1 are made opaque. */
static LLVMValueRef unfoldable(llc_fn *F, LLVMValueRef v) {
    if (!LLVMIsAConstantFP(v)) return v;
    LLVMBool lost;
    double d = LLVMConstRealGetDouble(v, &lost);
    return d == 0.0 || d == 1.0 || d == -1.0 ? opaque(F, v) : v;
}

static void fbinary(llc_fn *F, build2 fn) {
    LLVMValueRef b = unfoldable(F, llc_pop(F)), a = unfoldable(F, llc_pop(F));
    llc_push(F, fn(F->b, a, b, ""));
}

static void demote(llc_fn *F) {
    LLVMValueRef v = llc_pop(F);
    if (LLVMIsAFPExtInst(v)) v = opaque(F, v); /* no fptrunc(fpext x) -> x */
    llc_push(F, LLVMBuildFPTrunc(F->b, v, F->M->f32, ""));
}

/* Shift counts are taken modulo the width. */
static void shift(llc_fn *F, build2 fn) {
    LLVMValueRef b = llc_pop(F), a = llc_pop(F);
    LLVMTypeRef t = LLVMTypeOf(a);
    b = LLVMBuildAnd(F->b, b, LLVMConstInt(t, LLVMGetIntTypeWidth(t) - 1, 0), "");
    llc_push(F, fn(F->b, a, b, ""));
}

static void divrem(llc_fn *F, tw_op op) {
    LLVMValueRef b = llc_pop(F), a = llc_pop(F);
    LLVMTypeRef t = LLVMTypeOf(a);
    unsigned w = LLVMGetIntTypeWidth(t);
    LLVMValueRef zero = LLVMConstNull(t), minus1 = LLVMConstAllOnes(t);
    llc_trap_if(F, LLVMBuildICmp(F->b, LLVMIntEQ, b, zero, ""), RT_TRAP_DIV_ZERO);
    bool is32 = LLVMGetIntTypeWidth(t) == 32;
    LLVMValueRef r;
    switch (op) {
    case TW_OP_I32_DIV_S: case TW_OP_I64_DIV_S: {
        LLVMValueRef min = LLVMConstInt(t, 1ull << (w - 1), 0);
        LLVMValueRef ov = LLVMBuildAnd(F->b, LLVMBuildICmp(F->b, LLVMIntEQ, a, min, ""),
                                       LLVMBuildICmp(F->b, LLVMIntEQ, b, minus1, ""), "");
        llc_trap_if(F, ov, RT_TRAP_INT_OVERFLOW);
        r = LLVMBuildSDiv(F->b, a, b, "");
        break;
    }
    case TW_OP_I32_DIV_U: case TW_OP_I64_DIV_U: r = LLVMBuildUDiv(F->b, a, b, ""); break;
    case TW_OP_I32_REM_S: case TW_OP_I64_REM_S: {
        /* x rem -1 is 0; the hardware would fault on MIN rem -1. */
        LLVMValueRef m1 = LLVMBuildICmp(F->b, LLVMIntEQ, b, minus1, "");
        b = LLVMBuildSelect(F->b, m1, LLVMConstInt(t, 1, 0), b, "");
        r = LLVMBuildSRem(F->b, a, b, "");
        break;
    }
    default: r = LLVMBuildURem(F->b, a, b, ""); break;
    }
    (void)is32;
    llc_push(F, r);
}

static LLVMValueRef fconst(llc_fn *F, LLVMTypeRef t, double v) { return LLVMConstReal(t, v); }

/* Trapping float -> int: NaN is "invalid conversion", out of range "integer overflow".
   lo/hi are the exclusive bounds of the valid (truncated) range. */
static void trunc_trap(llc_fn *F, LLVMTypeRef to, bool sign) {
    LLVMValueRef a = llc_pop(F);
    LLVMTypeRef ft = LLVMTypeOf(a);
    unsigned w = LLVMGetIntTypeWidth(to);
    bool is_f32 = ft == F->M->f32;
    double hi = sign ? (w == 32 ? 2147483648.0 : 9223372036854775808.0)
                     : (w == 32 ? 4294967296.0 : 18446744073709551616.0);
    double lo;
    if (!sign) lo = -1.0;
    else if (w == 32 && !is_f32) lo = -2147483649.0;
    else lo = -hi; /* exactly representable; the bound itself is valid */
    llc_trap_if(F, LLVMBuildFCmp(F->b, LLVMRealUNO, a, a, ""), RT_TRAP_INVALID_CONVERSION);
    LLVMValueRef below = (sign && !(w == 32 && !is_f32))
                             ? LLVMBuildFCmp(F->b, LLVMRealOLT, a, fconst(F, ft, lo), "")
                             : LLVMBuildFCmp(F->b, LLVMRealOLE, a, fconst(F, ft, lo), "");
    LLVMValueRef above = LLVMBuildFCmp(F->b, LLVMRealOGE, a, fconst(F, ft, hi), "");
    llc_trap_if(F, LLVMBuildOr(F->b, below, above, ""), RT_TRAP_INT_OVERFLOW);
    llc_push(F, sign ? LLVMBuildFPToSI(F->b, a, to, "") : LLVMBuildFPToUI(F->b, a, to, ""));
}

static void trunc_sat(llc_fn *F, LLVMTypeRef to, bool sign) {
    LLVMValueRef a = llc_pop(F);
    LLVMTypeRef tys[2] = {to, LLVMTypeOf(a)};
    llc_push(F, llc_call_intr(F, sign ? "llvm.fptosi.sat" : "llvm.fptoui.sat", tys, 2, &a, 1));
}

typedef LLVMValueRef (*build_cast)(LLVMBuilderRef, LLVMValueRef, LLVMTypeRef, const char *);

static void cast(llc_fn *F, build_cast fn, LLVMTypeRef to) {
    llc_push(F, fn(F->b, llc_pop(F), to, ""));
}

static void extend_from(llc_fn *F, LLVMTypeRef narrow) {
    LLVMValueRef a = llc_pop(F);
    LLVMTypeRef t = LLVMTypeOf(a);
    llc_push(F, LLVMBuildSExt(F->b, LLVMBuildTrunc(F->b, a, narrow, ""), t, ""));
}

static void constant(llc_fn *F, const dec_instr *in) {
    llc_mod *M = F->M;
    switch (in->op) {
    case TW_OP_I32_CONST: llc_push(F, LLVMConstInt(M->i32, (uint32_t)in->u.i32, 0)); break;
    case TW_OP_I64_CONST: llc_push(F, LLVMConstInt(M->i64, (uint64_t)in->u.i64, 0)); break;
    /* Through the bits, so NaN payloads survive. */
    case TW_OP_F32_CONST:
        llc_push(F, LLVMConstBitCast(LLVMConstInt(M->i32, in->u.f32, 0), M->f32));
        break;
    default:
        llc_push(F, LLVMConstBitCast(LLVMConstInt(M->i64, in->u.f64, 0), M->f64));
        break;
    }
}

static LLVMValueRef fneg(LLVMBuilderRef b, LLVMValueRef a, const char *n) { return LLVMBuildFNeg(b, a, n); }

static bool int_ops(llc_fn *F, tw_op op) {
    switch (op) {
    case TW_OP_I32_EQZ: case TW_OP_I64_EQZ: eqz(F); return true;
    case TW_OP_I32_EQ: case TW_OP_I64_EQ: cmp_i(F, LLVMIntEQ); return true;
    case TW_OP_I32_NE: case TW_OP_I64_NE: cmp_i(F, LLVMIntNE); return true;
    case TW_OP_I32_LT_S: case TW_OP_I64_LT_S: cmp_i(F, LLVMIntSLT); return true;
    case TW_OP_I32_LT_U: case TW_OP_I64_LT_U: cmp_i(F, LLVMIntULT); return true;
    case TW_OP_I32_GT_S: case TW_OP_I64_GT_S: cmp_i(F, LLVMIntSGT); return true;
    case TW_OP_I32_GT_U: case TW_OP_I64_GT_U: cmp_i(F, LLVMIntUGT); return true;
    case TW_OP_I32_LE_S: case TW_OP_I64_LE_S: cmp_i(F, LLVMIntSLE); return true;
    case TW_OP_I32_LE_U: case TW_OP_I64_LE_U: cmp_i(F, LLVMIntULE); return true;
    case TW_OP_I32_GE_S: case TW_OP_I64_GE_S: cmp_i(F, LLVMIntSGE); return true;
    case TW_OP_I32_GE_U: case TW_OP_I64_GE_U: cmp_i(F, LLVMIntUGE); return true;
    case TW_OP_I32_CLZ: case TW_OP_I64_CLZ: count_zeros(F, "llvm.ctlz"); return true;
    case TW_OP_I32_CTZ: case TW_OP_I64_CTZ: count_zeros(F, "llvm.cttz"); return true;
    case TW_OP_I32_POPCNT: case TW_OP_I64_POPCNT: unary_intr(F, "llvm.ctpop"); return true;
    case TW_OP_I32_ADD: case TW_OP_I64_ADD: binary(F, LLVMBuildAdd); return true;
    case TW_OP_I32_SUB: case TW_OP_I64_SUB: binary(F, LLVMBuildSub); return true;
    case TW_OP_I32_MUL: case TW_OP_I64_MUL: binary(F, LLVMBuildMul); return true;
    case TW_OP_I32_DIV_S: case TW_OP_I64_DIV_S: case TW_OP_I32_DIV_U: case TW_OP_I64_DIV_U:
    case TW_OP_I32_REM_S: case TW_OP_I64_REM_S: case TW_OP_I32_REM_U: case TW_OP_I64_REM_U:
        divrem(F, op);
        return true;
    case TW_OP_I32_AND: case TW_OP_I64_AND: binary(F, LLVMBuildAnd); return true;
    case TW_OP_I32_OR: case TW_OP_I64_OR: binary(F, LLVMBuildOr); return true;
    case TW_OP_I32_XOR: case TW_OP_I64_XOR: binary(F, LLVMBuildXor); return true;
    case TW_OP_I32_SHL: case TW_OP_I64_SHL: shift(F, LLVMBuildShl); return true;
    case TW_OP_I32_SHR_S: case TW_OP_I64_SHR_S: shift(F, LLVMBuildAShr); return true;
    case TW_OP_I32_SHR_U: case TW_OP_I64_SHR_U: shift(F, LLVMBuildLShr); return true;
    case TW_OP_I32_ROTL: case TW_OP_I64_ROTL: rotate(F, "llvm.fshl"); return true;
    case TW_OP_I32_ROTR: case TW_OP_I64_ROTR: rotate(F, "llvm.fshr"); return true;
    default: return false;
    }
}

static bool float_ops(llc_fn *F, tw_op op) {
    switch (op) {
    case TW_OP_F32_EQ: case TW_OP_F64_EQ: cmp_f(F, LLVMRealOEQ); return true;
    case TW_OP_F32_NE: case TW_OP_F64_NE: cmp_f(F, LLVMRealUNE); return true;
    case TW_OP_F32_LT: case TW_OP_F64_LT: cmp_f(F, LLVMRealOLT); return true;
    case TW_OP_F32_GT: case TW_OP_F64_GT: cmp_f(F, LLVMRealOGT); return true;
    case TW_OP_F32_LE: case TW_OP_F64_LE: cmp_f(F, LLVMRealOLE); return true;
    case TW_OP_F32_GE: case TW_OP_F64_GE: cmp_f(F, LLVMRealOGE); return true;
    case TW_OP_F32_ABS: case TW_OP_F64_ABS: unary_intr(F, "llvm.fabs"); return true;
    case TW_OP_F32_NEG: case TW_OP_F64_NEG: llc_push(F, fneg(F->b, llc_pop(F), "")); return true;
    case TW_OP_F32_CEIL: case TW_OP_F64_CEIL: unary_intr(F, "llvm.ceil"); return true;
    case TW_OP_F32_FLOOR: case TW_OP_F64_FLOOR: unary_intr(F, "llvm.floor"); return true;
    case TW_OP_F32_TRUNC: case TW_OP_F64_TRUNC: unary_intr(F, "llvm.trunc"); return true;
    case TW_OP_F32_NEAREST: case TW_OP_F64_NEAREST: unary_intr(F, "llvm.roundeven"); return true;
    case TW_OP_F32_SQRT: case TW_OP_F64_SQRT: unary_intr(F, "llvm.sqrt"); return true;
    case TW_OP_F32_ADD: case TW_OP_F64_ADD: fbinary(F, LLVMBuildFAdd); return true;
    case TW_OP_F32_SUB: case TW_OP_F64_SUB: fbinary(F, LLVMBuildFSub); return true;
    case TW_OP_F32_MUL: case TW_OP_F64_MUL: fbinary(F, LLVMBuildFMul); return true;
    case TW_OP_F32_DIV: case TW_OP_F64_DIV: fbinary(F, LLVMBuildFDiv); return true;
    case TW_OP_F32_MIN: case TW_OP_F64_MIN: min_max(F, "llvm.minimum"); return true;
    case TW_OP_F32_MAX: case TW_OP_F64_MAX: min_max(F, "llvm.maximum"); return true;
    case TW_OP_F32_COPYSIGN: case TW_OP_F64_COPYSIGN: binary_intr(F, "llvm.copysign"); return true;
    default: return false;
    }
}

static bool conversions(llc_fn *F, tw_op op) {
    llc_mod *M = F->M;
    switch (op) {
    case TW_OP_I32_WRAP_I64: cast(F, LLVMBuildTrunc, M->i32); return true;
    case TW_OP_I32_TRUNC_F32_S: case TW_OP_I32_TRUNC_F64_S: trunc_trap(F, M->i32, true); return true;
    case TW_OP_I32_TRUNC_F32_U: case TW_OP_I32_TRUNC_F64_U: trunc_trap(F, M->i32, false); return true;
    case TW_OP_I64_TRUNC_F32_S: case TW_OP_I64_TRUNC_F64_S: trunc_trap(F, M->i64, true); return true;
    case TW_OP_I64_TRUNC_F32_U: case TW_OP_I64_TRUNC_F64_U: trunc_trap(F, M->i64, false); return true;
    case TW_OP_I32_TRUNC_SAT_F32_S: case TW_OP_I32_TRUNC_SAT_F64_S: trunc_sat(F, M->i32, true); return true;
    case TW_OP_I32_TRUNC_SAT_F32_U: case TW_OP_I32_TRUNC_SAT_F64_U: trunc_sat(F, M->i32, false); return true;
    case TW_OP_I64_TRUNC_SAT_F32_S: case TW_OP_I64_TRUNC_SAT_F64_S: trunc_sat(F, M->i64, true); return true;
    case TW_OP_I64_TRUNC_SAT_F32_U: case TW_OP_I64_TRUNC_SAT_F64_U: trunc_sat(F, M->i64, false); return true;
    case TW_OP_I64_EXTEND_I32_S: cast(F, LLVMBuildSExt, M->i64); return true;
    case TW_OP_I64_EXTEND_I32_U: cast(F, LLVMBuildZExt, M->i64); return true;
    case TW_OP_F32_CONVERT_I32_S: case TW_OP_F32_CONVERT_I64_S: cast(F, LLVMBuildSIToFP, M->f32); return true;
    case TW_OP_F32_CONVERT_I32_U: case TW_OP_F32_CONVERT_I64_U: cast(F, LLVMBuildUIToFP, M->f32); return true;
    case TW_OP_F64_CONVERT_I32_S: case TW_OP_F64_CONVERT_I64_S: cast(F, LLVMBuildSIToFP, M->f64); return true;
    case TW_OP_F64_CONVERT_I32_U: case TW_OP_F64_CONVERT_I64_U: cast(F, LLVMBuildUIToFP, M->f64); return true;
    case TW_OP_F32_DEMOTE_F64: demote(F); return true;
    case TW_OP_F64_PROMOTE_F32: cast(F, LLVMBuildFPExt, M->f64); return true;
    case TW_OP_I32_REINTERPRET_F32: cast(F, LLVMBuildBitCast, M->i32); return true;
    case TW_OP_I64_REINTERPRET_F64: cast(F, LLVMBuildBitCast, M->i64); return true;
    case TW_OP_F32_REINTERPRET_I32: cast(F, LLVMBuildBitCast, M->f32); return true;
    case TW_OP_F64_REINTERPRET_I64: cast(F, LLVMBuildBitCast, M->f64); return true;
    case TW_OP_I32_EXTEND8_S: case TW_OP_I64_EXTEND8_S: extend_from(F, M->i8); return true;
    case TW_OP_I32_EXTEND16_S: case TW_OP_I64_EXTEND16_S: extend_from(F, M->i16); return true;
    case TW_OP_I64_EXTEND32_S: extend_from(F, M->i32); return true;
    default: return false;
    }
}

bool llc_numeric(llc_fn *F, const dec_instr *in) {
    switch (in->op) {
    case TW_OP_I32_CONST: case TW_OP_I64_CONST: case TW_OP_F32_CONST: case TW_OP_F64_CONST:
        constant(F, in);
        return true;
    default: return int_ops(F, in->op) || float_ops(F, in->op) || conversions(F, in->op);
    }
}
