/* toml: a TOML 1.0 reader (https://toml.io/en/v1.0.0), our own, for taho.toml. One
   recursive-descent pass builds the tree; the redefinition rules are enforced as keys
   and headers arrive, using a few flags on each table. */
#include "toml.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Table flags: how a table came to exist decides what may later add to it. */
enum {
    F_IMPLICIT = 1,  /* made as a parent by a header ([a.b] makes a): [a] may define it later */
    F_DEFINED = 2,   /* defined by its own header: never again */
    F_DOTTED = 4,    /* made by dotted keys: more dotted keys in the same table may extend it */
    F_INLINE = 8,    /* an inline table (or inside one): closed for good */
    F_AOT = 16,      /* an array made by [[header]]: the only kind [[header]] may append to */
};

typedef struct keypart {
    char *s;
    size_t len, pos;
} keypart;

typedef struct key {
    keypart *parts;
    size_t n, cap;
} key;

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

typedef struct parser {
    const char *s;
    size_t len, pos;
    toml_error *err;
    bool failed;
    toml_value *root, *cur;
    /* position cache for line/column: positions are mostly asked for in order */
    size_t lc_pos, lc_line_start;
    int lc_line;
} parser;

static const char *a_or_an(toml_type t) { return t == TOML_INTEGER || t == TOML_ARRAY ? "an" : "a"; }

