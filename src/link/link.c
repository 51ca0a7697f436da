/* link: an open-addressing hash map keyed by "module\0name", and import resolution. */
#include "link.h"

typedef struct lnk_entry {
    char *key;            /* module, NUL, name (lengths below); NULL: empty slot */
    uint32_t modlen, namelen;
    uint64_t hash;
    rt_extern ext;
} lnk_entry;

struct lnk_linker {
    lnk_entry *slots;     /* power-of-two capacity */
    uint32_t n, cap;
};

lnk_linker *lnk_new(void) { return tb_calloc(1, sizeof(lnk_linker)); }

void lnk_free(lnk_linker *l) {
    if (!l) return;
    for (uint32_t i = 0; i < l->cap; i++) tb_free(l->slots[i].key);
    tb_free(l->slots);
    tb_free(l);
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

bool lnk_define(lnk_linker *l, const char *mod, size_t modlen, const char *name,
                size_t namelen, rt_extern ext, tb_error *err) {
    if (modlen > UINT32_MAX / 2 || namelen > UINT32_MAX / 2)
        return tb_fail(err, TB_ERR_ARG, TB_NO_OFFSET, "name too long");
    if ((l->n + 1) * 4 > l->cap * 3 && !grow(l)) return tb_oom(err);
    uint64_t h = key_hash(mod, modlen, name, namelen);
    lnk_entry *e = find(l, h, mod, modlen, name, namelen);
    if (e->key) { e->ext = ext; return true; }
    char *key = tb_malloc(modlen + namelen + 2);
    if (!key) return tb_oom(err);
    memcpy(key, mod, modlen);
    key[modlen] = 0;
    memcpy(key + modlen + 1, name, namelen);
    key[modlen + 1 + namelen] = 0;
    *e = (lnk_entry){key, (uint32_t)modlen, (uint32_t)namelen, h, ext};
    l->n++;
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

const rt_extern *lnk_lookup(const lnk_linker *l, const char *mod, size_t modlen,
                            const char *name, size_t namelen) {
    lnk_entry *e = find(l, key_hash(mod, modlen, name, namelen), mod, modlen, name, namelen);
    return e && e->key ? &e->ext : NULL;
}

bool lnk_instantiate(const lnk_linker *l, rt_store *st, const tw_module *m,
                     const interp_module *code, rt_instance **out, tb_error *err) {
    *out = NULL;
    rt_extern *imports = tb_calloc(m->nimports + 1, sizeof *imports);
    if (!imports) return tb_oom(err);
    bool ok = true;
    for (uint32_t i = 0; i < m->nimports && ok; i++) {
        const tw_import *imp = &m->imports[i];
        const rt_extern *x = lnk_lookup(l, imp->module.s, imp->module.len, imp->name.s,
                                        imp->name.len);
        if (!x)
            ok = tb_fail(err, TB_ERR_LINK, TB_NO_OFFSET, "unknown import: %.*s.%.*s",
                         (int)imp->module.len, imp->module.s, (int)imp->name.len, imp->name.s);
        else
            imports[i] = *x;
    }
    if (ok) ok = rt_instantiate(st, m, code, imports, out, err);
    tb_free(imports);
    return ok;
}
