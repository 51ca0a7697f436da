/* wast_spectest: the "spectest" host module that spec scripts import. */
#include <stdio.h>
#include "wast.h"

/* The print functions only need to exist with the right types; output would drown the
   runner's own, so they do nothing. */
static taho_trap *print_nothing(void *env, taho_caller *caller, const taho_val *args, size_t nargs,
                                taho_val *results, size_t nresults) {
    return NULL;
}

static bool define(taho_linker *l, const char *name, taho_extern ext, char *err, size_t n) {
    taho_error *e = taho_linker_define(l, "spectest", name, ext);
    if (!e) return true;
    snprintf(err, n, "spectest.%s: %s", name, taho_error_message(e));
    taho_error_delete(e);
    return false;
}

static bool define_funcs(taho_store *s, taho_linker *l, char *err, size_t n) {
    static const taho_valkind i32[] = {TAHO_I32}, i64[] = {TAHO_I64}, f32[] = {TAHO_F32},
                              f64[] = {TAHO_F64}, i32_f32[] = {TAHO_I32, TAHO_F32},
                              f64_f64[] = {TAHO_F64, TAHO_F64};
    static const struct { const char *name; size_t n; const taho_valkind *params; } fns[] = {
        {"print", 0, NULL}, {"print_i32", 1, i32}, {"print_i64", 1, i64}, {"print_f32", 1, f32},
        {"print_f64", 1, f64}, {"print_i32_f32", 2, i32_f32}, {"print_f64_f64", 2, f64_f64},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        taho_functype t = {.nparams = fns[i].n, .params = fns[i].params};
        taho_func *f = taho_func_new(s, &t, print_nothing, NULL);
        if (!f) return snprintf(err, n, "cannot create spectest.%s", fns[i].name), false;
        if (!define(l, fns[i].name, (taho_extern){.kind = TAHO_EXTERN_FUNC, .of.func = f}, err, n)) return false;
    }
    return true;
}

static bool define_globals(taho_store *s, taho_linker *l, char *err, size_t n) {
    const struct { const char *name; taho_val v; } gs[] = {
        {"global_i32", {.kind = TAHO_I32, .of.i32 = 666}},
        {"global_i64", {.kind = TAHO_I64, .of.i64 = 666}},
        {"global_f32", {.kind = TAHO_F32, .of.f32 = 666.6f}},
        {"global_f64", {.kind = TAHO_F64, .of.f64 = 666.6}},
    };
    for (size_t i = 0; i < sizeof gs / sizeof gs[0]; i++) {
        taho_global *g = taho_global_new(s, gs[i].v, false);
        if (!g) return snprintf(err, n, "cannot create spectest.%s", gs[i].name), false;
        if (!define(l, gs[i].name, (taho_extern){.kind = TAHO_EXTERN_GLOBAL, .of.global = g}, err, n))
            return false;
    }
    return true;
}

bool wast_define_spectest(taho_store *s, taho_linker *l, char *err, size_t n) {
    if (!define_funcs(s, l, err, n) || !define_globals(s, l, err, n)) return false;
    taho_val null_func = {.kind = TAHO_FUNCREF, .of.funcref = NULL};
    taho_table *t = taho_table_new(s, TAHO_FUNCREF, 10, 20, true, null_func);
    if (!t) return snprintf(err, n, "cannot create spectest.table"), false;
    if (!define(l, "table", (taho_extern){.kind = TAHO_EXTERN_TABLE, .of.table = t}, err, n)) return false;
    taho_memory *m = taho_memory_new(s, 1, 2, true);
    if (!m) return snprintf(err, n, "cannot create spectest.memory"), false;
    return define(l, "memory", (taho_extern){.kind = TAHO_EXTERN_MEMORY, .of.memory = m}, err, n);
}
