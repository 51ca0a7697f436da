/* test_interp: the interpreter end to end (decode, validate, lower, run) on a small
   module built with wat2wasm: value-stack tracking corner cases, calls, traps with
   backtraces, stack exhaustion, and a host function re-entering Wasm. */
#include "../../src/decode/decode.h"
#include "../../src/interp/interp.h"
#include "../../src/runtime/store.h"
#include "../../src/validate/validate.h"
#include "test.h"

/* The source (a.wat) is kept in tests/unit/test_interp.wat; regenerate with
   wat2wasm test_interp.wat -o - | xxd -i */
static const uint8_t wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x26, 0x07, 0x60,
  0x01, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x02, 0x7f, 0x7f, 0x60,
  0x00, 0x00, 0x60, 0x01, 0x7f, 0x02, 0x7f, 0x7f, 0x60, 0x00, 0x02, 0x7f,
  0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7e, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
  0x02, 0x0a, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x02, 0x63, 0x62, 0x00, 0x00,
  0x03, 0x0e, 0x0d, 0x00, 0x01, 0x00, 0x00, 0x02, 0x03, 0x05, 0x00, 0x00,
  0x00, 0x06, 0x00, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x04, 0x05, 0x03,
  0x01, 0x00, 0x01, 0x07, 0x5e, 0x0b, 0x03, 0x66, 0x61, 0x63, 0x00, 0x01,
  0x04, 0x73, 0x77, 0x61, 0x70, 0x00, 0x02, 0x07, 0x70, 0x65, 0x6e, 0x64,
  0x69, 0x6e, 0x67, 0x00, 0x03, 0x0b, 0x63, 0x6f, 0x6e, 0x73, 0x74, 0x5f,
  0x66, 0x69, 0x72, 0x73, 0x74, 0x00, 0x04, 0x07, 0x62, 0x72, 0x74, 0x61,
  0x62, 0x6c, 0x65, 0x00, 0x06, 0x03, 0x73, 0x75, 0x6d, 0x00, 0x07, 0x03,
  0x72, 0x65, 0x63, 0x00, 0x08, 0x03, 0x64, 0x69, 0x76, 0x00, 0x0a, 0x08,
  0x69, 0x6e, 0x64, 0x69, 0x72, 0x65, 0x63, 0x74, 0x00, 0x0b, 0x04, 0x6c,
  0x6f, 0x61, 0x64, 0x00, 0x0c, 0x07, 0x72, 0x65, 0x65, 0x6e, 0x74, 0x65,
  0x72, 0x00, 0x0d, 0x09, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x01,
  0x02, 0x0a, 0xb8, 0x01, 0x0d, 0x17, 0x00, 0x20, 0x00, 0x41, 0x02, 0x48,
  0x04, 0x7f, 0x41, 0x01, 0x05, 0x20, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6b,
  0x10, 0x01, 0x6c, 0x0b, 0x0b, 0x06, 0x00, 0x20, 0x01, 0x20, 0x00, 0x0b,
  0x0e, 0x00, 0x20, 0x00, 0x20, 0x00, 0x41, 0x05, 0x6a, 0x21, 0x00, 0x20,
  0x00, 0x6b, 0x0b, 0x12, 0x00, 0x41, 0xe4, 0x00, 0x20, 0x00, 0x6b, 0x02,
  0x7f, 0x10, 0x05, 0x41, 0x08, 0x0c, 0x00, 0x0b, 0x6a, 0x0b, 0x02, 0x00,
  0x0b, 0x13, 0x00, 0x02, 0x04, 0x41, 0x32, 0x41, 0x33, 0x20, 0x00, 0x0e,
  0x02, 0x00, 0x01, 0x00, 0x0b, 0x6a, 0x41, 0x34, 0x0b, 0x22, 0x01, 0x01,
  0x7e, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x45, 0x0d, 0x01, 0x20, 0x01,
  0x20, 0x00, 0xad, 0x7c, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x21,
  0x00, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x01, 0x0b, 0x09, 0x00, 0x41, 0x01,
  0x20, 0x00, 0x10, 0x08, 0x6a, 0x0b, 0x07, 0x00, 0x41, 0x01, 0x20, 0x00,
  0x6d, 0x0b, 0x09, 0x00, 0x41, 0x01, 0x20, 0x00, 0x10, 0x09, 0x6a, 0x0b,
  0x09, 0x00, 0x20, 0x00, 0x20, 0x01, 0x11, 0x00, 0x00, 0x0b, 0x07, 0x00,
  0x20, 0x00, 0x28, 0x02, 0x04, 0x0b, 0x0d, 0x00, 0x41, 0xe8, 0x07, 0x20,
  0x00, 0x20, 0x00, 0x10, 0x00, 0x6a, 0x6a, 0x0b
};

