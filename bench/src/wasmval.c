/* wasmval: taho's own front end as a benchmark, and the suite's large module. Linked
 * with taho's decoder, validator, TOML and JSON readers (src/base, src/wasm, src/decode,
 * src/validate, src/cli/toml.c, src/cli/json.c; see the Makefile), it reads its
 * generator settings from a TOML text, builds a synthetic module of a few hundred KiB
 * (bench/big/genmod.c describes its shape), writes a wast2json-style JSON script that
 * invokes its exports, and then, scale times: decodes and validates the module, parses
 * the script and checks each command against the decoded exports, and frees it all.
 * Branchy byte parsing, LEB128, many small allocations, type-stack bookkeeping.
 * scale = decode+validate rounds; 0 does nothing (start-up only). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>

#include "../big/genmod.h"
#include "cli/json.h"
#include "cli/toml.h"
#include "decode/decode.h"
#include "validate/validate.h"

/* The generator's settings, as a tool would keep them in a config file. */
static const char CONFIG[] =
    "# wasmval: the synthetic module (bench/big/genmod.c)\n"
    "title = \"wasmval\"\n"
    "\n"
    "[module]\n"
    "seed = 0x2545_F491\n"
    "types = 48\n"
    "imports = 12\n"
    "functions = 200\n"
    "globals = 24\n"
    "data_segments = 16\n"
    "\n"
    "[bodies]\n"
    "statements = [ 4, 24 ]   # per function, before nesting\n"
    "max_depth = 5\n"
    "max_locals = 12\n";

static void fail(const char *what, const char *msg) {
    fprintf(stderr, "wasmval: %s: %s\n", what, msg);
    exit(3);
}

static int64_t toml_int(const toml_value *root, const char *table, const char *key) {
    const toml_keyval *t = toml_find(root, table);
    const toml_keyval *kv = t && t->value->type == TOML_TABLE ? toml_find(t->value, key) : NULL;
    if (!kv || kv->value->type != TOML_INTEGER) fail("config", key);
    return kv->value->u.i;
}

static gen_params read_config(void) {
    toml_error err;
    toml_value *root = toml_parse(CONFIG, sizeof CONFIG - 1, &err);
    if (!root) fail("config", err.msg);
    gen_params p = {
        .seed = (uint32_t)toml_int(root, "module", "seed"),
        .types = (int)toml_int(root, "module", "types"),
        .imports = (int)toml_int(root, "module", "imports"),
        .functions = (int)toml_int(root, "module", "functions"),
        .globals = (int)toml_int(root, "module", "globals"),
        .data_segments = (int)toml_int(root, "module", "data_segments"),
        .max_depth = (int)toml_int(root, "bodies", "max_depth"),
        .max_locals = (int)toml_int(root, "bodies", "max_locals"),
    };
    const toml_keyval *b = toml_find(root, "bodies");
    const toml_keyval *st = toml_find(b->value, "statements");
    if (!st || st->value->type != TOML_ARRAY || st->value->len != 2) fail("config", "statements");
    p.min_stmts = (int)st->value->u.items[0]->u.i;
    p.max_stmts = (int)st->value->u.items[1]->u.i;
    toml_free(root);
    return p;
}

static void append(gen_buf *b, const char *s) {
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) fail("script", "out of memory");
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

static const char *type_name(tw_valtype t) {
    return t == TW_I32 ? "i32" : t == TW_I64 ? "i64" : t == TW_F32 ? "f32" : "f64";
}

/* A wast2json-style script: the module, then one assert_return per exported function
   with made-up arguments of the right types. */
