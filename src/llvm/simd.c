/* simd: Wasm v128 instructions -> LLVM vector IR (lowered to SSE/AVX). A v128 value
   is <2 x i64> on the operand stack; each instruction views it in its lane shape. */
#include "llc.h"

typedef enum { S8, S16, S32, S64, SF32, SF64 } shape;

static LLVMTypeRef lane_type(llc_mod *M, shape s) {
    switch (s) {
    case S8: return M->i8;
    case S16: return M->i16;
    case S32: return M->i32;
    case S64: return M->i64;
    case SF32: return M->f32;
    default: return M->f64;
    }
}
static unsigned lanes(shape s) {
    static const unsigned n[] = {16, 8, 4, 2, 4, 2};
    return n[s];
}
static LLVMTypeRef vec(llc_mod *M, shape s) { return LLVMVectorType(lane_type(M, s), lanes(s)); }
static LLVMValueRef as(llc_fn *F, LLVMValueRef v, shape s) {
    return LLVMBuildBitCast(F->b, v, vec(F->M, s), "");
}
static void push_v(llc_fn *F, LLVMValueRef v) {
    llc_push(F, LLVMBuildBitCast(F->b, v, F->M->v128, ""));
}
static LLVMValueRef pop_as(llc_fn *F, shape s) { return as(F, llc_pop(F), s); }

static LLVMValueRef splat_of(llc_fn *F, LLVMValueRef x, shape s) {
    LLVMValueRef v = LLVMGetUndef(vec(F->M, s));
    for (unsigned i = 0; i < lanes(s); i++) v = LLVMBuildInsertElement(F->b, v, x, llc_i32c(F, i), "");
    return v;
}

static LLVMValueRef load1(llc_fn *F, LLVMTypeRef t, LLVMValueRef p) {
    return llc_mem_load(F, t, p);
}

