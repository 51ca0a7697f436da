/* test_api: the public API end to end on a small module: argument errors, host
   functions (results, traps, exit, caller memory, re-entry), traps with backtraces,
   memories, tables and globals. Module source (wat2wasm --debug-names):
  (module
    (import "env" "add1" (func $add1 (param i32) (result i32)))
    (memory (export "memory") 1)
    (global (export "gm") (mut i64) (i64.const 7))
    (table (export "tab") 2 funcref)
    (elem (i32.const 0) $add1 $div)
    (func $call_add1 (export "call_add1") (param i32) (result i32) local.get 0 call $add1)
    (func $load (export "load") (param i32) (result i32) local.get 0 i32.load)
    (func $div (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
    (func $f64id (export "f64id") (param f64 v128) (result v128 f64) local.get 1 local.get 0)
    (func $recurse (export "recurse") (param i32) (result i32) local.get 0 call $recurse)) */
#include <pthread.h>
#include <string.h>
#include "taho.h"
#include "../../src/base/base.h" /* tb_fail_alloc_after */
#include "test.h"

static const unsigned char mod_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x13, 0x03, 0x60,
  0x01, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x02,
  0x7c, 0x7b, 0x02, 0x7b, 0x7c, 0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76,
  0x04, 0x61, 0x64, 0x64, 0x31, 0x00, 0x00, 0x03, 0x06, 0x05, 0x00, 0x00,
  0x01, 0x02, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x02, 0x05, 0x03, 0x01,
  0x00, 0x01, 0x06, 0x06, 0x01, 0x7e, 0x01, 0x42, 0x07, 0x0b, 0x07, 0x40,
  0x08, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x02, 0x67,
  0x6d, 0x03, 0x00, 0x03, 0x74, 0x61, 0x62, 0x01, 0x00, 0x09, 0x63, 0x61,
  0x6c, 0x6c, 0x5f, 0x61, 0x64, 0x64, 0x31, 0x00, 0x01, 0x04, 0x6c, 0x6f,
  0x61, 0x64, 0x00, 0x02, 0x03, 0x64, 0x69, 0x76, 0x00, 0x03, 0x05, 0x66,
  0x36, 0x34, 0x69, 0x64, 0x00, 0x04, 0x07, 0x72, 0x65, 0x63, 0x75, 0x72,
  0x73, 0x65, 0x00, 0x05, 0x09, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x02,
  0x00, 0x03, 0x0a, 0x26, 0x05, 0x06, 0x00, 0x20, 0x00, 0x10, 0x00, 0x0b,
  0x07, 0x00, 0x20, 0x00, 0x28, 0x02, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00,
  0x20, 0x01, 0x6d, 0x0b, 0x06, 0x00, 0x20, 0x01, 0x20, 0x00, 0x0b, 0x06,
  0x00, 0x20, 0x00, 0x10, 0x05, 0x0b, 0x00, 0x43, 0x04, 0x6e, 0x61, 0x6d,
  0x65, 0x01, 0x2d, 0x06, 0x00, 0x04, 0x61, 0x64, 0x64, 0x31, 0x01, 0x09,
  0x63, 0x61, 0x6c, 0x6c, 0x5f, 0x61, 0x64, 0x64, 0x31, 0x02, 0x04, 0x6c,
  0x6f, 0x61, 0x64, 0x03, 0x03, 0x64, 0x69, 0x76, 0x04, 0x05, 0x66, 0x36,
  0x34, 0x69, 0x64, 0x05, 0x07, 0x72, 0x65, 0x63, 0x75, 0x72, 0x73, 0x65,
  0x02, 0x0d, 0x06, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04,
  0x00, 0x05, 0x00
};
static const unsigned int mod_wasm_len = 255;

typedef struct fx {
    taho_engine *e;
    taho_store *s;
    taho_linker *l;
    taho_module *m;
    taho_instance *inst;
    taho_func *add1;
    int host_calls;
    taho_memory *seen_mem;
    taho_func *reenter;      /* add1 calls this with (arg, 0) when arg == 99 */
} fx;

