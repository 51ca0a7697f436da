/* wasi: the public WASI preview1 configuration API (taho_wasi_*), a thin layer over
   src/wasi. */
#include "api.h"
#include "../wasi/wasi.h"

struct taho_wasi_config { wasi_config c; };

taho_wasi_config *taho_wasi_config_new(void) {
    taho_wasi_config *c = tb_calloc(1, sizeof *c);
    if (c) wasi_config_init(&c->c);
    return c;
}

void taho_wasi_config_delete(taho_wasi_config *c) {
    if (!c) return;
    wasi_config_free(&c->c);
    tb_free(c);
}

static taho_error *result(bool ok, const tb_error *e) { return ok ? NULL : api_error_from(e); }

taho_error *taho_wasi_config_set_args(taho_wasi_config *c, size_t argc, const char *const *argv) {
    tb_error e;
    if (!c || (argc && !argv)) return api_error(TAHO_ERROR_ARG, "null config or argv");
    return result(wasi_config_set_args(&c->c, argc, argv, &e), &e);
}

taho_error *taho_wasi_config_set_env(taho_wasi_config *c, const char *name, const char *value) {
    tb_error e;
    if (!c || !name || !value) return api_error(TAHO_ERROR_ARG, "null config, name or value");
    return result(wasi_config_set_env(&c->c, name, value, &e), &e);
}

taho_error *taho_wasi_config_inherit_env(taho_wasi_config *c) {
    tb_error e;
    if (!c) return api_error(TAHO_ERROR_ARG, "null config");
    return result(wasi_config_inherit_env(&c->c, &e), &e);
}

void taho_wasi_config_inherit_stdio(taho_wasi_config *c) {
    if (c) c->c.inherit_stdio = true;
}

taho_error *taho_wasi_config_preopen_dir(taho_wasi_config *c, const char *host_path,
                                         const char *guest_path, int perms) {
    tb_error e;
    if (!c || !host_path || !guest_path) return api_error(TAHO_ERROR_ARG, "null config or path");
    int p = (perms & TAHO_DIR_READ ? WASI_PERM_READ : 0) | (perms & TAHO_DIR_WRITE ? WASI_PERM_WRITE : 0);
    return result(wasi_config_preopen_dir(&c->c, host_path, guest_path, p, &e), &e);
}

taho_error *taho_wasi_config_preopen_listen(taho_wasi_config *c, const char *addr) {
    tb_error e;
    if (!c || !addr) return api_error(TAHO_ERROR_ARG, "null config or address");
    return result(wasi_config_preopen_listen(&c->c, addr, &e), &e);
}

taho_error *taho_store_set_wasi(taho_store *s, taho_wasi_config *c) {
    tb_error e;
    if (!s || !c) {
        taho_wasi_config_delete(c);
        return api_error(TAHO_ERROR_ARG, "null store or config");
    }
    wasi_ctx *ctx = wasi_ctx_new(&c->c, &e);
    taho_wasi_config_delete(c);
    if (!ctx) return api_error_from(&e);
    return result(wasi_store_set(s->rt, ctx, &e), &e);
}

taho_error *taho_linker_define_wasi(taho_linker *l, taho_store *s, taho_wasi_config *c) {
    tb_error e;
    if (!l || !s != !c) {
        taho_wasi_config_delete(c);
        return api_error(TAHO_ERROR_ARG, "null linker, or only one of store and config");
    }
    if (s) {
        taho_error *err = taho_store_set_wasi(s, c);
        if (err) return err;
    }
    return result(wasi_define_shared(l->l, l->engine->rt, &e), &e);
}
