/* test_simd: SIMD semantics (src/interp/simd.h) lane by lane against scalar references,
   edge cases (NaN, -0, saturation, shift counts, swizzle indices), and the completeness
   of simd_ops.def against the opcode table. */
#include <math.h>
#include "test.h"
#include "../../src/interp/simd.h"
#include "../../src/wasm/opcodes.h"

/* ---- simd_ops.def: every 0xFD op exactly once, functions typed per shape and named
   after the instruction ---- */
typedef struct { tw_op op; const char *fn; } op_entry;
#define E_(o, f) {TW_OP_##o, #f},
#define E3_(o, f, n) {TW_OP_##o, #f},
static const op_entry all_entries[] = {
#define SIMD_CONST E_
#define SIMD_SHUFFLE E_
#define SIMD_SPLAT_I32 E_
#define SIMD_SPLAT_I64 E_
#define SIMD_SPLAT_F32 E_
#define SIMD_SPLAT_F64 E_
#define SIMD_EXTRACT_I32 E_
#define SIMD_EXTRACT_I64 E_
#define SIMD_EXTRACT_F32 E_
#define SIMD_EXTRACT_F64 E_
#define SIMD_REPLACE_I32 E_
#define SIMD_REPLACE_I64 E_
#define SIMD_REPLACE_F32 E_
#define SIMD_REPLACE_F64 E_
#define SIMD_UNOP E_
#define SIMD_BINOP E_
#define SIMD_TERNOP E_
#define SIMD_TEST E_
#define SIMD_SHIFT E_
#define SIMD_LOAD E3_
#define SIMD_STORE E3_
#define SIMD_LOAD_LANE E3_
#define SIMD_STORE_LANE E3_
#include "../../src/interp/simd_ops.def"
};

/* Signature check: each shape's functions must convert to that shape's pointer type
   (-Werror-free build means no incompatible-pointer warnings here). */
#define FP_(o, f) f,
#define FP3_(o, f, n) f,
static v128 (*const t_const[])(const uint8_t *) = {
#define SIMD_CONST FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_shuffle[])(v128, v128, const uint8_t *) = {
#define SIMD_SHUFFLE FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_splat_i32[])(uint32_t) = {
#define SIMD_SPLAT_I32 FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_splat_i64[])(uint64_t) = {
#define SIMD_SPLAT_I64 FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_splat_f32[])(float) = {
#define SIMD_SPLAT_F32 FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_splat_f64[])(double) = {
#define SIMD_SPLAT_F64 FP_
#include "../../src/interp/simd_ops.def"
};
static uint32_t (*const t_ext_i32[])(v128, uint32_t) = {
#define SIMD_EXTRACT_I32 FP_
#include "../../src/interp/simd_ops.def"
};
static uint64_t (*const t_ext_i64[])(v128, uint32_t) = {
#define SIMD_EXTRACT_I64 FP_
#include "../../src/interp/simd_ops.def"
};
static float (*const t_ext_f32[])(v128, uint32_t) = {
#define SIMD_EXTRACT_F32 FP_
#include "../../src/interp/simd_ops.def"
};
static double (*const t_ext_f64[])(v128, uint32_t) = {
#define SIMD_EXTRACT_F64 FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_rep_i32[])(v128, uint32_t, uint32_t) = {
#define SIMD_REPLACE_I32 FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_rep_i64[])(v128, uint32_t, uint64_t) = {
#define SIMD_REPLACE_I64 FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_rep_f32[])(v128, uint32_t, float) = {
#define SIMD_REPLACE_F32 FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_rep_f64[])(v128, uint32_t, double) = {
#define SIMD_REPLACE_F64 FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_unop[])(v128) = {
#define SIMD_UNOP FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_binop[])(v128, v128) = {
#define SIMD_BINOP FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_ternop[])(v128, v128, v128) = {
#define SIMD_TERNOP FP_
#include "../../src/interp/simd_ops.def"
};
static uint32_t (*const t_test[])(v128) = {
#define SIMD_TEST FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_shift[])(v128, uint32_t) = {
#define SIMD_SHIFT FP_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_load[])(const uint8_t *) = {
#define SIMD_LOAD FP3_
#include "../../src/interp/simd_ops.def"
};
static void (*const t_store[])(uint8_t *, v128) = {
#define SIMD_STORE FP3_
#include "../../src/interp/simd_ops.def"
};
static v128 (*const t_load_lane[])(const uint8_t *, v128, uint32_t) = {
#define SIMD_LOAD_LANE FP3_
#include "../../src/interp/simd_ops.def"
};
static void (*const t_store_lane[])(uint8_t *, v128, uint32_t) = {
#define SIMD_STORE_LANE FP3_
#include "../../src/interp/simd_ops.def"
};

