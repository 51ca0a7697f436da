/* cmd_compile: `taho compile IN.wasm -o OUT.taho [--optimize speed|size|none]
   [--target native|x86-64[-v2|-v3|-v4]] [--jobs N] [--consume-fuel]
   [--epoch-interruption]`: compile ahead of time into an artifact that `taho run` maps
   and runs without compiling (and without LLVM). As in wasmtime, the engine's config
   decides the fuel and epoch checks compiled in; `taho run` then needs --fuel and
   --timeout (or [limits]) exactly when the artifact has them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

typedef struct compile_opts {
    const char *in, *out, *target;
    taho_opt_level opt;
    long jobs;                    /* 0: all cores */
    bool fuel, epoch;             /* --consume-fuel, --epoch-interruption */
} compile_opts;

static int take_value(int argc, char **argv, int *i, const char **val) {
    const char *a = argv[*i], *eq = strchr(a, '=');
    if (eq && a[0] == '-' && a[1] == '-') {
        *val = eq + 1;
        return CLI_OK;
    }
    if (*i + 1 >= argc) return cli_usage_error("compile: %s needs a value", a);
    *val = argv[++*i];
    return CLI_OK;
}

static bool is_opt(const char *a, const char *name) {
    size_t n = strlen(name);
    return !strncmp(a, name, n) && (a[n] == 0 || a[n] == '=');
}

static int parse(int argc, char **argv, compile_opts *o) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        taho_engine_kind ignored;
        int rc = CLI_OK;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            puts("usage: taho compile IN.wasm -o OUT.taho [--optimize speed|size|none]\n"
                 "                    [--target native|x86-64|x86-64-v2|x86-64-v3|x86-64-v4] [--jobs N]\n"
                 "                    [--consume-fuel] [--epoch-interruption]\n"
                 "  --consume-fuel        compile fuel checks in: the artifact runs with --fuel N\n"
                 "  --epoch-interruption  compile epoch checks in: the artifact runs with --timeout");
            exit(CLI_OK);
        }
        if (!strcmp(a, "-o") || is_opt(a, "--output")) {
            if ((rc = take_value(argc, argv, &i, &v)) == CLI_OK) o->out = v;
        } else if (is_opt(a, "--optimize")) {
            if ((rc = take_value(argc, argv, &i, &v)) == CLI_OK)
                rc = cli_engine_option("--optimize", v, &ignored, &o->opt);
        } else if (is_opt(a, "--target")) {
            if ((rc = take_value(argc, argv, &i, &v)) == CLI_OK) o->target = v;
        } else if (is_opt(a, "--jobs") || !strcmp(a, "-j")) {
            char *end;
            if ((rc = take_value(argc, argv, &i, &v)) == CLI_OK) {
                o->jobs = strtol(v, &end, 10);
                if (*end || o->jobs < 1 || o->jobs > 64)
                    rc = cli_usage_error("compile: --jobs takes 1 to 64, not '%s'", v);
            }
        } else if (!strcmp(a, "--consume-fuel")) {
            o->fuel = true;
        } else if (!strcmp(a, "--epoch-interruption")) {
            o->epoch = true;
        } else if (a[0] == '-' && a[1]) {
            rc = cli_usage_error("compile: unknown option '%s'", a);
        } else if (o->in) {
            rc = cli_usage_error("compile: one input file only ('%s' and '%s')", o->in, a);
        } else {
            o->in = a;
        }
        if (rc != CLI_OK) return rc;
    }
    if (!o->in) return cli_usage_error("compile: missing IN.wasm");
    if (!o->out) return cli_usage_error("compile: missing -o OUT.taho");
    return CLI_OK;
}

/* ---- the progress bar (a terminal only, and only for compiles that take a while) ---- */

typedef struct progress {
    bool tty, drawn;
    const char *name;
} progress;

static void draw(void *arg, uint32_t done, uint32_t total) {
    progress *p = arg;
    if (!p->tty || (!p->drawn && done == total)) return; /* one part: nothing to show */
    int width = 30, fill = total ? (int)((uint64_t)done * width / total) : width;
    fprintf(stderr, "\r  compiling %s [%.*s%*s] %u/%u functions", p->name, fill,
            "##############################", width - fill, "", done, total);
    p->drawn = true;
}

static void finish(progress *p) {
    if (p->drawn) fputs("\r\033[K", stderr);
}

/* ---- compiling ---- */

/* NULL with *known false for a --target taho does not know. */
static taho_engine *make_engine(const compile_opts *o, progress *p, bool *known) {
    taho_config *cfg = taho_config_new();
    *known = true;
    if (!cfg) return NULL;
    taho_config_engine(cfg, TAHO_ENGINE_JIT);
    taho_config_opt_level(cfg, o->opt);
    taho_config_consume_fuel(cfg, o->fuel);
    taho_config_epoch_interruption(cfg, o->epoch);
    *known = taho_config_target(cfg, o->target ? o->target : "native");
    taho_config_compile_threads(cfg, (uint32_t)o->jobs);
    taho_config_compile_progress(cfg, draw, p);
    if (*known) return taho_engine_new(cfg);
    taho_config_delete(cfg);
    return NULL;
}

static int write_out(const char *path, const uint8_t *bytes, size_t len) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) return cli_fail("cannot write '%s': %s", path, strerror(errno));
    bool ok = fwrite(bytes, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        return cli_fail("cannot write '%s': %s", path, strerror(e));
    }
    return CLI_OK;
}

static int compile(const compile_opts *o, const uint8_t *bytes, size_t len) {
    progress p = {.tty = isatty(2), .name = strrchr(o->in, '/') ? strrchr(o->in, '/') + 1 : o->in};
    bool known;
    taho_engine *e = make_engine(o, &p, &known);
    if (!known)
        return cli_usage_error("compile: unknown --target '%s' (native, x86-64, x86-64-v2, "
                               "x86-64-v3 or x86-64-v4)", o->target);
    if (!e) return cli_fail("out of memory");
    taho_module *m = NULL;
    taho_error *err = taho_module_new(e, bytes, len, &m);
    finish(&p);
    uint8_t *out = NULL;
    size_t out_len = 0;
    if (!err) err = taho_module_serialize(m, &out, &out_len);
    int rc = CLI_OK;
    if (err) {
        char msg[512];
        cli_describe_error(err, msg, sizeof msg);
        taho_error_delete(err);
        rc = cli_fail("%s: %s", o->in, msg);
    } else {
        rc = write_out(o->out, out, out_len);
    }
    taho_bytes_free(out);
    taho_module_delete(m);
    taho_engine_delete(e);
    return rc;
}

int cmd_compile(int argc, char **argv) {
    compile_opts o = {.opt = TAHO_OPT_SPEED};
    int rc = parse(argc, argv, &o);
    if (rc != CLI_OK) return rc;
    size_t len;
    uint8_t *bytes = cli_read_file(o.in, &len);
    if (!bytes) return cli_usage_error("cannot read '%s': %s", o.in, strerror(errno));
    if (taho_is_artifact(bytes, len)) {
        free(bytes);
        return cli_fail("%s: already a compiled artifact", o.in);
    }
    rc = compile(&o, bytes, len);
    free(bytes);
    return rc;
}
