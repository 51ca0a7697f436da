/* wast_value: decode wast2json's bit-pattern values and compare results against them. */
#include "wast_value.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "value.h"

void *wast_extern_ptr(unsigned long long n) { return (void *)(uintptr_t)(n + 1); }

static bool set_err(char *err, size_t n, const char *msg, const char *detail) {
    snprintf(err, n, "%s%s%s", msg, detail ? ": " : "", detail ? detail : "");
    return false;
}

static bool kind_from_name(const char *s, taho_valkind *k) {
    static const struct { const char *name; taho_valkind kind; } names[] = {
        {"i32", TAHO_I32}, {"i64", TAHO_I64}, {"f32", TAHO_F32}, {"f64", TAHO_F64},
        {"v128", TAHO_V128}, {"funcref", TAHO_FUNCREF}, {"externref", TAHO_EXTERNREF},
    };
    for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(s, names[i].name)) return *k = names[i].kind, true;
    return false;
}

static unsigned lane_bytes(taho_valkind k) {
    return k == TAHO_I64 || k == TAHO_F64 ? 8 : k == TAHO_I32 || k == TAHO_F32 ? 4 : 0;
}

/* One number of `bytes` width (a scalar or a lane), little-endian into dst. Lanes also
   come as i8 and i16, which have no taho_valkind; `bytes` carries the width. */
static bool parse_bits(const char *s, unsigned bytes, bool is_float, bool allow_patterns,
                       uint8_t *dst, wast_match_kind *m, char *err, size_t n) {
    *m = WAST_EXACT;
    if (!s) return set_err(err, n, "value is not a string", NULL);
    if (is_float && (!strcmp(s, "nan:canonical") || !strcmp(s, "nan:arithmetic"))) {
        if (!allow_patterns) return set_err(err, n, "NaN pattern used as an argument", s);
        *m = s[4] == 'c' ? WAST_NAN_CANONICAL : WAST_NAN_ARITHMETIC;
        memset(dst, 0, bytes);
        return true;
    }
    uint64_t u;
    if (!cli_parse_int(s, bytes * 8, &u)) return set_err(err, n, "bad number", s);
    for (unsigned i = 0; i < bytes; i++) dst[i] = (uint8_t)(u >> (8 * i));
    return true;
}

static bool lane_shape(const char *lt, unsigned *bytes, bool *is_float, taho_valkind *k) {
    static const struct { const char *name; unsigned bytes; bool f; taho_valkind kind; } shapes[] = {
        {"i8", 1, false, TAHO_I32}, {"i16", 2, false, TAHO_I32}, {"i32", 4, false, TAHO_I32},
        {"i64", 8, false, TAHO_I64}, {"f32", 4, true, TAHO_F32}, {"f64", 8, true, TAHO_F64},
    };
    for (size_t i = 0; lt && i < sizeof shapes / sizeof shapes[0]; i++)
        if (!strcmp(lt, shapes[i].name)) {
            *bytes = shapes[i].bytes, *is_float = shapes[i].f, *k = shapes[i].kind;
            return true;
        }
    return false;
}

static bool parse_v128(const json *v, bool allow, wast_value *out, char *err, size_t n) {
    unsigned bytes;
    bool is_float;
    if (!lane_shape(json_get_str(v, "lane_type"), &bytes, &is_float, &out->lane_kind))
        return set_err(err, n, "v128 without a known lane_type", NULL);
    const json *lanes = json_get_array(v, "value");
    out->nlanes = 16 / bytes;
    if (!lanes || lanes->len != out->nlanes) return set_err(err, n, "v128 with the wrong number of lanes", NULL);
    if (bytes < 4) out->lane_kind = TAHO_I32;   /* formatted like i32 values */
    for (unsigned i = 0; i < out->nlanes; i++) {
        const json *l = &lanes->u.items[i];
        const char *s = l->kind == JSON_STRING ? l->u.str : NULL;
        if (!parse_bits(s, bytes, is_float, allow, out->val.of.v128 + i * bytes, &out->match[i], err, n))
            return false;
    }
    return true;
}

/* funcref/externref: "null", an extern index, or (expected only) nothing = any non-null. */
static bool parse_ref(const json *v, bool allow, wast_value *out, char *err, size_t n) {
    const char *s = json_get_str(v, "value");
    if (!s) {
        if (!allow) return set_err(err, n, "reference argument without a value", NULL);
        out->match[0] = WAST_ANY_REF;
        return true;
    }
    if (!strcmp(s, "null")) return true;
    uint64_t idx;
    if (out->val.kind != TAHO_EXTERNREF || !cli_parse_int(s, 64, &idx))
        return set_err(err, n, "bad reference value", s);
    out->val.of.externref = wast_extern_ptr(idx);
    return true;
}

bool wast_parse_value(const json *v, bool allow_patterns, wast_value *out, char *err, size_t n) {
    memset(out, 0, sizeof *out);
    if (!kind_from_name(json_get_str(v, "type"), &out->val.kind))
        return set_err(err, n, "unknown value type", json_get_str(v, "type"));
    switch (out->val.kind) {
    case TAHO_V128: return parse_v128(v, allow_patterns, out, err, n);
    case TAHO_FUNCREF:
    case TAHO_EXTERNREF: return parse_ref(v, allow_patterns, out, err, n);
    default: {
        bool is_float = out->val.kind == TAHO_F32 || out->val.kind == TAHO_F64;
        unsigned bytes = lane_bytes(out->val.kind);
        uint8_t raw[8];
        if (!parse_bits(json_get_str(v, "value"), bytes, is_float, allow_patterns, raw, &out->match[0], err, n))
            return false;
        memcpy(&out->val.of, raw, bytes);   /* little-endian host: the union starts at byte 0 */
        return true;
    }
    }
}

