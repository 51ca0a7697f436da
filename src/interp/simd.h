/* simd: Wasm 2.0 fixed-width SIMD semantics, one static inline function per 0xFD
   instruction, written with clang vector extensions so most compile to single SSE ops. */
#ifndef INTERP_SIMD_H
#define INTERP_SIMD_H

#include "numeric.h"

/* Conventions.
   - v128 is the value type; lane views are cast from it (a bitcast, no code). Lane 0
     is the lowest-addressed byte, as in Wasm (we only build little-endian).
   - Integer arithmetic uses the unsigned lane types, where wrap-around is defined.
   - Function names are simd_ + the instruction's text name with '.' -> '_'.
   - Where the vector builtins' semantics differ from Wasm's (float->int conversion out
     of range, libm rounding calls, NaN rules of min/max) we write the Wasm rule out
     with masks, or use a scalar loop. */
typedef uint64_t v128 __attribute__((vector_size(16)));
typedef int8_t   simd_i8x16 __attribute__((vector_size(16)));
typedef uint8_t  simd_u8x16 __attribute__((vector_size(16)));
typedef int16_t  simd_i16x8 __attribute__((vector_size(16)));
typedef uint16_t simd_u16x8 __attribute__((vector_size(16)));
typedef int32_t  simd_i32x4 __attribute__((vector_size(16)));
typedef uint32_t simd_u32x4 __attribute__((vector_size(16)));
typedef int64_t  simd_i64x2 __attribute__((vector_size(16)));
typedef uint64_t simd_u64x2 __attribute__((vector_size(16)));
typedef float    simd_f32x4 __attribute__((vector_size(16)));
typedef double   simd_f64x2 __attribute__((vector_size(16)));
/* half vectors, for extend/narrow/convert_low */
typedef int8_t   simd_i8x8 __attribute__((vector_size(8)));
typedef uint8_t  simd_u8x8 __attribute__((vector_size(8)));
typedef int16_t  simd_i16x4 __attribute__((vector_size(8)));
typedef uint16_t simd_u16x4 __attribute__((vector_size(8)));
typedef int32_t  simd_i32x2 __attribute__((vector_size(8)));
typedef uint32_t simd_u32x2 __attribute__((vector_size(8)));
typedef float    simd_f32x2 __attribute__((vector_size(8)));
/* boolean vectors: converting a lane mask to these and reading the bits is pmovmskb */
typedef _Bool simd_b16 __attribute__((ext_vector_type(16)));
typedef _Bool simd_b8 __attribute__((ext_vector_type(8)));
typedef _Bool simd_b4 __attribute__((ext_vector_type(4)));
typedef _Bool simd_b2 __attribute__((ext_vector_type(2)));

/* ---- moving v128 values: 8-byte slots (interpreter frames) and memory ---- */
static inline v128 simd_from_slots(const uint64_t *s) { v128 v; memcpy(&v, s, 16); return v; }
static inline void simd_to_slots(uint64_t *s, v128 v) { memcpy(s, &v, 16); }
static inline v128 simd_v128_const(const uint8_t imm[16]) { v128 v; memcpy(&v, imm, 16); return v; }

/* Bitwise blend: lanes of a where mask bits are set, else b. */
static inline v128 simd_blend_(v128 mask, v128 a, v128 b) { return (a & mask) | (b & ~mask); }

/* ---- splat ---- */
static inline v128 simd_i8x16_splat(uint32_t x) { return (v128)((simd_u8x16){0} + (uint8_t)x); }
static inline v128 simd_i16x8_splat(uint32_t x) { return (v128)((simd_u16x8){0} + (uint16_t)x); }
static inline v128 simd_i32x4_splat(uint32_t x) { return (v128)((simd_u32x4){0} + x); }
static inline v128 simd_i64x2_splat(uint64_t x) { return (v128){x, x}; }
static inline v128 simd_f32x4_splat(float x) { uint32_t b = num_f32_bits(x); return (v128)(simd_u32x4){b, b, b, b}; }
static inline v128 simd_f64x2_splat(double x) { uint64_t b = num_f64_bits(x); return (v128){b, b}; }

/* ---- lanes (lane < lane count; the validator checks the immediate) ---- */
static inline uint32_t simd_i8x16_extract_lane_s(v128 a, uint32_t l) { return (uint32_t)(int32_t)((simd_i8x16)a)[l & 15]; }
static inline uint32_t simd_i8x16_extract_lane_u(v128 a, uint32_t l) { return ((simd_u8x16)a)[l & 15]; }
static inline uint32_t simd_i16x8_extract_lane_s(v128 a, uint32_t l) { return (uint32_t)(int32_t)((simd_i16x8)a)[l & 7]; }
static inline uint32_t simd_i16x8_extract_lane_u(v128 a, uint32_t l) { return ((simd_u16x8)a)[l & 7]; }
static inline uint32_t simd_i32x4_extract_lane(v128 a, uint32_t l) { return ((simd_u32x4)a)[l & 3]; }
static inline uint64_t simd_i64x2_extract_lane(v128 a, uint32_t l) { return a[l & 1]; }
static inline float simd_f32x4_extract_lane(v128 a, uint32_t l) { return num_f32_from_bits(((simd_u32x4)a)[l & 3]); }
static inline double simd_f64x2_extract_lane(v128 a, uint32_t l) { return num_f64_from_bits(a[l & 1]); }

static inline v128 simd_i8x16_replace_lane(v128 a, uint32_t l, uint32_t x)
{
    simd_u8x16 v = (simd_u8x16)a; v[l & 15] = (uint8_t)x; return (v128)v;
}
static inline v128 simd_i16x8_replace_lane(v128 a, uint32_t l, uint32_t x)
{
    simd_u16x8 v = (simd_u16x8)a; v[l & 7] = (uint16_t)x; return (v128)v;
}
static inline v128 simd_i32x4_replace_lane(v128 a, uint32_t l, uint32_t x)
{
    simd_u32x4 v = (simd_u32x4)a; v[l & 3] = x; return (v128)v;
}
static inline v128 simd_i64x2_replace_lane(v128 a, uint32_t l, uint64_t x) { a[l & 1] = x; return a; }
static inline v128 simd_f32x4_replace_lane(v128 a, uint32_t l, float x) { return simd_i32x4_replace_lane(a, l, num_f32_bits(x)); }
static inline v128 simd_f64x2_replace_lane(v128 a, uint32_t l, double x) { a[l & 1] = num_f64_bits(x); return a; }

