/* test_linker_shared: host functions and WASI defined once in a linker for every store
   (the per-request pattern): each store's instances get their own functions and their
   store's WASI context, the env's finalizer runs after the linker and the last store,
   slots of the pooling allocator keep a module's data image across tenants, and pooled
   value stacks give their middle back only after a tenant used it. */
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "test_limits.h"
#include "taho.h"

#include "test_shared_wasm.h"

typedef struct counter {
    int calls, finalized;
    taho_memory *last_mem;      /* the calling instance's memory (NULL: called directly) */
} counter;

static taho_trap *add1_cb(void *env, taho_caller *caller, const taho_val *args, size_t nargs,
                          taho_val *results, size_t nresults) {
    counter *c = env;
    c->calls++;
    c->last_mem = taho_caller_memory(caller);
    results[0] = (taho_val){TAHO_I32, .of.i32 = args[0].of.i32 + 1};
    return NULL;
}

static void finalize(void *env) { ((counter *)env)->finalized++; }

static taho_linker *shared_linker(taho_engine *e, counter *c) {
    taho_linker *l = taho_linker_new(e);
    static const taho_valkind i32[] = {TAHO_I32};
    taho_functype ft = {1, 1, i32, i32};
    taho_error *err = taho_linker_define_func(l, "env", "add1", &ft, add1_cb, c, finalize);
    if (!err) err = taho_linker_define_wasi(l, NULL, NULL);
    if (err) { test_fail(__FILE__, __LINE__, taho_error_message(err)); taho_error_delete(err); }
    return l;
}

static taho_store *store_with_args(taho_engine *e, size_t argc, const char *const *argv) {
    taho_store *s = taho_store_new(e);
    taho_wasi_config *w = taho_wasi_config_new();
    taho_wasi_config_set_args(w, argc, argv);
    taho_error *err = taho_store_set_wasi(s, w);
    if (err) { test_fail(__FILE__, __LINE__, taho_error_message(err)); taho_error_delete(err); }
    return s;
}

static int32_t call1(taho_store *s, taho_instance *inst, const char *name, size_t nargs,
                     int32_t a) {
    taho_extern x;
    if (!taho_instance_export(inst, name, &x)) return -1000;
    taho_val arg = {TAHO_I32, .of.i32 = a}, r = {TAHO_I32};
    taho_trap *t = NULL;
    taho_error *err = taho_func_call(s, x.of.func, &arg, nargs, &r, 1, &t);
    if (err || t) { taho_error_delete(err); taho_trap_delete(t); return -1001; }
    return r.of.i32;
}

TEST(linker_shared_funcs_and_wasi_per_store) {
    taho_engine *e = taho_engine_new(NULL);
    taho_module *m = NULL;
    CHECK(!taho_module_new(e, shared_wasm, shared_wasm_len, &m));
    counter c = {0};
    taho_linker *l = shared_linker(e, &c);
    static const char *const a3[] = {"prog", "x", "y"}, *const a1[] = {"other"};
    taho_store *sa = store_with_args(e, 3, a3), *sb = store_with_args(e, 1, a1);
    taho_instance *ia = NULL, *ib = NULL, *ia2 = NULL;
    CHECK(!taho_linker_instantiate(l, sa, m, &ia, NULL));
    CHECK(!taho_linker_instantiate(l, sb, m, &ib, NULL));
    CHECK(!taho_linker_instantiate(l, sa, m, &ia2, NULL));
    /* each instance sees its own store's WASI context */
    CHECK_EQ(call1(sa, ia, "argc", 0, 0), 3);
    CHECK_EQ(call1(sb, ib, "argc", 0, 0), 1);
    CHECK_EQ(call1(sa, ia2, "argc", 0, 0), 3);
    /* the host function: from the guest, and called directly (no calling instance) */
    taho_extern mb;
    CHECK(taho_instance_export(ib, "memory", &mb));
    CHECK_EQ(call1(sb, ib, "add1", 1, 5), 6);
    CHECK(c.last_mem == mb.of.memory);
    CHECK_EQ(call1(sa, ia, "host_add1", 1, 10), 11);
    CHECK(c.last_mem == NULL);
    CHECK_EQ(c.calls, 2);
    /* a function of one store is not callable in another */
    taho_extern x;
    CHECK(taho_instance_export(ib, "host_add1", &x));
    taho_val arg = {TAHO_I32, .of.i32 = 1}, r;
    taho_error *err = taho_func_call(sa, x.of.func, &arg, 1, &r, 1, NULL);
    CHECK(err);
    taho_error_delete(err);
    /* env lives until the linker and every store that used it are gone */
    taho_linker_delete(l);
    taho_store_delete(sa);
    CHECK_EQ(c.finalized, 0);
    CHECK_EQ(call1(sb, ib, "add1", 1, 1), 2);
    taho_store_delete(sb);
    CHECK_EQ(c.finalized, 1);
    taho_module_delete(m);
    taho_engine_delete(e);
}

