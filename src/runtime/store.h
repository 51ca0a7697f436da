/* store: engines, stores and the objects they own (memories, tables, globals, host
   functions, instances), and instantiation. Used by the linker and the public API. */
#ifndef RT_STORE_H
#define RT_STORE_H

#include "runtime.h"

typedef struct rt_config {
    uint32_t max_call_depth;   /* 0 means TB_MAX_CALL_DEPTH */
    uint8_t engine;            /* 0 interpreter, 1 JIT through the LLVM plugin (tier.h) */
    uint8_t opt_level;         /* rt_opt_level for the JIT */
    /* Bytes of Wasm stack per store (the interpreter's value stack, frames included);
       0 means TB_MAX_VALUE_STACK slots. Running past it is "call stack exhausted". */
    uint64_t max_wasm_stack;
    /* Code gets fuel checks (stores start with 0 fuel, as in wasmtime) or epoch
       checks at function entries and loop headers; off, the code has none. */
    bool consume_fuel, epoch_interruption;
    /* Pooling allocator (pool.c): at most pool_instances live instances per engine,
       each memory at most pool_memory_pages, each table at most pool_table_elems;
       reservations are kept and reset for reuse. 0 instances: on-demand allocation. */
    uint32_t pool_instances, pool_memory_pages, pool_table_elems;
} rt_config;

/* Pooling defaults, as the product documents them. */
#define RT_POOL_DEFAULT_INSTANCES 1000u
#define RT_POOL_DEFAULT_MEMORY_PAGES 256u   /* 16 MiB */
#define RT_POOL_DEFAULT_TABLE_ELEMS 1000u
#define RT_POOL_MAX_INSTANCES 10000u        /* 8 GiB each: 80 TiB of a 128 TiB space */


/* An engine is shared by stores and threads; interning is thread-safe. */
rt_engine *rt_engine_new(const rt_config *cfg); /* NULL on OOM */
void rt_engine_free(rt_engine *e);
const rt_config *rt_engine_config(const rt_engine *e);

rt_store *rt_store_new(rt_engine *e);             /* NULL on OOM */
void rt_store_set_limits(rt_store *st, const rt_limits *l);
/* Fuel (engine consume_fuel): set the budget; read what is left. */
void rt_store_set_fuel(rt_store *st, uint64_t fuel);
uint64_t rt_store_get_fuel(const rt_store *st);
/* Epochs (engine epoch_interruption): code running in st traps "interrupt" once the
   engine's epoch reaches the current epoch + delta. Any thread may increment. */
void rt_store_set_epoch_deadline(rt_store *st, uint64_t delta);
void rt_engine_increment_epoch(rt_engine *e);
uint64_t rt_engine_epoch(const rt_engine *e);
const _Atomic uint64_t *rt_engine_epoch_ptr(const rt_engine *e);
void rt_store_free(rt_store *st);                  /* frees everything it owns */
/* Allocate a zeroed object owned by st; drop (may be NULL) runs when st is freed,
   before the block itself is released. Objects are dropped newest first. */
void *rt_store_alloc(rt_store *st, size_t size, void (*drop)(void *obj));

/* Objects made directly in a store (imports from the host). NULL on failure, with err. */
rt_memory *rt_memory_new(rt_store *st, const tw_memtype *type, tb_error *err);
rt_table *rt_table_new(rt_store *st, const tw_tabletype *type, rt_ref init, tb_error *err);
rt_global *rt_global_new(rt_store *st, const tw_globaltype *type, const uint64_t val[2],
                         tb_error *err);
rt_func *rt_func_new_host(rt_store *st, const rt_sig *sig, rt_host_fn fn, void *env,
                          tb_error *err);

/* The type an extern has now (tables and memories: current size as min). */
tw_tabletype rt_table_type(const rt_table *t);
tw_memtype rt_memory_type(const rt_memory *m);

typedef struct rt_extern {
    tw_externkind kind;
    union {
        rt_func *func;
        rt_table *table;
        rt_memory *mem;
        rt_global *global;
    } u;
} rt_extern;

/* Check one resolved import against its declared type; fills err (TB_ERR_LINK,
   "incompatible import type for mod.name") on mismatch. */
bool rt_import_matches(rt_engine *e, const tw_module *m, const tw_import *imp,
                       const rt_extern *ext, tb_error *err);

/* Instantiate m in st with imports[0..m->nimports) already resolved. code is the
   module's lowered code (may be NULL only for modules without defined functions, in
   tests). On a trap in segments or start: returns false with err->kind TB_ERR_TRAP;
   details in st->last_trap; effects on imported tables/memories stay (spec 2.0). */
bool rt_instantiate(rt_store *st, const tw_module *m, const interp_module *code,
                    const rt_extern *imports, rt_instance **out, tb_error *err);

/* Export lookup by name; false if none. */
bool rt_instance_export(const rt_instance *inst, const char *name, size_t len,
                        rt_extern *out);
rt_extern rt_instance_export_at(const rt_instance *inst, uint32_t i);

/* Signals (signals.c): install fault handlers once per process; idempotent. */
bool rt_signals_init(void);
/* Register [base, base+len) so that a fault inside it while running Wasm becomes
   `code`. Returns false when the registry is full. */
bool rt_region_add(void *base, size_t len, rt_trap_code code);
void rt_region_remove(void *base);

#endif