static void binop(llc_fn *F, shape s, LLVMOpcode op) {
    LLVMValueRef b = pop_as(F, s), a = pop_as(F, s);
    push_v(F, LLVMBuildBinOp(F->b, op, a, b, ""));
}
static void icmp(llc_fn *F, shape s, LLVMIntPredicate p) {
    LLVMValueRef b = pop_as(F, s), a = pop_as(F, s);
    push_v(F, LLVMBuildSExt(F->b, LLVMBuildICmp(F->b, p, a, b, ""), vec(F->M, s), ""));
}
static void fcmp(llc_fn *F, shape s, LLVMRealPredicate p) {
    LLVMValueRef b = pop_as(F, s), a = pop_as(F, s);
    shape is = s == SF32 ? S32 : S64;
    push_v(F, LLVMBuildSExt(F->b, LLVMBuildFCmp(F->b, p, a, b, ""), vec(F->M, is), ""));
}
static void intr1(llc_fn *F, shape s, const char *name) {
    LLVMValueRef a = pop_as(F, s);
    LLVMTypeRef t = vec(F->M, s);
    push_v(F, llc_call_intr(F, name, &t, 1, &a, 1));
}
static void intr2(llc_fn *F, shape s, const char *name) {
    LLVMValueRef a[2];
    a[1] = pop_as(F, s);
    a[0] = pop_as(F, s);
    LLVMTypeRef t = vec(F->M, s);
    push_v(F, llc_call_intr(F, name, &t, 1, a, 2));
}
static void minmax_i(llc_fn *F, shape s, LLVMIntPredicate p) {
    LLVMValueRef b = pop_as(F, s), a = pop_as(F, s);
    push_v(F, LLVMBuildSelect(F->b, LLVMBuildICmp(F->b, p, a, b, ""), a, b, ""));
}
static void minmax_f(llc_fn *F, shape s, const char *name) {
    LLVMValueRef a[2];
    a[1] = pop_as(F, s);
    a[0] = pop_as(F, s);
    LLVMTypeRef t = vec(F->M, s);
    LLVMValueRef r = llc_call_intr(F, name, &t, 1, a, 2);
    LLVMValueRef nan = LLVMBuildFCmp(F->b, LLVMRealUNO, r, r, "");
    push_v(F, LLVMBuildSelect(F->b, nan, LLVMBuildFAdd(F->b, a[0], a[1], ""), r, ""));
}
static void pminmax(llc_fn *F, shape s, bool max) {
    LLVMValueRef b = pop_as(F, s), a = pop_as(F, s);
    LLVMValueRef c = max ? LLVMBuildFCmp(F->b, LLVMRealOLT, a, b, "")
                         : LLVMBuildFCmp(F->b, LLVMRealOLT, b, a, "");
    push_v(F, LLVMBuildSelect(F->b, c, b, a, ""));
}
static void shift(llc_fn *F, shape s, LLVMOpcode op) {
    LLVMValueRef n = llc_pop(F), a = pop_as(F, s);
    unsigned bits = LLVMGetIntTypeWidth(lane_type(F->M, s));
    n = LLVMBuildAnd(F->b, n, llc_i32c(F, bits - 1), "");
    n = s == S64 ? LLVMBuildZExt(F->b, n, F->M->i64, "") : LLVMBuildTrunc(F->b, n, lane_type(F->M, s), "");
    push_v(F, LLVMBuildBinOp(F->b, op, a, splat_of(F, n, s), ""));
}
static void neg_i(llc_fn *F, shape s) {
    LLVMValueRef a = pop_as(F, s);
    push_v(F, LLVMBuildNeg(F->b, a, ""));
}
static void abs_i(llc_fn *F, shape s) {
    LLVMValueRef a[2] = {pop_as(F, s), LLVMConstInt(F->M->i1, 0, 0)};
    LLVMTypeRef t = vec(F->M, s);
    push_v(F, llc_call_intr(F, "llvm.abs", &t, 1, a, 2));
}
static void all_true(llc_fn *F, shape s) {
    LLVMValueRef a = pop_as(F, s);
    LLVMValueRef nz = LLVMBuildICmp(F->b, LLVMIntNE, a, LLVMConstNull(vec(F->M, s)), "");
    LLVMTypeRef t = LLVMTypeOf(nz);
    LLVMValueRef r = llc_call_intr(F, "llvm.vector.reduce.and", &t, 1, &nz, 1);
    llc_push(F, LLVMBuildZExt(F->b, r, F->M->i32, ""));
}
static void bitmask(llc_fn *F, shape s) {
    LLVMValueRef a = pop_as(F, s);
    LLVMValueRef neg = LLVMBuildICmp(F->b, LLVMIntSLT, a, LLVMConstNull(vec(F->M, s)), "");
    LLVMValueRef bits = LLVMBuildBitCast(F->b, neg, LLVMIntTypeInContext(F->M->ctx, lanes(s)), "");
    llc_push(F, LLVMBuildZExt(F->b, bits, F->M->i32, ""));
}
static void splat(llc_fn *F, shape s) {
    LLVMValueRef x = llc_pop(F);
    if (s == S8 || s == S16) x = LLVMBuildTrunc(F->b, x, lane_type(F->M, s), "");
    push_v(F, splat_of(F, x, s));
}
static void extract(llc_fn *F, shape s, uint8_t lane, int sign) {
    LLVMValueRef v = LLVMBuildExtractElement(F->b, pop_as(F, s), llc_i32c(F, lane), "");
    if (s == S8 || s == S16)
        v = sign ? LLVMBuildSExt(F->b, v, F->M->i32, "") : LLVMBuildZExt(F->b, v, F->M->i32, "");
    llc_push(F, v);
}
static void replace(llc_fn *F, shape s, uint8_t lane) {
    LLVMValueRef x = llc_pop(F), v = pop_as(F, s);
    if (s == S8 || s == S16) x = LLVMBuildTrunc(F->b, x, lane_type(F->M, s), "");
    push_v(F, LLVMBuildInsertElement(F->b, v, x, llc_i32c(F, lane), ""));
}
static void shuffle(llc_fn *F, const uint8_t *idx) {
    LLVMValueRef b = pop_as(F, S8), a = pop_as(F, S8);
    LLVMValueRef m[16];
    for (int i = 0; i < 16; i++) m[i] = llc_i32c(F, idx[i]);
    push_v(F, LLVMBuildShuffleVector(F->b, a, b, LLVMConstVector(m, 16), ""));
}
static void v128_const(llc_fn *F, const uint8_t *bytes) {
    uint64_t lo, hi;
    memcpy(&lo, bytes, 8);
    memcpy(&hi, bytes + 8, 8);
    LLVMValueRef e[2] = {LLVMConstInt(F->M->i64, lo, 0), LLVMConstInt(F->M->i64, hi, 0)};
    llc_push(F, LLVMConstVector(e, 2));
}
static void bitselect(llc_fn *F) {
    LLVMValueRef c = llc_pop(F), b = llc_pop(F), a = llc_pop(F);
    LLVMValueRef x = LLVMBuildAnd(F->b, a, c, "");
    LLVMValueRef y = LLVMBuildAnd(F->b, b, LLVMBuildNot(F->b, c, ""), "");
    llc_push(F, LLVMBuildOr(F->b, x, y, ""));
}
static void any_true(llc_fn *F) {
    LLVMValueRef a = pop_as(F, S64);
    LLVMValueRef lo = LLVMBuildExtractElement(F->b, a, llc_i32c(F, 0), "");
    LLVMValueRef hi = LLVMBuildExtractElement(F->b, a, llc_i32c(F, 1), "");
    LLVMValueRef nz = LLVMBuildICmp(F->b, LLVMIntNE, LLVMBuildOr(F->b, lo, hi, ""),
                                    LLVMConstInt(F->M->i64, 0, 0), "");
    llc_push(F, LLVMBuildZExt(F->b, nz, F->M->i32, ""));
}
/* load8x8_s etc.: half a vector of narrow lanes, widened. */
static void load_extend(llc_fn *F, const dec_instr *in, shape narrow, bool sign) {
    LLVMValueRef p = llc_mem_addr(F, llc_pop(F), in->u.mem.offset);
    LLVMTypeRef t = LLVMVectorType(lane_type(F->M, narrow), lanes(narrow) / 2);
    LLVMValueRef v = load1(F, t, p);
    LLVMTypeRef wide = vec(F->M, (shape)(narrow + 1));
    push_v(F, sign ? LLVMBuildSExt(F->b, v, wide, "") : LLVMBuildZExt(F->b, v, wide, ""));
}
static void load_splat(llc_fn *F, const dec_instr *in, shape s) {
    LLVMValueRef p = llc_mem_addr(F, llc_pop(F), in->u.mem.offset);
    push_v(F, splat_of(F, load1(F, lane_type(F->M, s), p), s));
}
static void load_zero(llc_fn *F, const dec_instr *in, shape s) {
    LLVMValueRef p = llc_mem_addr(F, llc_pop(F), in->u.mem.offset);
    LLVMValueRef v = LLVMConstNull(vec(F->M, s));
    push_v(F, LLVMBuildInsertElement(F->b, v, load1(F, lane_type(F->M, s), p), llc_i32c(F, 0), ""));
}
static void load_lane(llc_fn *F, const dec_instr *in, shape s) {
    LLVMValueRef v = pop_as(F, s);
    LLVMValueRef p = llc_mem_addr(F, llc_pop(F), in->u.mem.offset);
    push_v(F, LLVMBuildInsertElement(F->b, v, load1(F, lane_type(F->M, s), p),
                                     llc_i32c(F, in->u.mem.lane), ""));
}
static void store_lane(llc_fn *F, const dec_instr *in, shape s) {
    LLVMValueRef v = pop_as(F, s);
    LLVMValueRef p = llc_mem_addr(F, llc_pop(F), in->u.mem.offset);
    LLVMValueRef x = LLVMBuildExtractElement(F->b, v, llc_i32c(F, in->u.mem.lane), "");
    llc_mem_store(F, x, p);
}
/* extend_low/high: half the lanes, widened. */
static void extend(llc_fn *F, shape narrow, bool high, bool sign) {
    LLVMValueRef a = pop_as(F, narrow);
    unsigned n = lanes(narrow) / 2;
    LLVMValueRef m[8];
    for (unsigned i = 0; i < n; i++) m[i] = llc_i32c(F, i + (high ? n : 0));
    LLVMValueRef h = LLVMBuildShuffleVector(F->b, a, LLVMGetUndef(LLVMTypeOf(a)), LLVMConstVector(m, n), "");
    LLVMTypeRef wide = vec(F->M, (shape)(narrow + 1));
    push_v(F, sign ? LLVMBuildSExt(F->b, h, wide, "") : LLVMBuildZExt(F->b, h, wide, ""));
}
static void extmul(llc_fn *F, shape narrow, bool high, bool sign) {
    extend(F, narrow, high, sign);
    LLVMValueRef b = llc_pop(F);
    extend(F, narrow, high, sign);
    LLVMValueRef a = llc_pop(F);
    shape w = (shape)(narrow + 1);
    push_v(F, LLVMBuildMul(F->b, as(F, a, w), as(F, b, w), ""));
}
static void convert(llc_fn *F, shape from, shape to, LLVMOpcode op) {
    push_v(F, LLVMBuildCast(F->b, op, pop_as(F, from), vec(F->M, to), ""));
}
static void trunc_sat4(llc_fn *F, bool sign) {
    LLVMValueRef a = pop_as(F, SF32);
    LLVMTypeRef tys[2] = {vec(F->M, S32), vec(F->M, SF32)};
    push_v(F, llc_call_intr(F, sign ? "llvm.fptosi.sat" : "llvm.fptoui.sat", tys, 2, &a, 1));
}
static void avgr(llc_fn *F, shape s) {
    LLVMValueRef b = pop_as(F, s), a = pop_as(F, s);
    LLVMTypeRef w = LLVMVectorType(lane_type(F->M, (shape)(s + 1)), lanes(s));
    a = LLVMBuildZExt(F->b, a, w, "");
    b = LLVMBuildZExt(F->b, b, w, "");
    LLVMValueRef one = LLVMConstInt(lane_type(F->M, (shape)(s + 1)), 1, 0);
    LLVMValueRef ones[16];
    for (unsigned i = 0; i < lanes(s); i++) ones[i] = one;
    LLVMValueRef vone = LLVMConstVector(ones, lanes(s));
    LLVMValueRef r = LLVMBuildLShr(F->b, LLVMBuildAdd(F->b, LLVMBuildAdd(F->b, a, b, ""), vone, ""), vone, "");
    push_v(F, LLVMBuildTrunc(F->b, r, vec(F->M, s), ""));
}


