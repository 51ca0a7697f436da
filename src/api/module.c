/* module: decode + validate + lower into a shareable, reference-counted module, and
   its import/export descriptions. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "../decode/decode.h"
#include "../interp/interp.h"
#include "../runtime/tier.h"
#include "../artifact/artifact.h"
#include "../validate/validate.h"
#include "api.h"


static bool decode_validate(const uint8_t *bytes, size_t len, dec_hold how, tw_module **out,
                            tb_error *err) {
    *out = NULL;
    if (!dec_module_from(bytes, len, how, out, err)) return false;
    if (val_module(*out, err)) return true;
    tw_module_free(*out);
    *out = NULL;
    return false;
}

taho_error *taho_module_validate(taho_engine *e, const uint8_t *bytes, size_t len) {
    if (!e || (!bytes && len)) return api_error(TAHO_ERROR_ARG, "null engine or bytes");
    tw_module *m;
    tb_error err;
    /* the module lives only for this call: it borrows the caller's bytes */
    if (!decode_validate(bytes, len, DEC_BORROW, &m, &err)) return api_error_from(&err);
    tw_module_free(m);
    return NULL;
}

static char *name_dup(const tw_name *n) { return tb_strndup(n->s ? n->s : "", n->len); }

static bool describe(taho_module *mod) {
    const tw_module *m = mod->m;
    mod->imports = tb_calloc(m->nimports + 1, sizeof *mod->imports);
    mod->exports = tb_calloc(m->nexports + 1, sizeof *mod->exports);
    if (!mod->imports || !mod->exports) return false;
    for (uint32_t i = 0; i < m->nimports; i++) {
        taho_importtype *t = &mod->imports[i];
        t->kind = (taho_externkind)m->imports[i].kind;
        if (!(t->module = name_dup(&m->imports[i].module))) return false;
        if (!(t->name = name_dup(&m->imports[i].name))) return false;
    }
    for (uint32_t i = 0; i < m->nexports; i++) {
        mod->exports[i].kind = (taho_externkind)m->exports[i].kind;
        if (!(mod->exports[i].name = name_dup(&m->exports[i].name))) return false;
    }
    return true;
}

static void module_free(taho_module *mod) {
    const tw_module *m = mod->m;
    if (mod->imports)
        for (uint32_t i = 0; i < m->nimports; i++) {
            tb_free((char *)mod->imports[i].module);
            tb_free((char *)mod->imports[i].name);
        }
    if (mod->exports)
        for (uint32_t i = 0; i < m->nexports; i++) tb_free((char *)mod->exports[i].name);
    tb_free(mod->imports);
    tb_free(mod->exports);
    api_module_free_types(mod);
    if (mod->code) interp_module_free(mod->code);
    rt_tier_free(mod->m->tier);
    if (mod->image) art_image_free(mod->image);
    tb_free(mod->image);
    tw_module_free(mod->m);
    tb_free(mod);
}

/* Decode, validate and describe; lowered for the interpreter unless the code comes
   from an artifact (native: every function is compiled). The bytes are held as `how`
   says (a taken buffer is freed on every error). */
static taho_error *module_make(taho_engine *e, const uint8_t *bytes, size_t len, dec_hold how,
                               rt_native *native, taho_module **out) {
    *out = NULL;
    taho_module *mod = tb_calloc(1, sizeof *mod);
    if (!mod) {
        if (how == DEC_TAKE) tb_free((uint8_t *)bytes);
        return api_error(TAHO_ERROR_OOM, "out of memory");
    }
    mod->engine = e;
    atomic_init(&mod->refs, 1);
    tb_error err;
    if (!decode_validate(bytes, len, how, &mod->m, &err)) {
        tb_free(mod);
        return api_error_from(&err);
    }
    mod->m->tier = native;
    bool ok = (describe(mod) && api_module_describe_types(mod)) || tb_oom(&err);
    if (ok && !native) ok = api_compile(e, mod, &err);
    /* Lowered for the interpreter only when no compiled code runs it (interpreter
       engine, limits that need the interpreter, a module the tier cannot compile). */
    if (ok && !mod->m->tier)
        ok = interp_prepare(mod->m, api_interp_checks(e), &mod->code, &err);
    if (ok && mod->m->tier) rt_tier_register(mod->m->tier, mod->m); /* for backtraces */
    if (!ok) {
        mod->m->tier = native ? NULL : mod->m->tier;   /* the caller frees its native */
        module_free(mod);
        return api_error_from(&err);
    }
    *out = mod;
    return NULL;
}