typedef struct fix {
    rt_engine *e;
    rt_store *st;
    tw_module *m;
    interp_module *code;
    rt_instance *inst;
} fix;

static fix *g_fix; /* the host callback re-enters through this */

static rt_func *export_func(fix *x, const char *name) {
    rt_extern ex;
    if (!rt_instance_export(x->inst, name, strlen(name), &ex) || ex.kind != TW_EXTERN_FUNC)
        return NULL;
    return ex.u.func;
}

/* env.cb(n) = fac(n), called from Wasm while its frames are live. */
static rt_trap_code cb(void *env, rt_instance *caller, uint64_t *slots) {
    fix *x = env;
    return rt_call(x->st, export_func(x, "fac"), slots);
}

static bool fix_init(fix *x, uint32_t max_depth) {
    tb_error err;
    memset(x, 0, sizeof *x);
    x->e = rt_engine_new(&(rt_config){.max_call_depth = max_depth});
    x->st = x->e ? rt_store_new(x->e) : NULL;
    if (!x->st || !dec_module(wasm, sizeof wasm, &x->m, &err) || !val_module(x->m, &err) ||
        !interp_compile(x->m, &x->code, &err))
        return false;
    const rt_sig *sig = rt_engine_intern_sig(x->e, &x->m->types[x->m->imports[0].u.func_type]);
    rt_func *f = rt_func_new_host(x->st, sig, cb, x, &err);
    rt_extern imp = {TW_EXTERN_FUNC, .u.func = f};
    g_fix = x;
    return f && rt_instantiate(x->st, x->m, x->code, &imp, &x->inst, &err);
}

static void fix_free(fix *x) {
    rt_store_free(x->st);
    interp_module_free(x->code);
    tw_module_free(x->m);
    rt_engine_free(x->e);
}

/* Call export `name` with up to 2 i32 args; results in s. */
static rt_trap_code call2(fix *x, const char *name, uint64_t a, uint64_t b, uint64_t s[4]) {
    s[0] = a, s[1] = b, s[2] = s[3] = 0;
    rt_func *f = export_func(x, name);
    return f ? rt_call(x->st, f, s) : RT_TRAP_HOST;
}

TEST(interp_values_and_control) {
    fix x;
    uint64_t s[4];
    CHECK(fix_init(&x, 0));
    CHECK_EQ(call2(&x, "fac", 10, 0, s), RT_TRAP_NONE);
    CHECK_EQ((uint32_t)s[0], 3628800);
    /* results swapped: the parallel move must not clobber */
    CHECK_EQ(call2(&x, "swap", 1, 2, s), RT_TRAP_NONE);
    CHECK_EQ((uint32_t)s[0], 2);
    CHECK_EQ((uint32_t)s[1], 1);
    /* a pending local.get must see the value before the local.set */
    CHECK_EQ(call2(&x, "pending", 7, 0, s), RT_TRAP_NONE);
    CHECK_EQ((int32_t)s[0], -5);
    /* 100 - 3 + 8: constant left operand of a non-commutative op, block result */
    CHECK_EQ(call2(&x, "const_first", 3, 0, s), RT_TRAP_NONE);
    CHECK_EQ((uint32_t)s[0], 105);
    /* br_table to a block (with copies) and to the function (return stub) */
    for (uint32_t i = 0; i < 3; i++) {
        CHECK_EQ(call2(&x, "brtable", i, 0, s), RT_TRAP_NONE);
        CHECK_EQ((uint32_t)s[0], i == 1 ? 50 : 101);
        CHECK_EQ((uint32_t)s[1], i == 1 ? 51 : 52);
    }
    CHECK_EQ(call2(&x, "sum", 100000, 0, s), RT_TRAP_NONE);
    CHECK_EQ(s[0], 5000050000ull);
    fix_free(&x);
}