static taho_trap *add1_cb(void *env, taho_caller *caller, const taho_val *args, size_t nargs,
                          taho_val *results, size_t nresults) {
    fx *x = env;
    x->host_calls++;
    x->seen_mem = taho_caller_memory(caller);
    if (nargs != 1 || nresults != 1 || args[0].kind != TAHO_I32) return taho_trap_new("bad call");
    if (args[0].of.i32 == 13) return taho_trap_new("thirteen");
    if (args[0].of.i32 == 14) return taho_trap_new_exit(3);
    if (args[0].of.i32 == 99 && x->reenter) {
        taho_val a[2] = {{TAHO_I32, .of.i32 = 1}, {TAHO_I32, .of.i32 = 0}}, r[1];
        taho_trap *t = NULL;
        taho_error *e = taho_func_call(x->s, x->reenter, a, 2, r, 1, &t);
        if (e) { taho_error_delete(e); return taho_trap_new("error"); }
        return t; /* pass the inner trap on */
    }
    results[0] = (taho_val){TAHO_I32, .of.i32 = args[0].of.i32 + 1};
    return NULL;
}

static bool fx_init(fx *x) {
    memset(x, 0, sizeof *x);
    x->e = taho_engine_new(NULL);
    x->s = taho_store_new(x->e);
    x->l = taho_linker_new(x->e);
    taho_error *err = taho_module_new(x->e, mod_wasm, mod_wasm_len, &x->m);
    if (err) {
        test_fail(__FILE__, __LINE__, taho_error_message(err));
        taho_error_delete(err);
        return false;
    }
    static const taho_valkind i32[] = {TAHO_I32};
    taho_functype ft = {1, 1, i32, i32};
    x->add1 = taho_func_new(x->s, &ft, add1_cb, x);
    taho_extern ext = {TAHO_EXTERN_FUNC, .of.func = x->add1};
    err = taho_linker_define(x->l, "env", "add1", ext);
    if (!err) err = taho_linker_instantiate(x->l, x->s, x->m, &x->inst, NULL);
    if (err) {
        test_fail(__FILE__, __LINE__, taho_error_message(err));
        taho_error_delete(err);
        return false;
    }
    return true;
}

static void fx_free(fx *x) {
    taho_linker_delete(x->l);
    taho_store_delete(x->s);
    taho_module_delete(x->m);
    taho_engine_delete(x->e);
}

static taho_func *export_func(fx *x, const char *name) {
    taho_extern ext;
    if (!taho_instance_export(x->inst, name, &ext) || ext.kind != TAHO_EXTERN_FUNC) return NULL;
    return ext.of.func;
}

/* Call with i32 args; returns the trap code (0 if none) and the i32 result in *r. */
static int call_i32(fx *x, const char *name, int32_t a, int32_t b, size_t nargs, int32_t *r,
                    taho_trap **keep) {
    taho_val args[2] = {{TAHO_I32, .of.i32 = a}, {TAHO_I32, .of.i32 = b}}, res[1] = {{0}};
    taho_trap *t = NULL;
    taho_error *e = taho_func_call(x->s, export_func(x, name), args, nargs, res, 1, &t);
    if (e) { taho_error_delete(e); return -1; }
    if (!t) { *r = res[0].of.i32; return 0; }
    int code = taho_trap_code_of(t);
    if (keep) *keep = t;
    else taho_trap_delete(t);
    return code;
}

TEST(api_module_errors) {
    taho_engine *e = taho_engine_new(NULL);
    taho_module *m = (taho_module *)1;
    taho_error *err = taho_module_new(e, (const uint8_t *)"\0asm\2\0\0\0", 8, &m);
    CHECK(err && !m);
    CHECK_EQ(taho_error_kind_of(err), TAHO_ERROR_MALFORMED);
    CHECK(taho_error_offset(err) >= 0);
    taho_error_delete(err);
    err = taho_module_validate(e, mod_wasm, mod_wasm_len);
    CHECK(!err);
    err = taho_module_new(NULL, mod_wasm, mod_wasm_len, &m);
    CHECK(err && taho_error_kind_of(err) == TAHO_ERROR_ARG);
    taho_error_delete(err);
    taho_engine_delete(e);
}

TEST(api_module_imports_exports) {
    taho_engine *e = taho_engine_new(NULL);
    taho_module *m;
    taho_error *err = taho_module_new(e, mod_wasm, mod_wasm_len, &m);
    CHECK(!err);
    CHECK_EQ(taho_module_import_count(m), 1);
    taho_importtype it = taho_module_import(m, 0);
    CHECK(!strcmp(it.module, "env") && !strcmp(it.name, "add1") && it.kind == TAHO_EXTERN_FUNC);
    CHECK_EQ(taho_module_export_count(m), 8);
    CHECK(!strcmp(taho_module_export(m, 0).name, "memory"));
    CHECK_EQ(taho_module_export(m, 2).kind, TAHO_EXTERN_TABLE);
    taho_module_delete(m);
    taho_engine_delete(e);
}

