/* linker: the public linker and instances (instantiation, export lookup). */
#include "api.h"

taho_linker *taho_linker_new(taho_engine *e) {
    if (!e) return NULL;
    taho_linker *l = tb_calloc(1, sizeof *l);
    if (l && !(l->l = lnk_new())) {
        tb_free(l);
        return NULL;
    }
    if (l) l->engine = e;
    return l;
}

void taho_linker_delete(taho_linker *l) {
    if (!l) return;
    lnk_free(l->l);
    tb_free(l);
}

taho_error *taho_linker_define(taho_linker *l, const char *module, const char *name,
                               taho_extern ext) {
    if (!l || !module || !name) return api_error(TAHO_ERROR_ARG, "null linker or name");
    rt_extern x;
    if (!api_extern_to_rt(&ext, &x)) return api_error(TAHO_ERROR_ARG, "invalid extern");
    tb_error err;
    if (!lnk_define(l->l, module, strlen(module), name, strlen(name), x, &err))
        return api_error_from(&err);
    return NULL;
}

taho_error *taho_linker_define_instance(taho_linker *l, taho_store *s, const char *module,
                                        taho_instance *inst) {
    if (!l || !s || !module || !inst) return api_error(TAHO_ERROR_ARG, "null argument");
    tb_error err;
    if (!lnk_define_instance(l->l, module, strlen(module), inst->ri, &err))
        return api_error_from(&err);
    return NULL;
}

static void instance_drop(void *obj) {
    taho_instance *inst = obj;
    taho_module_delete(inst->module);
}

taho_error *taho_linker_instantiate(taho_linker *l, taho_store *s, const taho_module *m,
                                    taho_instance **out, taho_trap **trap) {
    if (trap) *trap = NULL;
    if (!out) return api_error(TAHO_ERROR_ARG, "null output");
    *out = NULL;
    if (!l || !s || !m) return api_error(TAHO_ERROR_ARG, "null linker, store or module");
    if (s->engine != m->engine || l->engine != m->engine)
        return api_error(TAHO_ERROR_ARG, "module, store and linker must share one engine");
    /* Made first: even a trapping instantiation leaves an instance (its functions may
       sit in imported tables), and it needs the module alive as long as the store. */
    taho_instance *inst = rt_store_alloc(s->rt, sizeof *inst, instance_drop);
    if (!inst) return api_error(TAHO_ERROR_OOM, "out of memory");
    inst->store = s;
    inst->module = (taho_module *)m;
    s->rt->api = s; /* host functions defined in the linker find their store here */
    api_module_ref(inst->module);
    tb_error err;
    if (!lnk_instantiate(l->l, s->rt, m->m, m->code, &inst->ri, &err)) {
        if (err.kind == TB_ERR_TRAP && trap) *trap = api_trap_from(&s->rt->last_trap);
        return api_error_from(&err);
    }
    inst->ri->api = inst;
    *out = inst;
    return NULL;
}

bool taho_instance_export_n(taho_instance *inst, const char *name, size_t len,
                            taho_extern *out) {
    rt_extern x;
    if (!inst || (!name && len) || !out || !rt_instance_export(inst->ri, name, len, &x))
        return false;
    return api_extern_from_rt(inst->store, &x, out);
}

bool taho_instance_export(taho_instance *inst, const char *name, taho_extern *out) {
    return name && taho_instance_export_n(inst, name, strlen(name), out);
}
