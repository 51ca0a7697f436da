/* config: reads and checks taho.toml into a cli_config (see config.h and the README's
   "Configuration (taho.toml)" section, which documents every key here). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "toml.h"

const char *cli_config_path;
bool cli_config_limits_honoured;

typedef struct ctx {
    const char *file;
    char *dir;              /* the file's directory, for relative host paths */
    cli_config *out;
} ctx;

int cli_config_take_opt(char **argv, int argc, int *i, const char **path) {
    const char *a = argv[*i];
    if (!strncmp(a, "--config=", 9)) *path = a + 9;
    else if (!strcmp(a, "--config")) {
        if (*i + 1 >= argc) return cli_usage_error("--config needs a file name"), -1;
        *path = argv[++*i];
    } else return 0;
    if (!**path) return cli_usage_error("--config needs a file name"), -1;
    return 1;
}

void cli_config_defaults(cli_config *out) {
    *out = (cli_config){.engine = TAHO_ENGINE_INTERP, .opt_level = TAHO_OPT_SPEED,
                        .parallel_compilation = true, .cache = true};
}

static void free_list(char **v, size_t n) {
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

void cli_config_free(cli_config *c) {
    free(c->path);
    free(c->cache_dir);
    free_list(c->dirs, c->ndirs);
    free_list(c->dirs_ro, c->ndirs_ro);
    free_list(c->env, c->nenv);
    cli_config_defaults(c);
}

/* ---- messages ---- */

/* Keys and values may hold any character (quoted keys, escapes); the message stays one line. */
static void one_line(char *s) {
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F) *s = '?';
}

__attribute__((format(printf, 5, 6)))
static int bad_at(ctx *c, int line, int col, const char *key, const char *fmt, ...) {
    char k[256], msg[512];
    snprintf(k, sizeof k, "%s", key);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    one_line(k);
    one_line(msg);
    fprintf(stderr, "taho: %s:%d:%d: %s: %s\n", c->file, line, col, k, msg);
    return CLI_USAGE;
}

static void join(char *out, size_t n, const char *prefix, const char *key) {
    snprintf(out, n, "%s%s%s", prefix, *prefix ? "." : "", key);
}

static const char *article(toml_type t) { return t == TOML_INTEGER || t == TOML_ARRAY ? "an" : "a"; }

static int wrong_type(ctx *c, const toml_keyval *kv, const char *key, const char *want) {
    return bad_at(c, kv->line, kv->col, key, "expected %s, found %s %s", want, article(kv->value->type),
                  toml_type_name(kv->value->type));
}

static bool is_known(const toml_keyval *kv, const char *const *known) {
    for (size_t k = 0; known[k]; k++)
        if (strlen(known[k]) == kv->keylen && !memcmp(kv->key, known[k], kv->keylen)) return true;
    return false;
}

