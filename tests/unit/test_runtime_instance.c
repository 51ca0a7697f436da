/* test_runtime_instance: instantiation (import checks, globals, segments, traps that
   keep earlier effects) and the linker, on hand-built modules (no decoder needed). */
#include "../../src/base/limits.h"
#include "../../src/link/link.h"
#include "../../src/runtime/ops.h"
#include "test.h"

#define NAME(str) ((tw_name){str, sizeof(str) - 1})

static const tw_valtype t_i32[] = {TW_I32};
static tw_functype types[] = {{0, 0, NULL, NULL}, {1, 1, t_i32, t_i32}};

/* imports: env.f (func type 1), env.mem (memory min 1), env.tab (funcref table min 4),
   env.g (immutable i32); one defined function; global 1 = global.get 0; an active
   element segment at global.get 0 with [ref.func 0, ref.func 1], a declarative one;
   an active data segment "hi" at 8 and a passive "xyz". */
typedef struct fixture {
    tw_module m;
    tw_import imports[4];
    uint32_t func_types[2];
    tw_func funcs[1];
    tw_tabletype tables[1];
    tw_memtype mems[1];
    tw_globaltype global_types[2];
    tw_global globals[1];
    tw_export exports[3];
    tw_elem elems[2];
    tw_constexpr items[2];
    tw_data datas[2];
} fixture;

/* Instantiation caches per-module data in the module (module.h: rt_image); a real
   module frees it in tw_module_free, this hand-built one here. */
static void fixture_free(fixture *x) {
    if (x->m.rt_image_free) x->m.rt_image_free(x->m.rt_image);
    x->m.rt_image = NULL;
}

static void fixture_init(fixture *x) {
    memset(x, 0, sizeof *x);
    tw_module *m = &x->m;
    m->ntypes = 2;
    m->types = types;
    x->imports[0] = (tw_import){NAME("env"), NAME("f"), TW_EXTERN_FUNC, .u.func_type = 1};
    x->imports[1] = (tw_import){NAME("env"), NAME("mem"), TW_EXTERN_MEMORY, .u.mem = {{1, 0, false}}};
    x->imports[2] = (tw_import){NAME("env"), NAME("tab"), TW_EXTERN_TABLE,
                                .u.table = {TW_FUNCREF, {4, 0, false}}};
    x->imports[3] = (tw_import){NAME("env"), NAME("g"), TW_EXTERN_GLOBAL, .u.global = {TW_I32, false}};
    m->nimports = 4;
    m->imports = x->imports;
    x->func_types[0] = 1;
    x->func_types[1] = 0;
    m->nfuncs = 2, m->nimported_funcs = 1, m->func_types = x->func_types, m->funcs = x->funcs;
    x->tables[0] = x->imports[2].u.table;
    m->ntables = 1, m->nimported_tables = 1, m->tables = x->tables;
    x->mems[0] = x->imports[1].u.mem;
    m->nmems = 1, m->nimported_mems = 1, m->mems = x->mems;
    x->global_types[0] = x->global_types[1] = (tw_globaltype){TW_I32, false};
    x->globals[0] = (tw_global){{TW_I32, false}, {.op = TW_CONST_GLOBAL, .type = TW_I32, .index = 0}};
    m->nglobals = 2, m->nimported_globals = 1, m->global_types = x->global_types;
    m->globals = x->globals;
    x->exports[0] = (tw_export){NAME("g2"), TW_EXTERN_GLOBAL, 1};
    x->exports[1] = (tw_export){NAME("f1"), TW_EXTERN_FUNC, 1};
    x->exports[2] = (tw_export){NAME("mem"), TW_EXTERN_MEMORY, 0};
    m->nexports = 3, m->exports = x->exports;
    x->items[0] = (tw_constexpr){.op = TW_CONST_REF_FUNC, .type = TW_FUNCREF, .index = 0};
    x->items[1] = (tw_constexpr){.op = TW_CONST_REF_FUNC, .type = TW_FUNCREF, .index = 1};
    x->elems[0] = (tw_elem){TW_SEG_ACTIVE, TW_FUNCREF, 0,
                            {.op = TW_CONST_GLOBAL, .type = TW_I32, .index = 0}, 2, x->items};
    x->elems[1] = (tw_elem){TW_SEG_DECLARATIVE, TW_FUNCREF, 0, {0}, 1, x->items + 1};
    m->nelems = 2, m->elems = x->elems;
    x->datas[0] = (tw_data){TW_SEG_ACTIVE, 0, {.op = TW_CONST_I32, .type = TW_I32, .bits = {8}},
                            2, (const uint8_t *)"hi"};
    x->datas[1] = (tw_data){TW_SEG_PASSIVE, 0, {0}, 3, (const uint8_t *)"xyz"};
    m->ndatas = 2, m->datas = x->datas;
}

static rt_trap_code nop_host(void *env, rt_instance *caller, uint64_t *slots) {
    return RT_TRAP_NONE;
}

