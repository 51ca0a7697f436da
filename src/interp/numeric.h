/* numeric: Wasm 2.0 scalar numeric semantics as static inline functions, for the
   interpreter's handlers; only the operations where C's operators differ from Wasm. */
#ifndef INTERP_NUMERIC_H
#define INTERP_NUMERIC_H

#include "../base/base.h"
#include "../runtime/trap.h"

/* Conventions.
   - Floats travel as float/double: on the targets we build for, moving a NaN through an
     FP register keeps its bits, and abs/neg/copysign compile to bit operations.
   - Arithmetic on a NaN must give a quiet NaN (canonical if every NaN input was
     canonical, else any arithmetic NaN). The hardware's own propagation (quiet the
     first NaN operand, or produce the default NaN) satisfies this for + - * / sqrt and
     float<->float conversion; where we branch on NaN ourselves we set the quiet bit
     explicitly (num_f32_quiet), as the compiler may fold `x + 0` and the like.
   - Operations that can trap return an rt_trap_code (RT_TRAP_NONE on success) and
     write the result through `out`; inlined, `out` stays in a register.
   - Integers are computed in unsigned types so that wrap-around is defined. */

/* ---- bits <-> floats ---- */
static inline uint32_t num_f32_bits(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static inline uint64_t num_f64_bits(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
static inline float num_f32_from_bits(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }
static inline double num_f64_from_bits(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }

/* x unchanged unless it is a NaN, which gets its quiet bit set (payload kept), so a
   canonical NaN stays canonical and a signalling one becomes arithmetic. */
static inline float num_f32_quiet(float x)
{
    return x != x ? num_f32_from_bits(num_f32_bits(x) | 0x00400000u) : x;
}
static inline double num_f64_quiet(double x)
{
    return x != x ? num_f64_from_bits(num_f64_bits(x) | 0x0008000000000000ull) : x;
}
/* The NaN result of a binary operation where a or b is a NaN. */
static inline float num_f32_quiet2(float a, float b) { return num_f32_quiet(a != a ? a : b); }
static inline double num_f64_quiet2(double a, double b) { return num_f64_quiet(a != a ? a : b); }

/* ---- integer bit counting, shifts, rotates (counts are taken modulo the width) ---- */
static inline uint32_t num_i32_clz(uint32_t x) { return x ? (uint32_t)__builtin_clz(x) : 32; }
static inline uint32_t num_i32_ctz(uint32_t x) { return x ? (uint32_t)__builtin_ctz(x) : 32; }
static inline uint32_t num_i32_popcnt(uint32_t x) { return (uint32_t)__builtin_popcount(x); }
static inline uint64_t num_i64_clz(uint64_t x) { return x ? (uint64_t)__builtin_clzll(x) : 64; }
static inline uint64_t num_i64_ctz(uint64_t x) { return x ? (uint64_t)__builtin_ctzll(x) : 64; }
static inline uint64_t num_i64_popcnt(uint64_t x) { return (uint64_t)__builtin_popcountll(x); }

static inline uint32_t num_i32_shl(uint32_t a, uint32_t n) { return a << (n & 31); }
static inline uint32_t num_i32_shr_u(uint32_t a, uint32_t n) { return a >> (n & 31); }
static inline uint32_t num_i32_shr_s(uint32_t a, uint32_t n) { return (uint32_t)((int32_t)a >> (n & 31)); }
static inline uint32_t num_i32_rotl(uint32_t a, uint32_t n) { return (a << (n & 31)) | (a >> (-n & 31)); }
static inline uint32_t num_i32_rotr(uint32_t a, uint32_t n) { return (a >> (n & 31)) | (a << (-n & 31)); }
static inline uint64_t num_i64_shl(uint64_t a, uint64_t n) { return a << (n & 63); }
static inline uint64_t num_i64_shr_u(uint64_t a, uint64_t n) { return a >> (n & 63); }
static inline uint64_t num_i64_shr_s(uint64_t a, uint64_t n) { return (uint64_t)((int64_t)a >> (n & 63)); }
static inline uint64_t num_i64_rotl(uint64_t a, uint64_t n) { return (a << (n & 63)) | (a >> (-n & 63)); }
static inline uint64_t num_i64_rotr(uint64_t a, uint64_t n) { return (a >> (n & 63)) | (a << (-n & 63)); }

/* ---- integer division: traps on /0, and div_s on INT_MIN / -1 ---- */
static inline rt_trap_code num_i32_div_s(uint32_t a, uint32_t b, uint32_t *out)
{
    if (TB_UNLIKELY(b == 0)) return RT_TRAP_DIV_ZERO;
    if (TB_UNLIKELY(a == 0x80000000u && b == 0xFFFFFFFFu)) return RT_TRAP_INT_OVERFLOW;
    *out = (uint32_t)((int32_t)a / (int32_t)b);
    return RT_TRAP_NONE;
}
static inline rt_trap_code num_i32_div_u(uint32_t a, uint32_t b, uint32_t *out)
{
    if (TB_UNLIKELY(b == 0)) return RT_TRAP_DIV_ZERO;
    *out = a / b;
    return RT_TRAP_NONE;
}
/* rem_s of INT_MIN by -1 is 0 in Wasm; in C it is undefined (and faults on x86). */
static inline rt_trap_code num_i32_rem_s(uint32_t a, uint32_t b, uint32_t *out)
{
    if (TB_UNLIKELY(b == 0)) return RT_TRAP_DIV_ZERO;
    *out = TB_UNLIKELY(b == 0xFFFFFFFFu) ? 0 : (uint32_t)((int32_t)a % (int32_t)b);
    return RT_TRAP_NONE;
}
static inline rt_trap_code num_i32_rem_u(uint32_t a, uint32_t b, uint32_t *out)
{
    if (TB_UNLIKELY(b == 0)) return RT_TRAP_DIV_ZERO;
    *out = a % b;
    return RT_TRAP_NONE;
}
static inline rt_trap_code num_i64_div_s(uint64_t a, uint64_t b, uint64_t *out)
{
    if (TB_UNLIKELY(b == 0)) return RT_TRAP_DIV_ZERO;
    if (TB_UNLIKELY(a == 0x8000000000000000ull && b == ~0ull)) return RT_TRAP_INT_OVERFLOW;
    *out = (uint64_t)((int64_t)a / (int64_t)b);
    return RT_TRAP_NONE;
}
static inline rt_trap_code num_i64_div_u(uint64_t a, uint64_t b, uint64_t *out)
{
    if (TB_UNLIKELY(b == 0)) return RT_TRAP_DIV_ZERO;
    *out = a / b;
    return RT_TRAP_NONE;
}
static inline rt_trap_code num_i64_rem_s(uint64_t a, uint64_t b, uint64_t *out)
{
    if (TB_UNLIKELY(b == 0)) return RT_TRAP_DIV_ZERO;
    *out = TB_UNLIKELY(b == ~0ull) ? 0 : (uint64_t)((int64_t)a % (int64_t)b);
    return RT_TRAP_NONE;
}
static inline rt_trap_code num_i64_rem_u(uint64_t a, uint64_t b, uint64_t *out)
{
    if (TB_UNLIKELY(b == 0)) return RT_TRAP_DIV_ZERO;
    *out = a % b;
    return RT_TRAP_NONE;
}

/* ---- sign extension, wrap, extend ---- */
static inline uint32_t num_i32_extend8_s(uint32_t x) { return (uint32_t)(int32_t)(int8_t)x; }
static inline uint32_t num_i32_extend16_s(uint32_t x) { return (uint32_t)(int32_t)(int16_t)x; }
static inline uint64_t num_i64_extend8_s(uint64_t x) { return (uint64_t)(int64_t)(int8_t)x; }
static inline uint64_t num_i64_extend16_s(uint64_t x) { return (uint64_t)(int64_t)(int16_t)x; }
static inline uint64_t num_i64_extend32_s(uint64_t x) { return (uint64_t)(int64_t)(int32_t)x; }
static inline uint32_t num_i32_wrap_i64(uint64_t x) { return (uint32_t)x; }
static inline uint64_t num_i64_extend_i32_s(uint32_t x) { return (uint64_t)(int64_t)(int32_t)x; }
static inline uint64_t num_i64_extend_i32_u(uint32_t x) { return x; }

/* ---- float sign operations: pure bit operations, NaN bits pass unchanged ---- */
static inline float num_f32_abs(float x) { return num_f32_from_bits(num_f32_bits(x) & 0x7FFFFFFFu); }
static inline float num_f32_neg(float x) { return num_f32_from_bits(num_f32_bits(x) ^ 0x80000000u); }
static inline float num_f32_copysign(float a, float b)
{
    return num_f32_from_bits((num_f32_bits(a) & 0x7FFFFFFFu) | (num_f32_bits(b) & 0x80000000u));
}
static inline double num_f64_abs(double x) { return num_f64_from_bits(num_f64_bits(x) & 0x7FFFFFFFFFFFFFFFull); }
static inline double num_f64_neg(double x) { return num_f64_from_bits(num_f64_bits(x) ^ 0x8000000000000000ull); }
static inline double num_f64_copysign(double a, double b)
{
    return num_f64_from_bits((num_f64_bits(a) & 0x7FFFFFFFFFFFFFFFull) | (num_f64_bits(b) & 0x8000000000000000ull));
}

/* ---- min/max: any NaN in gives a quiet NaN out; -0 is below +0 ---- */
static inline float num_f32_min(float a, float b)
{
    if (TB_UNLIKELY(a != a || b != b)) return num_f32_quiet2(a, b);
    if (a == b) return num_f32_from_bits(num_f32_bits(a) | num_f32_bits(b)); /* -0 wins */
    return a < b ? a : b;
}
static inline float num_f32_max(float a, float b)
{
    if (TB_UNLIKELY(a != a || b != b)) return num_f32_quiet2(a, b);
    if (a == b) return num_f32_from_bits(num_f32_bits(a) & num_f32_bits(b)); /* +0 wins */
    return a > b ? a : b;
}
static inline double num_f64_min(double a, double b)
{
    if (TB_UNLIKELY(a != a || b != b)) return num_f64_quiet2(a, b);
    if (a == b) return num_f64_from_bits(num_f64_bits(a) | num_f64_bits(b));
    return a < b ? a : b;
}
static inline double num_f64_max(double a, double b)
{
    if (TB_UNLIKELY(a != a || b != b)) return num_f64_quiet2(a, b);
    if (a == b) return num_f64_from_bits(num_f64_bits(a) & num_f64_bits(b));
    return a > b ? a : b;
}

/* ---- rounding to integral values ----
   Without SSE4.1 (our baseline) the libm calls cost a call each, so we round ourselves:
   below 2^23 (f32) / 2^52 (f64) adding and subtracting that power of two rounds to an
   integer in the current (round-to-nearest-even) mode; above it every float is already
   integral. The result always carries the input's sign (ceil(-0.5) = -0), so copysign
   fixes up zeros. A NaN comes back quieted, as the spec allows. */
static inline float num_f32_nearest(float x)
{
    float ax = num_f32_abs(x);
    if (TB_UNLIKELY(!(ax < 0x1p23f))) return num_f32_quiet(x); /* integral, inf or NaN */
    return num_f32_copysign((ax + 0x1p23f) - 0x1p23f, x);
}
static inline float num_f32_floor(float x)
{
    float ax = num_f32_abs(x);
    if (TB_UNLIKELY(!(ax < 0x1p23f))) return num_f32_quiet(x);
    float r = num_f32_copysign((ax + 0x1p23f) - 0x1p23f, x);
    if (r > x) r -= 1.0f;
    return num_f32_copysign(r, x);
}
static inline float num_f32_ceil(float x)
{
    float ax = num_f32_abs(x);
    if (TB_UNLIKELY(!(ax < 0x1p23f))) return num_f32_quiet(x);
    float r = num_f32_copysign((ax + 0x1p23f) - 0x1p23f, x);
    if (r < x) r += 1.0f;
    return num_f32_copysign(r, x);
}
static inline float num_f32_trunc(float x)
{
    float ax = num_f32_abs(x);
    if (TB_UNLIKELY(!(ax < 0x1p23f))) return num_f32_quiet(x);
    float r = (ax + 0x1p23f) - 0x1p23f;
    if (r > ax) r -= 1.0f;
    return num_f32_copysign(r, x);
}
static inline double num_f64_nearest(double x)
{
    double ax = num_f64_abs(x);
    if (TB_UNLIKELY(!(ax < 0x1p52))) return num_f64_quiet(x);
    return num_f64_copysign((ax + 0x1p52) - 0x1p52, x);
}
static inline double num_f64_floor(double x)
{
    double ax = num_f64_abs(x);
    if (TB_UNLIKELY(!(ax < 0x1p52))) return num_f64_quiet(x);
    double r = num_f64_copysign((ax + 0x1p52) - 0x1p52, x);
    if (r > x) r -= 1.0;
    return num_f64_copysign(r, x);
}
static inline double num_f64_ceil(double x)
{
    double ax = num_f64_abs(x);
    if (TB_UNLIKELY(!(ax < 0x1p52))) return num_f64_quiet(x);
    double r = num_f64_copysign((ax + 0x1p52) - 0x1p52, x);
    if (r < x) r += 1.0;
    return num_f64_copysign(r, x);
}
static inline double num_f64_trunc(double x)
{
    double ax = num_f64_abs(x);
    if (TB_UNLIKELY(!(ax < 0x1p52))) return num_f64_quiet(x);
    double r = (ax + 0x1p52) - 0x1p52;
    if (r > ax) r -= 1.0;
    return num_f64_copysign(r, x);
}

/* sqrt: the elementwise builtin is the bare instruction (sqrtss/sqrtsd), without the
   errno branch of sqrtf; NaN in gives the quieted NaN, negative gives the default NaN. */
static inline float num_f32_sqrt(float x) { return __builtin_elementwise_sqrt(x); }
static inline double num_f64_sqrt(double x) { return __builtin_elementwise_sqrt(x); }

/* ---- float <-> float: the conversion instructions quiet NaNs and keep the top payload
   bits, so a canonical NaN stays canonical, as the spec requires ---- */
static inline float num_f32_demote_f64(double x) { return (float)x; }
static inline double num_f64_promote_f32(float x) { return (double)x; }

/* ---- trapping float -> int. The bounds are exact: each is the first value whose
   truncation no longer fits (exclusive) and is representable in the source type. ---- */
#define NUM_TRUNC_(name, ft, it, ct, lo, hi)                              \
    static inline rt_trap_code name(ft x, it *out)                       \
    {                                                                     \
        if (TB_UNLIKELY(x != x)) return RT_TRAP_INVALID_CONVERSION;       \
        if (TB_UNLIKELY(!(x > (lo) && x < (hi)))) return RT_TRAP_INT_OVERFLOW; \
        *out = (it)(ct)x;                                                 \
        return RT_TRAP_NONE;                                              \
    }
/* Unsigned, and signed from f64 to i32: valid iff lo < x < hi, where lo = MIN - 1 is
   exact in the source type (x = -0.5 truncates to 0 and is fine). */
NUM_TRUNC_(num_i32_trunc_f64_s, double, uint32_t, int32_t, -2147483649.0, 2147483648.0)
NUM_TRUNC_(num_i32_trunc_f64_u, double, uint32_t, uint32_t, -1.0, 4294967296.0)
NUM_TRUNC_(num_i32_trunc_f32_u, float, uint32_t, uint32_t, -1.0f, 4294967296.0f)
NUM_TRUNC_(num_i64_trunc_f32_u, float, uint64_t, uint64_t, -1.0f, 18446744073709551616.0f)
NUM_TRUNC_(num_i64_trunc_f64_u, double, uint64_t, uint64_t, -1.0, 18446744073709551616.0)
#undef NUM_TRUNC_

#define NUM_TRUNC_GE_(name, ft, it, ct, lo, hi)                           \
    static inline rt_trap_code name(ft x, it *out)                       \
    {                                                                     \
        if (TB_UNLIKELY(x != x)) return RT_TRAP_INVALID_CONVERSION;       \
        if (TB_UNLIKELY(!(x >= (lo) && x < (hi)))) return RT_TRAP_INT_OVERFLOW; \
        *out = (it)(ct)x;                                                 \
        return RT_TRAP_NONE;                                              \
    }
/* Signed where MIN - 1 is not representable (rounds to MIN): valid iff MIN <= x < hi;
   MIN (-2^31, -2^63) is exact and valid, the next value down overflows. */
NUM_TRUNC_GE_(num_i32_trunc_f32_s, float, uint32_t, int32_t, -2147483648.0f, 2147483648.0f)
NUM_TRUNC_GE_(num_i64_trunc_f32_s, float, uint64_t, int64_t, -9223372036854775808.0f, 9223372036854775808.0f)
NUM_TRUNC_GE_(num_i64_trunc_f64_s, double, uint64_t, int64_t, -9223372036854775808.0, 9223372036854775808.0)
#undef NUM_TRUNC_GE_

/* ---- saturating float -> int: NaN gives 0, out of range clamps ---- */
#define NUM_TRUNC_SAT_(name, ft, it, ct, lo, hi, minv, maxv)              \
    static inline it name(ft x)                                           \
    {                                                                     \
        if (TB_UNLIKELY(x != x)) return 0;                                \
        if (TB_UNLIKELY(!(x > (lo)))) return (it)(ct)(minv);              \
        if (TB_UNLIKELY(!(x < (hi)))) return (it)(ct)(maxv);              \
        return (it)(ct)x;                                                 \
    }
/* x <= lo clamps to the minimum: lo is MIN - 1 where exact, else MIN itself (which
   clamps to MIN, its own truncation). x >= hi clamps to the maximum. */
NUM_TRUNC_SAT_(num_i32_trunc_sat_f32_s, float, uint32_t, int32_t, -2147483648.0f, 2147483648.0f, INT32_MIN, INT32_MAX)
NUM_TRUNC_SAT_(num_i32_trunc_sat_f32_u, float, uint32_t, uint32_t, -1.0f, 4294967296.0f, 0, UINT32_MAX)
NUM_TRUNC_SAT_(num_i32_trunc_sat_f64_s, double, uint32_t, int32_t, -2147483649.0, 2147483648.0, INT32_MIN, INT32_MAX)
NUM_TRUNC_SAT_(num_i32_trunc_sat_f64_u, double, uint32_t, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)
NUM_TRUNC_SAT_(num_i64_trunc_sat_f32_s, float, uint64_t, int64_t, -9223372036854775808.0f, 9223372036854775808.0f, INT64_MIN, INT64_MAX)
NUM_TRUNC_SAT_(num_i64_trunc_sat_f32_u, float, uint64_t, uint64_t, -1.0f, 18446744073709551616.0f, 0, UINT64_MAX)
NUM_TRUNC_SAT_(num_i64_trunc_sat_f64_s, double, uint64_t, int64_t, -9223372036854775808.0, 9223372036854775808.0, INT64_MIN, INT64_MAX)
NUM_TRUNC_SAT_(num_i64_trunc_sat_f64_u, double, uint64_t, uint64_t, -1.0, 18446744073709551616.0, 0, UINT64_MAX)
#undef NUM_TRUNC_SAT_

/* ---- int -> float: C's conversions round once, to nearest-even (clang lowers
   u64 -> f32 with a sticky-bit halving, so there is no double rounding; the unit tests
   check that against an exact reference) ---- */
static inline float num_f32_convert_i32_s(uint32_t x) { return (float)(int32_t)x; }
static inline float num_f32_convert_i32_u(uint32_t x) { return (float)x; }
static inline float num_f32_convert_i64_s(uint64_t x) { return (float)(int64_t)x; }
static inline float num_f32_convert_i64_u(uint64_t x) { return (float)x; }
static inline double num_f64_convert_i32_s(uint32_t x) { return (double)(int32_t)x; }
static inline double num_f64_convert_i32_u(uint32_t x) { return (double)x; }
static inline double num_f64_convert_i64_s(uint64_t x) { return (double)(int64_t)x; }
static inline double num_f64_convert_i64_u(uint64_t x) { return (double)x; }

/* ---- reinterpret ---- */
static inline uint32_t num_i32_reinterpret_f32(float x) { return num_f32_bits(x); }
static inline uint64_t num_i64_reinterpret_f64(double x) { return num_f64_bits(x); }
static inline float num_f32_reinterpret_i32(uint32_t x) { return num_f32_from_bits(x); }
static inline double num_f64_reinterpret_i64(uint64_t x) { return num_f64_from_bits(x); }

#endif