TEST(simd_ops_def_covers_every_fd_opcode_once)
{
    int count[TW_OP_COUNT] = {0};
    for (size_t i = 0; i < TB_ARRAY_LEN(all_entries); i++) {
        const op_entry *e = &all_entries[i];
        count[e->op]++;
        /* simd_ + text name with '.' -> '_' */
        char want[64];
        snprintf(want, sizeof want, "simd_%s", tw_opinfos[e->op].name);
        for (char *c = want; *c; c++) if (*c == '.') *c = '_';
        if (strcmp(want, e->fn) != 0) { test_fail(__FILE__, __LINE__, e->fn); return; }
    }
    int nfd = 0;
    for (int op = 0; op < TW_OP_COUNT; op++) {
        if (tw_opinfos[op].prefix == 0xFD) { nfd++; CHECK_EQ(count[op], 1); }
        else CHECK_EQ(count[op], 0);
    }
    CHECK_EQ(nfd, (int)TB_ARRAY_LEN(all_entries));
    /* (and reference every typed table, so none is dropped unchecked) */
#define NONNULL_(t) for (size_t i = 0; i < TB_ARRAY_LEN(t); i++) CHECK(t[i] != NULL)
    NONNULL_(t_const); NONNULL_(t_shuffle); NONNULL_(t_splat_i32); NONNULL_(t_splat_i64);
    NONNULL_(t_splat_f32); NONNULL_(t_splat_f64); NONNULL_(t_ext_i32); NONNULL_(t_ext_i64);
    NONNULL_(t_ext_f32); NONNULL_(t_ext_f64); NONNULL_(t_rep_i32); NONNULL_(t_rep_i64);
    NONNULL_(t_rep_f32); NONNULL_(t_rep_f64); NONNULL_(t_unop); NONNULL_(t_binop);
    NONNULL_(t_ternop); NONNULL_(t_test); NONNULL_(t_shift); NONNULL_(t_load); NONNULL_(t_store);
    NONNULL_(t_load_lane); NONNULL_(t_store_lane);
#undef NONNULL_
    size_t typed = TB_ARRAY_LEN(t_const) + TB_ARRAY_LEN(t_shuffle) + TB_ARRAY_LEN(t_splat_i32) +
        TB_ARRAY_LEN(t_splat_i64) + TB_ARRAY_LEN(t_splat_f32) + TB_ARRAY_LEN(t_splat_f64) +
        TB_ARRAY_LEN(t_ext_i32) + TB_ARRAY_LEN(t_ext_i64) + TB_ARRAY_LEN(t_ext_f32) +
        TB_ARRAY_LEN(t_ext_f64) + TB_ARRAY_LEN(t_rep_i32) + TB_ARRAY_LEN(t_rep_i64) +
        TB_ARRAY_LEN(t_rep_f32) + TB_ARRAY_LEN(t_rep_f64) + TB_ARRAY_LEN(t_unop) +
        TB_ARRAY_LEN(t_binop) + TB_ARRAY_LEN(t_ternop) + TB_ARRAY_LEN(t_test) +
        TB_ARRAY_LEN(t_shift) + TB_ARRAY_LEN(t_load) + TB_ARRAY_LEN(t_store) +
        TB_ARRAY_LEN(t_load_lane) + TB_ARRAY_LEN(t_store_lane);
    CHECK_EQ(typed, TB_ARRAY_LEN(all_entries));
}

/* ---- helpers ---- */
static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

static uint64_t lane(v128 v, int w, int i)   /* raw bits of lane i, width w bits */
{
    uint8_t b[16]; memcpy(b, &v, 16);
    uint64_t x = 0; memcpy(&x, b + i * (w / 8), (size_t)w / 8);
    return x;
}
static v128 set_lane(v128 v, int w, int i, uint64_t x)
{
    uint8_t b[16]; memcpy(b, &v, 16); memcpy(b + i * (w / 8), &x, (size_t)w / 8);
    memcpy(&v, b, 16); return v;
}
static int64_t sx(uint64_t x, int w) { return w == 64 ? (int64_t)x : (int64_t)(x << (64 - w)) >> (64 - w); }
static uint64_t mask_w(int w) { return w == 64 ? ~0ull : (1ull << w) - 1; }
static bool v_eq(v128 a, v128 b) { return memcmp(&a, &b, 16) == 0; }

/* Random lane values, often edge values. */
static uint64_t edge_int(int w)
{
    uint64_t m = mask_w(w), r = rnd();
    switch (r % 8) {
    case 0: return 0;
    case 1: return 1 & m;
    case 2: return m;                         /* -1 */
    case 3: return (1ull << (w - 1));         /* MIN */
    case 4: return (1ull << (w - 1)) - 1;     /* MAX */
    default: return (r >> 8) & m;
    }
}
static v128 rand_int_vec(int w)
{
    v128 v = {0, 0};
    for (int i = 0; i < 128 / w; i++) v = set_lane(v, w, i, edge_int(w));
    return v;
}
static uint32_t edge_f32(void)
{
    static const uint32_t e[] = {0x7FC00000u, 0xFFC00000u, 0x7FA00000u, 0x7F800001u, 0x80000000u, 0,
                                 0x7F800000u, 0xFF800000u, 0x3F000000u, 0xBF000000u, 0x3FC00000u,
                                 0x40200000u, 0x4B000000u, 0x4AFFFFFFu, 0xCAFFFFFFu, 0x4F000000u,
                                 0xCF000000u, 0xCF000001u, 0x4F7FFFFFu, 0x4F800000u, 0xBF7FFFFFu,
                                 0x00000001u, 0x807FFFFFu, 0x3F800000u};
    uint64_t r = rnd();
    if (r % 3 == 0) return e[(r >> 8) % TB_ARRAY_LEN(e)];
    if (r % 3 == 1) return (uint32_t)(r >> 16);
    return ((uint32_t)(r >> 16) & 0x807FFFFFu) | ((uint32_t)(0x7C + (r >> 50) % 40) << 23);
}
static uint64_t edge_f64(void)
{
    static const uint64_t e[] = {0x7FF8000000000000ull, 0xFFF8000000000000ull, 0x7FF4000000000000ull,
                                 0x7FF0000000000001ull, 0x8000000000000000ull, 0, 0x7FF0000000000000ull,
                                 0xFFF0000000000000ull, 0x3FE0000000000000ull, 0xBFE0000000000000ull,
                                 0x4330000000000000ull, 0x432FFFFFFFFFFFFFull, 0x41E0000000000000ull,
                                 0xC1E0000000000000ull, 0xC1E0000000200000ull, 0x41EFFFFFFFFFFFFFull,
                                 0x41F0000000000000ull, 0x41DFFFFFFFE00000ull, 0xBFEFFFFFFFFFFFFFull,
                                 0x0000000000000001ull, 0x3FF0000000000000ull};
    uint64_t r = rnd();
    if (r % 3 == 0) return e[(r >> 8) % TB_ARRAY_LEN(e)];
    if (r % 3 == 1) return rnd();
    return (rnd() & 0x800FFFFFFFFFFFFFull) | ((uint64_t)(0x3FC + (r >> 50) % 70) << 52);
}
static v128 rand_f32_vec(void)
{
    v128 v = {0, 0};
    for (int i = 0; i < 4; i++) v = set_lane(v, 32, i, edge_f32());
    return v;
}
static v128 rand_f64_vec(void) { return (v128){edge_f64(), edge_f64()}; }

