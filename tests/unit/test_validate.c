/* test_validate: the validator on hand-built modules, so each rule is tested without the
   decoder. Bodies are raw bytes; error offsets are checked against CODE_AT + position. */
#include "test.h"
#include "../../src/validate/validate.h"
#include "../../src/wasm/opcodes.h"
#include <string.h>

#define CODE_AT 0x100u /* pretend module offset of every body */

/* A module with up to 4 types, functions, tables and globals; one memory optional. */
typedef struct vt {
    tw_module m;
    tw_functype types[4];
    uint32_t func_types[4];
    tw_func funcs[4];
    tw_tabletype tables[4];
    tw_memtype mems[2];
    tw_globaltype gtypes[4];
    tw_global globals[4];
    tw_export exports[4];
    tw_elem elems[2];
    tw_data datas[2];
    uint32_t refs[4];
    tb_error err;
} vt;

static const tw_valtype T_I32[] = {TW_I32, TW_I32, TW_I32};
static const tw_valtype T_F64[] = {TW_F64};
static const tw_valtype T_FUNCREF[] = {TW_FUNCREF};

/* Start a module whose type 0 is params -> results and function 0 has that type. */
static void vt_init(vt *t, const tw_valtype *p, uint32_t np, const tw_valtype *r, uint32_t nr) {
    memset(t, 0, sizeof *t);
    t->m.types = t->types;
    t->m.func_types = t->func_types;
    t->m.funcs = t->funcs;
    t->m.tables = t->tables;
    t->m.mems = t->mems;
    t->m.global_types = t->gtypes;
    t->m.globals = t->globals;
    t->m.exports = t->exports;
    t->m.elems = t->elems;
    t->m.datas = t->datas;
    t->m.refs = t->refs;
    t->types[0] = (tw_functype){np, nr, p, r};
    t->m.ntypes = 1;
}

/* Add a defined function of type `type` with the given body (which must end with 0x0B). */
static void vt_func(vt *t, uint32_t type, const uint8_t *code, uint32_t len) {
    uint32_t i = t->m.nfuncs++;
    t->func_types[i] = type;
    t->funcs[i - t->m.nimported_funcs] =
        (tw_func){.type = type, .code = code, .code_len = len, .code_offset = CODE_AT};
}

static void vt_mem(vt *t, uint32_t min) {
    t->mems[t->m.nmems++] = (tw_memtype){{min, 0, false}};
}

static void vt_table(vt *t, tw_valtype elem) {
    t->tables[t->m.ntables++] = (tw_tabletype){elem, {1, 0, false}};
}

static void vt_global(vt *t, tw_valtype type, bool mut) {
    uint32_t i = t->m.nglobals++;
    t->gtypes[i] = (tw_globaltype){type, mut};
    t->globals[i - t->m.nimported_globals] =
        (tw_global){{type, mut}, {.op = type == TW_I32 ? TW_CONST_I32 : TW_CONST_F64}};
}

static bool vt_ok(vt *t) { return val_module(&t->m, &t->err); }

/* The module is invalid with a message starting with `phrase`. */
static bool vt_rejects(vt *t, const char *phrase) {
    if (val_module(&t->m, &t->err)) return false;
    if (strncmp(t->err.msg, phrase, strlen(phrase)) != 0) {
        printf("  message: %s\n", t->err.msg);
        return false;
    }
    return true;
}

/* One function of type [params] -> [results] with `code`: does it validate? */
#define BODY(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

TEST(val_add_params) {
    vt t;
    vt_init(&t, T_I32, 2, T_I32, 1);
    vt_func(&t, 0, BODY(0x20, 0, 0x20, 1, 0x6A, 0x0B));
    CHECK(vt_ok(&t));
}

TEST(val_type_mismatch_has_offset) {
    vt t;
    vt_init(&t, T_F64, 1, T_I32, 1);
    vt_func(&t, 0, BODY(0x41, 1, 0x20, 0, 0x6A, 0x0B)); /* i32.const 1; local.get 0 (f64); i32.add */
    CHECK(vt_rejects(&t, "type mismatch"));
    CHECK_EQ(t.err.kind, TB_ERR_INVALID);
    CHECK_EQ(t.err.offset, CODE_AT + 4);
    CHECK(strstr(t.err.msg, "i32.add") && strstr(t.err.msg, "expected i32, got f64"));
}