TEST(linker_shared_wasi_needs_a_store_context) {
    taho_engine *e = taho_engine_new(NULL);
    taho_module *m = NULL;
    CHECK(!taho_module_new(e, shared_wasm, shared_wasm_len, &m));
    counter c = {0};
    taho_linker *l = shared_linker(e, &c);
    taho_store *s = taho_store_new(e);
    taho_instance *inst = NULL;
    taho_error *err = taho_linker_instantiate(l, s, m, &inst, NULL);
    CHECK(err && !inst);
    CHECK_EQ(taho_error_kind_of(err), TAHO_ERROR_LINK);
    CHECK(strstr(taho_error_message(err), "no WASI context"));
    taho_error_delete(err);
    /* only one of store and config is an argument error (the config is freed) */
    err = taho_linker_define_wasi(l, s, NULL);
    CHECK(err && taho_error_kind_of(err) == TAHO_ERROR_ARG);
    taho_error_delete(err);
    err = taho_linker_define_wasi(l, NULL, taho_wasi_config_new());
    CHECK(err && taho_error_kind_of(err) == TAHO_ERROR_ARG);
    taho_error_delete(err);
    /* the three-argument form gives s its context as before */
    static const char *const a2[] = {"p", "q"};
    taho_wasi_config *w = taho_wasi_config_new();
    taho_wasi_config_set_args(w, 2, a2);
    CHECK(!taho_linker_define_wasi(l, s, w));
    CHECK(!taho_linker_instantiate(l, s, m, &inst, NULL));
    CHECK_EQ(call1(s, inst, "argc", 0, 0), 2);
    taho_store_delete(s);
    taho_linker_delete(l);
    CHECK_EQ(c.finalized, 1);
    taho_module_delete(m);
    taho_engine_delete(e);
}

/* The same module in one slot again and again: each tenant dirties the image and the
   page after it, the next sees the data as built and zeros after it. */
TEST(pool_slot_keeps_image_for_the_same_module) {
    taho_config *cfg = taho_config_new();
    taho_config_pooling(cfg, 1, 4, 10);
    taho_engine *e = taho_engine_new(cfg);
    size_t len;
    uint8_t *bytes = big_data_module(&len);
    taho_module *m = NULL;
    taho_error *err = taho_module_new(e, bytes, len, &m);
    free(bytes);
    CHECK(!err && m);
    taho_linker *l = taho_linker_new(e);
    uint8_t *first = NULL;
    for (int round = 0; round < 5; round++) {
        taho_store *s = taho_store_new(e);
        taho_instance *inst = NULL;
        CHECK(!taho_linker_instantiate(l, s, m, &inst, NULL));
        taho_extern x;
        CHECK(taho_instance_export(inst, "memory", &x));
        uint8_t *mem = taho_memory_data(x.of.memory);
        if (!round) first = mem;
        CHECK(mem == first);
        for (size_t i = 0; i < 65536 + 100; i++) CHECK(mem[i] == 0x5A);
        for (size_t i = 65536 + 100; i < 2 * 65536; i++) CHECK(mem[i] == 0);
        memset(mem + round * 4096, 0xC3, 2 * 65536 - round * 4096);
        CHECK_EQ(taho_memory_grow(x.of.memory, 1), 2);
        memset(mem + 2 * 65536, 0xC4, 65536);
        taho_store_delete(s);
    }
    taho_linker_delete(l);
    taho_module_delete(m);
    taho_engine_delete(e);
}

/* A pooled value stack: a release after shallow calls keeps it as it is (its canaries
   say the middle was not reached; no system call), one after deep recursion gives the
   middle back, and the next tenant recurses just as deep. */
#include <sys/mman.h>
#include "../../src/api/api.h"

static bool page_resident(const void *p) {
    unsigned char v = 0;
    return mincore((void *)((uintptr_t)p & ~(uintptr_t)4095), 4096, &v) == 0 && (v & 1);
}

TEST(pool_stack_middle_given_back_only_after_deep_use) {
    taho_config *cfg = taho_config_new();
    taho_config_pooling(cfg, 2, 4, 10);
    taho_config_max_wasm_stack(cfg, 4u << 20);
    taho_engine *e = taho_engine_new(cfg);
    taho_module *m = lim_module(e);
    CHECK(m);
    uint64_t *first = NULL;
    /* depth per round: shallow, deep, shallow, deep, shallow */
    static const int32_t depth[] = {3, 20000, 3, 20000, 3};
    for (int round = 0; round < 5; round++) {
        taho_store *s = taho_store_new(e);
        lim_inst li = lim_instantiate(e, s, m);
        CHECK(!li.err);
        int code;
        CHECK_EQ(lim_call(s, li.inst, "rec", 1, depth[round], 0, &code), depth[round]);
        CHECK_EQ(code, 0);
        uint64_t *stack = s->rt->exec.stack;
        CHECK(stack);
        if (!round) first = stack;
        CHECK(stack == first); /* the pool hands the same stack back */
        uint8_t *mid = (uint8_t *)stack + (72u << 10); /* in the middle, past the canary page */
        bool deep = depth[round] > 1000;
        CHECK(page_resident(mid) == deep);
        taho_store_delete(s);
        /* after release: the middle is gone again when it was used */
        CHECK(!page_resident(mid));
    }
    taho_module_delete(m);
    taho_engine_delete(e);
}
