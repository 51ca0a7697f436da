/* test_cli_json: the CLI's JSON parser (src/cli/json.c) on valid, hostile and wast2json input. */
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "../../src/cli/json.h"

static bool parses(const char *text, json *out) {
    char err[128];
    return json_parse(text, strlen(text), out, err, sizeof err);
}

static bool rejects(const char *text) {
    json v;
    char err[128];
    bool ok = json_parse(text, strlen(text), &v, err, sizeof err);
    if (ok) json_free(&v);
    return !ok && strncmp(err, "offset ", 7) == 0 && v.kind == JSON_NULL;
}

TEST(cli_json_scalars) {
    json v;
    CHECK(parses("  true ", &v) && v.kind == JSON_TRUE);
    CHECK(parses("false", &v) && v.kind == JSON_FALSE);
    CHECK(parses("null", &v) && v.kind == JSON_NULL);
    CHECK(parses("-12.5e1", &v) && v.kind == JSON_NUMBER && v.u.num == -125.0);
    CHECK(parses("0", &v) && v.u.num == 0.0);
    CHECK(parses("\"hi\"", &v) && v.kind == JSON_STRING && v.len == 2 && !strcmp(v.u.str, "hi"));
    json_free(&v);
}

TEST(cli_json_escapes) {
    json v;
    CHECK(parses("\"a\\n\\t\\\"\\\\\\/\\b\\f\\r\"", &v));
    CHECK(!strcmp(v.u.str, "a\n\t\"\\/\b\f\r"));
    json_free(&v);
    /* \u0000 keeps its NUL; len says how long the string really is. */
    CHECK(parses("\"x\\u0000y\"", &v) && v.len == 3 && v.u.str[1] == 0 && v.u.str[2] == 'y');
    json_free(&v);
    CHECK(parses("\"\\u00e9\\u20ac\"", &v) && v.len == 5 && !strcmp(v.u.str, "\xc3\xa9\xe2\x82\xac"));
    json_free(&v);
    CHECK(parses("\"\\ud83d\\ude00\"", &v) && !strcmp(v.u.str, "\xf0\x9f\x98\x80"));
    json_free(&v);
    CHECK(parses("\"\\ud800x\"", &v) && v.len == 4);   /* lone surrogate kept as WTF-8 */
    json_free(&v);
    CHECK(parses("\"caf\xc3\xa9\"", &v) && v.len == 5);   /* raw UTF-8 passes through */
    json_free(&v);
}

TEST(cli_json_nested) {
    json v;
    const char *text = "{\"a\": [1, {\"b\": \"c\"}, []], \"d\": {}, \"a\": 2}";
    CHECK(parses(text, &v) && v.kind == JSON_OBJECT && v.len == 3);
    const json *a = json_get_array(&v, "a");   /* the first "a" wins */
    CHECK(a && a->len == 3 && a->u.items[0].u.num == 1.0);
    CHECK(!strcmp(json_get_str(&a->u.items[1], "b"), "c"));
    CHECK(a->u.items[2].kind == JSON_ARRAY && a->u.items[2].len == 0);
    CHECK(json_get(&v, "d")->kind == JSON_OBJECT);
    CHECK(json_get(&v, "zz") == NULL && json_get_str(&v, "a") == NULL);
    double d;
    CHECK(!json_get_num(&v, "d", &d));
    CHECK(json_get(a, "x") == NULL);   /* not an object */
    json_free(&v);
}

TEST(cli_json_rejects) {
    CHECK(rejects(""));
    CHECK(rejects("   "));
    CHECK(rejects("tru"));
    CHECK(rejects("nul"));
    CHECK(rejects("[1,]"));
    CHECK(rejects("[1 2]"));
    CHECK(rejects("{\"a\" 1}"));
    CHECK(rejects("{\"a\": 1,}"));
    CHECK(rejects("{1: 2}"));
    CHECK(rejects("\"abc"));
    CHECK(rejects("\"a\nb\""));
    CHECK(rejects("\"\\x\""));
    CHECK(rejects("\"\\u12g4\""));
    CHECK(rejects("\"\\u12\""));
    CHECK(rejects("01"));
    CHECK(rejects("1."));
    CHECK(rejects("1e"));
    CHECK(rejects("-"));
    CHECK(rejects("+1"));
    CHECK(rejects(".5"));
    CHECK(rejects("0x10"));
    CHECK(rejects("Infinity"));
    CHECK(rejects("1 2"));
    CHECK(rejects("{} x"));
    CHECK(rejects("[[[[\"a\""));
}

static char *nested(size_t n) {
    char *s = malloc(2 * n + 1);
    if (!s) return NULL;
    memset(s, '[', n);
    memset(s + n, ']', n);
    s[2 * n] = 0;
    return s;
}

TEST(cli_json_depth_limit) {
    char *at_limit = nested(JSON_MAX_DEPTH), *too_deep = nested(JSON_MAX_DEPTH + 1);
    json v;
    bool ok = at_limit && parses(at_limit, &v);
    if (ok) json_free(&v);
    bool rejected = too_deep && rejects(too_deep);
    free(at_limit);
    free(too_deep);
    CHECK(ok);
    CHECK(rejected);
}

TEST(cli_json_not_nul_terminated) {
    /* The parser must stop at len, not at a NUL. */
    const char text[] = {'[', '1', ']', 'x'};
    json v;
    char err[64];
    CHECK(json_parse(text, 3, &v, err, sizeof err) && v.len == 1);
    json_free(&v);
    CHECK(!json_parse(text, 2, &v, err, sizeof err));
}

TEST(cli_json_error_offset) {
    json v;
    char err[64];
    CHECK(!json_parse("[1, x]", 6, &v, err, sizeof err));
    CHECK(!strncmp(err, "offset 4:", 9));
}

TEST(cli_json_wast2json_shape) {
    const char *text =
        "{\"source_filename\": \"i32.wast\",\n \"commands\": [\n"
        "  {\"type\": \"module\", \"line\": 3, \"filename\": \"i32.0.wasm\"}, \n"
        "  {\"type\": \"assert_return\", \"line\": 37, \"action\": {\"type\": \"invoke\", \"field\": "
        "\"add\", \"args\": [{\"type\": \"i32\", \"value\": \"1\"}, {\"type\": \"i32\", \"value\": "
        "\"4294967295\"}]}, \"expected\": [{\"type\": \"i32\", \"value\": \"0\"}]}]}\n";
    json v;
    CHECK(parses(text, &v));
    const json *cmds = json_get_array(&v, "commands");
    CHECK(cmds && cmds->len == 2);
    double line = 0;
    CHECK(json_get_num(&cmds->u.items[1], "line", &line) && line == 37);
    const json *args = json_get_array(json_get(&cmds->u.items[1], "action"), "args");
    CHECK(args && args->len == 2 && !strcmp(json_get_str(&args->u.items[1], "value"), "4294967295"));
    json_free(&v);
}