taho_error *taho_module_new(taho_engine *e, const uint8_t *bytes, size_t len,
                            taho_module **out) {
    if (!out) return api_error(TAHO_ERROR_ARG, "null output");
    *out = NULL;
    if (!e || (!bytes && len)) return api_error(TAHO_ERROR_ARG, "null engine or bytes");
    return module_make(e, bytes, len, DEC_COPY, NULL, out);
}

/* The artifact's code runs as compiled, whatever the engine's tier; its fuel and epoch
   checks must be the ones the engine asks for. */
static taho_error *from_artifact(taho_engine *e, art_file *f, taho_module **out) {
    tb_error err;
    if (!art_file_checks_match(f, api_tier_checks(e), &err)) {
        art_close(f);
        return api_error_from(&err);
    }
    rt_native *n;
    size_t len;
    const uint8_t *wasm = art_file_wasm(f, &len);
    if (!art_file_native(f, &n, &err)) return api_error_from(&err);
    /* The module borrows its bytes from the mapping, which lives as long as the code
       (module_free frees the module's arena after the code). */
    taho_error *e2 = module_make(e, wasm, len, DEC_BORROW, n, out);
    if (e2) rt_tier_free(n);
    return e2;
}

taho_error *taho_module_deserialize(taho_engine *e, const uint8_t *bytes, size_t len,
                                    taho_module **out) {
    if (!out) return api_error(TAHO_ERROR_ARG, "null output");
    *out = NULL;
    if (!e || !bytes) return api_error(TAHO_ERROR_ARG, "null engine or bytes");
    art_file *f;
    tb_error err;
    if (!art_open_bytes(bytes, len, &f, &err)) return api_error_from(&err);
    return from_artifact(e, f, out);
}

taho_error *taho_module_deserialize_file(taho_engine *e, const char *path, taho_module **out) {
    if (!out) return api_error(TAHO_ERROR_ARG, "null output");
    *out = NULL;
    if (!e || !path) return api_error(TAHO_ERROR_ARG, "null engine or path");
    art_file *f;
    tb_error err;
    if (!art_open(path, &f, &err)) return api_error_from(&err);
    return from_artifact(e, f, out);
}

/* A .wasm is read into the buffer the module keeps (no second copy); an artifact,
   told by its first bytes, is mapped as taho_module_deserialize_file does. */
taho_error *taho_module_from_file(taho_engine *e, const char *path, taho_module **out) {
    if (!out) return api_error(TAHO_ERROR_ARG, "null output");
    *out = NULL;
    if (!e || !path) return api_error(TAHO_ERROR_ARG, "null engine or path");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return api_error(TAHO_ERROR_IO, "cannot read '%s': %s", path, strerror(errno));
    uint8_t head[4];
    ssize_t n = pread(fd, head, sizeof head, 0);
    if (n > 0 && taho_is_artifact(head, (size_t)n)) {
        close(fd);
        return taho_module_deserialize_file(e, path, out);
    }
    uint8_t *bytes;
    size_t len;
    tb_error err;
    bool ok = tb_read_fd(fd, path, &bytes, &len, &err);
    close(fd);
    if (!ok) return api_error_from(&err);
    return module_make(e, bytes, len, DEC_TAKE, NULL, out);
}

void api_module_ref(taho_module *m) { atomic_fetch_add(&m->refs, 1); }

void taho_module_delete(taho_module *m) {
    if (m && atomic_fetch_sub(&m->refs, 1) == 1) module_free(m);
}

size_t taho_module_import_count(const taho_module *m) { return m->m->nimports; }
taho_importtype taho_module_import(const taho_module *m, size_t i) { return m->imports[i]; }
size_t taho_module_export_count(const taho_module *m) { return m->m->nexports; }
taho_exporttype taho_module_export(const taho_module *m, size_t i) { return m->exports[i]; }