/* ---- lane-wise integer binops against scalar references ---- */
typedef uint64_t (*ref2)(uint64_t a, uint64_t b, int w);
static uint64_t r_add(uint64_t a, uint64_t b, int w) { return (a + b) & mask_w(w); }
static uint64_t r_sub(uint64_t a, uint64_t b, int w) { return (a - b) & mask_w(w); }
static uint64_t r_mul(uint64_t a, uint64_t b, int w) { return (a * b) & mask_w(w); }
static int64_t clampi(int64_t x, int64_t lo, int64_t hi) { return x < lo ? lo : x > hi ? hi : x; }
static uint64_t r_add_sat_s(uint64_t a, uint64_t b, int w)
{
    return (uint64_t)clampi(sx(a, w) + sx(b, w), -(1ll << (w - 1)), (1ll << (w - 1)) - 1) & mask_w(w);
}
static uint64_t r_sub_sat_s(uint64_t a, uint64_t b, int w)
{
    return (uint64_t)clampi(sx(a, w) - sx(b, w), -(1ll << (w - 1)), (1ll << (w - 1)) - 1) & mask_w(w);
}
static uint64_t r_add_sat_u(uint64_t a, uint64_t b, int w) { return a + b > mask_w(w) ? mask_w(w) : a + b; }
static uint64_t r_sub_sat_u(uint64_t a, uint64_t b, int w) { return a < b ? 0 : a - b; }
static uint64_t r_min_s(uint64_t a, uint64_t b, int w) { return sx(a, w) < sx(b, w) ? a : b; }
static uint64_t r_max_s(uint64_t a, uint64_t b, int w) { return sx(a, w) > sx(b, w) ? a : b; }
static uint64_t r_min_u(uint64_t a, uint64_t b, int w) { return a < b ? a : b; }
static uint64_t r_max_u(uint64_t a, uint64_t b, int w) { return a > b ? a : b; }
static uint64_t r_avgr_u(uint64_t a, uint64_t b, int w) { return (a + b + 1) >> 1; }
static uint64_t r_q15(uint64_t a, uint64_t b, int w)
{
    return (uint64_t)clampi((sx(a, 16) * sx(b, 16) + 0x4000) >> 15, -32768, 32767) & 0xFFFF;
}
#define BOOL_(c) ((c) ? mask_w(w) : 0)
static uint64_t r_eq(uint64_t a, uint64_t b, int w) { return BOOL_(a == b); }
static uint64_t r_ne(uint64_t a, uint64_t b, int w) { return BOOL_(a != b); }
static uint64_t r_lt_s(uint64_t a, uint64_t b, int w) { return BOOL_(sx(a, w) < sx(b, w)); }
static uint64_t r_lt_u(uint64_t a, uint64_t b, int w) { return BOOL_(a < b); }
static uint64_t r_gt_s(uint64_t a, uint64_t b, int w) { return BOOL_(sx(a, w) > sx(b, w)); }
static uint64_t r_gt_u(uint64_t a, uint64_t b, int w) { return BOOL_(a > b); }
static uint64_t r_le_s(uint64_t a, uint64_t b, int w) { return BOOL_(sx(a, w) <= sx(b, w)); }
static uint64_t r_le_u(uint64_t a, uint64_t b, int w) { return BOOL_(a <= b); }
static uint64_t r_ge_s(uint64_t a, uint64_t b, int w) { return BOOL_(sx(a, w) >= sx(b, w)); }
static uint64_t r_ge_u(uint64_t a, uint64_t b, int w) { return BOOL_(a >= b); }

static const struct { v128 (*fn)(v128, v128); ref2 ref; int w; const char *name; } int_binops[] = {
    {simd_i8x16_add, r_add, 8, "i8x16.add"}, {simd_i8x16_sub, r_sub, 8, "i8x16.sub"},
    {simd_i8x16_add_sat_s, r_add_sat_s, 8, "i8 add_sat_s"}, {simd_i8x16_add_sat_u, r_add_sat_u, 8, "i8 add_sat_u"},
    {simd_i8x16_sub_sat_s, r_sub_sat_s, 8, "i8 sub_sat_s"}, {simd_i8x16_sub_sat_u, r_sub_sat_u, 8, "i8 sub_sat_u"},
    {simd_i8x16_min_s, r_min_s, 8, "i8 min_s"}, {simd_i8x16_min_u, r_min_u, 8, "i8 min_u"},
    {simd_i8x16_max_s, r_max_s, 8, "i8 max_s"}, {simd_i8x16_max_u, r_max_u, 8, "i8 max_u"},
    {simd_i8x16_avgr_u, r_avgr_u, 8, "i8 avgr_u"},
    {simd_i8x16_eq, r_eq, 8, "i8 eq"}, {simd_i8x16_ne, r_ne, 8, "i8 ne"},
    {simd_i8x16_lt_s, r_lt_s, 8, "i8 lt_s"}, {simd_i8x16_lt_u, r_lt_u, 8, "i8 lt_u"},
    {simd_i8x16_gt_s, r_gt_s, 8, "i8 gt_s"}, {simd_i8x16_gt_u, r_gt_u, 8, "i8 gt_u"},
    {simd_i8x16_le_s, r_le_s, 8, "i8 le_s"}, {simd_i8x16_le_u, r_le_u, 8, "i8 le_u"},
    {simd_i8x16_ge_s, r_ge_s, 8, "i8 ge_s"}, {simd_i8x16_ge_u, r_ge_u, 8, "i8 ge_u"},
    {simd_i16x8_add, r_add, 16, "i16 add"}, {simd_i16x8_sub, r_sub, 16, "i16 sub"},
    {simd_i16x8_mul, r_mul, 16, "i16 mul"},
    {simd_i16x8_add_sat_s, r_add_sat_s, 16, "i16 add_sat_s"}, {simd_i16x8_add_sat_u, r_add_sat_u, 16, "i16 add_sat_u"},
    {simd_i16x8_sub_sat_s, r_sub_sat_s, 16, "i16 sub_sat_s"}, {simd_i16x8_sub_sat_u, r_sub_sat_u, 16, "i16 sub_sat_u"},
    {simd_i16x8_min_s, r_min_s, 16, "i16 min_s"}, {simd_i16x8_min_u, r_min_u, 16, "i16 min_u"},
    {simd_i16x8_max_s, r_max_s, 16, "i16 max_s"}, {simd_i16x8_max_u, r_max_u, 16, "i16 max_u"},
    {simd_i16x8_avgr_u, r_avgr_u, 16, "i16 avgr_u"}, {simd_i16x8_q15mulr_sat_s, r_q15, 16, "q15mulr"},
    {simd_i16x8_eq, r_eq, 16, "i16 eq"}, {simd_i16x8_ne, r_ne, 16, "i16 ne"},
    {simd_i16x8_lt_s, r_lt_s, 16, "i16 lt_s"}, {simd_i16x8_lt_u, r_lt_u, 16, "i16 lt_u"},
    {simd_i16x8_gt_s, r_gt_s, 16, "i16 gt_s"}, {simd_i16x8_gt_u, r_gt_u, 16, "i16 gt_u"},
    {simd_i16x8_le_s, r_le_s, 16, "i16 le_s"}, {simd_i16x8_le_u, r_le_u, 16, "i16 le_u"},
    {simd_i16x8_ge_s, r_ge_s, 16, "i16 ge_s"}, {simd_i16x8_ge_u, r_ge_u, 16, "i16 ge_u"},
    {simd_i32x4_add, r_add, 32, "i32 add"}, {simd_i32x4_sub, r_sub, 32, "i32 sub"},
    {simd_i32x4_mul, r_mul, 32, "i32 mul"},
    {simd_i32x4_min_s, r_min_s, 32, "i32 min_s"}, {simd_i32x4_min_u, r_min_u, 32, "i32 min_u"},
    {simd_i32x4_max_s, r_max_s, 32, "i32 max_s"}, {simd_i32x4_max_u, r_max_u, 32, "i32 max_u"},
    {simd_i32x4_eq, r_eq, 32, "i32 eq"}, {simd_i32x4_ne, r_ne, 32, "i32 ne"},
    {simd_i32x4_lt_s, r_lt_s, 32, "i32 lt_s"}, {simd_i32x4_lt_u, r_lt_u, 32, "i32 lt_u"},
    {simd_i32x4_gt_s, r_gt_s, 32, "i32 gt_s"}, {simd_i32x4_gt_u, r_gt_u, 32, "i32 gt_u"},
    {simd_i32x4_le_s, r_le_s, 32, "i32 le_s"}, {simd_i32x4_le_u, r_le_u, 32, "i32 le_u"},
    {simd_i32x4_ge_s, r_ge_s, 32, "i32 ge_s"}, {simd_i32x4_ge_u, r_ge_u, 32, "i32 ge_u"},
    {simd_i64x2_add, r_add, 64, "i64 add"}, {simd_i64x2_sub, r_sub, 64, "i64 sub"},
    {simd_i64x2_mul, r_mul, 64, "i64 mul"},
    {simd_i64x2_eq, r_eq, 64, "i64 eq"}, {simd_i64x2_ne, r_ne, 64, "i64 ne"},
    {simd_i64x2_lt_s, r_lt_s, 64, "i64 lt_s"}, {simd_i64x2_gt_s, r_gt_s, 64, "i64 gt_s"},
    {simd_i64x2_le_s, r_le_s, 64, "i64 le_s"}, {simd_i64x2_ge_s, r_ge_s, 64, "i64 ge_s"},
};

