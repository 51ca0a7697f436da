/* test_toml: the TOML 1.0 reader of src/cli/toml.c on the spec's examples, edge cases,
   invalid documents (with the line and column of each error), and allocation of deep
   or long input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "../../src/cli/toml.h"

static toml_value *parse(const char *text) {
    toml_error err;
    toml_value *v = toml_parse(text, strlen(text), &err);
    if (!v) fprintf(stderr, "    unexpected error %d:%d: %s\n", err.line, err.col, err.msg);
    return v;
}

/* Rejected at line:col, with msg containing want. */
static bool rejects_at(const char *text, int line, int col, const char *want) {
    toml_error err;
    toml_value *v = toml_parse(text, strlen(text), &err);
    if (v) {
        toml_free(v);
        fprintf(stderr, "    accepted: %s\n", text);
        return false;
    }
    if (err.line != line || err.col != col || !strstr(err.msg, want)) {
        fprintf(stderr, "    %d:%d: %s (wanted %d:%d: ...%s...)\n", err.line, err.col, err.msg, line, col, want);
        return false;
    }
    return true;
}

static bool rejects(const char *text) {
    toml_error err;
    toml_value *v = toml_parse(text, strlen(text), &err);
    if (v) fprintf(stderr, "    accepted: %s\n", text);
    toml_free(v);
    return !v && err.line >= 1 && err.col >= 1 && err.msg[0];
}

/* The value at a dotted path of plain keys ("a.b.c"). */
static const toml_value *at(const toml_value *t, const char *path) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *k = strtok(buf, "."); k && t; k = strtok(NULL, ".")) {
        const toml_keyval *kv = toml_find(t, k);
        t = kv ? kv->value : NULL;
    }
    return t;
}

static bool is_int(const toml_value *t, const char *path, int64_t want) {
    const toml_value *v = at(t, path);
    return v && v->type == TOML_INTEGER && v->u.i == want;
}

static bool is_str(const toml_value *t, const char *path, const char *want) {
    const toml_value *v = at(t, path);
    return v && v->type == TOML_STRING && v->len == strlen(want) && !memcmp(v->u.str, want, v->len);
}

static bool is_float(const toml_value *t, const char *path, double want) {
    const toml_value *v = at(t, path);
    return v && v->type == TOML_FLOAT && v->u.f == want;
}

TEST(toml_keys) {
    toml_value *t = parse("# comment\n"
                          "key = \"value\"\n"
                          "bare_key = 1\nbare-key = 2\n1234 = 3\n"
                          "\"127.0.0.1\" = 4\n\"ʎǝʞ\" = 5\n'quoted \"value\"' = 6\n"
                          "\"\" = 7\n"
                          "physical.color = \"orange\"\n physical . shape = \"round\"\n"
                          "site.\"google.com\" = true\n"
                          "3.14159 = \"pi\"\n");
    CHECK(t);
    CHECK(is_str(t, "key", "value"));
    CHECK(is_int(t, "bare_key", 1) && is_int(t, "bare-key", 2) && is_int(t, "1234", 3));
    CHECK(toml_find(t, "127.0.0.1") && toml_find(t, "127.0.0.1")->value->u.i == 4);
    CHECK(toml_find(t, "ʎǝʞ") && toml_find(t, "'quoted \"value\"'") == NULL);
    CHECK(toml_find(t, "quoted \"value\"") && toml_find(t, "")->value->u.i == 7);
    CHECK(is_str(t, "physical.color", "orange") && is_str(t, "physical.shape", "round"));
    const toml_value *site = at(t, "site");
    CHECK(site && toml_find(site, "google.com") && toml_find(site, "google.com")->value->u.b);
    CHECK(at(t, "3") && is_str(at(t, "3"), "14159", "pi"));
    toml_free(t);
}

