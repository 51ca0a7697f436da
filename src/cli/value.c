/* value: command-line text <-> Wasm values, exact to the bit for floats. */
#include "value.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Digits of an unsigned magnitude in base 10 or 16, refusing overflow of 64 bits. */
static bool parse_magnitude(const char *s, unsigned base, uint64_t *out) {
    uint64_t v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        int d = hexval(*s);
        if (d < 0 || (unsigned)d >= base) return false;
        if (v > (UINT64_MAX - (uint64_t)d) / base) return false;
        v = v * base + (uint64_t)d;
    }
    *out = v;
    return true;
}

bool cli_parse_int(const char *s, unsigned bits, uint64_t *out) {
    bool neg = false;
    if (*s == '-' || *s == '+') neg = *s++ == '-';
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16, s += 2;
    uint64_t m;
    if (!parse_magnitude(s, base, &m)) return false;
    uint64_t umax = bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
    uint64_t nmax = UINT64_C(1) << (bits - 1);   /* magnitude of the most negative value */
    if (neg ? m > nmax : m > umax) return false;
    *out = (neg ? (uint64_t)0 - m : m) & umax;
    return true;
}

/* "nan", "-nan", "nan:0xP": the payload must be non-zero and fit the mantissa. */
static bool parse_nan_bits(const char *s, unsigned mant_bits, uint64_t *out) {
    bool neg = false;
    if (*s == '-' || *s == '+') neg = *s++ == '-';
    if (strncmp(s, "nan", 3) != 0) return false;
    uint64_t mant_mask = (UINT64_C(1) << mant_bits) - 1;
    uint64_t payload = UINT64_C(1) << (mant_bits - 1);
    if (s[3] == ':') {
        if (s[4] != '0' || s[5] != 'x' || !parse_magnitude(s + 6, 16, &payload)) return false;
        if (payload == 0 || payload > mant_mask) return false;
    } else if (s[3] != 0) {
        return false;
    }
    unsigned exp_bits = mant_bits == 23 ? 8 : 11;
    uint64_t exp = ((UINT64_C(1) << exp_bits) - 1) << mant_bits;
    *out = (neg ? UINT64_C(1) << (mant_bits + exp_bits) : 0) | exp | payload;
    return true;
}

static bool is_float_text(const char *s) {
    return *s && !isspace((unsigned char)*s);
}

static bool parse_f32(const char *s, taho_val *out) {
    uint64_t bits;
    out->kind = TAHO_F32;
    if (parse_nan_bits(s, 23, &bits)) {
        uint32_t b = (uint32_t)bits;
        memcpy(&out->of.f32, &b, 4);
        return true;
    }
    char *end;
    if (!is_float_text(s)) return false;
    out->of.f32 = strtof(s, &end);
    return *end == 0 && !isnan(out->of.f32);
}

static bool parse_f64(const char *s, taho_val *out) {
    uint64_t bits;
    out->kind = TAHO_F64;
    if (parse_nan_bits(s, 52, &bits)) {
        memcpy(&out->of.f64, &bits, 8);
        return true;
    }
    char *end;
    if (!is_float_text(s)) return false;
    out->of.f64 = strtod(s, &end);
    return *end == 0 && !isnan(out->of.f64);
}

/* 0x + up to 32 hex digits, most significant first; byte 0 is the lowest. */
static bool parse_v128(const char *s, taho_val *out) {
    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
    s += 2;
    size_t n = strlen(s);
    if (n == 0 || n > 32) return false;
    out->kind = TAHO_V128;
    memset(out->of.v128, 0, 16);
    for (size_t i = 0; i < n; i++) {
        int d = hexval(s[n - 1 - i]);
        if (d < 0) return false;
        out->of.v128[i / 2] |= (uint8_t)(d << (i % 2 * 4));
    }
    return true;
}

bool cli_parse_val(taho_valkind k, const char *s, taho_val *out) {
    uint64_t u;
    memset(out, 0, sizeof *out);
    out->kind = k;
    switch (k) {
    case TAHO_I32:
        if (!cli_parse_int(s, 32, &u)) return false;
        out->of.i32 = (int32_t)(uint32_t)u;
        return true;
    case TAHO_I64:
        if (!cli_parse_int(s, 64, &u)) return false;
        out->of.i64 = (int64_t)u;
        return true;
    case TAHO_F32: return parse_f32(s, out);
    case TAHO_F64: return parse_f64(s, out);
    case TAHO_V128: return parse_v128(s, out);
    case TAHO_FUNCREF:
    case TAHO_EXTERNREF: return strcmp(s, "null") == 0;
    }
    return false;
}

static void format_nan(bool neg, uint64_t payload, uint64_t canonical, char *buf, size_t n) {
    if (payload == canonical) snprintf(buf, n, "%snan", neg ? "-" : "");
    else snprintf(buf, n, "%snan:0x%llx", neg ? "-" : "", (unsigned long long)payload);
}

/* The fewest digits that read back to the same bits. */
static void shortest_f32(float f, char *buf, size_t n) {
    for (int prec = 1; prec <= 9; prec++) {
        snprintf(buf, n, "%.*g", prec, (double)f);
        if (strtof(buf, NULL) == f) return;
    }
}

static void shortest_f64(double d, char *buf, size_t n) {
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) return;
    }
}

void cli_format_f32(float f, char *buf, size_t n) {
    uint32_t bits;
    memcpy(&bits, &f, 4);
    if (isnan(f)) format_nan(bits >> 31, bits & 0x7FFFFF, 0x400000, buf, n);
    else if (isinf(f)) snprintf(buf, n, "%sinf", f < 0 ? "-" : "");
    else shortest_f32(f, buf, n);
}

void cli_format_f64(double d, char *buf, size_t n) {
    uint64_t bits;
    memcpy(&bits, &d, 8);
    if (isnan(d)) format_nan(bits >> 63, bits & 0xFFFFFFFFFFFFFull, 1ull << 51, buf, n);
    else if (isinf(d)) snprintf(buf, n, "%sinf", d < 0 ? "-" : "");
    else shortest_f64(d, buf, n);
}

static void format_v128(const uint8_t *b, char *buf, size_t n) {
    uint32_t lane[4];
    memcpy(lane, b, 16);
    snprintf(buf, n, "i32x4 0x%08x 0x%08x 0x%08x 0x%08x", lane[0], lane[1], lane[2], lane[3]);
}

void cli_format_val(const taho_val *v, char *buf, size_t n) {
    switch (v->kind) {
    case TAHO_I32: snprintf(buf, n, "%d", v->of.i32); return;
    case TAHO_I64: snprintf(buf, n, "%lld", (long long)v->of.i64); return;
    case TAHO_F32: cli_format_f32(v->of.f32, buf, n); return;
    case TAHO_F64: cli_format_f64(v->of.f64, buf, n); return;
    case TAHO_V128: format_v128(v->of.v128, buf, n); return;
    case TAHO_FUNCREF: snprintf(buf, n, v->of.funcref ? "ref.func" : "ref.null func"); return;
    case TAHO_EXTERNREF:
        if (v->of.externref) snprintf(buf, n, "ref.extern %p", v->of.externref);
        else snprintf(buf, n, "ref.null extern");
        return;
    }
    snprintf(buf, n, "?");
}