/* Every key of table t must be in known (NULL-terminated). */
static int check_keys(ctx *c, const toml_value *t, const char *prefix, const char *const *known) {
    for (size_t i = 0; i < t->len; i++) {
        const toml_keyval *kv = &t->u.entries[i];
        if (is_known(kv, known)) continue;
        char key[256], list[256] = "";
        join(key, sizeof key, prefix, kv->key);
        for (size_t k = 0, used = 0; known[k] && used < sizeof list; k++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", known[k]);
        return bad_at(c, kv->line, kv->col, key, "unknown key (%s%s%s takes: %s)", *prefix ? "[" : "",
                      *prefix ? prefix : "the top level", *prefix ? "]" : "", list);
    }
    return CLI_OK;
}

/* ---- typed getters: CLI_OK when absent (the default stays) ---- */

static int get_table(ctx *c, const toml_value *t, const char *prefix, const char *name, const toml_value **out) {
    const toml_keyval *kv = toml_find(t, name);
    *out = NULL;
    if (!kv) return CLI_OK;
    char key[256];
    join(key, sizeof key, prefix, name);
    if (kv->value->type != TOML_TABLE) return wrong_type(c, kv, key, "a table");
    *out = kv->value;
    return CLI_OK;
}

static int get_bool(ctx *c, const toml_value *t, const char *prefix, const char *name, bool *out) {
    const toml_keyval *kv = toml_find(t, name);
    if (!kv) return CLI_OK;
    char key[256];
    join(key, sizeof key, prefix, name);
    if (kv->value->type != TOML_BOOL) return wrong_type(c, kv, key, "true or false");
    *out = kv->value->u.b;
    return CLI_OK;
}

/* A string that is one of choices (NULL-terminated); *out is its index. */
static int get_choice(ctx *c, const toml_value *t, const char *prefix, const char *name,
                      const char *const *choices, int *out, const toml_keyval **where) {
    const toml_keyval *kv = toml_find(t, name);
    char key[256], list[128] = "";
    join(key, sizeof key, prefix, name);
    for (size_t k = 0, used = 0; choices[k] && used < sizeof list; k++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\"", k ? " or " : "", choices[k]);
    if (where) *where = kv;
    if (!kv) return CLI_OK;
    if (kv->value->type != TOML_STRING) return wrong_type(c, kv, key, list);
    for (int k = 0; choices[k]; k++)
        if (!strcmp(kv->value->u.str, choices[k]) && strlen(choices[k]) == kv->value->len) return *out = k, CLI_OK;
    return bad_at(c, kv->line, kv->col, key, "\"%s\" is not one of %s", kv->value->u.str, list);
}

static int get_int(ctx *c, const toml_value *t, const char *prefix, const char *name, int64_t lo,
                   int64_t hi, int64_t *out, const toml_keyval **where) {
    const toml_keyval *kv = toml_find(t, name);
    char key[256];
    join(key, sizeof key, prefix, name);
    if (where) *where = kv;
    if (!kv) return CLI_OK;
    if (kv->value->type != TOML_INTEGER) return wrong_type(c, kv, key, "an integer");
    int64_t v = kv->value->u.i;
    if (v < lo || v > hi)
        return bad_at(c, kv->line, kv->col, key, "%" PRId64 " is out of range (%" PRId64 " to %" PRId64 ")", v, lo, hi);
    *out = v;
    return CLI_OK;
}

/* A string without NUL bytes (they cannot reach a C string, an env var or a path). */
static int plain_string(ctx *c, const toml_value *v, const char *key, int line, int col) {
    if (v->type != TOML_STRING)
        return bad_at(c, line, col, key, "expected a string, found %s %s", article(v->type), toml_type_name(v->type));
    if (strlen(v->u.str) != v->len) return bad_at(c, line, col, key, "contains a NUL character");
    return CLI_OK;
}

/* ---- [runtime] ---- */

static char *resolve_path(ctx *c, const char *path);

/* The LLVM tier is a plugin beside the taho binary, or at $TAHO_LLVM_PLUGIN (the same
   places src/runtime/tier.c loads it from). */
static bool llvm_plugin_present(void) {
    const char *env = getenv("TAHO_LLVM_PLUGIN");
    if (env && *env) return access(env, R_OK) == 0;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 32);
    if (n <= 0) return false;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash) return false;
    strcpy(slash + 1, "libtaho-llvm.so");
    return access(exe, R_OK) == 0;
}