TEST(val_empty_stack_and_leftovers) {
    vt t;
    vt_init(&t, NULL, 0, T_I32, 1);
    vt_func(&t, 0, BODY(0x0B));
    CHECK(vt_rejects(&t, "type mismatch"));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x41, 0, 0x0B));
    CHECK(vt_rejects(&t, "type mismatch"));
}

TEST(val_unreachable_is_polymorphic) {
    vt t;
    vt_init(&t, NULL, 0, T_I32, 1);
    vt_func(&t, 0, BODY(0x00, 0x6A, 0x0B)); /* unreachable; i32.add */
    CHECK(vt_ok(&t));
    vt_init(&t, NULL, 0, T_I32, 1);
    vt_func(&t, 0, BODY(0x00, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x6A, 0x0B)); /* f64 still checked */
    CHECK(vt_rejects(&t, "type mismatch"));
}

TEST(val_br_if_pushes_label_types) {
    vt t; /* block (result i32) unreachable; br_if 0 leaves an i32, not Unknown: f32.neg fails */
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x02, 0x7F, 0x00, 0x0D, 0, 0x8C, 0x1A, 0x41, 0, 0x0B, 0x1A, 0x0B));
    CHECK(vt_rejects(&t, "type mismatch"));
}

TEST(val_labels) {
    vt t;
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x02, 0x40, 0x0C, 2, 0x0B, 0x0B));
    CHECK(vt_rejects(&t, "unknown label"));
    vt_init(&t, NULL, 0, NULL, 0); /* br 1 from a block = return */
    vt_func(&t, 0, BODY(0x02, 0x40, 0x0C, 1, 0x0B, 0x0B));
    CHECK(vt_ok(&t));
    vt_init(&t, NULL, 0, NULL, 0); /* loop label takes the loop's params (none) */
    vt_func(&t, 0, BODY(0x02, 0x7F, 0x03, 0x7F, 0x0C, 0, 0x0B, 0x0B, 0x1A, 0x0B));
    CHECK(vt_ok(&t));
}

TEST(val_br_table_arity) {
    vt t; /* block (result i32) block: br_table 0 1 with arities 0 and 1 */
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x02, 0x7F, 0x02, 0x40, 0x41, 0, 0x0E, 1, 0, 1, 0x0B, 0x41, 0, 0x0B, 0x1A, 0x0B));
    CHECK(vt_rejects(&t, "type mismatch"));
    vt_init(&t, NULL, 0, NULL, 0); /* same arity, unreachable operands: fine */
    vt_func(&t, 0, BODY(0x02, 0x40, 0x02, 0x40, 0x41, 0, 0x0E, 1, 0, 1, 0x0B, 0x0B, 0x0B));
    CHECK(vt_ok(&t));
}

TEST(val_if_else) {
    vt t; /* if (result i32) without else */
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x41, 0, 0x04, 0x7F, 0x41, 0, 0x0B, 0x1A, 0x0B));
    CHECK(vt_rejects(&t, "type mismatch"));
    vt_init(&t, NULL, 0, T_I32, 1);
    vt_func(&t, 0, BODY(0x41, 0, 0x04, 0x7F, 0x41, 0, 0x05, 0x41, 1, 0x0B, 0x0B));
    CHECK(vt_ok(&t));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x05, 0x0B));
    CHECK(!vt_ok(&t));
    CHECK_EQ(t.err.kind, TB_ERR_MALFORMED);
}

