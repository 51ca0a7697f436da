/* test_cli_value: CLI argument parsing, result formatting and spec-value matching. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "../../src/cli/value.h"
#include "../../src/cli/wast_value.h"

static uint32_t f32_bits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }
static uint64_t f64_bits(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }
static float f32_of(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }
static double f64_of(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }

TEST(cli_parse_ints) {
    taho_val v;
    CHECK(cli_parse_val(TAHO_I32, "42", &v) && v.kind == TAHO_I32 && v.of.i32 == 42);
    CHECK(cli_parse_val(TAHO_I32, "-1", &v) && v.of.i32 == -1);
    CHECK(cli_parse_val(TAHO_I32, "4294967295", &v) && v.of.i32 == -1);
    CHECK(cli_parse_val(TAHO_I32, "-2147483648", &v) && v.of.i32 == INT32_MIN);
    CHECK(cli_parse_val(TAHO_I32, "0x7fffffff", &v) && v.of.i32 == INT32_MAX);
    CHECK(cli_parse_val(TAHO_I32, "0XFFFFFFFF", &v) && v.of.i32 == -1);
    CHECK(cli_parse_val(TAHO_I32, "-0x10", &v) && v.of.i32 == -16);
    CHECK(!cli_parse_val(TAHO_I32, "4294967296", &v));
    CHECK(!cli_parse_val(TAHO_I32, "-2147483649", &v));
    CHECK(!cli_parse_val(TAHO_I32, "", &v));
    CHECK(!cli_parse_val(TAHO_I32, "-", &v));
    CHECK(!cli_parse_val(TAHO_I32, "0x", &v));
    CHECK(!cli_parse_val(TAHO_I32, "12a", &v));
    CHECK(!cli_parse_val(TAHO_I32, " 1", &v));
    CHECK(!cli_parse_val(TAHO_I32, "1.0", &v));
    CHECK(cli_parse_val(TAHO_I64, "18446744073709551615", &v) && v.of.i64 == -1);
    CHECK(cli_parse_val(TAHO_I64, "-9223372036854775808", &v) && v.of.i64 == INT64_MIN);
    CHECK(cli_parse_val(TAHO_I64, "0x8000000000000000", &v) && v.of.i64 == INT64_MIN);
    CHECK(!cli_parse_val(TAHO_I64, "18446744073709551616", &v));
    CHECK(!cli_parse_val(TAHO_I64, "-9223372036854775809", &v));
    CHECK(!cli_parse_val(TAHO_I64, "0x10000000000000000", &v));
}

TEST(cli_parse_floats) {
    taho_val v;
    CHECK(cli_parse_val(TAHO_F32, "1.5", &v) && v.kind == TAHO_F32 && v.of.f32 == 1.5f);
    CHECK(cli_parse_val(TAHO_F32, "0.1", &v) && v.of.f32 == 0.1f);
    CHECK(cli_parse_val(TAHO_F32, "-0", &v) && f32_bits(v.of.f32) == 0x80000000u);
    CHECK(cli_parse_val(TAHO_F32, "inf", &v) && isinf(v.of.f32) && v.of.f32 > 0);
    CHECK(cli_parse_val(TAHO_F32, "-inf", &v) && isinf(v.of.f32) && v.of.f32 < 0);
    CHECK(cli_parse_val(TAHO_F32, "nan", &v) && f32_bits(v.of.f32) == 0x7FC00000u);
    CHECK(cli_parse_val(TAHO_F32, "-nan", &v) && f32_bits(v.of.f32) == 0xFFC00000u);
    CHECK(cli_parse_val(TAHO_F32, "nan:0x1", &v) && f32_bits(v.of.f32) == 0x7F800001u);
    CHECK(cli_parse_val(TAHO_F32, "0x1p-149", &v) && f32_bits(v.of.f32) == 1);
    CHECK(!cli_parse_val(TAHO_F32, "nan:0x0", &v));
    CHECK(!cli_parse_val(TAHO_F32, "nan:0x800000", &v));
    CHECK(!cli_parse_val(TAHO_F32, "1.5x", &v));
    CHECK(!cli_parse_val(TAHO_F32, "", &v));
    CHECK(!cli_parse_val(TAHO_F32, " 1", &v));
    CHECK(cli_parse_val(TAHO_F64, "0.1", &v) && v.of.f64 == 0.1);
    CHECK(cli_parse_val(TAHO_F64, "nan", &v) && f64_bits(v.of.f64) == 0x7FF8000000000000ull);
    CHECK(cli_parse_val(TAHO_F64, "nan:0xfffffffffffff", &v) && f64_bits(v.of.f64) == 0x7FFFFFFFFFFFFFFFull);
    CHECK(cli_parse_val(TAHO_F64, "1e308", &v) && v.of.f64 == 1e308);
}

TEST(cli_parse_v128_and_refs) {
    taho_val v;
    CHECK(cli_parse_val(TAHO_V128, "0x0102", &v) && v.kind == TAHO_V128);
    CHECK(v.of.v128[0] == 2 && v.of.v128[1] == 1 && v.of.v128[2] == 0 && v.of.v128[15] == 0);
    CHECK(cli_parse_val(TAHO_V128, "0xff000000000000000000000000000001", &v));
    CHECK(v.of.v128[15] == 0xff && v.of.v128[0] == 1);
    CHECK(!cli_parse_val(TAHO_V128, "0x1ff000000000000000000000000000001", &v));
    CHECK(!cli_parse_val(TAHO_V128, "12", &v));
    CHECK(cli_parse_val(TAHO_FUNCREF, "null", &v) && v.of.funcref == NULL);
    CHECK(cli_parse_val(TAHO_EXTERNREF, "null", &v) && v.of.externref == NULL);
    CHECK(!cli_parse_val(TAHO_EXTERNREF, "1", &v));
}

static bool formats(taho_val v, const char *want) {
    char buf[CLI_VAL_TEXT_MAX];
    cli_format_val(&v, buf, sizeof buf);
    if (strcmp(buf, want)) printf("  got \"%s\", want \"%s\"\n", buf, want);
    return !strcmp(buf, want);
}

TEST(cli_format_values) {
    CHECK(formats((taho_val){.kind = TAHO_I32, .of.i32 = -7}, "-7"));
    CHECK(formats((taho_val){.kind = TAHO_I64, .of.i64 = INT64_MIN}, "-9223372036854775808"));
    CHECK(formats((taho_val){.kind = TAHO_F32, .of.f32 = 0.1f}, "0.1"));
    CHECK(formats((taho_val){.kind = TAHO_F32, .of.f32 = 1.5f}, "1.5"));
    CHECK(formats((taho_val){.kind = TAHO_F32, .of.f32 = 16777216.0f}, "16777216"));
    CHECK(formats((taho_val){.kind = TAHO_F32, .of.f32 = f32_of(0x80000000u)}, "-0"));
    CHECK(formats((taho_val){.kind = TAHO_F32, .of.f32 = f32_of(0x7F800000u)}, "inf"));
    CHECK(formats((taho_val){.kind = TAHO_F32, .of.f32 = f32_of(0xFFC00000u)}, "-nan"));
    CHECK(formats((taho_val){.kind = TAHO_F32, .of.f32 = f32_of(0x7FA00000u)}, "nan:0x200000"));
    CHECK(formats((taho_val){.kind = TAHO_F64, .of.f64 = 0.1}, "0.1"));
    CHECK(formats((taho_val){.kind = TAHO_F64, .of.f64 = 1.0 / 3}, "0.3333333333333333"));
    CHECK(formats((taho_val){.kind = TAHO_F64, .of.f64 = f64_of(0xFFF0000000000000ull)}, "-inf"));
    CHECK(formats((taho_val){.kind = TAHO_F64, .of.f64 = f64_of(0x7FF8000000000000ull)}, "nan"));
    CHECK(formats((taho_val){.kind = TAHO_F64, .of.f64 = f64_of(0x7FF0000000000001ull)}, "nan:0x1"));
    taho_val v128 = {.kind = TAHO_V128};
    for (int i = 0; i < 16; i++) v128.of.v128[i] = (uint8_t)i;
    CHECK(formats(v128, "i32x4 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c"));
    CHECK(formats((taho_val){.kind = TAHO_FUNCREF}, "ref.null func"));
    CHECK(formats((taho_val){.kind = TAHO_EXTERNREF}, "ref.null extern"));
}

/* Printing then parsing gives the same bits back, for awkward floats. */
TEST(cli_format_round_trip) {
    static const uint32_t b32[] = {1, 0x007FFFFF, 0x00800000, 0x7F7FFFFF, 0x3EAAAAAB, 0xC2F6E979, 0x4B7FFFFF};
    for (size_t i = 0; i < sizeof b32 / sizeof b32[0]; i++) {
        char buf[CLI_VAL_TEXT_MAX];
        taho_val v;
        cli_format_f32(f32_of(b32[i]), buf, sizeof buf);
        CHECK(cli_parse_val(TAHO_F32, buf, &v) && f32_bits(v.of.f32) == b32[i]);
    }
    static const uint64_t b64[] = {1, 0x000FFFFFFFFFFFFFull, 0x7FEFFFFFFFFFFFFFull, 0x3FD5555555555555ull,
                                   0x4340000000000001ull, 0x8000000000000001ull};
    for (size_t i = 0; i < sizeof b64 / sizeof b64[0]; i++) {
        char buf[CLI_VAL_TEXT_MAX];
        taho_val v;
        cli_format_f64(f64_of(b64[i]), buf, sizeof buf);
        CHECK(cli_parse_val(TAHO_F64, buf, &v) && f64_bits(v.of.f64) == b64[i]);
    }
    char buf[CLI_VAL_TEXT_MAX];
    taho_val v;
    cli_format_f32(f32_of(0xFF812345u), buf, sizeof buf);   /* NaN payloads too */
    CHECK(cli_parse_val(TAHO_F32, buf, &v) && f32_bits(v.of.f32) == 0xFF812345u);
}