static int load_jit(ctx *c, const toml_value *rt) {
    const toml_value *jit;
    int rc = get_table(c, rt, "runtime", "jit", &jit);
    if (rc || !jit) return rc;
    static const char *const known[] = {"opt_level", "parallel_compilation", "cache",
                                        "cache_dir", NULL};
    static const char *const levels[] = {"none", "speed", "size", NULL};
    static const taho_opt_level level_of[] = {TAHO_OPT_NONE, TAHO_OPT_SPEED, TAHO_OPT_SIZE};
    int level = -1;
    if ((rc = check_keys(c, jit, "runtime.jit", known))) return rc;
    if ((rc = get_choice(c, jit, "runtime.jit", "opt_level", levels, &level, NULL))) return rc;
    if (level >= 0) c->out->opt_level = level_of[level];
    if ((rc = get_bool(c, jit, "runtime.jit", "parallel_compilation", &c->out->parallel_compilation))) return rc;
    if ((rc = get_bool(c, jit, "runtime.jit", "cache", &c->out->cache))) return rc;
    const toml_keyval *kv = toml_find(jit, "cache_dir");
    if (!kv) return CLI_OK;
    if ((rc = plain_string(c, kv->value, "runtime.jit.cache_dir", kv->line, kv->col))) return rc;
    if (!kv->value->len) return bad_at(c, kv->line, kv->col, "runtime.jit.cache_dir", "is empty");
    c->out->cache_dir = resolve_path(c, kv->value->u.str);
    return c->out->cache_dir ? CLI_OK : CLI_FAIL;
}

/* Checked against the runtime's own bounds (taho_config_pooling). */
static int load_pool(ctx *c, const toml_value *rt) {
    const toml_value *pool;
    int rc = get_table(c, rt, "runtime", "pool", &pool);
    if (rc || !pool) return rc;
    static const char *const known[] = {"memory_pool_size", "instance_memory_pages", "instance_table_elements", NULL};
    if ((rc = check_keys(c, pool, "runtime.pool", known))) return rc;
    static const int64_t lo[] = {0, 1, 1}, hi[] = {10000, 65536, 10000000};
    int64_t v[] = {1000, 256, 1000};
    for (int k = 0; k < 3; k++)
        if ((rc = get_int(c, pool, "runtime.pool", known[k], lo[k], hi[k], &v[k], NULL))) return rc;
    c->out->pool = v[0] > 0;   /* 0 slots: no pool, memory on demand */
    c->out->pool_instances = (uint32_t)v[0];
    c->out->pool_memory_pages = (uint32_t)v[1];
    c->out->pool_table_elements = (uint32_t)v[2];
    return CLI_OK;
}

static int load_runtime(ctx *c, const toml_value *root) {
    const toml_value *rt;
    int rc = get_table(c, root, "", "runtime", &rt);
    if (rc || !rt) return rc;
    static const char *const known[] = {"engine", "jit", "pool", NULL};
    static const char *const engines[] = {"interp", "jit", NULL};
    if ((rc = check_keys(c, rt, "runtime", known))) return rc;
    int engine = -1;
    const toml_keyval *kv;
    if ((rc = get_choice(c, rt, "runtime", "engine", engines, &engine, &kv))) return rc;
    if (engine == 1) c->out->engine = TAHO_ENGINE_JIT;
    if (kv) c->out->engine_line = kv->line, c->out->engine_col = kv->col;
    if ((rc = load_jit(c, rt))) return rc;
    return load_pool(c, rt);
}

/* ---- [wasi] ---- */

static int push(char ***v, size_t *n, char *s) {
    if (!s) return cli_fail("out of memory");
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) return free(s), cli_fail("out of memory");
    nv[(*n)++] = s;
    *v = nv;
    return CLI_OK;
}

/* "HOST[::GUEST]" with HOST made absolute against the file's directory; the guest
   name stays as written. */
static char *resolve_dir(ctx *c, const char *spec) {
    const char *sep = strstr(spec, "::");
    size_t hl = sep ? (size_t)(sep - spec) : strlen(spec);
    const char *guest = sep ? sep + 2 : spec;
    bool rel = spec[0] != '/';
    size_t n = (rel ? strlen(c->dir) + 1 : 0) + hl + 2 + strlen(guest) + 1;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s%s%.*s::%s", rel ? c->dir : "", rel ? "/" : "", (int)hl, spec, guest);
    return s;
}

/* A path made absolute against the file's directory. */
static char *resolve_path(ctx *c, const char *path) {
    bool rel = path[0] != '/';
    size_t n = (rel ? strlen(c->dir) + 1 : 0) + strlen(path) + 1;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s%s%s", rel ? c->dir : "", rel ? "/" : "", path);
    return s;
}

