/* cmd_run: `taho run [OPTIONS] FILE.wasm [ARGS...]` instantiates and calls _start (a
   WASI command, with the grants of run_wasi.c) or --invoke NAME. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "config.h"
#include "run_limits.h"
#include "run_wasi.h"
#include "value.h"

typedef struct run_opts {
    const char *path, *invoke;
    char **args;
    int nargs;
    bool help;
    bool no_cache;             /* --no-cache: the JIT compiles even what it cached */
    run_wasi_opts wasi;
    taho_engine_kind engine;
    taho_opt_level opt;
    const char *config;        /* --config FILE */
    cli_config cfg;            /* taho.toml, under the flags */
    run_limits limits;         /* --fuel, --max-memory, --timeout, --max-stack, [limits] */
} run_opts;

typedef struct run_ctx {
    const run_opts *o;
    taho_engine *engine;
    taho_store *store;
    taho_linker *linker;
    taho_module *module;
    taho_instance *instance;
    bool wasi;
    run_limits *limits;
} run_ctx;

/* Takes --invoke NAME (or --invoke=NAME); returns 0 if arg is not --invoke, -1 on error. */
static int take_invoke(run_opts *o, char **argv, int argc, int *i) {
    const char *a = argv[*i];
    const char *name = NULL;
    if (!strncmp(a, "--invoke=", 9)) name = a + 9;
    else if (!strcmp(a, "--invoke")) {
        if (*i + 1 >= argc) return cli_usage_error("run: --invoke needs a function name"), -1;
        name = argv[++*i];
    } else return 0;
    if (o->invoke) return cli_usage_error("run: --invoke given twice"), -1;
    o->invoke = name;
    return 1;
}

/* Options may come before FILE; after FILE only --invoke is special, so negative
   numbers pass through as arguments. "--" ends options. */
static int parse_run_args(int argc, char **argv, run_opts *o) {
    int i = 1;
    while (i < argc && !o->path) {
        const char *a = argv[i];
        int t = take_invoke(o, argv, argc, &i);
        if (t == 0) t = run_wasi_take_opt(&o->wasi, argv, argc, &i);
        if (t == 0) t = cli_config_take_opt(argv, argc, &i, &o->config);
        if (t == 0 && (t = run_limits_option(a, i + 1 < argc ? argv[i + 1] : NULL, &o->limits)) > 0) i++;
        if (t == 0 && (!strcmp(a, "--engine") || !strcmp(a, "--optimize")))
            t = ++i < argc && cli_engine_option(a, argv[i], &o->engine, &o->opt) == CLI_OK ? 1 : -1;
        if (t < 0) return CLI_USAGE;
        if (t == 0 && (!strcmp(a, "-h") || !strcmp(a, "--help"))) return o->help = true, CLI_OK;
        if (t == 0 && !strcmp(a, "--no-cache")) t = 1, o->no_cache = true;
        if (t == 0 && !strcmp(a, "--")) { if (++i < argc) o->path = argv[i]; }
        else if (t == 0 && a[0] == '-' && a[1]) return cli_usage_error("run: unknown option '%s'", a);
        else if (t == 0) o->path = a;
        i++;
    }
    if (!o->path) return cli_usage_error("run: missing FILE.wasm");
    if (i < argc) {
        int t = take_invoke(o, argv, argc, &i);
        if (t < 0) return CLI_USAGE;
        if (t > 0) i++;
    }
    if (i < argc && !strcmp(argv[i], "--")) i++;
    o->args = argv + i;
    o->nargs = argc - i;
    return CLI_OK;
}

static void print_trap(const char *path, taho_trap *trap) {
    cli_fail("%s: trap: %s", path, taho_trap_message(trap));
    size_t n = taho_trap_frame_count(trap);
    for (size_t i = 0, j; i < n; i = j) { /* runs of one frame (recursion) print once */
        const char *frame = taho_trap_frame(trap, i);
        for (j = i + 1; j < n && !strcmp(taho_trap_frame(trap, j), frame); j++) {}
        if (j - i > 1) fprintf(stderr, "    at %s (%zu frames)\n", frame, j - i);
        else fprintf(stderr, "    at %s\n", frame);
    }
    if (n == TAHO_TRAP_MAX_FRAMES)
        fprintf(stderr, "    at ... (a backtrace keeps the innermost %d frames)\n", TAHO_TRAP_MAX_FRAMES);
}

/* Report an error value as one line (plus a hint); a trap while instantiating also gets
   its backtrace. */
static int report_error(const char *path, taho_error *err, taho_trap *trap, const char *hint) {
    char msg[512];
    cli_describe_error(err, msg, sizeof msg);
    taho_error_delete(err);
    if (trap) {
        print_trap(path, trap);
        taho_trap_delete(trap);
        return CLI_FAIL;
    }
    return cli_fail("%s: %s%s", path, msg, hint);
}

