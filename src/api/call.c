/* call: calling functions through the API (argument checks, value conversion, traps)
   and host functions defined with a taho_callback (in a store, or in a linker once for
   every store). */
#include "api.h"

#define SMALL 16 /* slots/values kept on the C stack; larger signatures allocate */

static taho_error *check_args(const taho_func *f, const taho_val *args, size_t nargs,
                              size_t nresults) {
    const tw_functype *t = &f->rf->sig->type;
    if (nargs != t->nparams)
        return api_error(TAHO_ERROR_ARG, "expected %u arguments, got %zu", t->nparams, nargs);
    if (nresults < t->nresults)
        return api_error(TAHO_ERROR_ARG, "room for %zu results, function returns %u", nresults,
                         t->nresults);
    for (size_t i = 0; i < nargs; i++) {
        tw_valtype vt;
        if (!api_kind_to_type(args[i].kind, &vt) || vt != t->params[i])
            return api_error(TAHO_ERROR_ARG, "argument %zu: expected %s, got %s", i,
                             tw_valtype_name(t->params[i]), taho_valkind_name(args[i].kind));
    }
    return NULL;
}

static void args_to_slots(const rt_sig *sig, const taho_val *args, uint64_t *slots) {
    for (uint32_t i = 0, k = 0; i < sig->type.nparams; k += tw_slots(sig->type.params[i]), i++)
        api_val_to_slots(&args[i], sig->type.params[i], slots + k);
}

static void results_from_slots(taho_store *s, const rt_sig *sig, const uint64_t *slots,
                               taho_val *results) {
    for (uint32_t i = 0, k = 0; i < sig->type.nresults; k += tw_slots(sig->type.results[i]), i++)
        results[i] = api_val_from_slots(s, sig->type.results[i], slots + k);
}

taho_error *taho_func_call(taho_store *s, taho_func *f, const taho_val *args, size_t nargs,
                           taho_val *results, size_t nresults, taho_trap **trap) {
    if (trap) *trap = NULL;
    if (!s || !f) return api_error(TAHO_ERROR_ARG, "null store or function");
    if (f->store != s) return api_error(TAHO_ERROR_ARG, "function belongs to another store");
    if ((nargs && !args) || (nresults && !results))
        return api_error(TAHO_ERROR_ARG, "null argument or result array");
    taho_error *e = check_args(f, args, nargs, nresults);
    if (e) return e;
    const rt_sig *sig = f->rf->sig;
    size_t n = sig->param_slots > sig->result_slots ? sig->param_slots : sig->result_slots;
    uint64_t small[SMALL], *slots = n <= SMALL ? small : tb_calloc(n, sizeof(uint64_t));
    if (!slots) return api_error(TAHO_ERROR_OOM, "out of memory");
    args_to_slots(sig, args, slots);
    rt_trap_code code = rt_call(s->rt, f->rf, slots);
    if (code == RT_TRAP_NONE) results_from_slots(s, sig, slots, results);
    else if (trap) *trap = api_trap_from(&s->rt->last_trap);
    if (slots != small) tb_free(slots);
    return NULL;
}

/* ---- host functions ---- */

static rt_trap_code trap_to_store(rt_store *st, taho_trap *t) {
    rt_trap_code code = api_trap_code_to_rt(t->code);
    st->last_trap.code = code;
    st->last_trap.exit_status = t->exit_status;
    st->last_trap.nframes = 0;
    rt_trap_set_host_message(st, code == RT_TRAP_HOST ? t->message : "");
    taho_trap_delete(t);
    return code;
}

/* Run cb as the host function of sig in store s (slots as in rt_host_fn). */
static rt_trap_code call_host(taho_store *s, const rt_sig *sig, taho_callback cb, void *env,
                           rt_instance *caller, uint64_t *slots) {
    size_t np = sig->type.nparams, nr = sig->type.nresults;
    taho_val small[2 * SMALL], *vals = np + nr <= 2 * SMALL ? small : tb_calloc(np + nr, sizeof *vals);
    if (!vals) {
        rt_trap_set_host_message(s->rt, "out of memory");
        return RT_TRAP_HOST;
    }
    for (uint32_t i = 0, k = 0; i < np; k += tw_slots(sig->type.params[i]), i++)
        vals[i] = api_val_from_slots(s, sig->type.params[i], slots + k);
    for (size_t i = 0; i < nr; i++) {
        memset(&vals[np + i], 0, sizeof(taho_val));
        vals[np + i].kind = api_type_to_kind(sig->type.results[i]);
    }
    taho_caller c = {caller, s};
    taho_trap *t = cb(env, &c, vals, np, vals + np, nr);
    rt_trap_code code = RT_TRAP_NONE;
    if (t) code = trap_to_store(s->rt, t);
    else
        for (uint32_t i = 0, k = 0; i < nr; k += tw_slots(sig->type.results[i]), i++) {
            /* A result of the wrong kind from the host is a host error, not UB. */
            if (!api_val_to_slots(&vals[np + i], sig->type.results[i], slots + k)) {
                rt_trap_set_host_message(s->rt, "host function returned a wrong result type");
                code = RT_TRAP_HOST;
                break;
            }
        }
    if (vals != small) tb_free(vals);
    return code;
}

