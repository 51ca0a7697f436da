/* link: an open-addressing hash map keyed by "module\0name", and import resolution
   (host functions defined once for every store are made in the store here). */
#include "link.h"

typedef struct lnk_entry {
    char *key;            /* module, NUL, name (lengths below); NULL: empty slot */
    uint32_t modlen, namelen;
    uint64_t hash;
    bool is_host;         /* host, not ext: made in each instantiating store */
    rt_extern ext;
    lnk_hostfn host;
} lnk_entry;

/* The envs a linker owns, shared with the stores whose functions point into them:
   freed when the linker and the last such store are gone. */
typedef struct lnk_envs {
    _Atomic uint32_t refs;
    TB_VEC(struct lnk_owned { void *env; void (*free_env)(void *); }) v;
} lnk_envs;

struct lnk_linker {
    lnk_entry *slots;     /* power-of-two capacity */
    uint32_t n, cap;
    lnk_envs *envs;       /* NULL until lnk_own_env */
};

lnk_linker *lnk_new(void) { return tb_calloc(1, sizeof(lnk_linker)); }

static void envs_release(lnk_envs *s) {
    if (!s || atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1) return;
    for (uint32_t i = 0; i < s->v.len; i++) s->v.v[i].free_env(s->v.v[i].env);
    tb_vec_free(&s->v);
    tb_free(s);
}

void lnk_free(lnk_linker *l) {
    if (!l) return;
    for (uint32_t i = 0; i < l->cap; i++) tb_free(l->slots[i].key);
    tb_free(l->slots);
    envs_release(l->envs);
    tb_free(l);
}

bool lnk_own_env(lnk_linker *l, void *env, void (*free_env)(void *env)) {
    if (!l->envs) {
        if (!(l->envs = tb_calloc(1, sizeof *l->envs))) return false;
        atomic_init(&l->envs->refs, 1);
    }
    struct lnk_owned o = {env, free_env};
    return tb_vec_push(&l->envs->v, o);
}

static uint64_t key_hash(const char *mod, size_t modlen, const char *name, size_t namelen) {
    uint64_t h = tb_hash(mod, modlen, 0x11c);
    h = tb_hash("", 1, h);
    return tb_hash(name, namelen, h);
}

static bool key_eq(const lnk_entry *e, uint64_t h, const char *mod, size_t modlen,
                   const char *name, size_t namelen) {
    return e->hash == h && e->modlen == modlen && e->namelen == namelen &&
           !memcmp(e->key, mod, modlen) && !memcmp(e->key + modlen + 1, name, namelen);
}

static lnk_entry *find(const lnk_linker *l, uint64_t h, const char *mod, size_t modlen,
                       const char *name, size_t namelen) {
    if (!l->cap) return NULL;
    for (uint32_t j = (uint32_t)h & (l->cap - 1);; j = (j + 1) & (l->cap - 1)) {
        lnk_entry *e = &l->slots[j];
        if (!e->key || key_eq(e, h, mod, modlen, name, namelen)) return e;
    }
}

static bool grow(lnk_linker *l) {
    uint32_t ncap = l->cap ? l->cap * 2 : 32;
    lnk_entry *n = tb_calloc(ncap, sizeof *n);
    if (!n) return false;
    for (uint32_t i = 0; i < l->cap; i++) {
        if (!l->slots[i].key) continue;
        uint32_t j = (uint32_t)l->slots[i].hash & (ncap - 1);
        while (n[j].key) j = (j + 1) & (ncap - 1);
        n[j] = l->slots[i];
    }
    tb_free(l->slots);
    l->slots = n;
    l->cap = ncap;
    return true;
}

/* The entry for mod.name, made (empty) when missing; NULL with err on failure. */
static lnk_entry *entry_for(lnk_linker *l, const char *mod, size_t modlen, const char *name,
                            size_t namelen, tb_error *err) {
    if (modlen > UINT32_MAX / 2 || namelen > UINT32_MAX / 2)
        return tb_fail(err, TB_ERR_ARG, TB_NO_OFFSET, "name too long"), NULL;
    if ((l->n + 1) * 4 > l->cap * 3 && !grow(l)) return tb_oom(err), NULL;
    uint64_t h = key_hash(mod, modlen, name, namelen);
    lnk_entry *e = find(l, h, mod, modlen, name, namelen);
    if (e->key) return e;
    char *key = tb_malloc(modlen + namelen + 2);
    if (!key) return tb_oom(err), NULL;
    memcpy(key, mod, modlen);
    key[modlen] = 0;
    memcpy(key + modlen + 1, name, namelen);
    key[modlen + 1 + namelen] = 0;
    *e = (lnk_entry){key, (uint32_t)modlen, (uint32_t)namelen, h};
    l->n++;
    return e;
}

bool lnk_define(lnk_linker *l, const char *mod, size_t modlen, const char *name,
                size_t namelen, rt_extern ext, tb_error *err) {
    lnk_entry *e = entry_for(l, mod, modlen, name, namelen, err);
    if (!e) return false;
    e->is_host = false;
    e->ext = ext;
    return true;
}