TEST(simd_int_binops_lanewise)
{
    for (size_t k = 0; k < TB_ARRAY_LEN(int_binops); k++) {
        int w = int_binops[k].w;
        for (int it = 0; it < 3000; it++) {
            v128 a = rand_int_vec(w), b = rand_int_vec(w), r = int_binops[k].fn(a, b);
            for (int i = 0; i < 128 / w; i++) {
                if (lane(r, w, i) != int_binops[k].ref(lane(a, w, i), lane(b, w, i), w)) {
                    test_fail(__FILE__, __LINE__, int_binops[k].name);
                    return;
                }
            }
        }
    }
}

TEST(simd_int_unops_shifts_lanewise)
{
    static const int ws[] = {8, 16, 32, 64};
    static v128 (*const absf[])(v128) = {simd_i8x16_abs, simd_i16x8_abs, simd_i32x4_abs, simd_i64x2_abs};
    static v128 (*const negf[])(v128) = {simd_i8x16_neg, simd_i16x8_neg, simd_i32x4_neg, simd_i64x2_neg};
    static v128 (*const shl[])(v128, uint32_t) = {simd_i8x16_shl, simd_i16x8_shl, simd_i32x4_shl, simd_i64x2_shl};
    static v128 (*const shrs[])(v128, uint32_t) = {simd_i8x16_shr_s, simd_i16x8_shr_s, simd_i32x4_shr_s, simd_i64x2_shr_s};
    static v128 (*const shru[])(v128, uint32_t) = {simd_i8x16_shr_u, simd_i16x8_shr_u, simd_i32x4_shr_u, simd_i64x2_shr_u};
    static uint32_t (*const allt[])(v128) = {simd_i8x16_all_true, simd_i16x8_all_true, simd_i32x4_all_true, simd_i64x2_all_true};
    static uint32_t (*const bmask[])(v128) = {simd_i8x16_bitmask, simd_i16x8_bitmask, simd_i32x4_bitmask, simd_i64x2_bitmask};
    for (int k = 0; k < 4; k++) {
        int w = ws[k], n = 128 / w;
        for (int it = 0; it < 3000; it++) {
            v128 a = rand_int_vec(w);
            uint32_t cnt = (uint32_t)rnd();
            if (it & 1) cnt &= 0x7F;                                  /* counts >= width too */
            v128 ab = absf[k](a), ng = negf[k](a), l = shl[k](a, cnt), rs = shrs[k](a, cnt), ru = shru[k](a, cnt);
            uint32_t all = 1, bm = 0, c = cnt % (uint32_t)w;
            for (int i = 0; i < n; i++) {
                uint64_t x = lane(a, w, i);
                int64_t s = sx(x, w);
                CHECK(lane(ab, w, i) == ((s < 0 ? 0 - x : x) & mask_w(w)));
                CHECK(lane(ng, w, i) == ((0 - x) & mask_w(w)));
                CHECK(lane(l, w, i) == ((x << c) & mask_w(w)));
                CHECK(lane(rs, w, i) == ((uint64_t)(s >> c) & mask_w(w)));
                CHECK(lane(ru, w, i) == x >> c);
                if (!x) all = 0;
                if (s < 0) bm |= 1u << i;
            }
            CHECK_EQ(allt[k](a), all);
            CHECK_EQ(bmask[k](a), bm);
        }
    }
}