/* ---- spec values (wast2json bit patterns) ---- */

static bool parse_wast(const char *text, bool patterns, wast_value *out) {
    json j;
    char err[128];
    if (!json_parse(text, strlen(text), &j, err, sizeof err)) return false;
    bool ok = wast_parse_value(&j, patterns, out, err, sizeof err);
    json_free(&j);
    return ok;
}

TEST(cli_wast_scalars) {
    wast_value w;
    CHECK(parse_wast("{\"type\": \"i32\", \"value\": \"4294967295\"}", false, &w));
    CHECK(w.val.kind == TAHO_I32 && w.val.of.i32 == -1);
    CHECK(parse_wast("{\"type\": \"i64\", \"value\": \"9223372036854775808\"}", false, &w));
    CHECK(w.val.of.i64 == INT64_MIN);
    CHECK(parse_wast("{\"type\": \"f32\", \"value\": \"1065353216\"}", false, &w) && w.val.of.f32 == 1.0f);
    CHECK(parse_wast("{\"type\": \"f64\", \"value\": \"4607182418800017408\"}", false, &w) && w.val.of.f64 == 1.0);
    CHECK(!parse_wast("{\"type\": \"f32\", \"value\": \"nan:canonical\"}", false, &w));
    CHECK(!parse_wast("{\"type\": \"i32\", \"value\": \"4294967296\"}", false, &w));
    CHECK(!parse_wast("{\"type\": \"i32\"}", false, &w));
    CHECK(!parse_wast("{\"type\": \"x32\", \"value\": \"1\"}", false, &w));
}

