/* wast_script: executes a wast2json command list against taho and counts the outcomes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "json.h"
#include "wast.h"
#include "wast_value.h"

typedef struct named_inst {
    char *name;
    taho_instance *inst;
} named_inst;

typedef struct script {
    const wast_opts *o;
    const char *name;          /* the script's display name, for -v lines */
    char *dir;                 /* where the JSON file and its module files are */
    wast_counts *c;
    taho_engine *engine;
    taho_store *store;
    taho_linker *linker;
    taho_instance *current;    /* the most recent module; NULL if it failed */
    named_inst *names;
    size_t nnames;
    taho_module **mods;        /* every module loaded, owned until the end */
    size_t nmods;
    long line;
    const char *type;          /* the command being run */
} script;

/* An action's outcome: it ran (maybe trapping), or it could not run (why says so). */
typedef struct outcome {
    bool ran;
    taho_trap *trap;
    taho_val *results;
    size_t nresults;
    char why[400];
    char what[300];            /* "field(args)" for messages */
} outcome;

/* ---- counting and reporting ---- */

static bool pass(script *s) {
    s->c->passed++;
    return true;
}

static void report(script *s, const char *tag, const char *fmt, va_list ap) {
    if (!s->o->verbose) return;
    printf("%s %s:%ld: %s: ", tag, s->name, s->line, s->type);
    vprintf(fmt, ap);
    putchar('\n');
}