TEST(simd_popcnt_any_true_bitwise)
{
    for (int it = 0; it < 3000; it++) {
        v128 a = rand_int_vec(8), b = rand_int_vec(8), c = rand_int_vec(8), p = simd_i8x16_popcnt(a);
        for (int i = 0; i < 16; i++) CHECK(lane(p, 8, i) == (uint64_t)__builtin_popcount((unsigned)lane(a, 8, i)));
        CHECK_EQ(simd_v128_any_true(a), (a[0] | a[1]) != 0);
        CHECK(v_eq(simd_v128_bitselect(a, b, c), (a & c) | (b & ~c)));
        CHECK(v_eq(simd_v128_andnot(a, b), a & ~b));
    }
    CHECK_EQ(simd_v128_any_true((v128){0, 0}), 0);
    CHECK_EQ(simd_v128_any_true((v128){0, 1ull << 63}), 1);
    CHECK_EQ(simd_i8x16_all_true(simd_i8x16_splat(0x100)), 0);   /* splat takes the low byte */
    CHECK_EQ(simd_i8x16_bitmask(simd_i8x16_splat(0x80)), 0xFFFF);
    CHECK_EQ(simd_i16x8_bitmask(simd_i16x8_splat(0x8000)), 0xFF);
    CHECK_EQ(simd_i32x4_bitmask((v128)(simd_u32x4){0x80000000u, 0, 0x80000000u, 0}), 5);
    CHECK_EQ(simd_i64x2_bitmask((v128){0, ~0ull}), 2);
}

/* narrow, extend, extadd, extmul, dot against scalar references */
TEST(simd_widen_narrow_lanewise)
{
    for (int it = 0; it < 3000; it++) {
        v128 a8 = rand_int_vec(8), b8 = rand_int_vec(8), a16 = rand_int_vec(16), b16 = rand_int_vec(16);
        v128 a32 = rand_int_vec(32), b32 = rand_int_vec(32);
        v128 ns = simd_i8x16_narrow_i16x8_s(a16, b16), nu = simd_i8x16_narrow_i16x8_u(a16, b16);
        for (int i = 0; i < 16; i++) {
            int64_t x = sx(lane(i < 8 ? a16 : b16, 16, i & 7), 16);
            CHECK(lane(ns, 8, i) == ((uint64_t)clampi(x, -128, 127) & 0xFF));
            CHECK(lane(nu, 8, i) == (uint64_t)clampi(x, 0, 255));
        }
        ns = simd_i16x8_narrow_i32x4_s(a32, b32); nu = simd_i16x8_narrow_i32x4_u(a32, b32);
        for (int i = 0; i < 8; i++) {
            int64_t x = sx(lane(i < 4 ? a32 : b32, 32, i & 3), 32);
            CHECK(lane(ns, 16, i) == ((uint64_t)clampi(x, -32768, 32767) & 0xFFFF));
            CHECK(lane(nu, 16, i) == (uint64_t)clampi(x, 0, 65535));
        }
        /* extend/extmul/extadd for each source width */
        static const int sw[] = {8, 16, 32};
        for (int k = 0; k < 3; k++) {
            int w = sw[k], n = 64 / w, W = 2 * w;
            v128 a = k == 0 ? a8 : k == 1 ? a16 : a32, b = k == 0 ? b8 : k == 1 ? b16 : b32;
            v128 els, ehs, elu, ehu, mls, mhs, mlu, mhu;
            if (k == 0) {
                els = simd_i16x8_extend_low_i8x16_s(a); ehs = simd_i16x8_extend_high_i8x16_s(a);
                elu = simd_i16x8_extend_low_i8x16_u(a); ehu = simd_i16x8_extend_high_i8x16_u(a);
                mls = simd_i16x8_extmul_low_i8x16_s(a, b); mhs = simd_i16x8_extmul_high_i8x16_s(a, b);
                mlu = simd_i16x8_extmul_low_i8x16_u(a, b); mhu = simd_i16x8_extmul_high_i8x16_u(a, b);
            } else if (k == 1) {
                els = simd_i32x4_extend_low_i16x8_s(a); ehs = simd_i32x4_extend_high_i16x8_s(a);
                elu = simd_i32x4_extend_low_i16x8_u(a); ehu = simd_i32x4_extend_high_i16x8_u(a);
                mls = simd_i32x4_extmul_low_i16x8_s(a, b); mhs = simd_i32x4_extmul_high_i16x8_s(a, b);
                mlu = simd_i32x4_extmul_low_i16x8_u(a, b); mhu = simd_i32x4_extmul_high_i16x8_u(a, b);
            } else {
                els = simd_i64x2_extend_low_i32x4_s(a); ehs = simd_i64x2_extend_high_i32x4_s(a);
                elu = simd_i64x2_extend_low_i32x4_u(a); ehu = simd_i64x2_extend_high_i32x4_u(a);
                mls = simd_i64x2_extmul_low_i32x4_s(a, b); mhs = simd_i64x2_extmul_high_i32x4_s(a, b);
                mlu = simd_i64x2_extmul_low_i32x4_u(a, b); mhu = simd_i64x2_extmul_high_i32x4_u(a, b);
            }
            for (int i = 0; i < n; i++) {
                uint64_t lo = lane(a, w, i), hi = lane(a, w, i + n), blo = lane(b, w, i), bhi = lane(b, w, i + n);
                CHECK(lane(els, W, i) == ((uint64_t)sx(lo, w) & mask_w(W)));
                CHECK(lane(ehs, W, i) == ((uint64_t)sx(hi, w) & mask_w(W)));
                CHECK(lane(elu, W, i) == lo);
                CHECK(lane(ehu, W, i) == hi);
                CHECK(lane(mls, W, i) == ((uint64_t)(sx(lo, w) * sx(blo, w)) & mask_w(W)));
                CHECK(lane(mhs, W, i) == ((uint64_t)(sx(hi, w) * sx(bhi, w)) & mask_w(W)));
                CHECK(lane(mlu, W, i) == ((lo * blo) & mask_w(W)));
                CHECK(lane(mhu, W, i) == ((hi * bhi) & mask_w(W)));
            }
        }
        v128 p8s = simd_i16x8_extadd_pairwise_i8x16_s(a8), p8u = simd_i16x8_extadd_pairwise_i8x16_u(a8);
        for (int i = 0; i < 8; i++) {
            uint64_t x = lane(a8, 8, 2 * i), y = lane(a8, 8, 2 * i + 1);
            CHECK(lane(p8s, 16, i) == ((uint64_t)(sx(x, 8) + sx(y, 8)) & 0xFFFF));
            CHECK(lane(p8u, 16, i) == x + y);
        }
        v128 p16s = simd_i32x4_extadd_pairwise_i16x8_s(a16), p16u = simd_i32x4_extadd_pairwise_i16x8_u(a16);
        v128 dot = simd_i32x4_dot_i16x8_s(a16, b16);
        for (int i = 0; i < 4; i++) {
            uint64_t x = lane(a16, 16, 2 * i), y = lane(a16, 16, 2 * i + 1);
            CHECK(lane(p16s, 32, i) == ((uint64_t)(sx(x, 16) + sx(y, 16)) & 0xFFFFFFFFu));
            CHECK(lane(p16u, 32, i) == x + y);
            int64_t d = sx(x, 16) * sx(lane(b16, 16, 2 * i), 16) + sx(y, 16) * sx(lane(b16, 16, 2 * i + 1), 16);
            CHECK(lane(dot, 32, i) == ((uint64_t)d & 0xFFFFFFFFu));
        }
    }
    /* the one dot product that wraps, and the one q15 product that saturates */
    v128 m = simd_i16x8_splat(0x8000);
    CHECK(lane(simd_i32x4_dot_i16x8_s(m, m), 32, 0) == 0x80000000u);
    CHECK(lane(simd_i16x8_q15mulr_sat_s(m, m), 16, 3) == 0x7FFF);
}