TEST(cli_wast_nan_patterns) {
    wast_value w;
    taho_val got = {.kind = TAHO_F32};
    CHECK(parse_wast("{\"type\": \"f32\", \"value\": \"nan:canonical\"}", true, &w));
    got.of.f32 = f32_of(0x7FC00000u);
    CHECK(wast_value_matches(&w, &got));
    got.of.f32 = f32_of(0xFFC00000u);
    CHECK(wast_value_matches(&w, &got));
    got.of.f32 = f32_of(0x7FC00001u);
    CHECK(!wast_value_matches(&w, &got));
    CHECK(parse_wast("{\"type\": \"f32\", \"value\": \"nan:arithmetic\"}", true, &w));
    CHECK(wast_value_matches(&w, &got));
    got.of.f32 = f32_of(0x7F800001u);   /* signalling: not arithmetic */
    CHECK(!wast_value_matches(&w, &got));
    got.of.f32 = 1.0f;
    CHECK(!wast_value_matches(&w, &got));
    taho_val g64 = {.kind = TAHO_F64, .of.f64 = f64_of(0xFFF8000000000000ull)};
    CHECK(parse_wast("{\"type\": \"f64\", \"value\": \"nan:canonical\"}", true, &w));
    CHECK(wast_value_matches(&w, &g64));
    g64.of.f64 = f64_of(0x7FF4000000000000ull);
    CHECK(!wast_value_matches(&w, &g64));
    /* Exact floats compare bits: -0 is not 0, and the same NaN matches itself. */
    CHECK(parse_wast("{\"type\": \"f32\", \"value\": \"2147483648\"}", true, &w));
    got.of.f32 = 0.0f;
    CHECK(!wast_value_matches(&w, &got));
    got.of.f32 = f32_of(0x80000000u);
    CHECK(wast_value_matches(&w, &got));
    got.kind = TAHO_I32;
    CHECK(!wast_value_matches(&w, &got));   /* kinds must agree */
}