/* ---- shuffle (indices < 32, checked by the validator) and swizzle (>= 16 gives 0) ---- */
static inline v128 simd_i8x16_shuffle(v128 a, v128 b, const uint8_t idx[16])
{
    uint8_t both[32], r[16];
    memcpy(both, &a, 16);
    memcpy(both + 16, &b, 16);
    for (int i = 0; i < 16; i++) r[i] = both[idx[i] & 31];
    v128 v; memcpy(&v, r, 16); return v;
}
static inline v128 simd_i8x16_swizzle(v128 a, v128 s)
{
    uint8_t x[16], i[16], r[16];   /* arrays: indexing a vector value spills it per lane */
    memcpy(x, &a, 16);
    memcpy(i, &s, 16);
    for (int k = 0; k < 16; k++) r[k] = x[i[k] & 15] & (uint8_t)-(i[k] < 16); /* no branches */
    v128 v; memcpy(&v, r, 16); return v;
}

/* ---- integer comparisons: all-ones lanes for true ---- */
#define SIMD_CMP_(name, T, op) \
    static inline v128 name(v128 a, v128 b) { return (v128)((T)a op (T)b); }
SIMD_CMP_(simd_i8x16_eq,   simd_u8x16, ==)
SIMD_CMP_(simd_i8x16_ne,   simd_u8x16, !=)
SIMD_CMP_(simd_i8x16_lt_s, simd_i8x16, <)
SIMD_CMP_(simd_i8x16_lt_u, simd_u8x16, <)
SIMD_CMP_(simd_i8x16_gt_s, simd_i8x16, >)
SIMD_CMP_(simd_i8x16_gt_u, simd_u8x16, >)
SIMD_CMP_(simd_i8x16_le_s, simd_i8x16, <=)
SIMD_CMP_(simd_i8x16_le_u, simd_u8x16, <=)
SIMD_CMP_(simd_i8x16_ge_s, simd_i8x16, >=)
SIMD_CMP_(simd_i8x16_ge_u, simd_u8x16, >=)
SIMD_CMP_(simd_i16x8_eq,   simd_u16x8, ==)
SIMD_CMP_(simd_i16x8_ne,   simd_u16x8, !=)
SIMD_CMP_(simd_i16x8_lt_s, simd_i16x8, <)
SIMD_CMP_(simd_i16x8_lt_u, simd_u16x8, <)
SIMD_CMP_(simd_i16x8_gt_s, simd_i16x8, >)
SIMD_CMP_(simd_i16x8_gt_u, simd_u16x8, >)
SIMD_CMP_(simd_i16x8_le_s, simd_i16x8, <=)
SIMD_CMP_(simd_i16x8_le_u, simd_u16x8, <=)
SIMD_CMP_(simd_i16x8_ge_s, simd_i16x8, >=)
SIMD_CMP_(simd_i16x8_ge_u, simd_u16x8, >=)
SIMD_CMP_(simd_i32x4_eq,   simd_u32x4, ==)
SIMD_CMP_(simd_i32x4_ne,   simd_u32x4, !=)
SIMD_CMP_(simd_i32x4_lt_s, simd_i32x4, <)
SIMD_CMP_(simd_i32x4_lt_u, simd_u32x4, <)
SIMD_CMP_(simd_i32x4_gt_s, simd_i32x4, >)
SIMD_CMP_(simd_i32x4_gt_u, simd_u32x4, >)
SIMD_CMP_(simd_i32x4_le_s, simd_i32x4, <=)
SIMD_CMP_(simd_i32x4_le_u, simd_u32x4, <=)
SIMD_CMP_(simd_i32x4_ge_s, simd_i32x4, >=)
SIMD_CMP_(simd_i32x4_ge_u, simd_u32x4, >=)
SIMD_CMP_(simd_i64x2_eq,   simd_u64x2, ==)
SIMD_CMP_(simd_i64x2_ne,   simd_u64x2, !=)
SIMD_CMP_(simd_i64x2_lt_s, simd_i64x2, <)
SIMD_CMP_(simd_i64x2_gt_s, simd_i64x2, >)
SIMD_CMP_(simd_i64x2_le_s, simd_i64x2, <=)
SIMD_CMP_(simd_i64x2_ge_s, simd_i64x2, >=)
/* Float comparisons: C's vector operators are IEEE (ne is true for NaN, the rest false). */
SIMD_CMP_(simd_f32x4_eq, simd_f32x4, ==)
SIMD_CMP_(simd_f32x4_ne, simd_f32x4, !=)
SIMD_CMP_(simd_f32x4_lt, simd_f32x4, <)
SIMD_CMP_(simd_f32x4_gt, simd_f32x4, >)
SIMD_CMP_(simd_f32x4_le, simd_f32x4, <=)
SIMD_CMP_(simd_f32x4_ge, simd_f32x4, >=)
SIMD_CMP_(simd_f64x2_eq, simd_f64x2, ==)
SIMD_CMP_(simd_f64x2_ne, simd_f64x2, !=)
SIMD_CMP_(simd_f64x2_lt, simd_f64x2, <)
SIMD_CMP_(simd_f64x2_gt, simd_f64x2, >)
SIMD_CMP_(simd_f64x2_le, simd_f64x2, <=)
SIMD_CMP_(simd_f64x2_ge, simd_f64x2, >=)
#undef SIMD_CMP_

/* ---- bitwise ---- */
static inline v128 simd_v128_not(v128 a) { return ~a; }
static inline v128 simd_v128_and(v128 a, v128 b) { return a & b; }
static inline v128 simd_v128_andnot(v128 a, v128 b) { return a & ~b; }
static inline v128 simd_v128_or(v128 a, v128 b) { return a | b; }
static inline v128 simd_v128_xor(v128 a, v128 b) { return a ^ b; }
static inline v128 simd_v128_bitselect(v128 a, v128 b, v128 c) { return simd_blend_(c, a, b); }
static inline uint32_t simd_v128_any_true(v128 a) { return (a[0] | a[1]) != 0; }