TEST(val_multi_value_block) {
    vt t; /* type 1: [i32] -> [i32 i32]; block (type 1) local.get... */
    static const tw_valtype two[] = {TW_I32, TW_I32};
    vt_init(&t, NULL, 0, T_I32, 1);
    t.types[1] = (tw_functype){1, 2, T_I32, two};
    t.m.ntypes = 2;
    vt_func(&t, 0, BODY(0x41, 7, 0x02, 1, 0x41, 1, 0x0B, 0x6A, 0x0B));
    CHECK(vt_ok(&t));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x02, 5, 0x0B, 0x0B));
    CHECK(vt_rejects(&t, "unknown type"));
}

TEST(val_locals_globals) {
    vt t;
    vt_init(&t, T_I32, 1, NULL, 0);
    vt_func(&t, 0, BODY(0x20, 1, 0x1A, 0x0B));
    CHECK(vt_rejects(&t, "unknown local"));
    static const tw_valtype loc[] = {TW_F64};
    vt_init(&t, T_I32, 1, T_F64, 1);
    vt_func(&t, 0, BODY(0x20, 1, 0x0B));
    t.funcs[0].nlocals = 1, t.funcs[0].locals = loc;
    CHECK(vt_ok(&t));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_global(&t, TW_I32, false);
    vt_func(&t, 0, BODY(0x41, 0, 0x24, 0, 0x0B));
    CHECK(vt_rejects(&t, "global is immutable"));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x23, 0, 0x1A, 0x0B));
    CHECK(vt_rejects(&t, "unknown global"));
}

TEST(val_calls) {
    vt t;
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x10, 1, 0x0B));
    CHECK(vt_rejects(&t, "unknown function"));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x41, 0, 0x11, 0, 0, 0x0B));
    CHECK(vt_rejects(&t, "unknown table"));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_table(&t, TW_EXTERNREF);
    vt_func(&t, 0, BODY(0x41, 0, 0x11, 0, 0, 0x0B));
    CHECK(vt_rejects(&t, "type mismatch"));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_table(&t, TW_FUNCREF);
    vt_func(&t, 0, BODY(0x41, 0, 0x11, 0, 0, 0x0B));
    CHECK(vt_ok(&t));
}

TEST(val_memory_immediates) {
    vt t;
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x41, 0, 0x28, 2, 0, 0x1A, 0x0B));
    CHECK(vt_rejects(&t, "unknown memory"));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_mem(&t, 1);
    vt_func(&t, 0, BODY(0x41, 0, 0x28, 3, 0, 0x1A, 0x0B)); /* i32.load align=8 */
    CHECK(vt_rejects(&t, "alignment must not be larger than natural"));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_mem(&t, 1);
    vt_func(&t, 0, BODY(0x41, 0, 0x28, 2, 0, 0x1A, 0x0B));
    CHECK(vt_ok(&t));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_mem(&t, 1);
    vt_func(&t, 0, BODY(0x41, 0, 0xFD, 0, 5, 0, 0x1A, 0x0B)); /* v128.load align=32 */
    CHECK(vt_rejects(&t, "alignment must not be larger than natural"));
}

TEST(val_simd_lanes) {
    vt t; /* i32x4.extract_lane 4 */
    vt_init(&t, NULL, 0, T_I32, 1);
    vt_func(&t, 0, BODY(0xFD, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFD, 27, 4, 0x0B));
    CHECK(vt_rejects(&t, "invalid lane index"));
    vt_init(&t, NULL, 0, T_I32, 1);
    vt_func(&t, 0, BODY(0xFD, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFD, 27, 3, 0x0B));
    CHECK(vt_ok(&t));
    vt_init(&t, NULL, 0, NULL, 0); /* v128.load64_lane lane 2 */
    vt_mem(&t, 1);
    vt_func(&t, 0, BODY(0x41, 0, 0xFD, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                        0xFD, 87, 3, 0, 2, 0x1A, 0x0B));
    CHECK(vt_rejects(&t, "invalid lane index"));
}