static bool float_lane_matches(wast_match_kind m, const uint8_t *want, const uint8_t *got, unsigned bytes) {
    uint64_t g = 0;
    memcpy(&g, got, bytes);
    uint64_t quiet = bytes == 4 ? 0x7FC00000u : 0x7FF8000000000000ull;
    uint64_t abs = g & (bytes == 4 ? 0x7FFFFFFFu : 0x7FFFFFFFFFFFFFFFull);
    switch (m) {
    case WAST_NAN_CANONICAL: return abs == quiet;
    case WAST_NAN_ARITHMETIC: return (g & quiet) == quiet;
    default: return memcmp(want, got, bytes) == 0;
    }
}

static bool v128_matches(const wast_value *want, const uint8_t *got) {
    unsigned bytes = 16 / want->nlanes;
    bool is_float = want->lane_kind == TAHO_F32 || want->lane_kind == TAHO_F64;
    for (unsigned i = 0; i < want->nlanes; i++) {
        const uint8_t *w = want->val.of.v128 + i * bytes, *g = got + i * bytes;
        if (is_float ? !float_lane_matches(want->match[i], w, g, bytes) : memcmp(w, g, bytes) != 0) return false;
    }
    return true;
}

bool wast_value_matches(const wast_value *want, const taho_val *got) {
    const taho_val *w = &want->val;
    if (got->kind != w->kind) return false;
    switch (w->kind) {
    case TAHO_I32: return got->of.i32 == w->of.i32;
    case TAHO_I64: return got->of.i64 == w->of.i64;
    case TAHO_F32:
    case TAHO_F64:
        return float_lane_matches(want->match[0], (const uint8_t *)&w->of, (const uint8_t *)&got->of,
                                  lane_bytes(w->kind));
    case TAHO_V128: return v128_matches(want, got->of.v128);
    case TAHO_FUNCREF:
        return want->match[0] == WAST_ANY_REF ? got->of.funcref != NULL : got->of.funcref == w->of.funcref;
    case TAHO_EXTERNREF:
        return want->match[0] == WAST_ANY_REF ? got->of.externref != NULL : got->of.externref == w->of.externref;
    }
    return false;
}

static const char *match_text(wast_match_kind m) {
    return m == WAST_NAN_CANONICAL ? "nan:canonical" : m == WAST_NAN_ARITHMETIC ? "nan:arithmetic" : "any";
}

/* Lanes in the script's shape, so expected and got line up: "f32x4 1 nan:canonical 0 0". */
static void format_lanes(const uint8_t *b, const wast_value *shape, char *buf, size_t n) {
    unsigned nl = shape->nlanes, bytes = 16 / nl;
    size_t used = (size_t)snprintf(buf, n, "%s%ux%u", shape->lane_kind == TAHO_F32 || shape->lane_kind == TAHO_F64
                                                         ? "f" : "i", bytes * 8, nl);
    for (unsigned i = 0; i < nl && used < n; i++) {
        char t[CLI_VAL_TEXT_MAX];
        taho_val lane = {.kind = shape->lane_kind};
        uint64_t u = 0;
        memcpy(&u, b + i * bytes, bytes);
        memcpy(&lane.of, &u, 8);
        if (bytes < 4) snprintf(t, sizeof t, "%llu", (unsigned long long)u);
        else if (shape->match[i] != WAST_EXACT) snprintf(t, sizeof t, "%s", match_text(shape->match[i]));
        else cli_format_val(&lane, t, sizeof t);
        used += (size_t)snprintf(buf + used, n - used, " %s", t);
    }
}

static void format_val(const taho_val *v, const wast_value *shape, bool use_match, char *buf, size_t n) {
    char t[160];
    const char *kind = taho_valkind_name(v->kind);
    if (use_match && shape->match[0] != WAST_EXACT && v->kind != TAHO_V128) {
        snprintf(buf, n, "%s:%s", kind, match_text(shape->match[0]));
        return;
    }
    if (v->kind == TAHO_V128 && shape && shape->nlanes) {
        wast_value s = *shape;
        if (!use_match) memset(s.match, 0, sizeof s.match);
        format_lanes(v->of.v128, &s, t, sizeof t);
    } else if (v->kind == TAHO_EXTERNREF && v->of.externref) {
        snprintf(t, sizeof t, "ref.extern %llu", (unsigned long long)((uintptr_t)v->of.externref - 1));
    } else {
        cli_format_val(v, t, sizeof t);
    }
    snprintf(buf, n, "%s:%s", kind ? kind : "?", t);
}

void wast_format_expected(const wast_value *want, char *buf, size_t n) {
    format_val(&want->val, want, true, buf, n);
}

void wast_format_got_as(const taho_val *got, const wast_value *shape, char *buf, size_t n) {
    format_val(got, shape && shape->val.kind == TAHO_V128 ? shape : NULL, false, buf, n);
}

void wast_format_got(const taho_val *got, char *buf, size_t n) { wast_format_got_as(got, NULL, buf, n); }