static rt_trap_code host_trampoline(void *env, rt_instance *caller, uint64_t *slots) {
    taho_func *f = env;
    return call_host(f->store, f->rf->sig, f->cb, f->env, caller, slots);
}

static const rt_sig *intern_type(rt_engine *e, const taho_functype *type) {
    size_t n = type->nparams + type->nresults;
    if (type->nparams > TB_MAX_FUNC_PARAMS || type->nresults > TB_MAX_FUNC_PARAMS) return NULL;
    tw_valtype *v = tb_malloc(n + 1);
    if (!v) return NULL;
    bool ok = true;
    for (size_t i = 0; i < type->nparams && ok; i++) ok = api_kind_to_type(type->params[i], &v[i]);
    for (size_t i = 0; i < type->nresults && ok; i++)
        ok = api_kind_to_type(type->results[i], &v[type->nparams + i]);
    tw_functype t = {(uint32_t)type->nparams, (uint32_t)type->nresults, v, v + type->nparams};
    const rt_sig *sig = ok ? rt_engine_intern_sig(e, &t) : NULL;
    tb_free(v);
    return sig;
}

taho_func *taho_func_new(taho_store *s, const taho_functype *type, taho_callback cb,
                         void *env) {
    if (!s || !type || !cb) return NULL;
    if ((type->nparams && !type->params) || (type->nresults && !type->results)) return NULL;
    const rt_sig *sig = intern_type(s->rt->engine, type);
    if (!sig) return NULL;
    rt_func *rf = rt_func_new_host(s->rt, sig, host_trampoline, NULL, NULL);
    if (!rf) return NULL;
    taho_func *f = api_func(s, rf);
    if (!f) return NULL;
    rf->host_env = f;
    f->cb = cb;
    f->env = env;
    return f;
}

taho_memory *taho_caller_memory(taho_caller *c) {
    rt_extern x;
    if (!c || !c->inst || !rt_instance_export(c->inst, "memory", 6, &x) ||
        x.kind != TW_EXTERN_MEMORY)
        return NULL;
    return api_memory(c->store, x.u.mem);
}

/* A host function defined in a linker: made in each store that instantiates with it. */
typedef struct linker_func {
    taho_callback cb;
    void *env;
    void (*finalizer)(void *env);
    const rt_sig *sig;
} linker_func;

static rt_trap_code linker_trampoline(void *env, rt_instance *caller, uint64_t *slots) {
    lnk_bound *b = env;
    linker_func *f = b->env;
    return call_host(b->store->api, f->sig, f->cb, f->env, caller, slots);
}

static void linker_func_free(void *env) {
    linker_func *f = env;
    if (f->finalizer) f->finalizer(f->env);
    tb_free(f);
}

taho_error *taho_linker_define_func(taho_linker *l, const char *module, const char *name,
                                    const taho_functype *type, taho_callback cb, void *env,
                                    void (*finalizer)(void *env)) {
    if (!l || !module || !name || !type || !cb)
        return api_error(TAHO_ERROR_ARG, "null linker, name, type or callback");
    if ((type->nparams && !type->params) || (type->nresults && !type->results))
        return api_error(TAHO_ERROR_ARG, "null parameter or result kinds");
    const rt_sig *sig = intern_type(l->engine->rt, type);
    if (!sig) return api_error(TAHO_ERROR_ARG, "invalid function type");
    linker_func *f = tb_malloc(sizeof *f);
    if (!f) return api_error(TAHO_ERROR_OOM, "out of memory");
    *f = (linker_func){cb, env, finalizer, sig};
    if (!lnk_own_env(l->l, f, linker_func_free)) {
        tb_free(f); /* the finalizer is the caller's on failure */
        return api_error(TAHO_ERROR_OOM, "out of memory");
    }
    lnk_hostfn h = {sig, linker_trampoline, f, NULL, NULL, true};
    tb_error err;
    if (!lnk_define_host(l->l, module, strlen(module), name, strlen(name), &h, &err))
        return api_error_from(&err);
    return NULL;
}
