/* compile: a module's native code when the engine is the JIT: loaded from the on-disk
   cache, or emitted by the LLVM plugin, linked by src/artifact and mapped from memory
   (and then stored in the cache); and the compile options of config and engine. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "../artifact/artifact.h"
#include "../base/sha256.h"
#include "api.h"

/* ---- options ---- */

bool taho_config_target(taho_config *c, const char *target) {
    uint64_t features;
    if (!c || !target || strlen(target) >= sizeof c->comp.target ||
        !art_cpu_target(target, &features))
        return false;
    snprintf(c->comp.target, sizeof c->comp.target, "%s", strcmp(target, "native") ? target : "");
    return true;
}

void taho_config_parallel_compilation(taho_config *c, bool enable) {
    if (c) c->comp.threads = enable ? 0 : 1;
}

void taho_config_compile_threads(taho_config *c, uint32_t threads) {
    if (c) c->comp.threads = threads;
}

void taho_config_cache_dir(taho_config *c, const char *dir) {
    if (!c) return;
    tb_free(c->comp.cache_dir);
    c->comp.cache_dir = dir && *dir ? tb_strndup(dir, strlen(dir)) : NULL;
}

void taho_config_compile_progress(taho_config *c, taho_progress_fn fn, void *arg) {
    if (c) c->comp.progress = fn, c->comp.progress_arg = arg;
}

void api_compile_opts_free(api_compile_opts *c) {
    tb_free(c->cache_dir);
    c->cache_dir = NULL;
}

/* ---- what the code is compiled for ---- */

static const char *target_name(const api_compile_opts *c) {
    return c->target[0] ? c->target : "native";
}

uint32_t api_tier_checks(const taho_engine *e) {
    const rt_config *cfg = rt_engine_config(e->rt);
    return (cfg->consume_fuel ? RT_CHECK_FUEL : 0) | (cfg->epoch_interruption ? RT_CHECK_EPOCH : 0);
}

static void meta_of(const taho_engine *e, const tw_module *m, art_meta *meta) {
    memset(meta, 0, sizeof *meta);
    snprintf(meta->taho_version, sizeof meta->taho_version, "%s", TAHO_VERSION);
    meta->tier_abi = RT_TIER_ABI;
    snprintf(meta->target, sizeof meta->target, "%s", target_name(&e->comp));
    snprintf(meta->cpu, sizeof meta->cpu, "%s", meta->target); /* the host's for native */
    art_cpu_target(target_name(&e->comp), &meta->features);
    meta->opt = rt_engine_config(e->rt)->opt_level;
    meta->checks = api_tier_checks(e);
    tb_sha256(m->bytes, m->size, meta->wasm_sha256);
}

static void hex(const uint8_t *b, size_t n, char *out) {
    for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* The cache file of a module: named by the sha256 of everything the code depends on. */
static bool cache_path(const taho_engine *e, const art_meta *meta, char *path, size_t size) {
    char key[256], wasm_hex[65], key_hex[65];
    hex(meta->wasm_sha256, 32, wasm_hex);
    snprintf(key, sizeof key, "%s|%s|%u|%d|%s|%llx|%u|%u", wasm_hex, meta->taho_version,
             meta->tier_abi, ART_FORMAT, meta->target, (unsigned long long)meta->features,
             meta->opt, meta->checks);
    uint8_t h[32];
    tb_sha256(key, strlen(key), h);
    hex(h, 32, key_hex);
    return snprintf(path, size, "%s/%s.taho", e->comp.cache_dir, key_hex) < (int)size;
}

/* ---- the cache ---- */

/* A cache entry that is missing, stale or damaged is a miss, never an error. */
static bool cache_load(const char *path, const art_meta *want, rt_native **out) {
    art_file *f;
    tb_error ignored;
    if (!art_open(path, &f, &ignored)) return false;
    if (memcmp(art_file_meta(f)->wasm_sha256, want->wasm_sha256, 32)) {
        art_close(f);
        return false;
    }
    return art_file_native(f, out, &ignored);
}

static void mkdirs(const char *dir) {
    char p[4096];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(p, 0755);
            *s = '/';
        }
    mkdir(p, 0755);
}