/* ---- all_true / bitmask ---- */
static inline uint32_t simd_i8x16_all_true(v128 a) { return !simd_v128_any_true((v128)((simd_u8x16)a == 0)); }
static inline uint32_t simd_i16x8_all_true(v128 a) { return !simd_v128_any_true((v128)((simd_u16x8)a == 0)); }
static inline uint32_t simd_i32x4_all_true(v128 a) { return !simd_v128_any_true((v128)((simd_u32x4)a == 0)); }
static inline uint32_t simd_i64x2_all_true(v128 a) { return !simd_v128_any_true((v128)((simd_u64x2)a == 0)); }

static inline uint32_t simd_i8x16_bitmask(v128 a)
{
    simd_b16 m = __builtin_convertvector((simd_i8x16)a < 0, simd_b16);
    uint16_t r; memcpy(&r, &m, 2); return r;
}
static inline uint32_t simd_i16x8_bitmask(v128 a)
{
    simd_b8 m = __builtin_convertvector((simd_i16x8)a < 0, simd_b8);
    uint8_t r; memcpy(&r, &m, 1); return r;
}
static inline uint32_t simd_i32x4_bitmask(v128 a)
{
    simd_b4 m = __builtin_convertvector((simd_i32x4)a < 0, simd_b4);
    uint8_t r; memcpy(&r, &m, 1); return r & 0xF;
}
static inline uint32_t simd_i64x2_bitmask(v128 a) { return (uint32_t)((a[0] >> 63) | ((a[1] >> 63) << 1)); }

/* ---- integer unary ---- */
/* abs(INT_MIN) = INT_MIN: (a ^ s) - s with s the sign mask, wrapping in unsigned lanes. */
static inline v128 simd_i8x16_abs(v128 a)
{
    simd_u8x16 s = (simd_u8x16)((simd_i8x16)a >> 7);
    return (v128)(((simd_u8x16)a ^ s) - s);
}
static inline v128 simd_i16x8_abs(v128 a)
{
    simd_u16x8 s = (simd_u16x8)((simd_i16x8)a >> 15);
    return (v128)(((simd_u16x8)a ^ s) - s);
}
static inline v128 simd_i32x4_abs(v128 a)
{
    simd_u32x4 s = (simd_u32x4)((simd_i32x4)a >> 31);
    return (v128)(((simd_u32x4)a ^ s) - s);
}
static inline v128 simd_i64x2_abs(v128 a)
{
    simd_u64x2 s = (simd_u64x2)((simd_i64x2)a >> 63);
    return (v128)((a ^ s) - s);
}
static inline v128 simd_i8x16_neg(v128 a) { return (v128)(-(simd_u8x16)a); }
static inline v128 simd_i16x8_neg(v128 a) { return (v128)(-(simd_u16x8)a); }
static inline v128 simd_i32x4_neg(v128 a) { return (v128)(-(simd_u32x4)a); }
static inline v128 simd_i64x2_neg(v128 a) { return -a; }
static inline v128 simd_i8x16_popcnt(v128 a)
{
    simd_u8x16 x = (simd_u8x16)a;
    x = x - ((x >> 1) & 0x55);
    x = (x & 0x33) + ((x >> 2) & 0x33);
    return (v128)((x + (x >> 4)) & 0x0F);
}

/* ---- shifts: the count is taken modulo the lane width ---- */
static inline v128 simd_i8x16_shl(v128 a, uint32_t n) { return (v128)((simd_u8x16)a << (uint8_t)(n & 7)); }
static inline v128 simd_i8x16_shr_s(v128 a, uint32_t n) { return (v128)((simd_i8x16)a >> (int8_t)(n & 7)); }
static inline v128 simd_i8x16_shr_u(v128 a, uint32_t n) { return (v128)((simd_u8x16)a >> (uint8_t)(n & 7)); }
static inline v128 simd_i16x8_shl(v128 a, uint32_t n) { return (v128)((simd_u16x8)a << (uint16_t)(n & 15)); }
static inline v128 simd_i16x8_shr_s(v128 a, uint32_t n) { return (v128)((simd_i16x8)a >> (int16_t)(n & 15)); }
static inline v128 simd_i16x8_shr_u(v128 a, uint32_t n) { return (v128)((simd_u16x8)a >> (uint16_t)(n & 15)); }
static inline v128 simd_i32x4_shl(v128 a, uint32_t n) { return (v128)((simd_u32x4)a << (n & 31)); }
static inline v128 simd_i32x4_shr_s(v128 a, uint32_t n) { return (v128)((simd_i32x4)a >> (int32_t)(n & 31)); }
static inline v128 simd_i32x4_shr_u(v128 a, uint32_t n) { return (v128)((simd_u32x4)a >> (n & 31)); }
static inline v128 simd_i64x2_shl(v128 a, uint32_t n) { return a << (uint64_t)(n & 63); }
static inline v128 simd_i64x2_shr_s(v128 a, uint32_t n) { return (v128)((simd_i64x2)a >> (int64_t)(n & 63)); }
static inline v128 simd_i64x2_shr_u(v128 a, uint32_t n) { return a >> (uint64_t)(n & 63); }

/* ---- integer binary ---- */
#define SIMD_BIN_(name, T, expr) \
    static inline v128 name(v128 a_, v128 b_) { T a = (T)a_, b = (T)b_; return (v128)(expr); }