static void write_script(const tw_module *m, gen_buf *out) {
    char line[160];
    uint32_t rng = 7;
    append(out, "{\"source_filename\": \"wasmval.wast\",\n \"commands\": [\n"
                "  {\"type\": \"module\", \"line\": 1, \"filename\": \"wasmval.0.wasm\"}");
    for (uint32_t i = 0; i < m->nexports; i++) {
        const tw_export *e = &m->exports[i];
        if (e->kind != TW_EXTERN_FUNC) continue;
        const tw_functype *ft = tw_func_type(m, e->index);
        snprintf(line, sizeof line, ",\n  {\"type\": \"assert_return\", \"line\": %u, "
                 "\"action\": {\"type\": \"invoke\", \"field\": \"%.*s\", \"args\": [",
                 i + 2, (int)e->name.len, e->name.s);
        append(out, line);
        for (uint32_t k = 0; k < ft->nparams; k++) {
            snprintf(line, sizeof line, "%s{\"type\": \"%s\", \"value\": \"%u\"}", k ? ", " : "",
                     type_name(ft->params[k]), bench_rand(&rng) % 100000);
            append(out, line);
        }
        append(out, "]}, \"expected\": [");
        for (uint32_t k = 0; k < ft->nresults; k++) {
            snprintf(line, sizeof line, "%s{\"type\": \"%s\", \"value\": \"0\"}", k ? ", " : "",
                     type_name(ft->results[k]));
            append(out, line);
        }
        append(out, "]}");
    }
    append(out, "\n]}\n");
}

static const tw_export *find_export(const tw_module *m, const char *name) {
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].name.len == strlen(name) && !memcmp(m->exports[i].name.s, name, m->exports[i].name.len))
            return &m->exports[i];
    return NULL;
}

/* Parses the script and checks every invoke against the module: the export exists and
   the argument and result counts match its type. Returns the commands checked. */
static uint32_t check_script(const tw_module *m, const gen_buf *script) {
    json root;
    char err[128];
    if (!json_parse((const char *)script->p, script->len, &root, err, sizeof err)) fail("script", err);
    const json *cmds = json_get_array(&root, "commands");
    uint32_t n = 0;
    for (size_t i = 0; cmds && i < cmds->len; i++) {
        const json *c = &cmds->u.items[i];
        const char *type = json_get_str(c, "type");
        if (!type || strcmp(type, "assert_return") != 0) continue;
        const json *action = json_get(c, "action"), *args = json_get_array(action, "args");
        const json *expected = json_get_array(c, "expected");
        const tw_export *e = find_export(m, json_get_str(action, "field"));
        if (!e || !args || !expected) fail("script", "bad command");
        const tw_functype *ft = tw_func_type(m, e->index);
        if (args->len != ft->nparams || expected->len != ft->nresults) fail("script", "arity");
        n++;
    }
    json_free(&root);
    return n;
}

static uint32_t summarize(uint32_t h, const tw_module *m) {
    h = bench_mix(h, m->ntypes);
    h = bench_mix(h, m->nfuncs);
    for (uint32_t i = 0; i < m->nfuncs - m->nimported_funcs; i++) {
        h = bench_mix(h, m->funcs[i].nlocals);
        h = bench_mix(h, m->funcs[i].code_len);
    }
    h = bench_mix(h, m->nexports);
    h = bench_mix(h, m->ndatas);
    h = bench_mix(h, m->nelems);
    return bench_mix(h, m->nfuncnames);
}

static tw_module *load(const gen_buf *wasm) {
    tw_module *m;
    tb_error err;
    if (!dec_module(wasm->p, wasm->len, &m, &err)) fail("decode", err.msg);
    if (!val_module(m, &err)) fail("validate", err.msg);
    return m;
}

/* The module every round works on (also used by bench/big/dump.c to write it out). */
void wasmval_module(gen_buf *wasm) {
    gen_params p = read_config();
    if (gen_module(&p, wasm) != 0) fail("generate", "out of memory");
}

int run(int scale) {
    if (scale <= 0) return 0;  /* start-up only: bench/compile.sh times the JIT's time to main */
    gen_buf wasm = {0}, script = {0};
    wasmval_module(&wasm);
    tw_module *m = load(&wasm);
    write_script(m, &script);
    tw_module_free(m);

    uint32_t h = bench_mix(BENCH_HASH_INIT, (uint32_t)wasm.len);
    for (int round = 0; round < scale; round++) {
        m = load(&wasm);
        h = summarize(h, m);
        h = bench_mix(h, check_script(m, &script));
        tw_module_free(m);
    }
    gen_buf_free(&wasm);
    gen_buf_free(&script);
    return (int)h;
}
