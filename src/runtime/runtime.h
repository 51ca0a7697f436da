/* runtime: stores, instances and their mutable state (memories, tables, globals),
   the function objects the tiers call through, and traps. Shared by every tier. */
#ifndef RT_RUNTIME_H
#define RT_RUNTIME_H

#include "../base/base.h"
#include "../wasm/module.h"
#include <stdatomic.h>
#include "trap.h"

typedef struct rt_store rt_store;
typedef struct rt_instance rt_instance;
typedef struct rt_engine rt_engine;
typedef struct interp_module interp_module;

/* A function signature interned by the engine: two rt_sig pointers are equal iff the
   types are equal, so call_indirect checks one pointer. */
typedef struct rt_sig {
    tw_functype type;
    uint32_t param_slots, result_slots; /* in 8-byte slots, v128 counts 2 */
} rt_sig;

const rt_sig *rt_engine_intern_sig(rt_engine *e, const tw_functype *t);

/* Host functions see arguments and write results in 8-byte slots: args[0..param_slots)
   in, results over the same array from index 0. Return RT_TRAP_NONE or a trap
   (RT_TRAP_HOST with a message set through rt_trap_set_host_message). */
typedef rt_trap_code (*rt_host_fn)(void *env, rt_instance *caller, uint64_t *slots);

typedef struct rt_func {
    const rt_sig *sig;
    rt_instance *inst;        /* defining instance, NULL for host functions */
    uint32_t index;           /* function index within inst->module */
    const void *code;         /* tier's entry for this function (interp: lowered code) */
    rt_host_fn host;          /* host functions only */
    void *host_env;
    void *api;                /* the public handle wrapping this, if any (api layer) */
} rt_func;

/* References are pointers: funcref -> rt_func*, externref -> host pointer; NULL is null. */
typedef void *rt_ref;

typedef struct rt_memory {
    uint8_t *base;            /* start of the reservation; [0, size) is read-write */
    uint64_t size;            /* bytes, a multiple of 64 KiB */
    uint32_t max_pages;       /* spec max (or TB_MAX_PAGES) */
    bool has_max;
    size_t reserved;          /* bytes of address space held (TB_MEM_RESERVATION) */
    void *api;                /* the public handle wrapping this, if any (api layer) */
    uint64_t limit;           /* bytes allowed by the store or pool (0: none) */
    uint64_t image_len;       /* bytes [0, image_len) map a copy-on-write image */
} rt_memory;

typedef struct rt_table {
    rt_ref *elems;
    uint32_t size, max;
    bool has_max;
    tw_valtype type;
    void *api;                /* the public handle wrapping this, if any (api layer) */
    uint32_t limit;           /* elements allowed by the store or pool (0: none) */
} rt_table;

typedef struct rt_global {
    uint64_t val[2];          /* v128 uses both; others val[0] (refs as pointer bits) */
    tw_globaltype type;
    void *api;                /* the public handle wrapping this, if any (api layer) */
} rt_global;

/* An element or data segment as the instance sees it (dropped -> length 0). */
typedef struct rt_elemseg {
    uint32_t len;
    rt_ref *refs;
} rt_elemseg;
typedef struct rt_dataseg {
    uint32_t len;
    const uint8_t *bytes;
} rt_dataseg;

struct rt_instance {
    rt_store *store;
    const tw_module *module;
    const interp_module *code;     /* lowered code, shared through the module */
    rt_func **funcs;               /* whole function index space */
    rt_table **tables;
    rt_memory **mems;
    rt_global **globals;
    rt_elemseg *elems;             /* one per element segment */
    rt_dataseg *datas;             /* one per data segment */
    const rt_sig **sigs;           /* interned signature per type index; interp fills it
                                      lazily (NULL until first call_indirect) */
    void *api;                     /* public handle */
    bool counted;                  /* holds an engine pool slot and a store count */
    bool shared_sigs;              /* sigs belongs to the module's cache (image.h) */
    struct rt_modcache *cache;     /* the module's runtime cache, or NULL */
};

/* Limits a store puts on what is made in it (0: no limit beyond the engine's). Growing
   past one returns -1; creating past one fails instantiation. */
typedef struct rt_limits {
    uint64_t memory_bytes;     /* per memory */
    uint32_t table_elems;      /* per table */
    uint32_t instances;        /* live instances in the store */
} rt_limits;

/* Per-store execution state used by the tiers. */
typedef struct rt_exec {
    uint64_t *stack;               /* interpreter value stack, TB_MAX_VALUE_STACK slots */
    uint64_t *stack_end;
    bool stack_marked;             /* its canaries are set (call.c: a release with them
                                      intact needs no system call) */
    uint32_t depth, max_depth;     /* Wasm call depth and its limit */
    uint64_t *sp;                  /* interp: first free slot while a host function runs,
                                      so re-entries stack above live frames (NULL: stack) */
    void *csp;                     /* interp: its call-frame stack (growing down from
                                      stack_end) at that point */
} rt_exec;

struct rt_store {
    rt_engine *engine;
    rt_exec exec;
    TB_VEC(void *) owned;          /* objects freed with the store */
    rt_trap last_trap;             /* details of the most recent trap */
    /* Read by the tiers' fuel and epoch checks (interp/fuel.c). */
    int64_t fuel;                  /* left; a check that takes it below 0 traps */
    uint64_t epoch_deadline;       /* trap "interrupt" once *epoch >= this */
    const _Atomic uint64_t *epoch; /* the engine's counter */
    rt_limits limits;
    uint32_t ninstances;           /* live instances, against limits.instances */
    void *api;                     /* the public handle, if any (api layer) */
    void *wasi;                    /* the store's WASI context (src/wasi), or NULL */
};

/* Call f with args in slots; results are written over slots from 0. slots must hold
   max(param_slots, result_slots). Every entry (also a host function calling back in)
   sets its own trap recovery point, so a trap unwinds only to the innermost rt_call. Returns RT_TRAP_NONE or a code;
   details in st->last_trap. */
rt_trap_code rt_call(rt_store *st, rt_func *f, uint64_t *slots);

#endif