static int load_dirs(ctx *c, const toml_value *w, const char *name, char ***out, size_t *n) {
    const toml_keyval *kv = toml_find(w, name);
    if (!kv) return CLI_OK;
    char key[256];
    join(key, sizeof key, "wasi", name);
    if (kv->value->type != TOML_ARRAY) return wrong_type(c, kv, key, "an array of \"HOST[::GUEST]\" strings");
    for (size_t i = 0; i < kv->value->len; i++) {
        const toml_value *v = kv->value->u.items[i];
        int rc = plain_string(c, v, key, v->line, v->col);
        if (rc) return rc;
        const char *sep = strstr(v->u.str, "::");
        if (!v->len || sep == v->u.str || (sep && !sep[2]))
            return bad_at(c, v->line, v->col, key, "\"%s\" is not HOST or HOST::GUEST", v->u.str);
        if ((rc = push(out, n, resolve_dir(c, v->u.str)))) return rc;
    }
    return CLI_OK;
}

static int load_env(ctx *c, const toml_value *w) {
    const toml_keyval *kv = toml_find(w, "env");
    if (!kv) return CLI_OK;
    if (kv->value->type != TOML_TABLE) return wrong_type(c, kv, "wasi.env", "a table of NAME = \"VALUE\"");
    for (size_t i = 0; i < kv->value->len; i++) {
        const toml_keyval *e = &kv->value->u.entries[i];
        char key[256];
        snprintf(key, sizeof key, "wasi.env.%s", e->key);
        if (strlen(e->key) != e->keylen || strchr(e->key, '='))
            return bad_at(c, e->line, e->col, key, "an environment variable name cannot contain '=' or NUL");
        int rc = plain_string(c, e->value, key, e->line, e->col);
        if (rc) return rc;
        size_t n = e->keylen + e->value->len + 2;
        char *s = malloc(n);
        if (s) snprintf(s, n, "%s=%s", e->key, e->value->u.str);
        if ((rc = push(&c->out->env, &c->out->nenv, s))) return rc;
    }
    return CLI_OK;
}

static int load_wasi(ctx *c, const toml_value *root) {
    const toml_value *w;
    int rc = get_table(c, root, "", "wasi", &w);
    if (rc || !w) return rc;
    static const char *const known[] = {"dirs", "dirs_ro", "env", "inherit_env", NULL};
    if ((rc = check_keys(c, w, "wasi", known))) return rc;
    if ((rc = load_dirs(c, w, "dirs", &c->out->dirs, &c->out->ndirs))) return rc;
    if ((rc = load_dirs(c, w, "dirs_ro", &c->out->dirs_ro, &c->out->ndirs_ro))) return rc;
    if ((rc = load_env(c, w))) return rc;
    return get_bool(c, w, "wasi", "inherit_env", &c->out->inherit_env);
}

/* ---- [limits] ---- */

/* "64MiB", "512KiB", "1G", "4096" (bytes), or an integer of bytes: the forms the
   --max-memory and --max-stack flags take (run_limits.c). */
static bool parse_size(const toml_value *v, uint64_t *out) {
    if (v->type == TOML_INTEGER) return v->u.i >= 0 && (*out = (uint64_t)v->u.i, true);
    if (v->type != TOML_STRING) return false;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v->u.str, &end, 10);
    if (errno || end == v->u.str || v->u.str[0] == '-') return false;
    static const struct { const char *suffix; unsigned shift; } units[] = {
        {"", 0}, {"B", 0}, {"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"K", 10}, {"M", 20}, {"G", 30},
    };
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
        if (!strcmp(end, units[k].suffix)) {
            if (n > (UINT64_MAX >> units[k].shift)) return false;
            return *out = n << units[k].shift, true;
        }
    return false;
}

