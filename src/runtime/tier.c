/* tier: loading the optimizing tier's plugin, the helpers its code calls, and binding
   compiled functions to an instance (its vmctx). */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "ops.h"
#include "recovery.h"
#include "store.h"
#include "tier.h"

/* ---- helpers ---- */

/* Built with frame pointers (Makefile), so rt_tier_raise can walk from here into the
   compiled frames that called. */
__attribute__((noreturn)) static void h_trap(uint32_t code) {
    /* A fuel check took the store's fuel below 0: it is left at 0, as the interpreter
       leaves it (compiled code stores what it subtracted). */
    rt_recovery *r = rt_tl_recovery;
    if (code == RT_TRAP_OUT_OF_FUEL && r && r->store) r->store->fuel = 0;
    rt_tier_raise((rt_trap_code)code);
}
static uintptr_t h_stack_floor(void) {
    rt_tier_entered();
    return rt_tl_stack_floor;
}

static void check(rt_trap_code c) {
    if (TB_UNLIKELY(c != RT_TRAP_NONE)) rt_tier_raise(c);
}

static int32_t h_mem_grow(rt_vmctx *c, uint32_t delta) { return rt_memory_grow(c->mems[0], delta); }
static void h_mem_init(rt_vmctx *c, uint32_t seg, uint32_t d, uint32_t s, uint32_t n) {
    check(rt_memory_init(c->inst, seg, d, s, n));
}
static void h_mem_copy(rt_vmctx *c, uint32_t d, uint32_t s, uint32_t n) {
    check(rt_memory_copy(c->mems[0], d, s, n));
}
static void h_mem_fill(rt_vmctx *c, uint32_t d, uint32_t v, uint32_t n) {
    check(rt_memory_fill(c->mems[0], d, v, n));
}
static void h_data_drop(rt_vmctx *c, uint32_t seg) { rt_data_drop(c->inst, seg); }

static void *h_table_get(rt_vmctx *c, uint32_t t, uint32_t i) {
    rt_ref r;
    check(rt_table_get(c->tables[t], i, &r));
    return r;
}
static void h_table_set(rt_vmctx *c, uint32_t t, uint32_t i, void *v) {
    check(rt_table_set(c->tables[t], i, v));
}
static uint32_t h_table_size(rt_vmctx *c, uint32_t t) { return c->tables[t]->size; }
static int32_t h_table_grow(rt_vmctx *c, uint32_t t, void *init, uint32_t delta) {
    return rt_table_grow(c->tables[t], delta, init);
}
static void h_table_fill(rt_vmctx *c, uint32_t t, uint32_t i, void *v, uint32_t n) {
    check(rt_table_fill(c->tables[t], i, v, n));
}
static void h_table_copy(rt_vmctx *c, uint32_t dt, uint32_t st, uint32_t d, uint32_t s,
                         uint32_t n) {
    check(rt_table_copy(c->tables[dt], c->tables[st], d, s, n));
}
static void h_table_init(rt_vmctx *c, uint32_t t, uint32_t seg, uint32_t d, uint32_t s,
                         uint32_t n) {
    check(rt_table_init(c->inst, t, seg, d, s, n));
}
static void h_elem_drop(rt_vmctx *c, uint32_t seg) { rt_elem_drop(c->inst, seg); }

static rt_func *h_indirect(rt_vmctx *c, uint32_t t, uint32_t type, uint32_t i) {
    const rt_table *tab = c->tables[t];
    if (i >= tab->size) rt_tier_raise(RT_TRAP_UNDEFINED_ELEMENT);
    rt_func *f = tab->elems[i];
    if (!f) rt_tier_raise(RT_TRAP_UNINITIALIZED_ELEMENT);
    if (f->sig != c->sigs[type]) rt_tier_raise(RT_TRAP_INDIRECT_MISMATCH);
    return f;
}

/* Host and compiled functions are called directly; interpreted ones (another module
   that fell back to the interpreter) through a nested rt_call. */
static void h_call(rt_vmctx *c, rt_func *f, uint64_t *slots) {
    if (f->host) check(f->host(f->host_env, c->inst, slots));
    else check(rt_call(c->inst->store, f, slots));
}

static const rt_tier_helpers helpers = {
    .trap = h_trap, .stack_floor = h_stack_floor,
    .mem_grow = h_mem_grow, .mem_init = h_mem_init, .mem_copy = h_mem_copy,
    .mem_fill = h_mem_fill, .data_drop = h_data_drop, .table_get = h_table_get,
    .table_set = h_table_set, .table_size = h_table_size, .table_grow = h_table_grow,
    .table_fill = h_table_fill, .table_copy = h_table_copy, .table_init = h_table_init,
    .elem_drop = h_elem_drop, .indirect = h_indirect, .call = h_call,
};

/* ---- binding ---- */

bool rt_tier_bind(rt_store *st, rt_instance *inst, const rt_native *n, tb_error *err) {
    rt_vmctx *c = rt_store_alloc(st, sizeof *c, NULL);
    if (!c) return tb_oom(err);
    const tw_module *m = inst->module;
    c->mem0 = m->nmems ? inst->mems[0]->base : NULL;
    c->mems = inst->mems;
    c->globals = inst->globals;
    c->funcs = inst->funcs;
    c->tables = inst->tables;
    c->sigs = inst->sigs;
    c->inst = inst;
    c->fns = n->fns;
    c->h = &helpers;
    c->fuel = &st->fuel;
    c->epoch_deadline = &st->epoch_deadline;
    c->epoch = st->epoch;
    for (uint32_t i = 0; i < n->nfuncs; i++) {
        rt_func *f = inst->funcs[m->nimported_funcs + i];
        f->host = n->entries[i];
        f->host_env = c;
    }
    return true;
}

/* ---- the plugin ---- */

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const rt_tier_plugin *plugin;
static char load_error[300];

static void load(void) {
    char path[PATH_MAX];
    const char *env = getenv("TAHO_LLVM_PLUGIN");
    if (env && *env) {
        snprintf(path, sizeof path, "%s", env);
    } else {
        ssize_t n = readlink("/proc/self/exe", path, sizeof path - 32);
        if (n <= 0) n = 0;
        path[n] = 0;
        char *slash = strrchr(path, '/');
        snprintf(slash ? slash + 1 : path, 32, "libtaho-llvm.so");
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(load_error, sizeof load_error, "cannot load the LLVM tier: %s", dlerror());
        return;
    }
    const rt_tier_plugin *p = dlsym(h, "llc_plugin");
    if (!p || p->abi != RT_TIER_ABI) {
        snprintf(load_error, sizeof load_error, "%s: not a taho %d LLVM plugin", path, RT_TIER_ABI);
        return;
    }
    plugin = p;
}

const rt_tier_plugin *rt_tier_load(tb_error *err) {
    pthread_once(&load_once, load);
    if (!plugin) tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "%s", load_error);
    return plugin;
}

bool rt_tier_emit(const tw_module *m, const rt_tier_opts *o, rt_tier_objs *out,
                  tb_error *err) {
    memset(out, 0, sizeof *out);
    const rt_tier_plugin *p = rt_tier_load(err);
    return p && p->emit(m, o, out, err);
}

void rt_tier_objs_free(rt_tier_objs *objs) {
    /* The plugin allocates them with plain malloc (it has its own copy of src/base). */
    for (uint32_t i = 0; i < objs->n; i++) free(objs->bytes[i]);
    free(objs->bytes);
    free(objs->lens);
    memset(objs, 0, sizeof *objs);
}

void rt_tier_free(rt_native *n) {
    if (!n) return;
    rt_tier_forget(n);
    if (n->release) n->release(n);
}