TEST(api_link_errors) {
    taho_engine *e = taho_engine_new(NULL);
    taho_store *s = taho_store_new(e);
    taho_linker *l = taho_linker_new(e);
    taho_module *m;
    CHECK(!taho_module_new(e, mod_wasm, mod_wasm_len, &m));
    taho_instance *inst = (taho_instance *)1;
    taho_error *err = taho_linker_instantiate(l, s, m, &inst, NULL);
    CHECK(err && !inst);
    CHECK_EQ(taho_error_kind_of(err), TAHO_ERROR_LINK);
    CHECK(!strcmp(taho_error_message(err), "unknown import: env.add1"));
    taho_error_delete(err);
    taho_global *g = taho_global_new(s, (taho_val){TAHO_I32, .of.i32 = 1}, false);
    CHECK(!taho_linker_define(l, "env", "add1", (taho_extern){TAHO_EXTERN_GLOBAL, .of.global = g}));
    err = taho_linker_instantiate(l, s, m, &inst, NULL);
    CHECK(err && taho_error_kind_of(err) == TAHO_ERROR_LINK);
    CHECK(!strcmp(taho_error_message(err), "incompatible import type for env.add1"));
    taho_error_delete(err);
    err = taho_linker_define(l, "env", "x", (taho_extern){TAHO_EXTERN_FUNC, .of.func = NULL});
    CHECK(err && taho_error_kind_of(err) == TAHO_ERROR_ARG);
    taho_error_delete(err);
    taho_linker_delete(l);
    taho_module_delete(m); /* the store need not keep it: no instance was made ... */
    taho_store_delete(s);  /* ... except the failed attempts', which hold references */
    taho_engine_delete(e);
}

TEST(api_call_argument_errors) {
    fx x;
    if (!fx_init(&x)) return;
    taho_func *div = export_func(&x, "div");
    CHECK(div);
    taho_functype t = taho_func_type(div);
    CHECK(t.nparams == 2 && t.nresults == 1 && t.params[1] == TAHO_I32);
    taho_val args[2] = {{TAHO_I32, .of.i32 = 6}, {TAHO_I64, .of.i64 = 2}}, res[1];
    taho_trap *trap = NULL;
    taho_error *e = taho_func_call(x.s, div, args, 1, res, 1, &trap);
    CHECK(e && taho_error_kind_of(e) == TAHO_ERROR_ARG && !trap);
    taho_error_delete(e);
    e = taho_func_call(x.s, div, args, 2, res, 1, &trap);
    CHECK(e && taho_error_kind_of(e) == TAHO_ERROR_ARG);
    CHECK(strstr(taho_error_message(e), "argument 1"));
    taho_error_delete(e);
    args[1] = (taho_val){TAHO_I32, .of.i32 = 2};
    e = taho_func_call(x.s, div, args, 2, res, 0, &trap);
    CHECK(e && taho_error_kind_of(e) == TAHO_ERROR_ARG);
    taho_error_delete(e);
    e = taho_func_call(x.s, NULL, args, 2, res, 1, &trap);
    CHECK(e && taho_error_kind_of(e) == TAHO_ERROR_ARG);
    taho_error_delete(e);
    taho_store *other = taho_store_new(x.e);
    e = taho_func_call(other, div, args, 2, res, 1, &trap);
    CHECK(e && taho_error_kind_of(e) == TAHO_ERROR_ARG);
    taho_error_delete(e);
    taho_store_delete(other);
    e = taho_func_call(x.s, div, NULL, 2, res, 1, &trap);
    CHECK(e && taho_error_kind_of(e) == TAHO_ERROR_ARG);
    taho_error_delete(e);
    fx_free(&x);
}

TEST(api_call_host_function_directly) {
    fx x;
    if (!fx_init(&x)) return;
    taho_val a = {TAHO_I32, .of.i32 = 5}, r;
    taho_trap *t = NULL;
    CHECK(!taho_func_call(x.s, x.add1, &a, 1, &r, 1, &t));
    CHECK(!t && r.kind == TAHO_I32 && r.of.i32 == 6);
    CHECK(x.seen_mem == NULL); /* no calling instance */
    a.of.i32 = 13;
    CHECK(!taho_func_call(x.s, x.add1, &a, 1, &r, 1, &t));
    CHECK(t && taho_trap_code_of(t) == TAHO_TRAP_HOST);
    CHECK(!strcmp(taho_trap_message(t), "thirteen"));
    taho_trap_delete(t);
    fx_free(&x);
}