SIMD_BIN_(simd_i8x16_add, simd_u8x16, a + b)
SIMD_BIN_(simd_i8x16_sub, simd_u8x16, a - b)
SIMD_BIN_(simd_i16x8_add, simd_u16x8, a + b)
SIMD_BIN_(simd_i16x8_sub, simd_u16x8, a - b)
SIMD_BIN_(simd_i16x8_mul, simd_u16x8, a * b)
SIMD_BIN_(simd_i32x4_add, simd_u32x4, a + b)
SIMD_BIN_(simd_i32x4_sub, simd_u32x4, a - b)
SIMD_BIN_(simd_i32x4_mul, simd_u32x4, a * b)
SIMD_BIN_(simd_i64x2_add, simd_u64x2, a + b)
SIMD_BIN_(simd_i64x2_sub, simd_u64x2, a - b)
SIMD_BIN_(simd_i64x2_mul, simd_u64x2, a * b)
SIMD_BIN_(simd_i8x16_add_sat_s, simd_i8x16, __builtin_elementwise_add_sat(a, b))
SIMD_BIN_(simd_i8x16_add_sat_u, simd_u8x16, __builtin_elementwise_add_sat(a, b))
SIMD_BIN_(simd_i8x16_sub_sat_s, simd_i8x16, __builtin_elementwise_sub_sat(a, b))
SIMD_BIN_(simd_i8x16_sub_sat_u, simd_u8x16, __builtin_elementwise_sub_sat(a, b))
SIMD_BIN_(simd_i16x8_add_sat_s, simd_i16x8, __builtin_elementwise_add_sat(a, b))
SIMD_BIN_(simd_i16x8_add_sat_u, simd_u16x8, __builtin_elementwise_add_sat(a, b))
SIMD_BIN_(simd_i16x8_sub_sat_s, simd_i16x8, __builtin_elementwise_sub_sat(a, b))
SIMD_BIN_(simd_i16x8_sub_sat_u, simd_u16x8, __builtin_elementwise_sub_sat(a, b))
SIMD_BIN_(simd_i8x16_min_s, simd_i8x16, __builtin_elementwise_min(a, b))
SIMD_BIN_(simd_i8x16_min_u, simd_u8x16, __builtin_elementwise_min(a, b))
SIMD_BIN_(simd_i8x16_max_s, simd_i8x16, __builtin_elementwise_max(a, b))
SIMD_BIN_(simd_i8x16_max_u, simd_u8x16, __builtin_elementwise_max(a, b))
SIMD_BIN_(simd_i16x8_min_s, simd_i16x8, __builtin_elementwise_min(a, b))
SIMD_BIN_(simd_i16x8_min_u, simd_u16x8, __builtin_elementwise_min(a, b))
SIMD_BIN_(simd_i16x8_max_s, simd_i16x8, __builtin_elementwise_max(a, b))
SIMD_BIN_(simd_i16x8_max_u, simd_u16x8, __builtin_elementwise_max(a, b))
SIMD_BIN_(simd_i32x4_min_s, simd_i32x4, __builtin_elementwise_min(a, b))
SIMD_BIN_(simd_i32x4_min_u, simd_u32x4, __builtin_elementwise_min(a, b))
SIMD_BIN_(simd_i32x4_max_s, simd_i32x4, __builtin_elementwise_max(a, b))
SIMD_BIN_(simd_i32x4_max_u, simd_u32x4, __builtin_elementwise_max(a, b))
/* (a + b + 1) >> 1 without widening: (a | b) - ((a ^ b) >> 1); compiles to pavgb/pavgw. */
SIMD_BIN_(simd_i8x16_avgr_u, simd_u8x16, (a | b) - ((a ^ b) >> 1))
SIMD_BIN_(simd_i16x8_avgr_u, simd_u16x8, (a | b) - ((a ^ b) >> 1))
#undef SIMD_BIN_

static inline simd_i16x8 simd_clamp_i16_(simd_i16x8 v, int16_t lo, int16_t hi)
{
    return __builtin_elementwise_min(__builtin_elementwise_max(v, (simd_i16x8){0} + lo), (simd_i16x8){0} + hi);
}
static inline simd_i32x4 simd_clamp_i32_(simd_i32x4 v, int32_t lo, int32_t hi)
{
    return __builtin_elementwise_min(__builtin_elementwise_max(v, (simd_i32x4){0} + lo), (simd_i32x4){0} + hi);
}