TEST(simd_splat_lanes_shuffle_swizzle)
{
    v128 v = simd_i8x16_splat(0x1FF);
    for (int i = 0; i < 16; i++) CHECK(lane(v, 8, i) == 0xFF);
    CHECK_EQ(simd_i8x16_extract_lane_s(v, 3), 0xFFFFFFFFu);
    CHECK_EQ(simd_i8x16_extract_lane_u(v, 15), 0xFF);
    v = simd_i16x8_splat(0x18000);
    CHECK_EQ(simd_i16x8_extract_lane_s(v, 7), 0xFFFF8000u);
    CHECK_EQ(simd_i16x8_extract_lane_u(v, 0), 0x8000);
    v = simd_i8x16_replace_lane(v, 1, 0x7F);
    CHECK_EQ(simd_i16x8_extract_lane_u(v, 0), 0x7F00);
    v = simd_i32x4_splat(0xDEADBEEFu);
    v = simd_i32x4_replace_lane(v, 2, 5);
    CHECK_EQ(simd_i32x4_extract_lane(v, 2), 5); CHECK_EQ(simd_i32x4_extract_lane(v, 3), 0xDEADBEEFu);
    v = simd_i64x2_replace_lane(simd_i64x2_splat(7), 1, ~0ull);
    CHECK(simd_i64x2_extract_lane(v, 0) == 7 && simd_i64x2_extract_lane(v, 1) == ~0ull);
    /* float lanes carry NaN bits untouched */
    v = simd_f32x4_splat(num_f32_from_bits(0x7FA00001u));
    CHECK_EQ(num_f32_bits(simd_f32x4_extract_lane(v, 3)), 0x7FA00001u);
    v = simd_f32x4_replace_lane(v, 0, num_f32_from_bits(0xFF800001u));
    CHECK_EQ(num_f32_bits(simd_f32x4_extract_lane(v, 0)), 0xFF800001u);
    v = simd_f64x2_splat(num_f64_from_bits(0x7FF0000000000001ull));
    v = simd_f64x2_replace_lane(v, 1, -0.0);
    CHECK(num_f64_bits(simd_f64x2_extract_lane(v, 0)) == 0x7FF0000000000001ull);
    CHECK(num_f64_bits(simd_f64x2_extract_lane(v, 1)) == 0x8000000000000000ull);

    uint8_t ab[32], idx[16];
    for (int i = 0; i < 32; i++) ab[i] = (uint8_t)(0xA0 + i);
    v128 a = simd_v128_const(ab), b = simd_v128_const(ab + 16);
    for (int i = 0; i < 16; i++) idx[i] = (uint8_t)(31 - 2 * i);
    v128 s = simd_i8x16_shuffle(a, b, idx);
    for (int i = 0; i < 16; i++) CHECK(lane(s, 8, i) == ab[31 - 2 * i]);
    uint8_t sw[16] = {0, 15, 16, 255, 128, 17, 1, 14, 0x80, 0x7F, 2, 3, 4, 5, 6, 7};
    v128 r = simd_i8x16_swizzle(a, simd_v128_const(sw));
    for (int i = 0; i < 16; i++) CHECK(lane(r, 8, i) == (sw[i] < 16 ? ab[sw[i]] : 0));
}

/* ---- floats ---- */
static bool f32_same_or_both_qnan(uint32_t x, uint32_t y) { return x == y; }