TEST(api_calls_and_traps) {
    fx x;
    if (!fx_init(&x)) return;
    int32_t r = 0;
    CHECK_EQ(call_i32(&x, "call_add1", 41, 0, 1, &r, NULL), 0);
    CHECK_EQ(r, 42);
    CHECK(x.seen_mem && taho_memory_size(x.seen_mem) == 65536);
    CHECK_EQ(call_i32(&x, "div", 7, 2, 2, &r, NULL), 0);
    CHECK_EQ(r, 3);
    CHECK_EQ(call_i32(&x, "div", 7, 0, 2, &r, NULL), TAHO_TRAP_INTEGER_DIVIDE_BY_ZERO);
    taho_trap *t = NULL;
    CHECK_EQ(call_i32(&x, "load", 65534, 0, 1, &r, &t), TAHO_TRAP_MEMORY_OUT_OF_BOUNDS);
    CHECK(!strcmp(taho_trap_message(t), "out of bounds memory access"));
    taho_trap_delete(t);
    CHECK_EQ(call_i32(&x, "load", -1, 0, 1, &r, NULL), TAHO_TRAP_MEMORY_OUT_OF_BOUNDS);
    CHECK_EQ(call_i32(&x, "recurse", 1, 0, 1, &r, &t), TAHO_TRAP_STACK_EXHAUSTED);
    CHECK(!strcmp(taho_trap_message(t), "call stack exhausted"));
    taho_trap_delete(t);
    /* the store still works after traps */
    CHECK_EQ(call_i32(&x, "call_add1", 1, 0, 1, &r, NULL), 0);
    CHECK_EQ(r, 2);
    CHECK_EQ(call_i32(&x, "call_add1", 13, 0, 1, &r, &t), TAHO_TRAP_HOST);
    CHECK(!strcmp(taho_trap_message(t), "thirteen"));
    taho_trap_delete(t);
    CHECK_EQ(call_i32(&x, "call_add1", 14, 0, 1, &r, &t), TAHO_TRAP_EXIT);
    CHECK_EQ(taho_trap_exit_status(t), 3);
    taho_trap_delete(t);
    x.reenter = export_func(&x, "div");
    CHECK_EQ(call_i32(&x, "call_add1", 99, 0, 1, &r, NULL), TAHO_TRAP_INTEGER_DIVIDE_BY_ZERO);
    fx_free(&x);
}

TEST(api_trap_backtrace_names) {
    fx x;
    if (!fx_init(&x)) return;
    int32_t r;
    taho_trap *t = NULL;
    CHECK_EQ(call_i32(&x, "load", 70000, 0, 1, &r, &t), TAHO_TRAP_MEMORY_OUT_OF_BOUNDS);
    if (taho_trap_frame_count(t) > 0) /* frames come from the tier; names from ours */
        CHECK(!strncmp(taho_trap_frame(t, 0), "load+0x", 7));
    taho_trap_delete(t);
    fx_free(&x);
}

TEST(api_values_v128_f64) {
    fx x;
    if (!fx_init(&x)) return;
    taho_val args[2] = {{TAHO_F64, .of.f64 = 2.5}, {TAHO_V128}}, res[2];
    for (int i = 0; i < 16; i++) args[1].of.v128[i] = (uint8_t)(i * 7);
    taho_trap *t = NULL;
    CHECK(!taho_func_call(x.s, export_func(&x, "f64id"), args, 2, res, 2, &t));
    CHECK(!t);
    CHECK(res[0].kind == TAHO_V128 && !memcmp(res[0].of.v128, args[1].of.v128, 16));
    CHECK(res[1].kind == TAHO_F64 && res[1].of.f64 == 2.5);
    fx_free(&x);
}

