/* diff: runs a module on one engine and prints what it did: every call of an exported
   function (with zero arguments), its results or trap, and every value it logged
   through imported functions. tests/llvm/diff.sh compares interp and jit outputs for
   modules from binaryen's `wasm-opt -ttf`. Usage: diff ENGINE FILE.wasm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "taho.h"

static void print_val(const taho_val *v) {
    switch (v->kind) {
    case TAHO_I32: printf(" i32:%d", v->of.i32); break;
    case TAHO_I64: printf(" i64:%lld", (long long)v->of.i64); break;
    case TAHO_F32: { uint32_t b; memcpy(&b, &v->of.f32, 4);
        /* NaN payloads may differ between tiers (the spec allows any NaN) */
        printf(" f32:%08x", v->of.f32 != v->of.f32 ? 0x7fc00000u : b); break; }
    case TAHO_F64: { uint64_t b; memcpy(&b, &v->of.f64, 8);
        printf(" f64:%016llx", v->of.f64 != v->of.f64 ? 0x7ff8000000000000ull : (unsigned long long)b); break; }
    case TAHO_V128: printf(" v128"); break;
    default: printf(" ref:%s", v->of.externref ? "x" : "null"); break;
    }
}

static taho_trap *logger(void *env, taho_caller *c, const taho_val *args, size_t n,
                         taho_val *res, size_t nres) {
    printf("log");
    for (size_t i = 0; i < n; i++) print_val(&args[i]);
    printf("\n");
    for (size_t i = 0; i < nres; i++) memset(&res[i], 0, sizeof res[i]);
    return NULL;
}

static uint8_t *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(*len + 1);
    if (b && fread(b, 1, *len, f) != *len) { free(b); b = NULL; }
    fclose(f);
    return b;
}

int main(int argc, char **argv) {
    if (argc != 3) return fprintf(stderr, "usage: diff interp|jit FILE.wasm\n"), 2;
    size_t len;
    uint8_t *bytes = slurp(argv[2], &len);
    if (!bytes) return 2;
    taho_config *cfg = taho_config_new();
    taho_config_engine(cfg, strncmp(argv[1], "jit", 3) ? TAHO_ENGINE_INTERP : TAHO_ENGINE_JIT);
    if (!strcmp(argv[1], "jit-none")) taho_config_opt_level(cfg, TAHO_OPT_NONE);
    taho_engine *e = taho_engine_new(cfg);
    taho_store *s = taho_store_new(e);
    taho_module *m;
    taho_error *err = taho_module_new(e, bytes, len, &m);
    if (err) return printf("module error: %s\n", taho_error_message(err)), 77;
    taho_linker *l = taho_linker_new(e);
    for (size_t i = 0; i < taho_module_import_count(m); i++) {
        taho_importtype it = taho_module_import(m, i);
        taho_externtype t = taho_module_import_type(m, i);
        if (it.kind != TAHO_EXTERN_FUNC) return printf("non-function import\n"), 77;
        taho_extern x = {.kind = TAHO_EXTERN_FUNC};
        x.of.func = taho_func_new(s, &t.of.func, logger, NULL);
        taho_linker_define(l, it.module, it.name, x);
    }
    taho_instance *inst;
    taho_trap *trap = NULL;
    err = taho_linker_instantiate(l, s, m, &inst, &trap);
    if (err) return printf("instantiate: %s\n", taho_error_message(err)), 0;
    for (size_t i = 0; i < taho_module_export_count(m); i++) {
        taho_exporttype x = taho_module_export(m, i);
        taho_extern ext;
        if (x.kind != TAHO_EXTERN_FUNC || !taho_instance_export(inst, x.name, &ext)) continue;
        taho_functype ft = taho_func_type(ext.of.func);
        taho_val args[64], res[64];
        if (ft.nparams > 64 || ft.nresults > 64) continue;
        for (size_t k = 0; k < ft.nparams; k++) {
            memset(&args[k], 0, sizeof args[k]);
            args[k].kind = ft.params[k];
        }
        printf("call %s\n", x.name);
        trap = NULL;
        err = taho_func_call(s, ext.of.func, args, ft.nparams, res, ft.nresults, &trap);
        if (trap) printf("trap: %s\n", taho_trap_message(trap)), taho_trap_delete(trap);
        else if (!err) {
            printf("result");
            for (size_t k = 0; k < ft.nresults; k++) print_val(&res[k]);
            printf("\n");
        }
    }
    return 0;
}