static LLVMValueRef cvec(llc_fn *F, LLVMTypeRef t, unsigned n, uint64_t v) {
    LLVMValueRef e[16];
    for (unsigned i = 0; i < n; i++) e[i] = LLVMConstInt(t, v, 0);
    return LLVMConstVector(e, n);
}
static LLVMValueRef lanes_of(llc_fn *F, LLVMValueRef a, LLVMValueRef b, unsigned first,
                             unsigned step, unsigned n) {
    LLVMValueRef m[16];
    for (unsigned i = 0; i < n; i++) m[i] = llc_i32c(F, first + i * step);
    return LLVMBuildShuffleVector(F->b, a, b ? b : LLVMGetUndef(LLVMTypeOf(a)),
                                  LLVMConstVector(m, n), "");
}
static void swizzle(llc_fn *F) {
    LLVMValueRef idx = pop_as(F, S8), a = pop_as(F, S8);
    LLVMValueRef r = LLVMConstNull(vec(F->M, S8));
    for (unsigned i = 0; i < 16; i++) {
        LLVMValueRef k = LLVMBuildExtractElement(F->b, idx, llc_i32c(F, i), "");
        LLVMValueRef in = LLVMBuildICmp(F->b, LLVMIntULT, k, LLVMConstInt(F->M->i8, 16, 0), "");
        LLVMValueRef kk = LLVMBuildAnd(F->b, k, LLVMConstInt(F->M->i8, 15, 0), "");
        LLVMValueRef v = LLVMBuildExtractElement(F->b, a, kk, "");
        v = LLVMBuildSelect(F->b, in, v, LLVMConstInt(F->M->i8, 0, 0), "");
        r = LLVMBuildInsertElement(F->b, r, v, llc_i32c(F, i), "");
    }
    push_v(F, r);
}
/* Clamp wide lanes to [lo, hi] (signed) and truncate to the narrow shape. */
static LLVMValueRef clamp_trunc(llc_fn *F, LLVMValueRef v, int64_t lo, int64_t hi, shape to) {
    LLVMTypeRef et = LLVMGetElementType(LLVMTypeOf(v));
    unsigned n = LLVMGetVectorSize(LLVMTypeOf(v));
    LLVMValueRef vlo = cvec(F, et, n, (uint64_t)lo), vhi = cvec(F, et, n, (uint64_t)hi);
    v = LLVMBuildSelect(F->b, LLVMBuildICmp(F->b, LLVMIntSLT, v, vlo, ""), vlo, v, "");
    v = LLVMBuildSelect(F->b, LLVMBuildICmp(F->b, LLVMIntSGT, v, vhi, ""), vhi, v, "");
    return LLVMBuildTrunc(F->b, v, vec(F->M, to), "");
}
static void narrow(llc_fn *F, shape wide, bool sign) {
    LLVMValueRef b = pop_as(F, wide), a = pop_as(F, wide);
    LLVMValueRef ab = lanes_of(F, a, b, 0, 1, 2 * lanes(wide));
    shape to = (shape)(wide - 1);
    int bits = (int)LLVMGetIntTypeWidth(lane_type(F->M, to));
    int64_t lo = sign ? -(1ll << (bits - 1)) : 0, hi = sign ? (1ll << (bits - 1)) - 1 : (1ll << bits) - 1;
    push_v(F, clamp_trunc(F, ab, lo, hi, to));
}
static void extadd(llc_fn *F, shape narrow_, bool sign) {
    LLVMValueRef a = pop_as(F, narrow_);
    shape w = (shape)(narrow_ + 1);
    LLVMTypeRef wt = LLVMVectorType(lane_type(F->M, w), lanes(narrow_));
    a = sign ? LLVMBuildSExt(F->b, a, wt, "") : LLVMBuildZExt(F->b, a, wt, "");
    LLVMValueRef ev = lanes_of(F, a, NULL, 0, 2, lanes(w)), od = lanes_of(F, a, NULL, 1, 2, lanes(w));
    push_v(F, LLVMBuildAdd(F->b, ev, od, ""));
}
static void q15mulr(llc_fn *F) {
    LLVMValueRef b = pop_as(F, S16), a = pop_as(F, S16);
    LLVMTypeRef wt = LLVMVectorType(F->M->i32, 8);
    a = LLVMBuildSExt(F->b, a, wt, "");
    b = LLVMBuildSExt(F->b, b, wt, "");
    LLVMValueRef r = LLVMBuildAdd(F->b, LLVMBuildMul(F->b, a, b, ""), cvec(F, F->M->i32, 8, 0x4000), "");
    r = LLVMBuildAShr(F->b, r, cvec(F, F->M->i32, 8, 15), "");
    push_v(F, clamp_trunc(F, r, -32768, 32767, S16));
}
static void dot(llc_fn *F) {
    LLVMValueRef b = pop_as(F, S16), a = pop_as(F, S16);
    LLVMTypeRef wt = LLVMVectorType(F->M->i32, 8);
    LLVMValueRef p = LLVMBuildMul(F->b, LLVMBuildSExt(F->b, a, wt, ""), LLVMBuildSExt(F->b, b, wt, ""), "");
    push_v(F, LLVMBuildAdd(F->b, lanes_of(F, p, NULL, 0, 2, 4), lanes_of(F, p, NULL, 1, 2, 4), ""));
}
/* Two lanes widened/narrowed into a four-lane vector whose upper half is zero. */
static void low_pair_zero(llc_fn *F, LLVMValueRef two) {
    LLVMValueRef z = LLVMConstNull(LLVMTypeOf(two));
    push_v(F, lanes_of(F, two, z, 0, 1, 4));
}
static void demote_zero(llc_fn *F) {
    LLVMValueRef a = pop_as(F, SF64);
    low_pair_zero(F, LLVMBuildFPTrunc(F->b, a, LLVMVectorType(F->M->f32, 2), ""));
}
static void trunc_sat_zero(llc_fn *F, bool sign) {
    LLVMValueRef a = pop_as(F, SF64);
    LLVMTypeRef tys[2] = {LLVMVectorType(F->M->i32, 2), vec(F->M, SF64)};
    low_pair_zero(F, llc_call_intr(F, sign ? "llvm.fptosi.sat" : "llvm.fptoui.sat", tys, 2, &a, 1));
}
static void low_to_f64(llc_fn *F, shape from, LLVMOpcode op) {
    LLVMValueRef a = pop_as(F, from);
    push_v(F, LLVMBuildCast(F->b, op, lanes_of(F, a, NULL, 0, 1, 2), vec(F->M, SF64), ""));
}