TEST(cli_wast_v128_lanes) {
    wast_value w;
    const char *text = "{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": "
                       "[\"1065353216\", \"nan:canonical\", \"nan:arithmetic\", \"0\"]}";
    CHECK(parse_wast(text, true, &w) && w.nlanes == 4 && w.match[1] == WAST_NAN_CANONICAL);
    taho_val got = {.kind = TAHO_V128};
    uint32_t lanes[4] = {0x3F800000u, 0xFFC00000u, 0x7FE00000u, 0};
    memcpy(got.of.v128, lanes, 16);
    CHECK(wast_value_matches(&w, &got));
    lanes[3] = 0x80000000u;
    memcpy(got.of.v128, lanes, 16);
    CHECK(!wast_value_matches(&w, &got));
    CHECK(parse_wast("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": [\"255\", \"0\", \"0\", \"0\", "
                     "\"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"128\"]}",
                     false, &w));
    CHECK(w.val.of.v128[0] == 255 && w.val.of.v128[15] == 128 && w.nlanes == 16);
    CHECK(parse_wast("{\"type\": \"v128\", \"lane_type\": \"i64\", \"value\": [\"1\", \"18446744073709551615\"]}",
                     false, &w));
    CHECK(w.val.of.v128[0] == 1 && w.val.of.v128[8] == 0xFF && w.val.of.v128[15] == 0xFF);
    CHECK(!parse_wast("{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": [\"1\"]}", false, &w));
    CHECK(!parse_wast("{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": [\"1\", \"2\", \"3\", \"4\", "
                      "\"5\", \"6\", \"7\", \"65536\"]}", false, &w));
    char buf[200];
    CHECK(parse_wast(text, true, &w));
    wast_format_expected(&w, buf, sizeof buf);
    CHECK(!strcmp(buf, "v128:f32x4 1 nan:canonical nan:arithmetic 0"));
}

TEST(cli_wast_refs) {
    wast_value w;
    taho_val got = {.kind = TAHO_EXTERNREF};
    CHECK(parse_wast("{\"type\": \"externref\", \"value\": \"0\"}", false, &w));
    CHECK(w.val.of.externref == wast_extern_ptr(0) && w.val.of.externref != NULL);
    got.of.externref = wast_extern_ptr(0);
    CHECK(wast_value_matches(&w, &got));
    got.of.externref = wast_extern_ptr(1);
    CHECK(!wast_value_matches(&w, &got));
    CHECK(parse_wast("{\"type\": \"externref\", \"value\": \"null\"}", false, &w));
    got.of.externref = NULL;
    CHECK(wast_value_matches(&w, &got));
    CHECK(parse_wast("{\"type\": \"funcref\"}", true, &w) && w.match[0] == WAST_ANY_REF);
    CHECK(!parse_wast("{\"type\": \"funcref\"}", false, &w));
    taho_val f = {.kind = TAHO_FUNCREF, .of.funcref = NULL};
    CHECK(parse_wast("{\"type\": \"funcref\"}", true, &w) && !wast_value_matches(&w, &f));
    f.of.funcref = (taho_func *)&w;   /* any non-null handle */
    CHECK(wast_value_matches(&w, &f));
    CHECK(parse_wast("{\"type\": \"funcref\", \"value\": \"null\"}", true, &w) && !wast_value_matches(&w, &f));
    CHECK(!parse_wast("{\"type\": \"funcref\", \"value\": \"3\"}", true, &w));
    char buf[100];
    CHECK(parse_wast("{\"type\": \"externref\", \"value\": \"7\"}", false, &w));
    wast_format_expected(&w, buf, sizeof buf);
    CHECK(!strcmp(buf, "externref:ref.extern 7"));
}