TEST(simd_float_lanewise_vs_scalar)
{
    for (int it = 0; it < 20000; it++) {
        v128 a = rand_f32_vec(), b = rand_f32_vec();
        v128 mn = simd_f32x4_min(a, b), mx = simd_f32x4_max(a, b), pn = simd_f32x4_pmin(a, b), px = simd_f32x4_pmax(a, b);
        v128 rn = simd_f32x4_nearest(a), rf = simd_f32x4_floor(a), rc = simd_f32x4_ceil(a), rt = simd_f32x4_trunc(a);
        v128 ad = simd_f32x4_add(a, b), sq = simd_f32x4_sqrt(a), ts = simd_i32x4_trunc_sat_f32x4_s(a);
        v128 tu = simd_i32x4_trunc_sat_f32x4_u(a), cu = simd_f32x4_convert_i32x4_u(a), cs = simd_f32x4_convert_i32x4_s(a);
        v128 eq = simd_f32x4_eq(a, b), ne = simd_f32x4_ne(a, b), lt = simd_f32x4_lt(a, b), ge = simd_f32x4_ge(a, b);
        for (int i = 0; i < 4; i++) {
            uint32_t xb = (uint32_t)lane(a, 32, i), yb = (uint32_t)lane(b, 32, i);
            float x = num_f32_from_bits(xb), y = num_f32_from_bits(yb);
            CHECK(f32_same_or_both_qnan((uint32_t)lane(mn, 32, i), num_f32_bits(num_f32_min(x, y))));
            CHECK(f32_same_or_both_qnan((uint32_t)lane(mx, 32, i), num_f32_bits(num_f32_max(x, y))));
            CHECK_EQ(lane(pn, 32, i), num_f32_bits(y < x ? y : x));
            CHECK_EQ(lane(px, 32, i), num_f32_bits(x < y ? y : x));
            CHECK_EQ(lane(rn, 32, i), num_f32_bits(num_f32_nearest(x)));
            CHECK_EQ(lane(rf, 32, i), num_f32_bits(num_f32_floor(x)));
            CHECK_EQ(lane(rc, 32, i), num_f32_bits(num_f32_ceil(x)));
            CHECK_EQ(lane(rt, 32, i), num_f32_bits(num_f32_trunc(x)));
            CHECK_EQ(lane(ad, 32, i), num_f32_bits(x + y));
            CHECK_EQ(lane(sq, 32, i), num_f32_bits(num_f32_sqrt(x)));
            CHECK_EQ(lane(ts, 32, i), num_i32_trunc_sat_f32_s(x));
            CHECK_EQ(lane(tu, 32, i), num_i32_trunc_sat_f32_u(x));
            CHECK_EQ(lane(cu, 32, i), num_f32_bits(num_f32_convert_i32_u(xb)));
            CHECK_EQ(lane(cs, 32, i), num_f32_bits(num_f32_convert_i32_s(xb)));
            CHECK_EQ(lane(eq, 32, i), x == y ? 0xFFFFFFFFu : 0);
            CHECK_EQ(lane(ne, 32, i), x != y ? 0xFFFFFFFFu : 0);
            CHECK_EQ(lane(lt, 32, i), x < y ? 0xFFFFFFFFu : 0);
            CHECK_EQ(lane(ge, 32, i), x >= y ? 0xFFFFFFFFu : 0);
        }
        v128 c = rand_f64_vec(), d = rand_f64_vec();
        v128 mn2 = simd_f64x2_min(c, d), mx2 = simd_f64x2_max(c, d), pn2 = simd_f64x2_pmin(c, d), px2 = simd_f64x2_pmax(c, d);
        v128 rn2 = simd_f64x2_nearest(c), rf2 = simd_f64x2_floor(c), rc2 = simd_f64x2_ceil(c), rt2 = simd_f64x2_trunc(c);
        v128 tz = simd_i32x4_trunc_sat_f64x2_s_zero(c), tzu = simd_i32x4_trunc_sat_f64x2_u_zero(c);
        v128 dm = simd_f32x4_demote_f64x2_zero(c), pr = simd_f64x2_promote_low_f32x4(a);
        v128 cl = simd_f64x2_convert_low_i32x4_s(a), clu = simd_f64x2_convert_low_i32x4_u(a);
        for (int i = 0; i < 2; i++) {
            double x = num_f64_from_bits(c[i]), y = num_f64_from_bits(d[i]);
            CHECK(mn2[i] == num_f64_bits(num_f64_min(x, y)));
            CHECK(mx2[i] == num_f64_bits(num_f64_max(x, y)));
            CHECK(pn2[i] == num_f64_bits(y < x ? y : x));
            CHECK(px2[i] == num_f64_bits(x < y ? y : x));
            CHECK(rn2[i] == num_f64_bits(num_f64_nearest(x)));
            CHECK(rf2[i] == num_f64_bits(num_f64_floor(x)));
            CHECK(rc2[i] == num_f64_bits(num_f64_ceil(x)));
            CHECK(rt2[i] == num_f64_bits(num_f64_trunc(x)));
            CHECK_EQ(lane(tz, 32, i), num_i32_trunc_sat_f64_s(x));
            CHECK_EQ(lane(tzu, 32, i), num_i32_trunc_sat_f64_u(x));
            CHECK_EQ(lane(dm, 32, i), num_f32_bits(num_f32_demote_f64(x)));
            uint32_t xb = (uint32_t)lane(a, 32, i);
            CHECK(pr[i] == num_f64_bits(num_f64_promote_f32(num_f32_from_bits(xb))));
            CHECK(cl[i] == num_f64_bits(num_f64_convert_i32_s(xb)));
            CHECK(clu[i] == num_f64_bits(num_f64_convert_i32_u(xb)));
        }
        CHECK(tz[1] == 0 && tzu[1] == 0 && dm[1] == 0);
    }
}