TEST(api_memory_table_global) {
    fx x;
    if (!fx_init(&x)) return;
    taho_extern ext;
    CHECK(taho_instance_export(x.inst, "memory", &ext) && ext.kind == TAHO_EXTERN_MEMORY);
    taho_memory *mem = ext.of.memory;
    memcpy(taho_memory_data(mem) + 16, "\x2a\0\0\0", 4);
    int32_t r = 0;
    CHECK_EQ(call_i32(&x, "load", 16, 0, 1, &r, NULL), 0);
    CHECK_EQ(r, 42);
    CHECK_EQ(taho_memory_grow(mem, 1), 1);
    CHECK_EQ(taho_memory_size(mem), 2 * 65536);
    CHECK_EQ(call_i32(&x, "load", 65536 + 100, 0, 1, &r, NULL), 0);
    CHECK(taho_instance_export(x.inst, "gm", &ext) && ext.kind == TAHO_EXTERN_GLOBAL);
    taho_val v = taho_global_get(ext.of.global);
    CHECK(v.kind == TAHO_I64 && v.of.i64 == 7);
    CHECK(!taho_global_set(ext.of.global, (taho_val){TAHO_I32, .of.i32 = 1}));
    CHECK(taho_global_set(ext.of.global, (taho_val){TAHO_I64, .of.i64 = -3}));
    CHECK_EQ(taho_global_get(ext.of.global).of.i64, -3);
    CHECK(taho_instance_export(x.inst, "tab", &ext) && ext.kind == TAHO_EXTERN_TABLE);
    taho_table *tab = ext.of.table;
    CHECK_EQ(taho_table_size(tab), 2);
    CHECK(taho_table_get(tab, 0, &v) && v.kind == TAHO_FUNCREF && v.of.funcref == x.add1);
    CHECK(taho_table_get(tab, 1, &v) && v.of.funcref == export_func(&x, "div"));
    CHECK(!taho_table_get(tab, 2, &v));
    CHECK(!taho_table_set(tab, 0, (taho_val){TAHO_EXTERNREF}));
    CHECK(taho_table_set(tab, 0, (taho_val){TAHO_FUNCREF}));
    CHECK(taho_table_get(tab, 0, &v) && v.of.funcref == NULL);
    CHECK_EQ(taho_table_grow(tab, 3, (taho_val){TAHO_FUNCREF, .of.funcref = x.add1}), 2);
    CHECK(taho_table_get(tab, 4, &v) && v.of.funcref == x.add1);
    CHECK(!taho_instance_export(x.inst, "nope", &ext));
    CHECK(taho_instance_export_n(x.inst, "divide", 3, &ext) && ext.of.func == export_func(&x, "div"));
    CHECK(!taho_instance_export_n(x.inst, "div\0", 4, &ext));
    fx_free(&x);
}

TEST(api_store_objects) {
    taho_config *c = taho_config_new();
    taho_config_max_call_depth(c, 500);
    taho_engine *e = taho_engine_new(c);
    taho_store *s = taho_store_new(e);
    CHECK(!taho_memory_new(s, 2, 1, true));
    taho_memory *m = taho_memory_new(s, 1, 2, true);
    CHECK(m && taho_memory_size(m) == 65536);
    CHECK_EQ(taho_memory_grow(m, 2), -1);
    CHECK(!taho_table_new(s, TAHO_I32, 1, 0, false, (taho_val){TAHO_I32}));
    CHECK(!taho_table_new(s, TAHO_FUNCREF, 1, 0, false, (taho_val){TAHO_EXTERNREF}));
    int dummy;
    taho_table *t = taho_table_new(s, TAHO_EXTERNREF, 2, 3, true,
                                   (taho_val){TAHO_EXTERNREF, .of.externref = &dummy});
    taho_val v;
    CHECK(t && taho_table_get(t, 1, &v) && v.of.externref == &dummy);
    CHECK_EQ(taho_table_grow(t, 2, v), -1);
    taho_global *g = taho_global_new(s, (taho_val){TAHO_F32, .of.f32 = 1.5f}, false);
    CHECK(g && taho_global_get(g).of.f32 == 1.5f);
    CHECK(!taho_global_set(g, (taho_val){TAHO_F32, .of.f32 = 2}));
    taho_functype bad = {1, 0, (const taho_valkind[]){(taho_valkind)99}, NULL};
    CHECK(!taho_func_new(s, &bad, (taho_callback)1, NULL));
    taho_store_delete(s);
    taho_engine_delete(e);
}

/* Allocation failure anywhere from loading to calling is an error or a trap, never a
   crash or a leak (the sanitizer build checks leaks). */