/* Storing is best effort: a read-only or full cache directory only costs the next
   run its compile. */
static void cache_store(const taho_engine *e, const char *path, const art_image *img,
                        const art_meta *meta, const tw_module *m) {
    tb_error ignored;
    mkdirs(e->comp.cache_dir);
    art_write(path, img, meta, m->bytes, m->size, &ignored);
}

/* ---- compiling ---- */

static bool emit_and_link(taho_engine *e, const tw_module *m, const art_meta *meta,
                          art_image *img, tb_error *err) {
    const api_compile_opts *c = &e->comp;
    /* Exactly the features the artifact records (and a loader checks), also for
       "native": the host CPU's name tunes the code but cannot enable anything else. */
    char features[1024];
    if (!art_cpu_llvm_features(meta->features, features, sizeof features))
        return tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "compile: CPU feature list too long");
    rt_tier_opts o = {
        .opt = (rt_opt_level)meta->opt,
        .checks = meta->checks,
        .cpu = c->target[0] ? c->target : NULL,
        .features = features,
        .threads = c->threads,
        .progress = c->progress,
        .progress_arg = c->progress_arg,
    };
    rt_tier_objs objs;
    if (!rt_tier_emit(m, &o, &objs, err)) return false;
    art_obj in[objs.n + 1];
    for (uint32_t i = 0; i < objs.n; i++) in[i] = (art_obj){objs.bytes[i], objs.lens[i]};
    bool ok = art_link(in, objs.n, m->nfuncs - m->nimported_funcs, img, err);
    rt_tier_objs_free(&objs);
    return ok;
}

bool api_compile(taho_engine *e, taho_module *mod, tb_error *err) {
    const rt_config *cfg = rt_engine_config(e->rt);
    if (cfg->engine != TAHO_ENGINE_JIT) return true;
    tw_module *m = mod->m;
    art_meta meta;
    meta_of(e, m, &meta);
    char path[4096];
    bool cached = e->comp.cache_dir && cache_path(e, &meta, path, sizeof path);
    if (cached && cache_load(path, &meta, (rt_native **)&m->tier)) return true;
    if (!rt_tier_load(err)) return false; /* engine jit without its plugin: an error */
    art_image *img = tb_calloc(1, sizeof *img);
    if (!img) return tb_oom(err);
    if (!emit_and_link(e, m, &meta, img, err)) {
        tb_free(img);
        /* TAHO_JIT_STRICT (tests): no interpreter fallback, so a run shows what compiles. */
        return err->kind == TB_ERR_LIMIT && !getenv("TAHO_JIT_STRICT");
    }
    rt_native *n;
    if (!art_load_image(img, &n, err)) {
        art_image_free(img);
        tb_free(img);
        return false;
    }
    m->tier = n;
    mod->image = img;
    if (cached) cache_store(e, path, img, &meta, m);
    return true;
}

/* ---- serialize ---- */

taho_error *taho_module_serialize(const taho_module *mod, uint8_t **out, size_t *len) {
    if (!mod || !out || !len) return api_error(TAHO_ERROR_ARG, "null module or output");
    *out = NULL;
    *len = 0;
    if (!mod->image)
        return api_error(TAHO_ERROR_ARG, "module has no compiled code to serialize "
                                         "(compile it with the JIT engine)");
    art_meta meta;
    meta_of(mod->engine, mod->m, &meta);
    tb_error err;
    if (!art_encode(mod->image, &meta, mod->m->bytes, mod->m->size, out, len, &err))
        return api_error_from(&err);
    return NULL;
}

void taho_bytes_free(uint8_t *bytes) { tb_free(bytes); }

bool taho_is_artifact(const uint8_t *bytes, size_t len) {
    return bytes && art_is_artifact(bytes, len);
}
