/* test_numeric: Wasm scalar numerics (src/interp/numeric.h): traps, NaN bits, signed
   zeros, rounding ties, conversion boundaries; rounding checked against libm. */
#include <math.h>
#include "test.h"
#include "../../src/interp/numeric.h"

#define F32(b) num_f32_from_bits(b)
#define F64(b) num_f64_from_bits(b)
#define B32(x) num_f32_bits(x)
#define B64(x) num_f64_bits(x)

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13; rng_state ^= rng_state >> 7; rng_state ^= rng_state << 17;
    return rng_state;
}
static bool is_qnan32(uint32_t b) { return (b & 0x7FC00000u) == 0x7FC00000u; }
static bool is_qnan64(uint64_t b) { return (b & 0x7FF8000000000000ull) == 0x7FF8000000000000ull; }

TEST(num_int_div_rem)
{
    uint32_t r = 7;
    CHECK_EQ(num_i32_div_s(1, 0, &r), RT_TRAP_DIV_ZERO);
    CHECK_EQ(num_i32_div_u(1, 0, &r), RT_TRAP_DIV_ZERO);
    CHECK_EQ(num_i32_rem_s(1, 0, &r), RT_TRAP_DIV_ZERO);
    CHECK_EQ(num_i32_rem_u(1, 0, &r), RT_TRAP_DIV_ZERO);
    CHECK_EQ(num_i32_div_s(0x80000000u, 0xFFFFFFFFu, &r), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i32_rem_s(0x80000000u, 0xFFFFFFFFu, &r), RT_TRAP_NONE); CHECK_EQ(r, 0);
    CHECK_EQ(num_i32_div_s((uint32_t)-7, 2, &r), RT_TRAP_NONE); CHECK_EQ((int32_t)r, -3);
    CHECK_EQ(num_i32_rem_s((uint32_t)-7, 2, &r), RT_TRAP_NONE); CHECK_EQ((int32_t)r, -1);
    CHECK_EQ(num_i32_rem_s(7, (uint32_t)-2, &r), RT_TRAP_NONE); CHECK_EQ((int32_t)r, 1);
    CHECK_EQ(num_i32_div_u(0x80000000u, 2, &r), RT_TRAP_NONE); CHECK_EQ(r, 0x40000000u);
    CHECK_EQ(num_i32_rem_u(0xFFFFFFFFu, 10, &r), RT_TRAP_NONE); CHECK_EQ(r, 5);
    CHECK_EQ(num_i32_div_s(0x80000000u, 2, &r), RT_TRAP_NONE); CHECK_EQ(r, 0xC0000000u);

    uint64_t q = 7;
    CHECK_EQ(num_i64_div_s(1, 0, &q), RT_TRAP_DIV_ZERO);
    CHECK_EQ(num_i64_div_u(1, 0, &q), RT_TRAP_DIV_ZERO);
    CHECK_EQ(num_i64_rem_s(1, 0, &q), RT_TRAP_DIV_ZERO);
    CHECK_EQ(num_i64_rem_u(1, 0, &q), RT_TRAP_DIV_ZERO);
    CHECK_EQ(num_i64_div_s(1ull << 63, ~0ull, &q), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i64_rem_s(1ull << 63, ~0ull, &q), RT_TRAP_NONE); CHECK(q == 0);
    CHECK_EQ(num_i64_div_s((uint64_t)-7, 2, &q), RT_TRAP_NONE); CHECK((int64_t)q == -3);
    CHECK_EQ(num_i64_rem_s((uint64_t)-7, 2, &q), RT_TRAP_NONE); CHECK((int64_t)q == -1);
    CHECK_EQ(num_i64_div_u(~0ull, 2, &q), RT_TRAP_NONE); CHECK(q == 0x7FFFFFFFFFFFFFFFull);
    CHECK_EQ(num_i64_rem_u(~0ull, 10, &q), RT_TRAP_NONE); CHECK(q == 5);
}

