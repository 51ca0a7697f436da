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