const char *toml_type_name(toml_type t) {
    static const char *const names[] = {"string", "integer", "float", "boolean", "datetime", "array", "table"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

/* ---- positions and errors ---- */

static void linecol(parser *p, size_t pos, int *line, int *col) {
    if (pos > p->len) pos = p->len;
    if (pos < p->lc_pos) p->lc_pos = p->lc_line_start = 0, p->lc_line = 1;
    for (; p->lc_pos < pos; p->lc_pos++)
        if (p->s[p->lc_pos] == '\n') p->lc_line++, p->lc_line_start = p->lc_pos + 1;
    int c = 1;
    for (size_t i = p->lc_line_start; i < pos; i++)
        if (((unsigned char)p->s[i] & 0xC0) != 0x80) c++;
    *line = p->lc_line;
    *col = c;
}

__attribute__((format(printf, 3, 4)))
static bool fail_at(parser *p, size_t pos, const char *fmt, ...) {
    if (p->failed) return false;
    p->failed = true;
    linecol(p, pos, &p->err->line, &p->err->col);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    va_end(ap);
    return false;
}

static bool oom(parser *p) { return fail_at(p, p->pos, "out of memory"); }

/* A character for a message: printable ASCII as itself, the rest as U+XXXX. */
static const char *show_char(parser *p, size_t pos, char *tmp, size_t n) {
    if (pos >= p->len) return "end of file";
    unsigned char c = (unsigned char)p->s[pos];
    if (c == '\n') return "a newline";
    if (c == '\r') return "a carriage return without a newline";
    if (c >= 0x20 && c < 0x7F) snprintf(tmp, n, "'%c'", c);
    else snprintf(tmp, n, "byte 0x%02X", c);
    return tmp;
}

static bool unexpected(parser *p, const char *wanted) {
    char tmp[16];
    return fail_at(p, p->pos, "expected %s, found %s", wanted, show_char(p, p->pos, tmp, sizeof tmp));
}

/* ---- values and tables ---- */

static toml_value *new_value(parser *p, toml_type t, size_t pos) {
    toml_value *v = calloc(1, sizeof *v);
    if (!v) return oom(p), NULL;
    v->type = t;
    linecol(p, pos, &v->line, &v->col);
    return v;
}

void toml_free(toml_value *v) {
    if (!v) return;
    if (v->type == TOML_STRING) free(v->u.str);
    else if (v->type == TOML_ARRAY) {
        for (size_t i = 0; i < v->len; i++) toml_free(v->u.items[i]);
        free(v->u.items);
    } else if (v->type == TOML_TABLE) {
        for (size_t i = 0; i < v->len; i++) {
            free(v->u.entries[i].key);
            toml_free(v->u.entries[i].value);
        }
        free(v->u.entries);
    }
    free(v);
}

static toml_keyval *find_n(const toml_value *t, const char *k, size_t n) {
    for (size_t i = 0; i < t->len; i++)
        if (t->u.entries[i].keylen == n && !memcmp(t->u.entries[i].key, k, n)) return &t->u.entries[i];
    return NULL;
}

const toml_keyval *toml_find(const toml_value *t, const char *key) {
    if (!t || t->type != TOML_TABLE) return NULL;
    return find_n(t, key, strlen(key));
}

static bool grow(parser *p, void **items, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return true;
    size_t c = *cap ? *cap * 2 : 4;
    while (c < need) c *= 2;
    void *n = realloc(*items, c * elem);
    if (!n) return oom(p);
    *items = n;
    *cap = c;
    return true;
}

/* Adds key -> v to table t (which takes v, even on failure). */
static bool table_add(parser *p, toml_value *t, const keypart *k, toml_value *v) {
    if (!grow(p, (void **)&t->u.entries, &t->cap, t->len + 1, sizeof *t->u.entries)) return toml_free(v), false;
    char *copy = malloc(k->len + 1);
    if (!copy) return toml_free(v), oom(p);
    memcpy(copy, k->s, k->len);
    copy[k->len] = 0;
    toml_keyval *e = &t->u.entries[t->len++];
    *e = (toml_keyval){copy, k->len, 0, 0, v};
    linecol(p, k->pos, &e->line, &e->col);
    return true;
}

static bool array_add(parser *p, toml_value *a, toml_value *v) {
    if (!grow(p, (void **)&a->u.items, &a->cap, a->len + 1, sizeof *a->u.items)) return toml_free(v), false;
    a->u.items[a->len++] = v;
    return true;
}

/* ---- characters ---- */

static int peek(const parser *p, size_t ahead) {
    return p->pos + ahead < p->len ? (unsigned char)p->s[p->pos + ahead] : -1;
}

static void skip_ws(parser *p) {
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')) p->pos++;
}

static bool at_newline(const parser *p) {
    return peek(p, 0) == '\n' || (peek(p, 0) == '\r' && peek(p, 1) == '\n');
}

static void eat_newline(parser *p) { p->pos += peek(p, 0) == '\r' ? 2 : 1; }

/* Control characters other than tab are allowed nowhere but as escapes. */
static bool is_control(int c) { return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7F; }

/* A comment runs to the end of the line; the caller has seen '#'. */
static bool skip_comment(parser *p) {
    for (p->pos++; p->pos < p->len && !at_newline(p); p->pos++) {
        int c = peek(p, 0);
        if (is_control(c)) return fail_at(p, p->pos, "control character U+%04X in a comment", c);
    }
    return true;
}

/* Blanks, newlines and comments, as between array elements. */
static bool skip_ws_nl(parser *p) {
    for (;;) {
        skip_ws(p);
        if (at_newline(p)) eat_newline(p);
        else if (peek(p, 0) == '#') { if (!skip_comment(p)) return false; }
        else return true;
    }
}

/* Offset of the first byte that is not well-formed UTF-8 (no surrogates, no overlongs),
   or len. */
static size_t utf8_check(const unsigned char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : 0;
        if (n == 0 || c > 0xF4 || len - i <= n) return i;
        uint32_t cp = c & (0x3F >> n);
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return len;
}

/* ---- strings ---- */

static bool buf_put(parser *p, buf *b, const char *s, size_t n) {
    if (!grow(p, (void **)&b->p, &b->cap, b->len + n + 1, 1)) return false;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
    return true;
}

static bool buf_utf8(parser *p, buf *b, uint32_t cp) {
    char o[4];
    size_t n;
    if (cp < 0x80) o[0] = (char)cp, n = 1;
    else if (cp < 0x800) o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12), o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    } else {
        o[0] = (char)(0xF0 | cp >> 18), o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    }
    return buf_put(p, b, o, n);
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* \uXXXX or \UXXXXXXXX; p->pos is at 'u' or 'U'. */
static bool unicode_escape(parser *p, buf *b) {
    size_t start = p->pos - 1;
    int n = peek(p, 0) == 'u' ? 4 : 8;
    uint32_t cp = 0;
    for (int i = 1; i <= n; i++) {
        int h = hexval(peek(p, (size_t)i));
        if (h < 0) return fail_at(p, start, "\\%c needs %d hex digits", n == 4 ? 'u' : 'U', n);
        cp = cp << 4 | (uint32_t)h;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return fail_at(p, start, "\\%c%0*X is not a Unicode scalar value", n == 4 ? 'u' : 'U', n, cp);
    p->pos += (size_t)n + 1;
    return buf_utf8(p, b, cp);
}

/* An escape in a basic string; p->pos is at the backslash. */
static bool escape(parser *p, buf *b) {
    p->pos++;
    int c = peek(p, 0);
    const char *map = "b\bt\tn\nf\fr\r\"\"\\\\";
    for (const char *m = map; *m; m += 2)
        if (c == *m) return p->pos++, buf_put(p, b, m + 1, 1);
    if (c == 'u' || c == 'U') return unicode_escape(p, b);
    char tmp[16];
    return fail_at(p, p->pos - 1, "invalid escape \\%s in a string",
                   c >= 0x20 && c < 0x7F ? (snprintf(tmp, sizeof tmp, "%c", c), tmp) : "(control or end)");
}

/* After a backslash at the end of a line in a multi-line basic string: skip blanks and
   newlines. false (without error) if the backslash is not followed by a newline. */
static bool line_ending_backslash(parser *p) {
    size_t q = p->pos + 1;
    while (q < p->len && (p->s[q] == ' ' || p->s[q] == '\t')) q++;
    if (!(q < p->len && (p->s[q] == '\n' || (p->s[q] == '\r' && q + 1 < p->len && p->s[q + 1] == '\n'))))
        return false;
    p->pos = q;
    for (;;) {
        skip_ws(p);
        if (!at_newline(p)) return true;
        eat_newline(p);
    }
}

/* Up to two quotes may end the content just before the closing delimiter. */
static bool ml_close(parser *p, buf *b, char q, bool *done) {
    size_t n = 0;
    while (peek(p, n) == q) n++;
    if (n < 3) return p->pos += n, buf_put(p, b, p->s + p->pos - n, n);
    if (n > 5) return fail_at(p, p->pos + 5, "too many quotes at the end of a multi-line string");
    p->pos += n;
    *done = true;
    return buf_put(p, b, p->s + p->pos - n, n - 3);
}

/* A string of either kind, single- or multi-line; p->pos is at the opening quote. */
static bool parse_string(parser *p, buf *b, bool allow_multi) {
    size_t start = p->pos;
    char q = p->s[p->pos];
    bool multi = peek(p, 1) == q && peek(p, 2) == q;
    if (multi && !allow_multi) return fail_at(p, start, "a key cannot be a multi-line string");
    p->pos += multi ? 3 : 1;
    if (!buf_put(p, b, "", 0)) return false;
    if (multi && at_newline(p)) eat_newline(p);   /* a newline right after """ is dropped */
    for (bool done = false; !done;) {
        int c = peek(p, 0);
        if (c < 0) return fail_at(p, start, "unterminated string");
        if (c == q && !multi) { p->pos++; return true; }
        if (c == q) { if (!ml_close(p, b, q, &done)) return false; continue; }
        if (multi && at_newline(p)) { eat_newline(p); if (!buf_put(p, b, "\n", 1)) return false; continue; }
        if (c == '\n') return fail_at(p, p->pos, "newline in a single-line string");
        if (c == '\r') return fail_at(p, p->pos, "carriage return without a newline");
        if (is_control(c)) return fail_at(p, p->pos, "control character U+%04X in a string (use an escape)", c);
        if (c == '\\' && q == '"') {
            if (multi && line_ending_backslash(p)) continue;
            if (!escape(p, b)) return false;
            continue;
        }
        if (!buf_put(p, b, p->s + p->pos, 1)) return false;
        p->pos++;
    }
    return true;
}

/* ---- keys ---- */

static bool is_bare(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static void key_free(key *k) {
    for (size_t i = 0; i < k->n; i++) free(k->parts[i].s);
    free(k->parts);
    *k = (key){0};
}

static bool simple_key(parser *p, key *k) {
    if (k->n >= TOML_MAX_DEPTH) return fail_at(p, p->pos, "key has more than %d parts", TOML_MAX_DEPTH);
    if (!grow(p, (void **)&k->parts, &k->cap, k->n + 1, sizeof *k->parts)) return false;
    keypart *part = &k->parts[k->n];
    *part = (keypart){0};
    part->pos = p->pos;
    int c = peek(p, 0);
    buf b = {0};
    if (c == '"' || c == '\'') {
        if (!parse_string(p, &b, false)) return free(b.p), false;
    } else if (is_bare(c)) {
        size_t s = p->pos;
        while (is_bare(peek(p, 0))) p->pos++;
        if (!buf_put(p, &b, p->s + s, p->pos - s)) return free(b.p), false;
    } else return unexpected(p, "a key");
    part->s = b.p;
    part->len = b.len;
    k->n++;
    return true;
}

/* key = simple-key *( ws "." ws simple-key ) */
static bool parse_key(parser *p, key *k) {
    if (!simple_key(p, k)) return false;
    for (;;) {
        size_t save = p->pos;
        skip_ws(p);
        if (peek(p, 0) != '.') { p->pos = save; return true; }
        p->pos++;
        skip_ws(p);
        if (!simple_key(p, k)) return false;
    }
}

/* "a.b.c" for the first n parts, for messages. */
static const char *key_text(const key *k, size_t n, char *out, size_t size) {
    size_t used = 0;
    out[0] = 0;
    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%.*s", i ? "." : "", (int)k->parts[i].len, k->parts[i].s);
    return out;
}

/* ---- scalars: numbers, booleans, dates and times ---- */

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

static bool token_char(int c) {
    return is_bare(c) || c == '+' || c == '.' || c == ':';
}

/* Digits in base `base` with single underscores between them; copies the digits to out.
   Returns the count of digits, or -1 if an underscore is misplaced. */
static int digits(const char *s, size_t n, size_t *i, int base, char *out, size_t *olen) {
    int count = 0;
    bool prev_digit = false;
    for (; *i < n; (*i)++) {
        int c = (unsigned char)s[*i];
        int v = hexval(c);
        if (c == '_') {
            if (!prev_digit || *i + 1 >= n || hexval((unsigned char)s[*i + 1]) < 0 ||
                hexval((unsigned char)s[*i + 1]) >= base)
                return -1;
            prev_digit = false;
            continue;
        }
        if (v < 0 || v >= base) break;
        out[(*olen)++] = (char)c;
        count++;
        prev_digit = true;
    }
    return count;
}

static bool int_from_digits(const char *d, int base, bool neg, int64_t *out) {
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, v = 0;
    for (const char *c = d; *c; c++) {
        uint64_t h = (uint64_t)hexval((unsigned char)*c);
        if (v > (limit - h) / (uint64_t)base) return false;
        v = v * (uint64_t)base + h;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* Room for the digits of a number; longer ones are refused (no real setting needs them). */
#define NUM_MAX 500

static bool too_big(parser *p, size_t at, const char *t, size_t n) {
    return fail_at(p, at, "integer '%.*s' does not fit in 64 bits", (int)n, t);
}

/* 0x, 0o, 0b integers; t[i] is the '0'. */
static bool parse_prefixed(parser *p, toml_value *v, const char *t, size_t n, size_t i, size_t at) {
    int base = t[i + 1] == 'x' ? 16 : t[i + 1] == 'o' ? 8 : 2;
    const char *name = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
    if (i > 0) return fail_at(p, at, "a %s integer cannot have a sign", name);
    char d[NUM_MAX + 8];
    size_t dl = 0;
    i += 2;
    if (digits(t, n, &i, base, d, &dl) <= 0 || i != n)
        return fail_at(p, at, "invalid %s integer '%.*s'", name, (int)n, t);
    d[dl] = 0;
    v->type = TOML_INTEGER;
    return int_from_digits(d, base, false, &v->u.i) || too_big(p, at, t, n);
}

/* Decimal integers and floats: digits with underscores copied to d without them. */
static bool parse_decimal(parser *p, toml_value *v, const char *t, size_t n, size_t at) {
    char d[NUM_MAX + 8];
    size_t dl = 0, i = 0;
    bool sign = t[0] == '-' || t[0] == '+', is_float = false;
    if (sign) d[dl++] = t[i++];
    int nd = digits(t, n, &i, 10, d, &dl);
    if (nd <= 0) return fail_at(p, at, "invalid number '%.*s'", (int)n, t);
    if (nd > 1 && d[sign] == '0') return fail_at(p, at, "leading zeros are not allowed in '%.*s'", (int)n, t);
    if (i < n && t[i] == '.') {
        d[dl++] = t[i++];
        if (digits(t, n, &i, 10, d, &dl) <= 0)
            return fail_at(p, at, "invalid float '%.*s': a digit must follow the '.'", (int)n, t);
        is_float = true;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        d[dl++] = t[i++];
        if (i < n && (t[i] == '+' || t[i] == '-')) d[dl++] = t[i++];
        if (digits(t, n, &i, 10, d, &dl) <= 0) return fail_at(p, at, "invalid float '%.*s': bad exponent", (int)n, t);
        is_float = true;
    }
    if (i != n) return fail_at(p, at, "invalid number '%.*s'", (int)n, t);
    d[dl] = 0;
    if (is_float) {
        v->type = TOML_FLOAT;
        v->u.f = strtod(d, NULL);
        return true;
    }
    v->type = TOML_INTEGER;
    return int_from_digits(d + sign, 10, t[0] == '-', &v->u.i) || too_big(p, at, t, n);
}

static bool parse_number(parser *p, toml_value *v, const char *t, size_t n, size_t at) {
    if (n > NUM_MAX) return fail_at(p, at, "number longer than %d characters", NUM_MAX);
    size_t i = t[0] == '-' || t[0] == '+';
    if (n - i > 2 && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'o' || t[i + 1] == 'b'))
        return parse_prefixed(p, v, t, n, i, at);
    return parse_decimal(p, v, t, n, at);
}

/* n exact digits at t[*i] as an int; -1 if they are not digits. */
static int fixed(const char *t, size_t len, size_t *i, int n) {
    int v = 0;
    for (int k = 0; k < n; k++, (*i)++) {
        if (*i >= len || !is_digit((unsigned char)t[*i])) return -1;
        v = v * 10 + (t[*i] - '0');
    }
    return v;
}

static int days_in_month(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

static bool parse_date(const char *t, size_t n, size_t *i, toml_datetime *dt) {
    dt->year = fixed(t, n, i, 4);
    if (dt->year < 0 || *i >= n || t[(*i)++] != '-') return false;
    dt->month = fixed(t, n, i, 2);
    if (dt->month < 1 || dt->month > 12 || *i >= n || t[(*i)++] != '-') return false;
    dt->day = fixed(t, n, i, 2);
    dt->has_date = true;
    return dt->day >= 1 && dt->day <= days_in_month(dt->year, dt->month);
}

static bool parse_time(const char *t, size_t n, size_t *i, toml_datetime *dt) {
    dt->hour = fixed(t, n, i, 2);
    if (dt->hour < 0 || dt->hour > 23 || *i >= n || t[(*i)++] != ':') return false;
    dt->minute = fixed(t, n, i, 2);
    if (dt->minute < 0 || dt->minute > 59 || *i >= n || t[(*i)++] != ':') return false;
    dt->second = fixed(t, n, i, 2);
    if (dt->second < 0 || dt->second > 60) return false;   /* 60: a leap second */
    dt->has_time = true;
    if (*i < n && t[*i] == '.') {
        (*i)++;
        int k = 0;
        int32_t ns = 0;
        for (; *i < n && is_digit((unsigned char)t[*i]); (*i)++, k++)
            if (k < 9) ns = ns * 10 + (t[*i] - '0');
        if (k == 0) return false;
        for (; k < 9; k++) ns *= 10;
        dt->nanosecond = ns;
    }
    return true;
}

static bool parse_offset(const char *t, size_t n, size_t *i, toml_datetime *dt) {
    if (*i >= n) return true;
    if (t[*i] == 'Z' || t[*i] == 'z') return (*i)++, dt->has_offset = true;
    if (t[*i] != '+' && t[*i] != '-') return false;
    int sign = t[(*i)++] == '-' ? -1 : 1;
    int h = fixed(t, n, i, 2);
    if (h < 0 || h > 23 || *i >= n || t[(*i)++] != ':') return false;
    int m = fixed(t, n, i, 2);
    if (m < 0 || m > 59) return false;
    dt->offset_minutes = sign * (h * 60 + m);
    return dt->has_offset = true;
}

static bool parse_datetime(parser *p, toml_value *v, const char *t, size_t n, size_t at) {
    toml_datetime dt = {0};
    size_t i = 0;
    bool ok;
    if (n > 2 && t[2] == ':') ok = parse_time(t, n, &i, &dt);
    else {
        ok = parse_date(t, n, &i, &dt);
        if (ok && i < n) {
            char d = t[i++];
            ok = (d == 'T' || d == 't' || d == ' ') && parse_time(t, n, &i, &dt) && parse_offset(t, n, &i, &dt);
        }
    }
    if (!ok || i != n) return fail_at(p, at, "invalid date or time '%.*s'", (int)n, t);
    v->type = TOML_DATETIME;
    v->u.dt = dt;
    return true;
}

static bool looks_like_date(const char *t, size_t n) {
    return n >= 10 && is_digit((unsigned char)t[0]) && is_digit((unsigned char)t[3]) && t[4] == '-';
}

/* A bare token: a number, a boolean, inf/nan, or a date/time. A local date followed by a
   space and a time is one date-time. */
static bool parse_scalar(parser *p, toml_value *v) {
    size_t at = p->pos;
    while (token_char(peek(p, 0))) p->pos++;
    if (p->pos - at == 10 && looks_like_date(p->s + at, 10) && peek(p, 0) == ' ' && is_digit(peek(p, 1)) &&
        is_digit(peek(p, 2)) && peek(p, 3) == ':')
        for (p->pos++; token_char(peek(p, 0));) p->pos++;
    const char *t = p->s + at;
    size_t n = p->pos - at;
    if (n == 0) return unexpected(p, "a value");
#define IS(lit) (n == sizeof lit - 1 && !memcmp(t, lit, n))
    if (IS("true") || IS("false")) return v->type = TOML_BOOL, v->u.b = t[0] == 't', true;
    bool inf = IS("inf") || IS("+inf") || IS("-inf"), nan = IS("nan") || IS("+nan") || IS("-nan");
    if (inf || nan) {
        v->type = TOML_FLOAT;
        v->u.f = inf ? __builtin_inf() : __builtin_nan("");
        if (t[0] == '-') v->u.f = -v->u.f;
        return true;
    }
#undef IS
    if ((n > 2 && t[2] == ':') || looks_like_date(t, n)) return parse_datetime(p, v, t, n, at);
    if (!is_digit((unsigned char)t[0]) && t[0] != '+' && t[0] != '-') {
        p->pos = at;
        return fail_at(p, at, "expected a value, found '%.*s' (strings need quotes)", (int)(n > 40 ? 40 : n), t);
    }
    return parse_number(p, v, t, n, at);
}

/* ---- arrays, inline tables, key/value pairs ---- */

static toml_value *parse_value(parser *p, int depth);

static bool parse_array(parser *p, toml_value *a, int depth) {
    p->pos++;
    for (;;) {
        if (!skip_ws_nl(p)) return false;
        if (peek(p, 0) == ']') return p->pos++, true;
        toml_value *item = parse_value(p, depth + 1);
        if (!item || !array_add(p, a, item)) return false;
        if (!skip_ws_nl(p)) return false;
        if (peek(p, 0) == ',') p->pos++;
        else if (peek(p, 0) == ']') return p->pos++, true;
        else return unexpected(p, "',' or ']' in an array");
    }
}

/* A new table for part i of k, marked `flag` (how it came to be), added to t. */
static toml_value *new_child_table(parser *p, toml_value *t, const key *k, size_t i, int flag) {
    toml_value *nt = new_value(p, TOML_TABLE, k->parts[i].pos);
    if (!nt) return NULL;
    nt->flags = flag;
    return table_add(p, t, &k->parts[i], nt) ? nt : NULL;
}

/* Walks (and makes) the tables of a dotted key's leading parts, starting at t. Tables
   with a [header] of their own, and inline tables, are closed to dotted keys. */
static toml_value *dotted_parent(parser *p, toml_value *t, const key *k) {
    char name[256];
    for (size_t i = 0; i + 1 < k->n; i++) {
        toml_keyval *e = find_n(t, k->parts[i].s, k->parts[i].len);
        if (!e) {
            if (!(t = new_child_table(p, t, k, i, F_DOTTED))) return NULL;
            continue;
        }
        toml_value *v = e->value;
        if (v->type != TOML_TABLE)
            return fail_at(p, k->parts[i].pos, "'%s' is already defined as %s %s (line %d), not a table",
                           key_text(k, i + 1, name, sizeof name), a_or_an(v->type), toml_type_name(v->type), e->line), NULL;
        if (v->flags & F_INLINE)
            return fail_at(p, k->parts[i].pos, "cannot add keys to '%s': inline tables are closed (line %d)",
                           key_text(k, i + 1, name, sizeof name), e->line), NULL;
        if (v->flags & F_DEFINED)
            return fail_at(p, k->parts[i].pos, "cannot add keys to table '%s' with dotted keys: it has its own [header] (line %d)",
                           key_text(k, i + 1, name, sizeof name), v->line), NULL;
        v->flags |= F_DOTTED;   /* a parent made by a header is now defined by these keys */
        t = v;
    }
    return t;
}

/* key ws "=" ws value, added to table t. */
static bool parse_keyval(parser *p, toml_value *t, int depth) {
    key k = {0};
    bool ok = parse_key(p, &k);
    if (ok) {
        skip_ws(p);
        if (peek(p, 0) != '=') ok = unexpected(p, "'=' after a key");
        else {
            p->pos++;
            skip_ws(p);
        }
    }
    toml_value *parent = ok ? dotted_parent(p, t, &k) : NULL;
    toml_value *v = parent ? parse_value(p, depth) : NULL;
    const keypart *last = k.n ? &k.parts[k.n - 1] : NULL;
    toml_keyval *dup = v ? find_n(parent, last->s, last->len) : NULL;
    if (dup) {
        char name[256];
        toml_free(v);
        ok = fail_at(p, last->pos, "duplicate key '%s' (first defined on line %d)", key_text(&k, k.n, name, sizeof name), dup->line);
    } else ok = v && table_add(p, parent, last, v);
    key_free(&k);
    return ok;
}

/* Once closed, an inline table and the tables its dotted keys made are sealed. */
static void seal(toml_value *t) {
    t->flags |= F_INLINE;
    for (size_t i = 0; i < t->len; i++)
        if (t->u.entries[i].value->type == TOML_TABLE) seal(t->u.entries[i].value);
}

static bool inline_newline(parser *p) {
    return fail_at(p, p->pos, "newline inside an inline table (TOML 1.0 keeps them on one line)");
}

static bool parse_inline_table(parser *p, toml_value *t, int depth) {
    p->pos++;
    skip_ws(p);
    if (peek(p, 0) == '}') return p->pos++, seal(t), true;
    for (;;) {
        if (at_newline(p)) return inline_newline(p);
        if (!parse_keyval(p, t, depth + 1)) return false;
        skip_ws(p);
        if (peek(p, 0) == '}') return p->pos++, seal(t), true;
        if (at_newline(p)) return inline_newline(p);
        if (peek(p, 0) != ',') return unexpected(p, "',' or '}' in an inline table");
        p->pos++;
        skip_ws(p);
        if (peek(p, 0) == '}') return fail_at(p, p->pos, "trailing comma in an inline table");
    }
}

static toml_value *parse_value(parser *p, int depth) {
    if (depth > TOML_MAX_DEPTH) return fail_at(p, p->pos, "arrays or inline tables nested deeper than %d", TOML_MAX_DEPTH), NULL;
    int c = peek(p, 0);
    toml_value *v = new_value(p, TOML_STRING, p->pos);
    if (!v) return NULL;
    bool ok;
    if (c == '"' || c == '\'') {
        buf b = {0};
        ok = parse_string(p, &b, true);
        v->u.str = b.p;
        v->len = b.len;
    } else if (c == '[') {
        v->type = TOML_ARRAY;
        ok = parse_array(p, v, depth);
    } else if (c == '{') {
        v->type = TOML_TABLE;
        ok = parse_inline_table(p, v, depth);
    } else {
        v->type = TOML_BOOL;   /* nothing to free until parse_scalar sets the real type */
        ok = parse_scalar(p, v);
    }
    if (!ok) return toml_free(v), NULL;
    return v;
}

/* ---- headers: [table] and [[array of tables]] ---- */

/* The table that a header's leading parts name, making implicit ones. */
static toml_value *header_parent(parser *p, const key *k) {
    toml_value *t = p->root;
    char name[256];
    for (size_t i = 0; i + 1 < k->n; i++) {
        toml_keyval *e = find_n(t, k->parts[i].s, k->parts[i].len);
        if (!e) {
            if (!(t = new_child_table(p, t, k, i, F_IMPLICIT))) return NULL;
            continue;
        }
        toml_value *v = e->value;
        if (v->type == TOML_ARRAY && (v->flags & F_AOT)) v = v->u.items[v->len - 1];
        else if (v->type != TOML_TABLE)
            return fail_at(p, k->parts[i].pos, "'%s' is already defined as %s %s (line %d), not a table",
                           key_text(k, i + 1, name, sizeof name), a_or_an(v->type), toml_type_name(v->type), e->line), NULL;
        if (v->flags & F_INLINE)
            return fail_at(p, k->parts[i].pos, "cannot extend '%s': inline tables are closed (line %d)",
                           key_text(k, i + 1, name, sizeof name), e->line), NULL;
        t = v;
    }
    return t;
}

static bool define_table(parser *p, toml_value *parent, const key *k, size_t at) {
    const keypart *last = &k->parts[k->n - 1];
    toml_keyval *e = find_n(parent, last->s, last->len);
    char name[256];
    key_text(k, k->n, name, sizeof name);
    if (!e) {
        toml_value *t = new_value(p, TOML_TABLE, at);
        if (!t) return false;
        t->flags = F_DEFINED;
        p->cur = t;
        return table_add(p, parent, last, t);
    }
    toml_value *v = e->value;
    if (v->type == TOML_TABLE && v->flags == F_IMPLICIT) {
        v->flags = F_DEFINED;
        v->line = 0;
        linecol(p, at, &v->line, &v->col);
        p->cur = v;
        return true;
    }
    if (v->type != TOML_TABLE)
        return fail_at(p, last->pos, "'%s' is already defined as %s on line %d", name,
                       v->flags & F_AOT ? "an array of tables" : toml_type_name(v->type), e->line);
    if (v->flags & F_INLINE) return fail_at(p, last->pos, "table '%s' is already defined as an inline table on line %d", name, e->line);
    if (v->flags & F_DOTTED) return fail_at(p, last->pos, "table '%s' is already defined by dotted keys on line %d", name, e->line);
    return fail_at(p, last->pos, "table '%s' is defined twice (first on line %d)", name, v->line);
}

static bool append_table(parser *p, toml_value *parent, const key *k, size_t at) {
    const keypart *last = &k->parts[k->n - 1];
    toml_keyval *e = find_n(parent, last->s, last->len);
    toml_value *arr;
    char name[256];
    if (!e) {
        if (!(arr = new_value(p, TOML_ARRAY, at))) return false;
        arr->flags = F_AOT;
        if (!table_add(p, parent, last, arr)) return false;
    } else if (e->value->type == TOML_ARRAY && (e->value->flags & F_AOT)) arr = e->value;
    else
        return fail_at(p, last->pos, "cannot make '%s' an array of tables: it is already a %s%s (line %d)",
                       key_text(k, k->n, name, sizeof name), e->value->type == TOML_ARRAY ? "static " : "",
                       toml_type_name(e->value->type), e->line);
    toml_value *t = new_value(p, TOML_TABLE, at);
    if (!t) return false;
    t->flags = F_DEFINED;
    p->cur = t;
    return array_add(p, arr, t);
}

static bool parse_header(parser *p) {
    size_t at = p->pos;
    bool aot = peek(p, 1) == '[';
    p->pos += aot ? 2 : 1;
    skip_ws(p);
    key k = {0};
    bool ok = parse_key(p, &k);
    if (ok) {
        skip_ws(p);
        if (peek(p, 0) != ']' || (aot && peek(p, 1) != ']')) ok = unexpected(p, aot ? "']]' to close the header" : "']' to close the header");
        else p->pos += aot ? 2 : 1;
    }
    toml_value *parent = ok ? header_parent(p, &k) : NULL;
    if (parent) ok = aot ? append_table(p, parent, &k, at) : define_table(p, parent, &k, at);
    else ok = false;
    key_free(&k);
    return ok;
}

/* ---- document ---- */

static bool end_of_line(parser *p, const char *after) {
    skip_ws(p);
    if (peek(p, 0) == '#' && !skip_comment(p)) return false;
    if (p->pos >= p->len) return true;
    if (at_newline(p)) return eat_newline(p), true;
    char what[64];
    snprintf(what, sizeof what, "a newline after %s", after);
    return unexpected(p, what);
}

static bool parse_document(parser *p) {
    while (!p->failed) {
        skip_ws(p);
        int c = peek(p, 0);
        if (c < 0) return true;
        if (at_newline(p)) eat_newline(p);
        else if (c == '#') skip_comment(p);
        else if (c == '[') { if (parse_header(p)) end_of_line(p, "the header"); }
        else if (c == '\r') fail_at(p, p->pos, "carriage return without a newline");
        else if (parse_keyval(p, p->cur, 0)) end_of_line(p, "the value");
    }
    return false;
}

toml_value *toml_parse(const char *text, size_t len, toml_error *err) {
    toml_error dummy;
    parser p = {.s = text, .len = len, .err = err ? err : &dummy, .lc_line = 1};
    *p.err = (toml_error){0};
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) p.pos = 3;   /* a UTF-8 byte order mark */
    size_t bad = utf8_check((const unsigned char *)text, len);
    if (bad < len) return fail_at(&p, bad, "invalid UTF-8 (byte 0x%02X)", (unsigned char)text[bad]), NULL;
    p.root = new_value(&p, TOML_TABLE, 0);
    if (!p.root) return NULL;
    p.root->flags = F_DEFINED;
    p.cur = p.root;
    if (!parse_document(&p)) {
        toml_free(p.root);
        return NULL;
    }
    return p.root;
}