TEST(num_int_bits_shifts)
{
    CHECK_EQ(num_i32_clz(0), 32); CHECK_EQ(num_i32_ctz(0), 32); CHECK_EQ(num_i32_popcnt(0), 0);
    CHECK_EQ(num_i32_clz(1), 31); CHECK_EQ(num_i32_ctz(0x80000000u), 31);
    CHECK_EQ(num_i32_popcnt(0xFFFFFFFFu), 32);
    CHECK(num_i64_clz(0) == 64); CHECK(num_i64_ctz(0) == 64); CHECK(num_i64_popcnt(~0ull) == 64);
    CHECK(num_i64_clz(1) == 63); CHECK(num_i64_ctz(1ull << 63) == 63);

    CHECK_EQ(num_i32_shl(1, 32), 1); CHECK_EQ(num_i32_shl(1, 33), 2);
    CHECK_EQ(num_i32_shl(1, 31), 0x80000000u);
    CHECK_EQ(num_i32_shr_u(0x80000000u, 63), 1);
    CHECK_EQ(num_i32_shr_s(0x80000000u, 31), 0xFFFFFFFFu);
    CHECK_EQ(num_i32_shr_s(0x80000000u, 32), 0x80000000u);
    CHECK_EQ(num_i32_rotl(0x80000001u, 1), 3); CHECK_EQ(num_i32_rotl(0x80000001u, 32), 0x80000001u);
    CHECK_EQ(num_i32_rotr(3, 1), 0x80000001u); CHECK_EQ(num_i32_rotr(3, 0xFFFFFFE1u), 0x80000001u);
    CHECK_EQ(num_i32_rotl(0xABCD1234u, 0), 0xABCD1234u);
    CHECK(num_i64_shl(1, 64) == 1); CHECK(num_i64_shl(1, 65) == 2);
    CHECK(num_i64_shr_s(1ull << 63, 63) == ~0ull);
    CHECK(num_i64_shr_u(1ull << 63, 127) == 1);
    CHECK(num_i64_rotl(0x8000000000000001ull, 1) == 3);
    CHECK(num_i64_rotr(3, 65) == 0x8000000000000001ull);
    CHECK(num_i64_rotl(0x0123456789ABCDEFull, 0) == 0x0123456789ABCDEFull);
}

TEST(num_int_extend_wrap)
{
    CHECK_EQ(num_i32_extend8_s(0x80), 0xFFFFFF80u); CHECK_EQ(num_i32_extend8_s(0x17F), 0x7F);
    CHECK_EQ(num_i32_extend16_s(0x8000), 0xFFFF8000u);
    CHECK(num_i64_extend8_s(0xFF) == ~0ull);
    CHECK(num_i64_extend16_s(0x12347FFF) == 0x7FFF);
    CHECK(num_i64_extend32_s(0x80000000ull) == 0xFFFFFFFF80000000ull);
    CHECK_EQ(num_i32_wrap_i64(0x1234567887654321ull), 0x87654321u);
    CHECK(num_i64_extend_i32_s(0x80000000u) == 0xFFFFFFFF80000000ull);
    CHECK(num_i64_extend_i32_u(0x80000000u) == 0x80000000ull);
}

TEST(num_float_sign_ops_keep_nan_bits)
{
    CHECK_EQ(B32(num_f32_abs(F32(0xFFA00001u))), 0x7FA00001u);     /* signalling NaN stays */
    CHECK_EQ(B32(num_f32_neg(F32(0x7FA00001u))), 0xFFA00001u);
    CHECK_EQ(B32(num_f32_neg(F32(0))), 0x80000000u);
    CHECK_EQ(B32(num_f32_copysign(F32(0x7FA00001u), F32(0x80000000u))), 0xFFA00001u);
    CHECK_EQ(B32(num_f32_copysign(F32(0x3F800000u), F32(0xFFC00000u))), 0xBF800000u);
    CHECK(B64(num_f64_abs(F64(0xFFF4000000000001ull))) == 0x7FF4000000000001ull);
    CHECK(B64(num_f64_neg(F64(0x7FF4000000000001ull))) == 0xFFF4000000000001ull);
    CHECK(B64(num_f64_copysign(F64(0x7FF4000000000001ull), F64(0x8000000000000000ull))) == 0xFFF4000000000001ull);
}

