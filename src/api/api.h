/* api: the structures behind the public handles of include/taho.h, and the
   conversions between public values and runtime slots (private to src/api). */
#ifndef API_H
#define API_H

#include <stdatomic.h>
#include "taho.h"
#include "../base/limits.h"
#include "../link/link.h"
#include "../runtime/ops.h"
#include "../runtime/store.h"

/* How the JIT compiles (compile.c); the engine takes it over from its config. */
typedef struct api_compile_opts {
    char target[32];              /* "" = native */
    uint32_t threads;             /* 0: one per core */
    char *cache_dir;              /* tb_strdup'd; NULL: no on-disk cache */
    taho_progress_fn progress;
    void *progress_arg;
} api_compile_opts;

struct taho_config { rt_config rt; api_compile_opts comp; };
struct taho_engine { rt_engine *rt; api_compile_opts comp; };

struct taho_error {
    taho_error_kind kind;
    int64_t offset;
    char msg[256];
};

struct taho_trap {
    taho_trap_code code;
    int exit_status;
    char message[256];
    size_t nframes;
    char frames[RT_MAX_FRAMES][96];
};

struct taho_module {
    taho_engine *engine;
    tw_module *m;
    interp_module *code;
    _Atomic uint32_t refs;        /* the owner plus every instance made from it */
    taho_importtype *imports;
    taho_exporttype *exports;
    taho_functype *functypes;     /* per type index, for inspection (inspect.c) */
    taho_valkind *functype_kinds; /* the storage behind functypes' params and results */
    struct art_image *image;      /* the JIT's linked code, kept for serialize */
};

struct taho_store {
    rt_store *rt;
    taho_engine *engine;
};

/* Wrappers are store-owned and made once per runtime object (rt_*.api points back). */
struct taho_func {
    rt_func *rf;
    taho_store *store;
    taho_functype type;
    taho_valkind *kinds;          /* params then results */
    taho_callback cb;             /* host functions made by taho_func_new */
    void *env;
};
struct taho_memory { rt_memory *rm; taho_store *store; };
struct taho_table { rt_table *rt; taho_store *store; };
struct taho_global { rt_global *rg; taho_store *store; };
struct taho_instance { rt_instance *ri; taho_store *store; taho_module *module; };
struct taho_linker { lnk_linker *l; taho_engine *engine; };
struct taho_caller { rt_instance *inst; taho_store *store; };

/* compile.c: give mod->m its native code when the engine is the JIT (from the cache
   or the plugin); false with err on failure (a module the tier cannot compile stays
   on the interpreter, no error). */
bool api_compile(taho_engine *e, taho_module *mod, tb_error *err);
void api_compile_opts_free(api_compile_opts *c);

/* errors.c */
taho_error *api_error(taho_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
taho_error *api_error_from(const tb_error *e);
taho_trap *api_trap_from(const rt_trap *t);
rt_trap_code api_trap_code_to_rt(taho_trap_code c);

/* values.c */
bool api_kind_to_type(taho_valkind k, tw_valtype *out);
taho_valkind api_type_to_kind(tw_valtype t);
/* Write v as a value of type t at slots; false if v's kind is not t. */
bool api_val_to_slots(const taho_val *v, tw_valtype t, uint64_t *slots);
/* NULL funcref wrappers on OOM read as null. */
taho_val api_val_from_slots(taho_store *s, tw_valtype t, const uint64_t *slots);
rt_ref api_ref_of(const taho_val *v);

/* externs.c: wrappers, made on demand; NULL on OOM */
taho_func *api_func(taho_store *s, rt_func *f);
taho_memory *api_memory(taho_store *s, rt_memory *m);
taho_table *api_table(taho_store *s, rt_table *t);
taho_global *api_global(taho_store *s, rt_global *g);
bool api_extern_from_rt(taho_store *s, const rt_extern *x, taho_extern *out);
bool api_extern_to_rt(const taho_extern *x, rt_extern *out);

/* limits.c: INTERP_CHECK_* flags for the engine's fuel/epoch settings */
unsigned api_interp_checks(const taho_engine *e);
/* compile.c: the same as RT_CHECK_* flags, for compiled code */
uint32_t api_tier_checks(const taho_engine *e);

/* module.c */
void api_module_ref(taho_module *m);

/* inspect.c: built by taho_module_new, freed with the module */
bool api_module_describe_types(taho_module *mod);
void api_module_free_types(taho_module *mod);

#endif