/* The guest's argv: the module's file name, then the arguments (unless they are for
   --invoke). */
static int define_wasi(run_ctx *c) {
    c->wasi = run_wasi_wanted(c->module);
    if (!c->wasi) {
        if (!c->o->invoke && c->o->nargs > 0)
            return cli_usage_error("run: arguments need --invoke NAME or a WASI command");
        return CLI_OK;
    }
    const char *base = strrchr(c->o->path, '/');
    int n = c->o->invoke ? 0 : c->o->nargs;
    const char **argv = calloc((size_t)n + 1, sizeof *argv);
    if (!argv) return cli_fail("out of memory");
    argv[0] = base ? base + 1 : c->o->path;
    for (int i = 0; i < n; i++) argv[i + 1] = c->o->args[i];
    int rc = CLI_OK;
    taho_wasi_config *cfg = run_wasi_config(&c->o->wasi, argv, n + 1, &rc);
    free(argv);
    if (!cfg) return rc;
    taho_error *err = taho_linker_define_wasi(c->linker, c->store, cfg);
    if (err) return report_error(c->o->path, err, NULL, "");
    return CLI_OK;
}

/* A .wasm is compiled (or interpreted) as the engine says; an artifact (taho compile)
   is mapped and runs its own code, whatever the engine. The library tells them apart;
   on an error the file is read once more (the module kept nothing), to tell an
   artifact's message (it names the file already) and to hint at the text format. */
static int load_module(run_ctx *c) {
    taho_error *err = taho_module_from_file(c->engine, c->o->path, &c->module);
    if (!err) return CLI_OK;
    if (taho_error_kind_of(err) == TAHO_ERROR_IO) {
        int rc = cli_usage_error("%s", taho_error_message(err));
        taho_error_delete(err);
        return rc;
    }
    size_t len = 0;
    uint8_t *bytes = cli_read_file(c->o->path, &len);
    int rc;
    if (bytes && taho_is_artifact(bytes, len)) {
        rc = cli_fail("%s", taho_error_message(err));
        taho_error_delete(err);
    } else {
        rc = report_error(c->o->path, err, NULL, bytes ? cli_text_hint(err, bytes, len) : "");
    }
    free(bytes);
    return rc;
}

static int load(run_ctx *c) {
    taho_config *cfg = taho_config_new();
    if (!cfg) return cli_fail("out of memory");
    taho_config_engine(cfg, c->o->engine);
    taho_config_opt_level(cfg, c->o->opt);
    cli_config_apply(&c->o->cfg, cfg, c->o->no_cache);
    run_limits_config(c->limits, cfg);
    c->engine = taho_engine_new(cfg);
    if (!c->engine) return cli_fail("out of memory");
    int rc0 = load_module(c);
    if (rc0 != CLI_OK) return rc0;
    taho_error *err;
    c->store = taho_store_new(c->engine);
    c->linker = taho_linker_new(c->engine);
    if (!c->store || !c->linker) return cli_fail("out of memory");
    int rc = run_limits_store(c->limits, c->engine, c->store);
    if (rc == CLI_OK) rc = define_wasi(c);
    if (rc != CLI_OK) return rc;
    taho_trap *trap = NULL;
    err = taho_linker_instantiate(c->linker, c->store, c->module, &c->instance, &trap);
    if (err) return report_error(c->o->path, err, trap, "");
    return CLI_OK;
}

static int find_func(run_ctx *c, taho_func **out) {
    const char *name = c->o->invoke ? c->o->invoke : "_start";
    taho_extern ext;
    if (!taho_instance_export(c->instance, name, &ext)) {
        if (!c->o->invoke) return cli_fail("%s: no _start export; use --invoke NAME", c->o->path);
        return cli_fail("%s: no export named '%s'", c->o->path, name);
    }
    if (ext.kind != TAHO_EXTERN_FUNC) return cli_fail("%s: export '%s' is not a function", c->o->path, name);
    *out = ext.of.func;
    return CLI_OK;
}

static void describe_params(const taho_functype *t, char *buf, size_t n) {
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < t->nparams && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? " " : "", taho_valkind_name(t->params[i]));
}

