/* tier: the interface between the runtime and the optimizing tier (the LLVM plugin,
   src/llvm): the vmctx layout compiled code reads, the runtime helpers it calls, and
   the plugin's entry points. */
#ifndef RT_TIER_H
#define RT_TIER_H

#include "runtime.h"

typedef struct rt_vmctx rt_vmctx;

/* Runtime operations compiled code calls through vmctx->h (an indirect call: the same
   code works in the JIT and in artifacts, where core addresses are not known). Traps
   unwind to the innermost rt_call; none of these return a trap code. */
typedef struct rt_tier_helpers {
    __attribute__((noreturn)) void (*trap)(uint32_t code);
    uintptr_t (*stack_floor)(void);
    int32_t (*mem_grow)(rt_vmctx *c, uint32_t delta);
    void (*mem_init)(rt_vmctx *c, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n);
    void (*mem_copy)(rt_vmctx *c, uint32_t dst, uint32_t src, uint32_t n);
    void (*mem_fill)(rt_vmctx *c, uint32_t dst, uint32_t val, uint32_t n);
    void (*data_drop)(rt_vmctx *c, uint32_t seg);
    void *(*table_get)(rt_vmctx *c, uint32_t table, uint32_t i);
    void (*table_set)(rt_vmctx *c, uint32_t table, uint32_t i, void *v);
    uint32_t (*table_size)(rt_vmctx *c, uint32_t table);
    int32_t (*table_grow)(rt_vmctx *c, uint32_t table, void *init, uint32_t delta);
    void (*table_fill)(rt_vmctx *c, uint32_t table, uint32_t i, void *v, uint32_t n);
    void (*table_copy)(rt_vmctx *c, uint32_t dst, uint32_t src, uint32_t d, uint32_t s,
                       uint32_t n);
    void (*table_init)(rt_vmctx *c, uint32_t table, uint32_t seg, uint32_t d, uint32_t s,
                       uint32_t n);
    void (*elem_drop)(rt_vmctx *c, uint32_t seg);
    /* call_indirect: the checked callee (bounds, null, signature of type index). */
    rt_func *(*indirect)(rt_vmctx *c, uint32_t table, uint32_t type, uint32_t i);
    /* Call any function object with slots as in rt_call (imports, other instances). */
    void (*call)(rt_vmctx *c, rt_func *f, uint64_t *slots);
} rt_tier_helpers;

/* Per-instance context: the first argument of every compiled function. Compiled code
   addresses these fields by offsetof, so the layout is shared by construction. */
struct rt_vmctx {
    uint8_t *mem0;                /* base of memory 0 (never moves), NULL if none */
    uintptr_t stack_limit;        /* prologues trap below this native stack address */
    rt_memory **mems;
    rt_global **globals;
    rt_func **funcs;
    rt_table **tables;
    const rt_sig **sigs;
    rt_instance *inst;
    void *const *fns;             /* native entries of the defined functions */
    const rt_tier_helpers *h;
    /* Fuel and epoch checks (code compiled with RT_CHECK_*): the store's counters. */
    int64_t *fuel;                /* &store->fuel: a check that takes it below 0 traps */
    const uint64_t *epoch_deadline;   /* &store->epoch_deadline */
    const _Atomic uint64_t *epoch;    /* the engine's counter */
};

/* A module's compiled code, made by the plugin. entries[i] is defined function i's
   array entry: an rt_host_fn taking its vmctx as env, so every caller (rt_call, the
   interpreter, other tiers) reaches compiled code as it reaches a host function. */
typedef struct rt_native {
    uint32_t nfuncs;              /* defined functions */
    rt_host_fn *entries;
    void **fns;                   /* direct entries R f(rt_vmctx *, params...) */
    void *priv;                   /* its maker's (src/artifact) */
    void (*release)(struct rt_native *n);/* frees n and unmaps its code */
    /* The defined function (0-based) whose code holds pc, or -1 (backtraces). */
    int64_t (*func_at)(const struct rt_native *n, uintptr_t pc);
    uintptr_t code_start, code_end;   /* all its code (for finding it by pc) */
    const tw_module *module;      /* set by rt_tier_register */
} rt_native;

typedef enum rt_opt_level { RT_OPT_SPEED = 0, RT_OPT_NONE, RT_OPT_SIZE } rt_opt_level;

/* Checks compiled into the code (rt_tier_opts.checks), as the interpreter makes them
   (interp/fuel.c): at every function entry and loop header, fuel charged with the
   number of Wasm instructions up to the next check point, then the epoch deadline. */
enum { RT_CHECK_FUEL = 1, RT_CHECK_EPOCH = 2 };

typedef struct rt_tier_opts {
    rt_opt_level opt;
    uint32_t checks;              /* RT_CHECK_* */
    const char *cpu;              /* LLVM CPU name; NULL: this machine's */
    const char *features;         /* LLVM feature string; NULL: this machine's */
    uint32_t threads;             /* parallel compilation: 0 = one per core */
    /* Called from the compiling threads as functions finish (done of total); may be
       NULL. */
    void (*progress)(void *arg, uint32_t done, uint32_t total);
    void *progress_arg;
} rt_tier_opts;

/* Relocatable objects made by the plugin's emit (plain malloc: rt_tier_objs_free). */
typedef struct rt_tier_objs {
    uint32_t n;
    uint8_t **bytes;
    size_t *lens;
} rt_tier_objs;

#define RT_TIER_ABI 3
/* What libtaho-llvm.so exports as `llc_plugin` (found with dlsym). */
typedef struct rt_tier_plugin {
    uint32_t abi;                 /* RT_TIER_ABI */
    /* Translate and optimize a validated module for o's target and emit relocatable
       ELF objects (one per partition, compiled in parallel); functions are named tf<i>
       (direct) and te<i> (array entry), i counting defined functions; src/artifact
       links them. Fails with TB_ERR_LIMIT when the module uses something the tier does
       not compile (the caller may fall back to the interpreter). */
    bool (*emit)(const tw_module *m, const rt_tier_opts *o, rt_tier_objs *out,
                 tb_error *err);
} rt_tier_plugin;

/* Load the plugin (once per process): next to the executable, or $TAHO_LLVM_PLUGIN.
   NULL with err when it cannot be loaded. */
const rt_tier_plugin *rt_tier_load(tb_error *err);
/* Emit m's objects with the plugin; out is empty on failure. */
bool rt_tier_emit(const tw_module *m, const rt_tier_opts *o, rt_tier_objs *out,
                  tb_error *err);
void rt_tier_objs_free(rt_tier_objs *objs);
/* Make n's frames known to backtraces, as the code of m (once, before it runs);
   false when too many modules are live at once (their traps then have no frames).
   rt_tier_free forgets it. */
bool rt_tier_register(rt_native *n, const tw_module *m);
/* Release compiled code (its maker's release). */
void rt_tier_free(rt_native *n);
void rt_tier_forget(rt_native *n);
/* Helpers raise traps through this: it records the compiled frames, then unwinds. */
__attribute__((noreturn)) void rt_tier_raise(rt_trap_code code);
/* Every compiled entry calls this (through the stack_floor helper): the entry's faults
   get backtraces of compiled frames. */
void rt_tier_entered(void);

/* Instantiation: make the vmctx of inst and point its defined functions at the
   compiled entries (instance.c calls this before segments and start). */
bool rt_tier_bind(rt_store *st, rt_instance *inst, const rt_native *n, tb_error *err);

#endif
