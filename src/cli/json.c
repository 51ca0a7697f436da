/* json: a recursive-descent JSON parser with bounded depth; errors carry byte offsets. */
#include "json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const char *p, *start, *end;
    int depth;
    char *err;
    size_t errsz;
    bool failed;
} parser;

/* A growable byte or element buffer used while an item's final size is unknown. */
typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

static bool parse_value(parser *ps, json *out);

static bool fail(parser *ps, const char *msg) {
    if (!ps->failed && ps->err && ps->errsz)
        snprintf(ps->err, ps->errsz, "offset %zu: %s", (size_t)(ps->p - ps->start), msg);
    ps->failed = true;
    return false;
}

static bool buf_reserve(buf *b, size_t more) {
    if (b->cap - b->len >= more) return true;
    size_t cap = b->cap ? b->cap : 16;
    while (cap - b->len < more) {
        if (cap > SIZE_MAX / 2) return false;
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (!d) return false;
    b->data = d, b->cap = cap;
    return true;
}

static bool buf_put(buf *b, const void *src, size_t n) {
    if (!buf_reserve(b, n)) return false;
    memcpy(b->data + b->len, src, n);
    b->len += n;
    return true;
}

static void skip_ws(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static bool expect_word(parser *ps, const char *w) {
    size_t n = strlen(w);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, w, n) != 0) return fail(ps, "unexpected token");
    ps->p += n;
    return true;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool read_hex4(parser *ps, uint32_t *out) {
    if (ps->end - ps->p < 4) return fail(ps, "truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(ps->p[i]);
        if (d < 0) return fail(ps, "bad hex digit in \\u escape");
        v = v << 4 | (uint32_t)d;
    }
    ps->p += 4;
    *out = v;
    return true;
}

/* Encode cp as UTF-8; lone surrogates are kept (WTF-8) rather than rejected. */
static bool put_utf8(buf *b, uint32_t cp) {
    char s[4];
    size_t n;
    if (cp < 0x80) s[0] = (char)cp, n = 1;
    else if (cp < 0x800) s[0] = (char)(0xC0 | cp >> 6), s[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | cp >> 12), s[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    } else {
        s[0] = (char)(0xF0 | cp >> 18), s[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        s[2] = (char)(0x80 | (cp >> 6 & 0x3F)), s[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    }
    return buf_put(b, s, n);
}

/* After "\u": one code point, joining a surrogate pair when a low half follows. */
static bool parse_unicode_escape(parser *ps, buf *b) {
    uint32_t cp;
    if (!read_hex4(ps, &cp)) return false;
    if (cp >= 0xD800 && cp < 0xDC00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
        const char *save = ps->p;
        uint32_t lo;
        ps->p += 2;
        if (!read_hex4(ps, &lo)) return false;
        if (lo >= 0xDC00 && lo < 0xE000) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        else ps->p = save;
    }
    return put_utf8(b, cp) || fail(ps, "out of memory");
}

static bool parse_escape(parser *ps, buf *b) {
    if (ps->p >= ps->end) return fail(ps, "truncated escape");
    char c = *ps->p++, r;
    switch (c) {
    case '"': r = '"'; break;
    case '\\': r = '\\'; break;
    case '/': r = '/'; break;
    case 'b': r = '\b'; break;
    case 'f': r = '\f'; break;
    case 'n': r = '\n'; break;
    case 'r': r = '\r'; break;
    case 't': r = '\t'; break;
    case 'u': return parse_unicode_escape(ps, b);
    default: ps->p--; return fail(ps, "unknown escape");
    }
    return buf_put(b, &r, 1) || fail(ps, "out of memory");
}

/* At the opening quote. The result is malloc'ed, NUL-terminated, length in *len. */
static bool parse_string_raw(parser *ps, char **out, size_t *len) {
    buf b = {0};
    ps->p++;
    for (;;) {
        if (ps->p >= ps->end) { free(b.data); return fail(ps, "unterminated string"); }
        unsigned char c = (unsigned char)*ps->p;
        if (c == '"') break;
        if (c < 0x20) { free(b.data); return fail(ps, "control character in string"); }
        if (c == '\\') {
            ps->p++;
            if (!parse_escape(ps, &b)) { free(b.data); return false; }
            continue;
        }
        const char *run = ps->p;
        while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' && (unsigned char)*ps->p >= 0x20) ps->p++;
        if (!buf_put(&b, run, (size_t)(ps->p - run))) { free(b.data); return fail(ps, "out of memory"); }
    }
    ps->p++;
    if (!buf_put(&b, "", 1)) { free(b.data); return fail(ps, "out of memory"); }
    *out = b.data;
    *len = b.len - 1;
    return true;
}

static bool scan_digits(parser *ps) {
    const char *s = ps->p;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    return ps->p > s;
}

/* Checks the JSON number grammar first; strtod alone would accept hex, inf and more. */
static bool parse_number(parser *ps, json *out) {
    const char *s = ps->p;
    if (ps->p < ps->end && *ps->p == '-') ps->p++;
    if (ps->p < ps->end && *ps->p == '0') ps->p++;
    else if (!scan_digits(ps)) return fail(ps, "bad number");
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        if (!scan_digits(ps)) return fail(ps, "bad number fraction");
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) ps->p++;
        if (!scan_digits(ps)) return fail(ps, "bad number exponent");
    }
    char tmp[512];
    size_t n = (size_t)(ps->p - s);
    if (n >= sizeof tmp) return fail(ps, "number too long");
    memcpy(tmp, s, n);
    tmp[n] = 0;
    out->kind = JSON_NUMBER;
    out->u.num = strtod(tmp, NULL);
    return true;
}

static bool parse_array(parser *ps, json *out) {
    buf items = {0};
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') { ps->p++; goto done; }
    for (;;) {
        json item = {0};
        if (!parse_value(ps, &item)) goto error;
        if (!buf_put(&items, &item, sizeof item)) { json_free(&item); fail(ps, "out of memory"); goto error; }
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
        if (ps->p < ps->end && *ps->p == ']') { ps->p++; break; }
        fail(ps, "expected ',' or ']'");
        goto error;
    }
done:
    out->kind = JSON_ARRAY;
    out->len = items.len / sizeof(json);
    out->u.items = (json *)items.data;
    return true;
error:
    for (size_t i = 0; i < items.len / sizeof(json); i++) json_free(&((json *)items.data)[i]);
    free(items.data);
    return false;
}

static void free_members(json_member *m, size_t n) {
    for (size_t i = 0; i < n; i++) free(m[i].key), json_free(&m[i].value);
    free(m);
}

static bool parse_member(parser *ps, json_member *m) {
    skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != '"') return fail(ps, "expected a string key");
    if (!parse_string_raw(ps, &m->key, &m->keylen)) return false;
    skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != ':') { free(m->key); return fail(ps, "expected ':'"); }
    ps->p++;
    if (!parse_value(ps, &m->value)) { free(m->key); return false; }
    return true;
}