TEST(val_select) {
    vt t;
    vt_init(&t, T_FUNCREF, 1, NULL, 0);
    vt_func(&t, 0, BODY(0x20, 0, 0x20, 0, 0x41, 0, 0x1B, 0x1A, 0x0B));
    CHECK(vt_rejects(&t, "type mismatch"));
    vt_init(&t, T_FUNCREF, 1, NULL, 0);
    vt_func(&t, 0, BODY(0x20, 0, 0x20, 0, 0x41, 0, 0x1C, 1, 0x70, 0x1A, 0x0B));
    CHECK(vt_ok(&t));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x00, 0x1C, 2, 0x7F, 0x7F, 0x1A, 0x0B));
    CHECK(vt_rejects(&t, "invalid result arity"));
    vt_init(&t, NULL, 0, T_I32, 1);
    vt_func(&t, 0, BODY(0x00, 0x1B, 0x0B)); /* select over Unknowns gives Unknown */
    CHECK(vt_ok(&t));
}

TEST(val_references_tables) {
    vt t;
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0xD2, 0, 0x1A, 0x0B));
    CHECK(vt_rejects(&t, "undeclared function reference"));
    t.m.nrefs = 1, t.refs[0] = 0;
    CHECK(vt_ok(&t));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x41, 0, 0xD1, 0x1A, 0x0B));
    CHECK(vt_rejects(&t, "type mismatch"));
    vt_init(&t, NULL, 0, NULL, 0); /* table.set 0 (i32.const 0) (ref.null extern) on a funcref table */
    vt_table(&t, TW_FUNCREF);
    vt_func(&t, 0, BODY(0x41, 0, 0xD0, 0x6F, 0x26, 0, 0x0B));
    CHECK(vt_rejects(&t, "type mismatch"));
    vt_init(&t, NULL, 0, NULL, 0); /* table.copy between a funcref and an externref table */
    vt_table(&t, TW_FUNCREF);
    vt_table(&t, TW_EXTERNREF);
    vt_func(&t, 0, BODY(0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 14, 0, 1, 0x0B));
    CHECK(vt_rejects(&t, "type mismatch"));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0xFC, 13, 0, 0x0B));
    CHECK(vt_rejects(&t, "unknown elem segment"));
    vt_init(&t, NULL, 0, NULL, 0);
    t.m.has_data_count = true;
    vt_func(&t, 0, BODY(0xFC, 9, 0, 0x0B));
    CHECK(vt_rejects(&t, "unknown data segment"));
}

TEST(val_module_limits) {
    vt t;
    vt_init(&t, NULL, 0, NULL, 0);
    vt_mem(&t, 1);
    vt_mem(&t, 1);
    CHECK(vt_rejects(&t, "multiple memories"));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_mem(&t, 65537);
    CHECK(vt_rejects(&t, "memory size must be at most 65536 pages (4GiB)"));
    vt_init(&t, NULL, 0, NULL, 0);
    t.mems[t.m.nmems++] = (tw_memtype){{2, 1, true}};
    CHECK(vt_rejects(&t, "size minimum must not be greater than maximum"));
    vt_init(&t, NULL, 0, NULL, 0);
    t.tables[t.m.ntables++] = (tw_tabletype){TW_FUNCREF, {5, 4, true}};
    CHECK(vt_rejects(&t, "size minimum must not be greater than maximum"));
}

TEST(val_const_exprs) {
    vt t;
    vt_init(&t, NULL, 0, NULL, 0);
    vt_global(&t, TW_I32, false);
    t.globals[0].init = (tw_constexpr){.op = TW_CONST_F64};
    CHECK(vt_rejects(&t, "type mismatch"));
    /* global.get of a defined global: only imported ones are in scope in Wasm 2.0 */
    vt_init(&t, NULL, 0, NULL, 0);
    vt_global(&t, TW_I32, false);
    vt_global(&t, TW_I32, false);
    t.globals[1].init = (tw_constexpr){.op = TW_CONST_GLOBAL, .index = 0};
    CHECK(vt_rejects(&t, "unknown global"));
    vt_init(&t, NULL, 0, NULL, 0); /* an imported mutable global */
    t.m.nglobals = t.m.nimported_globals = 1;
    t.gtypes[0] = (tw_globaltype){TW_I32, true};
    vt_global(&t, TW_I32, false);
    t.globals[0].init = (tw_constexpr){.op = TW_CONST_GLOBAL, .index = 0};
    CHECK(vt_rejects(&t, "constant expression required"));
    t.gtypes[0].mut = false;
    CHECK(vt_ok(&t));
    t.globals[0].init = (tw_constexpr){.op = TW_CONST_NONCONST, .index = 0x6A};
    CHECK(vt_rejects(&t, "constant expression required"));
    t.globals[0].init = (tw_constexpr){.op = TW_CONST_ARITY, .index = 2};
    CHECK(vt_rejects(&t, "type mismatch"));
}