/* ---- narrow: saturate each lane to the narrower type; a fills the low half ---- */
static inline v128 simd_i8x16_narrow_i16x8_s(v128 a, v128 b)
{
    simd_i16x8 lo = simd_clamp_i16_((simd_i16x8)a, -128, 127);
    simd_i16x8 hi = simd_clamp_i16_((simd_i16x8)b, -128, 127);
    simd_i8x8 l = __builtin_convertvector(lo, simd_i8x8), h = __builtin_convertvector(hi, simd_i8x8);
    return (v128)__builtin_shufflevector(l, h, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}
static inline v128 simd_i8x16_narrow_i16x8_u(v128 a, v128 b)
{
    simd_i16x8 lo = simd_clamp_i16_((simd_i16x8)a, 0, 255);
    simd_i16x8 hi = simd_clamp_i16_((simd_i16x8)b, 0, 255);
    simd_u8x8 l = __builtin_convertvector(lo, simd_u8x8), h = __builtin_convertvector(hi, simd_u8x8);
    return (v128)__builtin_shufflevector(l, h, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}
static inline v128 simd_i16x8_narrow_i32x4_s(v128 a, v128 b)
{
    simd_i32x4 lo = simd_clamp_i32_((simd_i32x4)a, -32768, 32767);
    simd_i32x4 hi = simd_clamp_i32_((simd_i32x4)b, -32768, 32767);
    simd_i16x4 l = __builtin_convertvector(lo, simd_i16x4), h = __builtin_convertvector(hi, simd_i16x4);
    return (v128)__builtin_shufflevector(l, h, 0, 1, 2, 3, 4, 5, 6, 7);
}
static inline v128 simd_i16x8_narrow_i32x4_u(v128 a, v128 b)
{
    simd_i32x4 lo = simd_clamp_i32_((simd_i32x4)a, 0, 65535);
    simd_i32x4 hi = simd_clamp_i32_((simd_i32x4)b, 0, 65535);
    simd_u16x4 l = __builtin_convertvector(lo, simd_u16x4), h = __builtin_convertvector(hi, simd_u16x4);
    return (v128)__builtin_shufflevector(l, h, 0, 1, 2, 3, 4, 5, 6, 7);
}

/* ---- halves and widening ---- */
#define SIMD_LO8_  0, 1, 2, 3, 4, 5, 6, 7
#define SIMD_HI8_  8, 9, 10, 11, 12, 13, 14, 15
#define SIMD_EVEN8_ 0, 2, 4, 6, 8, 10, 12, 14
#define SIMD_ODD8_  1, 3, 5, 7, 9, 11, 13, 15
static inline simd_i16x8 simd_wide_i8_(v128 a, int high)
{
    simd_i8x16 x = (simd_i8x16)a;
    return high ? __builtin_convertvector(__builtin_shufflevector(x, x, SIMD_HI8_), simd_i16x8)
                : __builtin_convertvector(__builtin_shufflevector(x, x, SIMD_LO8_), simd_i16x8);
}
static inline simd_u16x8 simd_wide_u8_(v128 a, int high)
{
    simd_u8x16 x = (simd_u8x16)a;
    return high ? __builtin_convertvector(__builtin_shufflevector(x, x, SIMD_HI8_), simd_u16x8)
                : __builtin_convertvector(__builtin_shufflevector(x, x, SIMD_LO8_), simd_u16x8);
}
static inline simd_i32x4 simd_wide_i16_(v128 a, int high)
{
    simd_i16x8 x = (simd_i16x8)a;
    return high ? __builtin_convertvector(__builtin_shufflevector(x, x, 4, 5, 6, 7), simd_i32x4)
                : __builtin_convertvector(__builtin_shufflevector(x, x, 0, 1, 2, 3), simd_i32x4);
}
static inline simd_u32x4 simd_wide_u16_(v128 a, int high)
{
    simd_u16x8 x = (simd_u16x8)a;
    return high ? __builtin_convertvector(__builtin_shufflevector(x, x, 4, 5, 6, 7), simd_u32x4)
                : __builtin_convertvector(__builtin_shufflevector(x, x, 0, 1, 2, 3), simd_u32x4);
}
static inline simd_i64x2 simd_wide_i32_(v128 a, int high)
{
    simd_i32x4 x = (simd_i32x4)a;
    return high ? __builtin_convertvector(__builtin_shufflevector(x, x, 2, 3), simd_i64x2)
                : __builtin_convertvector(__builtin_shufflevector(x, x, 0, 1), simd_i64x2);
}
static inline simd_u64x2 simd_wide_u32_(v128 a, int high)
{
    simd_u32x4 x = (simd_u32x4)a;
    return high ? __builtin_convertvector(__builtin_shufflevector(x, x, 2, 3), simd_u64x2)
                : __builtin_convertvector(__builtin_shufflevector(x, x, 0, 1), simd_u64x2);
}

static inline v128 simd_i16x8_extend_low_i8x16_s(v128 a) { return (v128)simd_wide_i8_(a, 0); }
static inline v128 simd_i16x8_extend_high_i8x16_s(v128 a) { return (v128)simd_wide_i8_(a, 1); }
static inline v128 simd_i16x8_extend_low_i8x16_u(v128 a) { return (v128)simd_wide_u8_(a, 0); }
static inline v128 simd_i16x8_extend_high_i8x16_u(v128 a) { return (v128)simd_wide_u8_(a, 1); }
static inline v128 simd_i32x4_extend_low_i16x8_s(v128 a) { return (v128)simd_wide_i16_(a, 0); }
static inline v128 simd_i32x4_extend_high_i16x8_s(v128 a) { return (v128)simd_wide_i16_(a, 1); }
static inline v128 simd_i32x4_extend_low_i16x8_u(v128 a) { return (v128)simd_wide_u16_(a, 0); }
static inline v128 simd_i32x4_extend_high_i16x8_u(v128 a) { return (v128)simd_wide_u16_(a, 1); }
static inline v128 simd_i64x2_extend_low_i32x4_s(v128 a) { return (v128)simd_wide_i32_(a, 0); }
static inline v128 simd_i64x2_extend_high_i32x4_s(v128 a) { return (v128)simd_wide_i32_(a, 1); }
static inline v128 simd_i64x2_extend_low_i32x4_u(v128 a) { return (v128)simd_wide_u32_(a, 0); }
static inline v128 simd_i64x2_extend_high_i32x4_u(v128 a) { return (v128)simd_wide_u32_(a, 1); }

/* extmul: widen, then multiply in the wide unsigned type (the product always fits in
   the wide lane as a bit pattern; unsigned keeps the multiplication defined). */
#define SIMD_EXTMUL_(name, wide, UT, high) \
    static inline v128 name(v128 a, v128 b) { return (v128)((UT)wide(a, high) * (UT)wide(b, high)); }
SIMD_EXTMUL_(simd_i16x8_extmul_low_i8x16_s,  simd_wide_i8_,  simd_u16x8, 0)
SIMD_EXTMUL_(simd_i16x8_extmul_high_i8x16_s, simd_wide_i8_,  simd_u16x8, 1)
SIMD_EXTMUL_(simd_i16x8_extmul_low_i8x16_u,  simd_wide_u8_,  simd_u16x8, 0)
SIMD_EXTMUL_(simd_i16x8_extmul_high_i8x16_u, simd_wide_u8_,  simd_u16x8, 1)
SIMD_EXTMUL_(simd_i32x4_extmul_low_i16x8_s,  simd_wide_i16_, simd_u32x4, 0)
SIMD_EXTMUL_(simd_i32x4_extmul_high_i16x8_s, simd_wide_i16_, simd_u32x4, 1)
SIMD_EXTMUL_(simd_i32x4_extmul_low_i16x8_u,  simd_wide_u16_, simd_u32x4, 0)
SIMD_EXTMUL_(simd_i32x4_extmul_high_i16x8_u, simd_wide_u16_, simd_u32x4, 1)
SIMD_EXTMUL_(simd_i64x2_extmul_low_i32x4_s,  simd_wide_i32_, simd_u64x2, 0)
SIMD_EXTMUL_(simd_i64x2_extmul_high_i32x4_s, simd_wide_i32_, simd_u64x2, 1)
SIMD_EXTMUL_(simd_i64x2_extmul_low_i32x4_u,  simd_wide_u32_, simd_u64x2, 0)
SIMD_EXTMUL_(simd_i64x2_extmul_high_i32x4_u, simd_wide_u32_, simd_u64x2, 1)
#undef SIMD_EXTMUL_

/* extadd_pairwise: lane i = a[2i] + a[2i+1], widened (cannot overflow). */
static inline v128 simd_i16x8_extadd_pairwise_i8x16_s(v128 a)
{
    simd_i8x16 x = (simd_i8x16)a;
    return (v128)(__builtin_convertvector(__builtin_shufflevector(x, x, SIMD_EVEN8_), simd_i16x8) +
                  __builtin_convertvector(__builtin_shufflevector(x, x, SIMD_ODD8_), simd_i16x8));
}
static inline v128 simd_i16x8_extadd_pairwise_i8x16_u(v128 a)
{
    simd_u8x16 x = (simd_u8x16)a;
    return (v128)(__builtin_convertvector(__builtin_shufflevector(x, x, SIMD_EVEN8_), simd_u16x8) +
                  __builtin_convertvector(__builtin_shufflevector(x, x, SIMD_ODD8_), simd_u16x8));
}
static inline v128 simd_i32x4_extadd_pairwise_i16x8_s(v128 a)
{
    simd_i16x8 x = (simd_i16x8)a;
    return (v128)(__builtin_convertvector(__builtin_shufflevector(x, x, 0, 2, 4, 6), simd_i32x4) +
                  __builtin_convertvector(__builtin_shufflevector(x, x, 1, 3, 5, 7), simd_i32x4));
}
static inline v128 simd_i32x4_extadd_pairwise_i16x8_u(v128 a)
{
    simd_u16x8 x = (simd_u16x8)a;
    return (v128)(__builtin_convertvector(__builtin_shufflevector(x, x, 0, 2, 4, 6), simd_u32x4) +
                  __builtin_convertvector(__builtin_shufflevector(x, x, 1, 3, 5, 7), simd_u32x4));
}

/* dot: lane i = a[2i]*b[2i] + a[2i+1]*b[2i+1] in 32 bits; only -32768^2 * 2 wraps. */
static inline v128 simd_i32x4_dot_i16x8_s(v128 a, v128 b)
{
    simd_u32x4 lo = (simd_u32x4)(simd_wide_i16_(a, 0) * simd_wide_i16_(b, 0));
    simd_u32x4 hi = (simd_u32x4)(simd_wide_i16_(a, 1) * simd_wide_i16_(b, 1));
    return (v128)(__builtin_shufflevector(lo, hi, 0, 2, 4, 6) + __builtin_shufflevector(lo, hi, 1, 3, 5, 7));
}

/* q15mulr_sat_s: (a*b + 2^14) >> 15, saturated; only -32768 * -32768 saturates. */
static inline v128 simd_i16x8_q15mulr_sat_s(v128 a, v128 b)
{
    simd_i32x4 lo = (simd_wide_i16_(a, 0) * simd_wide_i16_(b, 0) + 0x4000) >> 15;
    simd_i32x4 hi = (simd_wide_i16_(a, 1) * simd_wide_i16_(b, 1) + 0x4000) >> 15;
    lo = simd_clamp_i32_(lo, INT32_MIN, 32767);
    hi = simd_clamp_i32_(hi, INT32_MIN, 32767);
    return (v128)__builtin_shufflevector(__builtin_convertvector(lo, simd_i16x4),
                                         __builtin_convertvector(hi, simd_i16x4), 0, 1, 2, 3, 4, 5, 6, 7);
}
#undef SIMD_LO8_
#undef SIMD_HI8_
#undef SIMD_EVEN8_
#undef SIMD_ODD8_

/* ---- float sign ops: bit operations, NaN bits untouched ---- */
static inline v128 simd_f32x4_abs(v128 a) { return (v128)((simd_u32x4)a & 0x7FFFFFFFu); }
static inline v128 simd_f32x4_neg(v128 a) { return (v128)((simd_u32x4)a ^ 0x80000000u); }
static inline v128 simd_f64x2_abs(v128 a) { return a & 0x7FFFFFFFFFFFFFFFull; }
static inline v128 simd_f64x2_neg(v128 a) { return a ^ 0x8000000000000000ull; }

/* ---- float arithmetic: the SSE instructions already follow the NaN rules ---- */
#define SIMD_FBIN_(name, T, op) \
    static inline v128 name(v128 a, v128 b) { return (v128)((T)a op (T)b); }
SIMD_FBIN_(simd_f32x4_add, simd_f32x4, +)
SIMD_FBIN_(simd_f32x4_sub, simd_f32x4, -)
SIMD_FBIN_(simd_f32x4_mul, simd_f32x4, *)
SIMD_FBIN_(simd_f32x4_div, simd_f32x4, /)
SIMD_FBIN_(simd_f64x2_add, simd_f64x2, +)
SIMD_FBIN_(simd_f64x2_sub, simd_f64x2, -)
SIMD_FBIN_(simd_f64x2_mul, simd_f64x2, *)
SIMD_FBIN_(simd_f64x2_div, simd_f64x2, /)
#undef SIMD_FBIN_
static inline v128 simd_f32x4_sqrt(v128 a) { return (v128)__builtin_elementwise_sqrt((simd_f32x4)a); }
static inline v128 simd_f64x2_sqrt(v128 a) { return (v128)__builtin_elementwise_sqrt((simd_f64x2)a); }

/* Quiet every NaN lane (set its quiet bit); other lanes unchanged. */
static inline v128 simd_f32x4_quiet_(v128 a)
{
    simd_f32x4 x = (simd_f32x4)a;
    return (v128)((simd_u32x4)a | ((simd_u32x4)(x != x) & 0x00400000u));
}
static inline v128 simd_f64x2_quiet_(v128 a)
{
    simd_f64x2 x = (simd_f64x2)a;
    return a | ((v128)(x != x) & 0x0008000000000000ull);
}

/* min/max: NaN in a lane gives a quiet NaN (a's if a is NaN, else b's); equal lanes
   (only +-0 differ in bits) combine with | (min: -0 wins) or & (max: +0 wins). */
static inline v128 simd_f32x4_min(v128 a, v128 b)
{
    simd_f32x4 x = (simd_f32x4)a, y = (simd_f32x4)b;
    v128 lt = (v128)(x < y), gt = (v128)(y < x), eq = (v128)(x == y);
    v128 r = (lt & a) | (gt & b) | (eq & (a | b));
    v128 nan = ~(lt | gt | eq);
    return simd_blend_(nan, simd_f32x4_quiet_(simd_blend_((v128)(x != x), a, b)), r);
}
static inline v128 simd_f32x4_max(v128 a, v128 b)
{
    simd_f32x4 x = (simd_f32x4)a, y = (simd_f32x4)b;
    v128 lt = (v128)(x < y), gt = (v128)(y < x), eq = (v128)(x == y);
    v128 r = (lt & b) | (gt & a) | (eq & (a & b));
    v128 nan = ~(lt | gt | eq);
    return simd_blend_(nan, simd_f32x4_quiet_(simd_blend_((v128)(x != x), a, b)), r);
}
static inline v128 simd_f64x2_min(v128 a, v128 b)
{
    simd_f64x2 x = (simd_f64x2)a, y = (simd_f64x2)b;
    v128 lt = (v128)(x < y), gt = (v128)(y < x), eq = (v128)(x == y);
    v128 r = (lt & a) | (gt & b) | (eq & (a | b));
    v128 nan = ~(lt | gt | eq);
    return simd_blend_(nan, simd_f64x2_quiet_(simd_blend_((v128)(x != x), a, b)), r);
}
static inline v128 simd_f64x2_max(v128 a, v128 b)
{
    simd_f64x2 x = (simd_f64x2)a, y = (simd_f64x2)b;
    v128 lt = (v128)(x < y), gt = (v128)(y < x), eq = (v128)(x == y);
    v128 r = (lt & b) | (gt & a) | (eq & (a & b));
    v128 nan = ~(lt | gt | eq);
    return simd_blend_(nan, simd_f64x2_quiet_(simd_blend_((v128)(x != x), a, b)), r);
}
/* pmin = b < a ? b : a, pmax = a < b ? b : a: no NaN or zero-sign special cases. */
static inline v128 simd_f32x4_pmin(v128 a, v128 b) { return simd_blend_((v128)((simd_f32x4)b < (simd_f32x4)a), b, a); }
static inline v128 simd_f32x4_pmax(v128 a, v128 b) { return simd_blend_((v128)((simd_f32x4)a < (simd_f32x4)b), b, a); }
static inline v128 simd_f64x2_pmin(v128 a, v128 b) { return simd_blend_((v128)((simd_f64x2)b < (simd_f64x2)a), b, a); }
static inline v128 simd_f64x2_pmax(v128 a, v128 b) { return simd_blend_((v128)((simd_f64x2)a < (simd_f64x2)b), b, a); }

/* ---- rounding: the same add-and-subtract-2^23 (2^52) method as numeric.h, per lane;
   lanes already integral (or inf/NaN) pass through, NaNs quieted. mode: 0 nearest,
   1 floor, 2 ceil, 3 trunc ---- */
static inline v128 simd_f32x4_round_(v128 a, int mode)
{
    simd_f32x4 x = (simd_f32x4)a;
    simd_u32x4 sign = (simd_u32x4)a & 0x80000000u;
    simd_f32x4 ax = (simd_f32x4)((simd_u32x4)a & 0x7FFFFFFFu);
    simd_f32x4 r = (ax + 0x1p23f) - 0x1p23f;               /* nearest of |x| */
    if (mode == 3) r -= (simd_f32x4)((simd_u32x4)(r > ax) & 0x3F800000u);
    r = (simd_f32x4)((simd_u32x4)r | sign);
    if (mode == 1) r -= (simd_f32x4)((simd_u32x4)(r > x) & 0x3F800000u);
    if (mode == 2) r += (simd_f32x4)((simd_u32x4)(r < x) & 0x3F800000u);
    r = (simd_f32x4)(((simd_u32x4)r & 0x7FFFFFFFu) | sign);  /* keep the sign of zeros */
    return simd_blend_((v128)(ax < 0x1p23f), (v128)r, simd_f32x4_quiet_(a));
}
static inline v128 simd_f64x2_round_(v128 a, int mode)
{
    simd_f64x2 x = (simd_f64x2)a;
    v128 sign = a & 0x8000000000000000ull;
    simd_f64x2 ax = (simd_f64x2)(a & 0x7FFFFFFFFFFFFFFFull);
    simd_f64x2 r = (ax + 0x1p52) - 0x1p52;
    if (mode == 3) r -= (simd_f64x2)((v128)(r > ax) & 0x3FF0000000000000ull);
    r = (simd_f64x2)((v128)r | sign);
    if (mode == 1) r -= (simd_f64x2)((v128)(r > x) & 0x3FF0000000000000ull);
    if (mode == 2) r += (simd_f64x2)((v128)(r < x) & 0x3FF0000000000000ull);
    r = (simd_f64x2)(((v128)r & 0x7FFFFFFFFFFFFFFFull) | sign);
    return simd_blend_((v128)(ax < 0x1p52), (v128)r, simd_f64x2_quiet_(a));
}
static inline v128 simd_f32x4_nearest(v128 a) { return simd_f32x4_round_(a, 0); }
static inline v128 simd_f32x4_floor(v128 a) { return simd_f32x4_round_(a, 1); }
static inline v128 simd_f32x4_ceil(v128 a) { return simd_f32x4_round_(a, 2); }
static inline v128 simd_f32x4_trunc(v128 a) { return simd_f32x4_round_(a, 3); }
static inline v128 simd_f64x2_nearest(v128 a) { return simd_f64x2_round_(a, 0); }
static inline v128 simd_f64x2_floor(v128 a) { return simd_f64x2_round_(a, 1); }
static inline v128 simd_f64x2_ceil(v128 a) { return simd_f64x2_round_(a, 2); }
static inline v128 simd_f64x2_trunc(v128 a) { return simd_f64x2_round_(a, 3); }

/* ---- conversions ---- */
/* trunc_sat: zero NaN lanes, clamp into the range where the conversion is defined, convert,
   then put the maximum into lanes that were >= 2^32 (u) / 2^31 (s). */
static inline v128 simd_i32x4_trunc_sat_f32x4_s(v128 a)
{
    simd_f32x4 x = (simd_f32x4)(a & (v128)((simd_f32x4)a == (simd_f32x4)a));
    simd_i32x4 big = x >= 2147483648.0f;
    x = __builtin_elementwise_max(x, (simd_f32x4){0} - 2147483648.0f);
    x = __builtin_elementwise_min(x, (simd_f32x4){0} + 2147483520.0f);        /* largest float < 2^31 */
    simd_i32x4 r = __builtin_convertvector(x, simd_i32x4);
    return simd_blend_((v128)big, (v128)(simd_i32x4){INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX}, (v128)r);
}
static inline v128 simd_i32x4_trunc_sat_f32x4_u(v128 a)
{
    simd_f32x4 x = (simd_f32x4)(a & (v128)((simd_f32x4)a == (simd_f32x4)a));
    simd_i32x4 big = x >= 4294967296.0f;
    x = __builtin_elementwise_max(x, (simd_f32x4){0});
    x = __builtin_elementwise_min(x, (simd_f32x4){0} + 4294967040.0f);        /* largest float < 2^32 */
    simd_u32x4 r = __builtin_convertvector(x, simd_u32x4);
    return simd_blend_((v128)big, ~(v128){0, 0}, (v128)r);
}
static inline v128 simd_i32x4_trunc_sat_f64x2_s_zero(v128 a)
{
    simd_f64x2 x = (simd_f64x2)a;
    return (v128)(simd_u32x4){num_i32_trunc_sat_f64_s(x[0]), num_i32_trunc_sat_f64_s(x[1]), 0, 0};
}
static inline v128 simd_i32x4_trunc_sat_f64x2_u_zero(v128 a)
{
    simd_f64x2 x = (simd_f64x2)a;
    return (v128)(simd_u32x4){num_i32_trunc_sat_f64_u(x[0]), num_i32_trunc_sat_f64_u(x[1]), 0, 0};
}
static inline v128 simd_f32x4_convert_i32x4_s(v128 a) { return (v128)__builtin_convertvector((simd_i32x4)a, simd_f32x4); }
static inline v128 simd_f32x4_convert_i32x4_u(v128 a) { return (v128)__builtin_convertvector((simd_u32x4)a, simd_f32x4); }
static inline v128 simd_f64x2_convert_low_i32x4_s(v128 a)
{
    simd_i32x4 x = (simd_i32x4)a;
    return (v128)__builtin_convertvector(__builtin_shufflevector(x, x, 0, 1), simd_f64x2);
}
static inline v128 simd_f64x2_convert_low_i32x4_u(v128 a)
{
    simd_u32x4 x = (simd_u32x4)a;
    return (v128)__builtin_convertvector(__builtin_shufflevector(x, x, 0, 1), simd_f64x2);
}
static inline v128 simd_f32x4_demote_f64x2_zero(v128 a)
{
    simd_f32x2 r = __builtin_convertvector((simd_f64x2)a, simd_f32x2);
    return (v128)__builtin_shufflevector(r, (simd_f32x2){0, 0}, 0, 1, 2, 3);
}
static inline v128 simd_f64x2_promote_low_f32x4(v128 a)
{
    simd_f32x4 x = (simd_f32x4)a;
    return (v128)__builtin_convertvector(__builtin_shufflevector(x, x, 0, 1), simd_f64x2);
}

/* ---- memory: p points at the effective address (bounds already checked), any
   alignment ---- */
static inline v128 simd_v128_load(const uint8_t *p) { v128 v; memcpy(&v, p, 16); return v; }
static inline void simd_v128_store(uint8_t *p, v128 v) { memcpy(p, &v, 16); }
static inline v128 simd_v128_load8x8_s(const uint8_t *p)
{
    simd_i8x8 h; memcpy(&h, p, 8); return (v128)__builtin_convertvector(h, simd_i16x8);
}
static inline v128 simd_v128_load8x8_u(const uint8_t *p)
{
    simd_u8x8 h; memcpy(&h, p, 8); return (v128)__builtin_convertvector(h, simd_u16x8);
}
static inline v128 simd_v128_load16x4_s(const uint8_t *p)
{
    simd_i16x4 h; memcpy(&h, p, 8); return (v128)__builtin_convertvector(h, simd_i32x4);
}
static inline v128 simd_v128_load16x4_u(const uint8_t *p)
{
    simd_u16x4 h; memcpy(&h, p, 8); return (v128)__builtin_convertvector(h, simd_u32x4);
}
static inline v128 simd_v128_load32x2_s(const uint8_t *p)
{
    simd_i32x2 h; memcpy(&h, p, 8); return (v128)__builtin_convertvector(h, simd_i64x2);
}
static inline v128 simd_v128_load32x2_u(const uint8_t *p)
{
    simd_u32x2 h; memcpy(&h, p, 8); return (v128)__builtin_convertvector(h, simd_u64x2);
}
static inline v128 simd_v128_load8_splat(const uint8_t *p) { return simd_i8x16_splat(*p); }
static inline v128 simd_v128_load16_splat(const uint8_t *p) { uint16_t x; memcpy(&x, p, 2); return simd_i16x8_splat(x); }
static inline v128 simd_v128_load32_splat(const uint8_t *p) { return simd_i32x4_splat(tb_rd32(p)); }
static inline v128 simd_v128_load64_splat(const uint8_t *p) { return simd_i64x2_splat(tb_rd64(p)); }
static inline v128 simd_v128_load32_zero(const uint8_t *p) { return (v128)(simd_u32x4){tb_rd32(p), 0, 0, 0}; }
static inline v128 simd_v128_load64_zero(const uint8_t *p) { return (v128){tb_rd64(p), 0}; }
static inline v128 simd_v128_load8_lane(const uint8_t *p, v128 v, uint32_t l) { return simd_i8x16_replace_lane(v, l, *p); }
static inline v128 simd_v128_load16_lane(const uint8_t *p, v128 v, uint32_t l)
{
    uint16_t x; memcpy(&x, p, 2); return simd_i16x8_replace_lane(v, l, x);
}
static inline v128 simd_v128_load32_lane(const uint8_t *p, v128 v, uint32_t l) { return simd_i32x4_replace_lane(v, l, tb_rd32(p)); }
static inline v128 simd_v128_load64_lane(const uint8_t *p, v128 v, uint32_t l) { return simd_i64x2_replace_lane(v, l, tb_rd64(p)); }
static inline void simd_v128_store8_lane(uint8_t *p, v128 v, uint32_t l) { *p = (uint8_t)simd_i8x16_extract_lane_u(v, l); }
static inline void simd_v128_store16_lane(uint8_t *p, v128 v, uint32_t l)
{
    uint16_t x = (uint16_t)simd_i16x8_extract_lane_u(v, l); memcpy(p, &x, 2);
}
static inline void simd_v128_store32_lane(uint8_t *p, v128 v, uint32_t l)
{
    uint32_t x = simd_i32x4_extract_lane(v, l); memcpy(p, &x, 4);
}
static inline void simd_v128_store64_lane(uint8_t *p, v128 v, uint32_t l)
{
    uint64_t x = simd_i64x2_extract_lane(v, l); memcpy(p, &x, 8);
}

#endif