static bool parse_object(parser *ps, json *out) {
    buf ms = {0};
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') { ps->p++; goto done; }
    for (;;) {
        json_member m = {0};
        if (!parse_member(ps, &m)) goto error;
        if (!buf_put(&ms, &m, sizeof m)) {
            free(m.key), json_free(&m.value);
            fail(ps, "out of memory");
            goto error;
        }
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
        if (ps->p < ps->end && *ps->p == '}') { ps->p++; break; }
        fail(ps, "expected ',' or '}'");
        goto error;
    }
done:
    out->kind = JSON_OBJECT;
    out->len = ms.len / sizeof(json_member);
    out->u.members = (json_member *)ms.data;
    return true;
error:
    free_members((json_member *)ms.data, ms.len / sizeof(json_member));
    return false;
}

static bool parse_nested(parser *ps, json *out, bool (*fn)(parser *, json *)) {
    if (++ps->depth > JSON_MAX_DEPTH) return fail(ps, "nesting too deep");
    bool ok = fn(ps, out);
    ps->depth--;
    return ok;
}

static bool parse_value(parser *ps, json *out) {
    *out = (json){0};
    skip_ws(ps);
    if (ps->p >= ps->end) return fail(ps, "unexpected end of input");
    switch (*ps->p) {
    case '{': return parse_nested(ps, out, parse_object);
    case '[': return parse_nested(ps, out, parse_array);
    case '"':
        out->kind = JSON_STRING;
        return parse_string_raw(ps, &out->u.str, &out->len);
    case 't': out->kind = JSON_TRUE; return expect_word(ps, "true");
    case 'f': out->kind = JSON_FALSE; return expect_word(ps, "false");
    case 'n': out->kind = JSON_NULL; return expect_word(ps, "null");
    default: return parse_number(ps, out);
    }
}

bool json_parse(const char *text, size_t len, json *out, char *err, size_t errsz) {
    parser ps = {.p = text, .start = text, .end = text + len, .err = err, .errsz = errsz};
    if (err && errsz) err[0] = 0;
    *out = (json){0};
    if (!parse_value(&ps, out)) {
        json_free(out);
        return false;
    }
    skip_ws(&ps);
    if (ps.p != ps.end) {
        json_free(out);
        return fail(&ps, "trailing characters after the value");
    }
    return true;
}

void json_free(json *v) {
    if (!v) return;
    switch (v->kind) {
    case JSON_STRING: free(v->u.str); break;
    case JSON_ARRAY:
        for (size_t i = 0; i < v->len; i++) json_free(&v->u.items[i]);
        free(v->u.items);
        break;
    case JSON_OBJECT: free_members(v->u.members, v->len); break;
    default: break;
    }
    *v = (json){0};
}

const json *json_get(const json *obj, const char *key) {
    if (!obj || obj->kind != JSON_OBJECT) return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < obj->len; i++) {
        const json_member *m = &obj->u.members[i];
        if (m->keylen == n && memcmp(m->key, key, n) == 0) return &m->value;
    }
    return NULL;
}

const char *json_get_str(const json *obj, const char *key) {
    const json *v = json_get(obj, key);
    return v && v->kind == JSON_STRING ? v->u.str : NULL;
}

const json *json_get_array(const json *obj, const char *key) {
    const json *v = json_get(obj, key);
    return v && v->kind == JSON_ARRAY ? v : NULL;
}

bool json_get_num(const json *obj, const char *key, double *out) {
    const json *v = json_get(obj, key);
    if (!v || v->kind != JSON_NUMBER) return false;
    *out = v->u.num;
    return true;
}