static bool failf(script *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool failf(script *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s->c->failed++;
    report(s, "FAIL", fmt, ap);
    va_end(ap);
    return false;
}

/* The check passed, but our wording or error kind differs from the script's. */
static bool pass_with_warning(script *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool pass_with_warning(script *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s->c->passed++;
    s->c->wording++;
    report(s, "WARN", fmt, ap);
    va_end(ap);
    return true;
}

/* Names may hold any bytes (names.wast); keep -v lines on one printable line. */
static void printable(const char *in, size_t len, char *out, size_t n) {
    size_t j = 0;
    for (size_t i = 0; i < len && j + 5 < n; i++) {
        unsigned char ch = (unsigned char)in[i];
        if (ch >= 0x20 && ch < 0x7F) out[j++] = (char)ch;
        else j += (size_t)snprintf(out + j, n - j, "\\x%02x", ch);
    }
    out[j] = 0;
}

/* Spec trap texts sometimes add detail ("uninitialized element 2"), so a prefix either
   way counts as the same words. */
static bool same_words(const char *want, const char *got) {
    size_t a = strlen(want), b = strlen(got);
    return a && b && !strncmp(want, got, a < b ? a : b);
}

/* ---- modules and instances ---- */

static bool keep_module(script *s, taho_module *m) {
    taho_module **v = realloc(s->mods, (s->nmods + 1) * sizeof *v);
    if (!v) return false;
    s->mods = v;
    s->mods[s->nmods++] = m;
    return true;
}

/* --engine aot: the compiled module goes through its artifact (serialize, then
   deserialize from the bytes), so the script runs the artifact's code. */
static taho_error *through_artifact(script *s, taho_module **m) {
    uint8_t *art;
    size_t len;
    taho_error *err = taho_module_serialize(*m, &art, &len);
    taho_module_delete(*m);
    *m = NULL;
    if (err) return err;
    err = taho_module_deserialize(s->engine, art, len, m);
    taho_bytes_free(art);
    return err;
}

/* Read and decode a module file of the script. Returns false if the file itself could
   not be read (why is set); otherwise *err or *out is set. */
static bool load_module(script *s, const char *file, taho_module **out, taho_error **err, char *why, size_t n) {
    *out = NULL, *err = NULL;
    if (!file) return snprintf(why, n, "command has no filename"), false;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", s->dir, file);
    size_t len;
    uint8_t *bytes = cli_read_file(path, &len);
    if (!bytes) return snprintf(why, n, "cannot read %s: %s", path, strerror(errno)), false;
    *err = taho_module_new(s->engine, bytes, len, out);
    free(bytes);
    if (!*err && s->o->aot) *err = through_artifact(s, out);
    if (!*err && !keep_module(s, *out)) {
        taho_module_delete(*out);
        *out = NULL;
        return snprintf(why, n, "out of memory"), false;
    }
    return true;
}

static taho_instance *find_instance(script *s, const char *name) {
    if (!name) return s->current;
    for (size_t i = s->nnames; i-- > 0;)
        if (!strcmp(s->names[i].name, name)) return s->names[i].inst;
    return NULL;
}

static void add_name(script *s, const char *name, taho_instance *inst) {
    named_inst *v = realloc(s->names, (s->nnames + 1) * sizeof *v);
    if (!v) return;
    s->names = v;
    s->names[s->nnames].name = strdup(name);
    s->names[s->nnames].inst = inst;
    if (s->names[s->nnames].name) s->nnames++;
}

static void describe(const taho_error *e, char *buf, size_t n) { cli_describe_error(e, buf, n); }

static bool cmd_module(script *s, const json *cmd) {
    char why[600];
    taho_module *m;
    taho_error *err;
    s->current = NULL;
    if (!load_module(s, json_get_str(cmd, "filename"), &m, &err, why, sizeof why)) return failf(s, "%s", why);
    if (err) {
        describe(err, why, sizeof why);
        taho_error_delete(err);
        return failf(s, "module did not load: %s", why);
    }
    taho_instance *inst;
    err = taho_linker_instantiate(s->linker, s->store, m, &inst, NULL);
    if (err) {
        describe(err, why, sizeof why);
        taho_error_delete(err);
        return failf(s, "module did not instantiate: %s", why);
    }
    s->current = inst;
    const char *name = json_get_str(cmd, "name");
    if (name) add_name(s, name, inst);
    return pass(s);
}

static bool cmd_register(script *s, const json *cmd) {
    const char *as = json_get_str(cmd, "as"), *name = json_get_str(cmd, "name");
    taho_instance *inst = find_instance(s, name);
    if (!as || !inst) return failf(s, "nothing to register (%s)", name ? name : "no current module");
    taho_error *err = taho_linker_define_instance(s->linker, s->store, as, inst);
    if (!err) return true;   /* register is not counted, like the reference interpreter */
    char why[600];
    describe(err, why, sizeof why);
    taho_error_delete(err);
    return failf(s, "register as \"%s\": %s", as, why);
}

/* ---- actions ---- */

static bool parse_args(const json *args, taho_val *out, outcome *r) {
    size_t used = strlen(r->what);
    used += (size_t)snprintf(r->what + used, sizeof r->what - used, "(");
    for (size_t i = 0; args && i < args->len; i++) {
        wast_value v;
        if (!wast_parse_value(&args->u.items[i], false, &v, r->why, sizeof r->why)) return false;
        out[i] = v.val;
        if (used < sizeof r->what) {
            char t[200];
            wast_format_expected(&v, t, sizeof t);
            used += (size_t)snprintf(r->what + used, sizeof r->what - used, "%s%s", i ? " " : "", t);
        }
    }
    if (used < sizeof r->what) snprintf(r->what + used, sizeof r->what - used, ")");
    return true;
}

static bool invoke(script *s, taho_func *f, const json *args, outcome *r) {
    taho_functype t = taho_func_type(f);
    size_t nargs = args ? args->len : 0;
    taho_val *argv = calloc(nargs + 1, sizeof *argv);
    r->results = calloc(t.nresults + 1, sizeof *r->results);
    r->nresults = t.nresults;
    bool ok = argv && r->results && parse_args(args, argv, r);
    if (ok) {
        taho_error *err = taho_func_call(s->store, f, argv, nargs, r->results, t.nresults, &r->trap);
        if (err) {
            describe(err, r->why, sizeof r->why);
            taho_error_delete(err);
            ok = false;
        }
    } else if (!argv || !r->results) {
        snprintf(r->why, sizeof r->why, "out of memory");
    }
    free(argv);
    return ok;
}

static bool get_global(taho_extern *ext, outcome *r) {
    if (ext->kind != TAHO_EXTERN_GLOBAL) return snprintf(r->why, sizeof r->why, "export is not a global"), false;
    r->results = calloc(1, sizeof *r->results);
    if (!r->results) return snprintf(r->why, sizeof r->why, "out of memory"), false;
    r->results[0] = taho_global_get(ext->of.global);
    r->nresults = 1;
    return true;
}

static void run_action(script *s, const json *action, outcome *r) {
    memset(r, 0, sizeof *r);
    const char *type = json_get_str(action, "type"), *field = json_get_str(action, "field");
    size_t field_len = field ? json_get(action, "field")->len : 0;   /* names may hold NUL bytes */
    const char *mod = json_get_str(action, "module");
    char pfield[200];
    printable(field ? field : "?", field ? field_len : 1, pfield, sizeof pfield);
    snprintf(r->what, sizeof r->what, "\"%s\"", pfield);
    taho_instance *inst = find_instance(s, mod);
    taho_extern ext;
    if (!type || !field) snprintf(r->why, sizeof r->why, "malformed action");
    else if (!inst) snprintf(r->why, sizeof r->why, "no module %s", mod ? mod : "instantiated");
    else if (!taho_instance_export_n(inst, field, field_len, &ext)) snprintf(r->why, sizeof r->why, "no export \"%s\"", pfield);
    else if (!strcmp(type, "get")) r->ran = get_global(&ext, r);
    else if (strcmp(type, "invoke")) snprintf(r->why, sizeof r->why, "unknown action type %s", type);
    else if (ext.kind != TAHO_EXTERN_FUNC) snprintf(r->why, sizeof r->why, "export \"%s\" is not a function", pfield);
    else r->ran = invoke(s, ext.of.func, json_get_array(action, "args"), r);
}

static void free_outcome(outcome *r) {
    if (r->trap) taho_trap_delete(r->trap);
    free(r->results);
    r->trap = NULL, r->results = NULL;
}

/* Runs the command's action; false (after counting a failure) if it did not run or
   trapped when no trap was wanted. */
static bool run_checked(script *s, const json *cmd, outcome *r, bool trap_wanted) {
    run_action(s, json_get(cmd, "action"), r);
    if (!r->ran) return failf(s, "%s: %s", r->what, r->why);
    if (r->trap && !trap_wanted) return failf(s, "%s: unexpected trap: %s", r->what, taho_trap_message(r->trap));
    return true;
}

static bool cmd_action(script *s, const json *cmd) {
    outcome r;
    bool ok = run_checked(s, cmd, &r, false) && pass(s);
    free_outcome(&r);
    return ok;
}

static bool check_results(script *s, const json *expected, outcome *r) {
    size_t want = expected ? expected->len : 0;
    if (want != r->nresults) return failf(s, "%s: expected %zu results, got %zu", r->what, want, r->nresults);
    for (size_t i = 0; i < want; i++) {
        wast_value v;
        char e[400], g[400];
        if (!wast_parse_value(&expected->u.items[i], true, &v, r->why, sizeof r->why))
            return failf(s, "%s: bad expected value: %s", r->what, r->why);
        if (wast_value_matches(&v, &r->results[i])) continue;
        wast_format_expected(&v, e, sizeof e);
        wast_format_got_as(&r->results[i], &v, g, sizeof g);
        return failf(s, "%s: result %zu: expected %s, got %s", r->what, i, e, g);
    }
    return pass(s);
}

static bool cmd_assert_return(script *s, const json *cmd) {
    outcome r;
    bool ok = run_checked(s, cmd, &r, false) && check_results(s, json_get_array(cmd, "expected"), &r);
    free_outcome(&r);
    return ok;
}

static bool check_trap_words(script *s, const char *want, const char *got, const char *what) {
    if (!want || same_words(want, got)) return pass(s);
    return pass_with_warning(s, "%s: trap message \"%s\", expected \"%s\"", what, got, want);
}

static bool cmd_assert_uninstantiable(script *s, const json *cmd);

static bool cmd_assert_trap(script *s, const json *cmd) {
    if (!json_get(cmd, "action")) return cmd_assert_uninstantiable(s, cmd);
    outcome r;
    bool ok = run_checked(s, cmd, &r, true);
    if (ok && !r.trap) ok = failf(s, "%s: returned, expected trap \"%s\"", r.what, json_get_str(cmd, "text"));
    else if (ok) ok = check_trap_words(s, json_get_str(cmd, "text"), taho_trap_message(r.trap), r.what);
    free_outcome(&r);
    return ok;
}

static bool cmd_assert_exhaustion(script *s, const json *cmd) {
    outcome r;
    bool ok = run_checked(s, cmd, &r, true);
    if (ok && !r.trap) ok = failf(s, "%s: returned, expected stack exhaustion", r.what);
    else if (ok && taho_trap_code_of(r.trap) != TAHO_TRAP_STACK_EXHAUSTED)
        ok = failf(s, "%s: trap \"%s\", expected stack exhaustion", r.what, taho_trap_message(r.trap));
    else if (ok) ok = check_trap_words(s, json_get_str(cmd, "text"), taho_trap_message(r.trap), r.what);
    free_outcome(&r);
    return ok;
}

/* ---- assertions about modules ---- */

static bool is_text_module(script *s, const json *cmd) {
    const char *mt = json_get_str(cmd, "module_type");
    if (!mt || strcmp(mt, "text")) return false;
    s->c->skipped_text++;
    return true;
}

/* assert_invalid / assert_malformed: decoding plus validation must fail. */
static bool assert_load_fails(script *s, const json *cmd, taho_error_kind want) {
    if (is_text_module(s, cmd)) return true;
    char why[600];
    taho_module *m;
    taho_error *err;
    if (!load_module(s, json_get_str(cmd, "filename"), &m, &err, why, sizeof why)) return failf(s, "%s", why);
    if (!err) return failf(s, "module loaded, expected it to be %s (\"%s\")", cli_error_kind_text(want),
                           json_get_str(cmd, "text"));
    describe(err, why, sizeof why);
    taho_error_kind got = taho_error_kind_of(err);
    taho_error_delete(err);
    if (got == want) return pass(s);
    return pass_with_warning(s, "rejected as %s, expected %s (\"%s\")", why, cli_error_kind_text(want),
                      json_get_str(cmd, "text"));
}

static bool cmd_assert_invalid(script *s, const json *cmd) { return assert_load_fails(s, cmd, TAHO_ERROR_INVALID); }
static bool cmd_assert_malformed(script *s, const json *cmd) { return assert_load_fails(s, cmd, TAHO_ERROR_MALFORMED); }

/* assert_unlinkable / assert_uninstantiable: loads, then instantiation fails with `want`. */
static bool assert_instantiate_fails(script *s, const json *cmd, taho_error_kind want) {
    if (is_text_module(s, cmd)) return true;
    char why[600];
    taho_module *m;
    taho_error *err;
    if (!load_module(s, json_get_str(cmd, "filename"), &m, &err, why, sizeof why)) return failf(s, "%s", why);
    if (err) {
        describe(err, why, sizeof why);
        taho_error_delete(err);
        return failf(s, "module did not load: %s", why);
    }
    taho_instance *inst;
    taho_trap *trap = NULL;
    const char *text = json_get_str(cmd, "text");
    err = taho_linker_instantiate(s->linker, s->store, m, &inst, &trap);
    bool ok;
    if (err) describe(err, why, sizeof why);
    if (!err) ok = failf(s, "instantiated, expected %s (\"%s\")", cli_error_kind_text(want), text);
    else if (taho_error_kind_of(err) != want) ok = failf(s, "%s, expected %s (\"%s\")", why, cli_error_kind_text(want), text);
    else if (trap) ok = check_trap_words(s, text, taho_trap_message(trap), "instantiation");
    else ok = pass(s);
    if (err) taho_error_delete(err);
    if (trap) taho_trap_delete(trap);
    return ok;
}

static bool cmd_assert_unlinkable(script *s, const json *cmd) { return assert_instantiate_fails(s, cmd, TAHO_ERROR_LINK); }
static bool cmd_assert_uninstantiable(script *s, const json *cmd) { return assert_instantiate_fails(s, cmd, TAHO_ERROR_TRAP); }

/* ---- the script ---- */

static bool run_command(script *s, const json *cmd) {
    static const struct { const char *type; bool (*fn)(script *, const json *); } cmds[] = {
        {"module", cmd_module}, {"register", cmd_register}, {"action", cmd_action},
        {"assert_return", cmd_assert_return}, {"assert_trap", cmd_assert_trap},
        {"assert_exhaustion", cmd_assert_exhaustion}, {"assert_invalid", cmd_assert_invalid},
        {"assert_malformed", cmd_assert_malformed}, {"assert_unlinkable", cmd_assert_unlinkable},
        {"assert_uninstantiable", cmd_assert_uninstantiable},
    };
    double line = 0;
    json_get_num(cmd, "line", &line);
    s->line = (long)line;
    s->type = json_get_str(cmd, "type");
    if (!s->type) s->type = "?";
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(s->type, cmds[i].type)) return cmds[i].fn(s, cmd);
    return failf(s, "unknown command type");
}

static bool setup(script *s, char *err, size_t n) {
    taho_config *cfg = taho_config_new();
    taho_config_engine(cfg, s->o->engine);
    taho_config_opt_level(cfg, s->o->opt);
    s->engine = taho_engine_new(cfg);
    if (!s->engine) return snprintf(err, n, "out of memory"), false;
    s->store = taho_store_new(s->engine);
    s->linker = taho_linker_new(s->engine);
    if (!s->store || !s->linker) return snprintf(err, n, "out of memory"), false;
    return wast_define_spectest(s->store, s->linker, err, n);
}

static void teardown(script *s) {
    if (s->linker) taho_linker_delete(s->linker);
    if (s->store) taho_store_delete(s->store);
    for (size_t i = 0; i < s->nmods; i++) taho_module_delete(s->mods[i]);
    if (s->engine) taho_engine_delete(s->engine);
    for (size_t i = 0; i < s->nnames; i++) free(s->names[i].name);
    free(s->names);
    free(s->mods);
    free(s->dir);
}

static bool read_json(const char *path, json *out, char *err, size_t n) {
    size_t len;
    uint8_t *text = cli_read_file(path, &len);
    if (!text) return snprintf(err, n, "cannot read %s: %s", path, strerror(errno)), false;
    char jerr[200];
    bool ok = json_parse((const char *)text, len, out, jerr, sizeof jerr);
    free(text);
    if (!ok) snprintf(err, n, "%s: not valid JSON (%s)", path, jerr);
    return ok;
}

static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

bool wast_run_json(const char *json_path, const char *name, const wast_opts *o, wast_counts *c,
                   char *err, size_t errsz) {
    json doc;
    if (!read_json(json_path, &doc, err, errsz)) return false;
    const json *cmds = json_get_array(&doc, "commands");
    script s = {.o = o, .name = name, .c = c, .dir = dir_of(json_path)};
    bool ok = cmds && s.dir && setup(&s, err, errsz);
    if (!cmds) snprintf(err, errsz, "%s: no \"commands\" list", json_path);
    for (size_t i = 0; ok && i < cmds->len; i++) run_command(&s, &cmds->u.items[i]);
    teardown(&s);
    json_free(&doc);
    return ok;
}