#define I(op) case TW_OP_##op
/* The less common instructions. */
static bool simd_more(llc_fn *F, const dec_instr *in) {
    switch (in->op) {
    I(I8X16_SWIZZLE): swizzle(F); return true;
    I(I8X16_NARROW_I16X8_S): narrow(F, S16, true); return true;
    I(I8X16_NARROW_I16X8_U): narrow(F, S16, false); return true;
    I(I16X8_NARROW_I32X4_S): narrow(F, S32, true); return true;
    I(I16X8_NARROW_I32X4_U): narrow(F, S32, false); return true;
    I(I16X8_EXTADD_PAIRWISE_I8X16_S): extadd(F, S8, true); return true;
    I(I16X8_EXTADD_PAIRWISE_I8X16_U): extadd(F, S8, false); return true;
    I(I32X4_EXTADD_PAIRWISE_I16X8_S): extadd(F, S16, true); return true;
    I(I32X4_EXTADD_PAIRWISE_I16X8_U): extadd(F, S16, false); return true;
    I(I16X8_Q15MULR_SAT_S): q15mulr(F); return true;
    I(I32X4_DOT_I16X8_S): dot(F); return true;
    I(F32X4_DEMOTE_F64X2_ZERO): demote_zero(F); return true;
    I(F64X2_PROMOTE_LOW_F32X4): low_to_f64(F, SF32, LLVMFPExt); return true;
    I(I32X4_TRUNC_SAT_F64X2_S_ZERO): trunc_sat_zero(F, true); return true;
    I(I32X4_TRUNC_SAT_F64X2_U_ZERO): trunc_sat_zero(F, false); return true;
    I(F64X2_CONVERT_LOW_I32X4_S): low_to_f64(F, S32, LLVMSIToFP); return true;
    I(F64X2_CONVERT_LOW_I32X4_U): low_to_f64(F, S32, LLVMUIToFP); return true;
    default: return false;
    }
}