TEST(interp_traps_and_backtrace) {
    fix x;
    uint64_t s[4];
    CHECK(fix_init(&x, 0));
    CHECK_EQ(call2(&x, "div", 0, 0, s), RT_TRAP_DIV_ZERO);
    const rt_trap *t = &x.st->last_trap;
    CHECK_EQ(t->nframes, 2);
    CHECK_EQ(t->frames[0].func, 9); /* $div, then its caller */
    CHECK_EQ(t->frames[1].func, 10);
    CHECK(t->frames[0].offset > 0 && t->frames[1].offset > t->frames[0].offset);
    CHECK_EQ(call2(&x, "div", 1, 0, s), RT_TRAP_NONE);
    CHECK_EQ((uint32_t)s[0], 2);
    /* call_indirect: fac ok; swap has another type; 2 is null; 4 is past the end */
    CHECK_EQ(call2(&x, "indirect", 5, 0, s), RT_TRAP_NONE);
    CHECK_EQ((uint32_t)s[0], 120);
    CHECK_EQ(call2(&x, "indirect", 5, 1, s), RT_TRAP_INDIRECT_MISMATCH);
    CHECK_EQ(call2(&x, "indirect", 5, 2, s), RT_TRAP_UNINITIALIZED_ELEMENT);
    CHECK_EQ(call2(&x, "indirect", 5, 4, s), RT_TRAP_UNDEFINED_ELEMENT);
    /* memory: no bounds checks in the code; the guard region traps */
    CHECK_EQ(call2(&x, "load", 65532, 0, s), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(call2(&x, "load", 0xFFFFFFFF, 0, s), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(call2(&x, "load", 65528, 0, s), RT_TRAP_NONE);
    fix_free(&x);
}

TEST(interp_stack_exhaustion) {
    fix x;
    uint64_t s[4];
    CHECK(fix_init(&x, 0));
    CHECK_EQ(call2(&x, "rec", 1, 0, s), RT_TRAP_STACK_EXHAUSTED);
    CHECK_EQ(x.st->exec.depth, 0);
    CHECK_EQ(call2(&x, "fac", 5, 0, s), RT_TRAP_NONE); /* still usable */
    CHECK_EQ((uint32_t)s[0], 120);
    fix_free(&x);
    CHECK(fix_init(&x, 50)); /* a configured depth limit */
    CHECK_EQ(call2(&x, "fac", 40, 0, s), RT_TRAP_NONE);
    CHECK_EQ(call2(&x, "fac", 60, 0, s), RT_TRAP_STACK_EXHAUSTED);
    fix_free(&x);
}

TEST(interp_host_reentry) {
    fix x;
    uint64_t s[4];
    CHECK(fix_init(&x, 0));
    /* 1000 + (6 + fac(6)): the callback runs fac above the caller's live frame */
    CHECK_EQ(call2(&x, "reenter", 6, 0, s), RT_TRAP_NONE);
    CHECK_EQ((uint32_t)s[0], 1000 + 6 + 720);
    CHECK_EQ(x.st->exec.depth, 0);
    fix_free(&x);
}