bool lnk_define_host(lnk_linker *l, const char *mod, size_t modlen, const char *name,
                     size_t namelen, const lnk_hostfn *h, tb_error *err) {
    if (!h->sig) return tb_oom(err); /* the caller's interning failed */
    lnk_entry *e = entry_for(l, mod, modlen, name, namelen, err);
    if (!e) return false;
    e->is_host = true;
    e->host = *h;
    return true;
}

bool lnk_define_instance(lnk_linker *l, const char *mod, size_t modlen,
                         const rt_instance *inst, tb_error *err) {
    const tw_module *m = inst->module;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const tw_name *n = &m->exports[i].name;
        if (!lnk_define(l, mod, modlen, n->s, n->len, rt_instance_export_at(inst, i), err))
            return false;
    }
    return true;
}

static const lnk_entry *lookup(const lnk_linker *l, const char *mod, size_t modlen,
                              const char *name, size_t namelen) {
    lnk_entry *e = find(l, key_hash(mod, modlen, name, namelen), mod, modlen, name, namelen);
    return e && e->key ? e : NULL;
}

const rt_extern *lnk_lookup(const lnk_linker *l, const char *mod, size_t modlen,
                            const char *name, size_t namelen) {
    const lnk_entry *e = lookup(l, mod, modlen, name, namelen);
    return e && !e->is_host ? &e->ext : NULL;
}

/* The store block holding the host functions made for one instantiation; it keeps the
   linker's envs alive while the store lives. */
typedef struct lnk_block {
    lnk_envs *envs;
    lnk_bound *bound;     /* after funcs, one per function */
    rt_func funcs[];
} lnk_block;

static void block_drop(void *obj) { envs_release(((lnk_block *)obj)->envs); }

/* Make the host functions of the imports whose entries are host definitions. */
static bool make_hosts(const lnk_linker *l, rt_store *st, const tw_module *m,
                       const lnk_entry **ents, uint32_t nhosts, rt_extern *imports,
                       tb_error *err) {
    lnk_block *b = rt_store_alloc(st, sizeof *b + nhosts * (sizeof(rt_func) + sizeof(lnk_bound)),
                                  l->envs ? block_drop : NULL);
    if (!b) return tb_oom(err);
    b->bound = (lnk_bound *)(b->funcs + nhosts);
    if (l->envs) {
        atomic_fetch_add_explicit(&l->envs->refs, 1, memory_order_relaxed);
        b->envs = l->envs;
    }
    rt_func *f = b->funcs;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const lnk_entry *e = ents[i];
        if (!e->is_host) continue;
        void *env = e->host.bind ? e->host.bind(e->host.env, st) : e->host.env;
        if (e->host.bind && !env)
            return tb_fail(err, TB_ERR_LINK, TB_NO_OFFSET, "%.*s.%.*s: %s", (int)e->modlen,
                           e->key, (int)e->namelen, e->key + e->modlen + 1, e->host.reason);
        if (e->host.with_store) {
            lnk_bound *bd = &b->bound[f - b->funcs];
            *bd = (lnk_bound){env, st};
            env = bd;
        }
        *f = (rt_func){.sig = e->host.sig, .host = e->host.fn, .host_env = env};
        imports[i] = (rt_extern){.kind = TW_EXTERN_FUNC, .u.func = f++};
    }
    return true;
}

/* Imports resolved on the C stack up to this many (the common case); more allocate. */
#define SMALL_IMPORTS 128

bool lnk_instantiate(const lnk_linker *l, rt_store *st, const tw_module *m,
                     const interp_module *code, rt_instance **out, tb_error *err) {
    *out = NULL;
    rt_extern small[SMALL_IMPORTS], *imports = small;
    const lnk_entry *small_ents[SMALL_IMPORTS], **ents = small_ents;
    if (m->nimports > SMALL_IMPORTS) {
        imports = tb_calloc(m->nimports, sizeof *imports + sizeof *ents);
        if (!imports) return tb_oom(err);
        ents = (const lnk_entry **)(imports + m->nimports);
    }
    bool ok = true;
    uint32_t nhosts = 0;
    for (uint32_t i = 0; i < m->nimports && ok; i++) {
        const tw_import *imp = &m->imports[i];
        const lnk_entry *e = ents[i] = lookup(l, imp->module.s, imp->module.len, imp->name.s,
                                              imp->name.len);
        if (!e)
            ok = tb_fail(err, TB_ERR_LINK, TB_NO_OFFSET, "unknown import: %.*s.%.*s",
                         (int)imp->module.len, imp->module.s, (int)imp->name.len, imp->name.s);
        else if (e->is_host)
            nhosts++;
        else
            imports[i] = e->ext;
    }
    if (ok && nhosts) ok = make_hosts(l, st, m, ents, nhosts, imports, err);
    if (ok) ok = rt_instantiate(st, m, code, imports, out, err);
    if (imports != small) tb_free(imports);
    return ok;
}