TEST(num_float_min_max)
{
    CHECK_EQ(B32(num_f32_min(F32(0x80000000u), F32(0))), 0x80000000u);
    CHECK_EQ(B32(num_f32_min(F32(0), F32(0x80000000u))), 0x80000000u);
    CHECK_EQ(B32(num_f32_max(F32(0x80000000u), F32(0))), 0);
    CHECK_EQ(B32(num_f32_max(F32(0), F32(0x80000000u))), 0);
    CHECK(num_f32_min(1.0f, 2.0f) == 1.0f && num_f32_max(1.0f, 2.0f) == 2.0f);
    CHECK(num_f32_min(-INFINITY, 2.0f) == -INFINITY && num_f32_max(INFINITY, 2.0f) == INFINITY);
    /* NaN in either position: quiet NaN out, payload of the NaN operand kept */
    CHECK_EQ(B32(num_f32_min(F32(0x7FA00000u), 1.0f)), 0x7FE00000u);
    CHECK_EQ(B32(num_f32_max(1.0f, F32(0xFFA00000u))), 0xFFE00000u);
    CHECK_EQ(B32(num_f32_min(F32(0x7FC00000u), F32(0x80000000u))), 0x7FC00000u);
    CHECK(is_qnan32(B32(num_f32_max(F32(0x7F800001u), F32(0x7FC00000u)))));
    CHECK(B64(num_f64_min(F64(0x8000000000000000ull), 0.0)) == 0x8000000000000000ull);
    CHECK(B64(num_f64_max(F64(0x8000000000000000ull), 0.0)) == 0);
    CHECK(B64(num_f64_min(F64(0x7FF4000000000000ull), 1.0)) == 0x7FFC000000000000ull);
    CHECK(B64(num_f64_max(-1.0, F64(0x7FF8000000000000ull))) == 0x7FF8000000000000ull);
    CHECK(num_f64_min(-1.0, 1.0) == -1.0 && num_f64_max(-1.0, 1.0) == 1.0);
}

TEST(num_float_rounding_ties_and_zeros)
{
    static const float ins[] = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 0.49999997f, 4194304.5f,
                                8388607.5f, -8388607.5f, 8388608.0f, 1e30f, -0.0f, 0.0f};
    static const float near[] = {0.0f, 2.0f, 2.0f, -0.0f, -2.0f, -2.0f, 0.0f, 4194304.0f,
                                 8388608.0f, -8388608.0f, 8388608.0f, 1e30f, -0.0f, 0.0f};
    for (size_t i = 0; i < TB_ARRAY_LEN(ins); i++)
        CHECK_EQ(B32(num_f32_nearest(ins[i])), B32(near[i]));
    CHECK_EQ(B32(num_f32_ceil(-0.5f)), 0x80000000u);
    CHECK_EQ(B32(num_f32_floor(-0.5f)), B32(-1.0f));
    CHECK_EQ(B32(num_f32_floor(0.5f)), 0);
    CHECK_EQ(B32(num_f32_trunc(-0.9f)), 0x80000000u);
    CHECK_EQ(B32(num_f32_floor(-0.0f)), 0x80000000u);
    CHECK_EQ(B32(num_f32_ceil(F32(1))), B32(1.0f));           /* smallest subnormal */
    CHECK_EQ(B32(num_f32_floor(F32(0x80000001u))), B32(-1.0f));
    CHECK(B64(num_f64_nearest(4503599627370495.5)) == B64(4503599627370496.0));
    CHECK(B64(num_f64_nearest(-4503599627370495.5)) == B64(-4503599627370496.0));
    CHECK(B64(num_f64_nearest(2.5)) == B64(2.0));
    CHECK(B64(num_f64_nearest(-0.5)) == 0x8000000000000000ull);
    CHECK(B64(num_f64_ceil(-0.5)) == 0x8000000000000000ull);
    CHECK(B64(num_f64_trunc(-0.5)) == 0x8000000000000000ull);
    CHECK(B64(num_f64_floor(-0.5)) == B64(-1.0));
    /* NaN: quieted, payload kept */
    CHECK_EQ(B32(num_f32_nearest(F32(0x7FA00000u))), 0x7FE00000u);
    CHECK_EQ(B32(num_f32_ceil(F32(0xFFC00000u))), 0xFFC00000u);
    CHECK(B64(num_f64_floor(F64(0x7FF0000000000001ull))) == 0x7FF8000000000001ull);
    CHECK_EQ(B32(num_f32_trunc(INFINITY)), B32(INFINITY));
    CHECK(B64(num_f64_trunc(-INFINITY)) == B64(-INFINITY));
}