static int parse_call_args(run_ctx *c, const taho_functype *t, taho_val *args) {
    const char *name = c->o->invoke ? c->o->invoke : "_start";
    if (!c->o->invoke && c->wasi && t->nparams == 0) return CLI_OK;
    if ((size_t)c->o->nargs != t->nparams) {
        char ps[256];
        describe_params(t, ps, sizeof ps);
        return cli_usage_error("run: '%s' takes %zu argument%s (%s), got %d", name, t->nparams,
                               t->nparams == 1 ? "" : "s", ps, c->o->nargs);
    }
    for (size_t i = 0; i < t->nparams; i++)
        if (!cli_parse_val(t->params[i], c->o->args[i], &args[i]))
            return cli_usage_error("run: argument %zu of '%s': '%s' is not a valid %s", i + 1, name,
                                   c->o->args[i], taho_valkind_name(t->params[i]));
    return CLI_OK;
}

static void print_results(const taho_val *results, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char text[CLI_VAL_TEXT_MAX];
        cli_format_val(&results[i], text, sizeof text);
        puts(text);
    }
}

/* The exit code for a call's outcome (takes err and trap); a WASI proc_exit status passes
   through. */
static int call_outcome(run_ctx *c, taho_error *err, taho_trap *trap) {
    if (err) return report_error(c->o->path, err, NULL, "");
    if (!trap) return CLI_OK;
    int rc = CLI_FAIL;
    char note[160];
    if (taho_trap_code_of(trap) == TAHO_TRAP_EXIT) rc = taho_trap_exit_status(trap);
    else if (run_limits_note(c->limits, trap, note, sizeof note)) {
        cli_fail("%s: stopped: %s", c->o->path, note);
        print_trap(c->o->path, trap);
    } else print_trap(c->o->path, trap);
    taho_trap_delete(trap);
    return rc;
}

static int call(run_ctx *c, taho_func *f) {
    taho_functype t = taho_func_type(f);
    taho_val *args = calloc(t.nparams + 1, sizeof *args);
    taho_val *results = calloc(t.nresults + 1, sizeof *results);
    int rc = args && results ? parse_call_args(c, &t, args) : cli_fail("out of memory");
    if (rc == CLI_OK) {
        taho_trap *trap = NULL;
        taho_error *err = taho_func_call(c->store, f, args, t.nparams, results, t.nresults, &trap);
        fflush(stdout);
        bool returned = !err && !trap;
        rc = call_outcome(c, err, trap);
        if (returned && c->o->invoke) print_results(results, t.nresults);
    }
    free(args);
    free(results);
    return rc;
}

/* A reactor's _initialize runs once before the export that --invoke names. */
static int initialize(run_ctx *c) {
    taho_extern ext;
    if (!c->o->invoke || !taho_instance_export(c->instance, "_initialize", &ext) ||
        ext.kind != TAHO_EXTERN_FUNC)
        return CLI_OK;
    taho_functype t = taho_func_type(ext.of.func);
    if (t.nparams || t.nresults) return cli_fail("%s: _initialize must take and return nothing", c->o->path);
    taho_trap *trap = NULL;
    taho_error *err = taho_func_call(c->store, ext.of.func, NULL, 0, NULL, 0, &trap);
    return call_outcome(c, err, trap);
}

static void cleanup(run_ctx *c) {
    run_limits_stop(c->limits);
    if (c->linker) taho_linker_delete(c->linker);
    if (c->store) taho_store_delete(c->store);
    if (c->module) taho_module_delete(c->module);
    if (c->engine) taho_engine_delete(c->engine);
}

int cmd_run(int argc, char **argv) {
    run_opts o = {.engine = (taho_engine_kind)-1, .opt = (taho_opt_level)-1};   /* -1: no flag */
    run_ctx c = {.o = &o, .limits = &o.limits};
    taho_func *f;
    o.wasi.grants = calloc((size_t)argc + 1, sizeof *o.wasi.grants);
    if (!o.wasi.grants) return cli_fail("out of memory");
    int rc = parse_run_args(argc, argv, &o);
    if (rc == CLI_OK && o.help) {
        run_print_help();
        free(o.wasi.grants);
        return CLI_OK;
    }
    cli_config_limits_honoured = true; /* run_limits enforces taho.toml's [limits] */
    if (rc == CLI_OK) rc = cli_config_run(o.config, &o.cfg, &o.wasi, &o.engine, &o.opt);
    if (rc == CLI_OK)
        run_limits_merge(&o.limits, o.cfg.has_fuel, o.cfg.fuel, o.cfg.has_max_memory,
                         o.cfg.max_memory, o.cfg.has_timeout, o.cfg.timeout_us,
                         o.cfg.has_max_stack, o.cfg.max_stack);
    if (rc == CLI_OK) rc = load(&c);
    if (rc == CLI_OK) rc = initialize(&c);
    if (rc == CLI_OK) rc = find_func(&c, &f);
    if (rc == CLI_OK) rc = call(&c, f);
    cleanup(&c);
    free(o.wasi.grants);
    cli_config_free(&o.cfg);
    return rc;
}