TEST(api_oom_at_every_step) {
    int ok_runs = 0;
    for (uint64_t n = 1; n < 2000 && ok_runs < 3; n++) {
        tb_fail_alloc_after(n);
        taho_engine *e = taho_engine_new(NULL);
        taho_store *s = e ? taho_store_new(e) : NULL;
        taho_linker *l = e ? taho_linker_new(e) : NULL;
        taho_module *m = NULL;
        taho_error *err = e ? taho_module_new(e, mod_wasm, mod_wasm_len, &m) : NULL;
        if (err) {
            taho_error_kind k = taho_error_kind_of(err);
            taho_error_delete(err);
            err = NULL;
            CHECK(k == TAHO_ERROR_OOM || k == TAHO_ERROR_LIMIT);
        }
        static const taho_valkind i32[] = {TAHO_I32};
        taho_functype ft = {1, 1, i32, i32};
        taho_func *f = s ? taho_func_new(s, &ft, add1_cb, NULL) : NULL;
        taho_instance *inst = NULL;
        if (m && f && l && !(err = taho_linker_define(l, "env", "add1",
                                                      (taho_extern){TAHO_EXTERN_FUNC, .of.func = f})))
            err = taho_linker_instantiate(l, s, m, &inst, NULL);
        if (err) {
            taho_error_kind k = taho_error_kind_of(err);
            taho_error_delete(err);
            CHECK(k == TAHO_ERROR_OOM);
        }
        taho_extern ext;
        if (inst && taho_instance_export(inst, "div", &ext)) {
            taho_val a[2] = {{TAHO_I32, .of.i32 = 9}, {TAHO_I32, .of.i32 = 3}}, r[1];
            taho_trap *t = NULL;
            err = taho_func_call(s, ext.of.func, a, 2, r, 1, &t);
            if (err) taho_error_delete(err);
            else if (t) taho_trap_delete(t);
            else if (r[0].of.i32 == 3) ok_runs++;
        }
        tb_fail_alloc_after(0);
        taho_linker_delete(l);
        taho_store_delete(s);
        taho_module_delete(m);
        taho_engine_delete(e);
    }
    CHECK(ok_runs > 0);
}

/* One engine and module, a store per thread: instantiation, calls and traps
   (signal-based ones included) run side by side. */
typedef struct thread_job { taho_engine *e; taho_module *m; int good; } thread_job;

static taho_trap *add1_plain(void *env, taho_caller *caller, const taho_val *args, size_t nargs,
                             taho_val *results, size_t nresults) {
    results[0] = (taho_val){TAHO_I32, .of.i32 = args[0].of.i32 + 1};
    return NULL;
}

static void *thread_main(void *p) {
    thread_job *j = p;
    for (int round = 0; round < 20; round++) {
        taho_store *s = taho_store_new(j->e);
        taho_linker *l = taho_linker_new(j->e);
        static const taho_valkind i32[] = {TAHO_I32};
        taho_functype ft = {1, 1, i32, i32};
        taho_func *f = taho_func_new(s, &ft, add1_plain, NULL);
        taho_instance *inst = NULL;
        taho_error *err = taho_linker_define(l, "env", "add1", (taho_extern){TAHO_EXTERN_FUNC, .of.func = f});
        if (!err) err = taho_linker_instantiate(l, s, j->m, &inst, NULL);
        taho_extern load, call;
        if (!err && taho_instance_export(inst, "load", &load) &&
            taho_instance_export(inst, "call_add1", &call)) {
            taho_val a = {TAHO_I32, .of.i32 = 1 << 20}, r;
            taho_trap *t = NULL;
            taho_error *e1 = taho_func_call(s, load.of.func, &a, 1, &r, 1, &t);
            bool trapped = !e1 && t && taho_trap_code_of(t) == TAHO_TRAP_MEMORY_OUT_OF_BOUNDS;
            if (t) taho_trap_delete(t);
            a.of.i32 = round;
            taho_error *e2 = taho_func_call(s, call.of.func, &a, 1, &r, 1, &t);
            if (trapped && !e1 && !e2 && !t && r.of.i32 == round + 1) j->good++;
            if (e1) taho_error_delete(e1);
            if (e2) taho_error_delete(e2);
        }
        if (err) taho_error_delete(err);
        taho_linker_delete(l);
        taho_store_delete(s);
    }
    return NULL;
}

TEST(api_threads_share_engine_and_module) {
    taho_engine *e = taho_engine_new(NULL);
    taho_module *m;
    CHECK(!taho_module_new(e, mod_wasm, mod_wasm_len, &m));
    thread_job jobs[3] = {{e, m, 0}, {e, m, 0}, {e, m, 0}};
    pthread_t th[3];
    for (int i = 0; i < 3; i++) pthread_create(&th[i], NULL, thread_main, &jobs[i]);
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 3; i++) CHECK_EQ(jobs[i].good, 20);
    taho_module_delete(m);
    taho_engine_delete(e);
}