TEST(toml_strings) {
    toml_value *t = parse("a = \"I'm a string. \\\"You can quote me\\\". Name\\tJos\\u00E9\\nLocation\\tSF.\"\n"
                          "b = \"\\b\\f\\r\\\\ \\U0001F600 \\u0000x\"\n"
                          "c = 'C:\\Users\\nodejs\\templates'\n"
                          "d = \"\"\"\nRoses are red\nViolets are blue\"\"\"\n"
                          "e = \"\"\"\nThe quick brown \\\n\n\n  fox jumps over \\\n    the lazy dog.\"\"\"\n"
                          "f = \"\"\"Here are fifteen quotation marks: \\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\".\"\"\"\n"
                          "g = \"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"\n"
                          "h = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''\n"
                          "i = ''''That,' she said, 'is still pointless.''''\n"
                          "j = \"\"\"a\r\nb\"\"\"\n"
                          "k = \"tab\there\"\n");
    CHECK(t);
    CHECK(is_str(t, "a", "I'm a string. \"You can quote me\". Name\tJos\xC3\xA9\nLocation\tSF."));
    const toml_value *b = at(t, "b");
    CHECK(b && b->len == 12 && !memcmp(b->u.str, "\b\f\r\\ \xF0\x9F\x98\x80 \0x", 12));
    CHECK(is_str(t, "c", "C:\\Users\\nodejs\\templates"));
    CHECK(is_str(t, "d", "Roses are red\nViolets are blue"));
    CHECK(is_str(t, "e", "The quick brown fox jumps over the lazy dog."));
    CHECK(is_str(t, "f", "Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"."));
    CHECK(is_str(t, "g", "\"This,\" she said, \"is just a pointless statement.\""));
    CHECK(is_str(t, "h", "The first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n"));
    CHECK(is_str(t, "i", "'That,' she said, 'is still pointless.'"));
    CHECK(is_str(t, "j", "a\nb"));
    CHECK(is_str(t, "k", "tab\there"));
    toml_free(t);
}

TEST(toml_numbers) {
    toml_value *t = parse("a = +99\nb = 42\nc = 0\nd = -17\ne = 1_000\nf = 5_349_221\ng = 1_2_3_4_5\n"
                          "h = 0xDEADBEEF\ni = 0xdead_beef\nj = 0o01234567\nk = 0o755\nl = 0b11010110\n"
                          "m = 9223372036854775807\nn = -9223372036854775808\no = -0\np = +0\n"
                          "f1 = +1.0\nf2 = 3.1415\nf3 = -0.01\nf4 = 5e+22\nf5 = 1e06\nf6 = -2E-2\n"
                          "f7 = 6.626e-34\nf8 = 224_617.445_991_228\nf9 = -0.0\nf10 = +0.0\n"
                          "f11 = inf\nf12 = +inf\nf13 = -inf\nf14 = nan\nf15 = +nan\nf16 = -nan\n");
    CHECK(t);
    CHECK(is_int(t, "a", 99) && is_int(t, "b", 42) && is_int(t, "c", 0) && is_int(t, "d", -17));
    CHECK(is_int(t, "e", 1000) && is_int(t, "f", 5349221) && is_int(t, "g", 12345));
    CHECK(is_int(t, "h", 0xDEADBEEF) && is_int(t, "i", 0xDEADBEEF) && is_int(t, "j", 01234567));
    CHECK(is_int(t, "k", 0755) && is_int(t, "l", 214));
    CHECK(is_int(t, "m", INT64_MAX) && is_int(t, "n", INT64_MIN) && is_int(t, "o", 0) && is_int(t, "p", 0));
    CHECK(is_float(t, "f1", 1.0) && is_float(t, "f2", 3.1415) && is_float(t, "f3", -0.01));
    CHECK(is_float(t, "f4", 5e22) && is_float(t, "f5", 1e6) && is_float(t, "f6", -2e-2));
    CHECK(is_float(t, "f7", 6.626e-34) && is_float(t, "f8", 224617.445991228));
    CHECK(is_float(t, "f9", 0.0) && signbit(at(t, "f9")->u.f) && !signbit(at(t, "f10")->u.f));
    CHECK(is_float(t, "f11", INFINITY) && is_float(t, "f12", INFINITY) && is_float(t, "f13", -INFINITY));
    CHECK(isnan(at(t, "f14")->u.f) && isnan(at(t, "f15")->u.f) && isnan(at(t, "f16")->u.f));
    toml_free(t);
}

TEST(toml_datetimes) {
    toml_value *t = parse("odt1 = 1979-05-27T07:32:00Z\nodt2 = 1979-05-27T00:32:00-07:00\n"
                          "odt3 = 1979-05-27T00:32:00.999999-07:00\nodt4 = 1979-05-27 07:32:00Z\n"
                          "ldt1 = 1979-05-27T07:32:00\nldt2 = 1979-05-27t00:32:00.999999\n"
                          "ld1 = 1979-05-27\nlt1 = 07:32:00\nlt2 = 00:32:00.999999123456\n"
                          "leap = 2000-02-29\nsec = 1990-12-31T23:59:60z\n");
    CHECK(t);
    const toml_datetime *d = &at(t, "odt2")->u.dt;
    CHECK(at(t, "odt2")->type == TOML_DATETIME);
    CHECK(d->has_date && d->has_time && d->has_offset && d->year == 1979 && d->month == 5 && d->day == 27);
    CHECK(d->hour == 0 && d->minute == 32 && d->second == 0 && d->offset_minutes == -420);
    d = &at(t, "odt3")->u.dt;
    CHECK(d->nanosecond == 999999000);
    d = &at(t, "odt4")->u.dt;
    CHECK(d->has_offset && d->offset_minutes == 0 && d->hour == 7);
    d = &at(t, "ldt2")->u.dt;
    CHECK(d->has_date && d->has_time && !d->has_offset);
    d = &at(t, "ld1")->u.dt;
    CHECK(d->has_date && !d->has_time);
    d = &at(t, "lt2")->u.dt;
    CHECK(!d->has_date && d->has_time && d->nanosecond == 999999123);
    CHECK(at(t, "sec")->u.dt.second == 60);
    toml_free(t);
}

TEST(toml_arrays_and_inline_tables) {
    toml_value *t = parse("integers = [ 1, 2, 3 ]\ncolors = [ \"red\", \"yellow\", \"green\" ]\n"
                          "nested = [ [ 1, 2 ], [\"a\", 'b'] ]\n"
                          "mixed = [ 0.1, 0.2, 0.5, 1, 2, 5, \"x\", {a = 1} ]\n"
                          "multi = [\n  1, # one\n  2,\n\n  # a comment line\n]\nempty = []\n"
                          "name = { first = \"Tom\", last = \"Preston-Werner\" }\n"
                          "point = { x = 1, y = 2 }\nanimal = { type.name = \"pug\" }\nnone = {}\n");
    CHECK(t);
    const toml_value *a = at(t, "nested");
    CHECK(a && a->type == TOML_ARRAY && a->len == 2 && a->u.items[1]->type == TOML_ARRAY);
    CHECK(at(t, "mixed")->len == 8 && at(t, "mixed")->u.items[7]->type == TOML_TABLE);
    CHECK(at(t, "multi")->len == 2 && at(t, "empty")->len == 0);
    CHECK(is_str(t, "name.last", "Preston-Werner") && is_int(t, "point.y", 2));
    CHECK(is_str(t, "animal.type.name", "pug") && at(t, "none")->type == TOML_TABLE);
    toml_free(t);
}

TEST(toml_tables) {
    toml_value *t = parse("[table-1]\nkey1 = \"some string\"\n"
                          "[dog.\"tater.man\"]\ntype.name = \"pug\"\n"
                          "[ j . \"ʞ\" . 'l' ]\nx = 1\n"
                          "[x.y.z.w]\n[x]\nq = 1\n"
                          "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n"
                          "[fruit.apple.texture]\nsmooth = true\n"
                          "[[products]]\nname = \"Hammer\"\n[[products]]\n[[products]]\nname = \"Nail\"\n"
                          "[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n"
                          "[[fruits.varieties]]\nname = \"red delicious\"\n[[fruits.varieties]]\nname = \"granny smith\"\n"
                          "[[fruits]]\nname = \"banana\"\n[[fruits.varieties]]\nname = \"plantain\"\n");
    CHECK(t);
    const toml_value *dog = at(t, "dog");
    CHECK(dog && toml_find(dog, "tater.man"));
    CHECK(is_int(t, "x.q", 1) && at(t, "x.y.z.w") && at(t, "x.y.z.w")->type == TOML_TABLE);
    CHECK(at(t, "fruit.apple.taste.sweet")->u.b && at(t, "fruit.apple.texture.smooth")->u.b);
    const toml_value *p = at(t, "products");
    CHECK(p && p->type == TOML_ARRAY && p->len == 3 && p->u.items[1]->len == 0);
    CHECK(is_str(p->u.items[2], "name", "Nail"));
    const toml_value *f = at(t, "fruits");
    CHECK(f->len == 2 && at(f->u.items[0], "varieties")->len == 2 && is_str(f->u.items[1], "name", "banana"));
    CHECK(is_str(at(f->u.items[1], "varieties")->u.items[0], "name", "plantain"));
    CHECK(is_str(f->u.items[0], "physical.color", "red"));
    toml_free(t);
}

TEST(toml_positions_kept) {
    toml_value *t = parse("\n[runtime]\n  engine = \"jit\"\n");
    CHECK(t);
    const toml_keyval *kv = toml_find(at(t, "runtime"), "engine");
    CHECK(kv && kv->line == 3 && kv->col == 3 && kv->value->line == 3 && kv->value->col == 12);
    toml_free(t);
    /* CRLF line ends, a BOM and an empty document */
    CHECK((t = parse("\xEF\xBB\xBF" "a = 1\r\nb = 2\r\n")) && is_int(t, "b", 2));
    toml_free(t);
    CHECK((t = parse("")) && t->len == 0);
    toml_free(t);
    CHECK((t = parse("# only a comment")) && t->len == 0);
    toml_free(t);
}

TEST(toml_invalid_with_positions) {
    CHECK(rejects_at("a = 1\na = 2\n", 2, 1, "duplicate key 'a'"));
    CHECK(rejects_at("[t]\nx = 1\n[t]\n", 3, 2, "defined twice"));
    CHECK(rejects_at("a.b = 1\n[a]\n", 2, 2, "dotted keys"));
    CHECK(rejects_at("a = {x = 1}\na.y = 2\n", 2, 1, "inline"));
    CHECK(rejects_at("[a]\nb = {c = 1}\n[a.b]\n", 3, 4, "inline"));
    CHECK(rejects_at("[a]\nb = {c = 1}\n[a.b.d]\n", 3, 4, "inline"));
    CHECK(rejects_at("a = [1]\n[[a]]\n", 2, 3, "static array"));
    CHECK(rejects_at("[[a]]\n[a]\n", 2, 2, "array of tables"));
    CHECK(rejects_at("[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n", 4, 3, "own [header]"));
    CHECK(rejects_at("[fruit]\napple.color = 1\n[fruit.apple]\n", 3, 8, "dotted keys"));
    CHECK(rejects_at("a = 01\n", 1, 5, "leading zeros"));
    CHECK(rejects_at("a = 1__0\n", 1, 5, "invalid number"));
    CHECK(rejects_at("a = 9223372036854775808\n", 1, 5, "64 bits"));
    CHECK(rejects_at("a = 1.\n", 1, 5, "digit must follow"));
    CHECK(rejects_at("a = +0x10\n", 1, 5, "cannot have a sign"));
    CHECK(rejects_at("x = 1\nname = \"abc\n", 2, 12, "newline in a single-line string"));
    CHECK(rejects_at("x = 1\nname = \"\"\"abc\n", 2, 8, "unterminated"));
    CHECK(rejects_at("a = \"\\q\"\n", 1, 6, "invalid escape"));
    CHECK(rejects_at("a = \"\\uD800\"\n", 1, 6, "not a Unicode scalar value"));
    CHECK(rejects_at("a = \"\\u12\"\n", 1, 6, "hex digits"));
    CHECK(rejects_at("a = {x = 1,}\n", 1, 12, "trailing comma"));
    CHECK(rejects_at("a = {x = 1\n}\n", 1, 11, "newline inside an inline table"));
    CHECK(rejects_at("a = 1 b = 2\n", 1, 7, "a newline after the value"));
    CHECK(rejects_at("a = \n", 1, 5, "expected a value"));
    CHECK(rejects_at("= 1\n", 1, 1, "expected a key"));
    CHECK(rejects_at("a = true2\n", 1, 5, "strings need quotes"));
    CHECK(rejects_at("a = hello\n", 1, 5, "strings need quotes"));
    CHECK(rejects_at("d = 1979-02-29\n", 1, 5, "invalid date"));
    CHECK(rejects_at("t = 24:00:00\n", 1, 5, "invalid date or time"));
    CHECK(rejects_at("t = 07:32\n", 1, 5, "invalid date or time"));
    CHECK(rejects_at("a = \"x\x01y\"\n", 1, 7, "control character"));
    CHECK(rejects_at("# bad \x7f comment\n", 1, 7, "control character"));
    CHECK(rejects_at("a = 1\r", 1, 6, "carriage return"));
    CHECK(rejects_at("[a\nb = 1\n", 1, 3, "']' to close the header"));
    CHECK(rejects_at("[[a]\n", 1, 4, "']]'"));
    CHECK(rejects_at("a = [1 2]\n", 1, 8, "',' or ']'"));
    CHECK(rejects_at("\"\"\"k\"\"\" = 1\n", 1, 1, "multi-line"));
    CHECK(rejects_at("a = \"\"\"x\"\"\"\"\"\"\n", 1, 14, "too many quotes"));
    CHECK(rejects_at("ké = 1\n", 1, 2, "'=' after a key"));
    CHECK(rejects_at("é = \"\xff\"\n", 1, 6, "invalid UTF-8"));
    CHECK(rejects_at("a = 1\n\n  [b]\nc = d\n", 4, 5, "expected a value"));
}

TEST(toml_invalid_more) {
    static const char *const bad[] = {
        "a = 1e\n", "a = .1\n", "a = 0x\n", "a = _1\n", "a = 1_\n", "a = 1_.5\n", "a = 1e_1\n", "a = 0b102\n",
        "a = 0o8\n", "a = 00\n", "a = -01.5\n", "a = NaN\n", "a = Inf\n", "a = 1979-13-01\n", "a = 1979-05-27T\n",
        "a = 1979-05-27T07:32:00+24:00\n", "a = 1979-05-27 07:32\n", "a = 1979-5-27\n", "a = [,]\n", "a = [1,,2]\n",
        "a = {,}\n", "a = {x=1 y=2}\n", "a = 'x\n'\n", "a = '''x\x01'''\n", "[]\n", "[a.]\n", "[.a]\n", "a. = 1\n",
        "a..b = 1\n", "[a]b = 1\n", "a = \"\\e\"\n", "a = \"\\U00110000\"\n", "a = [1, 2\n", "a = {\n", "[[a]\n]\n",
        "[ [a]]\n", "a.b = 1\na = 2\n", "a = 1\na.b = 2\n", "[a]\n[a.b]\n[a]\n", "[a]\nx.y = 1\n[a.x]\n",
        "a = 0x1.5\n", "a = 1.5.5\n", "a = 1e1e1\n", "a = --1\n", "a = +-1\n", "a = true false\n", "k = \"a\"b\n",
        "a = \"\"\"\\ x\"\"\"\n", "a = 18446744073709551616\n", "a = 0xFFFFFFFFFFFFFFFF\n", "\x80 = 1\n",
        "a = \"\xed\xa0\x80\"\n", "a = \"\xc0\x80\"\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) CHECK(rejects(bad[i]));
}

TEST(toml_depth_and_size_bounded) {
    /* Nesting past TOML_MAX_DEPTH is an error, not a stack overflow. */
    size_t n = 100000;
    char *s = malloc(n + 16);
    CHECK(s);
    memcpy(s, "a = ", 4);
    memset(s + 4, '[', n);
    s[n + 4] = 0;
    CHECK(rejects_at(s, 1, 4 + TOML_MAX_DEPTH + 2, "nested deeper"));
    memset(s + 4, '{', n);
    CHECK(rejects(s));
    /* Just inside the limit is fine. */
    size_t d = TOML_MAX_DEPTH;
    memset(s + 4, '[', d);
    memset(s + 4 + d, ']', d);
    s[4 + 2 * d] = 0;
    toml_value *t = parse(s);
    CHECK(t);
    toml_free(t);
    /* A key with more parts than the limit. */
    size_t k = 0;
    for (int i = 0; i < TOML_MAX_DEPTH + 5; i++) s[k++] = 'a', s[k++] = '.';
    memcpy(s + k, "a = 1", 6);
    CHECK(rejects(s));
    /* Many keys in one table. */
    size_t cap = 5000 * 16;
    char *big = malloc(cap);
    CHECK(big);
    size_t len = 0;
    for (int i = 0; i < 5000; i++) len += (size_t)snprintf(big + len, cap - len, "k%d = %d\n", i, i);
    t = toml_parse(big, len, NULL);
    CHECK(t && t->len == 5000 && is_int(t, "k4999", 4999));
    toml_free(t);
    free(big);
    free(s);
}