TEST(val_segments) {
    static tw_constexpr item = {.op = TW_CONST_REF_FUNC, .index = 0};
    vt t;
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x0B));
    vt_table(&t, TW_EXTERNREF);
    t.elems[t.m.nelems++] = (tw_elem){TW_SEG_ACTIVE, TW_FUNCREF, 0, {.op = TW_CONST_I32}, 1, &item};
    CHECK(vt_rejects(&t, "type mismatch"));
    t.tables[0].elem = TW_FUNCREF;
    CHECK(vt_ok(&t));
    t.elems[0].offset.op = TW_CONST_I64;
    CHECK(vt_rejects(&t, "type mismatch"));
    t.elems[0].offset.op = TW_CONST_I32;
    t.elems[0].table = 1;
    CHECK(vt_rejects(&t, "unknown table"));
    vt_init(&t, NULL, 0, NULL, 0);
    t.datas[t.m.ndatas++] = (tw_data){.mode = TW_SEG_ACTIVE, .offset = {.op = TW_CONST_I32}};
    CHECK(vt_rejects(&t, "unknown memory"));
}

TEST(val_start_exports) {
    vt t;
    vt_init(&t, T_I32, 1, NULL, 0);
    vt_func(&t, 0, BODY(0x0B));
    t.m.has_start = true;
    CHECK(vt_rejects(&t, "start function"));
    vt_init(&t, NULL, 0, NULL, 0);
    vt_func(&t, 0, BODY(0x0B));
    t.exports[0] = (tw_export){{"f", 1}, TW_EXTERN_FUNC, 0};
    t.exports[1] = (tw_export){{"g", 1}, TW_EXTERN_FUNC, 0};
    t.exports[2] = (tw_export){{"f", 1}, TW_EXTERN_MEMORY, 0};
    t.m.nexports = 2;
    CHECK(vt_ok(&t));
    t.m.nexports = 3;
    CHECK(vt_rejects(&t, "unknown memory"));
    vt_mem(&t, 0);
    CHECK(vt_rejects(&t, "duplicate export name"));
}

/* func.c pre-splits stack signatures into at most 3 operands and 1 result. */
TEST(val_opcode_signatures_fit) {
    for (int op = 0; op < TW_OP_COUNT; op++) {
        const char *s = tw_opinfos[op].sig, *gt = strchr(s, '>');
        if (s[0] == '*') continue;
        CHECK(gt != NULL);
        CHECK(gt - s <= 3 && strlen(gt + 1) <= 1);
        CHECK(strspn(s, "ilfdv>") == strlen(s));
    }
}

/* Every allocation failure is reported as TB_ERR_OOM, and nothing leaks (ASan build). */
TEST(val_out_of_memory) {
    vt t;
    vt_init(&t, T_I32, 2, T_I32, 1);
    vt_func(&t, 0, BODY(0x02, 0x7F, 0x20, 0, 0x20, 1, 0x6A, 0x0B, 0x0B));
    t.exports[0] = (tw_export){{"a", 1}, TW_EXTERN_FUNC, 0};
    t.exports[1] = (tw_export){{"b", 1}, TW_EXTERN_FUNC, 0};
    t.m.nexports = 2;
    bool done = false;
    for (uint64_t n = 1; n < 20 && !done; n++) {
        tb_fail_alloc_after(n);
        done = val_module(&t.m, &t.err);
        tb_fail_alloc_after(0);
        if (!done) CHECK_EQ(t.err.kind, TB_ERR_OOM);
    }
    CHECK(done);
}