typedef struct env {
    rt_engine *e;
    rt_store *st;
    lnk_linker *l;
    rt_func *f;
    rt_memory *mem;
    rt_table *tab;
    rt_global *g;
} env;

static bool env_init(env *v, uint32_t gval) {
    tb_error err;
    memset(v, 0, sizeof *v);
    v->e = rt_engine_new(NULL);
    v->st = v->e ? rt_store_new(v->e) : NULL;
    v->l = lnk_new();
    if (!v->st || !v->l) return false;
    v->f = rt_func_new_host(v->st, rt_engine_intern_sig(v->e, &types[1]), nop_host, NULL, &err);
    v->mem = rt_memory_new(v->st, &(tw_memtype){{1, 2, true}}, &err);
    v->tab = rt_table_new(v->st, &(tw_tabletype){TW_FUNCREF, {4, 10, true}}, NULL, &err);
    uint64_t gv[2] = {gval, 0};
    v->g = rt_global_new(v->st, &(tw_globaltype){TW_I32, false}, gv, &err);
    return v->f && v->mem && v->tab && v->g &&
           lnk_define(v->l, "env", 3, "f", 1, (rt_extern){TW_EXTERN_FUNC, .u.func = v->f}, &err) &&
           lnk_define(v->l, "env", 3, "mem", 3, (rt_extern){TW_EXTERN_MEMORY, .u.mem = v->mem}, &err) &&
           lnk_define(v->l, "env", 3, "tab", 3, (rt_extern){TW_EXTERN_TABLE, .u.table = v->tab}, &err) &&
           lnk_define(v->l, "env", 3, "g", 1, (rt_extern){TW_EXTERN_GLOBAL, .u.global = v->g}, &err);
}

static void env_free(env *v) {
    lnk_free(v->l);
    rt_store_free(v->st);
    rt_engine_free(v->e);
}