/* "500ms", "10s", "2m", "1h", "250us". */
static bool parse_duration(const toml_value *v, uint64_t *us) {
    if (v->type != TOML_STRING) return false;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v->u.str, &end, 10);
    if (errno || end == v->u.str || v->u.str[0] == '-') return false;
    static const struct { const char *suffix; uint64_t us; } units[] = {
        {"us", 1}, {"ms", 1000}, {"s", 1000000}, {"m", 60000000}, {"h", 3600000000ull},
    };
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
        if (!strcmp(end, units[k].suffix)) {
            if (n > UINT64_MAX / units[k].us) return false;
            return *us = n * units[k].us, true;
        }
    return false;
}

/* [limits] (fuel, memory, time and stack) are checked for type and form, then refused
   unless the run command enforces them (cli_config_limits_honoured): a limit that
   silently does nothing is worse than an error. */
static int load_limits(ctx *c, const toml_value *root) {
    const toml_value *l;
    int rc = get_table(c, root, "", "limits", &l);
    if (rc || !l) return rc;
    static const char *const known[] = {"fuel", "max_memory", "timeout", "max_stack", NULL};
    if ((rc = check_keys(c, l, "limits", known))) return rc;
    for (size_t i = 0; i < l->len; i++) {
        const toml_keyval *kv = &l->u.entries[i];
        const toml_value *v = kv->value;
        char key[256];
        join(key, sizeof key, "limits", kv->key);
        cli_config *o = c->out;
        if (!strcmp(kv->key, "fuel")) {
            if (v->type != TOML_INTEGER || v->u.i < 1)
                return bad_at(c, kv->line, kv->col, key, "expected a positive integer (instructions)");
            o->has_fuel = true, o->fuel = (uint64_t)v->u.i;
        } else if (!strcmp(kv->key, "timeout")) {
            if (!(o->has_timeout = parse_duration(v, &o->timeout_us)))
                return bad_at(c, kv->line, kv->col, key, "expected a duration such as \"500ms\", \"10s\" or \"2m\"");
        } else if (!strcmp(kv->key, "max_memory")) {
            if (!(o->has_max_memory = parse_size(v, &o->max_memory)))
                return bad_at(c, kv->line, kv->col, key, "expected a size such as \"64MiB\" or a number of bytes");
        } else if (!(o->has_max_stack = parse_size(v, &o->max_stack)))
            return bad_at(c, kv->line, kv->col, key, "expected a size such as \"64MiB\" or a number of bytes");
    }
    if (!l->len || cli_config_limits_honoured) return CLI_OK;
    char key[256];
    join(key, sizeof key, "limits", l->u.entries[0].key);
    return bad_at(c, l->u.entries[0].line, l->u.entries[0].col, key,
                  "this build cannot enforce [limits] yet; remove the section");
}

/* ---- loading ---- */

static int parse_file(ctx *c, const char *text, size_t len) {
    toml_error err;
    toml_value *root = toml_parse(text, len, &err);
    if (!root) {
        one_line(err.msg);
        fprintf(stderr, "taho: %s:%d:%d: %s\n", c->file, err.line, err.col, err.msg);
        return CLI_USAGE;
    }
    static const char *const known[] = {"runtime", "wasi", "limits", NULL};
    int rc = check_keys(c, root, "", known);
    if (!rc) rc = load_runtime(c, root);
    if (!rc) rc = load_wasi(c, root);
    if (!rc) rc = load_limits(c, root);
    toml_free(root);
    return rc;
}

static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (slash == path) return strdup("/");
    if (slash) return strndup(path, (size_t)(slash - path));
    char cwd[PATH_MAX];
    return strdup(getcwd(cwd, sizeof cwd) ? cwd : ".");
}

