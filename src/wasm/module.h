/* wasm: the in-memory model of a decoded module. Immutable once validated; shared by
   every instance and thread. All of it lives in the module's arena. */
#ifndef TW_MODULE_H
#define TW_MODULE_H

#include "../base/base.h"

/* Value types, by their binary encoding. */
enum {
    TW_I32 = 0x7F,
    TW_I64 = 0x7E,
    TW_F32 = 0x7D,
    TW_F64 = 0x7C,
    TW_V128 = 0x7B,
    TW_FUNCREF = 0x70,
    TW_EXTERNREF = 0x6F,
};
typedef uint8_t tw_valtype;

static inline bool tw_is_ref(tw_valtype t) { return t == TW_FUNCREF || t == TW_EXTERNREF; }
static inline bool tw_is_num(tw_valtype t) { return t >= TW_F64 && t <= TW_I32; }
/* Size of a value in 8-byte slots (v128 takes two). */
static inline uint32_t tw_slots(tw_valtype t) { return t == TW_V128 ? 2 : 1; }
const char *tw_valtype_name(tw_valtype t);

typedef struct tw_functype {
    uint32_t nparams, nresults;
    const tw_valtype *params;   /* nparams */
    const tw_valtype *results;  /* nresults */
} tw_functype;

typedef struct tw_limits {
    uint32_t min, max;
    bool has_max;
} tw_limits;

typedef struct tw_tabletype {
    tw_valtype elem; /* TW_FUNCREF or TW_EXTERNREF */
    tw_limits lim;
} tw_tabletype;

typedef struct tw_memtype {
    tw_limits lim; /* in pages */
} tw_memtype;

typedef struct tw_globaltype {
    tw_valtype type;
    bool mut;
} tw_globaltype;

typedef enum tw_externkind {
    TW_EXTERN_FUNC = 0,
    TW_EXTERN_TABLE = 1,
    TW_EXTERN_MEMORY = 2,
    TW_EXTERN_GLOBAL = 3,
} tw_externkind;

/* A name from the binary: not NUL-terminated in the format, but we NUL-terminate copies. */
typedef struct tw_name {
    const char *s;
    uint32_t len;
} tw_name;

typedef struct tw_import {
    tw_name module, name;
    tw_externkind kind;
    union {
        uint32_t func_type; /* type index */
        tw_tabletype table;
        tw_memtype mem;
        tw_globaltype global;
    } u;
} tw_import;

typedef struct tw_export {
    tw_name name;
    tw_externkind kind;
    uint32_t index;
} tw_export;

/* Constant expressions in Wasm 2.0 are one instruction followed by `end`. */
typedef enum tw_constop {
    TW_CONST_I32, TW_CONST_I64, TW_CONST_F32, TW_CONST_F64, TW_CONST_V128,
    TW_CONST_REF_NULL, /* type in .type */
    TW_CONST_REF_FUNC, /* function index in .index */
    TW_CONST_GLOBAL,   /* global.get .index */
    /* Decoded but not a valid constant expression; the validator rejects these. */
    TW_CONST_NONCONST, /* has an instruction not allowed in constant expressions:
                          "constant expression required"; .index = its tw_op */
    TW_CONST_ARITY,    /* only constant instructions, but not exactly one of them:
                          "type mismatch"; .index = how many */
} tw_constop;

typedef struct tw_constexpr {
    tw_constop op;
    tw_valtype type;      /* the result type */
    uint32_t index;
    uint64_t bits[2];     /* i32/f32 in bits[0] low half; v128 little-endian in bits[0..1] */
} tw_constexpr;

typedef struct tw_global {
    tw_globaltype type;
    tw_constexpr init;
} tw_global;

typedef struct tw_func {
    uint32_t type;                 /* type index */
    uint32_t nlocals;              /* declared locals, not counting params */
    const tw_valtype *locals;      /* expanded, nlocals entries */
    const uint8_t *code;           /* body: instructions after the local declarations ... */
    uint32_t code_len;             /* ... up to and including the final `end` */
    uint32_t code_offset;          /* offset of `code` within the module's bytes */
} tw_func;

typedef enum tw_segmode {
    TW_SEG_ACTIVE,
    TW_SEG_PASSIVE,
    TW_SEG_DECLARATIVE, /* elements only */
} tw_segmode;

typedef struct tw_elem {
    tw_segmode mode;
    tw_valtype type;          /* TW_FUNCREF or TW_EXTERNREF */
    uint32_t table;           /* active only */
    tw_constexpr offset;      /* active only */
    uint32_t count;
    const tw_constexpr *items; /* ref.func / ref.null / global.get */
} tw_elem;

typedef struct tw_data {
    tw_segmode mode;
    uint32_t mem;             /* active only */
    tw_constexpr offset;      /* active only */
    uint32_t len;
    const uint8_t *bytes;
} tw_data;

typedef struct tw_funcname {
    uint32_t index;
    tw_name name;
} tw_funcname;

typedef struct tw_custom {
    tw_name name;
    const uint8_t *bytes;
    uint32_t len;
} tw_custom;

typedef struct tw_module {
    tb_arena arena;
    const uint8_t *bytes;     /* the module's binary (see dec_module_from) */
    size_t size;
    uint8_t *owned_bytes;     /* tb_free'd with the module when it took them */

    uint32_t ntypes;
    tw_functype *types;

    uint32_t nimports;
    tw_import *imports;

    /* Index spaces: imported entities come first, as in the spec. */
    uint32_t nfuncs, nimported_funcs;
    uint32_t *func_types;     /* type index of every function, imported ones first */
    tw_func *funcs;           /* defined functions only: funcs[i] is function nimported_funcs+i */

    uint32_t ntables, nimported_tables;
    tw_tabletype *tables;

    uint32_t nmems, nimported_mems;
    tw_memtype *mems;

    uint32_t nglobals, nimported_globals;
    tw_globaltype *global_types; /* all globals, imported first */
    tw_global *globals;          /* defined globals only */

    uint32_t nexports;
    tw_export *exports;

    bool has_start;
    uint32_t start;

    uint32_t nelems;
    tw_elem *elems;

    bool has_data_count;
    uint32_t data_count;
    uint32_t ndatas;
    tw_data *datas;

    /* Functions referenced outside function bodies (exports, elements, globals):
       ref.func in a body may only name these (spec "C.refs"). Sorted indices. */
    uint32_t nrefs;
    uint32_t *refs;

    tw_name module_name;      /* from the name section, may be empty */
    uint32_t nfuncnames;      /* sorted by index */
    tw_funcname *funcnames;

    uint32_t ncustoms;
    tw_custom *customs;

    /* Compiled code of the optimizing tier (an rt_native, src/runtime/tier.h), set
       once before the module is shared; NULL runs the interpreter. Owned by whoever
       compiled it. */
    void *tier;

    /* Runtime cache: the copy-on-write memory image of the data segments (src/runtime/
       image.c), built on first instantiation and set once (atomically) even though the
       module is otherwise immutable; rt_image_free releases it in tw_module_free. */
    void *rt_image;
    void (*rt_image_free)(void *img);
} tw_module;

void tw_module_free(tw_module *m);
const tw_functype *tw_func_type(const tw_module *m, uint32_t funcidx);
/* Name of a function from the name section, or NULL. */
const tw_name *tw_func_name(const tw_module *m, uint32_t funcidx);
bool tw_functype_eq(const tw_functype *a, const tw_functype *b);

/* Block types: empty, a single value type, or a type index (multi-value). */
typedef struct tw_blocktype {
    uint32_t nparams, nresults;
    const tw_valtype *params, *results;
} tw_blocktype;

#endif