TEST(rt_instantiate_imports_globals_segments) {
    fixture x;
    fixture_init(&x);
    env v;
    CHECK(env_init(&v, 1));
    rt_instance *inst;
    tb_error err;
    CHECK(lnk_instantiate(v.l, v.st, &x.m, NULL, &inst, &err));
    CHECK(inst->funcs[0] == v.f);
    CHECK(inst->funcs[1]->inst == inst && inst->funcs[1]->index == 1);
    CHECK(inst->funcs[1]->sig == rt_engine_intern_sig(v.e, &types[0]));
    CHECK_EQ(inst->globals[1]->val[0], 1);
    CHECK(v.tab->elems[0] == NULL);
    CHECK(v.tab->elems[1] == v.f);
    CHECK(v.tab->elems[2] == inst->funcs[1]);
    CHECK(!memcmp(v.mem->base + 8, "hi", 2));
    CHECK_EQ(inst->elems[0].len, 0);  /* active: dropped after use */
    CHECK_EQ(inst->elems[1].len, 0);  /* declarative: dropped */
    CHECK_EQ(inst->datas[0].len, 0);
    CHECK_EQ(inst->datas[1].len, 3);
    CHECK_EQ(rt_memory_init(inst, 1, 100, 1, 2), RT_TRAP_NONE);
    CHECK(!memcmp(v.mem->base + 100, "yz", 2));
    CHECK_EQ(rt_memory_init(inst, 1, 100, 2, 2), RT_TRAP_MEMORY_OOB);
    rt_data_drop(inst, 1);
    CHECK_EQ(rt_memory_init(inst, 1, 100, 0, 0), RT_TRAP_NONE);
    CHECK_EQ(rt_memory_init(inst, 1, 100, 0, 1), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(rt_table_init(inst, 0, 0, 0, 0, 1), RT_TRAP_TABLE_OOB);
    rt_extern ex;
    CHECK(rt_instance_export(inst, "f1", 2, &ex) && ex.kind == TW_EXTERN_FUNC &&
          ex.u.func == inst->funcs[1]);
    CHECK(rt_instance_export(inst, "mem", 3, &ex) && ex.u.mem == v.mem);
    CHECK(!rt_instance_export(inst, "me", 2, &ex));
    /* register and import the exports from another name */
    CHECK(lnk_define_instance(v.l, "M", 1, inst, &err));
    const rt_extern *g2 = lnk_lookup(v.l, "M", 1, "g2", 2);
    CHECK(g2 && g2->kind == TW_EXTERN_GLOBAL && g2->u.global == inst->globals[1]);
    fixture_free(&x);
    env_free(&v);
}

static void expect_link_error(fixture *x, env *v, const char *msg) {
    rt_instance *inst;
    tb_error err;
    bool ok = lnk_instantiate(v->l, v->st, &x->m, NULL, &inst, &err);
    if (ok) { test_fail(__FILE__, __LINE__, msg); return; }
    if (err.kind != TB_ERR_LINK || strcmp(err.msg, msg)) test_fail(__FILE__, __LINE__, err.msg);
}

TEST(rt_link_unknown_and_incompatible_imports) {
    fixture x;
    fixture_init(&x);
    env v;
    CHECK(env_init(&v, 1));
    x.imports[3].name = NAME("nope");
    expect_link_error(&x, &v, "unknown import: env.nope");
    x.imports[3].name = NAME("g");
    x.imports[3].u.global.mut = true;
    expect_link_error(&x, &v, "incompatible import type for env.g");
    x.imports[3].u.global.mut = false;
    x.imports[0].u.func_type = 0;
    expect_link_error(&x, &v, "incompatible import type for env.f");
    x.imports[0].u.func_type = 1;
    x.imports[1].u.mem.lim.min = 2; /* actual has 1 page */
    expect_link_error(&x, &v, "incompatible import type for env.mem");
    x.imports[1].u.mem.lim = (tw_limits){1, 1, true}; /* actual max 2 > 1 */
    expect_link_error(&x, &v, "incompatible import type for env.mem");
    x.imports[1].u.mem.lim = (tw_limits){0, 2, true};
    x.imports[2].u.table.elem = TW_EXTERNREF;
    expect_link_error(&x, &v, "incompatible import type for env.tab");
    x.imports[2].u.table = (tw_tabletype){TW_FUNCREF, {4, 10, true}};
    x.imports[1].name = NAME("tab"); /* a table where a memory is expected */
    expect_link_error(&x, &v, "incompatible import type for env.tab");
    x.imports[1].name = NAME("mem");
    rt_instance *inst;
    tb_error err;
    CHECK(lnk_instantiate(v.l, v.st, &x.m, NULL, &inst, &err));
    fixture_free(&x);
    env_free(&v);
}

TEST(rt_instantiate_trap_keeps_earlier_effects) {
    fixture x;
    fixture_init(&x);
    env v;
    CHECK(env_init(&v, 1));
    x.datas[0].offset.bits[0] = TB_WASM_PAGE - 1; /* "hi" does not fit */
    rt_instance *inst;
    tb_error err;
    CHECK(!lnk_instantiate(v.l, v.st, &x.m, NULL, &inst, &err));
    CHECK_EQ(err.kind, TB_ERR_TRAP);
    CHECK(!strcmp(err.msg, "out of bounds memory access"));
    CHECK_EQ(v.st->last_trap.code, RT_TRAP_MEMORY_OOB);
    CHECK(v.tab->elems[1] == v.f); /* the element segment ran before */
    CHECK(v.tab->elems[2] && ((rt_func *)v.tab->elems[2])->index == 1);
    fixture_free(&x);
    env_free(&v);

    fixture_init(&x);
    CHECK(env_init(&v, 3)); /* offset 3 + 2 items > 4 */
    CHECK(!lnk_instantiate(v.l, v.st, &x.m, NULL, &inst, &err));
    CHECK_EQ(err.kind, TB_ERR_TRAP);
    CHECK(!strcmp(err.msg, "out of bounds table access"));
    CHECK_EQ(v.mem->base[8], 0); /* data segments come after elements */
    fixture_free(&x);
    env_free(&v);
}

TEST(rt_link_redefine_replaces) {
    lnk_linker *l = lnk_new();
    int a, b;
    tb_error err;
    rt_extern x = {TW_EXTERN_FUNC, .u.func = (rt_func *)&a};
    CHECK(lnk_define(l, "m", 1, "x", 1, x, &err));
    x.u.func = (rt_func *)&b;
    CHECK(lnk_define(l, "m", 1, "x", 1, x, &err));
    for (int i = 0; i < 100; i++) {
        char name[16];
        int n = snprintf(name, sizeof name, "n%d", i);
        CHECK(lnk_define(l, "m", 1, name, (size_t)n, x, &err));
    }
    CHECK(lnk_lookup(l, "m", 1, "x", 1)->u.func == (rt_func *)&b);
    CHECK(lnk_lookup(l, "m", 1, "n77", 3));
    CHECK(!lnk_lookup(l, "mx", 2, "", 0));
    CHECK(!lnk_lookup(l, "m", 1, "n100", 4));
    lnk_free(l);
}

/* Every allocation failure during set-up and instantiation is an error, never a crash
   or a leak (run under ASan to see leaks). */
TEST(rt_instantiate_oom_at_every_step) {
    fixture x;
    fixture_init(&x);
    int ok_runs = 0, oom_runs = 0;
    for (uint64_t n = 1; n < 400; n++) {
        env v;
        tb_fail_alloc_after(n);
        bool ready = env_init(&v, 1);
        rt_instance *inst = NULL;
        tb_error err = {0};
        bool ok = ready && lnk_instantiate(v.l, v.st, &x.m, NULL, &inst, &err);
        tb_fail_alloc_after(0);
        if (ok) ok_runs++;
        else if (ready) { CHECK_EQ(err.kind, TB_ERR_OOM); oom_runs++; }
        if (v.l) lnk_free(v.l);
        if (v.st) rt_store_free(v.st);
        fixture_free(&x); /* the cache names this engine: never reuse it with another */
        if (v.e) rt_engine_free(v.e);
    }
    CHECK(ok_runs > 0 && oom_runs > 0);
}