/* Our rounding against libm on random bit patterns (non-NaN: identical bits). */
TEST(num_float_rounding_vs_libm)
{
    for (int i = 0; i < 200000; i++) {
        uint64_t r = rnd();
        /* bias towards the interesting exponent range around 1 .. 2^24 */
        uint32_t b = (uint32_t)r;
        if (i & 1) b = (b & 0x807FFFFFu) | ((uint32_t)(0x3E + (r >> 40) % 30) << 23);
        float x = F32(b);
        if (x != x) continue;
        CHECK_EQ(B32(num_f32_nearest(x)), B32(rintf(x)));
        CHECK_EQ(B32(num_f32_floor(x)), B32(floorf(x)));
        CHECK_EQ(B32(num_f32_ceil(x)), B32(ceilf(x)));
        CHECK_EQ(B32(num_f32_trunc(x)), B32(truncf(x)));
        uint64_t d = rnd();
        if (i & 1) d = (d & 0x800FFFFFFFFFFFFFull) | ((uint64_t)(0x3FE + (r >> 40) % 60) << 52);
        double y = F64(d);
        if (y != y) continue;
        CHECK(B64(num_f64_nearest(y)) == B64(rint(y)));
        CHECK(B64(num_f64_floor(y)) == B64(floor(y)));
        CHECK(B64(num_f64_ceil(y)) == B64(ceil(y)));
        CHECK(B64(num_f64_trunc(y)) == B64(trunc(y)));
    }
}

TEST(num_float_sqrt_demote_promote)
{
    CHECK_EQ(B32(num_f32_sqrt(4.0f)), B32(2.0f));
    CHECK_EQ(B32(num_f32_sqrt(-0.0f)), 0x80000000u);
    CHECK(is_qnan32(B32(num_f32_sqrt(-1.0f))));
    CHECK_EQ(B32(num_f32_sqrt(F32(0x7FA00000u))), 0x7FE00000u);
    CHECK(B64(num_f64_sqrt(2.0)) == B64(sqrt(2.0)));
    CHECK(is_qnan64(B64(num_f64_sqrt(-INFINITY))));
    /* canonical stays canonical (either sign), non-canonical becomes arithmetic */
    CHECK_EQ(B32(num_f32_demote_f64(F64(0x7FF8000000000000ull))), 0x7FC00000u);
    CHECK_EQ(B32(num_f32_demote_f64(F64(0xFFF8000000000000ull))), 0xFFC00000u);
    CHECK(is_qnan32(B32(num_f32_demote_f64(F64(0x7FF0000000000001ull)))));
    CHECK(is_qnan32(B32(num_f32_demote_f64(F64(0x7FF4000000000000ull)))));
    CHECK(B64(num_f64_promote_f32(F32(0x7FC00000u))) == 0x7FF8000000000000ull);
    CHECK(is_qnan64(B64(num_f64_promote_f32(F32(0x7F800001u)))));
    CHECK_EQ(B32(num_f32_demote_f64(0x1.fffffefffffffp127)), B32(F32(0x7F7FFFFFu)));
    CHECK_EQ(B32(num_f32_demote_f64(0x1.ffffffp127)), B32(INFINITY));    /* tie rounds up */
    CHECK_EQ(B32(num_f32_demote_f64(-0x1p-150)), 0x80000000u);           /* tie to even: -0 */
    CHECK_EQ(B32(num_f32_demote_f64(0x1.000001p-150)), 1);
}