int cli_config_load(const char *path, cli_config *out) {
    cli_config_defaults(out);
    const char *file = path ? path : CLI_CONFIG_FILE;
    size_t len;
    char *text = (char *)cli_read_file(file, &len);
    if (!text) {
        if (!path && errno == ENOENT) return CLI_OK;
        return cli_usage_error("cannot read config '%s': %s", file, strerror(errno));
    }
    ctx c = {.file = file, .dir = dir_of(file), .out = out};
    int rc = c.dir ? parse_file(&c, text, len) : cli_fail("out of memory");
    free(text);
    free(c.dir);
    if (rc == CLI_OK && !(out->path = strdup(file))) rc = cli_fail("out of memory");
    if (rc != CLI_OK) cli_config_free(out);
    return rc;
}

int cli_config_wasi_grants(const cli_config *c, run_wasi_opts *o) {
    size_t extra = c->ndirs + c->ndirs_ro + c->nenv;
    if (c->inherit_env) o->inherit_env = true;
    if (!extra) return CLI_OK;
    run_grant *g = calloc((size_t)o->ngrants + extra + 1, sizeof *g);
    if (!g) return cli_fail("out of memory");
    size_t n = 0;
    for (size_t i = 0; i < c->ndirs; i++) g[n++] = (run_grant){GRANT_DIR, c->dirs[i]};
    for (size_t i = 0; i < c->ndirs_ro; i++) g[n++] = (run_grant){GRANT_DIR_RO, c->dirs_ro[i]};
    for (size_t i = 0; i < c->nenv; i++) g[n++] = (run_grant){GRANT_ENV, c->env[i]};
    memcpy(g + n, o->grants, (size_t)o->ngrants * sizeof *g);
    free(o->grants);
    o->grants = g;
    o->ngrants += (int)extra;
    return CLI_OK;
}

/* a then b in buf; false if they do not fit. (Not snprintf: every `taho run` makes this
   path, and printf's code is pages the start-up need not fault in.) */
static bool path_join(char *buf, size_t size, const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb >= size) return false;
    memcpy(buf, a, la);
    memcpy(buf + la, b, lb + 1);
    return true;
}

bool cli_default_cache_dir(char *buf, size_t size) {
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg == '/') return path_join(buf, size, xdg, "/taho");
    if (home && *home == '/') return path_join(buf, size, home, "/.cache/taho");
    return false;
}

void cli_config_apply(const cli_config *c, taho_config *tc, bool no_cache) {
    if (c->pool) taho_config_pooling(tc, c->pool_instances, c->pool_memory_pages, c->pool_table_elements);
    taho_config_parallel_compilation(tc, c->parallel_compilation);
    char dir[4096];
    if (no_cache || !c->cache) return;
    if (c->cache_dir) taho_config_cache_dir(tc, c->cache_dir);
    else if (cli_default_cache_dir(dir, sizeof dir)) taho_config_cache_dir(tc, dir);
}

/* Settings this build cannot honour, judged once the flags are merged in (a file's
   "jit" is no error when --engine interp overrides it). */
static int check_honoured(const cli_config *c, taho_engine_kind engine, bool engine_from_file) {
    ctx x = {.file = c->path};
    if (engine != TAHO_ENGINE_JIT) return CLI_OK;
    if (engine_from_file && c->engine_line && !llvm_plugin_present())
        return bad_at(&x, c->engine_line, c->engine_col, "runtime.engine",
                      "\"jit\" needs the LLVM tier, which this build lacks (no libtaho-llvm.so "
                      "beside the taho binary or at $TAHO_LLVM_PLUGIN); use \"interp\"");
    return CLI_OK;
}

int cli_config_run(const char *flag_path, cli_config *c, run_wasi_opts *w, taho_engine_kind *engine,
                   taho_opt_level *opt) {
    int rc = cli_config_load(flag_path ? flag_path : cli_config_path, c);
    if (rc != CLI_OK) return rc;
    bool from_file = (int)*engine == -1;
    if (from_file) *engine = c->engine;
    if ((int)*opt == -1) *opt = c->opt_level;
    if ((rc = check_honoured(c, *engine, from_file))) return rc;
    return cli_config_wasi_grants(c, w);
}