bool llc_simd(llc_fn *F, const dec_instr *in) {
    LLVMValueRef p;
    switch (in->op) {
    I(V128_CONST): v128_const(F, in->u.v128); return true;
    I(V128_LOAD):
        p = llc_mem_addr(F, llc_pop(F), in->u.mem.offset);
        llc_push(F, load1(F, F->M->v128, p));
        return true;
    I(V128_STORE): {
        LLVMValueRef v = llc_pop(F);
        p = llc_mem_addr(F, llc_pop(F), in->u.mem.offset);
        llc_mem_store(F, v, p);
        return true;
    }
    I(V128_LOAD8X8_S): load_extend(F, in, S8, true); return true;
    I(V128_LOAD8X8_U): load_extend(F, in, S8, false); return true;
    I(V128_LOAD16X4_S): load_extend(F, in, S16, true); return true;
    I(V128_LOAD16X4_U): load_extend(F, in, S16, false); return true;
    I(V128_LOAD32X2_S): load_extend(F, in, S32, true); return true;
    I(V128_LOAD32X2_U): load_extend(F, in, S32, false); return true;
    I(V128_LOAD8_SPLAT): load_splat(F, in, S8); return true;
    I(V128_LOAD16_SPLAT): load_splat(F, in, S16); return true;
    I(V128_LOAD32_SPLAT): load_splat(F, in, S32); return true;
    I(V128_LOAD64_SPLAT): load_splat(F, in, S64); return true;
    I(V128_LOAD32_ZERO): load_zero(F, in, S32); return true;
    I(V128_LOAD64_ZERO): load_zero(F, in, S64); return true;
    I(V128_LOAD8_LANE): load_lane(F, in, S8); return true;
    I(V128_LOAD16_LANE): load_lane(F, in, S16); return true;
    I(V128_LOAD32_LANE): load_lane(F, in, S32); return true;
    I(V128_LOAD64_LANE): load_lane(F, in, S64); return true;
    I(V128_STORE8_LANE): store_lane(F, in, S8); return true;
    I(V128_STORE16_LANE): store_lane(F, in, S16); return true;
    I(V128_STORE32_LANE): store_lane(F, in, S32); return true;
    I(V128_STORE64_LANE): store_lane(F, in, S64); return true;
    I(I8X16_SHUFFLE): shuffle(F, in->u.v128); return true;
    I(I8X16_SPLAT): splat(F, S8); return true;
    I(I16X8_SPLAT): splat(F, S16); return true;
    I(I32X4_SPLAT): splat(F, S32); return true;
    I(I64X2_SPLAT): splat(F, S64); return true;
    I(F32X4_SPLAT): splat(F, SF32); return true;
    I(F64X2_SPLAT): splat(F, SF64); return true;
    I(I8X16_EXTRACT_LANE_S): extract(F, S8, in->u.lane, 1); return true;
    I(I8X16_EXTRACT_LANE_U): extract(F, S8, in->u.lane, 0); return true;
    I(I16X8_EXTRACT_LANE_S): extract(F, S16, in->u.lane, 1); return true;
    I(I16X8_EXTRACT_LANE_U): extract(F, S16, in->u.lane, 0); return true;
    I(I32X4_EXTRACT_LANE): extract(F, S32, in->u.lane, 0); return true;
    I(I64X2_EXTRACT_LANE): extract(F, S64, in->u.lane, 0); return true;
    I(F32X4_EXTRACT_LANE): extract(F, SF32, in->u.lane, 0); return true;
    I(F64X2_EXTRACT_LANE): extract(F, SF64, in->u.lane, 0); return true;
    I(I8X16_REPLACE_LANE): replace(F, S8, in->u.lane); return true;
    I(I16X8_REPLACE_LANE): replace(F, S16, in->u.lane); return true;
    I(I32X4_REPLACE_LANE): replace(F, S32, in->u.lane); return true;
    I(I64X2_REPLACE_LANE): replace(F, S64, in->u.lane); return true;
    I(F32X4_REPLACE_LANE): replace(F, SF32, in->u.lane); return true;
    I(F64X2_REPLACE_LANE): replace(F, SF64, in->u.lane); return true;
    I(I8X16_EQ): icmp(F, S8, LLVMIntEQ); return true;
    I(I8X16_NE): icmp(F, S8, LLVMIntNE); return true;
    I(I8X16_LT_S): icmp(F, S8, LLVMIntSLT); return true;
    I(I8X16_LT_U): icmp(F, S8, LLVMIntULT); return true;
    I(I8X16_GT_S): icmp(F, S8, LLVMIntSGT); return true;
    I(I8X16_GT_U): icmp(F, S8, LLVMIntUGT); return true;
    I(I8X16_LE_S): icmp(F, S8, LLVMIntSLE); return true;
    I(I8X16_LE_U): icmp(F, S8, LLVMIntULE); return true;
    I(I8X16_GE_S): icmp(F, S8, LLVMIntSGE); return true;
    I(I8X16_GE_U): icmp(F, S8, LLVMIntUGE); return true;
    I(I16X8_EQ): icmp(F, S16, LLVMIntEQ); return true;
    I(I16X8_NE): icmp(F, S16, LLVMIntNE); return true;
    I(I16X8_LT_S): icmp(F, S16, LLVMIntSLT); return true;
    I(I16X8_LT_U): icmp(F, S16, LLVMIntULT); return true;
    I(I16X8_GT_S): icmp(F, S16, LLVMIntSGT); return true;
    I(I16X8_GT_U): icmp(F, S16, LLVMIntUGT); return true;
    I(I16X8_LE_S): icmp(F, S16, LLVMIntSLE); return true;
    I(I16X8_LE_U): icmp(F, S16, LLVMIntULE); return true;
    I(I16X8_GE_S): icmp(F, S16, LLVMIntSGE); return true;
    I(I16X8_GE_U): icmp(F, S16, LLVMIntUGE); return true;
    I(I32X4_EQ): icmp(F, S32, LLVMIntEQ); return true;
    I(I32X4_NE): icmp(F, S32, LLVMIntNE); return true;
    I(I32X4_LT_S): icmp(F, S32, LLVMIntSLT); return true;
    I(I32X4_LT_U): icmp(F, S32, LLVMIntULT); return true;
    I(I32X4_GT_S): icmp(F, S32, LLVMIntSGT); return true;
    I(I32X4_GT_U): icmp(F, S32, LLVMIntUGT); return true;
    I(I32X4_LE_S): icmp(F, S32, LLVMIntSLE); return true;
    I(I32X4_LE_U): icmp(F, S32, LLVMIntULE); return true;
    I(I32X4_GE_S): icmp(F, S32, LLVMIntSGE); return true;
    I(I32X4_GE_U): icmp(F, S32, LLVMIntUGE); return true;
    I(I64X2_EQ): icmp(F, S64, LLVMIntEQ); return true;
    I(I64X2_NE): icmp(F, S64, LLVMIntNE); return true;
    I(I64X2_LT_S): icmp(F, S64, LLVMIntSLT); return true;
    I(I64X2_GT_S): icmp(F, S64, LLVMIntSGT); return true;
    I(I64X2_LE_S): icmp(F, S64, LLVMIntSLE); return true;
    I(I64X2_GE_S): icmp(F, S64, LLVMIntSGE); return true;
    I(F32X4_EQ): fcmp(F, SF32, LLVMRealOEQ); return true;
    I(F32X4_NE): fcmp(F, SF32, LLVMRealUNE); return true;
    I(F32X4_LT): fcmp(F, SF32, LLVMRealOLT); return true;
    I(F32X4_GT): fcmp(F, SF32, LLVMRealOGT); return true;
    I(F32X4_LE): fcmp(F, SF32, LLVMRealOLE); return true;
    I(F32X4_GE): fcmp(F, SF32, LLVMRealOGE); return true;
    I(F64X2_EQ): fcmp(F, SF64, LLVMRealOEQ); return true;
    I(F64X2_NE): fcmp(F, SF64, LLVMRealUNE); return true;
    I(F64X2_LT): fcmp(F, SF64, LLVMRealOLT); return true;
    I(F64X2_GT): fcmp(F, SF64, LLVMRealOGT); return true;
    I(F64X2_LE): fcmp(F, SF64, LLVMRealOLE); return true;
    I(F64X2_GE): fcmp(F, SF64, LLVMRealOGE); return true;
    I(V128_NOT): llc_push(F, LLVMBuildNot(F->b, llc_pop(F), "")); return true;
    I(V128_AND): binop(F, S64, LLVMAnd); return true;
    I(V128_OR): binop(F, S64, LLVMOr); return true;
    I(V128_XOR): binop(F, S64, LLVMXor); return true;
    I(V128_ANDNOT): {
        LLVMValueRef b = llc_pop(F), a = llc_pop(F);
        llc_push(F, LLVMBuildAnd(F->b, a, LLVMBuildNot(F->b, b, ""), ""));
        return true;
    }
    I(V128_BITSELECT): bitselect(F); return true;
    I(V128_ANY_TRUE): any_true(F); return true;
    I(I8X16_ABS): abs_i(F, S8); return true;
    I(I16X8_ABS): abs_i(F, S16); return true;
    I(I32X4_ABS): abs_i(F, S32); return true;
    I(I64X2_ABS): abs_i(F, S64); return true;
    I(I8X16_NEG): neg_i(F, S8); return true;
    I(I16X8_NEG): neg_i(F, S16); return true;
    I(I32X4_NEG): neg_i(F, S32); return true;
    I(I64X2_NEG): neg_i(F, S64); return true;
    I(I8X16_POPCNT): intr1(F, S8, "llvm.ctpop"); return true;
    I(I8X16_ALL_TRUE): all_true(F, S8); return true;
    I(I16X8_ALL_TRUE): all_true(F, S16); return true;
    I(I32X4_ALL_TRUE): all_true(F, S32); return true;
    I(I64X2_ALL_TRUE): all_true(F, S64); return true;
    I(I8X16_BITMASK): bitmask(F, S8); return true;
    I(I16X8_BITMASK): bitmask(F, S16); return true;
    I(I32X4_BITMASK): bitmask(F, S32); return true;
    I(I64X2_BITMASK): bitmask(F, S64); return true;
    I(I8X16_SHL): shift(F, S8, LLVMShl); return true;
    I(I8X16_SHR_S): shift(F, S8, LLVMAShr); return true;
    I(I8X16_SHR_U): shift(F, S8, LLVMLShr); return true;
    I(I16X8_SHL): shift(F, S16, LLVMShl); return true;
    I(I16X8_SHR_S): shift(F, S16, LLVMAShr); return true;
    I(I16X8_SHR_U): shift(F, S16, LLVMLShr); return true;
    I(I32X4_SHL): shift(F, S32, LLVMShl); return true;
    I(I32X4_SHR_S): shift(F, S32, LLVMAShr); return true;
    I(I32X4_SHR_U): shift(F, S32, LLVMLShr); return true;
    I(I64X2_SHL): shift(F, S64, LLVMShl); return true;
    I(I64X2_SHR_S): shift(F, S64, LLVMAShr); return true;
    I(I64X2_SHR_U): shift(F, S64, LLVMLShr); return true;
    I(I8X16_ADD): binop(F, S8, LLVMAdd); return true;
    I(I8X16_SUB): binop(F, S8, LLVMSub); return true;
    I(I16X8_ADD): binop(F, S16, LLVMAdd); return true;
    I(I16X8_SUB): binop(F, S16, LLVMSub); return true;
    I(I16X8_MUL): binop(F, S16, LLVMMul); return true;
    I(I32X4_ADD): binop(F, S32, LLVMAdd); return true;
    I(I32X4_SUB): binop(F, S32, LLVMSub); return true;
    I(I32X4_MUL): binop(F, S32, LLVMMul); return true;
    I(I64X2_ADD): binop(F, S64, LLVMAdd); return true;
    I(I64X2_SUB): binop(F, S64, LLVMSub); return true;
    I(I64X2_MUL): binop(F, S64, LLVMMul); return true;
    I(I8X16_ADD_SAT_S): intr2(F, S8, "llvm.sadd.sat"); return true;
    I(I8X16_ADD_SAT_U): intr2(F, S8, "llvm.uadd.sat"); return true;
    I(I8X16_SUB_SAT_S): intr2(F, S8, "llvm.ssub.sat"); return true;
    I(I8X16_SUB_SAT_U): intr2(F, S8, "llvm.usub.sat"); return true;
    I(I16X8_ADD_SAT_S): intr2(F, S16, "llvm.sadd.sat"); return true;
    I(I16X8_ADD_SAT_U): intr2(F, S16, "llvm.uadd.sat"); return true;
    I(I16X8_SUB_SAT_S): intr2(F, S16, "llvm.ssub.sat"); return true;
    I(I16X8_SUB_SAT_U): intr2(F, S16, "llvm.usub.sat"); return true;
    I(I8X16_MIN_S): minmax_i(F, S8, LLVMIntSLT); return true;
    I(I8X16_MIN_U): minmax_i(F, S8, LLVMIntULT); return true;
    I(I8X16_MAX_S): minmax_i(F, S8, LLVMIntSGT); return true;
    I(I8X16_MAX_U): minmax_i(F, S8, LLVMIntUGT); return true;
    I(I16X8_MIN_S): minmax_i(F, S16, LLVMIntSLT); return true;
    I(I16X8_MIN_U): minmax_i(F, S16, LLVMIntULT); return true;
    I(I16X8_MAX_S): minmax_i(F, S16, LLVMIntSGT); return true;
    I(I16X8_MAX_U): minmax_i(F, S16, LLVMIntUGT); return true;
    I(I32X4_MIN_S): minmax_i(F, S32, LLVMIntSLT); return true;
    I(I32X4_MIN_U): minmax_i(F, S32, LLVMIntULT); return true;
    I(I32X4_MAX_S): minmax_i(F, S32, LLVMIntSGT); return true;
    I(I32X4_MAX_U): minmax_i(F, S32, LLVMIntUGT); return true;
    I(I8X16_AVGR_U): avgr(F, S8); return true;
    I(I16X8_AVGR_U): avgr(F, S16); return true;
    I(I16X8_EXTEND_LOW_I8X16_S): extend(F, S8, false, true); return true;
    I(I16X8_EXTEND_HIGH_I8X16_S): extend(F, S8, true, true); return true;
    I(I16X8_EXTEND_LOW_I8X16_U): extend(F, S8, false, false); return true;
    I(I16X8_EXTEND_HIGH_I8X16_U): extend(F, S8, true, false); return true;
    I(I32X4_EXTEND_LOW_I16X8_S): extend(F, S16, false, true); return true;
    I(I32X4_EXTEND_HIGH_I16X8_S): extend(F, S16, true, true); return true;
    I(I32X4_EXTEND_LOW_I16X8_U): extend(F, S16, false, false); return true;
    I(I32X4_EXTEND_HIGH_I16X8_U): extend(F, S16, true, false); return true;
    I(I64X2_EXTEND_LOW_I32X4_S): extend(F, S32, false, true); return true;
    I(I64X2_EXTEND_HIGH_I32X4_S): extend(F, S32, true, true); return true;
    I(I64X2_EXTEND_LOW_I32X4_U): extend(F, S32, false, false); return true;
    I(I64X2_EXTEND_HIGH_I32X4_U): extend(F, S32, true, false); return true;
    I(I16X8_EXTMUL_LOW_I8X16_S): extmul(F, S8, false, true); return true;
    I(I16X8_EXTMUL_HIGH_I8X16_S): extmul(F, S8, true, true); return true;
    I(I16X8_EXTMUL_LOW_I8X16_U): extmul(F, S8, false, false); return true;
    I(I16X8_EXTMUL_HIGH_I8X16_U): extmul(F, S8, true, false); return true;
    I(I32X4_EXTMUL_LOW_I16X8_S): extmul(F, S16, false, true); return true;
    I(I32X4_EXTMUL_HIGH_I16X8_S): extmul(F, S16, true, true); return true;
    I(I32X4_EXTMUL_LOW_I16X8_U): extmul(F, S16, false, false); return true;
    I(I32X4_EXTMUL_HIGH_I16X8_U): extmul(F, S16, true, false); return true;
    I(I64X2_EXTMUL_LOW_I32X4_S): extmul(F, S32, false, true); return true;
    I(I64X2_EXTMUL_HIGH_I32X4_S): extmul(F, S32, true, true); return true;
    I(I64X2_EXTMUL_LOW_I32X4_U): extmul(F, S32, false, false); return true;
    I(I64X2_EXTMUL_HIGH_I32X4_U): extmul(F, S32, true, false); return true;
    I(F32X4_ABS): intr1(F, SF32, "llvm.fabs"); return true;
    I(F64X2_ABS): intr1(F, SF64, "llvm.fabs"); return true;
    I(F32X4_NEG): push_v(F, LLVMBuildFNeg(F->b, pop_as(F, SF32), "")); return true;
    I(F64X2_NEG): push_v(F, LLVMBuildFNeg(F->b, pop_as(F, SF64), "")); return true;
    I(F32X4_SQRT): intr1(F, SF32, "llvm.sqrt"); return true;
    I(F64X2_SQRT): intr1(F, SF64, "llvm.sqrt"); return true;
    I(F32X4_CEIL): intr1(F, SF32, "llvm.ceil"); return true;
    I(F32X4_FLOOR): intr1(F, SF32, "llvm.floor"); return true;
    I(F32X4_TRUNC): intr1(F, SF32, "llvm.trunc"); return true;
    I(F32X4_NEAREST): intr1(F, SF32, "llvm.roundeven"); return true;
    I(F64X2_CEIL): intr1(F, SF64, "llvm.ceil"); return true;
    I(F64X2_FLOOR): intr1(F, SF64, "llvm.floor"); return true;
    I(F64X2_TRUNC): intr1(F, SF64, "llvm.trunc"); return true;
    I(F64X2_NEAREST): intr1(F, SF64, "llvm.roundeven"); return true;
    I(F32X4_ADD): binop(F, SF32, LLVMFAdd); return true;
    I(F32X4_SUB): binop(F, SF32, LLVMFSub); return true;
    I(F32X4_MUL): binop(F, SF32, LLVMFMul); return true;
    I(F32X4_DIV): binop(F, SF32, LLVMFDiv); return true;
    I(F64X2_ADD): binop(F, SF64, LLVMFAdd); return true;
    I(F64X2_SUB): binop(F, SF64, LLVMFSub); return true;
    I(F64X2_MUL): binop(F, SF64, LLVMFMul); return true;
    I(F64X2_DIV): binop(F, SF64, LLVMFDiv); return true;
    I(F32X4_MIN): minmax_f(F, SF32, "llvm.minimum"); return true;
    I(F32X4_MAX): minmax_f(F, SF32, "llvm.maximum"); return true;
    I(F64X2_MIN): minmax_f(F, SF64, "llvm.minimum"); return true;
    I(F64X2_MAX): minmax_f(F, SF64, "llvm.maximum"); return true;
    I(F32X4_PMIN): pminmax(F, SF32, false); return true;
    I(F32X4_PMAX): pminmax(F, SF32, true); return true;
    I(F64X2_PMIN): pminmax(F, SF64, false); return true;
    I(F64X2_PMAX): pminmax(F, SF64, true); return true;
    I(F32X4_CONVERT_I32X4_S): convert(F, S32, SF32, LLVMSIToFP); return true;
    I(F32X4_CONVERT_I32X4_U): convert(F, S32, SF32, LLVMUIToFP); return true;
    I(I32X4_TRUNC_SAT_F32X4_S): trunc_sat4(F, true); return true;
    I(I32X4_TRUNC_SAT_F32X4_U): trunc_sat4(F, false); return true;
    default: return simd_more(F, in);
    }
}