TEST(num_trunc_trapping_bounds)
{
    uint32_t r; uint64_t q;
    CHECK_EQ(num_i32_trunc_f32_s(F32(0x7FC00000u), &r), RT_TRAP_INVALID_CONVERSION);
    CHECK_EQ(num_i32_trunc_f32_s(-2147483648.0f, &r), RT_TRAP_NONE); CHECK_EQ(r, 0x80000000u);
    CHECK_EQ(num_i32_trunc_f32_s(F32(0xCF000001u), &r), RT_TRAP_INT_OVERFLOW); /* -2147483904 */
    CHECK_EQ(num_i32_trunc_f32_s(2147483648.0f, &r), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i32_trunc_f32_s(2147483520.0f, &r), RT_TRAP_NONE); CHECK_EQ(r, 2147483520u);
    CHECK_EQ(num_i32_trunc_f32_s(-0.9f, &r), RT_TRAP_NONE); CHECK_EQ(r, 0);
    CHECK_EQ(num_i32_trunc_f32_s(INFINITY, &r), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i32_trunc_f32_u(-0.99999994f, &r), RT_TRAP_NONE); CHECK_EQ(r, 0);
    CHECK_EQ(num_i32_trunc_f32_u(-1.0f, &r), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i32_trunc_f32_u(4294967040.0f, &r), RT_TRAP_NONE); CHECK_EQ(r, 4294967040u);
    CHECK_EQ(num_i32_trunc_f32_u(4294967296.0f, &r), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i32_trunc_f64_s(2147483647.9, &r), RT_TRAP_NONE); CHECK_EQ(r, 2147483647u);
    CHECK_EQ(num_i32_trunc_f64_s(2147483648.0, &r), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i32_trunc_f64_s(-2147483648.9, &r), RT_TRAP_NONE); CHECK_EQ(r, 0x80000000u);
    CHECK_EQ(num_i32_trunc_f64_s(-2147483649.0, &r), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i32_trunc_f64_u(4294967295.9, &r), RT_TRAP_NONE); CHECK_EQ(r, 0xFFFFFFFFu);
    CHECK_EQ(num_i32_trunc_f64_u(4294967296.0, &r), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i32_trunc_f64_u(-0.9999999999999999, &r), RT_TRAP_NONE); CHECK_EQ(r, 0);
    CHECK_EQ(num_i32_trunc_f64_u(-1.0, &r), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i32_trunc_f64_u(F64(0xFFF8000000000000ull), &r), RT_TRAP_INVALID_CONVERSION);

    CHECK_EQ(num_i64_trunc_f32_s(-0x1p63f, &q), RT_TRAP_NONE); CHECK(q == 1ull << 63);
    CHECK_EQ(num_i64_trunc_f32_s(0x1p63f, &q), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i64_trunc_f32_s(F32(0xDF000001u), &q), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i64_trunc_f32_s(F32(0x5EFFFFFFu), &q), RT_TRAP_NONE); CHECK(q == 9223371487098961920ull);
    CHECK_EQ(num_i64_trunc_f32_u(0x1p64f, &q), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i64_trunc_f32_u(F32(0x5F7FFFFFu), &q), RT_TRAP_NONE); CHECK(q == 18446742974197923840ull);
    CHECK_EQ(num_i64_trunc_f32_u(-0.5f, &q), RT_TRAP_NONE); CHECK(q == 0);
    CHECK_EQ(num_i64_trunc_f32_u(-1.0f, &q), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i64_trunc_f64_s(-0x1p63, &q), RT_TRAP_NONE); CHECK(q == 1ull << 63);
    CHECK_EQ(num_i64_trunc_f64_s(F64(0xC3E0000000000001ull), &q), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i64_trunc_f64_s(0x1p63, &q), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i64_trunc_f64_s(F64(0x43DFFFFFFFFFFFFFull), &q), RT_TRAP_NONE); CHECK(q == 9223372036854774784ull);
    CHECK_EQ(num_i64_trunc_f64_u(0x1p64, &q), RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(num_i64_trunc_f64_u(F64(0x43EFFFFFFFFFFFFFull), &q), RT_TRAP_NONE); CHECK(q == 18446744073709549568ull);
    CHECK_EQ(num_i64_trunc_f64_u(-0.9, &q), RT_TRAP_NONE); CHECK(q == 0);
    CHECK_EQ(num_i64_trunc_f64_u(F64(0x7FF0000000000001ull), &q), RT_TRAP_INVALID_CONVERSION);
}

TEST(num_trunc_saturating)
{
    CHECK_EQ(num_i32_trunc_sat_f32_s(F32(0x7FC00000u)), 0);
    CHECK_EQ(num_i32_trunc_sat_f32_s(F32(0xFFA00000u)), 0);
    CHECK_EQ(num_i32_trunc_sat_f32_s(2147483648.0f), 0x7FFFFFFFu);
    CHECK_EQ(num_i32_trunc_sat_f32_s(-2147483648.0f), 0x80000000u);
    CHECK_EQ(num_i32_trunc_sat_f32_s(-INFINITY), 0x80000000u);
    CHECK_EQ(num_i32_trunc_sat_f32_s(-1.9f), 0xFFFFFFFFu);
    CHECK_EQ(num_i32_trunc_sat_f32_u(-1.0f), 0);
    CHECK_EQ(num_i32_trunc_sat_f32_u(4294967296.0f), 0xFFFFFFFFu);
    CHECK_EQ(num_i32_trunc_sat_f32_u(4294967040.0f), 4294967040u);
    CHECK_EQ(num_i32_trunc_sat_f64_s(2147483647.5), 0x7FFFFFFFu);
    CHECK_EQ(num_i32_trunc_sat_f64_s(-2147483648.5), 0x80000000u);
    CHECK_EQ(num_i32_trunc_sat_f64_s(-2147483649.0), 0x80000000u);
    CHECK_EQ(num_i32_trunc_sat_f64_s(1e300), 0x7FFFFFFFu);
    CHECK_EQ(num_i32_trunc_sat_f64_u(4294967295.5), 0xFFFFFFFFu);
    CHECK_EQ(num_i32_trunc_sat_f64_u(-0.5), 0);
    CHECK_EQ(num_i32_trunc_sat_f64_u(F64(0x7FF8000000000000ull)), 0);
    CHECK(num_i64_trunc_sat_f32_s(0x1p63f) == 0x7FFFFFFFFFFFFFFFull);
    CHECK(num_i64_trunc_sat_f32_s(-0x1p63f) == 1ull << 63);
    CHECK(num_i64_trunc_sat_f32_s(-INFINITY) == 1ull << 63);
    CHECK(num_i64_trunc_sat_f32_u(0x1p64f) == ~0ull);
    CHECK(num_i64_trunc_sat_f32_u(-INFINITY) == 0);
    CHECK(num_i64_trunc_sat_f64_s(0x1p63) == 0x7FFFFFFFFFFFFFFFull);
    CHECK(num_i64_trunc_sat_f64_s(-0x1p63) == 1ull << 63);
    CHECK(num_i64_trunc_sat_f64_s(F64(0xFFF8000000000000ull)) == 0);
    CHECK(num_i64_trunc_sat_f64_u(0x1p64) == ~0ull);
    CHECK(num_i64_trunc_sat_f64_u(F64(0x43EFFFFFFFFFFFFFull)) == 18446744073709549568ull);
}

/* Correctly rounded reference: long double holds any 64-bit integer exactly, so one
   rounding to float/double remains. */
TEST(num_convert_int_to_float)
{
    CHECK_EQ(B32(num_f32_convert_i64_u(0x0020000020000001ull)), B32(0x1.000002p53f));
    CHECK_EQ(B32(num_f32_convert_i64_s(9007199791611905ull)), B32(9007200328482816.0f));
    CHECK_EQ(B32(num_f32_convert_i64_u(0xFFFFFFFFFFFFFFFFull)), B32(0x1p64f));
    CHECK_EQ(B32(num_f32_convert_i64_u(0x8000008000000001ull)), B32(0x1.000002p63f));
    CHECK_EQ(B32(num_f32_convert_i64_u(0x8000008000000000ull)), B32(0x1p63f));  /* tie, even */
    CHECK_EQ(B32(num_f32_convert_i32_u(0xFFFFFFFFu)), B32(0x1p32f));
    CHECK_EQ(B32(num_f32_convert_i32_s(0x80000000u)), B32(-0x1p31f));
    CHECK_EQ(B32(num_f32_convert_i32_s(16777217)), B32(16777216.0f));
    CHECK_EQ(B32(num_f32_convert_i32_u(16777219)), B32(16777220.0f));
    CHECK(B64(num_f64_convert_i64_u(0xFFFFFFFFFFFFFFFFull)) == B64(0x1p64));
    CHECK(B64(num_f64_convert_i64_u(0x8000000000000401ull)) == B64(0x1.0000000000001p63));
    CHECK(B64(num_f64_convert_i64_s(9007199254740993ull)) == B64(9007199254740992.0));
    CHECK(B64(num_f64_convert_i32_u(0xFFFFFFFFu)) == B64(4294967295.0));
    CHECK(B64(num_f64_convert_i32_s(0x80000000u)) == B64(-2147483648.0));
    for (int i = 0; i < 200000; i++) {
        uint64_t x = rnd() >> (rnd() & 63);
        CHECK_EQ(B32(num_f32_convert_i64_u(x)), B32((float)(long double)x));
        CHECK_EQ(B32(num_f32_convert_i64_s(x)), B32((float)(long double)(int64_t)x));
        CHECK(B64(num_f64_convert_i64_u(x)) == B64((double)(long double)x));
        CHECK(B64(num_f64_convert_i64_s(x)) == B64((double)(long double)(int64_t)x));
        CHECK_EQ(B32(num_f32_convert_i32_u((uint32_t)x)), B32((float)(long double)(uint32_t)x));
    }
}

TEST(num_reinterpret)
{
    CHECK_EQ(num_i32_reinterpret_f32(F32(0x7FA00001u)), 0x7FA00001u);
    CHECK(num_i64_reinterpret_f64(F64(0xFFF0000000000001ull)) == 0xFFF0000000000001ull);
    CHECK_EQ(B32(num_f32_reinterpret_i32(0xFF800001u)), 0xFF800001u);
    CHECK(B64(num_f64_reinterpret_i64(0x7FF0000000000001ull)) == 0x7FF0000000000001ull);
}