TEST(simd_float_edge_cases)
{
    /* min/max: -0 < +0 in both operand orders; NaN either side gives a quiet NaN */
    v128 pz = simd_f32x4_splat(0.0f), nz = simd_f32x4_splat(-0.0f);
    CHECK(v_eq(simd_f32x4_min(pz, nz), nz) && v_eq(simd_f32x4_min(nz, pz), nz));
    CHECK(v_eq(simd_f32x4_max(pz, nz), pz) && v_eq(simd_f32x4_max(nz, pz), pz));
    CHECK(v_eq(simd_f32x4_pmin(pz, nz), pz) && v_eq(simd_f32x4_pmax(nz, pz), nz)); /* first operand kept */
    v128 sn = simd_f32x4_splat(num_f32_from_bits(0x7FA00000u)), one = simd_f32x4_splat(1.0f);
    CHECK_EQ(lane(simd_f32x4_min(one, sn), 32, 0), 0x7FE00000u);
    CHECK_EQ(lane(simd_f32x4_max(sn, one), 32, 1), 0x7FE00000u);
    CHECK_EQ(lane(simd_f32x4_pmin(sn, one), 32, 2), 0x7FA00000u);   /* pmin: NaN a stays as is */
    CHECK_EQ(lane(simd_f32x4_pmin(one, sn), 32, 2), 0x3F800000u);
    CHECK_EQ(lane(simd_f32x4_abs(sn), 32, 0), 0x7FA00000u);
    CHECK_EQ(lane(simd_f32x4_neg(sn), 32, 0), 0xFFA00000u);
    CHECK(simd_f64x2_neg((v128){0x7FF4000000000000ull, 0})[0] == 0xFFF4000000000000ull);
    CHECK(simd_f64x2_abs((v128){0xFFF4000000000000ull, 0x8000000000000000ull})[1] == 0);
    v128 d = simd_f64x2_min((v128){0x8000000000000000ull, 0x7FF4000000000000ull}, (v128){0, 0});
    CHECK(d[0] == 0x8000000000000000ull && d[1] == 0x7FFC000000000000ull);
    /* trunc_sat bounds */
    v128 t = simd_i32x4_trunc_sat_f32x4_s((v128)(simd_f32x4){2147483648.0f, -2147483904.0f, -0.9f, 2147483520.0f});
    CHECK(v_eq(t, (v128)(simd_u32x4){0x7FFFFFFFu, 0x80000000u, 0, 2147483520u}));
    t = simd_i32x4_trunc_sat_f32x4_u((v128)(simd_f32x4){4294967296.0f, -1.0f, 4294967040.0f, NAN});
    CHECK(v_eq(t, (v128)(simd_u32x4){0xFFFFFFFFu, 0, 4294967040u, 0}));
    /* rounding ties and signed zeros */
    v128 n = simd_f32x4_nearest((v128)(simd_f32x4){0.5f, -0.5f, 2.5f, -8388607.5f});
    CHECK(v_eq(n, (v128)(simd_f32x4){0.0f, -0.0f, 2.0f, -8388608.0f}));
    CHECK_EQ(lane(simd_f32x4_ceil(simd_f32x4_splat(-0.5f)), 32, 0), 0x80000000u);
    /* u32 -> f32 rounds once: 0xFFFFFF7F -> 4294967040, 0xFFFFFF80 (tie) -> 2^32 */
    v128 cu = simd_f32x4_convert_i32x4_u((v128)(simd_u32x4){0xFFFFFF7Fu, 0xFFFFFF80u, 0x80000001u, 16777217u});
    CHECK(v_eq(cu, (v128)(simd_f32x4){4294967040.0f, 4294967296.0f, 2147483648.0f, 16777216.0f}));
    /* demote: canonical NaN stays canonical; promote likewise */
    v128 dm = simd_f32x4_demote_f64x2_zero((v128){0x7FF8000000000000ull, 0xFFF8000000000000ull});
    CHECK(v_eq(dm, (v128)(simd_u32x4){0x7FC00000u, 0xFFC00000u, 0, 0}));
    v128 pr = simd_f64x2_promote_low_f32x4((v128)(simd_u32x4){0x7FC00000u, 0x3F800000u, 1, 2});
    CHECK(pr[0] == 0x7FF8000000000000ull && pr[1] == 0x3FF0000000000000ull);
}

TEST(simd_memory_helpers)
{
    uint8_t m[40];
    for (int i = 0; i < 40; i++) m[i] = (uint8_t)(0xF0 + i * 3);
    const uint8_t *p = m + 3;                                    /* unaligned on purpose */
    v128 v = simd_v128_load(p);
    CHECK(memcmp(&v, p, 16) == 0);
    v128 e = simd_v128_load8x8_s(p);
    for (int i = 0; i < 8; i++) CHECK(lane(e, 16, i) == ((uint64_t)(int8_t)p[i] & 0xFFFF));
    e = simd_v128_load8x8_u(p);
    for (int i = 0; i < 8; i++) CHECK(lane(e, 16, i) == p[i]);
    e = simd_v128_load16x4_s(p);
    for (int i = 0; i < 4; i++) CHECK(lane(e, 32, i) == ((uint64_t)(int16_t)(p[2 * i] | p[2 * i + 1] << 8) & 0xFFFFFFFFu));
    e = simd_v128_load16x4_u(p);
    for (int i = 0; i < 4; i++) CHECK(lane(e, 32, i) == (uint64_t)(p[2 * i] | p[2 * i + 1] << 8));
    e = simd_v128_load32x2_s(p);
    CHECK(e[0] == (uint64_t)(int64_t)(int32_t)tb_rd32(p) && e[1] == (uint64_t)(int64_t)(int32_t)tb_rd32(p + 4));
    e = simd_v128_load32x2_u(p);
    CHECK(e[0] == tb_rd32(p) && e[1] == tb_rd32(p + 4));
    CHECK(v_eq(simd_v128_load8_splat(p), simd_i8x16_splat(p[0])));
    CHECK(v_eq(simd_v128_load16_splat(p), simd_i16x8_splat((uint32_t)(p[0] | p[1] << 8))));
    CHECK(v_eq(simd_v128_load32_splat(p), simd_i32x4_splat(tb_rd32(p))));
    CHECK(v_eq(simd_v128_load64_splat(p), simd_i64x2_splat(tb_rd64(p))));
    CHECK(v_eq(simd_v128_load32_zero(p), (v128){tb_rd32(p), 0}));
    CHECK(v_eq(simd_v128_load64_zero(p), (v128){tb_rd64(p), 0}));
    v128 z = {0, 0};
    CHECK(lane(simd_v128_load8_lane(p, z, 15), 8, 15) == p[0]);
    CHECK(lane(simd_v128_load16_lane(p, z, 7), 16, 7) == (uint64_t)(p[0] | p[1] << 8));
    CHECK(lane(simd_v128_load32_lane(p, z, 3), 32, 3) == tb_rd32(p));
    CHECK(simd_v128_load64_lane(p, z, 1)[1] == tb_rd64(p) && simd_v128_load64_lane(p, z, 1)[0] == 0);
    uint8_t out[24] = {0};
    simd_v128_store(out + 1, v);
    CHECK(memcmp(out + 1, p, 16) == 0 && out[0] == 0 && out[17] == 0);
    memset(out, 0, sizeof out);
    simd_v128_store8_lane(out + 1, v, 5); CHECK(out[1] == p[5] && out[2] == 0);
    simd_v128_store16_lane(out + 3, v, 1); CHECK(out[3] == p[2] && out[4] == p[3] && out[5] == 0);
    simd_v128_store32_lane(out + 5, v, 2); CHECK(tb_rd32(out + 5) == tb_rd32(p + 8));
    simd_v128_store64_lane(out + 9, v, 1); CHECK(tb_rd64(out + 9) == tb_rd64(p + 8));
    uint64_t slots[3] = {0, 0, 0};
    simd_to_slots(slots + 1, v);
    CHECK(v_eq(simd_from_slots(slots + 1), v) && slots[0] == 0);
}
