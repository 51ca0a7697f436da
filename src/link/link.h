/* link: the linker, a map from (module, name) to externs, and instantiation that
   resolves a module's imports through it. */
#ifndef LNK_LINK_H
#define LNK_LINK_H

#include "../runtime/store.h"

typedef struct lnk_linker lnk_linker;

lnk_linker *lnk_new(void);            /* NULL on OOM */
void lnk_free(lnk_linker *l);

/* Define mod.name; a redefinition replaces the old extern. Names are copied. */
bool lnk_define(lnk_linker *l, const char *mod, size_t modlen, const char *name,
                size_t namelen, rt_extern ext, tb_error *err);
/* A host function defined once in a linker for every store: each instantiation that
   imports it makes its rt_func in the instantiating store (one block per instance), so
   a linker made once serves any number of stores (the per-request pattern). */
typedef struct lnk_hostfn {
    const rt_sig *sig;
    rt_host_fn fn;
    void *env;
    /* NULL, or gives the function's env in st (e.g. the store's WASI context); a NULL
       result fails the instantiation with `reason`. */
    void *(*bind)(void *env, rt_store *st);
    const char *reason;
    /* The function's env is then an lnk_bound: env plus the store it was made in (the
       embedder's calls give no calling instance to find the store through). */
    bool with_store;
} lnk_hostfn;
typedef struct lnk_bound {
    void *env;
    rt_store *store;
} lnk_bound;
/* Define mod.name as h (copied). env must outlive every store that instantiated with
   it; lnk_own_env hands it to the linker, which frees it after the last such store. */
bool lnk_define_host(lnk_linker *l, const char *mod, size_t modlen, const char *name,
                     size_t namelen, const lnk_hostfn *h, tb_error *err);
/* The linker frees env with free_env once neither it nor any store uses it. */
bool lnk_own_env(lnk_linker *l, void *env, void (*free_env)(void *env));

/* Define every export of inst under module name mod (the spec's `register`). */
bool lnk_define_instance(lnk_linker *l, const char *mod, size_t modlen,
                         const rt_instance *inst, tb_error *err);
/* NULL when undefined. */
const rt_extern *lnk_lookup(const lnk_linker *l, const char *mod, size_t modlen,
                            const char *name, size_t namelen);

/* Resolve every import of m ("unknown import: mod.name" when missing), check types,
   and instantiate (see rt_instantiate). */
bool lnk_instantiate(const lnk_linker *l, rt_store *st, const tw_module *m,
                     const interp_module *code, rt_instance **out, tb_error *err);

#endif
